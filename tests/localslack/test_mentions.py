"""Typed text as the Slack client sends it for a command with should_escape."""

from __future__ import annotations

from localslack import LocalSlack
from localslack.mentions import command_text, escape_command_text


def test_names_become_mentions_and_markup_is_escaped(ls: LocalSlack) -> None:
    ls.add_user("U0ERIN", "erin")
    ls.add_channel("C0OPS", "ops-team")
    text = escape_command_text(ls.ws, "delegate @erin until 12月10日 in #ops-team & <b>")
    assert text == "delegate <@U0ERIN|erin> until 12月10日 in <#C0OPS|ops-team> &amp; &lt;b&gt;"


def test_unknown_names_and_e_mail_addresses_stay_as_typed(ls: LocalSlack) -> None:
    ls.add_user("U0ERIN", "erin")
    assert escape_command_text(ls.ws, "@nobody mail erin@x.org #nowhere") == (
        "@nobody mail erin@x.org #nowhere"
    )


def test_only_commands_that_escape_are_changed(ls: LocalSlack) -> None:
    ls.add_user("U0ERIN", "erin")
    escaped = frozenset({"/procedo"})
    assert command_text(ls.ws, escaped, "/procedo", "@erin") == "<@U0ERIN|erin>"
    assert command_text(ls.ws, escaped, "/meeting", "@erin") == "@erin"
