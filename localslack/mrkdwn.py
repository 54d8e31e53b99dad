"""Slack's mrkdwn special syntax, turned into what a reader sees, and text search in blocks."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

Resolver = Callable[[str], str | None]

_ANGLE = re.compile(r"<([^<>]+)>")


def _no_name(_: str) -> str | None:
    return None


def to_plain(text: str, user_name: Resolver = _no_name, channel_name: Resolver = _no_name) -> str:
    """`<@U1>` -> `@bob`, `<#C1|general>` -> `#general`, `<!date^…|fallback>` -> fallback,
    `<https://x|label>` -> `label`; entities are unescaped last, as Slack escapes them."""

    def one(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + (label or user_name(target[1:]) or target[1:])
        if target.startswith("#"):
            return "#" + (label or channel_name(target[1:]) or target[1:])
        if target.startswith("!subteam^"):
            return label or "@" + target.removeprefix("!subteam^")
        if target.startswith("!date^"):
            return label or target
        if target.startswith("!"):
            return "@" + target[1:]
        return label or target

    return html.unescape(_ANGLE.sub(one, text))


def texts_in(node: Any) -> Iterator[str]:
    """Every human-readable string inside Block Kit JSON (text objects, rich text, options)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "alt_text", "fallback", "pretext", "title") and isinstance(
                value, str
            ):
                yield value
            elif key == "url" and isinstance(value, str):
                continue
            else:
                yield from texts_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from texts_in(item)


def searchable(
    text: str,
    blocks: list[Any],
    attachments: list[Any] | None = None,
    user_name: Resolver = _no_name,
    channel_name: Resolver = _no_name,
) -> str:
    """All text of a message, raw and as displayed, so `contains` finds "@bob" and "<@U1>"."""
    raw = [text, *texts_in(blocks), *texts_in(attachments or [])]
    shown = [to_plain(t, user_name, channel_name) for t in raw]
    return "\n".join(raw + shown)
