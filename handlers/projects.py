"""Projects in Slack (立项 / 验收, 001 §3): `/procedo project …` and `/procedo 立项`, the three
forms filed under a project number (answered here, so each request is linked to its project in
the transaction that files it), and the task letter (任务书) once a proposal is approved. The
routes and buttons are the engine's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond

from handlers.deps import Deps, Opener
from handlers.interaction import Interaction, listener
from handlers.modules import ProcedureModule
from handlers.requests import problem_errors
from procedures import forms
from procedures.engine import Ctx
from procedures.errors import DomainError, NotAllowed
from procedures.policy import Policy
from procedures.policy.procedures import ProcedureSpec
from procedures.projects import DOMAIN, lifecycle
from procedures.projects import plan as plans
from procedures.projects.hooks import CITE, LETTER
from procedures.projects.lifecycle import ACCEPTANCE, CHANGE, INITIATION
from scheduler.registry import JobHandler
from slackui.commands import HelpEntry, Subcommand
from slackui.i18n import Translator
from slackui.views import projects as views
from slackui.views.forms import read_state, view_errors
from store import projects_repo
from store.jobs import ClaimedJob


def _enabled(policy: Policy) -> bool:
    spec = policy.procedure(INITIATION)
    return spec is not None and spec.enabled


def _spec(deps: Deps, procedure: str) -> ProcedureSpec:
    spec = deps.policy.procedure(procedure)
    assert spec is not None  # the module is switched on only with its procedures
    return spec


def _open_proposal(deps: Deps, trigger_id: str, user: str) -> None:
    t = deps.people.translator(user, refresh=False)
    deps.client.views_open(trigger_id=trigger_id, view=views.form(_spec(deps, INITIATION), t))


def _checked(
    deps: Deps, user: str, text: str, attempted: str, check: Callable[[Ctx, Any, str], None]
) -> tuple[int, dict[str, Any]]:
    """The project named, if `user` may file this under it now; a refusal is audited."""
    refused: DomainError | None = None
    with deps.sessions.begin() as session:
        ctx = deps.engine_context(session)
        project = lifecycle.find(ctx, text)
        try:
            check(ctx, project, user)
        except DomainError as exc:
            lifecycle.refuse(ctx, project, user, attempted, exc)
            refused = exc
        number, plan = project.number, dict(project.plan)
    if refused is not None:
        raise refused
    return number, plan


def _project(deps: Deps, user: str, respond: Respond, rest: str, **kwargs: Any) -> None:
    words = rest.split()
    verb = words[0].lower() if words else ""
    trigger_id = str(kwargs["command"]["trigger_id"])
    if verb in ("new", "新建", "立项"):
        _open_proposal(deps, trigger_id, user)
        return
    if verb in ("change", "调整", "变更") and len(words) == 2:
        number, plan = _checked(deps, user, words[1], "change", lifecycle.check_change)
        t = deps.people.translator(user, refresh=False)
        modal = views.form(_spec(deps, CHANGE), t, project=number, initial=plan)
        deps.client.views_open(trigger_id=trigger_id, view=modal)
        return
    if verb in ("accept", "验收") and len(words) == 2:
        number, _plan = _checked(deps, user, words[1], "accept", lifecycle.check_acceptance)
        t = deps.people.translator(user, refresh=False)
        modal = views.form(_spec(deps, ACCEPTANCE), t, project=number)
        deps.client.views_open(trigger_id=trigger_id, view=modal)
        return
    me = deps.people.view(user)
    if len(words) > 1 or (words and plans.parse_number(words[0]) is None):
        respond(text=me.t("projects.usage"), response_type="ephemeral")
        return
    spec = _spec(deps, INITIATION)
    with deps.sessions.read() as session:
        ctx = deps.engine_context(session)
        if not words:
            found = lifecycle.mine(ctx, user)
            blocks = views.list_blocks(me.t, found)
            title = me.t("projects.list.title")
        else:
            project = lifecycle.find(ctx, words[0])
            shown = plans.show_number(project.number)
            if not lifecycle.may_see(ctx, project, user):
                raise NotAllowed("projects.error.not_visible", project=shown, cite=CITE)
            blocks = views.project_blocks(spec, me.t, lifecycle.view(ctx, project))
            title = me.t("projects.show.title", project=shown)
    respond(text=title, blocks=blocks, response_type="ephemeral")


def _propose(deps: Deps, user: str, _respond: Respond, _rest: str, **kwargs: Any) -> None:
    _open_proposal(deps, str(kwargs["command"]["trigger_id"]), user)


def _submitted(i: Interaction) -> None:
    """Validate in the ack (field errors in the user's language), then file under the
    project, once per view; the ack closes the modal and the engine's DM gives the number."""
    deps, user, t = i.deps, i.user, i.t
    meta = views.ProjectForm.load(i.view.get("private_metadata"))
    spec = _spec(deps, meta.procedure)
    today = deps.clock.now().astimezone(deps.org_tz()).date()
    payload, errors = forms.validate(
        spec.fields, read_state(spec.fields, i.state_values), today=today
    )
    if errors:
        i.field_errors(view_errors(errors, t))
        return
    number = meta.project

    def work(ctx: Ctx) -> object:
        if meta.procedure == INITIATION:
            return lifecycle.propose(ctx, user, payload)
        if number is None:
            raise NotAllowed("projects.error.use_command", cite=CITE)
        if meta.procedure == CHANGE:
            return lifecycle.change(ctx, number, user, payload)
        return lifecycle.apply(ctx, number, user, payload)

    try:
        i.run(work, once=True)
    except DomainError as exc:
        if number is not None and isinstance(exc, NotAllowed):
            refused = exc
            i.run(lambda ctx: _audit_refusal(ctx, number, user, meta.procedure, refused))
        i.field_errors(problem_errors(spec, exc, t))
        return
    i.ack()


def _audit_refusal(ctx: Ctx, number: int, user: str, attempted: str, error: Exception) -> None:
    project = projects_repo.by_number(ctx.session, number)
    if project is not None:
        lifecycle.refuse(ctx, project, user, attempted, error)


def _listeners(app: App, deps: Deps) -> None:
    on = listener(deps)

    @app.view(views.FORM)
    @on
    def form_submitted(i: Interaction) -> None:
        _submitted(i)


def _openers(deps: Deps) -> dict[str, Opener]:
    """`/procedo new project…` and its buttons: the proposal form, or how to file the others."""

    def proposal(deps: Deps, body: dict[str, Any]) -> None:
        _open_proposal(deps, str(body["trigger_id"]), str(body["user"]["id"]))

    def telling(key: str) -> Opener:
        def opener(deps: Deps, body: dict[str, Any]) -> None:
            t = deps.people.translator(str(body["user"]["id"]), refresh=False)
            deps.client.views_open(
                trigger_id=body["trigger_id"], view=views.notice_modal(t, t(key))
            )

        return opener

    return {
        f"new:{INITIATION}": proposal,
        f"new:{CHANGE}": telling("projects.use_change"),
        f"new:{ACCEPTANCE}": telling("projects.use_accept"),
    }


def _letter(deps: Deps, job: ClaimedJob) -> None:
    """Post the task letter to one person (in their language) or the policy's channel."""
    user, purpose = job.payload.get("user"), job.payload.get("channel")
    with deps.sessions.read() as session:
        ctx = deps.engine_context(session)
        project = projects_repo.get(session, int(job.payload["project_id"]))
        if project is None:
            return
        shown = lifecycle.view(ctx, project)
        channel = deps.channel_for(session, str(purpose)) if purpose else None
    spec = _spec(deps, INITIATION)
    if isinstance(user, str):
        text, blocks = views.letter(spec, deps.people.view(user).t, shown)
        deps.deliver.dm(user, text=text, blocks=blocks)
    elif channel:
        text, blocks = views.letter(spec, Translator(deps.org_language()), shown)
        deps.deliver.post(channel, text=text, blocks=blocks)


def _jobs(deps: Deps) -> dict[str, JobHandler]:
    return {LETTER: lambda job: _letter(deps, job)}


MODULE = ProcedureModule(
    domain=DOMAIN,
    help=(HelpEntry("/procedo project", "help.procedo.project", "/procedo project PJ-0001"),),
    subcommands=(
        Subcommand("project", _project, aliases=("projects", "项目")),
        Subcommand("立项", _propose),
    ),
    listeners=_listeners,
    openers=_openers,
    jobs=_jobs,
    enabled=_enabled,
)
