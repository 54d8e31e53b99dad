"""Document sign-off in Slack: the route (review, sign-off, numbering) is the engine's; this
module circulates an issued document to its audience (a DM each, with Read), records reads, and
answers `/procedo document <number>` — the full document to its readers, its number and title
to anyone else."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond

from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from handlers.modules import ProcedureModule
from procedures import requests
from procedures.documents import DOMAIN, access
from procedures.documents.hooks import CIRCULATE
from procedures.documents.numbering import DocumentsPolicy
from procedures.engine import Ctx
from procedures.errors import InvalidInput, NotAllowed
from procedures.policy import Policy
from procedures.policy.procedures import ProcedureSpec
from scheduler.registry import JobHandler
from slackui.commands import HelpEntry, Subcommand
from slackui.views import documents as views
from store import documents_repo, requests_repo
from store.jobs import ClaimedJob


def _spec(policy: Policy) -> ProcedureSpec | None:
    spec = policy.procedure(policy.section(DocumentsPolicy).procedure)
    return spec if spec is not None and spec.enabled else None


def _enabled(policy: Policy) -> bool:
    return _spec(policy) is not None


def _jobs(deps: Deps) -> dict[str, JobHandler]:
    return {CIRCULATE: lambda job: _circulate(deps, job)}


def _reader_view(ctx: Ctx, request_id: int, user: str) -> tuple[access.DocumentView, Any]:
    request = requests_repo.get(ctx.session, request_id)
    if request is None or request.procedure != ctx.policy.section(DocumentsPolicy).procedure:
        raise InvalidInput("error.bad_payload")
    row = next(
        (r for r in documents_repo.reads(ctx.session, request_id) if r.user_id == user), None
    )
    if row is None:
        raise NotAllowed("documents.error.not_in_audience")
    return access.view_for(ctx, request, user), row.read_at


def _circulate(deps: Deps, job: ClaimedJob) -> None:
    spec = _spec(deps.policy)
    user, request_id = str(job.payload["user"]), int(job.payload["request_id"])
    me = deps.people.view(user)
    with deps.sessions.begin() as session:
        doc, read_at = _reader_view(deps.engine_context(session), request_id, user)
    if spec is None:
        return
    text, blocks = views.circulation(doc, spec, me.t, me.tz, read_at)
    deps.deliver.dm(user, text=text, blocks=blocks)


def _listeners(app: App, deps: Deps) -> None:
    on = listener(deps)

    @app.action(views.READ)
    @on
    def read_clicked(i: Interaction) -> None:
        value = str(i.body["actions"][0].get("value") or "")
        if not value.isdigit() or len(value) > 18:
            raise InvalidInput("error.bad_payload")
        request_id = int(value)

        def work(ctx: Ctx) -> tuple[access.DocumentView, Any]:
            _reader_view(ctx, request_id, i.user)  # refuses anyone outside the audience
            access.mark_read(ctx, request_id, i.user)
            return _reader_view(ctx, request_id, i.user)

        doc, read_at = i.run(work)
        i.ack()
        spec = _spec(deps.policy)
        channel = (i.body.get("container") or {}).get("channel_id") or (
            i.body.get("channel") or {}
        ).get("id")
        ts = (i.body.get("container") or {}).get("message_ts") or (i.body.get("message") or {}).get(
            "ts"
        )
        if spec is None or not channel or not ts:
            return
        me = i.me
        text, blocks = views.circulation(doc, spec, me.t, me.tz, read_at)
        i.later(lambda: deps.deliver.update(channel, ts, text=text, blocks=blocks))


def _document(deps: Deps, user: str, respond: Respond, rest: str, **_: Any) -> None:
    me = deps.people.view(user)
    spec = _spec(deps.policy)
    if not rest.strip() or spec is None:
        respond(text=me.t("documents.show.usage"), response_type="ephemeral")
        return
    with deps.sessions.read() as session:
        ctx = deps.engine_context(session)
        request = requests.find_by_number(ctx, rest)
        if request.procedure != spec.id:
            raise InvalidInput("documents.error.not_a_document", number=rest.strip()[:20])
        doc = access.view_for(ctx, request, user)
    blocks = views.document(doc, spec, me.t, me.tz)
    respond(text=views.heading(doc), blocks=blocks, response_type="ephemeral")


MODULE = ProcedureModule(
    domain=DOMAIN,
    help=(HelpEntry("/procedo document", "help.procedo.document", "/procedo document DOC-0001"),),
    subcommands=(Subcommand("document", _document, aliases=("doc", "文件")),),
    listeners=_listeners,
    jobs=_jobs,
    enabled=_enabled,
)
