"""Block Kit validation, as strict as Slack where slack_sdk.models is lenient.

slack_sdk.models is the first line: `Block.parse` (None for unknown types; TypeError for
missing required fields) and `to_dict()`, which validates nested elements too (plain
`validate_json()` checks only the outer object). On top of it come the rules Slack enforces
that slack_sdk does not: text objects must be objects (slack_sdk turns a bare string into
one), some fields accept only plain_text, text may not be empty, unknown element types are
rejected (slack_sdk silently drops them), block_ids and action_ids must be unique, and a modal
with inputs needs a submit button.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View as SdkView

from localslack.ids import content_id
from localslack.records import JSONDict

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_BLOCK_TEXT = 13_000
MAX_MESSAGE_TEXT = 40_000
MAX_PRIVATE_METADATA = 3000

# Fields that must hold a text object (not a string), and those that must be plain_text.
_OBJECT_FIELDS = {
    "section": ("text",),
    "header": ("text",),
    "button": ("text",),
    "input": ("label", "hint"),
    "image": ("title",),
}
_PLAIN_ONLY = {
    "header": ("text",),
    "button": ("text",),
    "input": ("label", "hint"),
    "image": ("title",),
}
_PLAIN_OPTION_ELEMENTS = {"static_select", "multi_static_select", "overflow"}
_CONTAINER_KEYS = ("elements", "element", "accessory")


class BlockError(Exception):
    """A rejection in Slack's words: `error` is the API error code."""

    def __init__(self, error: str, messages: list[str]) -> None:
        super().__init__(f"{error}: {'; '.join(messages)}")
        self.error = error
        self.messages = messages


