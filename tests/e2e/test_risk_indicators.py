"""Indicators the risk role manages: linking one to a risk (its alerts then reach the owner's
DM and can start the risk's response plan), adding one by command, and values from other
systems through `POST /api/indicators/<key>/values` with the indicator's token."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

from tests.support.harness import Harness
from tests.support.rectification import do_task, task_dm
from tests.support.risks import RISK_CHANNEL, add_risk, alerts


def post(h: Harness, key: str, body: Any, token: str | None) -> tuple[int, dict[str, Any]]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - the test's own loopback server
        f"{h.server.url}/api/indicators/{key}/values", data=data, method="POST"
    )
    request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def alert_message(h: Harness) -> Any:
    return h.ls.wait_for(
        lambda: next(
            (m for m in h.ls.messages(RISK_CHANNEL) if "complaint rate" in h.ls.text_of(m)), None
        ),
        message="the alert's message",
    )


def token_for(h: Harness, key: str) -> str:
    before = len(h.ls.ephemerals("erin"))
    h.as_("erin").command("/risk", f"indicator token {key}", channel="general")
    answer = h.ls.wait_for(
        lambda: next(iter(h.ls.ephemerals("erin")[before:]), None), message="the token"
    )
    found = re.search(r"Bearer ([A-Za-z0-9_-]+)", h.ls.text_of(answer))
    assert found is not None
    return found.group(1)


def test_a_linked_indicator_alerts_the_owner_and_starts_the_plan(harness: Harness) -> None:
    h = harness
    plan = {"measures": "Call every complainant back\nRetrain the night shift"}
    add_risk(h, likelihood="2", impact="2", plan_owner="alice", deadline="2026-12-18", **plan)
    erin = h.as_("erin")
    erin.command("/risk", "indicator link complaint-rate RK-0001", channel="general")
    h.ls.wait_ephemeral("erin", contains="now watches risk RK-0001")
    erin.command("/risk", "report complaint-rate 3.5", channel="general")
    dm = h.ls.wait_dm("alice", contains="Customer complaint rate is 3.5%")
    message = alert_message(h)
    # One measure is done already; starting the plan opens it again, not the open one.
    done = {"f:note": "Called all 12", "f:evidence:link": "https://files.example/calls.xlsx"}
    do_task(h, "alice", "RM-0001", "Done", done)
    erin.click("Start response plan", message=message)
    h.ls.wait_ephemeral("erin", contains="1 measure task(s) opened for the risk's owner, 1 already")
    task_dm(h, "alice", "RM-0003", "Done")
    h.ls.wait_for(
        lambda: "Response plan started" in h.ls.text_of(h.ls.message(dm.channel, dm.ts)) or None,
        message="the owner's DM edited too",
    )
    # Someone outside the risk role and the owner's line cannot act on it.
    h.as_("carol").click("Acknowledge", message=alert_message(h))
    h.ls.wait_ephemeral("carol", contains="Only the risk role")


def test_the_http_endpoint_takes_good_tokens_and_values_only(harness: Harness) -> None:
    h = harness
    token = token_for(h, "complaint-rate")
    assert post(h, "complaint-rate", {"value": 4.2}, None)[0] == 401
    assert post(h, "complaint-rate", {"value": 4.2}, "wrong")[0] == 401
    assert post(h, "no-such-thing", {"value": 4.2}, token)[0] == 401
    for bad in ({"value": "lots"}, {"value": True}, {"value": 1e300}, {"v": 1}, b"not json"):
        status, body = post(h, "complaint-rate", bad, token)
        assert (status == 422 and "value" in body["error"]) or "JSON" in body["error"], body
    assert alerts(h) == []
    status, body = post(h, "complaint-rate", {"value": 4.2}, token)
    assert (status, body["band"]) == (200, "warning")
    h.ls.wait_for(lambda: next(iter(h.ls.messages(RISK_CHANNEL)), None), message="the alert")
    # A new token replaces the old one.
    newer = token_for(h, "complaint-rate")
    assert post(h, "complaint-rate", {"value": "1.0"}, token)[0] == 401
    assert post(h, "complaint-rate", {"value": "1.0"}, newer)[0] == 200


def test_the_risk_role_adds_an_indicator(harness: Harness) -> None:
    h = harness
    erin = h.as_("erin")
    erin.command(
        "/risk", "indicator add cash-days 30 10 lower every=7 Cash on hand", channel="general"
    )
    h.ls.wait_ephemeral("erin", contains="Indicator `cash-days` is added")
    erin.command("/risk", "report cash-days 8", channel="general")
    h.ls.wait_ephemeral("erin", contains="critical threshold")
    erin.command("/risk", "indicator add bad 10 30 lower x", channel="general")
    h.ls.wait_ephemeral("erin", contains="critical threshold must be")
    h.as_("alice").command("/risk", "indicator add mine 1 2 x", channel="general")
    h.ls.wait_ephemeral("alice", contains="Only the risk management role")
    erin.command("/risk", "indicators", channel="general")
    h.ls.wait_ephemeral("erin", contains="cash-days")
