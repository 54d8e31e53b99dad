"""Issue 14.8: values the bot would never send (tampered button values or private_metadata,
events without a user or channel) are "this button is out of date" or ignored with a WARNING,
never a traceback with a ref."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from localslack import Ephemeral, Message
from slackui.ids import Action, Callback
from slackui.views.leave import LeaveAction
from tests.support.approvals import file_expense, state_of
from tests.support.harness import Harness
from tests.support.tamper import press, submit_view

OUT_OF_DATE = "out of date"


def told(h: Harness) -> int:
    """How often bob was told, privately, that what he used is out of date (in Chinese: his
    Slack language)."""
    private: list[Message | Ephemeral] = [*h.ls.ephemerals("bob"), *h.ls.dm("bob")]
    return sum(OUT_OF_DATE in h.ls.text_of(m) or "失效" in h.ls.text_of(m) for m in private)


def _no_errors(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bad, [r.getMessage() for r in bad]


@pytest.mark.parametrize(
    ("action_id", "values"),
    [
        (Action.REQUEST_APPROVE, ["abc", "1:2", "1:1:x", "99999999999999999999:1:0", "٣:1:0"]),
        (Action.REQUEST_REJECT, ["", "1:1:-1", "4294967296:1:0"]),
        (Action.REQUEST_WITHDRAW, ["-1", "9" * 30, "１", "1.0", "[1]"]),
        (Action.REQUEST_RESUBMIT, ["x", "99999999999"]),
        (Action.REQUEST_CANCEL, ["1e3"]),
        (Action.TASK_OPEN, ["1:1"]),
        (Action.PROMPT_DONE, ["stock-count|not-a-date", "|", "x" * 3000]),
        (Action.PROMPT_OPEN, ["attendance-report|9999-99-99"]),
        (Action.JOB_RETRY, ["abc"]),
        (Action.PROMPT_ANSWER, ["performance-self-review|x", "only-one", "a|b|c|d"]),
        (Action.PROMPT_REVIEW, ["performance-self-review|2026-11-25"]),
        (LeaveAction.SUBMIT, ["not json", "[1, 2]"]),
        (LeaveAction.EDIT, ["{"]),
    ],
)
def test_tampered_button_values_are_out_of_date(
    harness: Harness, caplog: pytest.LogCaptureFixture, action_id: str, values: list[object]
) -> None:
    h = harness
    card = file_expense(h, "alice")
    who = "dan" if action_id == Action.JOB_RETRY else "bob"  # jobs: a bot admin
    with caplog.at_level(logging.INFO):
        for count, value in enumerate([*values, None, 7], start=1):  # missing, not a string
            response = press(h, who, card, action_id, value)
            assert response.status == 200, (value, response.body)
            h.ls.wait_for(
                lambda n=count: len(h.ls.ephemerals(who)) >= n,  # type: ignore[misc]
                message=f"an answer to {value!r}",
            )
            text = h.ls.text_of(h.ls.ephemerals(who)[-1])
            assert OUT_OF_DATE in text or "失效" in text, (value, text)
    _no_errors(caplog)
    assert state_of(h) == "pending"


def test_tampered_private_metadata_and_state_are_out_of_date(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    file_expense(h, "alice")
    reason_state = {"values": {"reason": {"value": {"type": "plain_text_input", "value": "No"}}}}
    cases: list[tuple[str, str, dict[str, Any] | None]] = [
        (Callback.REQUEST_REASON, "not json", reason_state),
        (
            Callback.REQUEST_REASON,
            '{"request_id": 99999999999999, "round": 1, "position": 0}',
            reason_state,
        ),
        (Callback.REQUEST_REASON, '{"request_id": "1", "round": [], "position": 0}', reason_state),
        (Callback.REQUEST_CANCEL, "[]", reason_state),
        (Callback.REQUEST_FORM, '{"procedure": "expense"}', None),
        (Callback.REQUEST_FORM, '{"procedure": "expense"}', {"values": "x"}),
        (Callback.REQUEST_FORM, '{"procedure": 7}', {"values": {}}),
        ("task.form", '{"request_id": 1}', {"values": {}}),
    ]
    with caplog.at_level(logging.INFO):
        for n, (callback, metadata, state) in enumerate(cases):
            view = {
                "id": f"VTAMPER{n}",
                "type": "modal",
                "callback_id": callback,
                "private_metadata": metadata,
                **({"state": state} if state is not None else {}),
            }
            before = told(h)
            response = submit_view(h, "bob", view)
            assert response.status == 200, (callback, metadata, response.body)
            answer = response.json or {}
            if answer.get("response_action") == "errors":  # under the field, if it has one
                assert any(
                    OUT_OF_DATE in str(v) or "失效" in str(v) for v in answer["errors"].values()
                ), answer
            else:  # else the modal closes and the user is told
                h.ls.wait_for(
                    lambda b=before: told(h) > b,  # type: ignore[misc]
                    message=f"an answer to {metadata}",
                )
    _no_errors(caplog)
    assert state_of(h) == "pending"


def test_events_without_a_user_or_channel_are_ignored_with_a_warning(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    card = file_expense(h, "alice")
    events = [
        {"type": "app_home_opened", "channel": "D0X", "tab": "home"},
        {"type": "app_home_opened", "user": ["U0BOB"], "tab": "home"},
        {"type": "message", "user": h.uid("bob"), "text": "hi", "thread_ts": card.ts},
        {"type": "message", "channel": "C0APPROVALS", "text": "hi", "thread_ts": card.ts},
        {
            "type": "message",
            "channel": "C0APPROVALS",
            "user": "U0BOB",
            "thread_ts": card.ts,
            "text": ["x"],
        },
    ]
    with caplog.at_level(logging.INFO):
        for n, event in enumerate(events):
            body = {
                "token": "unused",
                "team_id": "T0LOCAL",
                "api_app_id": "A0LOCAL",
                "type": "event_callback",
                "event_id": f"Ev0TAMPER{n}",
                "event_time": 1795000000,
                "event": event,
            }
            assert h.ls.send_signed(json.dumps(body), "application/json").status == 200
        # An interaction without a user: nobody to answer.
        response = press(h, "bob", card, Action.REQUEST_APPROVE, "1:1:0", user=None)
        assert response.status == 200
        h.settle()
        h.deps.settle()
    _no_errors(caplog)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) >= len(events), [r.getMessage() for r in warnings]
    assert not h.ls.calls("views.publish")
    assert state_of(h) == "pending"
