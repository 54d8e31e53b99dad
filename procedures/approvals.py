"""The approval engine's rules, pure: states and transitions, routing a chain to people, what a
step's decisions add up to, and who may decide. No Slack, no SQL.

A request is submitted, then pending at step k of its route, and ends approved, rejected,
withdrawn or expired; or it is returned for correction (退回补正), edited and resubmitted under
the same number with its history. An approved request of a cancellable procedure can be
cancelled, with the approver's consent.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, Protocol

from procedures.errors import Conflict, InvalidInput
from procedures.policy.steps import REQUESTER, StepSpec


class State(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    RETURNED = "returned"
    CANCELLING = "cancelling"  # approved, and the requester asked to cancel it
    CANCELLED = "cancelled"
    CLOSED = "closed"  # a case whose procedure `ends: closed` did its last task


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"


OPEN_STATES = frozenset({State.PENDING, State.CANCELLING})
FINAL_STATES = frozenset(
    {State.APPROVED, State.REJECTED, State.WITHDRAWN, State.EXPIRED, State.CANCELLED, State.CLOSED}
)

# (state, event) -> next state. Anything else is refused as a conflict.
TRANSITIONS: dict[tuple[State, str], State] = {
    (State.PENDING, "approve_last"): State.APPROVED,
    (State.PENDING, "close"): State.CLOSED,
    (State.PENDING, "approve_step"): State.PENDING,
    (State.PENDING, "reject"): State.REJECTED,
    (State.PENDING, "return"): State.RETURNED,
    (State.PENDING, "withdraw"): State.WITHDRAWN,
    (State.PENDING, "expire"): State.EXPIRED,
    (State.RETURNED, "resubmit"): State.PENDING,
    (State.RETURNED, "withdraw"): State.WITHDRAWN,
    (State.APPROVED, "cancel"): State.CANCELLING,
    (State.CANCELLING, "approve_last"): State.CANCELLED,
    (State.CANCELLING, "approve_step"): State.CANCELLING,
    (State.CANCELLING, "reject"): State.APPROVED,  # cancellation refused: it stays approved
    (State.CANCELLING, "withdraw"): State.APPROVED,  # the requester changed their mind
    (State.CANCELLING, "expire"): State.APPROVED,
}


def transition(state: str, event: str) -> State:
    try:
        return TRANSITIONS[(State(state), event)]
    except (KeyError, ValueError):
        raise Conflict("request.error.not_now", state=state) from None


class OrgView(Protocol):
    """What routing needs from the org directory."""

    def approver_above(self, user: str) -> str | None: ...

    def head_of(self, user: str) -> str | None: ...

    def director_of(self, user: str) -> str | None: ...

    def users_with_role(self, role: str) -> list[str]: ...

    def is_member(self, user: str) -> bool: ...


@dataclass(frozen=True)
class RouteStep:
    """One step of a request's route, resolved to people."""

    position: int
    kind: str  # how its people were found: requester, head, director, role, user, field, added
    label: Mapping[str, str]
    mode: Literal["any", "all", "in_order"]
    approvers: tuple[str, ...]
    spec_index: int | None
    task: str = "decision"  # decision, action or input
    # The special-case rule that chose these people, shown on the card (see `Special`).
    special: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Planned:
    """What became of one declared step for one requester: on the route, or why not."""

    spec_index: int
    step: RouteStep | None
    skipped: Literal["condition", "dropped", "rule"] | None = None
    fallback: bool = False  # nobody the declaration names could do it: the bot admins do
    special: Mapping[str, str] | None = None  # the rule applied (also for a skipped step)


class NoApprover(InvalidInput):
    """Nobody can decide this step for this requester."""


Case = Literal["if_empty", "if_requester", "if_left"]
Rule = Literal["skip_up", "skip", "admin"]


