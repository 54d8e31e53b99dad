"""Everything a listener or job needs, built once in `create_app` and passed to `register()`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from procedures.calendar import WorkCalendar, calendar_for
from procedures.clock import Clock
from procedures.engine import Ctx
from procedures.policy import Policy
from scheduler.delivery import Deliverer
from scheduler.registry import JobRegistry
from scheduler.runner import Runner
from slackui.commands import CommandBook
from slackui.i18n import Lang, resolve_language
from slackui.people import Defaults, People
from store.db import Sessions
from store.directory import Directory

# Opens a procedure's form from a button elsewhere (a prompt, the Home tab).
Opener = Callable[[Any, dict[str, Any]], None]
# Blocks a periodic prompt's DM carries for one recipient and period: (user, period) -> blocks.
PromptExtra = Callable[[str, str], list[dict[str, Any]]]

log = logging.getLogger("procedo.deps")

# The longest a delivery waits for the acks in flight before it runs anyway (seconds).
DELIVERY_GIVES_WAY = 0.5

# Per thread: where `after_commit` puts job ids while an interaction is not yet acked.
_held = threading.local()


@dataclass
class Deps:
    defaults: Defaults
    sessions: Sessions
    clock: Clock
    client: WebClient
    people: People
    policy: Policy
    deliver: Deliverer
    jobs: JobRegistry
    runner: Runner
    commands: CommandBook = field(default_factory=CommandBook)
    openers: dict[str, Opener] = field(default_factory=dict)
    # Run by the clock on every tick, before due jobs (materialising prompts, morning posts).
    maintenance: list[Callable[[datetime], object]] = field(default_factory=list)
    # Extra blocks a prompt's DM carries for one recipient and period (the attendance report).
    prompt_extras: dict[str, PromptExtra] = field(default_factory=dict)
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("procedo"))
    # Runs Slack deliveries after an ack, off the listener threads (None: in the caller).
    delivery_pool: Executor | None = None
    _in_flight: threading.Condition = field(default_factory=threading.Condition, repr=False)
    _running: int = field(default=0, repr=False)
    _unacked: int = field(default=0, repr=False)  # interactions in this process not yet acked

    def is_bot_admin(self, user_id: str) -> bool:
        with self.sessions.read() as session:
            return Directory(session).has_role(user_id, "bot_admin")

    def org_tz(self, session: Session | None = None) -> ZoneInfo:
        if session is None:
            with self.sessions.read() as own:
                return self.org_tz(own)
        org = Directory(session).org()
        return ZoneInfo(org.timezone) if org else self.defaults.tz

    def calendar(self, session: Session, user: str | None = None) -> WorkCalendar:
        directory = Directory(session)
        if user is not None:
            return calendar_for(directory.calendar_of(user))
        org = directory.org()
        return calendar_for(org.calendar if org else "CN")

    def org_language(self) -> Lang:
        """The language of shared messages (cards and threads in channels)."""
        with self.sessions.read() as session:
            org = Directory(session).org()
        return resolve_language(None, None, org.language if org else None, self.defaults.language)

    def channel_for(self, session: Session, purpose: str) -> str | None:
        directory = Directory(session)
        return directory.channel_for(purpose) or directory.channel_for("approvals")

    def engine_context(self, session: Session) -> Ctx:
        now, tz = self.clock.now(), self.org_tz(session)
        return Ctx(
            session=session,
            now=now,
            policy=self.policy,
            calendar=self.calendar(session),
            tz=tz,
            is_away=lambda user, when: self.is_away(session, user, when),
            away_delegates=lambda people: self._away_delegates(session, people, now, tz),
        )

    def is_away(self, session: Session, user: str, when: datetime) -> bool:
        """Away by any registered procedure's account (leave: on approved leave then)."""
        tz = self.org_tz(session)
        return any(
            domain.is_away(session, self.policy, user, when, tz)
            for domain in self.policy.domains
            if domain.is_away is not None
        )

    def _away_delegates(
        self, session: Session, people: Sequence[str], now: datetime, tz: ZoneInfo
    ) -> dict[str, str]:
        covers: dict[str, str] = {}
        for domain in self.policy.domains:
            if domain.away_delegates is not None:
                found = domain.away_delegates(session, self.policy, people, now, tz)
                covers.update({k: v for k, v in found.items() if k not in covers})
        return covers

    def after_commit(self, job_ids: Iterable[int | None]) -> None:
        """Deliver what a committed transaction scheduled for "now"; what fails stays queued
        for the clock, so nothing is lost if Slack is slow or down. Inside an interaction the
        ids are held until it is acked (see `holding_deliveries`)."""
        ids = [job_id for job_id in job_ids if job_id is not None]
        hold: Callable[[list[int]], None] | None = getattr(_held, "hold", None)
        if hold is not None:
            hold(ids)
        elif ids:
            self.runner.run_now(ids)

    @contextmanager
    def holding_deliveries(self, hold: Callable[[list[int]], None]) -> Iterator[None]:
        """While the block runs on this thread, `after_commit` hands job ids to `hold`."""
        previous = getattr(_held, "hold", None)
        _held.hold = hold
        try:
            yield
        finally:
            _held.hold = previous

    def acking(self) -> None:
        """An interaction started: deliveries give way until it is acked (`acked`)."""
        with self._in_flight:
            self._unacked += 1

    def acked(self) -> None:
        with self._in_flight:
            self._unacked -= 1
            self._in_flight.notify_all()

    def background(self, call: Callable[[], object]) -> None:
        """Run `call` on the delivery pool; a failure is logged (jobs retry by themselves).

        Deliveries and acks share one interpreter: a delivery started while someone waits for
        an ack takes CPU from it. So a delivery first waits until no interaction in this
        process is unacked — at most `DELIVERY_GIVES_WAY` seconds, so a steady stream of
        interactions delays deliveries a little but never starves them."""

        def guarded() -> None:
            try:
                with self._in_flight:
                    self._in_flight.wait_for(lambda: self._unacked <= 0, DELIVERY_GIVES_WAY)
                with self.people.scoped():  # a card's DMs and notes read each profile once
                    call()
            except Exception:
                log.exception("a delivery after an ack failed")
            finally:
                with self._in_flight:
                    self._running -= 1
                    self._in_flight.notify_all()

        with self._in_flight:
            self._running += 1
        if self.delivery_pool is None:
            guarded()
        else:
            self.delivery_pool.submit(guarded)

    def settle(self, timeout: float = 10.0) -> bool:
        """Wait until no delivery started by an interaction is still running (a test on a
        fake clock does this before moving time); False if some still run after `timeout`."""
        with self._in_flight:
            return self._in_flight.wait_for(lambda: self._running == 0, timeout)
