"""chat.* methods."""

from __future__ import annotations

from localslack.api.registry import (
    ApiError,
    Args,
    content,
    conversation,
    method,
    require_bot_member,
    thread_parent,
)
from localslack.records import JSONDict, Message
from localslack.shapes import message_json, permalink
from localslack.store import Workspace


@method("chat.postMessage")
def post_message(ws: Workspace, a: Args) -> JSONDict:
    channel = conversation(ws, a.get("channel"))
    require_bot_member(ws, channel)
    text, blocks, attachments = content(a)
    thread_ts = thread_parent(ws, channel, a.get("thread_ts"))
    metadata = a.json("metadata") if a.has("metadata") else None
    if metadata is not None and not isinstance(metadata, dict):
        raise ApiError("invalid_metadata_format")
    wait = ws.rate.take(channel.id, ws.now())
    if wait is not None:
        raise ApiError("ratelimited", status=429, headers={"Retry-After": str(wait)})
    message = ws.add_message(
        channel.id,
        ws.config.bot_user_id,
        text,
        blocks,
        thread_ts=thread_ts,
        metadata=metadata,
        attachments=attachments,
    )
    return {
        "ok": True,
        "channel": channel.id,
        "ts": message.ts,
        "message": message_json(ws, message),
    }


def _own_message(ws: Workspace, a: Args, error: str) -> Message:
    channel = conversation(ws, a.get("channel"))
    ts = a.get("ts")
    message = ws.find_message(channel.id, ts)
    if message is None or message.deleted:
        if ws.find_ephemeral(channel.id, ts) is not None:
            raise ApiError(error)  # ephemeral messages can't be changed by API
        raise ApiError("message_not_found")
    if not message.bot:
        raise ApiError(error)
    return message


@method("chat.update")
def update(ws: Workspace, a: Args) -> JSONDict:
    message = _own_message(ws, a, "cant_update_message")
    new_text, new_blocks, new_attachments = content(a, required=False)
    # Omitted fields keep their value; an empty blocks array removes the blocks.
    text = new_text if a.has("text") else message.text
    blocks = new_blocks if a.has("blocks") else message.blocks
    attachments = new_attachments if a.has("attachments") else message.attachments
    if not text and not blocks and not attachments and not message.files:
        raise ApiError("no_text")
    updated = ws.change_message(
        message, text=text, blocks=blocks, attachments=attachments, edited_at=ws.now()
    )
    return {
        "ok": True,
        "channel": updated.channel,
        "ts": updated.ts,
        "text": updated.text,
        "message": message_json(ws, updated),
    }


@method("chat.delete")
def delete(ws: Workspace, a: Args) -> JSONDict:
    message = _own_message(ws, a, "cant_delete_message")
    ws.change_message(message, deleted=True)
    return {"ok": True, "channel": message.channel, "ts": message.ts}


@method("chat.postEphemeral")
def post_ephemeral(ws: Workspace, a: Args) -> JSONDict:
    channel = conversation(ws, a.get("channel"))
    user = ws.find_user(a.required("user", "user_not_found"))
    if user is None:
        raise ApiError("user_not_found")
    require_bot_member(ws, channel)
    if not ws.is_member(channel, user.id):
        raise ApiError("user_not_in_channel")
    text, blocks, _ = content(a)
    thread_ts = a.get("thread_ts")
    if thread_ts is not None:
        thread_ts = ws.thread_root(channel.id, thread_ts) or thread_ts
    ephemeral = ws.add_ephemeral(user.id, channel.id, text, blocks, "chat.postEphemeral", thread_ts)
    return {"ok": True, "message_ts": ephemeral.ts}


@method("chat.getPermalink")
def get_permalink(ws: Workspace, a: Args) -> JSONDict:
    channel = conversation(ws, a.get("channel"))
    message = ws.find_message(channel.id, a.get("message_ts"))
    if message is None or message.deleted:
        raise ApiError("message_not_found")
    link = permalink(ws, channel.id, message.ts, message.thread_ts)
    return {"ok": True, "channel": channel.id, "permalink": link}
