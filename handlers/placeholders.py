"""Slash commands in the app manifest that no switched-on procedure module answers: a procedure
this version does not ship yet, or one this installation's policy switches off.

They answer with a clear message, never with silence or Bolt's 404.
"""

from __future__ import annotations

from collections.abc import Collection

from slack_bolt import App

from handlers.deps import Deps
from handlers.interaction import Interaction, listener

# The slash commands slack-manifest.yml declares (a test keeps the two the same).
MANIFEST_COMMANDS = ("/procedo", "/leave", "/supply", "/meeting", "/risk")


def register(app: App, deps: Deps, answered: Collection[str]) -> None:
    """Answer every manifest command not in `answered` with "not available"."""
    for name in MANIFEST_COMMANDS:
        if name in answered:
            continue

        @app.command(name)
        @listener(deps)
        def not_yet(i: Interaction) -> None:
            i.ack()
            i.reply(i.t("error.not_available", command=i.body["command"]))
