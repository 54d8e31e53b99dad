"""The WSGI application: `POST /slack/events` through Bolt, `GET /healthz` for probes."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.app import ProcedoApp
from store import jobs

log = logging.getLogger("procedo.web")

StartResponse = Callable[..., Any]


class WebApp:
    def __init__(self, app: ProcedoApp) -> None:
        self.app = app
        self.slack = SlackRequestHandler(app)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/slack/events":
            if method != "POST":
                return _json(start_response, 405, {"error": "use POST"})
            return self.slack(environ, start_response)
        if path == "/healthz" and method in ("GET", "HEAD"):
            status, body = self.health()
            return _json(start_response, status, body)
        return _json(start_response, 404, {"error": "not found"})

    def health(self) -> tuple[int, dict[str, Any]]:
        """200 with the clock's job counts when the database answers, 503 when it does not.

        Slack's state is reported but never turns the answer into a 503: the process serves
        and queues deliveries while Slack is away, so it must not be restarted for it."""
        deps = self.app.deps
        slack = self.app.slack_health.report()
        try:
            with deps.sessions.begin() as session:
                session.execute(text("SELECT 1"))
                counts = jobs.counts(session, deps.clock.now())
        except SQLAlchemyError as exc:
            log.warning("health check: database unavailable: %s", exc.__class__.__name__)
            return 503, {"status": "unavailable", "database": "down", **slack}
        return 200, {"status": "ok", "database": "up", **slack, "jobs": counts}


def _json(start_response: StartResponse, status: int, body: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(body).encode()
    reason = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}
    start_response(
        f"{status} {reason.get(status, '')}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]
