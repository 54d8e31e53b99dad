"""Plain-text rendering of Block Kit for the terminal."""

from __future__ import annotations

from typing import Any

from localslack.records import View
from localslack.render import Names, render_blocks, render_view

NAMES = Names(
    user=lambda u: {"U1": "bob"}.get(u),
    channel=lambda c: {"C1": "general"}.get(c),
)


def md(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def test_message_blocks_and_numbering() -> None:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": plain("请假 request")},
        {
            "type": "section",
            "text": md("<@U1> asks in <#C1> and <#C9|ops>"),
            "fields": [
                md("*From*"),
                md("<!date^1793581200^{date}|Nov 2>"),
                md("<https://x.y|doc>"),
            ],
        },
        {"type": "divider"},
        {
            "type": "actions",
            "block_id": "b1",
            "elements": [
                {"type": "button", "text": plain("Approve"), "action_id": "ok", "value": "7"},
                {"type": "button", "text": plain("Reject"), "action_id": "no"},
                {
                    "type": "static_select",
                    "action_id": "pick",
                    "placeholder": plain("Type"),
                    "options": [{"text": plain("Annual"), "value": "a"}],
                },
            ],
        },
        {
            "type": "context",
            "elements": [
                md("by &lt;HR&gt;"),
                {"type": "image", "image_url": "x", "alt_text": "logo"},
            ],
        },
    ]
    shown = render_blocks(blocks, "fallback", names=NAMES, start=3)
    assert str(shown).splitlines() == [
        "请假 request",
        "============",  # CJK characters are two columns wide
        "@bob asks in #general and #ops",
        "  *From*  |  Nov 2",
        "  doc",
        "----------------------------------------",
        "[3] Approve  [4] Reject  [5] Type v (Annual)",
        "  > by <HR>  [image: logo]",
    ]
    assert [(c.number, c.action_id, c.value) for c in shown.controls] == [
        (3, "ok", "7"),
        (4, "no", None),
        (5, "pick", None),
    ]
    assert shown.controls[2].options == (("a", "Annual"),)


def test_text_only_message() -> None:
    assert render_blocks([], "Hi <@U1>", names=NAMES) == "Hi @bob"
    assert render_blocks(None, "<!here> x").controls == []


def test_view_with_values_and_errors() -> None:
    blocks: list[dict[str, Any]] = [
        {
            "type": "input",
            "block_id": "days",
            "label": plain("Days"),
            "element": {"type": "number_input", "action_id": "n", "is_decimal_allowed": False},
        },
        {
            "type": "input",
            "block_id": "who",
            "label": plain("Who"),
            "optional": True,
            "hint": plain("a colleague"),
            "element": {"type": "users_select", "action_id": "u"},
        },
    ]
    view = View(
        id="V1",
        user="U1",
        type="modal",
        callback_id="c",
        private_metadata="",
        blocks=blocks,
        title="Leave",
        submit="Send",
        close=None,
        hash="h",
        external_id=None,
        state_values={
            "days": {"n": {"type": "number_input", "value": "0"}},
            "who": {"u": {"type": "users_select", "selected_user": "U1"}},
        },
        errors={"days": "Must be at least 1"},
    )
    shown = render_view(view, names=NAMES)
    assert str(shown).splitlines() == [
        "+-- Leave --+",
        "[1] Days <number_input> = 0",
        "    ! Must be at least 1",
        "[2] Who (optional) <users_select> = @bob",
        "    hint: a colleague",
        "<Send: submit>  <Cancel: close>",
    ]
    assert [c.in_input for c in shown.controls] == [True, True]
