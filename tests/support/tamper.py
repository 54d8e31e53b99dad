"""Interactions the Slack client would not send on its own: a button pressed by someone who
cannot see it, a value or private_metadata that was tampered with. Signed like Slack's, so
they get past the HTTP gate and reach the listeners."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from localslack import payloads, shapes
from localslack.records import BotResponse, Message
from tests.support.harness import Harness


def press(
    h: Harness,
    who: str,
    message: Message,
    action_id: str,
    value: Any,
    **overrides: Any,
) -> BotResponse:
    """`who` presses a button with `action_id` and `value` on `message` (seen or not)."""
    ws, user = h.ls.ws, h.ls.user(who)
    with ws.lock:
        channel = ws.channels[message.channel]
        trigger = ws.issue_trigger(user.id)
        hook = ws.issue_hook(user.id, channel.id, "message", original_ts=message.ts)
        action = {"type": "button", "action_id": action_id, "block_id": "tampered"}
        if value is not None:
            action["value"] = value
        payload = payloads.block_actions_in_message(
            ws, user, message, channel, action, trigger, hook
        )
    payload.update(overrides)
    return h.ls.send_signed(
        urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )


def submit_view(h: Harness, who: str, view: dict[str, Any]) -> BotResponse:
    """A view_submission of `view` (a view's JSON, as tampered as the test likes)."""
    ws, user = h.ls.ws, h.ls.user(who)
    payload = {
        "type": "view_submission",
        "user": shapes.user_ref(ws, user),
        "team": shapes.team_ref(ws),
        "api_app_id": ws.config.app_id,
        "token": ws.config.verification_token,
        "trigger_id": h.ls.trigger(who),
        "view": view,
    }
    return h.ls.send_signed(
        urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )
