"""Prompts that collect answers: the Answer button and form, the reviewer's Review button and
form, the digest of answers with its CSV, and `/procedo answers [prompt] [period]`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond
from sqlalchemy.orm import Session

from handlers.deps import Deps
from handlers.interaction import Interaction, listener
from handlers.outbox import Post, queue_posts
from procedures import forms, prompt_answers, prompt_runs, prompts
from procedures.engine import Ctx
from procedures.errors import InvalidInput, NotFound
from procedures.policy.prompts import PromptSpec
from slackui.commands import HelpEntry, Subcommand
from slackui.i18n import Translator
from slackui.ids import Action, Callback
from slackui.payloads import PromptRef
from slackui.people import UserView
from slackui.views import prompt_answers as views
from slackui.views.forms import block_id, read_state, view_errors
from store import prompt_repo
from store.db import Sessions
from store.directory import Directory
from store.jobs import ClaimedJob, schedule
from store.models import PromptResponse

CSV_JOB = "prompt.answers_csv"
CSV_HEADINGS = ("user", "name", "department", "state", "answered_at", "variance", "reviewer")


def register(app: App, deps: Deps) -> None:
    if not any(spec.questions for spec in deps.policy.active_prompts()):
        return
    deps.commands.add_help(
        HelpEntry("/procedo answers", "help.procedo.answers", "/procedo answers budget-execution")
    )
    deps.commands.add_subcommand(Subcommand("answers", _answers, aliases=("回答", "答复")))
    deps.jobs.register(CSV_JOB, lambda job: send_csv(deps, job))
    on = listener(deps)

    @app.action(Action.PROMPT_ANSWER)
    @on
    def answer_clicked(i: Interaction) -> None:
        i.ack()
        spec, period = _prompt(deps, PromptRef.parse(i.value))
        me = i.me
        with deps.sessions.read() as session:
            row = prompt_repo.response(session, spec.id, period, i.user)
            initial = dict(row.answers) if row is not None and row.answers else None
            deadline = _deadline(deps, session, spec, period)
        view = views.answer_modal(me.t, spec, period, tz=me.tz, deadline=deadline, initial=initial)
        deps.client.views_open(trigger_id=i.trigger_id, view=view)

    @app.view(Callback.PROMPT_ANSWERS)
    @on
    def answers_submitted(i: Interaction) -> None:
        spec, period = _prompt(deps, PromptRef.load(i.view.get("private_metadata")))
        today = deps.clock.now().astimezone(deps.org_tz()).date()
        raw = read_state(spec.questions, i.state_values)
        answers, errors = forms.validate(spec.questions, raw, today=today)
        if errors:
            i.field_errors(view_errors(errors, i.t))
            return
        me = i.me  # read before the transaction opens
        with deps.sessions.read() as session:
            reviewers = prompt_answers.reviewers_for(Directory(session), spec, i.user)
        theirs = {user: deps.people.translator(user, refresh=False) for user in reviewers}
        # A refusal (deadline passed, already reviewed) shows under the first question.
        first = spec.questions[0]
        i.error_block = block_id(first.id, first.parts()[0])
        submission = str(i.view.get("id") or "")
        i.run(
            lambda ctx: _save(deps, ctx, spec, period, me, answers, theirs, submission), once=True
        )
        i.ack()

    @app.action(Action.PROMPT_REVIEW)
    @on
    def review_clicked(i: Interaction) -> None:
        i.ack()
        ref = PromptRef.parse(i.value)
        spec, period = _prompt(deps, ref)
        if ref.person is None or spec.review is None:
            raise InvalidInput("error.bad_payload")
        t = i.t
        with deps.sessions.read() as session:
            row = prompt_repo.response(session, spec.id, period, ref.person)
            if row is None or row.answers is None:
                raise NotFound("prompt.review.nothing")
            if i.user not in prompt_answers.reviewers_for(Directory(session), spec, ref.person):
                raise NotFound("prompt.review.not_yours")
            shown = _shown(t, spec, row)
            initial = dict(row.review) if row.review else None
        view = views.review_modal(t, spec, period, ref.person, shown, initial)
        deps.client.views_open(trigger_id=i.trigger_id, view=view)

    @app.view(Callback.PROMPT_REVIEW)
    @on
    def review_submitted(i: Interaction) -> None:
        ref = PromptRef.load(i.view.get("private_metadata"))
        spec, period = _prompt(deps, ref)
        if ref.person is None or spec.review is None:
            raise InvalidInput("error.bad_payload")
        person = ref.person
        today = deps.clock.now().astimezone(deps.org_tz()).date()
        raw = read_state(spec.review.fields, i.state_values)
        values, errors = forms.validate(spec.review.fields, raw, today=today)
        if errors:
            i.field_errors(view_errors(errors, i.t))
            return
        theirs = deps.people.translator(person, refresh=False)

        def work(session: Session, jobs: list[int]) -> None:
            prompt_answers.review(
                session, spec, period, person, i.user, values, now=deps.clock.now()
            )
            text, blocks = views.evaluation_message(theirs, spec, period, i.user, values)
            post = Post(person, text, blocks, key=f"prompt-review:{spec.id}:{period}:{person}")
            jobs.extend(j for j in queue_posts(session, deps.clock.now(), [post]) if j)

        i.run(lambda ctx: work(ctx.session, ctx.jobs), once=True)
        i.ack()


def _prompt(deps: Deps, ref: PromptRef) -> tuple[PromptSpec, str]:
    spec = deps.policy.prompt(ref.prompt)
    if spec is None or not spec.enabled or not spec.questions:
        raise NotFound("prompt.gone")
    try:
        date.fromisoformat(ref.period)
    except ValueError:
        raise InvalidInput("error.bad_payload") from None
    return spec, ref.period


def _deadline(deps: Deps, session: Session, spec: PromptSpec, period: str) -> datetime | None:
    calendar = deps.calendar(session)
    occurrence = prompts.occurrence_for_period(spec, period, deps.clock.now(), calendar)
    return prompts.deadline_time(spec, occurrence, calendar, deps.org_tz(session))


def _shown(t: Translator, spec: PromptSpec, row: PromptResponse) -> list[str]:
    answers = row.answers or {}
    return views.answer_fields(t, spec, answers, prompt_answers.variance(spec, answers))


def _save(
    deps: Deps,
    ctx: Ctx,
    spec: PromptSpec,
    period: str,
    me: UserView,
    answers: dict[str, Any],
    translators: dict[str, Translator],
    submission: str,
) -> None:
    """Keep the answers, confirm to the person, and ask their reviewer (again, after an edit).
    Messages are keyed by the submission (the view's id, done once), not by the time: two
    edits in one second are two messages."""
    session, user, now = ctx.session, me.user_id, ctx.now
    deadline = _deadline(deps, session, spec, period)
    saved = prompt_answers.save(session, spec, period, user, answers, now=now, deadline=deadline)
    text, blocks = views.saved_message(
        me.t,
        spec,
        period,
        first=saved.first,
        late=saved.late,
        tz=me.tz,
        deadline=deadline,
        reviewers=saved.reviewers,
    )
    stamp = submission or now.isoformat()
    posts = [Post(user, text, blocks, key=f"prompt-saved:{spec.id}:{period}:{user}:{stamp}")]
    row = prompt_repo.response(session, spec.id, period, user)
    assert row is not None
    for reviewer in saved.reviewers:
        theirs = translators.get(reviewer) or Translator(deps.defaults.language)
        text, blocks = views.review_request(
            theirs, spec, period, user, _shown(theirs, spec, row), edited=not saved.first
        )
        key = f"prompt-review-ask:{spec.id}:{period}:{user}:{reviewer}:{stamp}"
        posts.append(Post(reviewer, text, blocks, key=key))
    ctx.jobs.extend(j for j in queue_posts(session, now, posts) if j)


# -- the digest of answers ----------------------------------------------------------------------


def digest(deps: Deps, job: ClaimedJob, spec: PromptSpec) -> None:
    """After the deadline, to the owner role: who answered (and what), who is late, who was
    excused — people away for the whole answer window are excused now — and the CSV. One
    message job and one file job per reader: a failure for one never repeats the others."""
    payload = job.payload
    period: str = payload["period"]
    recipients: list[str] = payload["recipients"]
    now = deps.clock.now()
    with deps.sessions.begin() as session:
        _excuse_the_absent(deps, session, spec, period, recipients, job.due_at)
        readers = Directory(session).users_with_role(payload["to_role"])
    posts, files = [], []
    names = _names(deps, recipients)
    for reader in readers:
        t = deps.people.translator(reader)
        with deps.sessions.read() as session:
            lines, _people_rows, totals = _digest_rows(names, session, t, spec, period, recipients)
        title, blocks = views.answers_digest(t, spec, period, lines, totals)
        posts.append(Post(reader, title, blocks, key=f"{job.dedupe_key}:{reader}"))
        files.append(reader)
    with deps.sessions.begin() as session:
        ids = queue_posts(session, now, posts)
        for reader in files:
            ids.append(
                schedule(
                    session,
                    kind=CSV_JOB,
                    due_at=now,
                    now=now,
                    payload={**payload, "reader": reader},
                    dedupe_key=f"{job.dedupe_key}:{reader}:csv",
                )
            )
    deps.after_commit(ids)


def _digest_rows(
    names: dict[str, str],
    session: Session,
    t: Translator,
    spec: PromptSpec,
    period: str,
    recipients: list[str],
) -> tuple[list[views.DigestLine], list[prompt_answers.CsvPerson], dict[str, Any]]:
    rows = {r.user_id: r for r in prompt_repo.answered(session, spec.id, period)}
    directory = Directory(session)
    departments = {user: directory.department_of(user) for user in recipients}
    people = _people(names, t, spec, recipients, rows, departments)
    answered = [r for r in rows.values() if r.answers is not None]
    totals = prompt_answers.totals(spec, answered)
    return [line for line, _ in people], [person for _, person in people], totals


def send_csv(deps: Deps, job: ClaimedJob) -> None:
    """The digest's CSV, to one reader's DM."""
    payload = job.payload
    spec = deps.policy.prompt(payload["prompt"])
    if spec is None or not spec.questions:
        return
    reader, period = payload["reader"], payload["period"]
    t = deps.people.translator(reader)
    content = export_csv(
        deps.sessions, spec, period, payload["recipients"], t, lambda users: _names(deps, users)
    )
    channel = deps.client.conversations_open(users=reader)["channel"]["id"]
    title = t("prompt.answers.title", title=t.pick(spec.title.model_dump()), period=period)
    deps.deliver.upload(channel, filename=f"{spec.id}-{period}.csv", content=content, title=title)


def export_csv(
    sessions: Sessions,
    spec: PromptSpec,
    period: str,
    recipients: list[str] | None,
    t: Translator,
    names_of: Callable[[list[str]], dict[str, str]],
) -> bytes:
    """Every answer of the period as CSV; `recipients` None: everyone who answered. Used by
    the digest and by `procedo prompts export` (which has no Slack: names from the cache)."""
    with sessions.read() as session:
        rows = {r.user_id: r for r in prompt_repo.answered(session, spec.id, period)}
    users = recipients if recipients is not None else list(rows)
    names = names_of(users)
    with sessions.read() as session:
        _lines, people, _totals = _digest_rows(names, session, t, spec, period, users)
    return prompt_answers.to_csv(spec, people, rows, t.lang, _headings(t))


def _people(
    names: dict[str, str],
    t: Translator,
    spec: PromptSpec,
    users: list[str],
    rows: dict[str, PromptResponse],
    departments: dict[str, Any],
) -> list[tuple[views.DigestLine, prompt_answers.CsvPerson]]:
    out = []
    for user in users:
        row = rows.get(user)
        if row is not None and row.answers is not None:
            state = "late" if row.late else "answered"
        elif row is not None and row.state == prompt_repo.EXCUSED:
            state = "excused"
        else:
            state = "missing" if row is None else "answered"
        dept = departments.get(user)
        dept_name = dept.name(t.lang) if dept else t("common.none")
        summary = views.answer_summary(_shown(t, spec, row)) if row and row.answers else ""
        name = names.get(user, user)
        out.append(
            (
                views.DigestLine(user, dept_name, state, summary),
                prompt_answers.CsvPerson(user, name, dept_name, t(f"prompt.answers.state.{state}")),
            )
        )
    return out


def _names(deps: Deps, users: list[str]) -> dict[str, str]:
    """Display names from the cached profiles (outside any transaction: each reads its own)."""
    return {user: deps.people.view(user, refresh=False).name for user in users}


def _headings(t: Translator) -> dict[str, str]:
    return {key: t(f"prompt.answers.csv.{key}") for key in CSV_HEADINGS}


def _excuse_the_absent(
    deps: Deps,
    session: Session,
    spec: PromptSpec,
    period: str,
    recipients: list[str],
    deadline: datetime,
) -> None:
    """Who has not answered and was away on every working day of the window is excused."""
    calendar = deps.calendar(session)
    org_tz = deps.org_tz(session)
    start = date.fromisoformat(period)
    end = deadline.astimezone(org_tz).date()
    days = [d for d in _days(start, end) if calendar.is_working_day(d)]
    if not days:
        return
    answered = prompt_repo.responses(session, spec.id, period)
    for user in recipients:
        if user in answered:
            continue
        noon = [datetime.combine(day, time(12), org_tz) for day in days]
        if all(deps.is_away(session, user, when) for when in noon):
            prompt_runs.excuse(session, spec.id, period, user, deps.clock.now(), "on leave")


def _days(start: date, end: date) -> list[date]:
    return [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]


# -- /procedo answers [prompt] [period] ----------------------------------------------------------


def _answers(deps: Deps, user: str, respond: Respond, rest: str, **_: Any) -> None:
    me = deps.people.view(user)
    asking = [spec for spec in deps.policy.active_prompts() if spec.questions]
    words = rest.split()
    spec = next((s for s in asking if words and s.id == words[0]), None)
    if spec is None:
        ids = ", ".join(f"`{s.id}`" for s in asking)
        respond(text=me.t("prompt.answers.usage", prompts=ids), response_type="ephemeral")
        return
    with deps.sessions.read() as session:
        known = prompt_repo.periods(session, spec.id)
        period = words[1] if len(words) > 1 else (known[0] if known else None)
        if period is None or period not in known:
            shown = ", ".join(known[:6]) or me.t("common.none")
            respond(text=me.t("prompt.answers.no_period", periods=shown), response_type="ephemeral")
            return
        rows = prompt_answers.readable(session, spec, period, user)
        directory = Directory(session)
        departments = {r.user_id: directory.department_of(r.user_id) for r in rows}
    by_user = {r.user_id: r for r in rows}
    people = _people(_names(deps, list(by_user)), me.t, spec, list(by_user), by_user, departments)
    blocks = views.answers_list(me.t, spec, period, [line for line, _ in people])
    respond(text=spec.id, blocks=blocks, response_type="ephemeral")
