"""What one user can see, as printable items, and which of them are new to them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from localslack.records import Ephemeral, Message, View
from localslack.render import Names, Rendered, render_blocks, render_view

if TYPE_CHECKING:
    from localslack.core import LocalSlack

Surface = Message | Ephemeral | View


@dataclass(frozen=True)
class Item:
    key: tuple[str, ...]  # changes whenever what the user sees of it changes
    order: float
    surface: Surface


def names_for(ls: LocalSlack) -> Names:
    ws = ls.ws

    def user(user_id: str) -> str | None:
        found = ws.users.get(user_id)
        return found.name if found else None

    def channel(channel_id: str) -> str | None:
        found = ws.channels.get(channel_id)
        return found.name if found else None

    def file(file_id: str) -> str | None:
        found = ws.files.get(file_id)
        return found.name if found else None

    return Names(user, channel, file)


def _message_key(m: Message) -> tuple[str, ...]:
    return ("m", m.channel, m.ts, str(m.revision))


def visible(ls: LocalSlack, user_id: str) -> list[Item]:
    """Ephemerals, the DM with the bot, channels the user is in, and the open modal."""
    ws = ls.ws
    items: list[Item] = []
    with ws.lock:
        for e in ws.ephemerals:
            if e.user == user_id:
                items.append(Item(("e", e.channel, e.ts, str(e.revision)), float(e.ts), e))
        for channel_id, messages in ws.messages.items():
            if not ws.is_member(ws.channels[channel_id], user_id):
                continue
            items += [Item(_message_key(m), float(m.ts), m) for m in messages]
        stack = ws.stacks.get(user_id) or []
        if stack:
            view = ws.views[stack[-1]]
            # What the user typed counts too: the terminal shows the modal again after a fill.
            shown = json.dumps([view.errors, view.state_values], sort_keys=True)
            items.append(Item(("v", view.id, view.hash, shown), float("inf"), view))
    items.sort(key=lambda item: item.order)
    return items


def clock_time(ls: LocalSlack, ts: str, user_id: str) -> str:
    tz_name = ls.ws.users[user_id].tz if user_id in ls.ws.users else "UTC"
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.fromtimestamp(float(ts), UTC).astimezone(zone).strftime("%H:%M")


def heading(ls: LocalSlack, surface: Surface, viewer: str) -> str:
    """One line saying where an item is and who wrote it."""
    ws = ls.ws
    if isinstance(surface, View):
        return f"== modal: {surface.title} ==" if surface.type == "modal" else "== App Home =="
    channel = ws.channels.get(surface.channel)
    place = "DM" if channel is None or channel.is_im else channel.label
    author_id = ws.config.bot_user_id if isinstance(surface, Ephemeral) else surface.user
    author = ws.users[author_id].name if author_id in ws.users else author_id
    parts = [place]
    if surface.thread_ts and surface.thread_ts != surface.ts:
        parts.append(f"thread {surface.thread_ts}")
    parts += [author, clock_time(ls, surface.ts, viewer)]
    notes = []
    if isinstance(surface, Ephemeral):
        notes.append("only visible to you")
    if isinstance(surface, Message) and surface.edited_at is not None:
        notes.append("edited")
    note = f" ({', '.join(notes)})" if notes else ""
    return f"-- {' . '.join(parts)}{note} --"


def render_item(ls: LocalSlack, surface: Surface, viewer: str, start: int) -> Rendered:
    names = names_for(ls)
    if isinstance(surface, View):
        body = render_view(surface, names=names, start=start)
        return Rendered(f"{heading(ls, surface, viewer)}\n{body}", body.controls)
    if surface.deleted:
        return Rendered(f"{heading(ls, surface, viewer)}\n(message deleted)")
    fills = ls.ws.message_state.get((viewer, surface.channel, surface.ts), {})
    body = render_blocks(surface.blocks, surface.text, names=names, start=start, state=fills)
    lines = [heading(ls, surface, viewer), str(body)]
    if isinstance(surface, Message):
        lines += [f"[file: {f.get('name')}]" for f in surface.files]
        replies = ls.ws.replies_of(surface.channel, surface.ts) if not surface.is_reply else []
        if replies:
            lines.append(f"({len(replies)} {'reply' if len(replies) == 1 else 'replies'})")
    return Rendered("\n".join(line for line in lines if line), body.controls)