def _texts(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def _check_text_object(node: Any, where: str, problems: list[str], plain: bool) -> None:
    if not isinstance(node, dict):
        problems.append(f"must provide an object [json-pointer:{where}]")
        return
    kind = node.get("type")
    if kind not in ("plain_text", "mrkdwn") or (plain and kind != "plain_text"):
        wanted = "plain_text" if plain else "plain_text or mrkdwn"
        problems.append(f"must be a {wanted} text object [json-pointer:{where}]")
    text = node.get("text")
    if not isinstance(text, str) or not text:
        problems.append(f"must be more than 0 characters [json-pointer:{where}/text]")


def _walk_rules(node: Any, where: str, problems: list[str]) -> None:
    """The structural rules slack_sdk lets through."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            _walk_rules(item, f"{where}/{i}", problems)
        return
    if not isinstance(node, dict):
        return
    kind = str(node.get("type", ""))
    for key in _OBJECT_FIELDS.get(kind, ()):
        if key in node:
            plain = key in _PLAIN_ONLY.get(kind, ())
            _check_text_object(node[key], f"{where}/{key}", problems, plain)
    if "placeholder" in node:
        _check_text_object(node["placeholder"], f"{where}/placeholder", problems, True)
    if kind == "section" and isinstance(node.get("fields"), list):
        for i, item in enumerate(node["fields"]):
            _check_text_object(item, f"{where}/fields/{i}", problems, False)
    if "options" in node and isinstance(node["options"], list):
        plain = kind in _PLAIN_OPTION_ELEMENTS
        for i, option in enumerate(node["options"]):
            option_where = f"{where}/options/{i}"
            if not isinstance(option, dict):
                problems.append(f"must provide an object [json-pointer:{option_where}]")
                continue
            _check_text_object(option.get("text"), f"{option_where}/text", problems, plain)
    for key, value in node.items():
        if key not in ("options", "placeholder") and isinstance(value, dict | list):
            _walk_rules(value, f"{where}/{key}", problems)


def _check_parsed_children(raw: JSONDict, parsed: Block, where: str, problems: list[str]) -> None:
    """slack_sdk turns unknown elements into None instead of failing; Slack rejects them."""
    for key in _CONTAINER_KEYS:
        if key not in raw:
            continue
        value = getattr(parsed, key, None)
        items = value if isinstance(value, list) else [value]
        if any(item is None for item in items):
            problems.append(f"unsupported element type [json-pointer:{where}/{key}]")


def _check_ids(blocks: list[JSONDict], problems: list[str]) -> None:
    seen_blocks: set[str] = set()
    for i, block in enumerate(blocks):
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if block_id in seen_blocks:
                problems.append(f"duplicate block_id {block_id!r} [json-pointer:/blocks/{i}]")
            seen_blocks.add(block_id)
        seen_actions: set[str] = set()
        for element in block_elements(block):
            action_id = element.get("action_id")
            if isinstance(action_id, str):
                if action_id in seen_actions:
                    problems.append(f"duplicate action_id {action_id!r} [json-pointer:/blocks/{i}]")
                seen_actions.add(action_id)


def block_elements(block: JSONDict) -> list[JSONDict]:
    """The interactive elements a block holds, in display order."""
    kind = block.get("type")
    found: list[JSONDict] = []
    if kind in ("actions", "context_actions"):
        found = [e for e in block.get("elements") or [] if isinstance(e, dict)]
    elif kind == "input" and isinstance(block.get("element"), dict):
        found = [block["element"]]
    elif kind == "section" and isinstance(block.get("accessory"), dict):
        accessory = block["accessory"]
        found = [] if accessory.get("type") == "image" else [accessory]
    return found


def check_blocks(blocks: Any, *, limit: int) -> list[str]:
    """Every problem with a list of blocks; empty means Slack would accept it."""
    if not isinstance(blocks, list):
        return ["blocks must be an array [json-pointer:/blocks]"]
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"no more than {limit} items allowed [json-pointer:/blocks]")
    for i, block in enumerate(blocks):
        where = f"/blocks/{i}"
        if not isinstance(block, dict):
            problems.append(f"must provide an object [json-pointer:{where}]")
            continue
        try:
            parsed = Block.parse(copy.deepcopy(block))
            if parsed is None:
                problems.append(f"unsupported type {block.get('type')!r} [json-pointer:{where}]")
                continue
            parsed.to_dict()  # validates nested elements as well
        except Exception as exc:  # slack_sdk raises TypeError/KeyError/its own errors alike
            problems.append(f"{exc} [json-pointer:{where}]")
            continue
        _check_parsed_children(block, parsed, where, problems)
        _walk_rules(block, where, problems)
    if not problems:
        _check_ids(blocks, problems)
    return problems


def check_message_blocks(blocks: Any) -> list[JSONDict]:
    """Validate message blocks; returns a normalized copy or raises BlockError."""
    problems = check_blocks(blocks, limit=MAX_MESSAGE_BLOCKS)
    if problems:
        raise BlockError("invalid_blocks", problems)
    if sum(len(t) for t in _texts(blocks)) > MAX_BLOCK_TEXT:
        raise BlockError("msg_blocks_too_long", [f"blocks hold more than {MAX_BLOCK_TEXT} chars"])
    return with_ids(blocks)


def check_view(view: Any, *, expect: str | None = None) -> JSONDict:
    """Validate a view payload; returns a normalized copy or raises BlockError."""
    if not isinstance(view, dict):
        raise BlockError("invalid_arguments", ["view must be a JSON object [json-pointer:/view]"])
    problems: list[str] = []
    kind = view.get("type")
    if expect is not None and kind != expect:
        problems.append(f"view type must be {expect!r} [json-pointer:/view/type]")
    try:
        SdkView(**copy.deepcopy(view)).validate_json()
    except Exception as exc:
        problems.append(f"{exc} [json-pointer:/view]")
    if kind == "modal" and "title" not in view:
        problems.append("a modal needs a title [json-pointer:/view/title]")
    for key in ("title", "submit", "close"):
        if key in view:
            _check_text_object(view[key], f"/view/{key}", problems, True)
    metadata = view.get("private_metadata")
    if metadata is not None and (
        not isinstance(metadata, str) or len(metadata) > MAX_PRIVATE_METADATA
    ):
        problems.append(f"private_metadata must be at most {MAX_PRIVATE_METADATA} characters")
    blocks = view.get("blocks")
    block_problems = check_blocks(blocks, limit=MAX_VIEW_BLOCKS)
    problems += [p.replace("json-pointer:", "json-pointer:/view") for p in block_problems]
    if (
        kind == "modal"
        and isinstance(blocks, list)
        and any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
        and "submit" not in view
    ):
        problems.append("a modal with input blocks needs a submit button [json-pointer:/view]")
    if problems:
        raise BlockError("invalid_arguments", problems)
    normalized = copy.deepcopy(view)
    normalized["blocks"] = with_ids(blocks)
    return normalized


def with_ids(blocks: Any) -> list[JSONDict]:
    """A copy with a block_id on every block and an action_id on every element, as Slack adds."""
    result: list[JSONDict] = copy.deepcopy(blocks) if isinstance(blocks, list) else []
    for i, block in enumerate(result):
        if not block.get("block_id"):
            block["block_id"] = content_id(block, f"block{i}")
        for j, element in enumerate(block_elements(block)):
            if not element.get("action_id"):
                element["action_id"] = content_id(element, f"action{i}.{j}")
    return result


def text_length_problem(text: Any) -> str | None:
    if text is not None and not isinstance(text, str):
        return "invalid_arguments"
    if isinstance(text, str) and len(text) > MAX_MESSAGE_TEXT:
        return "msg_too_long"
    return None


__all__ = [
    "MAX_PRIVATE_METADATA",
    "BlockError",
    "block_elements",
    "check_blocks",
    "check_message_blocks",
    "check_view",
    "text_length_problem",
    "with_ids",
]
