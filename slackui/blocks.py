"""Small helpers over `slack_sdk.models` so views read like the message they build."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextObject,
    SectionBlock,
)

SECTION_LIMIT = 3000
HEADER_LIMIT = 150


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=clip(text, HEADER_LIMIT), emoji=True))


def section(text: str, *, block_id: str | None = None, accessory: Any = None) -> SectionBlock:
    return SectionBlock(
        text=MarkdownTextObject(text=clip(text, SECTION_LIMIT)),
        block_id=block_id,
        accessory=accessory,
    )


def fields(items: Sequence[str]) -> SectionBlock:
    """Up to 10 short `*label*\\nvalue` fields side by side."""
    return SectionBlock(fields=[MarkdownTextObject(text=clip(item, 2000)) for item in items[:10]])


def sections(lines: Iterable[str], limit: int = SECTION_LIMIT - 100) -> list[SectionBlock]:
    """Lines packed into as few sections as fit Slack's 3000-character cap."""
    out: list[SectionBlock] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(x) + 1 for x in chunk) + len(line) > limit:
            out.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        out.append(section("\n".join(chunk)))
    return out


def context(*texts: str) -> ContextBlock:
    return ContextBlock(
        elements=[MarkdownTextObject(text=clip(t, SECTION_LIMIT)) for t in texts[:10]]
    )


def divider() -> DividerBlock:
    return DividerBlock()


def button(
    text: str,
    action_id: str,
    value: str = "",
    *,
    style: str | None = None,
    url: str | None = None,
) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=clip(text, 75), emoji=True),
        action_id=action_id,
        value=value or None,
        style=style,
        url=url,
    )


def overflow(action_id: str, options: Sequence[tuple[str, str]]) -> OverflowMenuElement:
    """A "…" menu: (text, value) pairs, at most five (Slack's limit)."""
    return OverflowMenuElement(
        action_id=action_id,
        options=[
            Option(text=PlainTextObject(text=clip(text, 75), emoji=True), value=value[:150])
            for text, value in options[:5]
        ],
    )


def actions(*elements: Any, block_id: str | None = None) -> ActionsBlock:
    return ActionsBlock(elements=list(elements)[:25], block_id=block_id)


def to_dicts(blocks: Iterable[Block | dict[str, Any]]) -> list[dict[str, Any]]:
    """Blocks as Slack's JSON; blocks already in that form pass through."""
    return [block if isinstance(block, dict) else block.to_dict() for block in blocks]
