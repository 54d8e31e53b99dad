"""Customer complaints in Slack (004 §4.2): `/procedo complaint` files one, its card in the
service channel carries the button for the step that is due (assign, response, resolution,
revisit), each opening a small modal; `/procedo complaint CP-0001` shows one, `/procedo
complaints [YYYY-MM]` the month's figures. The clock nudges, escalates and posts the report."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NoReturn

from slack_bolt import App
from slack_bolt.context.respond import Respond

from handlers import complaint_jobs
from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from handlers.modules import ProcedureModule
from procedures import forms
from procedures.complaints import DOMAIN, STATE_NAMES, ComplaintsPolicy, cases
from procedures.complaints.clock import figures_of, month_complaints
from procedures.engine import Ctx
from procedures.errors import Conflict, DomainError, InvalidInput, NotAllowed
from procedures.policy import Policy
from slackui.commands import FormEntry, HelpEntry, Subcommand
from slackui.payloads import parse_id
from slackui.views import complaints as views
from slackui.views.forms import read_state, view_errors
from store import complaints_repo
from store.directory import Directory
from store.models.complaints import Complaint


def section(policy: Policy) -> ComplaintsPolicy:
    return policy.section(ComplaintsPolicy)


def _enabled(policy: Policy) -> bool:
    return section(policy).enabled and bool(section(policy).severities)


def _refuse(
    deps: Deps, complaint_id: int, user: str, attempted: str, error: DomainError
) -> NoReturn:
    """Audit the refused attempt in its own unit of work, then tell the user why."""
    with deps.sessions.begin() as session:
        cases.refused(session, complaint_id, user, attempted, deps.clock.now())
    raise error


def _may_see(deps: Deps, row: Complaint, user: str) -> bool:
    policy = section(deps.policy)
    with deps.sessions.read() as session:
        directory = Directory(session)
        watchers = {
            *directory.users_with_role(policy.lead_role),
            *directory.users_with_role(policy.revisit_role),
        }
    return user in {row.filed_by, row.owner, *watchers} or deps.is_bot_admin(user)


def _complaint(deps: Deps, user: str, respond: Respond, rest: str, **kwargs: Any) -> None:
    me = deps.people.view(user)
    policy = section(deps.policy)
    if not rest:
        command = kwargs.get("command") or {}
        _open_form(deps, {"trigger_id": command["trigger_id"], "user": {"id": user}})
        return
    number = cases.parse_number(rest)
    if number is None:
        respond(text=me.t("complaints.usage", cite=policy.cite), response_type="ephemeral")
        return
    with deps.sessions.read() as session:
        row = complaints_repo.by_number(session, number)
        if row is not None:
            session.expunge(row)
    if row is None:
        respond(text=me.t("complaints.error.no_such"), response_type="ephemeral")
        return
    if not _may_see(deps, row, user):
        _refuse(
            deps, row.id, user, "show", NotAllowed("complaints.error.not_yours", cite=policy.cite)
        )
    text, blocks = views.card(row, policy, me.t, deps.org_tz())
    blocks = [blk for blk in blocks if blk.get("type") != "actions"]  # the card's buttons act
    respond(text=text, blocks=blocks, response_type="ephemeral")


def _month(deps: Deps, rest: str) -> tuple[int, int] | None:
    if not rest:
        today = deps.clock.now().astimezone(deps.org_tz()).date()
        return today.year, today.month
    try:
        parsed = datetime.strptime(rest.strip()[:7], "%Y-%m")
    except ValueError:
        return None
    if len(rest.strip()) != 7 or not 2000 <= parsed.year <= 2100:
        return None
    return parsed.year, parsed.month


def _figures(deps: Deps, user: str, respond: Respond, rest: str, **_: Any) -> None:
    me = deps.people.view(user)
    policy = section(deps.policy)
    month = _month(deps, rest)
    if month is None:
        respond(text=me.t("complaints.figures.usage", cite=policy.cite), response_type="ephemeral")
        return
    tz = deps.org_tz()
    with deps.sessions.read() as session:
        found = figures_of(month_complaints(session, *month, tz), policy)
    text, blocks = views.figures_blocks(me.t, found, *month, policy.cite)
    respond(text=text, blocks=blocks, response_type="ephemeral")


def _listeners(app: App, deps: Deps) -> None:
    on = listener(deps)
    policy = section(deps.policy)

    @app.view(views.FORM)
    @on
    def filed(i: Interaction) -> None:
        fields = views.form_fields(policy)
        today = deps.clock.now().astimezone(deps.org_tz()).date()
        values, errors = forms.validate(fields, read_state(fields, i.state_values), today=today)
        if errors:
            i.field_errors(view_errors(errors, i.t))
            return

        def work(ctx: Ctx) -> cases.Filed:
            done = cases.file(
                ctx.session,
                policy,
                user=i.user,
                customer=str(values["customer"]),
                channel=str(values["channel"]),
                description=str(values["description"]),
                severity=str(values["severity"]),
                now=ctx.now,
            )
            ctx.jobs.extend(done.jobs)
            return done

        t = i.t
        done = i.run(work, once=True)
        i.ack(response_action="update", view=views.filed(t, done.number, policy.cite))

    def clicked(i: Interaction) -> None:
        complaint_id = parse_id(i.value)
        action = i.body["actions"][0].get("action_id")
        step = views.STEP_OF.get(str(action))
        with deps.sessions.read() as session:
            row = cases.load(session, complaint_id)
            session.expunge(row)
            allowed = {
                "open": i.user in cases.leads(session, policy),
                "assigned": i.user == row.owner,
                "responded": i.user == row.owner,
                "resolved": cases.may_revisit(session, policy, row, i.user),
            }
        if step is None or step != row.state:
            error: DomainError = Conflict(
                "complaints.error.out_of_order",
                number=cases.number_of(row),
                state=STATE_NAMES.get(row.state, row.state),
                cite=policy.cite,
            )
            _refuse(deps, row.id, i.user, f"{step}:{row.state}", error)
        if not allowed[step]:
            key = {
                "open": "complaints.error.not_lead",
                "resolved": "complaints.error.not_revisitor",
            }
            _refuse(
                deps,
                row.id,
                i.user,
                step,
                NotAllowed(
                    key.get(step, "complaints.error.not_owner"),
                    number=cases.number_of(row),
                    cite=policy.cite,
                ),
            )
        trigger, modal = i.trigger_id, views.step_modal(policy, i.t, row)
        i.ack()
        deps.client.views_open(trigger_id=trigger, view=modal)

    for action in views.BUTTONS.values():
        app.action(action)(on(clicked))

    @app.view(views.STEP)
    @on
    def step_submitted(i: Interaction) -> None:
        meta = views.StepMeta.load(i.view.get("private_metadata"))
        if meta.step not in views.BUTTONS:
            raise InvalidInput("error.bad_payload")
        fields = views.step_fields(policy, meta.step)
        today = deps.clock.now().astimezone(deps.org_tz()).date()
        values, errors = forms.validate(fields, read_state(fields, i.state_values), today=today)
        if errors:
            i.field_errors(view_errors(errors, i.t))
            return
        i.error_block = f"f:{fields[0].id}"  # a refusal shows under the modal's first field

        def work(ctx: Ctx) -> None:
            s, now = ctx.session, ctx.now
            if meta.step == "open":
                out = cases.assign(
                    s, policy, meta.id, actor=i.user, owner=str(values["owner"]), now=now
                )
            elif meta.step == "assigned":
                out = cases.respond(
                    s, policy, meta.id, actor=i.user, response=str(values["text"]), now=now
                )
            elif meta.step == "responded":
                out = cases.resolve(
                    s, policy, meta.id, actor=i.user, resolution=str(values["text"]), now=now
                )
            else:
                out = cases.revisit(
                    s, policy, meta.id, actor=i.user,
                    handling_score=int(values["handling"]),
                    satisfaction_score=int(values["satisfaction"]),
                    note=str(values["note"]) if values.get("note") else None, now=now,
                )  # fmt: skip
            ctx.jobs.extend(out)

        try:
            i.run(work, once=True)
        except (NotAllowed, Conflict) as exc:
            _refuse(deps, meta.id, i.user, meta.step, exc)
        i.ack()


def _open_form(deps: Deps, body: dict[str, Any]) -> None:
    t = deps.people.translator(str((body.get("user") or {}).get("id") or ""), refresh=False)
    deps.client.views_open(trigger_id=body["trigger_id"], view=views.form(section(deps.policy), t))


MODULE = ProcedureModule(
    domain=DOMAIN,
    help=(
        HelpEntry("/procedo complaint", "help.procedo.complaint", "/procedo complaint"),
        HelpEntry(
            "/procedo complaint NUMBER", "help.procedo.complaint_show", "/procedo complaint CP-0001"
        ),
        HelpEntry("/procedo complaints", "help.procedo.complaints", "/procedo complaints 2026-11"),
    ),
    subcommands=(
        Subcommand("complaint", _complaint, aliases=("投诉",)),
        Subcommand("complaints", _figures, aliases=("投诉统计",)),
    ),
    forms=(
        FormEntry(
            "complaint", "complaints.form", "complaints.new.name", "complaints.new.description"
        ),
    ),
    openers=lambda deps: {"complaints.form": _open_form},
    listeners=_listeners,
    jobs=complaint_jobs.jobs,
    maintenance=complaint_jobs.maintenance,
    enabled=_enabled,
)
