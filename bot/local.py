"""`procedo local`: the bot, a local Slack workspace and the demo org, in a browser (or terminal).

Migrates a local SQLite file, imports the bundled demo org, starts localslack and the bot (over
real signed HTTP, as in production) and the clock, then serves the workspace as a web page on
127.0.0.1 (or, with `--terminal`, opens a prompt where you type as a user). The database and
the workspace's messages live under the user's data directory and survive a restart; `--fresh`
starts over. Logs go to a file beside them so the terminal stays readable.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO

import yaml

from bot import demo
from bot.app import create_app, create_clock
from bot.modules import MODULES
from bot.org import import_org
from bot.servers import BackgroundServer
from bot.settings import load_settings
from bot.slack_client import make_client
from bot.slack_lookup import WebApiLookup
from bot.web import WebApp
from localslack import LocalSlack, persist
from localslack.terminal import Terminal
from localslack.web import WebUI
from procedures import dates
from procedures.clock import SystemClock
from store.db import ensure_reachable, make_sessions
from store.migrate import upgrade

LOCAL_TICK_SECONDS = 1.0
WEB_PORT = 8600  # a stable address to bookmark; any free port if it is taken
MANIFEST = Path(__file__).resolve().parent.parent / "slack-manifest.yml"
# Slash commands whose text Slack escapes (as in slack-manifest.yml), for an installed copy
# that has no manifest beside it.
ESCAPED_COMMANDS = frozenset({"/procedo", "/leave"})


def data_dir() -> Path:
    """Where `procedo local` keeps its state: $XDG_DATA_HOME/procedo (~/.local/share/procedo)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "procedo"


def escaped_commands() -> frozenset[str]:
    if not MANIFEST.exists():
        return ESCAPED_COMMANDS
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    commands = manifest.get("features", {}).get("slash_commands", [])
    return frozenset(c["command"] for c in commands if c.get("should_escape"))


def demo_profiles() -> dict[str, str]:
    """ "Operations · 中文" for each demo person: their department and language."""
    org = yaml.safe_load(demo.org_text())
    by_ref = {ref: u.id for u in demo.USERS for ref in (u.id, u.email)}
    department: dict[str, str] = {}
    for dept in org.get("departments", []):
        name = dept["name"]["en"]
        for ref in [*dept.get("members", []), dept.get("head")]:
            if ref in by_ref:
                role = f"head of {name}" if ref == dept.get("head") else name
                department.setdefault(by_ref[ref], role)
    profiles = {}
    for user in demo.USERS:
        language = "中文" if user.locale.startswith("zh") else "English"
        profiles[user.id] = f"{department.get(user.id, 'not in the org')} · {language}"
    return profiles


class _Stoppable(Protocol):
    def stop(self) -> None: ...


@dataclass
class LocalRun:
    """Everything `procedo local` started, to stop in the reverse order."""

    ls: LocalSlack
    web: WebUI
    db_path: Path
    log_path: Path
    demo_imported: bool
    _stops: list[_Stoppable] = field(default_factory=list)

    def stop(self) -> None:
        for stoppable in reversed(self._stops):
            stoppable.stop()
        self._stops.clear()


def start_local(
    *,
    home: Path,
    fresh: bool,
    db: Path | None = None,
    web_port: int = WEB_PORT,
    log_to_file: bool = True,
) -> LocalRun:
    """Start the bot, localslack (restored from `home` unless `fresh`), the clock and the page."""
    if db is None:
        home.mkdir(parents=True, exist_ok=True)
    db_path, state_path = db or home / "procedo-local.db", home / "workspace.json"
    if fresh:
        for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm"), state_path):
            path.unlink(missing_ok=True)
    database_url = f"sqlite:///{db_path}"
    sessions = make_sessions(database_url)
    # Before the log file is opened beside it: a bad directory is then one line, not a traceback.
    ensure_reachable(sessions.engine, setting="--db")
    home.mkdir(parents=True, exist_ok=True)
    log_path = db_path.with_suffix(".log")
    if log_to_file:  # tests keep pytest's own logging
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
    ls.escaped_commands = escaped_commands()
    persist.load(ls.ws, state_path)
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
    # The local workspace has no rate limit; a short pacing keeps the demo snappy.
    app = create_app(settings, client=client, sessions=sessions, clock=clock, post_interval=0.1)
    app.slack_health.start()
    dates.warm_up()
    server = BackgroundServer(WebApp(app)).start()
    ls.bot_events_url = f"{server.url}/slack/events"
    ticker = create_clock(app)
    ticker.start_background(LOCAL_TICK_SECONDS)
    autosave = persist.Autosave(ls.ws, state_path).start()
    web = WebUI(ls, profiles=demo_profiles()).start(web_port)

    class _Sessions:
        def stop(self) -> None:
            sessions.dispose()

    run = LocalRun(ls, web, db_path, log_path, bool(changes))
    # Stopped last to first: the page, the clock, the bot, then the workspace is saved.
    run._stops += [_Sessions(), ls, autosave, server, ticker, web]
    return run


def run_local(
    *,
    home: Path,
    user: str | None,
    fresh: bool,
    db: Path | None = None,
    terminal: bool = False,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stop: threading.Event | None = None,
) -> int:
    stdout = stdout or sys.stdout
    run = start_local(home=home, fresh=fresh, db=db)
    org = "demo org imported" if run.demo_imported else "demo org unchanged"
    try:
        if terminal:
            print(
                f"Procedo local: database {run.db_path} ({org}); logs in {run.log_path}.\n"
                "People: " + ", ".join(u.name for u in demo.USERS) + ". Type `help` for the "
                "commands, `/procedo help` to ask the bot, `as bob` to switch user, `quit` to "
                "leave.",
                file=stdout,
            )
            person = user or demo.USERS[0].name
            Terminal(run.ls, user=person, stdin=stdin or sys.stdin, stdout=stdout).run()
        else:
            print(
                f"Procedo local workspace: {run.web.url}\n"
                f"(database {run.db_path}, {org}; logs in {run.log_path}; "
                "Ctrl-C to stop, --fresh to start over, --terminal for the text client)",
                file=stdout,
                flush=True,
            )
            (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        run.stop()
    return 0
