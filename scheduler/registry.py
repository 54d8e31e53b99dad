"""Job kinds and the functions that run them, plus the outcomes a job function can signal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from store.jobs import ClaimedJob

JobHandler = Callable[[ClaimedJob], None]


class Deferred(Exception):
    """Try again at `until` without spending an attempt (Slack asked us to slow down)."""

    def __init__(self, until: datetime, reason: str) -> None:
        super().__init__(reason)
        self.until = until


class PermanentFailure(Exception):
    """Retrying cannot help (the channel is gone, the blocks are invalid): dead at once."""


class JobRegistry:
    def __init__(self) -> None:
        self._handlers: dict[str, JobHandler] = {}

    def register(self, kind: str, handler: JobHandler) -> None:
        if kind in self._handlers:
            raise ValueError(f"job kind {kind!r} registered twice")
        self._handlers[kind] = handler

    def handler(self, kind: str) -> JobHandler | None:
        return self._handlers.get(kind)

    def kinds(self) -> list[str]:
        return sorted(self._handlers)

    def __contains__(self, kind: object) -> bool:
        return kind in self._handlers