@dataclass(frozen=True)
class Rules:
    """What happens when a step's approver is nobody (`if_empty`), is the requester
    (`if_requester`: nobody decides their own request) or has left the org (`if_left`):
    `skip_up` to the requester's approver a level up, `skip` the step, or give it to the
    bot `admin`s. Declared per procedure, and per step to override."""

    if_empty: Rule = "skip_up"
    if_requester: Rule = "skip_up"
    if_left: Rule = "skip_up"

    def of(self, case: Case) -> Rule:
        rule: Rule = getattr(self, case)
        return rule


@dataclass(frozen=True)
class Resolved:
    """Who does a step, and the special case that chose them (None: as declared)."""

    people: tuple[str, ...]
    case: Case | None = None
    rule: Rule | None = None
    declared: str | None = None  # the person the declaration named, when there was one

    @property
    def special(self) -> dict[str, str] | None:
        if self.case is None or self.rule is None:
            return None
        out = {"case": self.case, "rule": self.rule}
        return out | ({"user": self.declared} if self.declared else {})


def _climb(org: OrgView, start: str | None, requester: str) -> str | None:
    """`start`, or the level above it while it is the requester (no one decides their own)."""
    seen: set[str] = set()
    person = start
    while person is not None and person == requester and person not in seen:
        seen.add(person)
        person = org.approver_above(person)
    return None if person == requester else person


def _named(
    step: StepSpec, requester: str, org: OrgView, values: Mapping[str, Any]
) -> tuple[list[str], Case | None, str | None]:
    """Who the declaration names, before any special case: (people, the case, who)."""
    if step.approver == "requester":
        found = org.approver_above(requester)
    elif step.approver == "head":
        found = org.head_of(requester)
    elif step.approver == "director":
        # A department without a director has its head at the top.
        found = org.director_of(requester) or org.head_of(requester)
    elif step.role is not None:
        members = org.users_with_role(step.role)
        others = [u for u in members if u != requester]
        if others:
            return others, None, None
        return [], ("if_requester" if members else "if_empty"), None
    elif step.user is not None:
        found = step.user
        if found != requester and not org.is_member(found):
            return [], "if_left", found
    else:
        value = values.get(step.field or "")
        if not isinstance(value, str) or not value:
            return [], "if_empty", None
        if not org.is_member(value):
            return [], "if_left", value
        return [value], None, None
    if found is None:
        return [], "if_empty", None
    if found == requester:
        return [], "if_requester", found
    return [found], None, None


def resolve(
    step: StepSpec,
    requester: str,
    org: OrgView,
    values: Mapping[str, Any] | None = None,
    rules: Rules | None = None,
) -> Resolved:
    """The people who do `step` for `requester`, after the special-case rules; empty when
    nobody can (the caller falls back to the bot admins). A step naming a field of the case
    goes to exactly that person, the requester included: the policy said so."""
    rules = rules or Rules()
    if step.field is not None and step.field == REQUESTER:
        person = requester if org.is_member(requester) else None
        return Resolved((person,) if person else (), None if person else "if_left", None)
    named, case, who = _named(step, requester, org, values or {})
    if case is None:
        return Resolved(tuple(sorted(set(named))))
    rule = rules.of(case)
    if rule == "skip_up":
        above = _climb(org, org.approver_above(requester), requester)
        return Resolved((above,) if above else (), case, rule, who)
    return Resolved((), case, rule, who)


def resolve_step(
    step: StepSpec,
    requester: str,
    org: OrgView,
    values: Mapping[str, Any] | None = None,
    rules: Rules | None = None,
) -> tuple[str, ...]:
    """The people who do `step` for `requester` (see `resolve`)."""
    return resolve(step, requester, org, values, rules).people


