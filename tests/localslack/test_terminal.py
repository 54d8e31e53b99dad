"""The terminal client, scripted through a StringIO against the test bolt app."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from slack_bolt import App

from localslack import LocalSlack
from localslack.terminal import Terminal

from . import bolt_app
from .conftest import Inbox

SCRIPT = """\
/procedo post
click 2
click Approve
say ping
show #general
thread 2
reply 2 thanks
/procedo leave
fill
Family trip
3
1
alice
-










set reason Skiing
submit
as alice
/procedo wizard
submit
close
close
home
dms
users
channel #approvals
channels
quit
"""


def run(ls: LocalSlack, script: str) -> str:
    out = io.StringIO()
    terminal = Terminal(
        ls, user="bob", stdin=io.StringIO(script), stdout=out, first_wait=0.3, settle=0.15
    )
    terminal.run()
    return out.getvalue()


@pytest.mark.late_acks  # clicks a button the test bot has no listener for: Bolt answers 404
def test_a_scripted_session(ls: LocalSlack, bot: Callable[[App], str]) -> None:
    inbox = Inbox()
    bot(bolt_app.build(inbox, ls=ls))
    output = run(ls, SCRIPT)

    # A bot post with numbered controls, in the user's time zone (FakeClock 01:00 UTC).
    assert "-- #general . procedo . 09:00 --\n*Leave request* from @bob\n" in output
    assert "[1] Approve  [2] Reject  [3] Type v (Annual/Sick)" in output
    assert "! the bot answered HTTP 404" in output  # the test bot has no "reject" listener
    assert "Approved by @bob" in output
    assert "-- #general . thread " in output and "\npong\n" in output
    assert "1. procedo: Approved by @bob\n2. bob: ping\n     > procedo: pong" in output
    # The modal, then the fill walk, then the same modal with the values in it.
    assert "[1] Reason <plain_text_input> = -" in output
    assert "Type <static_select> = -\n  1) Annual  2) Sick\n> 1\n" in output
    assert "[1] Reason <plain_text_input> = Skiing" in output
    assert "[4] Delegate <users_select> = @alice" in output
    assert "(modal closed)" in output
    values = inbox.wait("leave")["view"]["state"]["values"]
    assert values["reason"]["text"]["value"] == "Skiing" and values["days"]["n"]["value"] == "3"
    # Switching user; a pushed modal, closed back to the first one, then closed.
    assert "you are now @alice" in output
    assert output.count("== modal: Step 1 ==") == 2 and "== modal: Step 2 ==" in output
    assert ls.views("alice") == []
    assert "(1 reply)" in output and inbox.wait("message", count=2)["text"] == "thanks"
    assert "== App Home ==\n+-- Home --+\nWelcome home" in output
    assert "(nothing here yet)" in output  # alice has no DM with the bot
    assert "@carol  U0CAROL  carol" in output
    assert "#approvals  C0APPROVALS  members: alice" in output
    assert output.rstrip().endswith("alice@#approvals> quit")


def test_unknown_things_are_reported_not_raised(ls: LocalSlack) -> None:
    output = run(ls, "frobnicate\nclick 9\nshow #nowhere\nthread 4\nsubmit\nquit\n")
    assert "! unknown command 'frobnicate'" in output
    assert "! nothing numbered 9 on screen" in output
    assert "! \"no channel '#nowhere'" in output
    assert "! no message '4' in the last `show`" in output
    assert "! bob has no modal open" in output
