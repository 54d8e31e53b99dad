"""Whether Slack answers `auth.test`, checked off the start-up path.

Bolt calls `auth.test` inside `App()` and raises when Slack cannot be reached, so a Slack
outage during a deploy stopped `serve`, `socket` and `clock` with a traceback. `create_app`
turns Bolt's check off; this one runs in a daemon thread instead, retried with back-off until
Slack answers. `/healthz` reports the state; the log gets one WARNING when Slack cannot be
reached and one INFO line when it can again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger("procedo.slack_health")

# slack_sdk logs an ERROR for every failed request; the checker reports a failure itself, once.
_client_log = logging.getLogger("procedo.slack_health.client")
_client_log.setLevel(logging.CRITICAL)

State = Literal["unknown", "reachable", "unreachable", "refused"]

# Seconds between attempts; the last one repeats until Slack answers.
RETRY_DELAYS: tuple[float, ...] = (2.0, 5.0, 10.0, 30.0, 60.0)


class SlackHealth:
    """`state`: "unknown" before the first answer, then "reachable", "unreachable" (no answer,
    or a 429/5xx) or "refused" (Slack answered but refused the token, e.g. invalid_auth)."""

    def __init__(self, client: WebClient, *, delays: Sequence[float] = RETRY_DELAYS) -> None:
        # A client of its own with no retry handlers: one attempt per check, our back-off.
        self._client = WebClient(
            token=client.token,
            base_url=client.base_url,
            timeout=client.timeout,
            ssl=client.ssl,
            proxy=client.proxy,
            retry_handlers=[],
            logger=_client_log,
        )
        self.delays = tuple(delays) or RETRY_DELAYS
        # One tuple, replaced whole, so a /healthz thread never reads a state with another's
        # reason.
        self._status: tuple[State, str | None] = ("unknown", None)
        self._reachable = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def state(self) -> State:
        return self._status[0]

    def report(self) -> dict[str, Any]:
        """What `/healthz` shows."""
        state, error = self._status
        body: dict[str, Any] = {"slack": state}
        if error:
            body["slack_error"] = error
        return body

    def check(self) -> State:
        """One `auth.test`; logs only when the state changes."""
        try:
            self._client.auth_test()
        except SlackApiError as exc:
            status = exc.response.status_code
            error = str(exc.response.get("error") or f"HTTP {status}")
            self._set("unreachable" if status == 429 or status >= 500 else "refused", error)
        except Exception as exc:  # any failure to get an answer (refused, DNS, timeout...)
            self._set("unreachable", _reason(exc))
        else:
            self._set("reachable", None)
        return self.state

    def start(self) -> SlackHealth:
        """Check now and until Slack answers, in a daemon thread; calling it again is a no-op."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="slack-health", daemon=True)
                self._thread.start()
        return self

    def wait_reachable(self, timeout: float | None = None) -> bool:
        return self._reachable.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            if self.check() == "reachable":
                return
            self._stop.wait(self.delays[min(attempt, len(self.delays) - 1)])
            attempt += 1

    def _set(self, state: State, error: str | None) -> None:
        before, self._status = self._status[0], (state, error)
        if state == "reachable":
            self._reachable.set()
            if before != "reachable":
                log.info("Slack is reachable (auth.test answered)")
        elif state != before:  # once per outage, not once per retry
            what = "refused SLACK_BOT_TOKEN" if state == "refused" else "is unreachable"
            log.warning(
                "Slack %s (auth.test: %s); running anyway, retrying in the background",
                what,
                error,
            )


def _reason(exc: Exception) -> str:
    # urllib wraps the cause (URLError.reason); show that, not "<urlopen error ...>".
    cause = getattr(exc, "reason", None) or exc
    return str(cause) or cause.__class__.__name__
