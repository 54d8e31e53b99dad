"""What one person sees in the workspace, as JSON for the page: the same records localslack
keeps (blocks untouched), so the page renders exactly what the bot sent."""

from __future__ import annotations

from typing import Any

from localslack.records import Ephemeral, FileRecord, JSONDict, Message, User, View
from localslack.store import Workspace


def _file(record: FileRecord | None, ref: JSONDict) -> JSONDict:
    if record is None:
        return {"id": ref.get("id"), "name": ref.get("name") or "file", "missing": True}
    return {
        "id": record.id,
        "name": record.name,
        "title": record.title,
        "mimetype": record.mimetype,
        "size": record.size,
        "url": f"/files/{record.id}/{record.name}",
    }


def _message(ws: Workspace, m: Message, viewer: str) -> JSONDict:
    replies = ws.replies_of(m.channel, m.ts) if not m.is_reply else []
    return {
        "ts": m.ts,
        "user": m.user,
        "text": m.text,
        "blocks": m.blocks,
        "attachments": m.attachments,
        "thread_ts": m.thread_ts,
        "files": [_file(ws.files.get(str(f.get("id"))), f) for f in m.files],
        "edited": m.edited_at is not None,
        "deleted": m.deleted,
        "reply_count": len([r for r in replies if not r.deleted]),
        "ephemeral": False,
        "state": ws.message_state.get((viewer, m.channel, m.ts), {}),
    }


def _ephemeral(ws: Workspace, e: Ephemeral, viewer: str) -> JSONDict:
    return {
        "ts": e.ts,
        "user": ws.config.bot_user_id if e.via != "slack" else "slackbot",
        "text": e.text,
        "blocks": e.blocks,
        "attachments": [],
        "thread_ts": e.thread_ts,
        "files": [],
        "edited": e.revision > 0,
        "deleted": e.deleted,
        "reply_count": 0,
        "ephemeral": True,
        "state": ws.message_state.get((viewer, e.channel, e.ts), {}),
    }


def _view(view: View | None, depth: int = 0) -> JSONDict | None:
    if view is None:
        return None
    return {
        "id": view.id,
        "type": view.type,
        "title": view.title,
        "submit": view.submit,
        "close": view.close,
        "blocks": view.blocks,
        "state": view.state_values,
        "errors": view.errors,
        "banner": view.banner,
        "hash": view.hash,
        "depth": depth,
    }


def _person(user: User, profiles: dict[str, str]) -> JSONDict:
    return {
        "id": user.id,
        "name": user.name,
        "real_name": user.real_name,
        "tz": user.tz,
        "locale": user.locale,
        "is_bot": user.is_bot,
        "deleted": user.deleted,
        "profile": profiles.get(user.id, ""),
    }


def for_viewer(ws: Workspace, viewer: str, profiles: dict[str, str]) -> dict[str, Any]:
    """Everything `viewer` can see, at one workspace version ("" means the first person)."""
    with ws.lock:
        if not viewer:
            people = [u.id for u in ws.users.values() if not u.is_bot and not u.deleted]
            viewer = people[0] if people else ""
        if viewer not in ws.users or viewer == ws.config.bot_user_id:
            raise KeyError(viewer)
        dm = ws.dm(viewer)
        places = [c for c in ws.channels.values() if not c.is_im and ws.is_member(c, viewer)]
        places.sort(key=lambda c: c.name)
        conversations = [
            {"id": c.id, "name": c.name, "is_im": False, "is_private": c.is_private} for c in places
        ] + [{"id": dm.id, "name": ws.config.bot_name, "is_im": True, "is_private": True}]
        messages: dict[str, list[JSONDict]] = {}
        for place in [*places, dm]:
            listed = [_message(ws, m, viewer) for m in ws.messages.get(place.id, [])]
            listed += [
                _ephemeral(ws, e, viewer)
                for e in ws.ephemerals
                if e.user == viewer and e.channel == place.id and not e.deleted
            ]
            listed.sort(key=lambda item: float(item["ts"]))
            messages[place.id] = listed
        stack = ws.stacks.get(viewer) or []
        modal = _view(ws.views[stack[-1]], len(stack)) if stack else None
        home_id = ws.homes.get(viewer)
        home = _view(ws.views.get(home_id)) if home_id else None
        return {
            "version": ws.version,
            "me": viewer,
            "bot": {"id": ws.config.bot_user_id, "name": ws.config.bot_name},
            "team": ws.config.team_domain,
            "users": [_person(u, profiles) for u in ws.users.values()],
            "channels": {c.id: {"name": c.name, "is_im": c.is_im} for c in ws.channels.values()},
            "conversations": conversations,
            "messages": messages,
            "modal": modal,
            "home": home,
        }
