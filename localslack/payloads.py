"""The requests Slack sends an app: slash commands, interactions and Events API envelopes.

Field names and nesting follow Slack's payload reference for each type.
"""

from __future__ import annotations

import copy
import hashlib

from localslack.records import Channel, Ephemeral, JSONDict, Message, User, View
from localslack.shapes import message_json, team_ref, user_ref, view_json
from localslack.store import Workspace
from localslack.viewstate import build_state


def _channel_name(channel: Channel) -> str:
    return "directmessage" if channel.is_im else channel.name


def _channel_type(channel: Channel) -> str:
    return "im" if channel.is_im else "group" if channel.is_private else "channel"


def action_ts(ws: Workspace) -> str:
    return f"{ws.now().timestamp():.6f}"


def slash_command(
    ws: Workspace,
    user: User,
    channel: Channel,
    command: str,
    text: str,
    response_url: str,
    trigger_id: str,
) -> dict[str, str]:
    c = ws.config
    return {
        "token": c.verification_token,
        "team_id": c.team_id,
        "team_domain": c.team_domain,
        "channel_id": channel.id,
        "channel_name": _channel_name(channel),
        "user_id": user.id,
        "user_name": user.name,
        "command": command,
        "text": text,
        "api_app_id": c.app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def action_entry(
    ws: Workspace, block: JSONDict, element: JSONDict, state: JSONDict | None
) -> JSONDict:
    """One item of `actions`: the element's identity plus what was clicked or picked."""
    entry: JSONDict = {
        "type": element.get("type"),
        "action_id": element.get("action_id"),
        "block_id": block.get("block_id"),
    }
    if element.get("type") == "button":
        entry["text"] = copy.deepcopy(element.get("text"))
        for key in ("value", "style", "url"):
            if key in element:
                entry[key] = element[key]
    if state is not None:
        entry.update({k: copy.deepcopy(v) for k, v in state.items() if k != "type"})
    if "placeholder" in element:
        entry["placeholder"] = copy.deepcopy(element["placeholder"])
    entry["action_ts"] = action_ts(ws)
    return entry


def _base(ws: Workspace, user: User, kind: str, trigger_id: str | None) -> JSONDict:
    payload: JSONDict = {
        "type": kind,
        "user": user_ref(ws, user),
        "api_app_id": ws.config.app_id,
        "token": ws.config.verification_token,
        "team": team_ref(ws),
        "enterprise": None,
        "is_enterprise_install": False,
    }
    if trigger_id is not None:
        payload["trigger_id"] = trigger_id
    return payload


def block_actions_in_message(
    ws: Workspace,
    user: User,
    surface: Message | Ephemeral,
    channel: Channel,
    action: JSONDict,
    trigger_id: str,
    response_url: str,
) -> JSONDict:
    is_ephemeral = isinstance(surface, Ephemeral)
    container: JSONDict = {
        "type": "message",
        "message_ts": surface.ts,
        "channel_id": channel.id,
        "is_ephemeral": is_ephemeral,
    }
    if surface.thread_ts and surface.thread_ts != surface.ts:
        container["thread_ts"] = surface.thread_ts
    payload = _base(ws, user, "block_actions", trigger_id)
    payload["container"] = container
    payload["channel"] = {"id": channel.id, "name": _channel_name(channel)}
    if isinstance(surface, Message):
        payload["message"] = message_json(ws, surface)
    fills = ws.message_state.get((user.id, channel.id, surface.ts), {})
    payload["state"] = {"values": build_state(surface.blocks, fills)}
    payload["response_url"] = response_url
    payload["actions"] = [action]
    return payload


def block_actions_in_view(
    ws: Workspace, user: User, view: View, action: JSONDict, trigger_id: str
) -> JSONDict:
    payload = _base(ws, user, "block_actions", trigger_id)
    payload["container"] = {"type": "view", "view_id": view.id}
    payload["view"] = view_json(ws, view)
    payload["actions"] = [action]
    return payload


def view_submission(ws: Workspace, user: User, view: View, trigger_id: str) -> JSONDict:
    payload = _base(ws, user, "view_submission", trigger_id)
    payload["view"] = view_json(ws, view)
    payload["response_urls"] = []
    return payload


def view_closed(ws: Workspace, user: User, view: View, is_cleared: bool) -> JSONDict:
    payload = _base(ws, user, "view_closed", None)
    payload["view"] = view_json(ws, view)
    payload["is_cleared"] = is_cleared
    return payload


# -- Events API ----------------------------------------------------------------------------


def envelope(ws: Workspace, event: JSONDict) -> JSONDict:
    c = ws.config
    return {
        "token": c.verification_token,
        "team_id": c.team_id,
        "api_app_id": c.app_id,
        "event": event,
        "type": "event_callback",
        "event_id": ws.ids.event_id(),
        "event_time": int(ws.now().timestamp()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": c.team_id,
                "user_id": c.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-local-{c.team_id}",
    }


def _rich_text(text: str) -> list[JSONDict]:
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return [{"type": "rich_text", "block_id": "rt0", "elements": [section]}]


def user_message_event(ws: Workspace, message: Message, channel: Channel, kind: str) -> JSONDict:
    """A `message` (or `app_mention`) event for something a user posted."""
    event: JSONDict = {
        "type": kind,
        "user": message.user,
        "text": message.text,
        "ts": message.ts,
        "channel": channel.id,
        "event_ts": message.ts,
        "team": ws.config.team_id,
        "client_msg_id": hashlib.sha256(message.ts.encode()).hexdigest()[:32],
        "blocks": _rich_text(message.text),
    }
    if kind == "message":
        event["channel_type"] = _channel_type(channel)
    if message.is_reply:
        event["thread_ts"] = message.thread_ts
        parent = ws.find_message(channel.id, message.thread_ts)
        if parent is not None:
            event["parent_user_id"] = parent.user
    return event


def app_home_opened(ws: Workspace, user: User, dm: Channel, home: View | None) -> JSONDict:
    event: JSONDict = {
        "type": "app_home_opened",
        "user": user.id,
        "channel": dm.id,
        "tab": "home",
        "event_ts": action_ts(ws),
    }
    if home is not None:
        event["view"] = view_json(ws, home)
    return event
