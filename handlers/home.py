"""The App Home tab: who you are and what you can do (other modules add their sections)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App

from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from slackui.views.core import home_view, whoami_blocks
from store.directory import Directory

log = logging.getLogger("procedo.home")

HomeSection = Callable[[Deps, str], list[dict[str, Any]]]


def publish_home(deps: Deps, user: str, sections: list[HomeSection]) -> None:
    me = deps.people.view(user)
    with deps.sessions.read() as session:
        directory = Directory(session)
        body = whoami_blocks(
            me.t,
            dept=directory.department_of(user),
            approver=directory.approver_for(user),
            roles=directory.roles_of(user),
            language_source=me.language_source,
            timezone=me.tz.key,
        )
    for section in sections:
        body += section(deps, user)
    deps.client.views_publish(user_id=user, view=home_view(me.t, me.name, body))


def register(app: App, deps: Deps, sections: list[HomeSection]) -> None:
    @app.event("app_home_opened")
    @listener(deps)
    def home_opened(i: Interaction) -> None:
        event = i.body.get("event")
        if not isinstance(event, dict) or not isinstance(event.get("user"), str):
            log.warning("ignored an app_home_opened event without a user")
            return
        if event.get("tab", "home") == "home":
            publish_home(deps, event["user"], sections)
