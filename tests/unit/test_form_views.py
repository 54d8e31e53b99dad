"""The modal for a declared form: Slack accepts it, a submission reads back to a payload,
errors land on the input at fault, cards show the values."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from slack_bolt import Ack, App

from localslack import LocalSlack
from localslack.blockcheck import check_view, with_ids
from localslack.viewstate import build_state
from procedures.clock import FakeClock
from procedures.forms import FieldError, validate
from procedures.policy.forms import FieldSpec
from slackui.i18n import Translator
from slackui.views.forms import display_fields, input_blocks, read_state, view_errors
from tests.localslack.conftest import SECRET, TOKEN, make_app, serving

TODAY = date(2026, 11, 20)
EN, ZH = Translator("en"), Translator("zh")


def spec(id: str, type: str, **attrs: Any) -> FieldSpec:
    label = {"en": id.replace("_", " ").title(), "zh": f"{id}（中文）"}
    return FieldSpec.model_validate({"id": id, "type": type, "label": label, **attrs})


FIELDS = [
    spec("title", "text", placeholder={"en": "What for?", "zh": "用途"}),
    spec("details", "long_text", required=False, hint={"en": "Anything else", "zh": "补充"}),
    spec("count", "number", min=1, max=10),
    spec("amount", "money", currencies=["CNY", "USD"], min=0),
    spec("fee", "money", required=False),
    spec("on", "date", allow_past=False),
    spec("dates", "date_range", max_days=30),
    spec("whole", "date_range", half_days=False, required=False),
    spec(
        "kind",
        "select",
        options=[
            {"value": "travel", "label": {"en": "Travel", "zh": "差旅"}},
            {"value": "meals", "label": {"en": "Meals", "zh": "餐费"}},
        ],
    ),
    spec("deputy", "user"),
    spec("where", "channel", required=False),
    spec("receipt", "file", filetypes=["pdf", "png"]),
    spec("scan", "file", link=False, required=False),
]
PAYLOAD: dict[str, Any] = {
    "title": "Trip to Beijing",
    "details": "Two nights",
    "count": "3",
    "amount": {"amount": "1234.50", "currency": "USD"},
    "fee": None,
    "on": "2026-12-01",
    "dates": {"start": "2026-12-01", "start_half": "pm", "end": "2026-12-03", "end_half": "am"},
    "whole": {"start": "2026-12-07", "start_half": None, "end": "2026-12-08", "end_half": None},
    "kind": "travel",
    "deputy": "U0ALICE",
    "where": "C0GENERAL",
    "receipt": {"files": [{"id": "F0R1", "name": "receipt.pdf"}], "link": "https://x.example/r"},
    "scan": None,
}


def modal(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    title = {"type": "plain_text", "text": "Form"}
    return {
        "type": "modal",
        "callback_id": "form",
        "title": title,
        "submit": title,
        "blocks": blocks,
    }


def ids(blocks: list[dict[str, Any]]) -> list[str]:
    return [str(b.get("block_id")) for b in blocks]


# -- building --------------------------------------------------------------------------


@pytest.mark.parametrize("t", [EN, ZH], ids=["en", "zh"])
@pytest.mark.parametrize("initial", [None, PAYLOAD], ids=["empty", "prefilled"])
def test_slack_accepts_a_modal_with_every_field_type(
    t: Translator, initial: dict[str, Any] | None
) -> None:
    blocks = input_blocks(FIELDS, t, initial=initial, dispatch={"dates", "count"})
    check_view(modal(blocks))  # raises BlockError with Slack's reasons otherwise
    expected = [
        "f:title", "f:details", "f:count", "f:amount", "f:amount:currency", "f:fee", "f:on",
        "f:dates:start", "f:dates:start_half", "f:dates:end", "f:dates:end_half",
        "f:whole:start", "f:whole:end", "f:kind", "f:deputy", "f:where",
        "f:receipt", *(["f:receipt:kept"] if initial else []), "f:receipt:link", "f:scan",
    ]  # fmt: skip
    assert ids(blocks) == expected
    assert all(b["element"]["action_id"] == "value" for b in blocks if b["type"] == "input")


def test_labels_hints_and_options_follow_the_language() -> None:
    en = {b["block_id"]: b for b in input_blocks(FIELDS, EN)}
    zh = {b["block_id"]: b for b in input_blocks(FIELDS, ZH)}
    assert zh["f:title"]["label"]["text"] == "title（中文）"
    assert zh["f:title"]["element"]["placeholder"]["text"] == "用途"
    assert zh["f:details"]["hint"]["text"] == "补充"
    assert [o["text"]["text"] for o in zh["f:kind"]["element"]["options"]] == ["差旅", "餐费"]
    assert zh["f:dates:start"]["label"]["text"] == "dates（中文）：开始日期"
    assert [o["text"]["text"] for o in zh["f:dates:start_half"]["element"]["options"]] == [
        "全天",
        "仅下午",
    ]
    assert en["f:fee"]["label"]["text"] == "Fee (CNY)"  # one currency: named in the label
    assert zh["f:receipt:link"]["label"]["text"] == "receipt（中文）：或填写链接"
    assert en["f:receipt"]["hint"]["text"] == "Upload a file, or paste a link to it below."


def test_slack_level_required_and_optional() -> None:
    blocks = {b["block_id"]: b for b in input_blocks(FIELDS, EN)}
    assert blocks["f:title"]["optional"] is False
    assert blocks["f:details"]["optional"] is True
    assert blocks["f:amount:currency"]["optional"] is False  # preselected
    assert blocks["f:dates:start_half"]["optional"] is False  # preselected "whole day"
    # A required file may come as a link instead: Slack must let either through.
    assert blocks["f:receipt"]["optional"] is True
    assert blocks["f:receipt:link"]["optional"] is True
    element = blocks["f:receipt"]["element"]
    assert element == {"type": "file_input", "action_id": "value", "filetypes": ["pdf", "png"],
                       "max_files": 5}  # fmt: skip
    assert blocks["f:count"]["element"]["min_value"] == "1"
    assert blocks["f:count"]["element"]["is_decimal_allowed"] is False
    assert blocks["f:amount"]["element"]["is_decimal_allowed"] is True


def test_long_texts_are_clipped_to_slacks_limits() -> None:
    long = {"en": "L" * 2500, "zh": "长" * 2500}
    field = spec(
        "kind",
        "select",
        label=long,
        hint=long,
        placeholder=long,
        options=[{"value": f"v{i}", "label": long} for i in range(100)],
    )
    blocks = input_blocks([field, spec("note", "text", label=long, max_length=3000)], ZH)
    check_view(modal(blocks))
    select = blocks[0]
    assert len(select["label"]["text"]) == 2000 and select["label"]["text"].endswith("…")
    assert len(select["hint"]["text"]) == 2000
    assert len(select["element"]["placeholder"]["text"]) == 150
    assert {len(o["text"]["text"]) for o in select["element"]["options"]} == {75}


def test_initial_prefills_every_input() -> None:
    blocks = {b["block_id"]: b for b in input_blocks(FIELDS, EN, initial=PAYLOAD)}
    element = {k: b.get("element", {}) for k, b in blocks.items()}
    assert element["f:title"]["initial_value"] == "Trip to Beijing"
    assert element["f:count"]["initial_value"] == "3"
    assert element["f:amount"]["initial_value"] == "1234.50"
    assert element["f:amount:currency"]["initial_option"]["value"] == "USD"
    assert element["f:on"]["initial_date"] == "2026-12-01"
    assert element["f:dates:start_half"]["initial_option"]["value"] == "pm"
    assert element["f:dates:end_half"]["initial_option"]["value"] == "am"
    assert element["f:kind"]["initial_option"]["value"] == "travel"
    assert element["f:deputy"]["initial_user"] == "U0ALICE"
    assert element["f:where"]["initial_conversation"] == "C0GENERAL"
    assert element["f:receipt:link"]["initial_value"] == "https://x.example/r"
    # A file input cannot be pre-filled: the form says what is kept instead.
    assert "receipt.pdf" in blocks["f:receipt:kept"]["elements"][0]["text"]


def test_dispatch_marks_the_inputs_of_the_named_fields() -> None:
    blocks = input_blocks(FIELDS, EN, dispatch={"dates", "receipt"})
    dispatching = {b["block_id"] for b in blocks if b.get("dispatch_action")}
    # The file input itself cannot dispatch; its link input can.
    assert dispatching == {
        "f:dates:start",
        "f:dates:start_half",
        "f:dates:end",
        "f:dates:end_half",
        "f:receipt:link",
    }


# -- reading back ------------------------------------------------------------------------


def slack_file(file_id: str, name: str) -> dict[str, Any]:
    return {"id": file_id, "name": name, "title": name, "mimetype": "application/pdf",
            "filetype": "pdf", "size": 1234, "url_private": f"https://files/{file_id}"}  # fmt: skip


def picked(value: str, text: str) -> dict[str, Any]:
    """A static_select's state, with the option as Slack echoes it."""
    option = {"text": {"type": "plain_text", "text": text, "emoji": True}, "value": value}
    return {"value": {"type": "static_select", "selected_option": option}}


