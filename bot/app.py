"""The composition root: `create_app()` builds the Bolt app with everything injected, and
`create_clock()` the clock that shares its job handlers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from bot.modules import MODULES
from bot.settings import Settings
from bot.slack_client import make_client
from bot.slack_health import SlackHealth
from handlers import (
    approval_actions,
    decisions,
    errors,
    home,
    home_sections,
    jobs,
    outbox,
    placeholders,
    procedo,
    prompts,
    request_sync,
    requests,
    tasks,
)
from handlers.deps import Deps
from handlers.modules import HttpRoute, ProcedureModule, install
from procedures import prompt_runs
from procedures.clock import Clock, SystemClock
from procedures.policy import Policy, parse_policy, policy_document
from procedures.policy_check import check_against_org
from procedures.yaml_source import SourceError, YamlDocument
from scheduler.delivery import Deliverer
from scheduler.pacing import DatabasePacer
from scheduler.registry import JobRegistry
from scheduler.runner import Runner
from scheduler.service import ClockService
from scheduler.single import lock_for
from slackui.people import Defaults, People
from store import profiles
from store.db import Sessions, sessions_for
from store.directory import Directory
from store.models import ProcessedEvent

log = logging.getLogger("procedo.app")


class ProcedoApp(App):
    """A Bolt `App` that also carries its dependencies (for `/healthz`, the clock, the CLI)."""

    deps: Deps
    executor: ThreadPoolExecutor  # runs listeners after the ack; shut down with the app
    delivery_pool: ThreadPoolExecutor  # Slack deliveries after an ack, off the listeners
    slack_health: SlackHealth  # auth.test off the start-up path; the entry points start it
    signing_secret: str  # the HTTP front checks signatures before Bolt sees a byte
    http_routes: tuple[HttpRoute, ...] = ()  # the modules' `/api/…` endpoints

    def shutdown(self) -> None:
        """Let running listeners and deliveries finish (what is left waits for the clock)."""
        self.executor.shutdown(wait=True)
        self.delivery_pool.shutdown(wait=True)


def create_app(
    settings: Settings,
    *,
    client: WebClient | None = None,
    sessions: Sessions | None = None,
    clock: Clock | None = None,
    policy: Policy | None = None,
    post_interval: float = 1.0,
    modules: Sequence[ProcedureModule] = MODULES,
) -> ProcedoApp:
    """`post_interval`: seconds between posts to one channel (Slack asks for about one).
    `policy`, if given, must have been parsed with the domains of `modules`."""
    clock = clock or SystemClock()
    sessions = sessions or sessions_for(settings)
    if policy is None:
        domains = [module.domain for module in modules]
        document = policy_document(settings.policy_file, domains)
        policy = parse_policy(document, domains)
    else:
        document = YamlDocument(data=None, source="policy")
    with sessions.begin() as session:
        problems = check_against_org(policy, document, Directory(session))
    if problems:
        raise SourceError(document.source, problems)
    token = settings.slack_bot_token.get_secret_value()
    client = client or make_client(
        token, settings.slack_api_url, clock, timeout=settings.slack_timeout
    )
    # The delivery path handles 429 itself (defer the job, block only that channel), so its
    # client must not sit out Retry-After in a thread.
    delivery_client = make_client(
        client.token or token,
        client.base_url,
        clock,
        timeout=settings.slack_timeout,
        rate_limit_retries=False,
    )
    registry = JobRegistry()
    defaults = Defaults(language=settings.language, tz=settings.tz)
    deps = Deps(
        defaults=defaults,
        sessions=sessions,
        clock=clock,
        client=client,
        people=People(defaults, sessions, client, clock),
        policy=policy,
        deliver=make_deliverer(sessions, delivery_client, clock, post_interval),
        jobs=registry,
        runner=Runner(sessions, registry, clock),
    )
    executor = ThreadPoolExecutor(
        max_workers=max(4, settings.web_threads), thread_name_prefix="listener"
    )
    app = ProcedoApp(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        process_before_response=False,
        listener_executor=executor,
        logger=logging.getLogger("procedo.bolt"),
        token_verification_enabled=False,  # Slack may be down at start: SlackHealth checks
    )
    # Deliveries wait out per-channel pacing and Slack's retries: never on a listener thread.
    delivery_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="delivery")
    deps.delivery_pool = delivery_pool
    app.deps, app.executor, app.delivery_pool = deps, executor, delivery_pool
    app.slack_health = SlackHealth(client)
    app.signing_secret = settings.slack_signing_secret.get_secret_value()
    app.middleware(_once_per_event(deps))
    errors.register(app, deps)
    outbox.register(deps)
    procedo.register(app, deps)
    jobs.register(app, deps)
    prompts.register(app, deps)
    request_sync.register(deps)
    requests.register(app, deps)
    decisions.register(app, deps)
    approval_actions.register(app, deps)
    tasks.register(app, deps)
    installed = install(app, deps, modules)
    placeholders.register(app, deps, answered={"/procedo", *installed.commands})
    home.register(app, deps, sections=[home_sections.requests_section, *installed.home])
    app.http_routes = installed.http
    return app


def make_deliverer(
    sessions: Sessions, client: WebClient, clock: Clock, post_interval: float
) -> Deliverer:
    """The delivery path: slots in the database, so serve and every clock keep one pace per
    channel between them (and each retry of a post takes a slot too)."""
    pacer = DatabasePacer(sessions, timedelta(seconds=post_interval))
    return Deliverer(client, clock, per_channel_interval=post_interval, pacer=pacer)


def create_clock(app: ProcedoApp) -> ClockService:
    """The clock for this app: materialise prompts, then run due jobs, on every tick."""
    deps = app.deps

    def materialise_prompts(now: datetime) -> int:
        with deps.sessions.begin() as session:
            org_tz = deps.org_tz(session)

            def tz_of(user: str) -> ZoneInfo:
                row = profiles.get(session, user)
                try:
                    return ZoneInfo(row.tz) if row and row.tz else org_tz
                except (KeyError, ValueError):
                    return org_tz

            return prompt_runs.materialise(
                session,
                deps.policy,
                now=now,
                org_tz=org_tz,
                calendar=deps.calendar(session),
                tz_of=tz_of,
            )

    return ClockService(
        deps.runner,
        deps.clock,
        [materialise_prompts, *deps.maintenance],
        lock=lock_for(deps.sessions.engine.url),
    )


def _once_per_event(deps: Deps) -> Any:
    """Slack redelivers an event it thinks we missed; run each `event_id` only once."""

    def middleware(body: dict[str, Any], next: Any) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            try:
                with deps.sessions.begin() as session:
                    session.add(ProcessedEvent(event_id=event_id, received_at=deps.clock.now()))
            except IntegrityError:
                log.info("event %s already handled; ignoring the retry", event_id)
                return BoltResponse(status=200, body="")
        return next()  # type: ignore[no-any-return]

    return middleware
