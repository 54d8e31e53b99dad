"""response_url: what a POST to one does, as Slack does it.

- `delete_original`: the interactive message (ephemeral or not) goes away.
- `replace_original`: it gets the new content and keeps its ts.
- otherwise a new message: ephemeral to the user (the default) or, with
  `response_type: "in_channel"`, visible to all. No bot membership is needed for either.
A slash command's response_url has no original; replace/delete are ignored there.
Each URL works 5 times within 30 minutes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from localslack.blockcheck import BlockError, check_message_blocks
from localslack.records import JSONDict
from localslack.store import Hook, Workspace

MAX_USES = 5
LIFETIME = timedelta(minutes=30)


@dataclass(frozen=True)
class HookAnswer:
    status: int
    body: str
    args: JSONDict

    @property
    def ok(self) -> bool:
        return self.status == 200


def _truthy(value: Any) -> bool:
    return value in (True, "true", "True", 1, "1")


def _parse(body: bytes) -> JSONDict | None:
    try:
        data = json.loads(body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    for key in ("blocks", "attachments"):
        if isinstance(data.get(key), str):
            try:
                data[key] = json.loads(data[key])
            except ValueError:
                return None
    return data


def handle(ws: Workspace, token: str, body: bytes) -> HookAnswer:
    data = _parse(body)
    with ws.lock:
        hook = ws.hooks.get(token)
        if hook is None:
            return HookAnswer(404, "invalid_token", data or {})
        if ws.now() - hook.created > LIFETIME:
            return HookAnswer(404, "expired_url", data or {})
        if hook.uses >= MAX_USES:
            return HookAnswer(404, "used_url", data or {})
        if data is None:
            return HookAnswer(400, "invalid_payload", {})
        ws.hooks[token] = replace(hook, uses=hook.uses + 1)
        try:
            _apply(ws, hook, data)
        except BlockError as exc:
            return HookAnswer(400, exc.error, data)
        return HookAnswer(200, "ok", data)


def _apply(ws: Workspace, hook: Hook, data: JSONDict) -> None:
    is_message_hook = hook.kind == "message" and hook.original_ts is not None
    if is_message_hook and _truthy(data.get("delete_original")):
        _delete_original(ws, hook)
        return
    blocks_raw = data.get("blocks")
    blocks = check_message_blocks(blocks_raw) if blocks_raw else []
    text = str(data.get("text") or "")
    if not text and not blocks and not data.get("attachments"):
        raise BlockError("no_text", ["text or blocks are required"])
    if is_message_hook and _truthy(data.get("replace_original")):
        _replace_original(ws, hook, text, blocks)
    elif data.get("response_type") == "in_channel":
        thread_ts = data.get("thread_ts") or hook.thread_ts
        ws.add_message(hook.channel, ws.config.bot_user_id, text, blocks, thread_ts=thread_ts)
    else:
        thread_ts = data.get("thread_ts") or hook.thread_ts
        ws.add_ephemeral(hook.user, hook.channel, text, blocks, "response_url", thread_ts)


def _delete_original(ws: Workspace, hook: Hook) -> None:
    if hook.original_ephemeral:
        ephemeral = ws.find_ephemeral(hook.channel, hook.original_ts)
        if ephemeral is not None:
            ws.change_ephemeral(ephemeral, deleted=True)
        return
    message = ws.find_message(hook.channel, hook.original_ts)
    if message is not None:
        ws.change_message(message, deleted=True)


def _replace_original(ws: Workspace, hook: Hook, text: str, blocks: list[JSONDict]) -> None:
    if hook.original_ephemeral:
        ephemeral = ws.find_ephemeral(hook.channel, hook.original_ts)
        if ephemeral is not None:
            ws.change_ephemeral(ephemeral, text=text, blocks=blocks, deleted=False)
        return
    message = ws.find_message(hook.channel, hook.original_ts)
    if message is not None:
        ws.change_message(message, text=text, blocks=blocks, edited_at=ws.now())
