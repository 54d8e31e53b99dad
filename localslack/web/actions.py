"""What a click or a keystroke in the page does: the same Driver calls a test makes, so the bot
receives the same signed requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from localslack import viewstore
from localslack.driver import Driver
from localslack.finder import Surface
from localslack.mentions import command_text, escape_command_text
from localslack.records import BotResponse, JSONDict
from localslack.viewstate import client_problems

if TYPE_CHECKING:
    from localslack.core import LocalSlack


class BadRequest(Exception):
    """The page asked for something that does not exist (a stale message, an unknown user)."""


def _text(body: JSONDict, key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str):
        raise BadRequest(f"{key} must be a string")
    return value


def _answer(response: BotResponse | None) -> JSONDict:
    if response is None:
        return {"ok": True}
    if response.ok:
        return {"ok": True, "status": response.status}
    return {"ok": False, "error": f"the app answered HTTP {response.status or 'nothing'}"}


class Actions:
    def __init__(self, ls: LocalSlack) -> None:
        self.ls = ls

    def _driver(self, body: JSONDict) -> Driver:
        user = self.ls.ws.find_user(_text(body, "user"))
        if user is None or user.is_bot:
            raise BadRequest("no such person")
        return self.ls.driver(user.id)

    def _surface(self, body: JSONDict, driver: Driver) -> Surface | None:
        """The message, ephemeral or App Home a control sits in; None for the open modal."""
        if body.get("home"):
            home = self.ls.home(driver.user.id)
            if home is None:
                raise BadRequest("no App Home is published for you")
            return home
        if body.get("view"):
            return None
        channel, ts = _text(body, "channel"), _text(body, "ts")
        ws = self.ls.ws
        found = ws.find_message(channel, ts) or ws.find_ephemeral(channel, ts)
        if found is None:
            raise BadRequest("that message is gone")
        return found

    def command(self, body: JSONDict) -> JSONDict:
        driver = self._driver(body)
        command, typed = _text(body, "command"), _text(body, "text")
        text = command_text(self.ls.ws, self.ls.escaped_commands, command, typed.strip())
        return _answer(driver.command(command, text, channel=_text(body, "channel")))

    def post(self, body: JSONDict) -> JSONDict:
        driver = self._driver(body)
        thread = body.get("thread_ts")
        # The client sends a message's @name and #channel as mentions, and escapes markup.
        driver.post(
            _text(body, "channel"),
            escape_command_text(self.ls.ws, _text(body, "text")),
            thread_ts=thread if isinstance(thread, str) else None,
        )
        return {"ok": True}

    def click(self, body: JSONDict) -> JSONDict:
        driver = self._driver(body)
        surface = self._surface(body, driver)
        response = driver.click(
            action_id=_text(body, "action_id"),
            block_id=_text(body, "block_id"),
            message=surface,
            view=surface is None,
        )
        return _answer(response)

    def choose(self, body: JSONDict) -> JSONDict:
        """A select, picker or overflow: in a message it is sent at once; in a modal it is
        kept, and sent only if its block dispatches actions (as Slack does)."""
        driver = self._driver(body)
        surface = self._surface(body, driver)
        value: Any = body.get("value")
        action_id = _text(body, "action_id")
        if surface is None:
            return _answer(driver.fill(_text(body, "block_id"), value))
        return _answer(driver.select(action_id, value, message=surface))

    def submit(self, body: JSONDict) -> JSONDict:
        """Fill the typed values, then submit, unless the client itself would refuse."""
        driver = self._driver(body)
        values = body.get("values")
        if not isinstance(values, dict):
            raise BadRequest("values must be an object")
        for block_id, value in values.items():
            driver.fill(str(block_id), value, dispatch=False)
        view = driver.view
        if view is None:
            raise BadRequest("no modal is open")
        problems = client_problems(view.blocks, view.state_values)
        if problems:
            # Slack's client shows these under the fields and sends nothing.
            viewstore.set_errors(self.ls.ws, view.id, problems)
            return {"ok": False, "problems": problems}
        return _answer(driver.submit())

    def close(self, body: JSONDict) -> JSONDict:
        return _answer(self._driver(body).close_view())

    def home(self, body: JSONDict) -> JSONDict:
        return _answer(self._driver(body).open_home())

    def upload(self, user: str, name: str, content: bytes) -> JSONDict:
        driver = self._driver({"user": user})
        return {"ok": True, "file": driver.upload_file(name, content)}
