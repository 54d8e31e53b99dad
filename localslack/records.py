"""Snapshots of the local workspace's state.

Every record is a frozen dataclass. The workspace replaces records instead of mutating them,
and everything handed to a test is a deep copy, so a test can never change LocalSlack's state
by accident (or see it change under its feet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

JSONDict = dict[str, Any]
# state.values as Slack sends it: {block_id: {action_id: {"type": ..., <value keys>}}}
StateValues = dict[str, dict[str, JSONDict]]


@dataclass(frozen=True)
class User:
    id: str
    name: str
    real_name: str
    email: str | None
    tz: str
    locale: str
    is_bot: bool = False
    is_admin: bool = False
    deleted: bool = False


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    # Human members; the bot's membership is `bot_member` (a DM always includes the bot).
    members: tuple[str, ...] = ()
    bot_member: bool = True
    user: str | None = None  # the human side of a DM
    created: int = 0

    @property
    def label(self) -> str:
        return f"@{self.name}" if self.is_im else f"#{self.name}"


@dataclass(frozen=True)
class Message:
    ts: str
    channel: str
    user: str
    text: str
    blocks: list[JSONDict]
    thread_ts: str | None
    files: list[JSONDict]
    edited_at: datetime | None
    bot: bool
    deleted: bool = False
    metadata: JSONDict | None = None
    attachments: list[JSONDict] = field(default_factory=list)
    revision: int = 0  # bumped on every change, so observers can tell edits apart

    @property
    def is_reply(self) -> bool:
        return self.thread_ts is not None and self.thread_ts != self.ts


@dataclass(frozen=True)
class Ephemeral:
    user: str
    channel: str
    text: str
    blocks: list[JSONDict]
    ts: str
    via: str  # "chat.postEphemeral", "response_url", "command_ack" or "slack" (its own error)
    thread_ts: str | None = None
    deleted: bool = False
    revision: int = 0


@dataclass(frozen=True)
class View:
    id: str
    user: str
    type: str  # "modal" or "home"
    callback_id: str | None
    private_metadata: str
    blocks: list[JSONDict]
    title: str
    submit: str | None
    close: str | None
    state_values: StateValues
    hash: str
    external_id: str | None
    errors: dict[str, str]
    notify_on_close: bool = False
    clear_on_close: bool = False
    root_view_id: str | None = None
    previous_view_id: str | None = None
    banner: str | None = None  # Slack's own error at the top, after a failed submission


@dataclass(frozen=True)
class ApiCall:
    method: str
    args: JSONDict
    ok: bool
    error: str | None
    status: int
    at: datetime
    response: JSONDict | None = None

    def summary(self) -> str:
        outcome = "ok" if self.ok else f"error={self.error}"
        keys = ", ".join(sorted(self.args))
        return f"{self.at.strftime('%H:%M:%S')} {self.method} [{self.status} {outcome}] ({keys})"


@dataclass(frozen=True)
class FileRecord:
    id: str
    name: str
    title: str
    user: str
    mimetype: str
    size: int
    content: bytes
    created: datetime
    uploaded: bool = False
    channels: tuple[str, ...] = ()
    alt_txt: str | None = None

    @property
    def filetype(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else "binary"


@dataclass(frozen=True)
class BotResponse:
    """What the bot answered to a request the driver sent it."""

    status: int  # 0: no answer before the driver gave up
    headers: dict[str, str]
    body: str
    json: Any | None
    elapsed: float = 0.0  # real seconds; Slack gives up on an ack after 3

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300
