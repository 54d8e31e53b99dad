"""`/procedo`: help, whoami, language — and the subcommands other modules register."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond

from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from procedures.errors import NotAllowed
from slackui.commands import HelpEntry, Subcommand
from slackui.i18n import Lang, normalize_language
from slackui.views.core import help_blocks, whoami_blocks
from store.directory import Directory


def register(app: App, deps: Deps) -> None:
    deps.commands.add_help(
        HelpEntry("/procedo help", "help.procedo.help", "/procedo help"),
        HelpEntry("/procedo whoami", "help.procedo.whoami", "/procedo whoami"),
        HelpEntry("/procedo language", "help.procedo.language", "/procedo language zh"),
    )
    deps.commands.add_subcommand(Subcommand("help", _help, aliases=("帮助", "?")))
    deps.commands.add_subcommand(Subcommand("whoami", _whoami, aliases=("我",)))
    deps.commands.add_subcommand(Subcommand("language", _language, aliases=("lang", "语言")))

    @app.command("/procedo")
    @listener(deps)
    def procedo_command(i: Interaction) -> None:
        i.ack()
        user, command, respond = i.user, i.body, i.respond
        assert respond is not None  # a slash command always has a response_url
        name, _, rest = (command.get("text") or "").strip().partition(" ")
        sub = deps.commands.find(name) if name else deps.commands.find("help")
        if sub is None:
            _help(deps, user, respond, "", unknown=name)
            return
        if sub.admin_only and not deps.is_bot_admin(user):
            raise NotAllowed("error.bot_admin_only")
        sub.run(deps, user, respond, rest.strip(), command=command)


def _help(deps: Deps, user: str, respond: Respond, _rest: str, **kwargs: Any) -> None:
    t = deps.people.translator(user)
    blocks = help_blocks(
        t,
        deps.commands.help,
        is_admin=deps.is_bot_admin(user),
        unknown=kwargs.get("unknown"),
    )
    respond(text=t("help.title"), blocks=blocks, response_type="ephemeral")


def _whoami(deps: Deps, user: str, respond: Respond, _rest: str, **_: Any) -> None:
    me = deps.people.view(user)
    with deps.sessions.read() as session:
        directory = Directory(session)
        dept = directory.department_of(user)
        approver = directory.approver_for(user)
        roles = directory.roles_of(user)
        heads = [d for d in directory.departments() if d.head == user]
    t = me.t
    blocks = whoami_blocks(
        t,
        dept=dept,
        approver=approver,
        roles=roles,
        language_source=me.language_source,
        timezone=me.tz.key,
        heads=heads,
    )
    respond(text=t("whoami.title"), blocks=blocks, response_type="ephemeral")


def _language(deps: Deps, user: str, respond: Respond, rest: str, **_: Any) -> None:
    choice = rest.strip().lower()
    if not choice:
        me = deps.people.view(user)
        t = me.t
        respond(
            text=t(
                "language.current",
                language=t(f"language.name.{me.lang}"),
                source=t(f"language.source.{me.language_source}"),
            ),
            response_type="ephemeral",
        )
        return
    if choice in ("auto", "slack", "自动"):
        deps.people.set_language(user, None)
        me = deps.people.view(user)
        respond(
            text=me.t("language.auto", language=me.t(f"language.name.{me.lang}")),
            response_type="ephemeral",
        )
        return
    lang: Lang | None = normalize_language(choice)
    if lang is None:
        respond(text=deps.people.translator(user)("language.invalid"), response_type="ephemeral")
        return
    deps.people.set_language(user, lang)
    respond(text=deps.people.translator(user)("language.set"), response_type="ephemeral")
