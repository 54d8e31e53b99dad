"""Input state as Slack reports it in `state.values`, and turning a tester's value into it.

The shape per element type follows Slack's interaction payload reference: text inputs carry
`value`, selects `selected_option(s)`/`selected_user(s)`/..., pickers `selected_date` etc.,
file inputs `files`. An untouched element reports its `initial_*` value or its null value.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from localslack.blockcheck import block_elements
from localslack.records import JSONDict, StateValues
from localslack.shapes import file_json, text_of
from localslack.store import Workspace

VALUE_KEYS = {
    "plain_text_input": "value",
    "number_input": "value",
    "email_text_input": "value",
    "url_text_input": "value",
    "static_select": "selected_option",
    "external_select": "selected_option",
    "radio_buttons": "selected_option",
    "multi_static_select": "selected_options",
    "multi_external_select": "selected_options",
    "checkboxes": "selected_options",
    "users_select": "selected_user",
    "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation",
    "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel",
    "multi_channels_select": "selected_channels",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
    "file_input": "files",
    "rich_text_input": "rich_text_value",
}
_INITIAL_KEYS = {
    "value": "initial_value",
    "selected_option": "initial_option",
    "selected_options": "initial_options",
    "selected_user": "initial_user",
    "selected_users": "initial_users",
    "selected_conversation": "initial_conversation",
    "selected_conversations": "initial_conversations",
    "selected_channel": "initial_channel",
    "selected_channels": "initial_channels",
    "selected_date": "initial_date",
    "selected_time": "initial_time",
    "selected_date_time": "initial_date_time",
    "rich_text_value": "initial_value",
}
T = TypeVar("T")
LIST_KEYS = {
    "selected_options",
    "selected_users",
    "selected_conversations",
    "selected_channels",
    "files",
}


def is_stateful(element: JSONDict) -> bool:
    return element.get("type") in VALUE_KEYS


def options_of(element: JSONDict) -> list[JSONDict]:
    found = [o for o in element.get("options") or [] if isinstance(o, dict)]
    for group in element.get("option_groups") or []:
        found += [o for o in group.get("options") or [] if isinstance(o, dict)]
    return found


def initial_state(element: JSONDict) -> JSONDict:
    kind = str(element.get("type"))
    key = VALUE_KEYS[kind]
    initial = element.get(_INITIAL_KEYS.get(key, ""))
    value: Any = copy.deepcopy(initial)
    if value is None:
        value = [] if key in LIST_KEYS else None
    if key == "value" and value is not None:
        value = str(value)
    state: JSONDict = {"type": kind, key: value}
    if kind == "timepicker" and element.get("timezone"):
        state["timezone"] = element["timezone"]
    return state


def is_empty(state: JSONDict) -> bool:
    key = VALUE_KEYS.get(str(state.get("type")), "value")
    value = state.get(key)
    return value is None or value == "" or value == []


def build_state(blocks: list[JSONDict], fills: StateValues) -> StateValues:
    """state.values: every input block, plus other stateful elements that hold a value."""
    values: StateValues = {}
    for block in blocks:
        block_id = str(block.get("block_id"))
        for element in block_elements(block):
            if not is_stateful(element):
                continue
            action_id = str(element.get("action_id"))
            filled = fills.get(block_id, {}).get(action_id)
            state = copy.deepcopy(filled) if filled is not None else initial_state(element)
            if block.get("type") == "input" or filled is not None or not is_empty(state):
                values.setdefault(block_id, {})[action_id] = state
    return values


def carried_fills(blocks: list[JSONDict], fills: StateValues) -> StateValues:
    """What survives an update: Slack keeps input for the same block_id/action_id/type."""
    kept: StateValues = {}
    for block in blocks:
        block_id = str(block.get("block_id"))
        for element in block_elements(block):
            old = fills.get(block_id, {}).get(str(element.get("action_id")))
            if old is not None and old.get("type") == element.get("type"):
                kept.setdefault(block_id, {})[str(element.get("action_id"))] = old
    return kept


# -- from a tester's value to Slack's state --------------------------------------------


def _pick_option(element: JSONDict, wanted: str) -> JSONDict:
    options = options_of(element)
    for match in (
        lambda o: o.get("value") == wanted,
        lambda o: text_of(o.get("text")) == wanted,
        lambda o: (text_of(o.get("text")) or "").casefold() == wanted.casefold(),
    ):
        for option in options:
            if match(option):
                return {k: copy.deepcopy(v) for k, v in option.items() if k != "url"}
    listing = ", ".join(f"{text_of(o.get('text'))!r}={o.get('value')!r}" for o in options)
    raise AssertionError(f"no option {wanted!r} in {element.get('action_id')!r}: {listing}")


def _as_list(value: Any, element: JSONDict) -> list[str]:
    if isinstance(value, str):
        whole = [o for o in options_of(element) if wanted_matches(o, value)]
        return [value] if whole or "," not in value else [v.strip() for v in value.split(",")]
    if isinstance(value, Sequence):
        return [str(v) for v in value]
    return [str(value)]


def wanted_matches(option: JSONDict, wanted: str) -> bool:
    return option.get("value") == wanted or text_of(option.get("text")) == wanted


def _user_id(ws: Workspace, ref: str) -> str:
    user = ws.find_user(ref)
    if user is None:
        raise AssertionError(f"no user {ref!r}")
    return user.id


def _channel_id(ws: Workspace, ref: str) -> str:
    channel = ws.find_channel(ref)
    if channel is None:
        raise AssertionError(f"no conversation {ref!r}")
    return channel.id


def _date_time(value: Any, tz: str) -> int:
    """Epoch seconds; a naive date-time is read in the user's zone, as their picker shows it."""
    if isinstance(value, int | float):
        return int(value)
    when = value if isinstance(value, datetime) else _parse(datetime.fromisoformat, value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(tz))
    return int(when.timestamp())


