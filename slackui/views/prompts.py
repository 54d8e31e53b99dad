"""Messages for periodic prompts: the prompt itself, its confirmation, the digest, jobs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from procedures.errors import InvalidInput
from procedures.policy.prompts import PromptSpec
from procedures.prompts import period_values
from slackui import blocks as b
from slackui.i18n import Translator
from slackui.ids import Action
from slackui.timefmt import slack_time
from store.models import Job


def prompt_value(prompt_id: str, period: str) -> str:
    return f"{prompt_id}|{period}"


_PROMPT_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def parse_prompt_value(value: str) -> tuple[str, str]:
    """`stock-count|2026-12-01` as the bot wrote it, else "this button is out of date"."""
    prompt_id, _, period = value.partition("|")
    try:
        date.fromisoformat(period)
    except ValueError:
        raise InvalidInput("error.bad_payload") from None
    if not _PROMPT_ID.fullmatch(prompt_id) or len(period) != 10:
        raise InvalidInput("error.bad_payload")
    return prompt_id, period


def prompt_text(t: Translator, spec: PromptSpec, period: str) -> str:
    return t.pick(spec.text.model_dump()).format(**period_values(period))


def prompt_message(
    t: Translator,
    spec: PromptSpec,
    period: str,
    *,
    tz: ZoneInfo,
    deadline: datetime | None,
    late_since: datetime | None = None,
    kind: str = "first",  # first | reminder | nudge
    can_open: bool = False,
    extras: list[dict[str, Any]] | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    title = t.pick(spec.title.model_dump())
    body = prompt_text(t, spec, period)
    out: list[Any] = [b.header(title)]
    if kind == "nudge":
        out.append(b.context(t("prompt.nudge")))
    elif kind == "reminder":
        out.append(b.context(t("prompt.reminder")))
    out.append(b.section(body))
    notes = [t("prompt.cite", cite=spec.cite)]
    if deadline is not None:
        notes.append(t("prompt.deadline", deadline=slack_time(deadline, tz, t.lang)))
    if late_since is not None:
        notes.append(t("prompt.late", due=slack_time(late_since, tz, t.lang)))
    out.append(b.context(*notes))
    out.extend(extras or [])
    value = prompt_value(spec.id, period)
    buttons = []
    label = t.pick(spec.button.model_dump()) if spec.button else None
    if spec.questions:
        # What it asks is answered in a form: that is how it is done.
        label = label or t("prompt.button.answer")
        buttons.append(b.button(label, Action.PROMPT_ANSWER, value, style="primary"))
    else:
        if can_open and spec.opens:
            label = label or t("prompt.button.open")
            buttons.append(b.button(label, Action.PROMPT_OPEN, value, style="primary"))
        buttons.append(b.button(t("prompt.button.done"), Action.PROMPT_DONE, value))
    buttons.append(b.button(t("prompt.button.snooze"), Action.PROMPT_SNOOZE, value))
    out.append(b.actions(*buttons, block_id=f"prompt:{value}"[:255]))
    return f"{title}: {body}", b.to_dicts(out)


def prompt_answered(
    t: Translator, spec: PromptSpec, period: str, note: str
) -> list[dict[str, Any]]:
    return b.to_dicts(
        [
            b.header(t.pick(spec.title.model_dump())),
            b.section(prompt_text(t, spec, period)),
            b.context(t("prompt.cite", cite=spec.cite)),
            b.section(note),
        ]
    )


def digest_message(
    t: Translator,
    spec: PromptSpec,
    period: str,
    outstanding: Sequence[tuple[str, str]],
    total: int,
) -> tuple[str, list[dict[str, Any]]]:
    title = t("prompt.digest.title", title=t.pick(spec.title.model_dump()), period=period)
    out: list[Any] = [b.header(title)]
    if not outstanding:
        out.append(b.section(t("prompt.digest.none")))
    else:
        out.append(b.section(t("prompt.digest.some", count=len(outstanding), total=total)))
        lines = [t("prompt.digest.line", user=user, department=dept) for user, dept in outstanding]
        for start in range(0, len(lines), 40):
            out.append(b.section("\n".join(lines[start : start + 40])))
    out.append(b.context(t("prompt.cite", cite=spec.cite)))
    return title, b.to_dicts(out[:50])


def jobs_blocks(
    t: Translator,
    tz: ZoneInfo,
    counts: dict[str, int],
    upcoming: Sequence[Job],
    dead: Sequence[Job],
) -> list[dict[str, Any]]:
    summary = ", ".join(f"{state} {n}" for state, n in sorted(counts.items())) or "0"
    out: list[Any] = [b.header(t("jobs.title")), b.section(t("jobs.counts", counts=summary))]
    out.append(b.section(t("jobs.next")))
    if upcoming:
        lines = [
            t("jobs.next.line", kind=job.kind, id=job.id, due=slack_time(job.due_at, tz, t.lang))
            for job in upcoming
        ]
        out.append(b.section("\n".join(lines)))
    else:
        out.append(b.context(t("jobs.next.none")))
    out.append(b.divider())
    out.append(b.section(t("jobs.dead")))
    if not dead:
        out.append(b.context(t("jobs.dead.none")))
    for job in dead[:15]:
        text = t(
            "jobs.dead.line",
            kind=job.kind,
            id=job.id,
            attempts=job.attempts,
            error=(job.last_error or "?")[:300],
        )
        out.append(
            b.section(
                text, accessory=b.button(t("jobs.button.retry"), Action.JOB_RETRY, str(job.id))
            )
        )
    return b.to_dicts(out[:50])