def plan(
    chain: Sequence[StepSpec],
    requester: str,
    values: Mapping[str, Any],
    org: OrgView,
    *,
    fallback: Callable[[], Collection[str]] = tuple,
    conditions: bool = True,
    rules: Callable[[StepSpec], Rules] = lambda _spec: Rules(),
) -> list[Planned]:
    """Every declared step and what became of it for this requester (`conditions=False`
    assumes every condition holds, for describing a route before any case exists).

    A step nobody can do (the requester is at the top) goes to `fallback` (the bot admins), as
    does one whose rule says `admin`; a rule saying `skip` skips it. A decision whose people
    all decided an earlier one is dropped only when the step says `drop_if_decided`;
    otherwise they decide again — never a declared step silently lost."""
    planned: list[Planned] = []
    decided: set[str] = set()
    position = 0
    for index, spec in enumerate(chain):
        if conditions and not all(condition.holds(values) for condition in spec.conditions):
            planned.append(Planned(index, None, "condition"))
            continue
        found = resolve(spec, requester, org, values, rules(spec))
        if found.rule == "skip":
            planned.append(Planned(index, None, "rule", special=found.special))
            continue
        people = found.people
        used_fallback = not people
        if not people:
            people = tuple(sorted(u for u in fallback() if u != requester))
        if not people:
            raise NoApprover("request.error.no_approver", step=index + 1)
        if (
            spec.drop_if_decided
            and spec.kind == "decision"
            and spec.mode == "any"
            and set(people) <= decided
        ):
            planned.append(Planned(index, None, "dropped"))
            continue
        special = found.special
        if special is not None and used_fallback:
            special = {**special, "rule": "admin"}  # nobody a level up either
        step = RouteStep(
            position=position,
            kind=spec.assignee_kind,
            label=spec.name.model_dump() if spec.name else {},
            mode=spec.mode,
            approvers=people,
            spec_index=index,
            task=spec.kind,
            special=special,
        )
        planned.append(
            Planned(index, step, fallback=used_fallback and found.rule != "admin", special=special)
        )
        position += 1
        if spec.kind == "decision":
            decided |= set(people)
    return planned


def route(
    chain: Sequence[StepSpec],
    requester: str,
    values: Mapping[str, Any],
    org: OrgView,
    *,
    fallback: Callable[[], Collection[str]] = tuple,
    rules: Callable[[StepSpec], Rules] = lambda _spec: Rules(),
) -> list[RouteStep]:
    """The steps whose conditions hold, resolved to people, in order (see `plan`)."""
    planned = plan(chain, requester, values, org, fallback=fallback, rules=rules)
    return [p.step for p in planned if p.step is not None]


@dataclass(frozen=True)
class Vote:
    user: str
    decision: str | None  # None: not yet


def step_result(
    mode: str, votes: Sequence[Vote]
) -> Literal["approved", "rejected", "returned", "open"]:
    """What a step's votes add up to: any-mode is decided by the first vote; all-mode and
    in-order need every approval, and any single reject or return decides it."""
    decided = [v.decision for v in votes if v.decision]
    if "rejected" in decided:
        return "rejected"
    if "returned" in decided:
        return "returned"
    if mode == "any":
        return "approved" if "approved" in decided else "open"
    return "approved" if votes and all(v.decision == "approved" for v in votes) else "open"


@dataclass(frozen=True)
class Authority:
    """Why a user may act on a pending step: as one of its approvers, or overriding as admin."""

    kind: Literal["approver", "override"]
    on_behalf_of: str | None = None


def authority(
    user: str,
    undecided: Collection[str],
    *,
    requester: str,
    is_bot_admin: bool,
    own_allowed: bool = False,
) -> Authority | None:
    """`own_allowed`: the step names the requester on purpose (`field: requester`, e.g. the
    inspector who issued a notice re-inspects it)."""
    mine = user == requester and not own_allowed
    if user in undecided and not mine:
        return Authority("approver")
    if is_bot_admin and not mine:
        return Authority("override")
    return None


@dataclass
class DelegationRules:
    """Standing delegations in force now: approver -> delegate."""

    delegates: dict[str, str] = field(default_factory=dict)

    def apply(self, people: Sequence[str], requester: str) -> list[tuple[str, str | None]]:
        """Each approver, or their delegate (and on whose behalf); never the requester."""
        out: list[tuple[str, str | None]] = []
        for person in people:
            delegate = self.delegates.get(person)
            if delegate and delegate != requester and delegate not in people:
                out.append((delegate, person))
            else:
                out.append((person, None))
        return out