# A submission as Slack sends it: every input block, unfilled optional inputs as nulls.
STATE_VALUES: dict[str, Any] = {
    "f:title": {"value": {"type": "plain_text_input", "value": " Trip to Beijing "}},
    "f:details": {"value": {"type": "plain_text_input", "value": None}},
    "f:count": {"value": {"type": "number_input", "value": "3"}},
    "f:amount": {"value": {"type": "number_input", "value": "1234.5"}},
    "f:amount:currency": picked("USD", "USD"),
    "f:fee": {"value": {"type": "number_input", "value": None}},
    "f:on": {"value": {"type": "datepicker", "selected_date": "2026-12-01"}},
    "f:dates:start": {"value": {"type": "datepicker", "selected_date": "2026-12-01"}},
    "f:dates:start_half": picked("pm", "Afternoon only"),
    "f:dates:end": {"value": {"type": "datepicker", "selected_date": "2026-12-03"}},
    "f:dates:end_half": picked("day", "Whole day"),
    "f:whole:start": {"value": {"type": "datepicker", "selected_date": None}},
    "f:whole:end": {"value": {"type": "datepicker", "selected_date": None}},
    "f:kind": picked("meals", "Meals"),
    "f:deputy": {"value": {"type": "users_select", "selected_user": "U0ALICE"}},
    "f:where": {"value": {"type": "conversations_select", "selected_conversation": None}},
    "f:receipt": {"value": {"type": "file_input", "files": [slack_file("F0R1", "receipt.pdf")]}},
    "f:receipt:link": {"value": {"type": "url_text_input", "value": None}},
    "f:scan": {"value": {"type": "file_input", "files": []}},
}  # fmt: skip


