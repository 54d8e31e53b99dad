"""What projects add to the engine: the checks each request under a project needs (the end
after the start, something changed, who may apply, the project's state), the diff a change's
card shows, and the project's state and plan as its requests are decided."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procedures.errors import InvalidInput
from procedures.form_display import display, escape
from procedures.hooks import HookContext, Hooks
from procedures.projects import plan as plans
from procedures.projects.section import ProjectsPolicy
from store import jobs, projects_repo
from store.models.projects import Project

LETTER = "projects.letter"  # job kind: post the task letter (任务书) to one person or channel
CITE = "001 §3"


def project_for(ctx: HookContext, payload: Mapping[str, Any]) -> Project | None:
    """The project a request is filed under: by its link once it exists, else by the number the
    project commands put in the first submission's payload."""
    if ctx.request_id is not None:
        link = projects_repo.link_of(ctx.session, ctx.request_id)
        if link is not None:
            return projects_repo.get(ctx.session, link.project_id)
    number = payload.get("project")
    return projects_repo.by_number(ctx.session, number) if isinstance(number, int) else None


def _missing(field: str) -> list[InvalidInput]:
    return [InvalidInput("projects.error.use_command", field=field, cite=CITE)]


def _schedule(payload: Mapping[str, Any]) -> list[InvalidInput]:
    if plans.schedule_problem(payload):
        return [InvalidInput("projects.error.end_before_start", field="end", cite=CITE)]
    return []


def _touch(ctx: HookContext, project: Project, state: str) -> None:
    project.state, project.updated_at = state, ctx.now


class UnderProject(Hooks):
    """Every request under a project shows the project's number on its card."""

    computed: tuple[str, ...] = ("project",)

    def compute(self, ctx: HookContext, payload: Mapping[str, Any]) -> dict[str, Any]:
        project = project_for(ctx, payload)
        return {"project": plans.show_number(project.number)} if project else {}

    def card_fields(
        self, payload: Mapping[str, Any], computed: Mapping[str, Any], lang: str
    ) -> list[str]:
        number = computed.get("project")
        if not isinstance(number, str):
            return []
        return [f"*{'项目编号' if lang == 'zh' else 'Project'}*\n{number}"]


class InitiationHooks(UnderProject):
    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        project = project_for(ctx, payload)
        if project is None or project.lead != ctx.requester:
            return _missing("title")
        return _schedule(payload)

    def on_approved(self, ctx: HookContext, request_id: int, payload: Mapping[str, Any]) -> None:
        """Approved (立项): the plan as approved, and the task letter to the lead, each team
        member, and the policy's channel."""
        project = project_for(ctx, payload)
        if project is None or project.state != "proposed":
            return
        project.plan = plans.plan_of(payload)
        _touch(ctx, project, "approved")
        channel = ctx.policy.section(ProjectsPolicy).letter_channel
        people = dict.fromkeys([project.lead, *(project.plan.get("team") or [])])
        targets = [{"user": user} for user in people] + ([{"channel": channel}] if channel else [])
        for target in targets:
            key = f"projects:letter:{project.id}:{target.get('user') or target.get('channel')}"
            job = jobs.schedule(
                ctx.session,
                kind=LETTER,
                due_at=ctx.now,
                now=ctx.now,
                payload={"project_id": project.id, **target},
                dedupe_key=key,
            )
            if job is not None:
                ctx.jobs.append(job)

    def on_closed(
        self, ctx: HookContext, request_id: int, payload: Mapping[str, Any], state: str
    ) -> None:
        project = project_for(ctx, payload)
        if project is not None and project.state == "proposed":
            _touch(ctx, project, "rejected" if state == "rejected" else "withdrawn")


class ChangeHooks(UnderProject):
    computed = ("project", "was", "shown")

    def _base(self, ctx: HookContext, project: Project) -> dict[str, Any]:
        link = projects_repo.link_of(ctx.session, ctx.request_id) if ctx.request_id else None
        return dict(link.base) if link is not None and link.base else dict(project.plan)

    def compute(self, ctx: HookContext, payload: Mapping[str, Any]) -> dict[str, Any]:
        project = project_for(ctx, payload)
        if project is None:
            return {}
        was = plans.changes(self._base(ctx, project), payload)
        shown = change_lines(ctx, was, payload)
        return {**super().compute(ctx, payload), "was": was, "shown": shown}

    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        project = project_for(ctx, payload)
        if project is None:
            return _missing("title")
        if project.state != "approved":
            return [state_refusal(project, "title")]
        if not plans.changes(self._base(ctx, project), payload):
            return [InvalidInput("projects.error.nothing_changed", field="title", cite=CITE)]
        return _schedule(payload)

    def card_fields(
        self, payload: Mapping[str, Any], computed: Mapping[str, Any], lang: str
    ) -> list[str]:
        shown = computed.get("shown")
        lines = shown.get(lang) if isinstance(shown, Mapping) else None
        out = super().card_fields(payload, computed, lang)
        if isinstance(lines, list) and lines:
            title = "变更内容" if lang == "zh" else "What changes"
            out.append(f"*{title}*\n" + "\n".join(str(line) for line in lines))
        return out

    def on_approved(self, ctx: HookContext, request_id: int, payload: Mapping[str, Any]) -> None:
        project = project_for(ctx, payload)
        if project is not None and project.state == "approved":
            project.plan = plans.plan_of(payload)
            project.updated_at = ctx.now


def change_lines(
    ctx: HookContext, was: Mapping[str, Any], payload: Mapping[str, Any]
) -> dict[str, list[str]]:
    """`label: old → new` per changed field, in the form's order and both languages, drawn
    with the procedure's own fields (kept on the request: its card is drawn without a
    session)."""
    spec = ctx.policy.procedure("project_change")
    fields = {f.id: f for f in spec.fields} if spec else {}
    out: dict[str, list[str]] = {"en": [], "zh": []}
    for key in plans.PLAN:  # in the form's order: JSONB keeps no key order
        field = fields.get(key)
        if key not in was or field is None:
            continue
        for lang in ("en", "zh"):
            label = field.label.zh if lang == "zh" else field.label.en
            old, new = display(field, was[key], lang), display(field, payload.get(key), lang)
            out[lang].append(f"{escape(label)}: {old} → {new}")
    return out


def state_refusal(project: Project, field: str | None = None) -> InvalidInput:
    key = "archived" if project.state == "archived" else "not_in_progress"
    return InvalidInput(
        f"projects.error.{key}",
        field=field,
        project=plans.show_number(project.number),
        state=project.state,
        cite=CITE,
    )


class AcceptanceHooks(UnderProject):
    """An application is filed for an approved project; returned (整改) it is the applicant's
    to reapply, with the reviewer's items in the reason; passed, the project is archived."""

    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        project = project_for(ctx, payload)
        if project is None:
            return _missing("report")
        expected = "accepting" if ctx.request_id is not None else "approved"
        if project.state != expected:
            return [state_refusal(project, "report")]
        return []

    def on_approved(self, ctx: HookContext, request_id: int, payload: Mapping[str, Any]) -> None:
        project = project_for(ctx, payload)
        if project is not None and project.state == "accepting":
            _touch(ctx, project, "archived")  # accepted: frozen from here on

    def on_closed(
        self, ctx: HookContext, request_id: int, payload: Mapping[str, Any], state: str
    ) -> None:
        project = project_for(ctx, payload)
        if project is not None and project.state == "accepting":
            _touch(ctx, project, "approved")  # withdrawn or expired: back in progress
