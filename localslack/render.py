"""Block Kit as plain text for a terminal.

`render_blocks` and `render_view` return a `Rendered`: the text itself (it *is* a str) plus
`.controls`, the numbered buttons/selects/inputs, so a terminal can say `click 2`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from localslack.blockcheck import block_elements
from localslack.mrkdwn import Resolver, to_plain
from localslack.records import JSONDict, StateValues, View
from localslack.shapes import text_of
from localslack.viewstate import VALUE_KEYS, initial_state, options_of

RULE = "-" * 40


def _nobody(_: str) -> str | None:
    return None


@dataclass(frozen=True)
class Names:
    """How to turn ids into names for display (defaults leave ids as they are)."""

    user: Resolver = _nobody
    channel: Resolver = _nobody
    file: Resolver = _nobody


@dataclass(frozen=True)
class Control:
    number: int
    type: str
    action_id: str
    block_id: str
    label: str
    value: str | None = None
    options: tuple[tuple[str, str], ...] = ()  # (value, text)
    in_input: bool = False


class Rendered(str):
    controls: list[Control]

    def __new__(cls, text: str, controls: list[Control] | None = None) -> Rendered:
        obj = super().__new__(cls, text)
        obj.controls = list(controls or [])
        return obj


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass
class _Out:
    names: Names
    number: int
    lines: list[str] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)

    def md(self, obj: Any) -> str:
        return to_plain(text_of(obj) or "", self.names.user, self.names.channel)

    def add(self, block: JSONDict, element: JSONDict, label: str, in_input: bool) -> str:
        options = tuple((str(o.get("value")), self.md(o.get("text"))) for o in options_of(element))
        control = Control(
            number=self.number,
            type=str(element.get("type")),
            action_id=str(element.get("action_id")),
            block_id=str(block.get("block_id")),
            label=label,
            value=element.get("value"),
            options=options,
            in_input=in_input,
        )
        self.controls.append(control)
        self.number += 1
        return f"[{control.number}]"


def state_text(state: JSONDict | None, names: Names) -> str:
    if not state:
        return "-"
    key = VALUE_KEYS.get(str(state.get("type")), "value")
    value = state.get(key)
    if value in (None, "", []):
        return "-"
    show: Callable[[Any], str]
    if key in ("selected_option", "selected_options"):
        show = lambda o: text_of(o.get("text")) or str(o.get("value"))  # noqa: E731
    elif key in ("selected_user", "selected_users"):
        show = lambda u: "@" + (names.user(u) or u)  # noqa: E731
    elif key in (
        "selected_conversation",
        "selected_conversations",
        "selected_channel",
        "selected_channels",
    ):
        show = lambda c: "#" + (names.channel(c) or c)  # noqa: E731
    elif key == "files":
        show = lambda f: str(f.get("name"))  # noqa: E731
    elif key == "rich_text_value":
        return " ".join(str(t) for t in _rich_texts(value))
    else:
        show = str
    return ", ".join(show(v) for v in value) if isinstance(value, list) else show(value)


def _rich_texts(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        kind = node.get("type")
        if kind in ("text", "link") and isinstance(node.get("text") or node.get("url"), str):
            found.append(str(node.get("text") or node.get("url")))
        elif kind == "user":
            found.append(f"<@{node.get('user_id')}>")
        elif kind == "channel":
            found.append(f"<#{node.get('channel_id')}>")
        elif kind == "emoji":
            found.append(f":{node.get('name')}:")
        else:
            for value in node.values():
                found += _rich_texts(value)
    elif isinstance(node, list):
        for item in node:
            found += _rich_texts(item)
    return found


def _control_text(out: _Out, block: JSONDict, element: JSONDict, state: JSONDict | None) -> str:
    kind = str(element.get("type"))
    if kind == "button":
        label = out.md(element.get("text"))
        return f"{out.add(block, element, label, False)} {label}"
    if kind == "overflow":
        return f"{out.add(block, element, '...', False)} ..."
    label = out.md(element.get("placeholder")) or kind.replace("_", " ")
    number = out.add(block, element, label, False)
    current = state or (initial_state(element) if kind in VALUE_KEYS else None)
    shown = state_text(current, out.names)
    choices = "/".join(text for _, text in out.controls[-1].options)
    extra = f" ({choices})" if choices else ""
    return f"{number} {label} v{extra}" + (f" = {shown}" if shown != "-" else "")


def _section(out: _Out, block: JSONDict, state_of: Callable[[JSONDict, JSONDict], Any]) -> None:
    if block.get("text") is not None:
        out.lines += out.md(block.get("text")).splitlines() or [""]
    fields = [out.md(f) for f in block.get("fields") or []]
    for i in range(0, len(fields), 2):
        out.lines.append("  " + "  |  ".join(fields[i : i + 2]))
    accessory = block.get("accessory")
    if isinstance(accessory, dict):
        if accessory.get("type") == "image":
            out.lines.append(f"  [image: {accessory.get('alt_text', '')}]")
        else:
            out.lines.append(
                "  " + _control_text(out, block, accessory, state_of(block, accessory))
            )


def _input(out: _Out, block: JSONDict, state: JSONDict | None, errors: dict[str, str]) -> None:
    element = block.get("element") or {}
    label = out.md(block.get("label"))
    number = out.add(block, element, label, True)
    optional = " (optional)" if block.get("optional") else ""
    current = state_text(state, out.names)
    out.lines.append(f"{number} {label}{optional} <{element.get('type')}> = {current}")
    options = out.controls[-1].options
    if options:
        out.lines.append("    options: " + " | ".join(text for _, text in options))
    if block.get("hint"):
        out.lines.append(f"    hint: {out.md(block.get('hint'))}")
    error = errors.get(str(block.get("block_id")))
    if error:
        out.lines.append(f"    ! {error}")


def _render(
    blocks: list[JSONDict],
    out: _Out,
    state: StateValues,
    errors: dict[str, str],
) -> None:
    def state_of(block: JSONDict, element: JSONDict) -> JSONDict | None:
        return state.get(str(block.get("block_id")), {}).get(str(element.get("action_id")))

    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = out.md(block.get("text"))
            out.lines += [title, "=" * max(3, display_width(title))]
        elif kind == "section":
            _section(out, block, state_of)
        elif kind == "divider":
            out.lines.append(RULE)
        elif kind == "context":
            parts = [
                f"[image: {e.get('alt_text', '')}]" if e.get("type") == "image" else out.md(e)
                for e in block.get("elements") or []
            ]
            out.lines.append("  > " + "  ".join(parts))
        elif kind in ("actions", "context_actions"):
            parts = [
                _control_text(out, block, e, state_of(block, e)) for e in block_elements(block)
            ]
            out.lines.append("  ".join(parts))
        elif kind == "input":
            element = block.get("element") or {}
            _input(out, block, state_of(block, element), errors)
        elif kind == "image":
            out.lines.append(f"[image: {block.get('alt_text', '')}]")
        elif kind == "rich_text":
            text = "".join(_rich_texts(block.get("elements")))
            out.lines += to_plain(text, out.names.user, out.names.channel).splitlines()
        elif kind == "markdown":
            out.lines += str(block.get("text", "")).splitlines()
        else:
            out.lines.append(f"[{kind}]")


def render_blocks(
    blocks: list[JSONDict] | None,
    text: str = "",
    *,
    names: Names | None = None,
    start: int = 1,
    state: StateValues | None = None,
) -> Rendered:
    """A message: its blocks if it has any, else its text (both with mrkdwn resolved)."""
    out = _Out(names or Names(), start)
    if blocks:
        _render(blocks, out, state or {}, {})
    else:
        out.lines += to_plain(text, out.names.user, out.names.channel).splitlines()
    return Rendered("\n".join(out.lines), out.controls)


def render_view(view: View, *, names: Names | None = None, start: int = 1) -> Rendered:
    """A modal or Home tab, with the current input values and any errors under the inputs."""
    out = _Out(names or Names(), start)
    title = view.title if view.type == "modal" else "Home"
    out.lines += [f"+-- {title} --+"]
    if view.banner:
        out.lines.append(f"(!) {view.banner}")
    _render(view.blocks, out, view.state_values, view.errors)
    buttons = []
    if view.submit:
        buttons.append(f"<{view.submit}: submit>")
    if view.type == "modal":
        buttons.append(f"<{view.close or 'Cancel'}: close>")
    if buttons:
        out.lines.append("  ".join(buttons))
    return Rendered("\n".join(out.lines), out.controls)
