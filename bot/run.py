"""Long-running entry points: `serve`, `socket` and `clock`. Each refuses to start against a
schema that is behind, so a deploy that forgot `procedo migrate` fails loudly at once."""

from __future__ import annotations

import logging

from bot.app import ProcedoApp, create_app
from bot.settings import Settings, SettingsError
from store.db import ensure_reachable, sessions_for
from store.migrate import ensure_current

log = logging.getLogger("procedo")


def _checked_app(settings: Settings, *, watch_slack: bool = True) -> ProcedoApp:
    from procedures import dates

    sessions = sessions_for(settings)
    ensure_reachable(sessions.engine)
    ensure_current(sessions.engine)
    app = create_app(settings, sessions=sessions)
    if watch_slack:
        app.slack_health.start()  # Slack being down must not stop the start: report, retry
    dates.warm_up()  # dateparser's first call is slow; pay it before the first user does
    return app


def serve(settings: Settings) -> int:
    from bot.servers import GunicornServer, bind_address
    from bot.web import WebApp

    # Check the schema and the policy once before forking workers, so an error is reported
    # once, not once per worker. Slack is watched in the workers: no thread may cross a fork.
    _checked_app(settings, watch_slack=False).deps.sessions.dispose()

    def factory() -> WebApp:
        return WebApp(_checked_app(settings))

    log.info(
        "serving Slack on %s (POST /slack/events, GET /healthz)",
        bind_address(settings.host, settings.port),
    )
    GunicornServer(
        factory, host=settings.host, port=settings.port, threads=settings.web_threads
    ).run()
    return 0


def socket_mode(settings: Settings) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    if settings.slack_app_token is None:
        raise SettingsError(
            "SLACK_APP_TOKEN is missing: expected an app-level token starting with xapp- "
            "(needed for Socket Mode)"
        )
    app = _checked_app(settings)
    # Connecting needs Slack: wait (the checker has said, once, if it is unreachable).
    app.slack_health.wait_reachable()
    log.info("connecting to Slack with Socket Mode")
    SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()  # type: ignore[no-untyped-call]
    return 0


def clock(settings: Settings) -> int:
    from bot.app import create_clock

    app = _checked_app(settings)
    create_clock(app).run_forever(settings.tick_seconds)
    return 0
