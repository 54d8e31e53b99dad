"""`/leave balance`, `/leave mine` and `/leave who`: seeing leave, not filing it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from slack_bolt.context.respond import Respond
from sqlalchemy.orm import Session

from handlers.deps import Deps
from procedures import dates
from procedures.leave import balances, queries
from procedures.leave.hooks import show_days
from procedures.leave.policy import LeavePolicy
from procedures.leave.spans import Span
from slackui import blocks as b
from slackui.views import leave as views
from slackui.views.requests import state_name
from store import leave_repo
from store.directory import DepartmentInfo, Directory

Info = Callable[[str, str, Respond], None]


def register_info(deps: Deps) -> dict[str, Info]:
    """The `/leave` words that show rather than file, in both languages."""
    table: dict[str, Info] = {}
    for words, handler in (
        (("balance", "balances", "余额", "假期"), _balance),
        (("mine", "my", "我的", "记录"), _mine),
        (("who", "out", "谁", "谁休假"), _who),
    ):
        for word in words:
            table[word] = functools.partial(handler, deps)
    return table


def current_balances(
    deps: Deps, session: Session, user: str, exclude: int | None = None, year: int | None = None
) -> list[balances.BalanceRow]:
    """The balances of `user` for `year` (this year by default), as of the clock's today in
    the org's timezone."""
    now = deps.clock.now()
    return balances.balances(
        session,
        deps.policy.section(LeavePolicy),
        user,
        today=now.astimezone(deps.org_tz(session)).date(),
        joined=Directory(session).joined_on(user),
        now=now,
        exclude_request=exclude,
        year=year,
    )


def _balance(deps: Deps, user: str, _rest: str, respond: Respond) -> None:
    me = deps.people.view(user)
    today = deps.clock.now().astimezone(deps.org_tz()).date()
    with deps.sessions.begin() as session:
        rows = current_balances(deps, session, user)
    unkept = [kind for kind in deps.policy.section(LeavePolicy).types if kind.balance is None]
    blocks = views.balance_blocks(me.t, today.year, rows, unkept)
    respond(
        text=me.t("leave.balance.title", year=today.year), blocks=blocks, response_type="ephemeral"
    )


def _mine(deps: Deps, user: str, _rest: str, respond: Respond) -> None:
    me = deps.people.view(user)
    year = deps.clock.now().astimezone(deps.org_tz()).year
    spec = deps.policy.procedure(deps.policy.section(LeavePolicy).procedure)
    prefix = spec.prefix if spec else "LV"
    with deps.sessions.begin() as session:
        requests = leave_repo.leave_requests(
            session,
            deps.policy.section(LeavePolicy).procedure,
            [user],
            [
                "pending",
                "approved",
                "cancelling",
                "returned",
                "cancelled",
                "rejected",
                "withdrawn",
                "expired",
            ],
        )
    lines = []
    for request in requests:
        span = Span.from_payload(request.payload["dates"])
        if span.start.year != year and span.end.year != year:
            continue
        kind = deps.policy.section(LeavePolicy).type(str(request.payload.get("type")))
        lines.append(
            me.t(
                "leave.mine.line",
                number=f"{prefix}-{request.number:04d}",
                type=views.type_name(me.t, kind) if kind else request.payload.get("type"),
                dates=views.show_span(deps.policy, span, me.lang),
                days=request.computed.get("days", "?"),
                state=state_name(me.t, request.state),
            )
        )
    body = "\n".join(lines[-30:]) if lines else me.t("leave.mine.none")
    blocks = b.to_dicts([b.header(me.t("leave.mine.title")), b.section(body)])
    respond(text=me.t("leave.mine.title"), blocks=blocks, response_type="ephemeral")


def _department(directory: Directory, word: str) -> DepartmentInfo | None:
    word = word.strip().lower()
    return next(
        (d for d in directory.departments() if word in (d.id, d.name_en.lower(), d.name_zh)),
        None,
    )


def _when(text: str, now: datetime, deps: Deps, user: str) -> tuple[date, date, str]:
    tz = deps.people.view(user, refresh=False).tz
    if not text:
        today = now.astimezone(tz).date()
        return today, today, text or today.isoformat()
    when = dates.parse_when(text, now=now, tz=tz)
    start = when.start.date() if isinstance(when.start, datetime) else when.start
    end = when.end.date() if isinstance(when.end, datetime) else when.end
    return start, end, text


def _who(deps: Deps, user: str, rest: str, respond: Respond) -> None:
    me = deps.people.view(user)
    now = deps.clock.now()
    words = rest.split()
    with deps.sessions.read() as session:
        directory = Directory(session)
        asked = _department(directory, words[0]) if words else None
        if asked is not None:
            words = words[1:]
        dept = queries.who_department(directory, user, asked)
        members = directory.members(dept.id)
    text = " ".join(words)
    try:
        first, last, label = _when(text, now, deps, user)
    except dates.DateParseError:
        respond(text=me.t("leave.who.bad_when", text=text[:60]), response_type="ephemeral")
        return
    with deps.sessions.begin() as session:
        out = [
            (leave.user, leave.span)
            for leave in queries.out_on(session, deps.policy, members, first, last)
        ]
    blocks = views.who_blocks(
        me.t, deps.policy, dept.name(me.lang), label or first.isoformat(), out
    )
    respond(
        text=me.t("leave.who.title", department=dept.name(me.lang), when=label),
        blocks=blocks,
        response_type="ephemeral",
    )


def home_section(deps: Deps, user: str) -> list[dict[str, Any]]:
    if not deps.policy.section(LeavePolicy).types:
        return []
    me = deps.people.view(user, refresh=False)
    with deps.sessions.begin() as session:
        rows = current_balances(deps, session, user)
    shown = me.t.join(
        f"{views.type_name(me.t, row.type)} {show_days(row.left)}"
        for row in rows
        if row.type.balance is not None
        and (row.type.balance.earned is False or row.total)
        and row.type.id in ("annual", "sick", "compensatory")
    )
    return b.to_dicts([b.section(me.t("home.leave", balances=shown))]) if shown else []
