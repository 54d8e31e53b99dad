"""The Web API method table and the helpers every method handler uses."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

from localslack.blockcheck import BlockError, check_message_blocks, text_length_problem
from localslack.records import Channel, JSONDict
from localslack.store import Workspace

# Arguments that slack_sdk JSON-encodes into a string when it posts a form.
JSON_FIELDS = ("blocks", "attachments", "view", "metadata", "files", "user_auth_blocks")


class ApiError(Exception):
    """Answered as `{"ok": false, "error": error, ...}`."""

    def __init__(
        self,
        error: str,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        messages: list[str] | None = None,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.headers = headers or {}
        self.messages = messages or []

    def body(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": [f"[ERROR] {m}" for m in self.messages]}
        return body


class Args:
    """Request arguments, whether they came as a form, JSON or a query string."""

    def __init__(self, data: JSONDict) -> None:
        self.data = data

    def has(self, name: str) -> bool:
        return name in self.data and self.data[name] is not None

    def get(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None or value == "":
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def required(self, name: str, error: str = "invalid_arguments") -> str:
        value = self.get(name)
        if value is None:
            raise ApiError(error, messages=[f"missing required field: {name}"])
        return value

    def flag(self, name: str) -> bool:
        return self.data.get(name) in (True, 1, "1", "true", "True")

    def integer(self, name: str, default: int) -> int:
        try:
            return int(self.data.get(name, default))
        except (TypeError, ValueError):
            return default

    def json(self, name: str) -> Any:
        value = self.data.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError as exc:
                raise ApiError("invalid_arguments", messages=[f"{name}: {exc}"]) from exc
        return value


def decode_json_fields(data: JSONDict) -> JSONDict:
    """Decode the JSON-in-a-string fields so recorded calls show real structures."""
    decoded = dict(data)
    for key in JSON_FIELDS:
        value = decoded.get(key)
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            # Left as is if broken; the handler reports it in Slack's words.
            with contextlib.suppress(ValueError):
                decoded[key] = json.loads(value)
    return decoded


Handler = Callable[[Workspace, Args], JSONDict]
METHODS: dict[str, Handler] = {}


def method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        METHODS[name] = handler
        return handler

    return register


# -- shared checks -----------------------------------------------------------------------


def conversation(ws: Workspace, ref: str | None, *, bot_must_see: bool = True) -> Channel:
    """Resolve a channel argument; private channels the bot isn't in don't exist for it."""
    channel = ws.conversation(ref)
    if channel is None:
        raise ApiError("channel_not_found")
    if bot_must_see and channel.is_private and not ws.is_member(channel, ws.config.bot_user_id):
        raise ApiError("channel_not_found")
    return channel


def require_bot_member(ws: Workspace, channel: Channel) -> None:
    if not ws.is_member(channel, ws.config.bot_user_id):
        raise ApiError("not_in_channel")


def content(a: Args, *, required: bool = True) -> tuple[str, list[JSONDict], list[JSONDict]]:
    """text, blocks and attachments of a message, validated as Slack does."""
    text = a.data.get("text")
    problem = text_length_problem(text)
    if problem:
        raise ApiError(problem)
    blocks_raw = a.json("blocks") if a.has("blocks") else None
    attachments = a.json("attachments") if a.has("attachments") else None
    if attachments is not None and not isinstance(attachments, list):
        raise ApiError("invalid_attachments")
    blocks: list[JSONDict] = []
    if blocks_raw is not None and blocks_raw != []:
        try:
            blocks = check_message_blocks(blocks_raw)
        except BlockError as exc:
            raise ApiError(exc.error, messages=exc.messages) from exc
    if required and not text and not blocks and not attachments:
        raise ApiError("no_text")
    return str(text or ""), blocks, list(attachments or [])


def thread_parent(ws: Workspace, channel: Channel, thread_ts: str | None) -> str | None:
    if thread_ts is None:
        return None
    root = ws.thread_root(channel.id, thread_ts)
    if root is None:
        raise ApiError("thread_not_found")
    return root
