"""The WSGI application: `POST /slack/events` through Bolt, `GET /healthz` for probes."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request import BoltRequest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot import guard
from bot.app import ProcedoApp
from handlers.interaction import ACK_SENT
from handlers.modules import HttpRequest
from store import jobs

log = logging.getLogger("procedo.web")

StartResponse = Callable[..., Any]
MAX_API_BODY = 64 * 1024


class _SlackHandler(SlackRequestHandler):
    """Bolt's WSGI adapter, handing each request the event set once its answer is sent."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        return self.app.dispatch(
            BoltRequest(
                body=request.get_body(),
                query=request.query_string,
                headers=request.get_headers(),
                context={ACK_SENT: request.environ[ACK_SENT]},
            )
        )


class _SetOnClose:
    """A WSGI body whose `close()` (called by the server once the answer is written) sets
    `sent`: only then has Slack the ack, so only then may the listener call Slack."""

    def __init__(self, body: Iterable[bytes], sent: threading.Event) -> None:
        self.body, self.sent = body, sent

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        self.sent.set()


# /healthz answers within this, whatever the database does: a probe that hangs gets the
# process restarted for the wrong reason (or never restarted).
HEALTH_DEADLINE = 1.5


class WebApp:
    def __init__(self, app: ProcedoApp) -> None:
        self.app = app
        self.slack = _SlackHandler(app)
        # The database check runs here, so a connection that hangs holds a worker of its own
        # and not the probe's answer.
        self._health_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="health")

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/slack/events":
            if method != "POST":
                return _json(start_response, 405, {"error": "use POST"})
            try:
                verified = guard.admit(environ, self.app.signing_secret)
            except guard.Refusal as refusal:
                return _json(start_response, refusal.status, {"error": refusal.error})
            # Bolt reads the body again: hand it exactly the bytes that were verified.
            environ["wsgi.input"] = io.BytesIO(verified)
            environ["CONTENT_LENGTH"] = str(len(verified))
            sent = environ[ACK_SENT] = threading.Event()
            return _SetOnClose(self.slack(environ, start_response), sent)
        if path == "/healthz" and method in ("GET", "HEAD"):
            status, body = self.health()
            return _json(start_response, status, body)
        if path.startswith("/api/"):
            return self.api(environ, start_response, method, path)
        return _json(start_response, 404, {"error": "not found"})

    def api(
        self, environ: dict[str, Any], start_response: StartResponse, method: str, path: str
    ) -> list[bytes]:
        """A module's own endpoint (e.g. indicator values from other systems)."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_API_BODY:
            return _json(start_response, 413, {"error": "body too large"})
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        headers = {
            key[5:].replace("_", "-").lower(): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        request = HttpRequest(method=method, path=path, headers=headers, body=body)
        for route in self.app.http_routes:
            answer = route(request)
            if answer is not None:
                return _json(start_response, *answer)
        return _json(start_response, 404, {"error": "not found"})

    def health(self) -> tuple[int, dict[str, Any]]:
        """200 with the clock's job counts when the database answers, 503 when it does not.

        Slack's state is reported but never turns the answer into a 503: the process serves
        and queues deliveries while Slack is away, so it must not be restarted for it."""
        deps = self.app.deps
        slack = self.app.slack_health.report()

        def check() -> dict[str, int]:
            with deps.sessions.read() as session:
                session.execute(text("SELECT 1"))
                return jobs.counts(session, deps.clock.now())

        try:
            counts = self._health_pool.submit(check).result(timeout=HEALTH_DEADLINE)
        except FutureTimeout:
            log.warning("health check: the database did not answer in %ss", HEALTH_DEADLINE)
            return 503, {"status": "unavailable", "database": "timeout", **slack}
        except SQLAlchemyError as exc:
            log.warning("health check: database unavailable: %s", exc.__class__.__name__)
            return 503, {"status": "unavailable", "database": "down", **slack}
        return 200, {"status": "ok", "database": "up", **slack, "jobs": counts}


def _json(start_response: StartResponse, status: int, body: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(body).encode()
    reason = {
        200: "OK",
        400: "Bad Request",
        401: "Unauthorized",
        404: "Not Found",
        405: "Method Not Allowed",
        413: "Payload Too Large",
        422: "Unprocessable Entity",
        503: "Service Unavailable",
    }
    start_response(
        f"{status} {reason.get(status, '')}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]