def _parse(parser: Callable[[str], T], value: Any) -> T:
    """Pickers only produce valid values; a typo in a test should fail loudly."""
    try:
        return parser(str(value))
    except ValueError as exc:
        raise AssertionError(f"{value!r} is not something this picker can produce") from exc


def _time(value: Any) -> str:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return _parse(lambda v: datetime.strptime(v, "%H:%M").strftime("%H:%M"), value)


def coerce(ws: Workspace, element: JSONDict, value: Any, tz: str = "UTC") -> JSONDict:
    """Turn what a tester typed into the element's state value, as the Slack client would."""
    kind = str(element.get("type"))
    if kind not in VALUE_KEYS:
        raise AssertionError(f"element {element.get('action_id')!r} ({kind}) holds no value")
    key = VALUE_KEYS[kind]
    state = initial_state(element)
    if value is None:
        state[key] = [] if key in LIST_KEYS else None
        return state
    result: Any
    if key == "value":
        result = str(value)
    elif key == "selected_option":
        result = _pick_option(element, str(value))
    elif key == "selected_options":
        result = [_pick_option(element, v) for v in _as_list(value, element)]
    elif key == "selected_user":
        result = _user_id(ws, str(value))
    elif key == "selected_users":
        result = [_user_id(ws, v) for v in _as_list(value, element)]
    elif key in ("selected_conversation", "selected_channel"):
        result = _channel_id(ws, str(value))
    elif key in ("selected_conversations", "selected_channels"):
        result = [_channel_id(ws, v) for v in _as_list(value, element)]
    elif key == "selected_date":
        picked = value if isinstance(value, date) else _parse(date.fromisoformat, value)
        result = picked.strftime("%Y-%m-%d")
    elif key == "selected_time":
        result = _time(value)
    elif key == "selected_date_time":
        result = _date_time(value, tz)
    elif key == "files":
        result = [_file(ws, file_id) for file_id in _as_list(value, element)]
    else:  # rich_text_input
        section = {"type": "rich_text_section", "elements": [{"type": "text", "text": str(value)}]}
        result = {"type": "rich_text", "elements": [section]}
    state[key] = result
    return state


def _file(ws: Workspace, file_id: str) -> JSONDict:
    record = ws.files.get(file_id)
    if record is None:
        raise AssertionError(f"no uploaded file {file_id!r} (use driver.upload_file first)")
    return file_json(ws, record)


def client_problems(blocks: list[JSONDict], values: StateValues) -> dict[str, str]:
    """What the Slack client itself refuses to submit: empty required inputs, bad lengths."""
    problems: dict[str, str] = {}
    for block in blocks:
        if block.get("type") != "input" or not isinstance(block.get("element"), dict):
            continue
        element, block_id = block["element"], str(block.get("block_id"))
        state = values.get(block_id, {}).get(str(element.get("action_id")), {})
        label = text_of(block.get("label")) or block_id
        if not state or is_empty(state):
            if not block.get("optional") and is_stateful(element):
                problems[block_id] = f"{label!r} is required"
            continue
        problem = _element_problem(element, state)
        if problem:
            problems[block_id] = f"{label!r}: {problem}"
    return problems


def _element_problem(element: JSONDict, state: JSONDict) -> str | None:
    kind, value = element.get("type"), state.get("value")
    if kind == "plain_text_input" and isinstance(value, str):
        if len(value) < int(element.get("min_length", 0)):
            return f"needs at least {element['min_length']} characters"
        if "max_length" in element and len(value) > int(element["max_length"]):
            return f"allows at most {element['max_length']} characters"
    if kind == "number_input" and isinstance(value, str):
        try:
            number = float(value) if element.get("is_decimal_allowed") else int(value)
        except ValueError:
            kind_name = "number" if element.get("is_decimal_allowed") else "whole number"
            return f"{value!r} is not a {kind_name}"
        if "min_value" in element and number < float(element["min_value"]):
            return f"must be at least {element['min_value']}"
        if "max_value" in element and number > float(element["max_value"]):
            return f"must be at most {element['max_value']}"
    if kind == "email_text_input" and isinstance(value, str) and "@" not in value:
        return f"{value!r} is not an email address"
    if kind == "url_text_input" and isinstance(value, str) and "://" not in value:
        return f"{value!r} is not a URL"
    too_many = len(state.get("files") or []) > int(element.get("max_files", 10))
    if kind == "file_input" and too_many:
        return f"allows at most {element['max_files']} files"
    return None
