"""The suggestions box in Slack: `/procedo suggest` opens the form; the owner role's card has
Adopt / Not adopt; a named submitter is told by DM; anyone holding a receipt code asks
`/procedo suggest status <code>`. Nothing here writes who submitted an anonymous one."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond

from handlers.deps import Deps, PromptExtra
from handlers.interaction import Interaction, listener
from handlers.modules import ProcedureModule
from procedures import forms
from procedures.engine import Ctx
from procedures.errors import InvalidInput, NotAllowed
from procedures.policy import Policy
from procedures.suggestions import DOMAIN, SuggestionsPolicy, box
from procedures.suggestions.digest import digest
from scheduler.registry import JobHandler
from slackui.commands import FormEntry, HelpEntry, Subcommand
from slackui.i18n import Translator
from slackui.views import suggestions as views
from slackui.views.forms import read_state, view_errors
from store import suggestions_repo
from store.directory import Directory
from store.jobs import ClaimedJob

DIGEST = "suggestions-digest"  # the quarterly prompt whose DM carries the digest


def _section(policy: Policy) -> SuggestionsPolicy:
    return policy.section(SuggestionsPolicy)


def _enabled(policy: Policy) -> bool:
    return _section(policy).enabled and bool(_section(policy).fields)


def _jobs(deps: Deps) -> dict[str, JobHandler]:
    return {box.SYNC: lambda job: _sync(deps, job), box.TELL: lambda job: _tell(deps, job)}


def _sync(deps: Deps, job: ClaimedJob) -> None:
    """Post the card, or bring it up to date (one message per suggestion)."""
    policy = _section(deps.policy)
    with deps.sessions.begin() as session:
        row = suggestions_repo.get(session, int(job.payload["id"]))
        if row is None:
            return
        session.expunge(row)
        channel = row.card_channel or deps.channel_for(session, policy.channel)
    if channel is None:
        return
    text, blocks = views.card(row, Translator(deps.org_language()), box.number_of(row), policy.cite)
    if row.card_ts:
        deps.deliver.update(channel, row.card_ts, text=text, blocks=blocks)
        return
    answer = deps.deliver.post(channel, text=text, blocks=blocks)
    with deps.sessions.begin() as session:
        suggestions_repo.set_card(session, row.id, str(answer["channel"]), str(answer["ts"]))


def _tell(deps: Deps, job: ClaimedJob) -> None:
    with deps.sessions.begin() as session:
        row = suggestions_repo.get(session, int(job.payload["id"]))
        if row is None or row.submitter is None:
            return  # anonymous: there is no one to write to, by design
        session.expunge(row)
    t = deps.people.translator(row.submitter)
    deps.deliver.dm(row.submitter, text=views.outcome_dm(row, t, box.number_of(row)))


def _suggest(deps: Deps, user: str, respond: Respond, rest: str, **kwargs: Any) -> None:
    me = deps.people.view(user)
    word, _, code = rest.partition(" ")
    if word.lower() in ("status", "查询", "进展"):
        if not code.strip():
            respond(text=me.t("suggestions.status_usage"), response_type="ephemeral")
            return
        with deps.sessions.read() as session:
            row = box.by_code(session, code.strip())
            text = views.status(row, me.t, box.number_of(row))
        respond(text=text, response_type="ephemeral")
        return
    if rest:
        respond(text=me.t("suggestions.usage"), response_type="ephemeral")
        return
    command = kwargs.get("command") or {}
    _open_form(deps, {"trigger_id": command["trigger_id"], "user": {"id": user}})


def _open_form(deps: Deps, body: dict[str, Any]) -> None:
    user = str((body.get("user") or {}).get("id") or "")
    t = deps.people.translator(user, refresh=False)
    deps.client.views_open(trigger_id=body["trigger_id"], view=views.form(_section(deps.policy), t))


def _owners(deps: Deps, ctx: Ctx) -> list[str]:
    return Directory(ctx.session).users_with_role(_section(deps.policy).owner_role)


def _listeners(app: App, deps: Deps) -> None:
    on = listener(deps)

    @app.view(views.FORM)
    @on
    def submitted(i: Interaction) -> None:
        policy = _section(deps.policy)
        today = deps.clock.now().astimezone(deps.org_tz()).date()
        values, errors = forms.validate(
            policy.fields, read_state(policy.fields, i.view["state"]["values"]), today=today
        )
        if errors:
            i.field_errors(view_errors(errors, i.t))
            return
        anonymous = values.get("anonymous") == "yes"

        def work(ctx: Ctx) -> box.Submitted:
            done = box.submit(
                ctx.session,
                user=i.user,
                title=str(values["title"]),
                text=str(values["text"]),
                benefit=values.get("benefit"),
                anonymous=anonymous,
                now=ctx.now,
                today=today,
            )
            ctx.jobs.extend(done.jobs)
            return done

        t = i.t
        done = i.run(work, once=True)
        # The receipt code is in the ack only: no message, no job, no row holds it.
        i.ack(response_action="update", view=views.receipt(t, done.number, done.code, anonymous))

    def _clicked(i: Interaction, adopt: bool) -> None:
        value = str(i.body["actions"][0].get("value") or "")
        if not value.isdigit() or len(value) > 18:
            raise InvalidInput("error.bad_payload")
        with deps.sessions.read() as session:
            ctx = deps.engine_context(session)
            if i.user not in _owners(deps, ctx):
                raise NotAllowed("suggestions.error.not_owner")
            row = suggestions_repo.get(session, int(value))
            if row is None:
                raise InvalidInput("error.bad_payload")
            session.expunge(row)
        t = i.t
        i.ack()
        if row.state != "under_review":
            i.reply(t("suggestions.error.decided", by=row.decided_by or "", state=row.state))
            return
        modal = views.decide_modal(t, row, box.number_of(row), adopt)
        deps.client.views_open(trigger_id=i.body["trigger_id"], view=modal)

    @app.action(views.ADOPT)
    @on
    def adopt_clicked(i: Interaction) -> None:
        _clicked(i, adopt=True)

    @app.action(views.REJECT)
    @on
    def reject_clicked(i: Interaction) -> None:
        _clicked(i, adopt=False)

    @app.view(views.DECIDE)
    @on
    def decided(i: Interaction) -> None:
        try:
            meta = json.loads(i.view.get("private_metadata") or "{}")
            suggestion_id, adopt = int(meta["id"]), bool(meta["adopt"])
        except (ValueError, KeyError, TypeError):
            raise InvalidInput("error.bad_payload") from None
        spec = views.note_field(adopt)
        today = deps.clock.now().astimezone(deps.org_tz()).date()
        values, errors = forms.validate(
            [spec], read_state([spec], i.view["state"]["values"]), today=today
        )
        if errors:
            i.field_errors(view_errors(errors, i.t))
            return
        note = str(values["note"])

        def work(ctx: Ctx) -> None:
            ctx.jobs.extend(
                box.decide(
                    ctx.session,
                    suggestion_id=suggestion_id,
                    actor=i.user,
                    owners=_owners(deps, ctx),
                    outcome="adopted" if adopt else "not_adopted",
                    note=note,
                    now=ctx.now,
                )
            )

        i.run(work, once=True)
        i.ack()


def _prompt_extras(deps: Deps) -> dict[str, PromptExtra]:
    if deps.policy.prompt(DIGEST) is None:
        return {}
    return {DIGEST: lambda user, period: _digest_blocks(deps, user)}


def _digest_blocks(deps: Deps, user: str) -> list[dict[str, Any]]:
    t = deps.people.translator(user, refresh=False)
    today = deps.clock.now().astimezone(deps.org_tz()).date()
    with deps.sessions.read() as session:
        found = digest(session, today)
    return views.digest_blocks(t, found)


MODULE = ProcedureModule(
    domain=DOMAIN,
    help=(
        HelpEntry("/procedo suggest", "help.procedo.suggest", "/procedo suggest"),
        HelpEntry(
            "/procedo suggest status", "help.procedo.suggest_status", "/procedo suggest status CODE"
        ),
    ),
    subcommands=(Subcommand("suggest", _suggest, aliases=("suggestion", "建议")),),
    forms=(
        FormEntry(
            "suggestion", "suggestions.form", "suggestions.new.name", "suggestions.new.description"
        ),
    ),
    openers=lambda deps: {"suggestions.form": _open_form},
    listeners=_listeners,
    jobs=_jobs,
    prompt_extras=_prompt_extras,
    enabled=_enabled,
)
