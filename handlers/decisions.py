"""Buttons and modals for deciding requests: Approve, Reject, Return, Delegate, admin override;
and the requester's Withdraw, Edit & resubmit, Ask to cancel.

Races are settled in the database (see procedures.decisions): the loser of two clicks is told
who decided and when, and the stale card is refreshed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from sqlalchemy.orm.exc import StaleDataError

from bot.deps import Deps
from bot.i18n import Translator
from bot.ids import Action, Callback
from bot.timefmt import slack_time
from bot.views import request_modals as modals
from bot.views import requests as views
from procedures import decisions, engine, requests
from procedures.approvals import Decision
from procedures.decisions import Outcome, Stale
from procedures.engine import Ctx
from procedures.errors import Conflict, DomainError, InvalidInput
from procedures.request_view import RequestView, StepView, snapshot
from store import requests_repo

T = TypeVar("T")


def run(deps: Deps, work: Callable[[Ctx], T]) -> T:
    """One engine operation in one transaction, retried once if it lost a race on the version
    column (an all-approvers step can take two votes at once); then its jobs run."""
    for attempt in (1, 2):
        try:
            with deps.sessions.begin() as session:
                ctx = deps.engine_context(session)
                result = work(ctx)
        except StaleDataError:
            if attempt == 2:
                raise Stale("request.error.stale") from None
            continue
        deps.after_commit(ctx.jobs)
        return result
    raise AssertionError("unreachable")


def current_view(deps: Deps, request_id: int) -> RequestView:
    with deps.sessions.begin() as session:
        request = requests_repo.get(session, request_id)
        if request is None:
            raise DomainError("request.error.not_found")
        return snapshot(session, deps.policy, request)


def explain_stale(deps: Deps, request_id: int, round_: int, position: int, user: str) -> str:
    """ "EX-0007 is already approved: by @bob at 10:02." — and refresh the card."""
    me = deps.people.view(user, refresh=False)
    t, tz = me.t, me.tz
    view = current_view(deps, request_id)
    with deps.sessions.begin() as session:
        ctx = deps.engine_context(session)
        request = engine.load(ctx, request_id)
        engine.sync(ctx, request)
    deps.after_commit(ctx.jobs)
    clicked = next((s for s in view.steps if s.round == round_ and s.position == position), None)
    deciders = clicked.deciders if clicked is not None and view.round == round_ else []
    if deciders:
        last = max(deciders, key=lambda a: a.decided_at or view.created_at)
        state = views.state_name(t, last.decision or view.state)
        who = t(
            "request.told.already_by",
            user=last.user,
            when=slack_time(last.decided_at or view.created_at, tz, t.lang),
        )
        return t("request.told.already", number=view.number, state=state, who=who)
    if view.decided_at is not None:
        who = (
            t(
                "request.told.already_by",
                user=view.decided_by,
                when=slack_time(view.decided_at, tz, t.lang),
            )
            if view.decided_by
            else slack_time(view.decided_at, tz, t.lang)
        )
        return t(
            "request.told.already",
            number=view.number,
            state=views.state_name(t, view.state),
            who=who,
        )
    return t("request.told.moved_on", number=view.number)


def open_step(view: RequestView, round_: int, position: int) -> StepView | None:
    """The step a button was shown for, if it is still the one waiting for decisions."""
    step = view.current
    return step if step is not None and view.round == round_ and view.step == position else None


def tell_stale(
    deps: Deps, respond: Respond, request_id: int, round_: int, position: int, user: str
) -> None:
    respond(
        text=explain_stale(deps, request_id, round_, position, user),
        response_type="ephemeral",
        replace_original=False,
    )


def _told(outcome: Outcome, decision: str) -> str:
    if outcome.kind == "vote":
        return "request.told.vote"
    return {
        "approve": "request.told.approved",
        "reject": "request.told.rejected",
        "return": "request.told.returned",
    }[decision]


def register(app: App, deps: Deps) -> None:
    @app.action(Action.REQUEST_APPROVE)
    def approve(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        request_id, round_, position = views.parse_decision_value(action["value"])
        t = deps.people.translator(user)
        try:
            outcome = run(
                deps,
                lambda ctx: decisions.decide(
                    ctx, request_id, user, Decision.APPROVE, round_=round_, position=position
                ),
            )
        except Stale:
            tell_stale(deps, respond, request_id, round_, position, user)
            return
        _after_outcome(deps, body, outcome, "approve", (request_id, round_, position), t, respond)

    def _needs_reason(decision: str) -> Callable[..., None]:
        def handler(
            ack: Ack, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Respond
        ) -> None:
            ack()
            clicked = Clicked.read(deps, body, action, respond)
            if clicked is None:
                return
            meta = {**clicked.meta, "decision": decision}
            # `field: requester` names the requester on purpose (the inspector re-inspects).
            if clicked.user == clicked.view.requester and clicked.step.kind != "field":
                raise DomainError("request.error.own")
            if clicked.user in clicked.step.waiting:
                modal = modals.reason_modal(
                    clicked.t, number=clicked.view.number, decision=decision, metadata=meta
                )
            elif deps.is_bot_admin(clicked.user):
                modal = modals.override_modal(clicked.t, number=clicked.view.number, metadata=meta)
            else:
                clicked.refuse(deps, decision)
            client.views_open(trigger_id=body["trigger_id"], view=modal)

        return handler

    app.action(Action.REQUEST_REJECT)(_needs_reason("reject"))
    app.action(Action.REQUEST_RETURN)(_needs_reason("return"))

    @app.view(Callback.REQUEST_REASON)
    def reason_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        t = deps.people.translator(user, refresh=False)
        meta = json.loads(view["private_metadata"])
        reason = (modals.state_value(view, modals.REASON_BLOCK) or "").strip()
        decision = modals.state_value(view, modals.DECISION_BLOCK) or meta["decision"]
        if not reason:
            ack(
                response_action="errors",
                errors={modals.REASON_BLOCK: t("request.error.reason_required")},
            )
            return
        try:
            outcome = run(
                deps,
                lambda ctx: decisions.decide(
                    ctx,
                    meta["request_id"],
                    user,
                    Decision(decision),
                    round_=meta["round"],
                    position=meta["position"],
                    reason=reason,
                    override=bool(meta.get("override")),
                ),
            )
        except Stale:
            message = explain_stale(deps, meta["request_id"], meta["round"], meta["position"], user)
            ack(response_action="errors", errors={modals.REASON_BLOCK: message})
            return
        except DomainError as exc:
            ack(response_action="errors", errors={modals.REASON_BLOCK: t(exc.key, **exc.params)})
            return
        if outcome.kind == "refused":
            ack(
                response_action="errors",
                errors={modals.REASON_BLOCK: t("request.error.not_approver")},
            )
            return
        ack()
        number = current_view(deps, meta["request_id"]).number
        deps.client.chat_postMessage(channel=user, text=t(_told(outcome, decision), number=number))

    @app.action(Action.REQUEST_DELEGATE)
    def delegate_clicked(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Respond
    ) -> None:
        ack()
        clicked = Clicked.read(deps, body, action, respond)
        if clicked is None:
            return
        if clicked.user not in clicked.step.waiting:
            clicked.refuse(deps, "delegate")
        modal = modals.delegate_modal(clicked.t, number=clicked.view.number, metadata=clicked.meta)
        client.views_open(trigger_id=body["trigger_id"], view=modal)

    @app.view(Callback.REQUEST_DELEGATE)
    def delegate_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        t = deps.people.translator(user, refresh=False)
        meta = json.loads(view["private_metadata"])
        to = modals.state_value(view, modals.DELEGATE_BLOCK)
        try:
            run(
                deps,
                lambda ctx: decisions.delegate(
                    ctx,
                    meta["request_id"],
                    user,
                    to or "",
                    round_=meta["round"],
                    position=meta["position"],
                ),
            )
        except (Conflict, InvalidInput, DomainError) as exc:
            message = t(exc.key, **exc.params)
            if isinstance(exc, Stale):
                message = explain_stale(
                    deps, meta["request_id"], meta["round"], meta["position"], user
                )
            ack(response_action="errors", errors={modals.DELEGATE_BLOCK: message})
            return
        ack()
        number = current_view(deps, meta["request_id"]).number
        deps.client.chat_postMessage(
            channel=user, text=t("request.told.delegated", to=to, number=number)
        )

    @app.action(Action.REQUEST_WITHDRAW)
    def withdraw(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        t = deps.people.translator(user)
        request = run(deps, lambda ctx: requests.withdraw(ctx, int(action["value"]), user))
        number = current_view(deps, request.id).number
        respond(
            text=t("request.told.withdrawn", number=number),
            response_type="ephemeral",
            replace_original=False,
        )

    @app.action(Action.REQUEST_CANCEL)
    def cancel_clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        ack()
        user = body["user"]["id"]
        t = deps.people.translator(user, refresh=False)
        view = current_view(deps, int(action["value"]))
        client.views_open(
            trigger_id=body["trigger_id"],
            view=modals.cancel_modal(t, number=view.number, request_id=view.id),
        )

    @app.view(Callback.REQUEST_CANCEL)
    def cancel_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        t = deps.people.translator(user, refresh=False)
        meta = json.loads(view["private_metadata"])
        reason = (modals.state_value(view, modals.REASON_BLOCK) or "").strip()
        try:
            run(deps, lambda ctx: requests.ask_cancel(ctx, meta["request_id"], user, reason))
        except DomainError as exc:
            ack(response_action="errors", errors={modals.REASON_BLOCK: t(exc.key, **exc.params)})
            return
        ack()


def _refuse(ctx: Ctx, request_id: int, user: str, attempted: str) -> None:
    request = engine.load(ctx, request_id)
    engine.record(ctx, request, "request.refused", user, attempted=attempted)


@dataclass(frozen=True)
class Clicked:
    """A decision button pressed on a step that is still open (else the clicker is told)."""

    user: str
    t: Translator
    view: RequestView
    step: StepView

    @property
    def meta(self) -> dict[str, int]:
        return {
            "request_id": self.view.id,
            "round": self.step.round,
            "position": self.step.position,
        }

    @classmethod
    def read(
        cls, deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> Clicked | None:
        user = body["user"]["id"]
        request_id, round_, position = views.parse_decision_value(action["value"])
        view = current_view(deps, request_id)
        step = open_step(view, round_, position)
        if step is None:
            tell_stale(deps, respond, request_id, round_, position, user)
            return None
        return cls(user, deps.people.translator(user, refresh=False), view, step)

    def refuse(self, deps: Deps, attempted: str) -> NoReturn:
        """Not one of this step's approvers: the attempt is audited and the user told."""
        run(deps, lambda ctx: _refuse(ctx, self.view.id, self.user, attempted))
        raise DomainError("request.error.not_approver")


def _after_outcome(
    deps: Deps,
    body: dict[str, Any],
    outcome: Outcome,
    decision: str,
    where: tuple[int, int, int],
    t: Translator,
    respond: Respond,
) -> None:
    request_id, round_, position = where
    if outcome.kind == "refused":
        raise DomainError("request.error.not_approver")
    if outcome.kind == "needs_override":
        view = current_view(deps, request_id)
        meta = {
            "request_id": request_id,
            "round": round_,
            "position": position,
            "decision": decision,
        }
        deps.client.views_open(
            trigger_id=body["trigger_id"],
            view=modals.override_modal(t, number=view.number, metadata=meta),
        )
        return
    number = current_view(deps, request_id).number
    respond(
        text=t(_told(outcome, decision), number=number),
        response_type="ephemeral",
        replace_original=False,
    )
