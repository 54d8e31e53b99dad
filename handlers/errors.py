"""The one error handler: domain errors become a short ephemeral in the user's language;
anything unexpected becomes "something went wrong (ref K7P2QX)" with the same ref in the log."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.context.respond import Respond
from slack_sdk.errors import SlackApiError, SlackClientError

from handlers.deps import Deps
from procedures.errors import DomainError
from procedures.form_display import escape
from slackui.i18n import Translator

log = logging.getLogger("procedo.errors")

_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_ref() -> str:
    return "".join(secrets.choice(_REF_ALPHABET) for _ in range(6))


def user_id_of(body: dict[str, Any]) -> str | None:
    user = body.get("user_id") or body.get("user")
    if isinstance(user, dict):
        user = user.get("id")
    if user is None and isinstance(body.get("event"), dict):
        user = body["event"].get("user")
    return user if isinstance(user, str) else None


def channel_of(body: dict[str, Any]) -> str | None:
    channel = body.get("channel_id") or body.get("channel")
    if isinstance(channel, dict):
        channel = channel.get("id")
    if channel is None and isinstance(body.get("container"), dict):
        channel = body["container"].get("channel_id")
    if channel is None and isinstance(body.get("event"), dict):
        channel = body["event"].get("channel")
    return channel if isinstance(channel, str) else None


def message_for(error: Exception, t: Translator, *, mrkdwn: bool = True) -> tuple[str, str | None]:
    """The text to show, and the ref when the error was unexpected. A domain error may quote
    what the user typed (`No request <!channel>`): in mrkdwn its text parameters are escaped,
    so the quote can never ping anyone (a modal's field errors are plain text)."""
    if isinstance(error, DomainError):
        params = t.localized(error.params)
        state = params.get("state")
        if isinstance(state, str) and t.has(f"request.state.{state}"):
            params["state"] = t(f"request.state.{state}")  # never a raw state in a message
        if mrkdwn:
            params = {k: escape(v) if isinstance(v, str) else v for k, v in params.items()}
        try:
            return t(error.key, **params), None
        except (KeyError, IndexError):
            log.exception("no usable catalog entry for %r", error)
    ref = new_ref()
    return t("error.unexpected", ref=ref), ref


def tell_user(
    deps: Deps,
    body: dict[str, Any],
    text: str,
    respond: Respond | None,
) -> None:
    """Reach the user privately: the response_url if there is one, else an ephemeral in the
    channel, else a DM."""
    user = user_id_of(body)
    try:
        if respond is not None and respond.response_url:
            respond(text=text, response_type="ephemeral", replace_original=False)
            return
        channel = channel_of(body)
        if user and channel:
            deps.client.chat_postEphemeral(channel=channel, user=user, text=text)
        elif user:
            deps.client.chat_postMessage(channel=user, text=text)
    except (SlackApiError, SlackClientError, OSError):
        log.exception("could not tell %s about an error", user)


def register(app: App, deps: Deps) -> None:
    @app.error
    def handle_error(
        error: Exception,
        body: dict[str, Any],
        response: BoltResponse | None = None,
        respond: Respond | None = None,
    ) -> BoltResponse | None:
        user = user_id_of(body)
        # Before the ack nothing may call Slack; after it, the profile may be fetched so a
        # first-time user is answered in their own language.
        t = (
            deps.people.translator(user, refresh=response is None)
            if user
            else Translator(deps.defaults.language)
        )
        text, ref = message_for(error, t)
        if ref is None:
            log.info("user error for %s: %r", user, error)
        else:
            log.error("unexpected error ref=%s user=%s", ref, user, exc_info=error)
        tell_user(deps, body, text, respond)
        # Before the ack, Bolt would answer 500 and Slack would show its own failure; the
        # user has our message, so answer 200. After the ack there is no response to shape.
        return BoltResponse(status=200, body="") if response is not None else None
