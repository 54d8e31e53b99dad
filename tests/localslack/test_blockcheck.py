"""Block validation: what slack_sdk.models lets through but Slack rejects, and vice versa."""

from __future__ import annotations

from typing import Any

import pytest

from localslack.blockcheck import BlockError, check_message_blocks, check_view, with_ids


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def button(text: Any, action_id: str = "a") -> dict[str, Any]:
    return {"type": "button", "text": text, "action_id": action_id}


def rejected(blocks: list[Any]) -> str:
    with pytest.raises(BlockError) as info:
        check_message_blocks(blocks)
    return "; ".join(info.value.messages)


@pytest.mark.parametrize(
    ("blocks", "reason"),
    [
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "x"}}], "plain_text"),
        (
            [{"type": "actions", "elements": [button({"type": "mrkdwn", "text": "x"})]}],
            "plain_text",
        ),
        ([{"type": "section", "text": {"type": "mrkdwn", "text": ""}}], "more than 0"),
        ([{"type": "actions", "elements": [{"type": "mystery"}]}], "unsupported element"),
        ([{"type": "actions", "elements": [button(plain("a")), button(plain("b"))]}], "duplicate"),
        ([{"type": "divider", "block_id": "x"}, {"type": "divider", "block_id": "x"}], "duplicate"),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "static_select",
                            "action_id": "s",
                            "placeholder": "Pick",
                            "options": [{"text": plain("A"), "value": "a"}],
                        }
                    ],
                }
            ],
            "must provide an object",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "static_select",
                            "action_id": "s",
                            "options": [{"text": {"type": "mrkdwn", "text": "A"}, "value": "a"}],
                        }
                    ],
                }
            ],
            "plain_text",
        ),
        ([{"type": "input", "label": plain("L")}], "element"),  # slack_sdk raises TypeError
        ([{"type": "actions", "elements": [button(plain("x" * 76))]}], "75"),  # nested limit
        ([{"type": "section", "text": plain("x"), "fields": ["bare"]}], "object"),
    ],
)
def test_rejections(blocks: list[Any], reason: str) -> None:
    assert reason in rejected(blocks)


def test_acceptances() -> None:
    radio = {
        "type": "radio_buttons",
        "action_id": "r",
        "options": [{"text": {"type": "mrkdwn", "text": "*A*"}, "value": "a"}],
    }
    check_message_blocks(
        [
            {"type": "actions", "elements": [radio]},
            {
                "type": "rich_text",
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": "hi"}]}
                ],
            },
            {"type": "markdown", "text": "**bold**"},
            {"type": "section", "text": plain("x"), "extra_key_slack_ignores": 1},
        ]
    )


def test_ids_are_filled_in_deterministically() -> None:
    blocks = [{"type": "actions", "elements": [button(plain("Go"), action_id="")]}]
    first, second = with_ids(blocks), with_ids(blocks)
    assert first == second and first[0]["block_id"] and first[0]["elements"][0]["action_id"]
    assert "block_id" not in blocks[0]  # the input is not modified


def test_view_rules() -> None:
    base = {"type": "modal", "title": plain("T"), "blocks": [{"type": "divider"}]}
    check_view(base)
    with pytest.raises(BlockError, match="title"):
        check_view({"type": "modal", "blocks": [{"type": "divider"}]})
    with pytest.raises(BlockError, match="type must be 'home'"):
        check_view(base, expect="home")
    with pytest.raises(BlockError, match="plain_text"):
        check_view(dict(base, submit={"type": "mrkdwn", "text": "Go"}))
    with pytest.raises(BlockError):
        check_view(dict(base, blocks=[]))  # slack_sdk wants 1..100 blocks