def test_read_state_gives_raw_values_that_validate_accepts() -> None:
    raw = read_state(FIELDS, STATE_VALUES)
    assert raw["amount"] == {"amount": "1234.5", "currency": "USD"}
    assert raw["dates"]["end_half"] is None  # "whole day"
    payload, errors = validate(FIELDS, raw, today=TODAY)
    assert errors == []
    assert payload == {
        **PAYLOAD,
        "details": None,
        "dates": {**PAYLOAD["dates"], "end_half": None},
        "whole": None,
        "kind": "meals",
        "where": None,
        "receipt": {"files": [{"id": "F0R1", "name": "receipt.pdf"}], "link": None},
    }


def test_an_untouched_prefilled_modal_submits_the_same_payload() -> None:
    """Edit a returned request and press submit: what Slack reports reads back unchanged
    (the file input cannot be pre-filled; `previous` keeps its files)."""
    blocks = with_ids(input_blocks(FIELDS, EN, initial=PAYLOAD))
    state = build_state(blocks, {})  # an untouched element reports its initial value
    raw = read_state(FIELDS, state, previous=PAYLOAD)
    assert validate(FIELDS, raw, today=TODAY) == (PAYLOAD, [])


def test_a_new_upload_replaces_the_kept_files() -> None:
    state = {"f:receipt": {"value": {"type": "file_input", "files": [slack_file("F0N", "n.png")]}}}
    raw = read_state([FIELDS[11]], state, previous=PAYLOAD)
    assert raw["receipt"] == {"files": [{"id": "F0N", "name": "n.png"}], "link": None}


# -- errors on the right input -------------------------------------------------------------


def test_view_errors_put_each_error_on_the_block_to_fix() -> None:
    bad = {
        **STATE_VALUES,
        "f:title": {"value": {"type": "plain_text_input", "value": "  "}},
        "f:amount": {"value": {"type": "number_input", "value": "-1"}},
        "f:on": {"value": {"type": "datepicker", "selected_date": "2026-11-01"}},
        "f:dates:end": {"value": {"type": "datepicker", "selected_date": "2026-11-30"}},
        "f:whole:start": {"value": {"type": "datepicker", "selected_date": "2026-12-01"}},
        "f:receipt": {"value": {"type": "file_input", "files": []}},
    }
    payload, errors = validate(FIELDS, read_state(FIELDS, bad), today=TODAY)
    assert payload == {}
    placed = view_errors(errors, EN)
    assert placed == {
        "f:title": "Please fill this in.",
        "f:amount": "Enter 0 or more.",
        "f:on": "Pick today or a later date.",
        "f:dates:end": "Pick an end date on or after the start date.",
        "f:whole:end": "Please fill this in.",
        "f:receipt": "Upload a file, or paste a link below.",
    }
    inputs = {b["block_id"] for b in input_blocks(FIELDS, EN) if b["type"] == "input"}
    assert set(placed) <= inputs  # Slack refuses errors for blocks that are not inputs
    assert view_errors(errors, ZH)["f:dates:end"] == "结束日期不能早于开始日期，请重新选择。"


