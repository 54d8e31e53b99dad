"""Delivery to Slack that loses nothing.

Every message the clock sends — and any message a listener must not lose — goes through
`Deliverer`: posts are paced per channel (about one a second, Slack's guidance), a 429 blocks
only its own channel until `Retry-After` has passed (the job is deferred, no thread waits),
5xx and connection errors are retried by the client and then by the job's own back-off, and
errors no retry can fix are reported as permanent.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from procedures.clock import Clock
from scheduler.registry import Deferred, PermanentFailure

log = logging.getLogger("procedo.delivery")

# Errors that retrying will not fix: report and stop.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "msg_blocks_too_long",
        "no_text",
        "user_not_found",
        "user_not_in_channel",
        "cant_update_message",
        "message_not_found",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "missing_scope",
        "not_allowed_token_type",
        "invalid_arguments",
    }
)


class Deliverer:
    def __init__(self, client: WebClient, clock: Clock, *, per_channel_interval: float = 1.0):
        self.client = client
        self.clock = clock
        self.interval = timedelta(seconds=per_channel_interval)
        self._lock = threading.Lock()
        self._next_slot: dict[str, datetime] = {}
        self._blocked_until: dict[str, datetime] = {}

    def post(
        self,
        channel: str,
        *,
        text: str,
        blocks: Sequence[Mapping[str, Any]] | None = None,
        thread_ts: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """chat.postMessage, paced per channel. Returns Slack's answer (with `ts`)."""
        self._wait_for_slot(channel)
        args: dict[str, Any] = {"channel": channel, "text": text, **extra}
        if blocks is not None:
            args["blocks"] = list(blocks)
        if thread_ts:
            args["thread_ts"] = thread_ts
        return self._call("chat.postMessage", channel, args)

    def update(
        self,
        channel: str,
        ts: str,
        *,
        text: str,
        blocks: Sequence[Mapping[str, Any]] | None = None,
    ) -> dict[str, Any]:
        args: dict[str, Any] = {"channel": channel, "ts": ts, "text": text}
        if blocks is not None:
            args["blocks"] = list(blocks)
        return self._call("chat.update", channel, args)

    def ephemeral(
        self,
        channel: str,
        user: str,
        *,
        text: str,
        blocks: Sequence[Mapping[str, Any]] | None = None,
        thread_ts: str | None = None,
    ) -> dict[str, Any]:
        self._wait_for_slot(channel)
        args: dict[str, Any] = {"channel": channel, "user": user, "text": text}
        if blocks is not None:
            args["blocks"] = list(blocks)
        if thread_ts:
            args["thread_ts"] = thread_ts
        return self._call("chat.postEphemeral", channel, args)

    def dm(
        self, user: str, *, text: str, blocks: Sequence[Mapping[str, Any]] | None = None
    ) -> dict[str, Any]:
        """A direct message: posting to a user ID opens the bot's DM with them."""
        return self.post(user, text=text, blocks=blocks)

    def upload(
        self,
        channel: str,
        *,
        filename: str,
        content: bytes,
        title: str,
        initial_comment: str | None = None,
    ) -> dict[str, Any]:
        self._wait_for_slot(channel)
        try:
            response = self.client.files_upload_v2(
                channel=channel,
                filename=filename,
                content=content,
                title=title,
                initial_comment=initial_comment,
            )
        except SlackApiError as exc:
            self._raise_for(exc, channel, "files.upload")
        return dict(response.data) if isinstance(response.data, dict) else {}

    # -- internals ---------------------------------------------------------------------------

    def _wait_for_slot(self, channel: str) -> None:
        now = self.clock.now()
        with self._lock:
            blocked = self._blocked_until.get(channel)
            if blocked is not None and blocked > now:
                raise Deferred(blocked, f"{channel} rate limited until {blocked.isoformat()}")
            slot = max(now, self._next_slot.get(channel, now))
            self._next_slot[channel] = slot + self.interval
        wait = (slot - now).total_seconds()
        if wait > 0:
            self.clock.sleep(wait)

    def _call(self, method: str, channel: str, args: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.client.api_call(method, json=args)
        except SlackApiError as exc:
            self._raise_for(exc, channel, method)
        return dict(response.data) if isinstance(response.data, dict) else {}

    def _raise_for(self, exc: SlackApiError, channel: str, method: str) -> Any:
        status = exc.response.status_code
        error = str(exc.response.get("error", "")) if isinstance(exc.response.data, dict) else ""
        if status == 429 or error == "ratelimited":
            headers = exc.response.headers or {}
            retry_after = _retry_after(headers)
            until = self.clock.now() + timedelta(seconds=retry_after)
            with self._lock:
                self._blocked_until[channel] = until
            log.info("%s on %s rate limited; channel paused %ss", method, channel, retry_after)
            raise Deferred(until, f"{method} rate limited on {channel}") from None
        if error in PERMANENT_ERRORS:
            raise PermanentFailure(f"{method} to {channel}: {error}") from None
        raise exc


def _retry_after(headers: Mapping[str, Any]) -> float:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(1.0, float(raw))
            except (TypeError, ValueError):
                break
    return 1.0
