"""Projects (立项 / 验收): the forms under a project number, the task letter (任务书), one
project with everything filed under it, and the list of mine."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import Field
from slack_sdk.models.views import View

from procedures.form_display import display, escape
from procedures.policy.procedures import ProcedureSpec
from procedures.projects.lifecycle import ProjectView
from procedures.projects.plan import PLAN
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.payloads import Payload
from slackui.views.request_modals import form_modal

FORM = "projects.form"  # callback id of the three forms
SHOWN = 20  # projects in a list; rounds and items are few


class ProjectForm(Payload):
    """Which form, and the project it is filed under (none for a proposal)."""

    procedure: Literal["project", "project_change", "project_acceptance"]
    project: int | None = Field(default=None, ge=1, le=2**31 - 1)


def form(
    spec: ProcedureSpec,
    t: Translator,
    *,
    project: int | None = None,
    initial: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The procedure's form (as the engine draws it), answered by this module."""
    view = form_modal(spec, t, initial=initial)
    view["callback_id"] = FORM
    view["private_metadata"] = ProjectForm.model_validate(
        {"procedure": spec.id, "project": project}
    ).dump()
    if project is not None:
        title = t(f"projects.modal.{spec.id}", project=f"PJ-{project:04d}")
        view["title"] = {"type": "plain_text", "text": b.clip(title, 24)}
    return view


def notice_modal(t: Translator, text: str) -> dict[str, Any]:
    """A modal that only says something (how to file a change or an acceptance)."""
    return View(
        type="modal",
        callback_id="projects.notice",
        title={"type": "plain_text", "text": b.clip(t("projects.title"), 24)},
        close={"type": "plain_text", "text": b.clip(t("request.modal.close"), 24)},
        private_metadata=json.dumps({}),
        blocks=[b.section(text)],
    ).to_dict()


def _plan_lines(spec: ProcedureSpec, t: Translator, plan: dict[str, Any]) -> list[str]:
    by_id = {f.id: f for f in spec.fields}
    out = []
    for key in PLAN:
        field = by_id.get(key)
        if field is not None:
            label = escape(t.pick(field.label.model_dump()))
            out.append(f"*{label}*\n{display(field, plan.get(key), t.lang)}")
    return out


def letter(
    spec: ProcedureSpec, t: Translator, project: ProjectView
) -> tuple[str, list[dict[str, Any]]]:
    """The task letter (项目任务书): goal, scope, budget, schedule, team, the number."""
    title = t("projects.letter.title", project=project.number)
    out: list[Any] = [
        b.header(title),
        b.section(t("projects.letter.intro", project=project.number, lead=f"<@{project.lead}>")),
        *b.sections(_plan_lines(spec, t, dict(project.plan))),
        b.context(t("prompt.cite", cite=spec.cite)),
    ]
    return title, b.to_dicts(out)


def _state(t: Translator, state: str) -> str:
    return t(f"projects.state.{state}")


def project_blocks(
    spec: ProcedureSpec, t: Translator, project: ProjectView
) -> list[dict[str, Any]]:
    out: list[Any] = [
        b.header(t("projects.show.title", project=project.number)),
        b.section(
            t("projects.show.state", state=_state(t, project.state), lead=f"<@{project.lead}>")
        ),
        *b.sections(_plan_lines(spec, t, dict(project.plan))),
        b.divider(),
    ]
    lines = []
    for filed in project.filed:
        line = t(
            f"projects.filed.{filed.kind}",
            number=filed.number,
            state=t(f"request.state.{filed.state}"),
            rounds=filed.rounds,
        )
        if filed.kind == "change" and filed.was:
            names = t.join(t(f"projects.field.{key}") for key in PLAN if key in filed.was)
            line += "\n" + t("projects.filed.changed", fields=names)
        lines.append(line)
    for rectify in project.rectifications:
        mark = "✓" if rectify.reapplied else "○"
        head = t(
            "projects.rectify",
            mark=mark,
            number=rectify.request,
            round=rectify.round,
            reviewer=f"<@{rectify.reviewer}>",
        )
        items = [f"{n}. {escape(text)}" for n, text in enumerate(rectify.items, start=1)]
        lines.append("\n".join([head, *items]))
    out += b.sections(lines or [t("projects.show.nothing")])
    out.append(b.context(t("prompt.cite", cite=spec.cite)))
    return b.to_dicts(out)


def list_blocks(t: Translator, projects: Sequence[ProjectView]) -> list[dict[str, Any]]:
    out: list[Any] = [b.header(t("projects.list.title"))]
    if not projects:
        out.append(b.section(t("projects.list.none")))
        return b.to_dicts(out)
    lines = [
        t(
            "projects.list.line",
            project=p.number,
            title=escape(str(p.plan.get("title") or "")),
            state=_state(t, p.state),
        )
        for p in projects[:SHOWN]
    ]
    out += b.sections(lines)
    return b.to_dicts(out)