def test_view_errors_keeps_one_message_per_block() -> None:
    errors = [
        FieldError("receipt", "form.error.link", part="link"),
        FieldError("receipt", "form.error.too_many_files", {"max_files": "5"}),
        FieldError("receipt", "form.error.invalid", part="link"),
    ]
    assert view_errors(errors, EN) == {
        "f:receipt:link": "Paste a link that starts with https:// or http://.",
        "f:receipt": "Attach at most 5 files.",
    }


def test_view_errors_with_fields_places_errors_made_elsewhere_on_inputs_that_exist() -> None:
    errors = [
        FieldError("dates", "form.error.invalid"),  # a hook's problem: no part; no f:dates block
        FieldError("amount", "form.error.currency", part="nowhere"),
        FieldError("days", "form.error.too_many_days", {"max_days": "5"}),  # not a field
    ]
    assert view_errors(errors, EN, fields=FIELDS) == {
        "f:dates:start": "Please check this value.",
        "f:amount": "Choose one of the listed currencies.",
        "f:title": "Choose at most 5 days.",
    }


# -- cards -------------------------------------------------------------------------------


def test_display_fields_for_a_card() -> None:
    shown = display_fields(FIELDS, PAYLOAD, ZH, only={"amount", "dates", "fee", "deputy"})
    assert shown == [
        "*amount（中文）*\nUS$1,234.50",
        "*fee（中文）*\n—",
        "*dates（中文）*\n2026年12月1日下午 至 12月3日上午",
        "*deputy（中文）*\n<@U0ALICE>",
    ]
    assert display_fields(FIELDS[:1], PAYLOAD, EN) == ["*Title*\nTrip to Beijing"]


# -- end to end: the modal opened in LocalSlack, filled and submitted by a user --------------


@pytest.fixture
def local() -> Iterator[LocalSlack]:
    with LocalSlack(clock=FakeClock(), signing_secret=SECRET, bot_token=TOKEN) as slack:
        slack.add_user("U0BOB", "bob", real_name="Bob Li")
        slack.add_user("U0ALICE", "alice", real_name="Alice Wang")
        slack.add_channel("C0GENERAL", "general", members=["bob", "alice"])
        yield slack


def test_a_user_fills_and_submits_the_modal_in_localslack(local: LocalSlack) -> None:
    submitted: list[dict[str, Any]] = []
    done = threading.Event()
    app: App = make_app(local)

    @app.view("form")
    def on_submit(ack: Ack, view: dict[str, Any]) -> None:
        payload, errors = validate(FIELDS, read_state(FIELDS, view["state"]["values"]), today=TODAY)
        if errors:
            ack(response_action="errors", errors=view_errors(errors, EN))
            return
        ack()
        submitted.append(payload)
        done.set()

    with serving(app) as url:
        local.bot_events_url = url
        client = local.web_client()
        client.views_open(trigger_id=local.trigger("bob"), view=modal(input_blocks(FIELDS, EN)))
        bob = local.driver("bob")
        receipt = bob.upload_file("receipt.pdf", b"%PDF-1.4")
        values = {
            "f:title": "Trip",
            "f:count": "2",
            "f:amount": "88.8",
            "f:on": "2026-12-01",
            "f:dates:start": "2026-12-02",
            "f:dates:end": "2026-12-01",  # before the start: the modal says so
            "f:kind": "Meals",
            "f:deputy": "alice",
            "f:receipt": [receipt],
        }
        bob.submit(values)
        view = local.view("bob")
        assert view is not None
        assert view.errors == {"f:dates:end": "Pick an end date on or after the start date."}
        bob.submit({"f:dates:end": "2026-12-04", "f:dates:end_half": "am"})
        assert done.wait(5)
    payload = submitted[0]
    assert payload["amount"] == {"amount": "88.80", "currency": "CNY"}
    assert payload["dates"] == {
        "start": "2026-12-02",
        "start_half": None,
        "end": "2026-12-04",
        "end_half": "am",
    }
    assert payload["receipt"] == {"files": [{"id": receipt, "name": "receipt.pdf"}], "link": None}
    assert (payload["kind"], payload["deputy"], payload["where"]) == ("meals", "U0ALICE", None)
