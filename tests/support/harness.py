"""The whole of Procedo on loopback, for one test: localslack, the bot over signed HTTP, the
database, and a fake clock that the bot, the clock's runner and localslack all share (or the
real clock, for the few tests that time what Slack would see)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot import demo
from bot.app import ProcedoApp, create_app, create_clock
from bot.modules import MODULES
from bot.org import import_org
from bot.servers import BackgroundServer
from bot.settings import Settings, load_settings
from bot.slack_client import make_client
from bot.slack_lookup import WebApiLookup
from bot.web import WebApp
from handlers.deps import Deps
from handlers.modules import ProcedureModule
from localslack import Driver, LocalSlack
from procedures.clock import Clock, FakeClock
from procedures.policy import Policy
from scheduler.service import ClockService
from store.db import Sessions

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
# Monday 23 November 2026, 10:00 in Shanghai: a plain working day.
START = datetime.fromisoformat("2026-11-23T10:00:00+08:00")


@dataclass
class Harness:
    ls: LocalSlack
    clock: Clock
    sessions: Sessions
    settings: Settings
    app: ProcedoApp
    server: BackgroundServer
    ticker: ClockService
    drivers: dict[str, Driver] = field(default_factory=dict)

    @property
    def deps(self) -> Deps:
        return self.app.deps

    @property
    def events_url(self) -> str:
        return f"{self.server.url}/slack/events"

    def as_(self, name: str) -> Driver:
        if name not in self.drivers:
            self.drivers[name] = self.ls.driver(name)
        return self.drivers[name]

    def uid(self, name: str) -> str:
        return self.ls.user(name).id

    def settle(self) -> None:
        """Let the deliveries the last interactions started finish: on a fake clock, moving
        time under a delivery that is still pacing would move its timers too."""
        assert self.deps.settle(), "deliveries still running after 10 s"

    @property
    def fake_clock(self) -> FakeClock:
        if not isinstance(self.clock, FakeClock):
            raise AssertionError("this harness runs on the real clock; it cannot be moved")
        return self.clock

    def tick(self) -> int:
        """Run the clock until nothing is due at the fake clock's now."""
        self.settle()
        return self.ticker.run_until_idle()

    def advance(self, delta: timedelta | float, *, tick: bool = True) -> int:
        self.settle()
        self.fake_clock.advance(delta)
        return self.tick() if tick else 0

    def set_time(self, when: datetime, *, tick: bool = True) -> int:
        self.settle()
        self.fake_clock.set(when)
        return self.tick() if tick else 0

    def close(self) -> None:
        self.ticker.stop()
        self.server.stop()
        self.app.shutdown()
        self.ls.stop()


def start_harness(
    db_url: str,
    sessions: Sessions,
    *,
    clock: Clock | None = None,
    org: str | None = None,
    policy: Policy | None = None,
    settings: dict[str, Any] | None = None,
    modules: Sequence[ProcedureModule] = MODULES,
) -> Harness:
    clock = clock or FakeClock(START)
    ls = LocalSlack(clock=clock, signing_secret=SIGNING_SECRET, bot_token=BOT_TOKEN).start()
    demo.populate(ls)
    config = load_settings(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=ls.api_url,
        DATABASE_URL=db_url,
        **(settings or {}),
    )
    client = make_client(BOT_TOKEN, ls.api_url, clock, timeout=5)
    import_org(
        org if org is not None else demo.org_text(),
        "org.yml",
        sessions=sessions,
        slack=WebApiLookup(client),
        clock=clock,
        actor="test",
    )
    app = create_app(
        config, client=client, sessions=sessions, clock=clock, policy=policy, modules=modules
    )
    ls.ws.acks.bot_threads = app.executor._max_workers
    server = BackgroundServer(WebApp(app)).start()
    ls.bot_events_url = f"{server.url}/slack/events"
    ticker = create_clock(app)
    if not isinstance(clock, FakeClock):
        ticker.start_background(0.2)  # as `procedo clock` would; tests can't tick real time
    return Harness(
        ls=ls,
        clock=clock,
        sessions=sessions,
        settings=config,
        app=app,
        server=server,
        ticker=ticker,
    )
