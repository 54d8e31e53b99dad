"""Slash commands in the manifest whose procedures this version does not ship yet.

They answer with a clear message and the way to help, never with silence or an error.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond

from bot.deps import Deps

NOT_YET = ("/supply", "/meeting", "/risk")


def register(app: App, deps: Deps, commands: tuple[str, ...] = NOT_YET) -> None:
    for name in commands:

        @app.command(name)
        def not_yet(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
            ack()
            t = deps.people.translator(command["user_id"])
            respond(
                text=t("error.not_available", command=command["command"]), response_type="ephemeral"
            )
