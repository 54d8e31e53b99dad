"""What tripped a new user in the terminal: `@name` in a command, `set N` in a form with
shared action_ids, and buttons in the threads that `show #channel` lists."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from slack_bolt import App

from localslack import LocalSlack

from . import bolt_app
from .conftest import Inbox
from .test_terminal import run


def test_a_mention_typed_as_at_name_reaches_the_bot_escaped(
    ls: LocalSlack, bot: Callable[[App], str]
) -> None:
    inbox = Inbox()
    bot(bolt_app.build(inbox, ls=ls))
    ls.escaped_commands = frozenset({"/procedo"})
    run(ls, "/procedo delegate @carol until 12月10日\nquit\n")
    assert inbox.wait("command")["text"] == "delegate <@U0CAROL|carol> until 12月10日"


def test_set_n_fills_the_nth_field_even_when_fields_share_an_action_id(
    ls: LocalSlack, bot: Callable[[App], str]
) -> None:
    bot(bolt_app.build(Inbox(), ls=ls))
    output = run(ls, "/procedo twins\nset 2 later\nquit\n")
    assert "[2] Second <plain_text_input> = later" in output
    values = ls.view("bob")
    assert values is not None
    assert values.state_values["second"]["value"]["value"] == "later"
    assert values.state_values.get("first", {}).get("value", {}).get("value") in (None, "")


@pytest.mark.late_acks  # the approve listener answers through response_url after its ack
def test_a_button_in_a_listed_thread_can_be_clicked_without_opening_the_thread(
    ls: LocalSlack, bot: Callable[[App], str]
) -> None:
    inbox = Inbox()
    bot(bolt_app.build(inbox, ls=ls))
    # A top-level card after it, so [1] can only be the reply's button if replies are numbered.
    output = run(ls, "/procedo threaded\n/procedo post\nshow #general\nclick 1\nquit\n")
    assert "     > procedo: *Leave request* from @bob [1] Approve" in output
    clicked = inbox.wait("approve")["message"]  # the reply in the thread, not its parent
    assert clicked["text"] == "Approve?" and clicked.get("thread_ts") not in (None, clicked["ts"])
    assert "Approved by @bob" in output
