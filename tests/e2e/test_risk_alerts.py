"""Indicators and their alerts end to end (000 §6 monitoring and early warning): one message
per alert, edited in place firing → acknowledged → resolved; warning inhibited by critical;
the acknowledgement timeout; repeats and escalation over a weekend; a silence and its expiry;
the "not reported" alert."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.support.harness import Harness
from tests.support.risks import RISK_CHANNEL, alerts

FRIDAY_5PM = datetime.fromisoformat("2026-11-27T17:00:00+08:00")


def report(h: Harness, value: str, who: str = "erin") -> str:
    h.as_(who).command("/risk", f"report complaint-rate {value}", channel="general")
    return h.ls.text_of(h.ls.wait_ephemeral(who, contains=f"= {value}:"))


def alert_messages(h: Harness) -> list[str]:
    h.settle()
    return [h.ls.text_of(m) for m in h.ls.messages(RISK_CHANNEL)]


def wait_text(h: Harness, contains: str, index: int = 0) -> str:
    return h.ls.wait_for(
        lambda: next(
            (
                t
                for t in [h.ls.text_of(m) for m in h.ls.messages(RISK_CHANNEL)][index : index + 1]
                if contains in t
            ),
            None,
        ),
        message=f"the alert message shows {contains!r}",
    )


def test_one_message_from_firing_to_acknowledged_to_resolved(harness: Harness) -> None:
    h = harness
    assert "at or past its warning" in report(h, "3.4")
    text = wait_text(h, "FIRING")
    assert "Customer complaint rate is 3.4%" in text and "Acknowledge" in text
    # The same value again updates the alert; no second message.
    report(h, "3.6")
    wait_text(h, "3.6%")
    assert len(alert_messages(h)) == 1

    message = h.ls.messages(RISK_CHANNEL)[0]
    h.as_("erin").click("Acknowledge", message=message)
    text = wait_text(h, "ACKNOWLEDGED")
    assert "Acknowledged by" in text and "Acknowledge\n" not in text

    assert "within its thresholds" in report(h, "2.1")
    text = wait_text(h, "RESOLVED")
    assert "Silence" not in text and len(alert_messages(h)) == 1
    assert [a.state for a in alerts(h)] == ["resolved"]


def test_critical_inhibits_the_warning_and_both_resolve(harness: Harness) -> None:
    h = harness
    report(h, "3.2")
    wait_text(h, "FIRING")
    assert "critical threshold" in report(h, "5.5")
    wait_text(h, "INHIBITED", 0)
    wait_text(h, "critical at 5%", 1)
    assert len(alert_messages(h)) == 2
    # Back to warning: the critical resolves, the warning speaks again (same messages).
    report(h, "3.9")
    wait_text(h, "RESOLVED", 1)
    wait_text(h, "FIRING", 0)
    report(h, "1")
    wait_text(h, "RESOLVED", 0)
    assert len(alert_messages(h)) == 2
    assert {a.state for a in alerts(h)} == {"resolved"}


def test_in_chinese_the_reporter_hears_chinese(harness: Harness) -> None:
    h = harness
    h.as_("erin").command("/procedo", "language zh", channel="general")
    h.ls.wait_ephemeral("erin", contains="中文")
    h.as_("erin").command("/risk", "report complaint-rate 4", channel="general")
    h.ls.wait_ephemeral("erin", contains="达到预警阈值")
    h.as_("erin").command("/risk", "report complaint-rate lots", channel="general")
    h.ls.wait_ephemeral("erin", contains="不是可记录的数值")
    h.as_("alice").command("/risk", "report complaint-rate 4", channel="general")
    h.ls.wait_ephemeral("alice", contains="Only the risk role")


def test_an_acknowledgement_times_out_and_reopens(harness: Harness) -> None:
    h = harness
    report(h, "4")
    wait_text(h, "FIRING")
    h.as_("erin").click("Acknowledge", message=h.ls.messages(RISK_CHANNEL)[0])
    wait_text(h, "ACKNOWLEDGED")
    h.advance(timedelta(hours=8, minutes=1))
    wait_text(h, "FIRING")
    thread = h.ls.replies(RISK_CHANNEL, h.ls.messages(RISK_CHANNEL)[0].ts)
    assert any("timed out" in h.ls.text_of(m) for m in thread)


def test_unacknowledged_it_repeats_and_escalates_over_the_weekend(harness: Harness) -> None:
    h = harness
    h.set_time(FRIDAY_5PM)
    report(h, "4")
    wait_text(h, "FIRING")
    h.advance(timedelta(hours=4, minutes=1))  # repeat after 4 h: one note in the thread
    first = h.ls.messages(RISK_CHANNEL)[0]
    thread = [h.ls.text_of(m) for m in h.ls.replies(RISK_CHANNEL, first.ts)]
    assert any("Still firing" in t for t in thread)
    # Eight working hours after Friday 17:00 is Monday afternoon, not Saturday.
    h.set_time(datetime.fromisoformat("2026-11-30T09:30:00+08:00"))
    assert not any("Escalated" in h.ls.text_of(m) for m in h.ls.replies(RISK_CHANNEL, first.ts))
    h.set_time(datetime.fromisoformat("2026-11-30T17:30:00+08:00"))
    wait_text(h, "department head")


def test_a_silence_holds_repeats_and_its_end_is_announced(harness: Harness) -> None:
    h = harness
    report(h, "4")
    wait_text(h, "FIRING")
    erin = h.as_("erin")
    erin.click("Silence", message=h.ls.messages(RISK_CHANNEL)[0])
    h.ls.wait_view("erin", callback_id="risks.silence")
    bad = erin.submit({"hours": "9999", "reason": ""}, validate=False)
    assert bad.json and set(bad.json["errors"]) == {"hours", "reason"}
    erin.submit({"hours": "6", "reason": "<!channel> known outage, fix under way"})
    text = wait_text(h, "Silenced by")
    assert "<!channel>" not in str(h.ls.messages(RISK_CHANNEL)[0].blocks)
    assert "known outage" in text
    h.advance(timedelta(hours=5))
    first = h.ls.messages(RISK_CHANNEL)[0]
    assert not any("Still firing" in h.ls.text_of(m) for m in h.ls.replies(RISK_CHANNEL, first.ts))
    h.advance(timedelta(hours=1, minutes=1))
    h.ls.wait_for(
        lambda: (
            any(
                "silence has ended" in h.ls.text_of(m) for m in h.ls.replies(RISK_CHANNEL, first.ts)
            )
            or None
        ),
        message="the silence's end announced",
    )


def test_a_missing_value_raises_not_reported(harness: Harness) -> None:
    h = harness
    report(h, "1")
    h.advance(timedelta(days=7, minutes=1))  # expected weekly
    wait_text(h, "not reported in time")
    h.ls.wait_dm("erin", contains="/risk report complaint-rate")  # the reporter is asked
    report(h, "1.5")
    wait_text(h, "RESOLVED")


def test_repeats_back_off(harness: Harness) -> None:
    h = harness
    report(h, "4")
    wait_text(h, "FIRING")
    first = h.ls.messages(RISK_CHANNEL)[0]

    def repeats() -> int:
        h.settle()
        thread = h.ls.replies(RISK_CHANNEL, first.ts)
        return sum("Still firing" in h.ls.text_of(m) for m in thread)

    h.advance(timedelta(hours=4, minutes=1))
    assert repeats() == 1
    h.advance(timedelta(hours=4))  # the next waits 8 h, not 4
    assert repeats() == 1
    h.advance(timedelta(hours=4))
    assert repeats() == 2
