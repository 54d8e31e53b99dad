"""Delivery to Slack that loses nothing.

Every message the clock sends — and any message a listener must not lose — goes through
`Deliverer`: every attempt at a post, retries included, takes its channel's next slot (about
one a second, Slack's guidance; across processes with `DatabasePacer`, see scheduler.pacing),
a 429 holds only its own channel until `Retry-After` has passed (the job is deferred, no thread
waits), 5xx and connection errors are retried by the client and then by the job's own
back-off, and errors no retry can fix are reported as permanent.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from procedures.clock import Clock
from scheduler.pacing import LocalPacer, Pacer, SlotTakingRetry
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
    def __init__(
        self,
        client: WebClient,
        clock: Clock,
        *,
        per_channel_interval: float = 1.0,
        pacer: Pacer | None = None,
    ) -> None:
        """`pacer`: where slots are kept (default: in this process). The client's retry
        handlers are wrapped so each retry of a post takes a slot too; a client shared with
        other callers is unaffected outside deliveries."""
        self.client = client
        self.clock = clock
        self.interval = timedelta(seconds=per_channel_interval)
        self.pacer: Pacer = pacer or LocalPacer(self.interval)
        self._current = threading.local()  # the channel this thread is posting to
        client.retry_handlers = [
            handler
            if isinstance(handler, SlotTakingRetry)
            else SlotTakingRetry(handler, self._retry_slot)
            for handler in client.retry_handlers
        ]

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
        self._current.channel = channel
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
        finally:
            self._current.channel = None
        return dict(response.data) if isinstance(response.data, dict) else {}

    # -- internals ---------------------------------------------------------------------------

    def _wait_for_slot(self, channel: str) -> None:
        if self.interval <= timedelta(0):
            return  # pacing off (benchmarks, the local sandbox's own setting)
        now = self.clock.now()
        slot = self.pacer.take(channel, now)
        wait = (slot - now).total_seconds()
        if wait > 0:
            self.clock.sleep(wait)

    def _retry_slot(self) -> None:
        channel: str | None = getattr(self._current, "channel", None)
        if channel is not None:
            self._wait_for_slot(channel)

    def _call(self, method: str, channel: str, args: dict[str, Any]) -> dict[str, Any]:
        paced = method != "chat.update"  # editing a message is not a post; Slack does not pace it
        self._current.channel = channel if paced else None
        try:
            response = self.client.api_call(method, json=args)
        except SlackApiError as exc:
            self._raise_for(exc, channel, method)
        finally:
            self._current.channel = None
        return dict(response.data) if isinstance(response.data, dict) else {}

    def _raise_for(self, exc: SlackApiError, channel: str, method: str) -> Any:
        status = exc.response.status_code
        error = str(exc.response.get("error", "")) if isinstance(exc.response.data, dict) else ""
        if status == 429 or error == "ratelimited":
            headers = exc.response.headers or {}
            retry_after = _retry_after(headers)
            until = self.clock.now() + timedelta(seconds=retry_after)
            self.pacer.hold(channel, until)
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
