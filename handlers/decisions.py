"""Buttons and modals for deciding requests: Approve, Reject, Return, Delegate, admin override;
and the requester's Withdraw, Edit & resubmit, Ask to cancel.

Races are settled in the database (see procedures.decisions): the loser of two clicks is told
who decided and when, and the stale card is refreshed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

from slack_bolt import App

from handlers.deps import Deps
from handlers.interaction import Interaction, Listener, listener
from handlers.outbox import Post, schedule_posts
from procedures import decisions, engine, requests
from procedures.approvals import Decision
from procedures.decisions import Outcome, Stale
from procedures.engine import Ctx
from procedures.errors import DomainError, InvalidInput, NotAllowed
from procedures.request_view import RequestView, StepView, snapshot
from slackui.ids import Action, Callback
from slackui.payloads import DecisionMeta, RequestRef, StepRef
from slackui.timefmt import slack_time
from slackui.views import request_modals as modals
from slackui.views import requests as views
from store import requests_repo

T = TypeVar("T")


def current_view(deps: Deps, request_id: int) -> RequestView:
    with deps.sessions.read() as session:
        request = requests_repo.get(session, request_id)
        if request is None:
            raise DomainError("request.error.not_found")
        return snapshot(session, deps.policy, request)


def explain_stale(
    deps: Deps, request_id: int, round_: int, position: int, user: str, *, acked: bool = False
) -> str:
    """ "EX-0007 is already approved: by @bob at 10:02." — and refresh the card. Once the
    interaction is `acked`, the profile may be fetched (a first-time user's language)."""
    me = deps.people.view(user, refresh=acked)
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


def _told(outcome: Outcome, decision: str) -> str:
    if outcome.kind == "vote":
        return "request.told.vote"
    return {
        "approve": "request.told.approved",
        "reject": "request.told.rejected",
        "return": "request.told.returned",
    }[decision]


def register(app: App, deps: Deps) -> None:
    on = listener(deps)

    @app.action(Action.REQUEST_APPROVE)
    @on
    def approve(i: Interaction) -> None:
        i.ack()
        ref = StepRef.parse(i.value)
        request_id, round_, position = ref.request_id, ref.round, ref.position
        try:
            outcome = i.run(
                lambda ctx: decisions.decide(
                    ctx, request_id, i.user, Decision.APPROVE, round_=round_, position=position
                ),
            )
        except Stale:
            i.reply(explain_stale(deps, request_id, round_, position, i.user, acked=True))
            return
        _after_outcome(i, outcome, "approve", (request_id, round_, position))

    def _needs_reason(decision: str) -> Listener:
        def handler(i: Interaction) -> None:
            i.ack()
            clicked = Clicked.read(i)
            if clicked is None:
                return
            meta = {**clicked.meta, "decision": decision}
            # `field: requester` names the requester on purpose (the inspector re-inspects).
            if i.user == clicked.view.requester and clicked.step.kind != "field":
                clicked.refuse(attempted=decision, key="request.error.own")
            if i.user in clicked.step.waiting:
                modal = modals.reason_modal(
                    i.t, number=clicked.view.number, decision=decision, metadata=meta
                )
            elif deps.is_bot_admin(i.user):
                modal = modals.override_modal(i.t, number=clicked.view.number, metadata=meta)
            else:
                clicked.refuse(attempted=decision)
            deps.client.views_open(trigger_id=i.trigger_id, view=modal)

        handler.__name__ = f"{decision}_clicked"
        return handler

    app.action(Action.REQUEST_REJECT)(on(_needs_reason("reject")))
    app.action(Action.REQUEST_RETURN)(on(_needs_reason("return")))

    @app.view(Callback.REQUEST_REASON)
    @on
    def reason_submitted(i: Interaction) -> None:
        i.error_block = modals.REASON_BLOCK
        meta = DecisionMeta.load(i.view.get("private_metadata"))
        reason = (modals.state_value(i.view, modals.REASON_BLOCK) or "").strip()
        decision = modals.state_value(i.view, modals.DECISION_BLOCK) or meta.decision
        if not reason:
            raise InvalidInput("request.error.reason_required")
        try:
            outcome = i.run(
                lambda ctx: decisions.decide(
                    ctx,
                    meta.request_id,
                    i.user,
                    Decision(decision or "approve"),
                    round_=meta.round,
                    position=meta.position,
                    reason=reason,
                    override=meta.override,
                ),
                once=True,
            )
        except Stale:
            message = explain_stale(deps, meta.request_id, meta.round, meta.position, i.user)
            i.field_errors({modals.REASON_BLOCK: message})
            return
        if outcome.kind == "refused":
            raise NotAllowed(outcome.why)
        i.ack()
        confirm_done(i, meta.request_id, _told(outcome, decision or "approve"))

    @app.action(Action.REQUEST_DELEGATE)
    @on
    def delegate_clicked(i: Interaction) -> None:
        i.ack()
        clicked = Clicked.read(i)
        if clicked is None:
            return
        if i.user not in clicked.step.waiting:
            clicked.refuse(attempted="delegate")
        modal = modals.delegate_modal(i.t, number=clicked.view.number, metadata=clicked.meta)
        deps.client.views_open(trigger_id=i.trigger_id, view=modal)

    @app.view(Callback.REQUEST_DELEGATE)
    @on
    def delegate_submitted(i: Interaction) -> None:
        i.error_block = modals.DELEGATE_BLOCK
        meta = DecisionMeta.load(i.view.get("private_metadata"))
        to = modals.state_value(i.view, modals.DELEGATE_BLOCK)
        try:
            i.run(
                lambda ctx: decisions.delegate(
                    ctx,
                    meta.request_id,
                    i.user,
                    to or "",
                    round_=meta.round,
                    position=meta.position,
                ),
                once=True,
            )
        except Stale:
            message = explain_stale(deps, meta.request_id, meta.round, meta.position, i.user)
            i.field_errors({modals.DELEGATE_BLOCK: message})
            return
        i.ack()
        confirm_done(i, meta.request_id, "request.told.delegated", to=to)

    @app.action(Action.REQUEST_WITHDRAW)
    @on
    def withdraw(i: Interaction) -> None:
        i.ack()
        request_id = RequestRef.parse(i.value).request_id
        request = run_or_refuse(
            i, request_id, "withdraw", lambda ctx: requests.withdraw(ctx, request_id, i.user)
        )
        i.reply(i.t("request.told.withdrawn", number=current_view(deps, request.id).number))

    @app.action(Action.REQUEST_CANCEL)
    @on
    def cancel_clicked(i: Interaction) -> None:
        i.ack()
        view = current_view(deps, RequestRef.parse(i.value).request_id)
        # Only the requester of an approved, cancellable request gets the modal.
        if view.requester != i.user:
            refuse(i, view.id, "cancel", NotAllowed("request.error.not_yours"))
        if not view.spec.cancellable:
            refuse(i, view.id, "cancel", NotAllowed("request.error.not_cancellable"))
        if view.state != "approved":
            raise DomainError("request.error.not_now", state=view.state)
        deps.client.views_open(
            trigger_id=i.trigger_id,
            view=modals.cancel_modal(i.t, number=view.number, request_id=view.id),
        )

    @app.view(Callback.REQUEST_CANCEL)
    @on
    def cancel_submitted(i: Interaction) -> None:
        i.error_block = modals.REASON_BLOCK
        meta = RequestRef.load(i.view.get("private_metadata"))
        reason = (modals.state_value(i.view, modals.REASON_BLOCK) or "").strip()
        run_or_refuse(
            i,
            meta.request_id,
            "cancel",
            lambda ctx: requests.ask_cancel(ctx, meta.request_id, i.user, reason),
            once=True,
        )
        i.ack()


def confirm_done(i: Interaction, request_id: int, key: str, **params: Any) -> None:
    """A DM confirming what the user just did, queued like every message that must arrive."""
    number = current_view(i.deps, request_id).number
    i.deps.after_commit(schedule_posts(i.deps, [Post(i.user, i.t(key, number=number, **params))]))


def audit_refusal(ctx: Ctx, request_id: int, user: str, attempted: str) -> None:
    request = engine.load(ctx, request_id)
    engine.record(ctx, request, "request.refused", user, attempted=attempted)


def refuse(i: Interaction, request_id: int, attempted: str, error: NotAllowed) -> NoReturn:
    """Audit a refused attempt in a unit of work of its own (the refused one rolled back),
    then tell the user why."""
    i.run(lambda ctx: audit_refusal(ctx, request_id, i.user, attempted))
    raise error


def run_or_refuse(
    i: Interaction,
    request_id: int,
    attempted: str,
    work: Callable[[Ctx], T],
    *,
    once: bool = False,
) -> T:
    """`i.run(work)`; if the engine refuses the user (`NotAllowed`), the attempt is audited."""
    try:
        return i.run(work, once=once)
    except NotAllowed as exc:
        refuse(i, request_id, attempted, exc)


@dataclass(frozen=True)
class Clicked:
    """A decision button pressed on a step that is still open (else the clicker is told)."""

    i: Interaction
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
    def read(cls, i: Interaction, value: str | None = None) -> Clicked | None:
        ref = StepRef.parse(value if value is not None else i.value)
        request_id, round_, position = ref.request_id, ref.round, ref.position
        view = current_view(i.deps, request_id)
        step = open_step(view, round_, position)
        if step is None:
            i.reply(explain_stale(i.deps, request_id, round_, position, i.user, acked=True))
            return None
        return cls(i, view, step)

    def refuse(self, *, attempted: str, key: str = "request.error.not_approver") -> NoReturn:
        """Not one of this step's approvers: the attempt is audited and the user told."""
        refuse(self.i, self.view.id, attempted, NotAllowed(key))


def _after_outcome(
    i: Interaction, outcome: Outcome, decision: str, where: tuple[int, int, int]
) -> None:
    request_id, round_, position = where
    if outcome.kind == "refused":
        raise NotAllowed(outcome.why)
    if outcome.kind == "needs_override":
        view = current_view(i.deps, request_id)
        meta = {
            "request_id": request_id,
            "round": round_,
            "position": position,
            "decision": decision,
        }
        i.deps.client.views_open(
            trigger_id=i.trigger_id,
            view=modals.override_modal(i.t, number=view.number, metadata=meta),
        )
        return
    i.reply(i.t(_told(outcome, decision), number=current_view(i.deps, request_id).number))
