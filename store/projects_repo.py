"""Projects and what was filed under them: the SQL behind procedures/projects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import requests_repo
from store.models.projects import Project, ProjectRequest
from store.models.requests import Request

__all__ = ["Project", "ProjectRequest"]

COUNTER = "projects:PJ"  # a counter row of its own beside the procedures'


def create(session: Session, *, lead: str, plan: dict[str, Any], now: datetime) -> Project:
    project = Project(
        number=requests_repo.next_number(session, COUNTER),
        lead=lead,
        state="proposed",
        plan=plan,
        created_at=now,
        updated_at=now,
    )
    session.add(project)
    session.flush()
    return project


def by_number(session: Session, number: int, *, for_update: bool = False) -> Project | None:
    query = select(Project).where(Project.number == number)
    return session.scalars(query.with_for_update() if for_update else query).first()


def get(session: Session, project_id: int, *, for_update: bool = False) -> Project | None:
    return session.get(Project, project_id, with_for_update=for_update)


def link(
    session: Session,
    project: Project,
    request: Request,
    kind: str,
    now: datetime,
    base: dict[str, Any] | None = None,
) -> None:
    session.add(
        ProjectRequest(
            project_id=project.id, request_id=request.id, kind=kind, base=base, created_at=now
        )
    )
    session.flush()


def link_of(session: Session, request_id: int) -> ProjectRequest | None:
    return session.scalars(
        select(ProjectRequest).where(ProjectRequest.request_id == request_id)
    ).first()


def filed(session: Session, project_id: int) -> list[tuple[ProjectRequest, Request]]:
    """Every request under the project, oldest first."""
    query = (
        select(ProjectRequest, Request)
        .join(Request, Request.id == ProjectRequest.request_id)
        .where(ProjectRequest.project_id == project_id)
        .order_by(ProjectRequest.id)
    )
    return [(link, request) for link, request in session.execute(query)]


def of_user(session: Session, user: str, limit: int = 30) -> list[Project]:
    """Projects the user leads or is on the team of, newest first. The team lives in the plan's
    JSON, so it is matched in Python over the user's candidate rows."""
    query = select(Project).order_by(Project.number.desc())
    out = []
    for project in session.scalars(query):
        team = project.plan.get("team") or []
        if project.lead == user or user in team:
            out.append(project)
            if len(out) >= limit:
                break
    return out
