"""Finding the button or input a simulated user means, among what that user can see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from localslack import viewstore
from localslack.blockcheck import block_elements
from localslack.records import Ephemeral, JSONDict, Message, View
from localslack.shapes import text_of
from localslack.store import Workspace

Surface = Message | Ephemeral | View


@dataclass(frozen=True)
class Target:
    surface: Surface
    block: JSONDict
    element: JSONDict

    @property
    def text(self) -> str:
        return text_of(self.element.get("text")) or text_of(self.element.get("placeholder")) or ""

    def describe(self) -> str:
        where = _where(self.surface)
        value = f" value={self.element['value']!r}" if "value" in self.element else ""
        kind = self.element.get("type")
        return (
            f"[{self.text}] ({kind}, action_id={self.element.get('action_id')!r}{value}, {where})"
        )


def _where(surface: Surface) -> str:
    if isinstance(surface, View):
        return f"in modal {surface.title!r}"
    kind = "ephemeral" if isinstance(surface, Ephemeral) else "message"
    return f"in {kind} {surface.ts} in {surface.channel}"


def visible_surfaces(ws: Workspace, user_id: str, channel: str | None = None) -> list[Surface]:
    """Newest first: the user's ephemerals, their DM with the bot, then channel messages."""
    with ws.lock:
        channel_id = None
        if channel is not None:
            found = ws.conversation(channel)
            if found is None:
                raise AssertionError(f"no channel {channel!r}")
            channel_id = found.id
        ephemerals = [
            e
            for e in ws.ephemerals
            if e.user == user_id and not e.deleted and channel_id in (None, e.channel)
        ]
        dm_id = ws.dm_ids.get(user_id)
        dm = [m for m in ws.messages.get(dm_id or "", []) if not m.deleted]
        if channel_id is not None and channel_id != dm_id:
            dm = []
        others: list[Message] = []
        for cid, messages in ws.messages.items():
            chan = ws.channels[cid]
            if chan.is_im or channel_id not in (None, cid) or not ws.is_member(chan, user_id):
                continue
            others += [m for m in messages if not m.deleted]
        others.sort(key=lambda m: float(m.ts))
        return [*reversed(ephemerals), *reversed(dm), *reversed(others)]


def targets(surfaces: list[Surface]) -> list[Target]:
    return [
        Target(surface, block, element)
        for surface in surfaces
        for block in surface.blocks
        for element in block_elements(block)
    ]


def _pool(
    ws: Workspace, user_id: str, message: Surface | None, view: bool, channel: str | None
) -> list[Target]:
    if message is not None:
        return targets([_fresh(ws, message)])
    if view:
        top = viewstore.top(ws, user_id)
        if top is None:
            raise AssertionError("no modal is open for this user")
        return targets([top])
    return targets(visible_surfaces(ws, user_id, channel))


def _fresh(ws: Workspace, surface: Surface) -> Surface:
    """The current version of a surface a test kept from earlier."""
    if isinstance(surface, Message):
        found: Surface | None = ws.find_message(surface.channel, surface.ts)
    elif isinstance(surface, Ephemeral):
        found = ws.find_ephemeral(surface.channel, surface.ts)
    else:
        found = ws.views.get(surface.id)
    if found is None or getattr(found, "deleted", False):
        raise AssertionError(f"{_where(surface)} no longer exists")
    return found


def _first(pool: list[Target], tests: list[Callable[[Target], bool]]) -> Target | None:
    for test in tests:
        for target in pool:
            if test(target):
                return target
    return None


def find_button(
    ws: Workspace,
    user_id: str,
    text: str | None,
    *,
    action_id: str | None = None,
    value: str | None = None,
    block_id: str | None = None,
    message: Surface | None = None,
    view: bool = False,
    channel: str | None = None,
) -> Target:
    pool = [
        t for t in _pool(ws, user_id, message, view, channel) if t.element.get("type") == "button"
    ]

    def fits(t: Target) -> bool:
        return (
            action_id in (None, t.element.get("action_id"))
            and value in (None, t.element.get("value"))
            and block_id in (None, t.block.get("block_id"))
        )

    candidates = [t for t in pool if fits(t)]
    tests: list[Callable[[Target], bool]] = [lambda t: True]
    if text is not None:
        tests = [lambda t: t.text == text, lambda t: t.text.casefold() == text.casefold()]
    found = _first(candidates, tests)
    if found is None:
        wanted = ", ".join(
            f"{k}={v!r}"
            for k, v in (("text", text), ("action_id", action_id), ("value", value))
            if v is not None
        )
        seen = "\n  ".join(t.describe() for t in pool[:40]) or "(none)"
        raise AssertionError(f"no button matching {wanted}; buttons visible:\n  {seen}")
    return found


def find_element(
    ws: Workspace,
    user_id: str,
    key: str,
    *,
    message: Surface | None = None,
    view: bool = False,
    channel: str | None = None,
) -> Target:
    """An element by action_id, or by block_id (an input block's single element)."""
    pool = _pool(ws, user_id, message, view, channel)
    found = _first(
        pool,
        [
            lambda t: t.element.get("action_id") == key,
            lambda t: t.block.get("block_id") == key,
            lambda t: t.block.get("type") == "input" and text_of(t.block.get("label")) == key,
        ],
    )
    if found is None:
        seen = "\n  ".join(
            f"block_id={t.block.get('block_id')!r} {t.describe()}" for t in pool[:40]
        )
        raise AssertionError(f"no element {key!r}; elements visible:\n  {seen or '(none)'}")
    return found
