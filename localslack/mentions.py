"""What the Slack client does to typed text before a slash command with `should_escape` leaves it.

Slack turns `@erin` into `<@U0ERIN|erin>` and `#general` into `<#C0GENERAL|general>` for such
commands (and escapes `&`, `<`, `>`), so the bot never has to look a name up. Commands without
it get the text as typed. The terminal and the browser both type through here.
"""

from __future__ import annotations

import re

from localslack.store import Workspace

# A Slack name: letters, digits and . _ - (what `@` completes in the client).
_REFERENCE = re.compile(r"(?<![\w<|])([@#])([\w.\-]+)")


def escape_command_text(ws: Workspace, text: str) -> str:
    """`text` as Slack sends it for a command with should_escape: true."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def one(match: re.Match[str]) -> str:
        sigil, name = match.group(1), match.group(2)
        if sigil == "@":
            user = ws.find_user(name)
            if user is not None and not user.deleted:
                return f"<@{user.id}|{user.name}>"
        else:
            channel = ws.find_channel(name)
            if channel is not None and not channel.is_im:
                return f"<#{channel.id}|{channel.name}>"
        return match.group(0)

    return _REFERENCE.sub(one, text)


def command_text(ws: Workspace, escaped: frozenset[str], command: str, text: str) -> str:
    """The text of `command` as the bot receives it, given the commands that escape."""
    return escape_command_text(ws, text) if command in escaped else text
