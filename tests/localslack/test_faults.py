"""Fault injection and the per-channel rate limit."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from localslack import LocalSlack
from procedures.clock import FakeClock


def post(client: WebClient, channel: str = "C0GENERAL") -> Any:
    return client.chat_postMessage(channel=channel, text="hello")


def test_429_has_retry_after_and_stores_nothing(ls: LocalSlack, client: WebClient) -> None:
    ls.inject("chat.postMessage", "429", retry_after=7)
    with pytest.raises(SlackApiError) as info:
        post(client)
    response = info.value.response
    assert response.status_code == 429
    assert response["error"] == "ratelimited" and response.headers["Retry-After"] == "7"
    assert ls.messages("general") == []
    post(client)  # times=1: the next call goes through
    assert len(ls.messages("general")) == 1
    statuses = [(c.status, c.ok, c.error) for c in ls.calls("chat.postMessage")]
    assert statuses == [(429, False, "ratelimited"), (200, True, None)]


def test_after_times_and_forever(ls: LocalSlack, client: WebClient) -> None:
    ls.inject("chat.postMessage", "error", after=2, times=2, error="fatal_error")
    outcomes = []
    for _ in range(5):
        try:
            post(client)
            outcomes.append("ok")
        except SlackApiError as exc:
            outcomes.append(exc.response["error"])
    assert outcomes == ["ok", "ok", "fatal_error", "fatal_error", "ok"]
    ls.inject("users.info", "500", times=None)
    for _ in range(3):
        with pytest.raises(SlackApiError) as info:
            client.users_info(user="U0BOB")
        assert info.value.response.status_code == 500
    ls.clear_faults()
    assert client.users_info(user="U0BOB")["ok"]


def test_probability_is_seeded(ls: LocalSlack, client: WebClient) -> None:
    def run() -> list[bool]:
        ls.clear_faults()
        ls.inject("auth.test", "error", probability=0.5, seed=42)
        results = []
        for _ in range(12):
            try:
                client.auth_test()
                results.append(True)
            except SlackApiError:
                results.append(False)
        return results

    first, second = run(), run()
    assert first == second and True in first and False in first


def test_wildcard_and_other_methods_unaffected(ls: LocalSlack, client: WebClient) -> None:
    ls.inject("*", "error", times=1, error="team_access_not_granted")
    with pytest.raises(SlackApiError):
        client.auth_test()
    assert client.auth_test()["ok"]


def test_reset_and_timeout_close_the_connection(ls: LocalSlack, client: WebClient) -> None:
    ls.inject("chat.postMessage", "reset")
    with pytest.raises(OSError):
        post(client)
    ls.inject("chat.postMessage", "timeout", delay=0.05)
    started = time.monotonic()
    with pytest.raises(OSError):
        post(client)
    assert time.monotonic() - started >= 0.05
    assert ls.messages("general") == []
    assert [c.error for c in ls.calls("chat.postMessage")] == ["reset", "timeout"]
    post(client)
    assert len(ls.messages("general")) == 1


def test_stop_releases_a_stalled_timeout(clock: FakeClock) -> None:
    slack = LocalSlack(clock=clock).start()
    slack.inject("auth.test", "timeout", delay=30)
    client = slack.web_client(retry_handlers=[], timeout=30)

    errors: list[BaseException] = []

    def call() -> None:
        try:
            client.auth_test()
        except BaseException as exc:  # the hang-up is the point
            errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    started = time.monotonic()
    slack.wait_for(lambda: slack.ws.faults.rules[0].fired, timeout=2, message="fault fired")
    slack.stop()
    caller.join(timeout=5)
    assert not caller.is_alive() and errors and time.monotonic() - started < 2


def test_channel_rate_limit_on_the_clock(
    ls: LocalSlack, client: WebClient, clock: FakeClock
) -> None:
    ls.channel_rate_limit(per_second=1.0, burst=2)
    post(client)
    post(client)
    with pytest.raises(SlackApiError) as info:
        post(client)
    assert info.value.response.status_code == 429
    assert info.value.response.headers["Retry-After"] == "1"
    post(client, "C0APPROVALS")  # another channel has its own budget
    clock.advance(1.0)
    post(client)
    with pytest.raises(SlackApiError):
        post(client)
    assert len(ls.messages("general")) == 3
    ls.channel_rate_limit(None)
    post(client)
    post(client)


def test_response_url_faults(ls: LocalSlack) -> None:
    url = ls.ws.issue_hook("U0BOB", "C0GENERAL", "command")
    ls.inject("response_url", "500")
    assert WebhookClient(url).send(text="one").status_code == 500
    assert WebhookClient(url).send(text="two").status_code == 200
    assert [e.text for e in ls.ephemerals("bob")] == ["two"]
