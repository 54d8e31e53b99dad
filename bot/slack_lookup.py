"""`SlackLookup` over the Web API, for the org importer."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from procedures.org_import import SlackChannel, SlackUser

_NOT_FOUND = {"user_not_found", "users_not_found", "channel_not_found", "user_not_visible"}


class SlackUnavailable(Exception):
    """Slack refused in a way no file edit can fix (bad token, missing scope, outage)."""


class WebApiLookup:
    def __init__(self, client: WebClient) -> None:
        self.client = client

    def _call(self, method: str, **params: str | bool) -> dict[str, object] | None:
        try:
            response = self.client.api_call(method, params=params)
        except SlackApiError as exc:
            error = str(exc.response.get("error", ""))
            if error in _NOT_FOUND:
                return None
            hint = {
                "invalid_auth": "check SLACK_BOT_TOKEN",
                "not_authed": "set SLACK_BOT_TOKEN",
                "missing_scope": "add the scope to the app (see slack-manifest.yml) and reinstall",
            }.get(error, "try again later")
            raise SlackUnavailable(f"Slack answered {error!r} to {method}: {hint}") from None
        except OSError as exc:
            raise SlackUnavailable(f"cannot reach Slack for {method}: {exc}") from None
        return dict(response.data) if isinstance(response.data, dict) else None

    def user_by_id(self, user_id: str) -> SlackUser | None:
        data = self._call("users.info", user=user_id)
        return _user(data)

    def user_by_email(self, email: str) -> SlackUser | None:
        data = self._call("users.lookupByEmail", email=email)
        return _user(data)

    def channel(self, channel_id: str) -> SlackChannel | None:
        data = self._call("conversations.info", channel=channel_id)
        channel = data.get("channel") if data else None
        if not isinstance(channel, dict):
            return None
        return SlackChannel(
            id=str(channel["id"]),
            name=str(channel.get("name") or channel_id),
            bot_is_member=bool(channel.get("is_member") or channel.get("is_im")),
            is_archived=bool(channel.get("is_archived")),
        )


def _user(data: dict[str, object] | None) -> SlackUser | None:
    user = data.get("user") if data else None
    if not isinstance(user, dict):
        return None
    return SlackUser(
        id=str(user["id"]), deleted=bool(user.get("deleted")), is_bot=bool(user.get("is_bot"))
    )
