"""The JSON Slack uses for users, channels, messages, views and files.

Kept in one place so API responses, interaction payloads and events agree on every field.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from localslack.records import Channel, FileRecord, JSONDict, Message, User, View
from localslack.store import Workspace

# Slack labels zones with long names; a few common ones, the abbreviation otherwise.
_TZ_LABELS = {
    "Asia/Shanghai": "China Standard Time",
    "Asia/Tokyo": "Japan Standard Time",
    "Asia/Singapore": "Singapore Standard Time",
    "UTC": "Coordinated Universal Time",
    "Europe/London": "Greenwich Mean Time",
    "America/New_York": "Eastern Time",
    "America/Los_Angeles": "Pacific Time",
}


def plain(text: str | None) -> JSONDict | None:
    return None if text is None else {"type": "plain_text", "text": text, "emoji": True}


def text_of(obj: object) -> str | None:
    """The string inside a text object (or a bare string)."""
    if isinstance(obj, dict):
        value = obj.get("text")
        return value if isinstance(value, str) else None
    return obj if isinstance(obj, str) else None


def tz_fields(tz: str, now: datetime) -> JSONDict:
    try:
        local = now.astimezone(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        local = now.astimezone(UTC)
    offset = local.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    return {"tz": tz, "tz_label": _TZ_LABELS.get(tz, local.tzname() or tz), "tz_offset": seconds}


def user_json(ws: Workspace, user: User, *, include_locale: bool = False) -> JSONDict:
    data: JSONDict = {
        "id": user.id,
        "team_id": ws.config.team_id,
        "name": user.name,
        "deleted": user.deleted,
        "real_name": user.real_name,
        **tz_fields(user.tz, ws.now()),
        "profile": {
            "real_name": user.real_name,
            "display_name": user.name,
            "real_name_normalized": user.real_name,
            "display_name_normalized": user.name,
            "email": user.email,
            "team": ws.config.team_id,
        },
        "is_admin": user.is_admin,
        "is_owner": False,
        "is_bot": user.is_bot,
        "is_app_user": False,
        "updated": 0,
    }
    if user.is_bot and user.id == ws.config.bot_user_id:
        data["profile"]["bot_id"] = ws.config.bot_id
        data["profile"]["api_app_id"] = ws.config.app_id
    if user.email is None:
        del data["profile"]["email"]
    if include_locale:
        data["locale"] = user.locale
    return data


def channel_json(ws: Workspace, channel: Channel) -> JSONDict:
    if channel.is_im:
        return {
            "id": channel.id,
            "created": channel.created,
            "is_im": True,
            "is_org_shared": False,
            "user": channel.user,
            "is_user_deleted": False,
            "priority": 0,
        }
    return {
        "id": channel.id,
        "name": channel.name,
        "name_normalized": channel.name,
        "is_channel": not channel.is_private,
        "is_group": channel.is_private,
        "is_im": False,
        "is_mpim": False,
        "is_private": channel.is_private,
        "is_archived": False,
        "is_general": channel.name == "general",
        "is_shared": False,
        "is_ext_shared": False,
        "is_org_shared": False,
        "is_member": ws.is_member(channel, ws.config.bot_user_id),
        "created": channel.created,
        "creator": "",
        "num_members": len(channel.members) + (1 if channel.bot_member else 0),
        "topic": {"value": "", "creator": "", "last_set": 0},
        "purpose": {"value": "", "creator": "", "last_set": 0},
    }


def message_json(ws: Workspace, message: Message) -> JSONDict:
    data: JSONDict = {
        "type": "message",
        "user": message.user,
        "text": message.text,
        "ts": message.ts,
        "team": ws.config.team_id,
    }
    if message.deleted:
        data.update(subtype="tombstone", text="This message was deleted.", hidden=True)
        return data
    if message.blocks:
        data["blocks"] = copy.deepcopy(message.blocks)
    if message.attachments:
        data["attachments"] = copy.deepcopy(message.attachments)
    if message.files:
        data["files"] = copy.deepcopy(message.files)
        data["upload"] = False
    if message.metadata:
        data["metadata"] = copy.deepcopy(message.metadata)
    if message.bot:
        data["bot_id"] = ws.config.bot_id
        data["app_id"] = ws.config.app_id
        data["bot_profile"] = {
            "id": ws.config.bot_id,
            "app_id": ws.config.app_id,
            "name": ws.config.bot_name,
            "deleted": False,
            "team_id": ws.config.team_id,
        }
    if message.edited_at is not None:
        edited = f"{int(message.edited_at.timestamp())}.000000"  # not a new ts: no sequence use
        data["edited"] = {"user": message.user, "ts": edited}
    if message.is_reply:
        data["thread_ts"] = message.thread_ts
        data["parent_user_id"] = _parent_user(ws, message)
    else:
        # A parent becomes a thread (gets thread_ts and reply counts) with its first reply.
        replies = ws.replies_of(message.channel, message.ts)
        if replies:
            data["thread_ts"] = message.ts
            data["reply_count"] = len(replies)
            data["reply_users"] = sorted({r.user for r in replies})
            data["reply_users_count"] = len(data["reply_users"])
            data["latest_reply"] = replies[-1].ts
    return data


def _parent_user(ws: Workspace, message: Message) -> str | None:
    parent = ws.find_message(message.channel, message.thread_ts)
    return parent.user if parent else None


def view_json(ws: Workspace, view: View) -> JSONDict:
    data: JSONDict = {
        "id": view.id,
        "team_id": ws.config.team_id,
        "type": view.type,
        "blocks": copy.deepcopy(view.blocks),
        "private_metadata": view.private_metadata,
        "callback_id": view.callback_id or "",
        "state": {"values": copy.deepcopy(view.state_values)},
        "hash": view.hash,
        "title": plain(view.title),
        "clear_on_close": view.clear_on_close,
        "notify_on_close": view.notify_on_close,
        "close": plain(view.close),
        "submit": plain(view.submit),
        "previous_view_id": view.previous_view_id,
        "root_view_id": view.root_view_id or view.id,
        "app_id": ws.config.app_id,
        "external_id": view.external_id or "",
        "app_installed_team_id": ws.config.team_id,
        "bot_id": ws.config.bot_id,
    }
    return data


def file_json(ws: Workspace, record: FileRecord) -> JSONDict:
    url = f"{ws.base_url}files/{record.id}/{record.name}"
    return {
        "id": record.id,
        "created": int(record.created.timestamp()),
        "timestamp": int(record.created.timestamp()),
        "name": record.name,
        "title": record.title,
        "mimetype": record.mimetype,
        "filetype": record.filetype,
        "pretty_type": record.filetype.upper(),
        "user": record.user,
        "user_team": ws.config.team_id,
        "size": record.size,
        "mode": "hosted",
        "is_external": False,
        "is_public": False,
        "url_private": url,
        "url_private_download": url + "?download=1",
        "permalink": f"https://{ws.config.team_domain}.slack.com/files/{record.user}/{record.id}",
        "channels": [c for c in record.channels if c.startswith("C")],
        "groups": [c for c in record.channels if c.startswith("G")],
        "ims": [c for c in record.channels if c.startswith("D")],
        "alt_txt": record.alt_txt,
    }


def user_ref(ws: Workspace, user: User) -> JSONDict:
    """The `user` object of an interaction payload."""
    return {"id": user.id, "username": user.name, "name": user.name, "team_id": ws.config.team_id}


def team_ref(ws: Workspace) -> JSONDict:
    return {"id": ws.config.team_id, "domain": ws.config.team_domain}


def permalink(ws: Workspace, channel: str, ts: str, thread_ts: str | None = None) -> str:
    link = f"https://{ws.config.team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel}"
    return link
