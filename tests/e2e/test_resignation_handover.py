"""The last day of a resignation (004 §5.3): everything the leaver owns — a pending approval
they cover by delegation, a task, the standing delegation itself, a meeting action item, a
risk with a measure, an open supply request — moves to the named successor, listed to the
successor and HR and audited item by item; running the transfer again moves nothing twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from procedures.resignation.hooks import TRANSFER
from store import jobs, requests_repo, resignation_repo
from store.models import AuditEntry, Delegation
from tests.e2e.test_meeting_minutes import record, schedule_by_form
from tests.support.approvals import card_for, prompt_for
from tests.support.documents import draft
from tests.support.harness import Harness
from tests.support.meetings import dm_with
from tests.support.rectification import issue
from tests.support.resignation import act, file, history
from tests.support.risks import add_risk, risk
from tests.support.supplies import load_demo, quick

LAST_DAY_EVENING = datetime.fromisoformat("2026-12-31T18:00:00+08:00")
MOVED = (
    "request.transferred",
    "delegation.transferred",
    "risk.owner_transferred",
    "request.owner_transferred",
    "request.requester_transferred",
)


def _owned_by_alice(h: Harness) -> None:
    alice = h.uid("alice")
    # A meeting action item (AI-0001): the minutes of Tuesday's meeting, approved by Bob.
    schedule_by_form(h)
    h.as_("carol").click("Attend", message=dm_with(h, "carol", "Q4", "Attend"))
    h.as_("alice").click("Attend", message=dm_with(h, "alice", "Q4", "Attend"))
    h.advance(timedelta(hours=30, minutes=1))
    record(
        h,
        {
            "discussion": "Costs",
            "resolutions": "Budget",
            "actions": "Q4 budget | @alice | 2026-12-10",
        },
    )
    h.as_("bob").click(
        "Approve and send", message=prompt_for(h, card_for(h, "MM-0001"), "<@U0BOB>")
    )
    dm_with(h, "alice", "AI-0001", "Done")
    # A standing delegation to her (Carol's), and the approval it brings her: the review of a
    # confidential document (DOC-0001), whose title the list must not show.
    h.as_("carol").command(
        "/procedo", f"delegate <@{alice}|alice> until 12月31日", channel="general"
    )
    h.ls.wait_ephemeral("carol", contains=f"<@{alice}>")
    draft(h, "gus", title="Layoff plan Q1", classification="confidential")
    # A task: a rectification notice she must acknowledge (RN-0001).
    issue(h, "hana", owner="alice")
    # A risk she owns, with a measure she carries out (RK-0001, RM-0001).
    plan = {"measures": "Find a second supplier", "plan_owner": "alice", "deadline": "2026-12-18"}
    assert add_risk(h, likelihood="4", impact="4", **plan).status == 200
    # An open supply request of hers (SP-0001), waiting on Bob.
    load_demo(h)
    h.as_("alice").click(
        "Submit", message=quick(h, "alice", "2 A4 paper for contracts", "I understood")
    )
    card_for(h, "SP-0001")
    h.settle()
    expected = {"meeting_action", "documents", "rectification", "risk-measure"}

    def pending() -> set[str]:
        with h.sessions.read() as session:
            return {r.procedure for r, _ in requests_repo.pending_for(session, alice)}

    # The risk's measures are filed once its form is acked: wait for them, never sleep.
    h.ls.wait_for(lambda: pending() == expected, message=f"alice's tasks: {pending()}")


def _moved_rows(h: Harness) -> int:
    with h.sessions.read() as session:
        return (
            session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action.in_(MOVED))
            )
            or 0
        )


def test_everything_she_owns_moves_to_her_successor_once(harness: Harness) -> None:
    h = harness
    alice, erin = h.uid("alice"), h.uid("erin")
    _owned_by_alice(h)
    card = file(h, "alice")  # last day 31 December, successor Erin
    act(h, card, "bob", "Approve")
    act(h, card, "dan", "Approve")
    act(h, card, "hana", "Open checklist", form={})
    assert _moved_rows(h) == 0  # nothing moves before the last day

    h.set_time(LAST_DAY_EVENING)
    h.settle()
    with h.sessions.read() as session:
        assert requests_repo.pending_for(session, alice) == []
        mine = {r.procedure for r, _ in requests_repo.pending_for(session, erin)}
        delegation = session.scalars(select(Delegation)).one()
        supply = requests_repo.by_number(session, "supply", 1)
        action = requests_repo.by_number(session, "meeting_action", 1)
        measure = requests_repo.by_number(session, "risk-measure", 1)
        resignation = requests_repo.by_number(session, "resignation", 1)
        assert resignation is not None
        listed = {(row.kind, row.ref) for row in resignation_repo.listed(session, resignation.id)}
    assert mine == {"meeting_action", "documents", "rectification", "risk-measure"}, mine
    assert (delegation.approver, delegation.delegate) == (h.uid("carol"), erin)
    assert risk(h).owner == erin
    assert supply is not None and supply.requester == erin and supply.state == "pending"
    assert action is not None and action.payload["owner"] == erin
    assert measure is not None and measure.payload["owner"] == erin
    assert listed == {
        ("task", "AI-0001"),
        ("task", "DOC-0001"),
        ("task", "RN-0001"),
        ("task", "RM-0001"),
        ("delegation", str(delegation.id)),
        ("action_item", "AI-0001"),
        ("risk", "RK-0001"),
        ("measure", "RM-0001"),
        ("supply_request", "SP-0001"),
    }, listed
    # Audited item by item: four tasks, the delegation, the risk, two owners, the requester.
    assert _moved_rows(h) == 9

    # Listed to the successor (English) and HR.
    told = h.ls.text_of(h.ls.wait_dm("erin", contains="moved to"))
    for ref in ("RS-0001", "DOC-0001", "RN-0001", "AI-0001", "RK-0001", "RM-0001", "SP-0001"):
        assert ref in told, (ref, told)
    assert "Key supplier may fail" in told and "004 §5.3" in told and f"<@{h.uid('carol')}>" in told
    h.ls.wait_dm("hana", contains="moved to")

    assert "Layoff plan" not in told

    # Running the transfer again moves nothing and tells nobody again.
    dms = len(h.ls.dm("erin"))
    with h.sessions.begin() as session:
        jobs.schedule(
            session,
            kind=TRANSFER,
            due_at=h.clock.now(),
            now=h.clock.now(),
            payload={"request_id": resignation.id},
        )
    h.tick()
    h.settle()
    assert _moved_rows(h) == 9
    with h.sessions.read() as session:
        assert len(resignation_repo.listed(session, resignation.id)) == 9
    assert not [m for m in h.ls.dm("erin")[dms:] if "moved to" in h.ls.text_of(m)]
    assert [e.action for e in history(h)].count("resignation.transferred") == 2


def test_a_case_the_successor_filed_goes_back_to_whom_the_leaver_covered_for(
    harness: Harness,
) -> None:
    h = harness
    alice, bob = h.uid("alice"), h.uid("bob")
    # Bob's delegation to Alice brings her the review of Erin's document (DOC-0001).
    h.as_("bob").command("/procedo", f"delegate <@{alice}|alice> until 12月20日", channel="general")
    h.ls.wait_ephemeral("bob", contains=f"<@{alice}>")
    h.settle()
    draft(h, "erin")
    card = file(h, "alice")  # Bob reviews it himself: she cannot decide her own resignation
    act(h, card, "bob", "Approve")
    act(h, card, "dan", "Approve")
    act(h, card, "hana", "Open checklist", form={})
    h.set_time(LAST_DAY_EVENING)
    h.settle()
    with h.sessions.read() as session:
        waiting = {r.procedure for r, _ in requests_repo.pending_for(session, bob)}
        erin_waits = {r.procedure for r, _ in requests_repo.pending_for(session, h.uid("erin"))}
    assert "documents" in waiting and "documents" not in erin_waits
