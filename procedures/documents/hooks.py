"""What document sign-off adds to the engine: a body or a file, an audience in the org; the
signed version's hash; the number at registration; circulation once issued; and the
confidential rule (cards show the title alone)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from procedures.documents.numbering import DocumentsPolicy, render
from procedures.errors import InvalidInput
from procedures.hooks import Directive, HookContext, Hooks, SendBack, TaskOutcome
from store import documents_repo, jobs, requests_repo
from store.directory import Directory
from store.models.documents import DocumentRecord

NUMBER = "number"  # the step that numbers and issues (编号印发)
SIGN = "sign"  # steps whose id starts with this sign it off (签发)
CIRCULATE = "documents.circulate"  # a job: DM one reader the document with a Read button
CONFIDENTIAL = "confidential"
SHOWN_WHEN_CONFIDENTIAL = ("title", "classification")


def content_hash(payload: Mapping[str, Any]) -> str:
    """Of the version as filed: a change after sign-off changes it."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_confidential(payload: Mapping[str, Any]) -> bool:
    return payload.get("classification") == CONFIDENTIAL


def audience_of(payload: Mapping[str, Any]) -> list[str]:
    value = payload.get("audience")
    return [str(u) for u in value] if isinstance(value, list) else []


class DocumentHooks(Hooks):
    def validate(self, ctx: HookContext, payload: Mapping[str, Any]) -> list[InvalidInput]:
        problems = []
        attachment = payload.get("attachment") or {}
        has_file = isinstance(attachment, Mapping) and bool(
            attachment.get("files") or attachment.get("link")
        )
        if not payload.get("body") and not has_file:
            problems.append(InvalidInput("documents.error.no_content", field="body"))
        directory = Directory(ctx.session)
        strangers = [u for u in audience_of(payload) if directory.department_of(u) is None]
        if strangers:
            problems.append(
                InvalidInput(
                    "documents.error.audience_not_in_org",
                    field="audience",
                    people=" ".join(f"<@{u}>" for u in strangers[:5]),
                )
            )
        return problems

    def restricted(self, payload: Mapping[str, Any]) -> tuple[str, ...] | None:
        return SHOWN_WHEN_CONFIDENTIAL if is_confidential(payload) else None

    def card_fields(
        self, payload: Mapping[str, Any], computed: Mapping[str, Any], lang: str
    ) -> list[str]:
        zh = lang == "zh"
        out = []
        if computed.get("doc_number"):
            label = "发文字号" if zh else "Document number"
            out.append(f"*{label}*\n{computed['doc_number']}")
        if computed.get("circulated"):
            label = "已阅" if zh else "Read"
            out.append(f"*{label}*\n{computed.get('read', 0)} / {computed['circulated']}")
        if is_confidential(payload):
            label = "机密" if zh else "Confidential"
            note = (
                "仅限其读者查看：`/procedo document 编号`"
                if zh
                else "Its readers open it with `/procedo document` and its number"
            )
            out.append(f"*{label}*\n{note}")
        return out

    def on_task(self, ctx: HookContext, outcome: TaskOutcome) -> Directive | None:
        if outcome.result != "approved" or outcome.step is None:
            return None
        request = requests_repo.get(ctx.session, outcome.request_id)
        if request is None:
            return None
        computed = dict(request.computed or {})
        if outcome.step.startswith(SIGN):
            computed.update(
                signed_by=outcome.actor,
                signed_step=outcome.step,
                signed_hash=content_hash(outcome.payload),
            )
            request.computed = computed
            return None
        if outcome.step != NUMBER:
            return None
        signed = computed.get("signed_hash")
        if signed is not None and signed != content_hash(outcome.payload):
            # Changed after sign-off: the signer signs the new version first.
            return SendBack(str(computed.get("signed_step") or SIGN))
        number = self._number(ctx, request.requester, outcome, computed.get("signed_by"))
        computed["doc_number"] = number
        request.computed = computed
        return None

    def _number(
        self, ctx: HookContext, author: str, outcome: TaskOutcome, signed_by: str | None
    ) -> str:
        section = ctx.policy.section(DocumentsPolicy)
        doc_type = str(outcome.payload.get("doc_type"))
        year = ctx.today.year
        dept = Directory(ctx.session).department_of(author)
        short = section.short_names.get(dept.id) if dept else None
        seq = documents_repo.next_seq(ctx.session, doc_type, year)
        number = render(
            section.pattern_for(doc_type),
            year=year,
            seq=seq,
            dept=short or (dept.name_zh if dept else ""),
        )
        documents_repo.record(
            ctx.session,
            DocumentRecord(
                request_id=outcome.request_id,
                doc_type=doc_type,
                year=year,
                seq=seq,
                number=number,
                content_hash=content_hash(outcome.payload),
                signed_by=signed_by,
                issued_by=outcome.actor,
                issued_at=ctx.now,
            ),
        )
        return number

    def on_approved(self, ctx: HookContext, request_id: int, payload: Mapping[str, Any]) -> None:
        """Issued: circulate to the audience (传阅), each reader a DM with a Read button."""
        added = documents_repo.circulate(ctx.session, request_id, audience_of(payload), ctx.now)
        request = requests_repo.get(ctx.session, request_id)
        if request is not None:
            read, total = documents_repo.tally(ctx.session, request_id)
            request.computed = {**(request.computed or {}), "read": read, "circulated": total}
        for user in added:
            job = jobs.schedule(
                ctx.session,
                kind=CIRCULATE,
                due_at=ctx.now,
                now=ctx.now,
                payload={"request_id": request_id, "user": user},
                dedupe_key=f"documents:circulate:{request_id}:{user}",
            )
            if job is not None:
                ctx.jobs.append(job)
