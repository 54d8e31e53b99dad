"""Sending signed requests to the bot, as Slack does.

The timestamp is real wall-clock time (not the injected clock): the bot checks it against its
own clock, and a fake clock parked in 2026 would make every request look stale.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any, Literal

from slack_sdk.signature import SignatureVerifier

from localslack.records import BotResponse

SignMode = Literal["good", "bad", "stale", "missing"]
STALE_BY = 600  # seconds; Slack's SDKs reject anything older than 5 minutes


def signed_headers(secret: str, body: str, sign: SignMode = "good") -> dict[str, str]:
    if sign == "missing":
        return {}
    timestamp = int(time.time()) - (STALE_BY if sign == "stale" else 0)
    signature = SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body)
    if sign == "bad" or signature is None:
        signature = "v0=" + "0" * 64
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}


def _decode(body: str) -> Any | None:
    try:
        return json.loads(body) if body.strip() else None
    except ValueError:
        return None


def post_signed(
    url: str,
    body: str,
    content_type: str,
    secret: str,
    *,
    sign: SignMode = "good",
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> BotResponse:
    if not url:
        raise AssertionError("ls.bot_events_url is not set: where should Slack send requests?")
    all_headers = {
        "Content-Type": content_type,
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        **signed_headers(secret, body, sign),
        **(headers or {}),
    }
    # The URL is the bot's own endpoint, set by the test harness.
    request = urllib.request.Request(url, body.encode(), all_headers, method="POST")  # noqa: S310
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, answer = response.status, response.read().decode("utf-8", "replace")
            reply_headers = dict(response.headers.items())
    except urllib.error.HTTPError as exc:
        status, answer = exc.code, exc.read().decode("utf-8", "replace")
        reply_headers = dict(exc.headers.items())
    except TimeoutError:
        # Connected but no answer in time: what Slack calls operation_timeout.
        return BotResponse(0, {}, "", None, time.monotonic() - started)
    except (urllib.error.URLError, OSError) as exc:
        raise ConnectionError(f"the bot is not reachable at {url}: {exc}") from exc
    elapsed = time.monotonic() - started
    return BotResponse(status, reply_headers, answer, _decode(answer), elapsed)
