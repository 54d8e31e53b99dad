"""Filing under a project number: the proposal (which creates the project), a plan change and
an acceptance application, each an engine request linked to the project; and the project as
shown, with everything filed under it. Everything runs in the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from procedures import requests
from procedures.engine import Ctx
from procedures.errors import NotAllowed, NotFound
from procedures.projects import plan as plans
from procedures.projects.hooks import CITE, state_refusal
from procedures.request_view import Event, events
from store import audit, projects_repo
from store.models import Request
from store.models.projects import Project

INITIATION, CHANGE, ACCEPTANCE = "project", "project_change", "project_acceptance"
KINDS = {INITIATION: "initiation", CHANGE: "change", ACCEPTANCE: "acceptance"}
OPEN = ("pending", "returned")


def find(ctx: Ctx, text: str, *, for_update: bool = False) -> Project:
    number = plans.parse_number(text)
    project = (
        projects_repo.by_number(ctx.session, number, for_update=for_update) if number else None
    )
    if project is None:
        raise NotFound("projects.error.no_such_project", project=text.strip()[:20], cite=CITE)
    return project


def refuse(ctx: Ctx, project: Project, user: str, attempted: str, error: Exception) -> None:
    """Audit a refused attempt on a project (in a unit of work of its own: the caller's rolled
    back)."""
    audit.record(
        ctx.session,
        at=ctx.now,
        actor=user,
        action="project.refused",
        subject_type="project",
        subject_id=str(project.id),
        detail={"attempted": attempted, "why": getattr(error, "key", str(error))},
    )


def propose(ctx: Ctx, user: str, payload: Mapping[str, Any]) -> tuple[Project, Request]:
    """The proposal (立项申请): the project gets its number now, in state proposed."""
    project = projects_repo.create(ctx.session, lead=user, plan=plans.plan_of(payload), now=ctx.now)
    request = requests.submit(
        ctx, ctx.spec(INITIATION), user, {**payload, "project": project.number}
    )
    projects_repo.link(ctx.session, project, request, "initiation", ctx.now)
    _audit(ctx, project, user, "project.proposed", None, "proposed")
    return project, request


def check_change(ctx: Ctx, project: Project, user: str) -> None:
    """Only the lead changes the plan (项目负责人提出调整申请), of a project in progress, one
    change at a time."""
    if project.state != "approved":
        raise state_refusal(project)
    if user != project.lead:
        raise NotAllowed("projects.error.not_lead", project=_number(project), cite=CITE)
    if _open(ctx, project, "change"):
        raise NotAllowed("projects.error.change_open", project=_number(project), cite=CITE)


def change(ctx: Ctx, number: int, user: str, payload: Mapping[str, Any]) -> Request:
    project = find(ctx, plans.show_number(number), for_update=True)
    check_change(ctx, project, user)
    base = dict(project.plan)
    request = requests.submit(ctx, ctx.spec(CHANGE), user, {**payload, "project": project.number})
    projects_repo.link(ctx.session, project, request, "change", ctx.now, base=base)
    return request


def check_acceptance(ctx: Ctx, project: Project, user: str) -> None:
    """The lead or a team member applies (项目验收申请), for an approved project."""
    if user != project.lead and user not in (project.plan.get("team") or []):
        raise NotAllowed("projects.error.not_member", project=_number(project), cite=CITE)
    if project.state != "approved":
        raise state_refusal(project)
    if _open(ctx, project, "change"):
        raise NotAllowed("projects.error.change_open", project=_number(project), cite=CITE)


def apply(ctx: Ctx, number: int, user: str, payload: Mapping[str, Any]) -> Request:
    project = find(ctx, plans.show_number(number), for_update=True)
    check_acceptance(ctx, project, user)
    request = requests.submit(
        ctx, ctx.spec(ACCEPTANCE), user, {**payload, "project": project.number}
    )
    projects_repo.link(ctx.session, project, request, "acceptance", ctx.now)
    _audit(ctx, project, user, "project.accepting", project.state, "accepting")
    project.state, project.updated_at = "accepting", ctx.now
    return request


def _open(ctx: Ctx, project: Project, kind: str) -> bool:
    return any(
        link.kind == kind and request.state in OPEN
        for link, request in projects_repo.filed(ctx.session, project.id)
    )


def _number(project: Project) -> str:
    return plans.show_number(project.number)


def _audit(
    ctx: Ctx, project: Project, user: str, action: str, before: str | None, after: str
) -> None:
    audit.record(
        ctx.session,
        at=ctx.now,
        actor=user,
        action=action,
        subject_type="project",
        subject_id=str(project.id),
        from_state=before,
        to_state=after,
    )


@dataclass(frozen=True)
class Filed:
    kind: str  # initiation, change, acceptance
    number: str  # PI-0001
    state: str
    rounds: int
    was: Mapping[str, Any]  # a change: the fields it changes, with their old values
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class Rectification:
    """One acceptance review that asked for rectification (整改): its items, and whether the
    applicant has reapplied since."""

    request: str  # PA-0001
    round: int
    reviewer: str
    items: tuple[str, ...]
    reapplied: bool


@dataclass(frozen=True)
class ProjectView:
    number: str
    lead: str
    state: str  # as stored, except `rectifying` while an application is returned
    plan: Mapping[str, Any]
    filed: tuple[Filed, ...]
    rectifications: tuple[Rectification, ...]


def rectifications(number: str, trail: list[Event]) -> list[Rectification]:
    """Each return of an acceptance application is a rectification round; the next
    resubmission is the reapplication."""
    out: list[Rectification] = []
    for index, event in enumerate(trail):
        if event.action != "request.returned":
            continue
        reapplied = any(e.action == "request.resubmitted" for e in trail[index + 1 :])
        items = tuple(plans.items_of(event.reason or ""))
        out.append(Rectification(number, len(out) + 1, event.actor, items, reapplied))
    return out


def may_see(ctx: Ctx, project: Project, user: str) -> bool:
    """Its lead and team, the roles its procedures name, bot admins, and whoever its requests
    reached (reviewers, the director)."""
    if user == project.lead or user in (project.plan.get("team") or []):
        return True
    return any(
        requests.can_see(ctx, request, user)
        for _link, request in projects_repo.filed(ctx.session, project.id)
    )


def view(ctx: Ctx, project: Project) -> ProjectView:
    filed, rounds = [], []
    state = project.state
    for link, request in projects_repo.filed(ctx.session, project.id):
        spec = ctx.policy.procedure(request.procedure)
        number = requests.number_of(spec, request) if spec else str(request.number)
        was = (request.computed or {}).get("was") or {}
        filed.append(
            Filed(link.kind, number, request.state, request.round, was, request.payload or {})
        )
        if link.kind == "acceptance":
            rounds += rectifications(number, events(ctx.session, request.id))
            if request.state == "returned" and state == "accepting":
                state = "rectifying"
    return ProjectView(
        _number(project), project.lead, state, project.plan, tuple(filed), tuple(rounds)
    )


def mine(ctx: Ctx, user: str) -> list[ProjectView]:
    return [view(ctx, project) for project in projects_repo.of_user(ctx.session, user)]
