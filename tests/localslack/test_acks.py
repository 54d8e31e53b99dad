"""Ack-first, enforced by localslack: a Slack call made before the ack is caught and named;
one made after it is not; a missing ack gets what Slack does after 3 s."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from localslack import BotResponse, LocalSlack
from localslack.acks import AckTracker
from localslack.driver import ACK_DEADLINE, MODAL_TROUBLE

from .conftest import make_app

Serve = Callable[[App], str]
USERS = 10


def _form(callback_id: str) -> dict[str, Any]:
    field = InputBlock(block_id="note", label="Note", element=PlainTextInputElement(action_id="t"))
    return View(
        type="modal", callback_id=callback_id, title="Note", submit="Send", blocks=[field]
    ).to_dict()


def build(ls: LocalSlack, workers: int = 2 * USERS) -> App:
    app = make_app(ls, listener_executor=ThreadPoolExecutor(max_workers=workers))

    @app.command("/early")
    def early(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        client.chat_postMessage(channel=body["channel_id"], text="posted before the ack")
        ack()

    @app.command("/prompt")
    def prompt(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.chat_postMessage(channel=body["channel_id"], text=f"done for {body['user_name']}")

    @app.command("/form")
    def form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=_form(body["text"] or "quick"))

    @app.command("/silent")
    def silent_command(body: dict[str, Any]) -> None:
        """Never acks: Bolt answers 404 after 3 s."""

    @app.view("quick")
    def quick(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.chat_postMessage(channel=body["user"]["id"], text="filed")

    @app.view("silent")
    def silent_view(body: dict[str, Any]) -> None:
        """Never acks."""

    @app.action("silent")
    def silent_button(body: dict[str, Any]) -> None:
        """Never acks."""

    @app.action("done")
    def done(ack: Ack, respond: Respond) -> None:
        ack()
        respond(replace_original=True, text="Done")

    return app


@pytest.fixture
def serve(ls: LocalSlack, bot: Serve) -> LocalSlack:
    bot(build(ls))
    return ls


def _button(ls: LocalSlack, action_id: str) -> str:
    blocks = ActionsBlock(elements=[ButtonElement(text=action_id.title(), action_id=action_id)])
    message = ls.ws.add_message("C0GENERAL", ls.bot_user_id, "A button", [blocks.to_dict()])
    return message.ts


def test_a_call_before_the_ack_is_held_and_named(serve: LocalSlack) -> None:
    ls = serve
    response = ls.driver("bob").command("/early", channel="general")
    [violation] = ls.ack_violations()
    assert violation.method == "chat.postMessage"
    assert violation.interaction == "command /early by bob"
    assert "called before command /early by bob was acked" in str(violation)
    [miss] = ls.deadline_misses()
    assert miss.interaction == "command /early by bob" and miss.elapsed > ACK_DEADLINE
    assert response.elapsed > ACK_DEADLINE
    eph = ls.wait_ephemeral("bob", contains='/early failed with the error "operation_timeout"')
    assert eph.via == "slack"
    report = ls.ack_report()
    assert report is not None and "chat.postMessage was called before" in report
    ls.expect_late_acks()
    assert ls.ack_report() is None


def test_a_call_after_the_ack_is_not(serve: LocalSlack) -> None:
    ls = serve
    response = ls.driver("bob").command("/prompt", channel="general")
    assert response.status == 200 and response.elapsed < ACK_DEADLINE
    ls.wait_message("general", contains="done for bob")
    bob = ls.driver("bob")
    bob.command("/form", channel="general")
    ls.wait_view("bob", "quick")
    bob.submit({"note": "hello"})
    assert ls.view("bob") is None
    ls.wait_dm("bob", contains="filed")
    ts = _button(ls, "done")
    bob.click("Done")
    ls.wait_for(lambda: ls.message("general", ts).text == "Done", message="replaced")
    assert ls.ack_violations() == [] and ls.deadline_misses() == []


def test_a_listener_that_never_acks_gets_what_slack_does_after_3_s(serve: LocalSlack) -> None:
    ls = serve
    ls.expect_late_acks()
    bob, alice, carol = (ls.driver(name) for name in ("bob", "alice", "carol"))
    alice.command("/form", "silent", channel="general")
    ls.wait_view("alice", "silent")
    alice.fill("note", "hello", dispatch=False)
    ts = _button(ls, "silent")
    # All three at once: each waits for the deadline, and they must not hold one another.
    with ThreadPoolExecutor(3) as pool:
        command = pool.submit(bob.command, "/silent", channel="general")
        submitted = pool.submit(alice.submit)
        clicked = pool.submit(carol.click, "Silent")
        answers: list[BotResponse] = [command.result(), submitted.result(), clicked.result()]
    assert [a.status for a in answers] == [404, 404, 404]
    assert all(a.elapsed > ACK_DEADLINE for a in answers)
    ls.wait_ephemeral("bob", contains='/silent failed with the error "operation_timeout"')
    view = ls.view("alice")
    assert view is not None and view.callback_id == "silent" and view.banner == MODAL_TROUBLE
    assert ls.message("general", ts).revision == 0  # nothing applied
    missed = sorted(m.interaction for m in ls.deadline_misses())
    assert missed == [
        "block_actions silent by carol",
        "command /silent by bob",
        "view_submission silent by alice",
    ]
    assert ls.ack_violations() == []


@pytest.mark.parametrize("workers", [2 * USERS, 3])
def test_concurrent_interactions_that_ack_first_are_not_flagged(
    ls: LocalSlack, bot: Serve, workers: int
) -> None:
    # With 3 workers, held post-ack calls fill the pool while interactions wait for a worker;
    # told its size, localslack lets them through instead of deadlocking until the deadline.
    ls.ws.acks.bot_threads = workers
    bot(build(ls, workers))
    names = [f"user{n}" for n in range(USERS)]
    for n, name in enumerate(names):
        ls.add_user(f"U0USER{n}", name)
        ls.add_member("general", name)
    start = threading.Barrier(USERS)

    def act(name: str) -> list[BotResponse]:
        me = ls.driver(name)
        start.wait()
        answers = [me.command("/prompt", channel="general"), me.command("/form")]
        ls.wait_view(name, "quick")
        answers.append(me.submit({"note": f"from {name}"}))
        return answers

    with ThreadPoolExecutor(USERS) as pool:
        answers = [a for batch in pool.map(act, names) for a in batch]
    assert all(a.status == 200 for a in answers)
    for name in names:
        ls.wait_message("general", contains=f"done for {name}")
        ls.wait_dm(name, contains="filed")
    assert ls.ack_violations() == [] and ls.deadline_misses() == []


# -- the tracker alone, with a short deadline --------------------------------------------


def _command(trigger: str) -> str:
    return urlencode({"command": "/x", "text": "", "user_name": "bob", "trigger_id": trigger})


def _gate_in_thread(tracker: AckTracker, method: str, key: str | None = None) -> threading.Event:
    passed = threading.Event()

    def run() -> None:
        tracker.gate(method, key)
        passed.set()

    threading.Thread(target=run, daemon=True).start()
    return passed


def test_a_call_waits_for_the_answer_of_every_interaction_then_unanswered() -> None:
    tracker = AckTracker(deadline=30.0)
    first = tracker.begin(_command("T1"), "application/x-www-form-urlencoded")
    second = tracker.begin(_command("T2"), "application/x-www-form-urlencoded")
    passed = _gate_in_thread(tracker, "chat.postMessage")
    tracker.end(first, 200)
    assert not passed.wait(0.05)  # the second is still unanswered
    tracker.end(second, 200)
    assert passed.wait(5)
    assert tracker.violations == [] and tracker.misses == []


def test_a_call_tied_to_one_interaction_waits_for_that_one_only() -> None:
    tracker = AckTracker(deadline=30.0)
    mine = tracker.begin(_command("T1"), "application/x-www-form-urlencoded")
    tracker.begin(_command("T2"), "application/x-www-form-urlencoded")
    passed = _gate_in_thread(tracker, "views.open", "trigger:T1")
    tracker.end(mine, 200)
    assert passed.wait(5)
    tracker.gate("views.open", "trigger:T9")  # its interaction is answered: no wait
    assert tracker.violations == []


def test_the_deadline_releases_a_held_call_as_a_violation() -> None:
    tracker = AckTracker(deadline=0.05)
    stuck = tracker.begin(_command("T1"), "application/x-www-form-urlencoded")
    tracker.gate("chat.postMessage")  # returns once the deadline has passed
    [violation] = tracker.violations
    assert (violation.method, violation.interaction) == ("chat.postMessage", "command /x by bob")
    assert violation.held >= 0.04
    tracker.end(stuck, 404)
    assert [m.status for m in tracker.misses] == [404]


def test_observe_mode_records_early_calls_without_holding_them() -> None:
    tracker = AckTracker("observe", deadline=30.0)
    pending = tracker.begin(_command("T1"), "application/x-www-form-urlencoded")
    tracker.gate("chat.postMessage")
    tracker.gate("auth.test")  # Bolt's own, once per process: exempt
    tracker.end(pending, 200)
    tracker.gate("chat.update")
    assert [(c.method, c.interactions) for c in tracker.early] == [
        ("chat.postMessage", (pending.id,))
    ]
    assert tracker.violations == []
