"""Reading the workspace, and waiting for it to change.

Everything returned is a deep copy taken under the lock. Waiting is done on the workspace's
Condition (every change notifies it), never by sleeping; timeouts are real seconds.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import TypeVar

from localslack import viewstore
from localslack.mrkdwn import searchable
from localslack.records import ApiCall, Channel, Ephemeral, FileRecord, Message, User, View
from localslack.store import Workspace

T = TypeVar("T")


class Queries:
    ws: Workspace

    # -- lookups -----------------------------------------------------------------------

    def user(self, ref: str) -> User:
        user = self.ws.find_user(ref)
        if user is None:
            raise KeyError(f"no user {ref!r}; known: {sorted(u.name for u in self.users())}")
        return user

    def channel(self, ref: str) -> Channel:
        channel = self.ws.find_channel(ref)
        if channel is None:
            known = sorted(c.label for c in self.channels())
            raise KeyError(f"no channel {ref!r}; known: {known}")
        return channel

    def users(self) -> list[User]:
        with self.ws.lock:
            return list(self.ws.users.values())

    def channels(self, *, include_dms: bool = False) -> list[Channel]:
        with self.ws.lock:
            return [c for c in self.ws.channels.values() if include_dms or not c.is_im]

    def dm_channel(self, user: str) -> Channel | None:
        """The user's DM with the bot, if it exists yet."""
        with self.ws.lock:
            dm_id = self.ws.dm_ids.get(self.user(user).id)
            return self.ws.channels[dm_id] if dm_id else None

    # -- messages ----------------------------------------------------------------------

    def messages(
        self, channel: str, *, include_threads: bool = False, include_deleted: bool = False
    ) -> list[Message]:
        """Top-level messages (and replies if asked), oldest first."""
        with self.ws.lock:
            stored = self.ws.messages.get(self.channel(channel).id, [])
            return copy.deepcopy(
                [
                    m
                    for m in stored
                    if (include_threads or not m.is_reply) and (include_deleted or not m.deleted)
                ]
            )

    def replies(self, channel: str, thread_ts: str) -> list[Message]:
        with self.ws.lock:
            channel_id = self.channel(channel).id
            root = self.ws.thread_root(channel_id, thread_ts) or thread_ts
            found = self.ws.replies_of(channel_id, root)
            return copy.deepcopy([m for m in found if not m.deleted])

    def message(self, channel: str, ts: str) -> Message:
        found = self.ws.find_message(self.channel(channel).id, ts)
        if found is None:
            raise KeyError(f"no message {ts} in {channel}")
        return copy.deepcopy(found)

    def dm(self, user: str) -> list[Message]:
        """The bot<->user DM, replies included, oldest first."""
        with self.ws.lock:
            channel = self.dm_channel(user)
            if channel is None:
                return []
            return self.messages(channel.id, include_threads=True)

    def ephemerals(self, user: str, channel: str | None = None) -> list[Ephemeral]:
        with self.ws.lock:
            user_id = self.user(user).id
            channel_id = self.channel(channel).id if channel else None
            return copy.deepcopy(
                [
                    e
                    for e in self.ws.ephemerals
                    if e.user == user_id
                    and not e.deleted
                    and (channel_id is None or e.channel == channel_id)
                ]
            )

    def text_of(self, item: Message | Ephemeral) -> str:
        """All of an item's text, raw and as shown (mentions resolved to names)."""
        attachments = item.attachments if isinstance(item, Message) else []
        return searchable(item.text, item.blocks, attachments, self._user_name, self._channel_name)

    def _user_name(self, user_id: str) -> str | None:
        user = self.ws.users.get(user_id)
        return user.name if user else None

    def _channel_name(self, channel_id: str) -> str | None:
        channel = self.ws.channels.get(channel_id)
        return channel.name if channel else None

    # -- views, files, calls -----------------------------------------------------------

    def view(self, user: str) -> View | None:
        return copy.deepcopy(viewstore.top(self.ws, self.user(user).id))

    def views(self, user: str) -> list[View]:
        return copy.deepcopy(viewstore.stack_of(self.ws, self.user(user).id))

    def home(self, user: str) -> View | None:
        return copy.deepcopy(viewstore.home_of(self.ws, self.user(user).id))

    def file(self, file_id: str) -> FileRecord:
        with self.ws.lock:
            return copy.deepcopy(self.ws.files[file_id])

    def calls(self, method: str | None = None) -> list[ApiCall]:
        with self.ws.lock:
            return copy.deepcopy([c for c in self.ws.calls if method in (None, c.method)])

    # -- waiting -----------------------------------------------------------------------

    @property
    def version(self) -> int:
        """Bumped by every change; see `wait_change`."""
        return self.ws.version

    def wait_for(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, message: str = "condition"
    ) -> T:
        """The first truthy value of `predicate`, re-evaluated after every change."""
        deadline = time.monotonic() + timeout
        with self.ws.cond:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._timeout_report(message, timeout))
                self.ws.cond.wait(remaining)

    def wait_until(self, predicate: Callable[[], object], timeout: float) -> bool:
        """Like `wait_for`, but answers False on timeout instead of raising."""
        deadline = time.monotonic() + timeout
        with self.ws.cond:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.ws.cond.wait(remaining)
            return True

    def wait_change(self, since: int, timeout: float) -> bool:
        """True once `version` moved past `since`; False after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self.ws.cond:
            while self.ws.version == since:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.ws.cond.wait(remaining)
            return True

    def _timeout_report(self, message: str, timeout: float) -> str:
        recent = [c.summary() for c in self.ws.calls[-15:]]
        lines = [f"timed out after {timeout}s waiting for: {message}", "recent API calls:"]
        lines += [f"  {line}" for line in recent] or ["  (none)"]
        return "\n".join(lines)

    def _matches(self, item: Message | Ephemeral, contains: str | None) -> bool:
        return contains is None or contains in self.text_of(item)

    def wait_message(
        self,
        channel: str,
        contains: str | None = None,
        *,
        thread_ts: str | None = None,
        after: str | None = None,
        timeout: float = 5.0,
    ) -> Message:
        """The newest message in `channel` (replies included, or only `thread_ts`'s)."""

        def find() -> Message | None:
            pool = (
                self.replies(channel, thread_ts)
                if thread_ts
                else self.messages(channel, include_threads=True)
            )
            return next(
                (
                    m
                    for m in reversed(pool)
                    if self._matches(m, contains) and (after is None or float(m.ts) > float(after))
                ),
                None,
            )

        where = f" in thread {thread_ts}" if thread_ts else ""
        return self.wait_for(
            find, timeout, f"a message in {channel}{where} containing {contains!r}"
        )

    def wait_dm(self, user: str, contains: str | None = None, *, timeout: float = 5.0) -> Message:
        def find() -> Message | None:
            return next((m for m in reversed(self.dm(user)) if self._matches(m, contains)), None)

        return self.wait_for(find, timeout, f"a DM to {user} containing {contains!r}")

    def wait_ephemeral(
        self,
        user: str,
        contains: str | None = None,
        *,
        channel: str | None = None,
        timeout: float = 5.0,
    ) -> Ephemeral:
        def find() -> Ephemeral | None:
            pool = reversed(self.ephemerals(user, channel))
            return next((e for e in pool if self._matches(e, contains)), None)

        return self.wait_for(find, timeout, f"an ephemeral for {user} containing {contains!r}")

    def wait_view(
        self,
        user: str,
        callback_id: str | None = None,
        *,
        contains: str | None = None,
        timeout: float = 5.0,
    ) -> View:
        """The user's top modal, once it has `callback_id` (and `contains` in its text)."""

        def find() -> View | None:
            view = self.view(user)
            if view is None or callback_id not in (None, view.callback_id):
                return None
            shown = searchable(view.title, view.blocks, None, self._user_name, self._channel_name)
            return view if contains is None or contains in shown else None

        return self.wait_for(find, timeout, f"a modal for {user} with callback_id {callback_id!r}")

    def wait_home(self, user: str, contains: str | None = None, *, timeout: float = 5.0) -> View:
        def find() -> View | None:
            view = self.home(user)
            if view is None:
                return None
            shown = searchable("", view.blocks, None, self._user_name, self._channel_name)
            return view if contains is None or contains in shown else None

        return self.wait_for(find, timeout, f"a Home tab for {user} containing {contains!r}")

    def wait_call(
        self, method: str, *, ok: bool | None = None, count: int = 1, timeout: float = 5.0
    ) -> ApiCall:
        """The `count`-th recorded call of `method` (optionally only ok or only failed ones)."""

        def find() -> ApiCall | None:
            found = [c for c in self.calls(method) if ok in (None, c.ok)]
            return found[count - 1] if len(found) >= count else None

        return self.wait_for(find, timeout, f"call #{count} of {method} (ok={ok})")
