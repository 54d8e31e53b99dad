"""Fixtures for LocalSlack's own tests: a populated workspace, a WebClient, and a way to
serve a tiny bolt App (built inside each test) over real HTTP."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from localslack import LocalSlack
from procedures.clock import FakeClock
from tests.support.acks import fail_on_ack_problems

SECRET = "test-signing-secret"
TOKEN = "xoxb-local-test"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ls(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[LocalSlack]:
    with LocalSlack(clock=clock, signing_secret=SECRET, bot_token=TOKEN) as slack:
        slack.add_user("U0BOB", "bob", real_name="Bob Li", email="bob@example.com")
        slack.add_user(
            "U0ALICE",
            "alice",
            real_name="Alice Wang",
            email="alice@example.com",
            tz="Europe/London",
            locale="en-GB",
        )
        slack.add_user("U0CAROL", "carol", email="carol@example.com")
        slack.add_channel("C0GENERAL", "general", members=["bob", "alice", "carol"])
        slack.add_channel("C0APPROVALS", "approvals", members=["alice"])
        slack.add_channel("C0RANDOM", "random", members=["bob"], bot_member=False)
        slack.add_channel(
            "G0SECRET", "secret", members=["alice"], is_private=True, bot_member=False
        )
        yield slack
    fail_on_ack_problems(request, slack)  # after `bot` has stopped: it depends on `ls`


@pytest.fixture
def client(ls: LocalSlack) -> WebClient:
    # No retry handlers: fault tests want to see the first failure, not a retried success.
    return ls.web_client(retry_handlers=[])


class Inbox:
    """What the test bot's listeners received; waiting is on a Condition."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Any]] = []
        self.cond = threading.Condition()

    def put(self, kind: str, item: Any) -> None:
        with self.cond:
            self.items.append((kind, item))
            self.cond.notify_all()

    def all(self, kind: str) -> list[Any]:
        with self.cond:
            return [item for k, item in self.items if k == kind]

    def wait(self, kind: str, count: int = 1, timeout: float = 5.0) -> Any:
        with self.cond:
            found = self.cond.wait_for(lambda: len(self.all(kind)) >= count, timeout)
            assert found, f"the bot never received {count} x {kind}; got {self.items}"
            return self.all(kind)[count - 1]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


@contextmanager
def serving(app: App) -> Iterator[str]:
    """Serve `app` on an ephemeral port; yields its /slack/events URL."""
    server = make_server(
        "127.0.0.1",
        0,
        SlackRequestHandler(app),
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/slack/events"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def make_app(ls: LocalSlack, **kwargs: Any) -> App:
    logging.getLogger("slack_bolt").setLevel(logging.ERROR)
    return App(
        signing_secret=SECRET,
        client=ls.web_client(),
        process_before_response=False,
        **kwargs,
    )


@pytest.fixture
def bot(ls: LocalSlack) -> Iterator[Callable[[App], str]]:
    """Call with a bolt App: serves it and points LocalSlack at it."""
    stack: list[Any] = []

    def start(app: App) -> str:
        context = serving(app)
        url = context.__enter__()
        stack.append(context)
        ls.bot_events_url = url
        return url

    yield start
    for context in reversed(stack):
        context.__exit__(None, None, None)
