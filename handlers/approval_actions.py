"""Listeners for the approval actions (see `procedures.actions`): the "…" menu on a step's
prompt and on each approver's DM (转交 transfer, 加签 add an approver before / after, 退回 return
to an earlier step), the modals they open, and the requester's Nudge (催办) button.

Every listener runs through `handlers.interaction`: a button is acked first (its modal opens
right after, within the trigger's 3 s), a modal's submission is validated and committed, then
acked; what Slack must show comes from the request's sync job after the ack.
"""

from __future__ import annotations

from slack_bolt import App

from handlers.decisions import Clicked, confirm_done, current_view, explain_stale
from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from procedures import actions
from procedures.errors import InvalidInput
from procedures.request_view import RequestView, StepView
from slackui.ids import Action, Callback
from slackui.payloads import ActionMeta
from slackui.views import actions as views
from slackui.views.request_modals import state_value


def register(app: App, deps: Deps) -> None:
    on = listener(deps)

    @app.action(Action.REQUEST_MORE)
    @on
    def more_clicked(i: Interaction) -> None:
        i.ack()
        picked = i.body["actions"][0].get("selected_option") or {}
        meta = ActionMeta.parse_action(str(picked.get("value") or ""))
        clicked = Clicked.read(i, meta.value().partition("|")[2])
        if clicked is None:
            return
        if i.user not in clicked.step.waiting:
            clicked.refuse(attempted=meta.action, key="request.error.not_assignee")
        if meta.action == "return_to":
            targets = _targets(clicked.view, clicked.step, i)
            modal = views.return_modal(i.t, number=clicked.view.number, targets=targets, meta=meta)
        else:
            modal = views.person_modal(i.t, number=clicked.view.number, meta=meta)
        deps.client.views_open(trigger_id=i.body["trigger_id"], view=modal)

    @app.view(Callback.REQUEST_PERSON)
    @on
    def person_submitted(i: Interaction) -> None:
        i.error_block = views.PERSON_BLOCK
        meta = ActionMeta.load(i.view.get("private_metadata"))
        person = str(state_value(i.view, views.PERSON_BLOCK) or "")
        reason = (state_value(i.view, views.REASON_BLOCK) or "").strip()
        if meta.action != "transfer" and not reason:
            i.field_errors({views.REASON_BLOCK: i.t("request.error.reason_required")})
            return
        where: actions.Where = "before" if meta.action == "add_before" else "after"
        try:
            i.run(
                lambda ctx: (
                    actions.transfer(
                        ctx,
                        meta.request_id,
                        i.user,
                        person,
                        reason,
                        round_=meta.round,
                        position=meta.position,
                    )
                    if meta.action == "transfer"
                    else actions.add_approver(
                        ctx,
                        meta.request_id,
                        i.user,
                        person,
                        where,
                        reason,
                        round_=meta.round,
                        position=meta.position,
                    )
                ),
                once=True,
            )
        except actions.Stale:
            message = explain_stale(deps, meta.request_id, meta.round, meta.position, i.user)
            i.field_errors({views.PERSON_BLOCK: message})
            return
        i.ack()
        key = "request.told.transferred" if meta.action == "transfer" else "request.told.added"
        confirm_done(i, meta.request_id, key, to=person)

    @app.view(Callback.REQUEST_RETURN_TO)
    @on
    def return_submitted(i: Interaction) -> None:
        i.error_block = views.TARGET_BLOCK
        meta = ActionMeta.load(i.view.get("private_metadata"))
        target = str(state_value(i.view, views.TARGET_BLOCK) or actions.START)
        reason = (state_value(i.view, views.REASON_BLOCK) or "").strip()
        if not reason:
            i.field_errors({views.REASON_BLOCK: i.t("request.error.reason_required")})
            return
        try:
            i.run(
                lambda ctx: actions.return_to(
                    ctx,
                    meta.request_id,
                    i.user,
                    target,
                    reason,
                    round_=meta.round,
                    position=meta.position,
                ),
                once=True,
            )
        except actions.Stale:
            message = explain_stale(deps, meta.request_id, meta.round, meta.position, i.user)
            i.field_errors({views.TARGET_BLOCK: message})
            return
        i.ack()
        confirm_done(i, meta.request_id, "request.told.returned")

    @app.action(Action.REQUEST_NUDGE)
    @on
    def nudge_clicked(i: Interaction) -> None:
        i.ack()
        try:
            request_id = int(str(i.body["actions"][0]["value"]))
        except ValueError:
            raise InvalidInput("error.bad_payload") from None
        nudged = i.run(lambda ctx: actions.nudge(ctx, request_id, i.user))
        view = current_view(deps, nudged.request_id)
        people = i.t.join(f"<@{u}>" for u in nudged.users) or i.t("common.none")
        i.reply(i.t("request.told.nudged", number=view.number, people=people))


def _targets(view: RequestView, step: StepView, i: Interaction) -> list[tuple[str, str]]:
    """The earlier steps (declared ones) a decision may go back to, the requester first."""
    out = [(actions.START, views.target_label(i.t, actions.START, None, {}))]
    for earlier in view.steps:
        if earlier.position >= step.position or earlier.spec_index is None:
            continue
        key = str(earlier.spec_index)
        out.append((key, views.target_label(i.t, key, earlier.position, earlier.label)))
    return out
