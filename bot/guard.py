"""The gate in front of Bolt: nothing reaches Bolt, the database, the network or the log
(beyond one WARNING line) until a request is the right size, correctly signed and well formed.

Bolt parses the body before it checks the signature, and slack_sdk's check raises on a
timestamp that is not an integer; either way the global error handler saw an "unexpected"
error and answered the `response_url` the (unsigned) body named. Here the raw bytes are
checked first: too big → 413, bad signing headers or signature → 401, a body Slack would never
send (not UTF-8, not JSON where JSON is due, a payload that is not an object, actions that are
not a list of objects) → 400.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

log = logging.getLogger("procedo.web")

MAX_BODY = 1024 * 1024  # Slack's payloads are a few KB; a modal's state stays well below this
MAX_SKEW = 300  # seconds, as Slack's SDKs
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


class Refusal(Exception):
    """The answer for a request that goes no further; `why` is for the log, never the body."""

    def __init__(self, status: int, error: str, why: str) -> None:
        super().__init__(f"{status} {error}: {why}")
        self.status, self.error, self.why = status, error, why


def read_body(environ: dict[str, Any]) -> bytes:
    """At most MAX_BODY bytes of the body, or a 413 refusal."""
    raw_length = str(environ.get("CONTENT_LENGTH") or "").strip()
    if raw_length and not re.fullmatch(r"[0-9]{1,18}", raw_length):
        raise Refusal(400, "bad request", "Content-Length is not a number")
    length = int(raw_length) if raw_length else None
    if length is not None and length > MAX_BODY:
        raise Refusal(413, "payload too large", f"Content-Length {length}")
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    body: bytes = stream.read(length if length is not None else MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise Refusal(413, "payload too large", "body over the limit")
    return body


def verify_signature(
    environ: dict[str, Any],
    body: bytes,
    secret: str,
    now: Callable[[], float] = time.time,
) -> None:
    """Slack's v0 signature over the raw bytes; a 401 refusal for anything else."""
    timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
    signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
    if not timestamp or not signature:
        raise Refusal(401, "invalid request", "signing headers missing")
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        raise Refusal(401, "invalid request", "signing headers malformed")
    if abs(now() - int(timestamp)) > MAX_SKEW:
        raise Refusal(401, "invalid request", "stale timestamp")
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise Refusal(401, "invalid request", "bad signature")


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise Refusal(400, "bad request", f"{what} is not JSON") from None
    if not isinstance(data, dict):
        raise Refusal(400, "bad request", f"{what} is not a JSON object")
    return data


def check_shape(environ: dict[str, Any], body: bytes) -> None:
    """A signed body that Slack would never send is refused, not handed to Bolt."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal(400, "bad request", "body is not UTF-8") from None
    content_type = str(environ.get("CONTENT_TYPE") or "").lower()
    if "json" in content_type:
        _check_payload(_json_object(text, "body"))
        return
    form = parse_qs(text, keep_blank_values=True)
    if "payload" in form:
        _check_payload(_json_object(form["payload"][0], "payload"))


def _check_payload(data: dict[str, Any]) -> None:
    if data.get("type") == "block_actions":
        actions = data.get("actions")
        if not isinstance(actions, list) or not actions:
            raise Refusal(400, "bad request", "block_actions without actions")
        if not all(isinstance(a, dict) for a in actions):
            raise Refusal(400, "bad request", "an action is not an object")
    if data.get("type") in ("view_submission", "view_closed"):
        # Bolt reads view.type and view.callback_id before any listener could answer.
        view = data.get("view")
        if not isinstance(view, dict) or not isinstance(view.get("type"), str):
            raise Refusal(400, "bad request", f"{data['type']} without a view")


def admit(environ: dict[str, Any], secret: str) -> bytes:
    """The body of a request fit for Bolt, or a `Refusal` (logged as one WARNING line)."""
    try:
        body = read_body(environ)
        verify_signature(environ, body, secret)
        check_shape(environ, body)
    except Refusal as refusal:
        log.warning("refused a request to /slack/events: %s", refusal)
        raise
    return body
