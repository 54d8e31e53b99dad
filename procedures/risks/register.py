"""The register: a risk is scored when it is saved (a high one only with its response plan),
its measures become action tasks for their owner, accepting a high one goes to the director,
and each risk is reviewed on its level's interval. Runs in the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session

from procedures import engine, requests
from procedures.engine import Ctx
from procedures.errors import InvalidInput, NotFound
from procedures.risks import scoring
from procedures.risks.policy import RisksPolicy
from store import audit, jobs, requests_repo, risks_repo
from store.models.risks import Risk, RiskCase, RiskScore

PREFIX = "RK"
SUBJECT = "risk"
MEASURE, ACCEPTANCE, REVIEW = "risk-measure", "risk-acceptance", "risk-review"
REVIEW_DUE, ACCEPTANCE_EXPIRED = "risks.review_due", "risks.acceptance_expired"
CLOSE_MEASURES = "risks.close_measures"
MAX_MEASURES = 10


class Unit(Protocol):
    """What register changes need: the engine's context or a hook's (same transaction)."""

    @property
    def session(self) -> Session: ...
    @property
    def now(self) -> datetime: ...
    @property
    def jobs(self) -> list[int]: ...


def number_of(risk: Risk) -> str:
    return f"{PREFIX}-{risk.number:04d}"


def parse_number(text: str) -> int | None:
    """`RK-0007`, `rk7`, `7` → 7."""
    cleaned = text.strip().upper().replace(" ", "").replace("-", "")
    if cleaned.startswith(PREFIX):
        cleaned = cleaned[len(PREFIX) :]
    return int(cleaned) if cleaned.isdigit() and len(cleaned) <= 9 else None


def find(ctx: Ctx, text: str) -> Risk:
    number = parse_number(text)
    risk = risks_repo.by_number(ctx.session, number) if number is not None else None
    if risk is None:
        raise NotFound("risks.error.no_such_risk", number=text.strip()[:20])
    return risk


def measure_lines(text: str | None) -> list[str]:
    return [line.strip(" -•*\t") for line in (text or "").splitlines() if line.strip(" -•*\t")]


def check(section: RisksPolicy, payload: Mapping[str, Any]) -> list[InvalidInput]:
    """Beyond the form: a level that needs a plan has measures, their owner and a deadline
    (accepting the risk instead is the director's decision and needs none)."""
    level = scoring.score(section, int(payload["likelihood"]), int(payload["impact"])).level
    problems: list[InvalidInput] = []
    lines = measure_lines(payload.get("measures"))
    if len(lines) > MAX_MEASURES:
        problems.append(InvalidInput("risks.error.too_many", field="measures", max=MAX_MEASURES))
    if any(len(line) > 1000 for line in lines):
        problems.append(InvalidInput("risks.error.measure_long", field="measures"))
    if scoring.needs_plan(level) and payload.get("strategy") != "accept":
        name = level.name.model_dump()
        if not lines:
            problems.append(InvalidInput("risks.error.plan", field="measures", level=name))
        if not payload.get("plan_owner"):
            problems.append(InvalidInput("risks.error.plan_owner", field="plan_owner", level=name))
        if not payload.get("deadline"):
            problems.append(InvalidInput("risks.error.plan_deadline", field="deadline", level=name))
    missing = not payload.get("plan_owner") or not payload.get("deadline")
    if lines and missing and not any(p.field in ("plan_owner", "deadline") for p in problems):
        field = "plan_owner" if not payload.get("plan_owner") else "deadline"
        problems.append(InvalidInput("risks.error.measures_need_owner", field=field))
    return problems


def register(ctx: Ctx, section: RisksPolicy, user: str, payload: Mapping[str, Any]) -> Risk:
    """Save a risk that passed the form and `check`; open its cases and timers."""
    if ctx.directory.department_of(user) is None:
        raise InvalidInput("error.not_in_org")
    owner = str(payload["owner"])
    if ctx.directory.department_of(owner) is None:
        raise InvalidInput("risks.error.owner_not_in_org", field="owner")
    problems = check(section, payload)
    if problems:
        raise problems[0]
    result = scoring.score(section, int(payload["likelihood"]), int(payload["impact"]))
    strategy = str(payload["strategy"])
    director = scoring.needs_director(result.level, strategy)
    risk = Risk(
        number=requests_repo.next_number(ctx.session, "risks"),
        title=str(payload["title"]),
        category=str(payload["category"]),
        description=str(payload.get("description") or ""),
        cause=str(payload.get("cause") or ""),
        consequence=str(payload.get("consequence") or ""),
        likelihood=result.likelihood,
        impact=result.impact,
        level=result.level.id,
        owner=owner,
        department=str(payload["department"]),
        strategy=strategy,
        measures=str(payload.get("measures") or ""),
        status="acceptance_pending"
        if director
        else ("accepted" if strategy == "accept" else "open"),
        created_by=user,
        created_at=ctx.now,
        updated_at=ctx.now,
        next_review_at=scoring.next_review(result.level, ctx.now),
    )
    ctx.session.add(risk)
    ctx.session.flush()
    _score_row(ctx, risk, "registered", user)
    audit.record(
        ctx.session,
        at=ctx.now,
        actor=user,
        action="risk.registered",
        subject_type=SUBJECT,
        subject_id=str(risk.id),
        to_state=risk.status,
        detail={"level": risk.level, "likelihood": risk.likelihood, "impact": risk.impact},
    )
    for line in measure_lines(payload.get("measures")):
        open_measure(ctx, risk, user, line, str(payload["plan_owner"]), str(payload["deadline"]))
    if director:
        _open_case(
            ctx,
            risk,
            ACCEPTANCE,
            user,
            {
                "risk": number_of(risk),
                "title": risk.title,
                "level": f"{result.level.name.en} / {result.level.name.zh}",
                "reason": risk.description or risk.title,
            },
            "acceptance",
        )
    schedule_review(ctx, risk)
    return risk


def _score_row(
    ctx: Unit, risk: Risk, source: str, by: str, effect: str = "", note: str = ""
) -> None:
    ctx.session.add(
        RiskScore(
            risk_id=risk.id,
            likelihood=risk.likelihood,
            impact=risk.impact,
            level=risk.level,
            source=source,
            by=by,
            at=ctx.now,
            effect=effect,
            note=note,
        )
    )


def _open_case(
    ctx: Ctx, risk: Risk, procedure: str, requester: str, payload: dict[str, Any], kind: str
) -> int:
    spec = ctx.spec(procedure)
    request = requests.submit(ctx, spec, requester, payload)
    ctx.session.add(RiskCase(risk_id=risk.id, request_id=request.id, kind=kind))
    ctx.session.flush()
    return request.id


def open_measure(
    ctx: Ctx, risk: Risk, requester: str, measure: str, owner: str, deadline: str
) -> int:
    """One measure of the plan: an action task for its owner, chased past its deadline."""
    payload = {"risk": number_of(risk), "measure": measure, "owner": owner, "deadline": deadline}
    return _open_case(ctx, risk, MEASURE, requester, payload, "measure")


def schedule_review(ctx: Unit, risk: Risk) -> None:
    key = f"risk:{risk.id}:review"
    jobs.cancel(ctx.session, key=key)
    jobs.schedule(
        ctx.session,
        kind=REVIEW_DUE,
        due_at=risk.next_review_at,
        now=ctx.now,
        payload={"risk_id": risk.id, "at": risk.next_review_at.isoformat()},
        dedupe_key=f"{key}:{risk.next_review_at.isoformat()}",
    )


def open_review(ctx: Ctx, risk_id: int, why: str) -> int | None:
    """The owner's review prompt (an input task), unless one is open already."""
    risk = risks_repo.get(ctx.session, risk_id, for_update=True)
    if risk is None or risk.status == "closed":
        return None
    if any(
        r.state in ("pending", "returned") for r in risks_repo.cases(ctx.session, risk.id, "review")
    ):
        return None
    # Filed in the owner's name, so the reviewer role (who registered it, often) confirms.
    requester = risk.owner
    payload = {
        "risk": number_of(risk),
        "title": risk.title,
        "owner": risk.owner,
        "level": risk.level,  # the chain's conditions pick the reviewer by it
    }
    audit.record(
        ctx.session,
        at=ctx.now,
        actor=audit.SYSTEM,
        action="risk.review_opened",
        subject_type=SUBJECT,
        subject_id=str(risk.id),
        reason=why,
    )
    return _open_case(ctx, risk, REVIEW, requester, payload, "review")


def accepted(ctx: Unit, section: RisksPolicy, risk: Risk, by: str | None) -> None:
    """The director accepted it: until the acceptance expires, then back into review."""
    risk.status = "accepted"
    risk.accepted_until = ctx.now + timedelta(days=section.acceptance.expires_after_days)
    risk.updated_at = ctx.now
    jobs.schedule(
        ctx.session,
        kind=ACCEPTANCE_EXPIRED,
        due_at=risk.accepted_until,
        now=ctx.now,
        payload={"risk_id": risk.id},
        dedupe_key=f"risk:{risk.id}:accepted:{risk.accepted_until.isoformat()}",
    )
    audit.record(
        ctx.session,
        at=ctx.now,
        actor=by or audit.SYSTEM,
        action="risk.accepted",
        subject_type=SUBJECT,
        subject_id=str(risk.id),
        from_state="acceptance_pending",
        to_state="accepted",
        detail={"until": risk.accepted_until.isoformat()},
    )


def acceptance_refused(ctx: Unit, risk: Risk) -> None:
    risk.status, risk.updated_at = "open", ctx.now
    audit.record(
        ctx.session,
        at=ctx.now,
        actor=audit.SYSTEM,
        action="risk.acceptance_refused",
        subject_type=SUBJECT,
        subject_id=str(risk.id),
        from_state="acceptance_pending",
        to_state="open",
    )


def acceptance_expired(ctx: Ctx, risk_id: int) -> int | None:
    risk = risks_repo.get(ctx.session, risk_id, for_update=True)
    if risk is None or risk.status != "accepted" or risk.accepted_until is None:
        return None
    if risk.accepted_until > ctx.now:
        return None  # accepted again meanwhile, for longer
    risk.status, risk.updated_at = "open", ctx.now
    audit.record(
        ctx.session,
        at=ctx.now,
        actor=audit.SYSTEM,
        action="risk.acceptance_expired",
        subject_type=SUBJECT,
        subject_id=str(risk.id),
        from_state="accepted",
        to_state="open",
    )
    return open_review(ctx, risk.id, "acceptance expired")


def reviewed(
    ctx: Unit,
    section: RisksPolicy,
    risk: Risk,
    by: str,
    review: Mapping[str, Any],
    confirmed_by: str | None,
) -> None:
    """A confirmed review: the new score joins the history and sets the next review. A level
    that no longer needs a plan closes the open measures only because the reviewer confirmed."""
    before = section.level(risk.level)
    result = scoring.score(section, int(review["likelihood"]), int(review["impact"]))
    risk.likelihood, risk.impact, risk.level = result.likelihood, result.impact, result.level.id
    risk.next_review_at = scoring.next_review(result.level, ctx.now)
    risk.updated_at = ctx.now
    _score_row(
        ctx, risk, "review", by, str(review.get("effect") or ""), str(review.get("note") or "")
    )
    audit.record(
        ctx.session,
        at=ctx.now,
        actor=confirmed_by or by,
        action="risk.reviewed",
        subject_type=SUBJECT,
        subject_id=str(risk.id),
        detail={"from": before.id, "to": result.level.id},
    )
    if scoring.lowered_below_plan(before, result.level):
        # Closing cases needs the whole engine: a job right after this commit does it.
        ctx.jobs.append(
            jobs.arm(
                ctx.session,
                kind=CLOSE_MEASURES,
                key=f"risk:{risk.id}:close-measures",
                due_at=ctx.now,
                now=ctx.now,
                payload={"risk_id": risk.id, "by": confirmed_by or by},
            )
        )
    schedule_review(ctx, risk)


def close_measures(ctx: Ctx, risk_id: int, by: str) -> None:
    """The reviewer confirmed a level that needs no plan: the open measures close."""
    for case in risks_repo.cases(ctx.session, risk_id, "measure"):
        if case.state == "pending":
            _close_measure(ctx, case.id, by)


def _close_measure(ctx: Ctx, request_id: int, by: str) -> None:
    """A measure no longer needed after a confirmed review: closed, its task withdrawn."""
    request = engine.load(ctx, request_id)
    if request.state != "pending":
        return
    step = engine.current_step(ctx, request)
    if step is not None:
        step.state = "withdrawn"
    request.state = "closed"
    engine.settle(ctx, request, "pending", by)
    engine.record(
        ctx, request, "request.closed", by, from_state="pending", to_state="closed", why="review"
    )
    ctx.session.flush()
    engine.sync(ctx, request)
