"""`procedo local`: the bot, a local Slack workspace and the demo org, in one terminal.

Migrates a local SQLite file, imports the bundled demo org, starts localslack and the bot (over
real signed HTTP, as in production) and the clock, then opens a prompt where you type as a user.
Logs go to a file next to the database so the conversation stays readable.
"""

from __future__ import annotations

import logging
import secrets
import sys
from pathlib import Path
from typing import TextIO

from bot import demo
from bot.app import create_app, create_clock
from bot.modules import MODULES
from bot.org import import_org
from bot.servers import BackgroundServer
from bot.settings import load_settings
from bot.slack_client import make_client
from bot.slack_lookup import WebApiLookup
from bot.web import WebApp
from localslack import LocalSlack
from localslack.terminal import Terminal
from procedures import dates
from procedures.clock import SystemClock
from store.db import ensure_reachable, make_sessions
from store.migrate import upgrade

LOCAL_TICK_SECONDS = 1.0


def run_local(
    *,
    db_path: Path,
    user: str | None,
    fresh: bool,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    stdout = stdout or sys.stdout
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    database_url = f"sqlite:///{db_path}"
    sessions = make_sessions(database_url)
    # Before the log file is opened beside it: a bad --db is then one line, not a traceback.
    ensure_reachable(sessions.engine, setting="--db")
    log_path = db_path.with_suffix(".log")
    logging.basicConfig(
        filename=log_path,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )

    clock = SystemClock()
    secret = secrets.token_hex(16)
    token = f"xoxb-local-{secrets.token_hex(8)}"
    # Real Slack never holds a call for an ack: the demo behaves like it (tests enforce).
    ls = LocalSlack(clock=clock, signing_secret=secret, bot_token=token, ack_first="observe")
    ls.start()
    demo.populate(ls)
    settings = load_settings(
        SLACK_BOT_TOKEN=token,
        SLACK_SIGNING_SECRET=secret,
        SLACK_API_URL=ls.api_url,
        DATABASE_URL=database_url,
    )
    upgrade(sessions.engine)
    client = make_client(token, settings.slack_api_url, clock)
    changes = import_org(
        demo.org_text(),
        "demo org",
        sessions=sessions,
        slack=WebApiLookup(client),
        clock=clock,
        actor="procedo local",
    )
    for module in MODULES:
        if module.demo is not None:
            module.demo(sessions, clock)
    # The local workspace has no rate limit; a short pacing keeps the terminal snappy.
    app = create_app(settings, client=client, sessions=sessions, clock=clock, post_interval=0.1)
    app.slack_health.start()
    dates.warm_up()
    server = BackgroundServer(WebApp(app)).start()
    ls.bot_events_url = f"{server.url}/slack/events"
    ticker = create_clock(app)
    ticker.start_background(LOCAL_TICK_SECONDS)

    print(
        f"Procedo local: bot at {server.url}, Slack at {ls.api_url}, database {db_path} "
        f"({'demo org imported' if changes else 'demo org unchanged'}); logs in {log_path}.\n"
        "People: " + ", ".join(u.name for u in demo.USERS) + ". Type `help` for the commands, "
        "`/procedo help` to ask the bot, `as bob` to switch user, `quit` to leave.",
        file=stdout,
    )
    try:
        Terminal(ls, user=user or demo.USERS[0].name, stdin=stdin or sys.stdin, stdout=stdout).run()
    finally:
        ticker.stop()
        server.stop()
        ls.stop()
        sessions.dispose()
    return 0
