"""Per-channel pacing: when the next post to a channel may go out.

Slack asks for about one message a second per channel, and answers 429 with `Retry-After` when
a channel gets more. Every attempt takes a slot — first posts and slack_sdk's own retries of
5xx and connection errors alike (`SlotTakingRetry`) — so a retry storm cannot burst a channel.

`LocalPacer` paces the posts of one process. `DatabasePacer` keeps the slots in the database
(`channel_slots`), so the web process and any number of clocks keep one pace between them. It
takes each slot on a connection of its own in a short transaction, never inside the caller's
unit of work; on SQLite, where that would wait for the caller's own write lock, a post made
inside a unit of work is paced in-process instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from scheduler.registry import Deferred
from store import pacing
from store.db import Sessions

log = logging.getLogger("procedo.delivery")

# A post waits at most this long for its channel's slot; beyond, its job is deferred to the
# slot (no attempt spent), so a backlog for one channel never holds workers other channels need.
MAX_WAIT = timedelta(seconds=5)


class Pacer(Protocol):
    def take(self, channel: str, now: datetime) -> datetime:
        """Reserve the channel's next slot and return it (now or later); raise `Deferred` if
        it is more than `MAX_WAIT` away."""
        ...

    def hold(self, channel: str, until: datetime) -> None:
        """No post to the channel before `until` (Slack said 429)."""
        ...


class LocalPacer:
    def __init__(self, interval: timedelta, max_wait: timedelta = MAX_WAIT) -> None:
        self.interval, self.max_wait = interval, max_wait
        self._lock = threading.Lock()
        self._next: dict[str, datetime] = {}

    def take(self, channel: str, now: datetime) -> datetime:
        with self._lock:
            slot = max(now, self._next.get(channel, now))
            if slot > now + self.max_wait:
                raise Deferred(slot, f"{channel} paced until {slot.isoformat()}")
            self._next[channel] = slot + self.interval
        return slot

    def hold(self, channel: str, until: datetime) -> None:
        with self._lock:
            self._next[channel] = max(until, self._next.get(channel, until))


class DatabasePacer:
    def __init__(
        self, sessions: Sessions, interval: timedelta, max_wait: timedelta = MAX_WAIT
    ) -> None:
        self.sessions, self.interval, self.max_wait = sessions, interval, max_wait
        self.local = LocalPacer(interval, max_wait)
        self._sqlite = sessions.dialect == "sqlite"

    def _in_process(self) -> bool:
        return self._sqlite and self.sessions.in_unit

    def take(self, channel: str, now: datetime) -> datetime:
        if self._in_process():
            return self.local.take(channel, now)
        with self.sessions.engine.begin() as connection:
            taken, slot = pacing.take(
                connection, channel, now=now, interval=self.interval, max_wait=self.max_wait
            )
        if not taken:
            raise Deferred(slot, f"{channel} paced until {slot.isoformat()}")
        return slot

    def hold(self, channel: str, until: datetime) -> None:
        if self._in_process():
            self.local.hold(channel, until)
            return
        with self.sessions.engine.begin() as connection:
            pacing.hold_until(connection, channel, until)


class SlotTakingRetry(RetryHandler):
    """Wraps one of the client's retry handlers: after its back-off, the retry waits for the
    channel's next slot (`wait_for_slot`, a no-op outside a delivery), like a first post."""

    def __init__(self, inner: RetryHandler, wait_for_slot: Callable[[], None]) -> None:
        super().__init__(max_retry_count=inner.max_retry_count)
        self.inner, self.wait_for_slot = inner, wait_for_slot

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return self.inner.can_retry(state=state, request=request, response=response, error=error)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        self.inner.prepare_for_next_attempt(
            state=state, request=request, response=response, error=error
        )
        self.wait_for_slot()
