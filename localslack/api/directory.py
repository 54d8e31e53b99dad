"""auth.test, users.* and conversations.* methods."""

from __future__ import annotations

from typing import Any

from localslack.api.registry import ApiError, Args, conversation, method, require_bot_member
from localslack.records import Channel, JSONDict
from localslack.shapes import channel_json, message_json, user_json
from localslack.store import Workspace


def _page(a: Args, items: list[Any], key: str) -> JSONDict:
    """Cursor pagination in Slack's shape: the cursor is simply the next offset."""
    limit = max(1, min(a.integer("limit", 100), 1000))
    start = int(a.get("cursor") or 0) if (a.get("cursor") or "0").isdigit() else 0
    chunk = items[start : start + limit]
    next_cursor = str(start + limit) if start + limit < len(items) else ""
    return {"ok": True, key: chunk, "response_metadata": {"next_cursor": next_cursor}}


@method("auth.test")
def auth_test(ws: Workspace, a: Args) -> JSONDict:
    c = ws.config
    return {
        "ok": True,
        "url": f"https://{c.team_domain}.slack.com/",
        "team": c.team_domain,
        "user": c.bot_name,
        "team_id": c.team_id,
        "user_id": c.bot_user_id,
        "bot_id": c.bot_id,
        "app_id": c.app_id,
        "is_enterprise_install": False,
    }


@method("users.info")
def users_info(ws: Workspace, a: Args) -> JSONDict:
    user = ws.users.get(a.required("user", "user_not_found"))
    if user is None:
        raise ApiError("user_not_found")
    return {"ok": True, "user": user_json(ws, user, include_locale=a.flag("include_locale"))}


@method("users.lookupByEmail")
def users_lookup_by_email(ws: Workspace, a: Args) -> JSONDict:
    email = (a.required("email", "users_not_found")).casefold()
    user = next((u for u in ws.users.values() if (u.email or "").casefold() == email), None)
    if user is None:
        raise ApiError("users_not_found")
    return {"ok": True, "user": user_json(ws, user)}


@method("users.list")
def users_list(ws: Workspace, a: Args) -> JSONDict:
    members = [user_json(ws, u, include_locale=a.flag("include_locale")) for u in ws.users.values()]
    return _page(a, members, "members")


@method("conversations.open")
def conversations_open(ws: Workspace, a: Args) -> JSONDict:
    if a.has("channel"):
        channel = conversation(ws, a.get("channel"))
        return {"ok": True, "channel": {"id": channel.id}}
    refs = [u.strip() for u in (a.required("users", "users_list_not_supplied")).split(",")]
    refs = [r for r in refs if r and r != ws.config.bot_user_id]
    if len(refs) != 1:
        raise ApiError("not_supported", messages=["LocalSlack opens one-to-one DMs only"])
    user = ws.users.get(refs[0])
    if user is None:
        raise ApiError("user_not_found")
    existed = user.id in ws.dm_ids
    channel = ws.dm(user.id)
    body: JSONDict = {"id": channel.id}
    if a.flag("return_im"):
        body = channel_json(ws, channel)
    answer: JSONDict = {"ok": True, "channel": body}
    if existed:
        answer.update(no_op=True, already_open=True)
    return answer


def _readable(ws: Workspace, a: Args) -> Channel:
    channel = conversation(ws, a.get("channel"))
    require_bot_member(ws, channel)  # bots read only conversations they belong to
    return channel


@method("conversations.info")
def conversations_info(ws: Workspace, a: Args) -> JSONDict:
    channel = conversation(ws, a.get("channel"))
    data = channel_json(ws, channel)
    if not a.flag("include_num_members"):
        data.pop("num_members", None)
    return {"ok": True, "channel": data}


@method("conversations.members")
def conversations_members(ws: Workspace, a: Args) -> JSONDict:
    channel = conversation(ws, a.get("channel"))
    members = list(channel.members)
    if ws.is_member(channel, ws.config.bot_user_id):
        members.append(ws.config.bot_user_id)
    return _page(a, members, "members")


@method("conversations.list")
def conversations_list(ws: Workspace, a: Args) -> JSONDict:
    types = set((a.get("types") or "public_channel").split(","))
    found = []
    for channel in ws.channels.values():
        kind = (
            "im" if channel.is_im else "private_channel" if channel.is_private else "public_channel"
        )
        visible = kind == "public_channel" or ws.is_member(channel, ws.config.bot_user_id)
        if kind in types and visible:
            found.append(channel_json(ws, channel))
    return _page(a, found, "channels")


@method("conversations.join")
def conversations_join(ws: Workspace, a: Args) -> JSONDict:
    channel = conversation(ws, a.get("channel"))
    if channel.is_im or channel.is_private:
        raise ApiError("method_not_supported_for_channel_type")
    channel = ws.set_membership(channel.id, ws.config.bot_user_id, True)
    return {"ok": True, "channel": channel_json(ws, channel)}


def _window(a: Args, ts: str) -> bool:
    oldest, latest = a.get("oldest"), a.get("latest")
    return (oldest is None or float(ts) >= float(oldest)) and (
        latest is None or float(ts) <= float(latest)
    )


@method("conversations.history")
def conversations_history(ws: Workspace, a: Args) -> JSONDict:
    channel = _readable(ws, a)
    top = [m for m in ws.messages.get(channel.id, []) if not m.is_reply and _window(a, m.ts)]
    top = [m for m in top if not m.deleted or ws.replies_of(channel.id, m.ts)]
    page = _page(a, [message_json(ws, m) for m in reversed(top)], "messages")
    page["has_more"] = bool(page["response_metadata"]["next_cursor"])
    return page


@method("conversations.replies")
def conversations_replies(ws: Workspace, a: Args) -> JSONDict:
    channel = _readable(ws, a)
    parent = ws.find_message(channel.id, a.required("ts", "thread_not_found"))
    if parent is None:
        raise ApiError("thread_not_found")
    root = parent.thread_ts or parent.ts
    first = ws.find_message(channel.id, root)
    thread = ([first] if first else []) + [
        r for r in ws.replies_of(channel.id, root) if not r.deleted
    ]
    page = _page(a, [message_json(ws, m) for m in thread if _window(a, m.ts)], "messages")
    page["has_more"] = bool(page["response_metadata"]["next_cursor"])
    return page
