"""A simulated user: does what a person does in the Slack client and sends the bot what
Slack would send, signed. After a modal submission it applies the bot's answer as Slack does.
"""

from __future__ import annotations

import copy
import json
import mimetypes
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from localslack import finder, payloads, viewstore
from localslack.acks import ACK_DEADLINE
from localslack.blockcheck import BlockError, check_message_blocks, check_view
from localslack.finder import Surface, Target
from localslack.records import BotResponse, Channel, FileRecord, JSONDict, Message, View
from localslack.signing import SignMode
from localslack.viewstate import client_problems, coerce, is_stateful, options_of

if TYPE_CHECKING:
    from localslack.core import LocalSlack

__all__ = ["ACK_DEADLINE", "Driver", "slack_gave_up"]

# What Slack shows at the top of a modal whose submission got no usable ack.
MODAL_TROUBLE = "We had some trouble connecting. Try again?"


def slack_gave_up(response: BotResponse) -> str | None:
    """The error Slack reports when an interaction got no usable ack in time, else None."""
    if response.status == 0 or response.elapsed > ACK_DEADLINE:
        return "operation_timeout"
    if not response.ok:
        return "dispatch_failed"
    return None


class Driver:
    def __init__(self, ls: LocalSlack, user: str) -> None:
        self.ls = ls
        self.ws = ls.ws
        self.user = ls.user(user)
        self._last_submission: JSONDict | None = None

    def __repr__(self) -> str:
        return f"Driver({self.user.name})"

    @property
    def view(self) -> View | None:
        return self.ls.view(self.user.id)

    # -- sending -----------------------------------------------------------------------

    def _form(self, form: dict[str, str], sign: SignMode = "good") -> BotResponse:
        return self.ls.send_signed(urlencode(form), "application/x-www-form-urlencoded", sign=sign)

    def _interaction(self, payload: JSONDict, sign: SignMode = "good") -> BotResponse:
        return self._form({"payload": json.dumps(payload)}, sign)

    def _event(self, event: JSONDict, sign: SignMode = "good") -> BotResponse:
        with self.ws.lock:
            body = json.dumps(payloads.envelope(self.ws, event))
        return self.ls.send_signed(body, "application/json", sign=sign)

    def _place(self, ref: str | None) -> Channel:
        """A conversation the user is in; the bot (by name or id) means the DM with it."""
        bot = self.ws.config
        if ref is None or ref.removeprefix("@") in (bot.bot_user_id, bot.bot_name):
            return self.ws.dm(self.user.id)
        channel = self.ws.conversation(ref)
        if channel is None:
            raise AssertionError(f"no channel {ref!r}")
        if not self.ws.is_member(channel, self.user.id):
            raise AssertionError(f"{self.user.name} is not a member of {channel.label}")
        return channel

    # -- slash commands ----------------------------------------------------------------

    def command(
        self, command: str, text: str = "", *, channel: str | None = None, sign: SignMode = "good"
    ) -> BotResponse:
        """Type `/command text` in `channel` (default: the DM with the bot)."""
        place = self._place(channel)
        with self.ws.lock:
            trigger = self.ws.issue_trigger(self.user.id)
            hook = self.ws.issue_hook(self.user.id, place.id, "command")
            form = payloads.slash_command(self.ws, self.user, place, command, text, hook, trigger)
        response = self._form(form, sign)
        error = slack_gave_up(response) if sign == "good" else None
        if error is not None:
            # A late answer is dropped: the user sees Slack's own error instead.
            text = f'{command} failed with the error "{error}"'
            self.ws.add_ephemeral(self.user.id, place.id, text, [], "slack")
        elif response.status == 200 and response.body.strip():
            self._show_command_ack(response, place)
        return response

    def _show_command_ack(self, response: BotResponse, place: Channel) -> None:
        """Slack shows a command's HTTP answer as a message (ephemeral unless in_channel)."""
        data = response.json if isinstance(response.json, dict) else {"text": response.body}
        try:
            blocks = check_message_blocks(data["blocks"]) if data.get("blocks") else []
        except BlockError as exc:
            raise AssertionError(f"the bot acked {response.body!r}: {exc}") from exc
        text = str(data.get("text") or "")
        if not text and not blocks:
            return
        if data.get("response_type") == "in_channel":
            self.ws.add_message(place.id, self.ws.config.bot_user_id, text, blocks)
        else:
            self.ws.add_ephemeral(self.user.id, place.id, text, blocks, "command_ack")

    # -- block actions -----------------------------------------------------------------

    def click(
        self,
        text: str | None = None,
        *,
        action_id: str | None = None,
        value: str | None = None,
        block_id: str | None = None,
        message: Surface | None = None,
        view: bool = False,
        channel: str | None = None,
    ) -> BotResponse:
        """Click a button the user can see (see finder.find_button for the search order)."""
        target = finder.find_button(
            self.ws,
            self.user.id,
            text,
            action_id=action_id,
            value=value,
            block_id=block_id,
            message=message,
            view=view,
            channel=channel,
        )
        return self._act(target, None)

    def select(
        self,
        action_id: str,
        value: Any,
        *,
        message: Surface | None = None,
        view: bool = False,
        channel: str | None = None,
    ) -> BotResponse | None:
        """Pick in a select/picker/checkboxes (options by value or text; users/channels by
        name or id). Sends block_actions unless it is a plain input in a modal."""
        target = finder.find_element(
            self.ws, self.user.id, action_id, message=message, view=view, channel=channel
        )
        return self._set(target, value, dispatch=True)

    def fill(self, key: str, value: Any, *, dispatch: bool = True) -> BotResponse | None:
        """Set an input of the open modal, found by action_id, block_id or label."""
        target = finder.find_element(self.ws, self.user.id, key, view=True)
        return self._set(target, value, dispatch=dispatch)

    def _set(self, target: Target, value: Any, *, dispatch: bool) -> BotResponse | None:
        element, block = target.element, target.block
        if element.get("type") == "overflow":
            state: JSONDict = {"type": "overflow", **_overflow_pick(element, str(value))}
        elif is_stateful(element):
            state = coerce(self.ws, element, value, self.user.tz)
        else:
            raise AssertionError(f"{target.describe()} takes no value")
        block_id, action_id = str(block.get("block_id")), str(element.get("action_id"))
        surface = target.surface
        if isinstance(surface, View):
            viewstore.set_fill(self.ws, surface.id, block_id, action_id, state)
        else:
            with self.ws.lock:
                key = (self.user.id, surface.channel, surface.ts)
                self.ws.message_state.setdefault(key, {}).setdefault(block_id, {})[action_id] = (
                    state
                )
                self.ws.touch()
        in_input = block.get("type") == "input"
        if dispatch and (not in_input or block.get("dispatch_action")):
            return self._act(target, state)
        return None

    def _act(self, target: Target, state: JSONDict | None) -> BotResponse:
        surface = target.surface
        with self.ws.lock:
            trigger = self.ws.issue_trigger(self.user.id)
            action = payloads.action_entry(self.ws, target.block, target.element, state)
            if isinstance(surface, View):
                current = self.ws.views.get(surface.id, surface)
                payload = payloads.block_actions_in_view(
                    self.ws, self.user, current, action, trigger
                )
            else:
                channel = self.ws.channels[surface.channel]
                hook = self.ws.issue_hook(
                    self.user.id,
                    channel.id,
                    "message",
                    original_ts=surface.ts,
                    original_ephemeral=not isinstance(surface, Message),
                    thread_ts=surface.thread_ts,
                )
                payload = payloads.block_actions_in_message(
                    self.ws, self.user, surface, channel, action, trigger, hook
                )
        return self._interaction(payload)

    # -- modals ------------------------------------------------------------------------

    def _top(self) -> View:
        view = viewstore.top(self.ws, self.user.id)
        if view is None:
            raise AssertionError(f"{self.user.name} has no modal open")
        return view

    def submit(self, values: dict[str, Any] | None = None, *, validate: bool = True) -> BotResponse:
        """Fill `values` (no block_actions for them), then press the modal's submit button."""
        for key, value in (values or {}).items():
            self.fill(key, value, dispatch=False)
        view = self._top()
        problems = client_problems(view.blocks, view.state_values)
        if validate and problems:
            raise AssertionError(f"Slack would not submit {view.title!r}: {problems}")
        with self.ws.lock:
            trigger = self.ws.issue_trigger(self.user.id)
            payload = payloads.view_submission(self.ws, self.user, view, trigger)
        self._last_submission = payload
        response = self._interaction(payload)
        self._apply_submission_answer(view, response)
        return response

    def resubmit(self) -> BotResponse:
        """Send the last submission again, the same payload with the same view.id, as Slack
        does when the user presses Submit again after a timeout."""
        if self._last_submission is None:
            raise AssertionError(f"{self.user.name} has submitted nothing yet")
        view_id = str(self._last_submission["view"]["id"])
        response = self._interaction(self._last_submission)
        with self.ws.lock:
            still_open = self.ws.views.get(view_id)
        if still_open is not None:
            self._apply_submission_answer(still_open, response)
        return response

    def _apply_submission_answer(self, view: View, response: BotResponse) -> None:
        if slack_gave_up(response) is not None:
            viewstore.set_banner(self.ws, view.id, MODAL_TROUBLE)  # the modal stays open
            return
        if response.status != 200:
            return
        if not response.body.strip():
            viewstore.close_top(self.ws, self.user.id, view.id)
            return
        data = response.json if isinstance(response.json, dict) else None
        if data is None:
            return
        action = data.get("response_action")
        if action == "errors":
            self._show_errors(view, data.get("errors"))
        elif action in ("update", "push"):
            try:
                source = check_view(data.get("view"), expect="modal")
            except BlockError as exc:
                raise AssertionError(f"response_action {action}: {exc}") from exc
            if action == "update":
                viewstore.replace_top(self.ws, self.user.id, view.id, source)
            else:
                viewstore.push_modal(self.ws, self.user.id, source)
        elif action == "clear":
            viewstore.clear(self.ws, self.user.id)
        else:
            viewstore.close_top(self.ws, self.user.id, view.id)

    def _show_errors(self, view: View, errors: Any) -> None:
        if not isinstance(errors, dict) or not errors:
            raise AssertionError(f"response_action errors needs an errors object, got {errors!r}")
        inputs = {str(b.get("block_id")) for b in view.blocks if b.get("type") == "input"}
        unknown = sorted(set(errors) - inputs)
        if unknown:
            raise AssertionError(f"errors for {unknown}, which are not input blocks: {inputs}")
        viewstore.set_errors(self.ws, view.id, {str(k): str(v) for k, v in errors.items()})

    def close_view(self) -> BotResponse | None:
        """Press the modal's close button; the bot hears of it only with notify_on_close."""
        view = self._top()
        if view.clear_on_close:
            viewstore.clear(self.ws, self.user.id)
        else:
            viewstore.close_top(self.ws, self.user.id, view.id)
        if not view.notify_on_close:
            return None
        with self.ws.lock:
            payload = payloads.view_closed(self.ws, self.user, view, view.clear_on_close)
        return self._interaction(payload)

    # -- messages, home, files ---------------------------------------------------------

    def post(self, channel: str, text: str, *, thread_ts: str | None = None) -> Message:
        """Post as this user; the bot hears it if it is in the conversation (and an events URL
        is set: without one, like an app with no Request URL, nothing is delivered)."""
        place = self._place(channel)
        root = None
        if thread_ts is not None:
            root = self.ws.thread_root(place.id, thread_ts)
            if root is None:
                raise AssertionError(f"no thread {thread_ts} in {place.label}")
        message = self.ws.add_message(place.id, self.user.id, text, thread_ts=root)
        if self.ls.bot_events_url and self.ws.is_member(place, self.ws.config.bot_user_id):
            with self.ws.lock:
                event = payloads.user_message_event(self.ws, message, place, "message")
            self._event(event)
            if not place.is_im and f"<@{self.ws.config.bot_user_id}>" in text:
                with self.ws.lock:
                    mention = payloads.user_message_event(self.ws, message, place, "app_mention")
                self._event(mention)
        return copy.deepcopy(message)

    def open_home(self) -> BotResponse:
        with self.ws.lock:
            dm = self.ws.dm(self.user.id)
            home = viewstore.home_of(self.ws, self.user.id)
            event = payloads.app_home_opened(self.ws, self.user, dm, home)
        return self._event(event)

    def upload_file(self, name: str, content: bytes, *, mimetype: str | None = None) -> str:
        """A file this user owns (for file_input fields); returns its id."""
        record = FileRecord(
            id=self.ws.ids.file_id(),
            name=name,
            title=name,
            user=self.user.id,
            mimetype=mimetype or mimetypes.guess_type(name)[0] or "application/octet-stream",
            size=len(content),
            content=content,
            created=self.ws.now(),
            uploaded=True,
        )
        return self.ws.put_file(record).id


def _overflow_pick(element: JSONDict, wanted: str) -> JSONDict:
    for option in options_of(element):
        if wanted in (option.get("value"), (option.get("text") or {}).get("text")):
            return {"selected_option": copy.deepcopy(option)}
    raise AssertionError(f"no overflow option {wanted!r} in {element.get('action_id')!r}")
