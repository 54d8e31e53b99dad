"""Slash commands in the manifest whose procedures this version does not ship yet.

They answer with a clear message and the way to help, never with silence or an error.
"""

from __future__ import annotations

from slack_bolt import App

from handlers.deps import Deps
from handlers.interaction import Interaction, listener

NOT_YET = ("/supply", "/meeting", "/risk")


def register(app: App, deps: Deps, commands: tuple[str, ...] = NOT_YET) -> None:
    for name in commands:

        @app.command(name)
        @listener(deps)
        def not_yet(i: Interaction) -> None:
            i.ack()
            i.reply(i.t("error.not_available", command=i.body["command"]))
