"""The bot's WebClient: Slack's API URL from settings, and retries that honour Slack.

slack_sdk retries only connection errors by default. We add its rate-limit handler (429,
honouring `Retry-After`) and a server-error handler (any 5xx), and make every handler wait on
the injected clock, so a test's fake clock lets retries happen without sleeping.
"""

from __future__ import annotations

import logging
import random
from http.client import RemoteDisconnected
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from procedures.clock import Clock

log = logging.getLogger(__name__)

MAX_RATE_LIMIT_WAIT = 30.0  # seconds; beyond this, give up and let the caller decide


def retry_after_seconds(response: HttpResponse) -> float:
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(0.0, float(values[0]))
            except ValueError:
                break
    return 1.0


class ClockBackoff:
    """Exponential back-off with jitter, waited on an injected clock."""

    def __init__(self, clock: Clock, base: float = 0.5, cap: float = 8.0) -> None:
        self.clock, self.base, self.cap = clock, base, cap

    def wait(self, attempt: int) -> None:
        delay = min(self.cap, self.base * (2**attempt))
        self.clock.sleep(delay * (0.5 + random.random() / 2))


class WaitsOnClock(RetryHandler):
    """Back off on the injected clock instead of slack_sdk's `time.sleep`."""

    _backoff: ClockBackoff

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        self._backoff.wait(state.current_attempt)
        state.increment_current_attempt()


class ConnectionRetry(WaitsOnClock, ConnectionErrorRetryHandler):
    def __init__(self, clock: Clock, max_retry_count: int = 3) -> None:
        ConnectionErrorRetryHandler.__init__(
            self,
            max_retry_count=max_retry_count,
            error_types=[URLError, ConnectionError, RemoteDisconnected, TimeoutError],
        )
        self._backoff = ClockBackoff(clock)


class ServerErrorRetry(WaitsOnClock):
    """Any 5xx: Slack's own handler retries only 500 and 503."""

    def __init__(self, clock: Clock, max_retry_count: int = 3) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._backoff = ClockBackoff(clock)

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and 500 <= response.status_code < 600


class RateLimitRetry(RateLimitErrorRetryHandler):
    """429: wait what `Retry-After` says (on the clock), unless that is unreasonably long."""

    def __init__(self, clock: Clock, max_retry_count: int = 3) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._clock = clock

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return (
            response is not None
            and response.status_code == 429
            and retry_after_seconds(response) <= MAX_RATE_LIMIT_WAIT
        )

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        assert response is not None
        state.next_attempt_requested = True
        wait = retry_after_seconds(response)
        log.info("slack rate limited on %s; waiting %.1fs", request.url.rsplit("/", 1)[-1], wait)
        self._clock.sleep(wait + random.random() / 4)
        state.increment_current_attempt()


def make_client(
    token: str,
    base_url: str,
    clock: Clock,
    *,
    timeout: float = 10.0,
    rate_limit_retries: bool = True,
) -> WebClient:
    """A WebClient for the bot. `rate_limit_retries=False` leaves 429s to the caller (the
    delivery path reschedules instead of holding a thread)."""
    handlers: list[RetryHandler] = [ConnectionRetry(clock), ServerErrorRetry(clock)]
    if rate_limit_retries:
        handlers.append(RateLimitRetry(clock))
    return WebClient(
        token=token,
        base_url=base_url,
        # slack_sdk annotates an int, but urllib takes fractions of a second too.
        timeout=timeout,  # type: ignore[arg-type]
        retry_handlers=handlers,
        logger=logging.getLogger("procedo.slack"),
    )
