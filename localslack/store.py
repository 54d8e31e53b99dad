"""The workspace's state: one re-entrant lock and one Condition guard all of it.

HTTP handler threads, drivers and test threads all go through here. Every change ends with
`touch()`, which bumps `version` and wakes anything blocked in `wait_for`.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from localslack.acks import AckTracker
from localslack.faults import ChannelRateLimiter, FaultPlan
from localslack.ids import Ids
from localslack.records import (
    ApiCall,
    Channel,
    Ephemeral,
    FileRecord,
    JSONDict,
    Message,
    StateValues,
    User,
    View,
)
from procedures.clock import Clock


@dataclass(frozen=True)
class Config:
    team_id: str
    team_domain: str
    bot_user_id: str
    bot_id: str
    app_id: str
    bot_name: str
    bot_token: str
    signing_secret: str
    verification_token: str


@dataclass(frozen=True)
class Trigger:
    id: str
    user: str
    issued: datetime
    used: bool = False


@dataclass(frozen=True)
class Hook:
    """A response_url: who it answers, where, and (for interactions) the original message."""

    token: str
    user: str
    channel: str
    kind: str  # "command" or "message"
    created: datetime
    original_ts: str | None = None
    original_ephemeral: bool = False
    thread_ts: str | None = None
    uses: int = 0


class Workspace:
    def __init__(self, clock: Clock, config: Config) -> None:
        self.clock = clock
        self.config = config
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self.version = 0
        self.ids = Ids(config.team_id)
        self.base_url = ""  # "http://127.0.0.1:PORT/" once the server listens
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.dm_ids: dict[str, str] = {}
        self.messages: dict[str, list[Message]] = {}
        self.ephemerals: list[Ephemeral] = []
        self.views: dict[str, View] = {}
        self.stacks: dict[str, list[str]] = {}
        self.homes: dict[str, str] = {}
        self.fills: dict[str, StateValues] = {}
        self.message_state: dict[tuple[str, str, str], StateValues] = {}
        self.files: dict[str, FileRecord] = {}
        self.triggers: dict[str, Trigger] = {}
        self.hooks: dict[str, Hook] = {}
        self.calls: list[ApiCall] = []
        self.faults = FaultPlan()
        self.rate = ChannelRateLimiter()
        self.acks = AckTracker()

    # -- bookkeeping -------------------------------------------------------------------

    def touch(self) -> None:
        with self.cond:
            self.version += 1
            self.cond.notify_all()

    def now(self) -> datetime:
        return self.clock.now()

    def record(self, call: ApiCall) -> None:
        with self.lock:
            self.calls.append(call)
            self.touch()

    # -- people and places -------------------------------------------------------------

    def add_user(self, user: User) -> User:
        with self.lock:
            self.users[user.id] = user
            self.touch()
            return user

    def find_user(self, ref: str | None) -> User | None:
        if not ref:
            return None
        with self.lock:
            ref = ref.removeprefix("@")
            if ref in self.users:
                return self.users[ref]
            return next((u for u in self.users.values() if u.name == ref), None)

    def add_channel(self, channel: Channel) -> Channel:
        with self.lock:
            self.channels[channel.id] = channel
            self.messages.setdefault(channel.id, [])
            self.touch()
            return channel

    def find_channel(self, ref: str | None) -> Channel | None:
        """By id ("C123", "D..."), "#name" or "name"; DMs only by id."""
        if not ref:
            return None
        with self.lock:
            if ref in self.channels:
                return self.channels[ref]
            name = ref.removeprefix("#")
            return next((c for c in self.channels.values() if not c.is_im and c.name == name), None)

    def dm(self, user_id: str) -> Channel:
        """The DM between `user_id` and the bot, created on first use with a stable id."""
        with self.lock:
            if user_id in self.dm_ids:
                return self.channels[self.dm_ids[user_id]]
            base = "D" + (user_id[1:] if user_id.startswith("U") else user_id)
            dm_id = base
            while dm_id in self.channels:
                dm_id = f"{base}{self.ids.dm_suffix()}"
            user = self.users.get(user_id)
            channel = Channel(
                id=dm_id,
                name=user.name if user else user_id,
                is_im=True,
                members=(user_id,),
                bot_member=True,
                user=user_id,
                created=int(self.now().timestamp()),
            )
            self.dm_ids[user_id] = dm_id
            return self.add_channel(channel)

    def conversation(self, ref: str | None) -> Channel | None:
        """What chat.postMessage accepts as `channel`: a channel, a DM, or a user id (-> DM)."""
        channel = self.find_channel(ref)
        if channel is not None:
            return channel
        if ref and ref in self.users and ref != self.config.bot_user_id:
            return self.dm(ref)
        return None

    def is_member(self, channel: Channel, user_id: str) -> bool:
        if user_id == self.config.bot_user_id:
            return channel.bot_member or channel.is_im
        if channel.is_im:
            return channel.user == user_id
        return user_id in channel.members

    def set_membership(self, channel_id: str, user_id: str, member: bool) -> Channel:
        with self.lock:
            channel = self.channels[channel_id]
            if user_id == self.config.bot_user_id:
                channel = replace(channel, bot_member=member)
            else:
                others = tuple(m for m in channel.members if m != user_id)
                channel = replace(channel, members=(*others, user_id) if member else others)
            self.channels[channel_id] = channel
            self.touch()
            return channel

    # -- messages ----------------------------------------------------------------------

    def add_message(
        self,
        channel: str,
        user: str,
        text: str,
        blocks: list[JSONDict] | None = None,
        *,
        thread_ts: str | None = None,
        files: list[JSONDict] | None = None,
        metadata: JSONDict | None = None,
        attachments: list[JSONDict] | None = None,
    ) -> Message:
        with self.lock:
            message = Message(
                ts=self.ids.ts(self.now()),
                channel=channel,
                user=user,
                text=text,
                blocks=copy.deepcopy(blocks or []),
                thread_ts=thread_ts,
                files=copy.deepcopy(files or []),
                edited_at=None,
                bot=user == self.config.bot_user_id,
                metadata=copy.deepcopy(metadata),
                attachments=copy.deepcopy(attachments or []),
            )
            self.messages.setdefault(channel, []).append(message)
            self.touch()
            return message

    def find_message(self, channel: str, ts: str | None) -> Message | None:
        with self.lock:
            return next((m for m in self.messages.get(channel, []) if m.ts == ts), None)

    def thread_root(self, channel: str, ts: str) -> str | None:
        """The parent ts for a reply in `ts`'s thread (a reply's ts leads to its parent)."""
        message = self.find_message(channel, ts)
        if message is None or (message.deleted and not self.replies_of(channel, ts)):
            return None
        return message.thread_ts or message.ts

    def replies_of(self, channel: str, thread_ts: str) -> list[Message]:
        with self.lock:
            return [
                m
                for m in self.messages.get(channel, [])
                if m.thread_ts == thread_ts and m.ts != thread_ts
            ]

    def change_message(self, message: Message, **changes: Any) -> Message:
        with self.lock:
            updated = replace(message, revision=message.revision + 1, **changes)
            stored = self.messages[message.channel]
            for i, m in enumerate(stored):
                if m.ts == message.ts:
                    stored[i] = updated
            self.touch()
            return updated

    def add_ephemeral(
        self,
        user: str,
        channel: str,
        text: str,
        blocks: list[JSONDict] | None,
        via: str,
        thread_ts: str | None = None,
    ) -> Ephemeral:
        with self.lock:
            ephemeral = Ephemeral(
                user=user,
                channel=channel,
                text=text,
                blocks=copy.deepcopy(blocks or []),
                ts=self.ids.ts(self.now()),
                via=via,
                thread_ts=thread_ts,
            )
            self.ephemerals.append(ephemeral)
            self.touch()
            return ephemeral

    def find_ephemeral(self, channel: str, ts: str | None) -> Ephemeral | None:
        with self.lock:
            return next((e for e in self.ephemerals if e.channel == channel and e.ts == ts), None)

    def change_ephemeral(self, ephemeral: Ephemeral, **changes: Any) -> Ephemeral:
        with self.lock:
            updated = replace(ephemeral, revision=ephemeral.revision + 1, **changes)
            self.ephemerals = [updated if e is ephemeral else e for e in self.ephemerals]
            self.touch()
            return updated

    # -- triggers and response_urls ----------------------------------------------------

    def issue_trigger(self, user: str) -> str:
        with self.lock:
            now = self.now()
            trigger = Trigger(id=self.ids.trigger_id(now), user=user, issued=now)
            self.triggers[trigger.id] = trigger
            return trigger.id

    def issue_hook(self, user: str, channel: str, kind: str, **original: Any) -> str:
        with self.lock:
            token = self.ids.hook_token()
            self.hooks[token] = Hook(
                token=token, user=user, channel=channel, kind=kind, created=self.now(), **original
            )
            return f"{self.base_url}response/{token}"

    # -- files -------------------------------------------------------------------------

    def put_file(self, record: FileRecord) -> FileRecord:
        with self.lock:
            self.files[record.id] = record
            self.touch()
            return record
