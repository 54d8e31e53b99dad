"""The terminal's `fill` command: prompt for each input of the open modal in turn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from localslack import feed
from localslack.render import state_text
from localslack.shapes import text_of
from localslack.viewstate import LIST_KEYS, VALUE_KEYS, options_of

if TYPE_CHECKING:
    from localslack.terminal import Terminal

_HINTS = {
    "datepicker": "YYYY-MM-DD",
    "timepicker": "HH:MM",
    "datetimepicker": "YYYY-MM-DD HH:MM",
    "users_select": "a user name",
    "multi_users_select": "user names, comma-separated",
    "conversations_select": "#channel",
    "channels_select": "#channel",
    "file_input": "file ids from upload_file, comma-separated",
}


def _choice(answer: str, options: list[tuple[str, str]], many: bool) -> str | list[str]:
    """Numbers in the answer pick options by position; anything else is passed through."""
    picks = [a.strip() for a in answer.split(",")] if many else [answer.strip()]
    chosen = [
        options[int(p) - 1][0] if p.isdigit() and 1 <= int(p) <= len(options) else p for p in picks
    ]
    return chosen if many else chosen[0]


def walk_inputs(term: Terminal) -> None:
    driver = term.driver
    view = driver.view
    if view is None:
        term.say("! no modal is open")
        return
    term.say("(enter keeps the current value, '-' clears it)")
    for block in view.blocks:
        element = block.get("element")
        if block.get("type") != "input" or not isinstance(element, dict):
            continue
        kind = str(element.get("type"))
        if kind not in VALUE_KEYS:
            continue
        current = driver.view
        values = current.state_values if current else {}
        state = values.get(str(block.get("block_id")), {}).get(str(element.get("action_id")))
        now = state_text(state, feed.names_for(term.ls))
        label = text_of(block.get("label")) or str(block.get("block_id"))
        optional = " (optional)" if block.get("optional") else ""
        options = [(str(o.get("value")), text_of(o.get("text")) or "") for o in options_of(element)]
        term.say(f"{label}{optional} <{kind}> = {now}")
        if options:
            term.say("  " + "  ".join(f"{i}) {text}" for i, (_, text) in enumerate(options, 1)))
        elif kind in _HINTS:
            term.say(f"  ({_HINTS[kind]})")
        term.out.write("> ")
        term.out.flush()
        line = term.stdin.readline()
        if not line:
            break  # end of input
        answer = line.strip()
        if term.echo:
            term.say(answer)
        if not answer:
            continue
        many = VALUE_KEYS[kind] in LIST_KEYS
        value = None if answer == "-" else _choice(answer, options, many)
        try:
            term._report(driver.fill(str(block.get("block_id")), value))
        except AssertionError as exc:
            term.say(f"! {exc}")
    term.say("(type submit to send, close to cancel)")
