"""One interaction, one unit of work: parse and validate, commit, ack, and only then talk to Slack.

Every listener is wrapped by `listener(deps)`, which hands it an `Interaction`:

- the user, their profile (read once, from the database: nothing goes to Slack before the ack)
  and translator;
- `run(work)`: one engine operation in one transaction; the jobs it scheduled (card, thread
  note, DMs) are held until the interaction has been acked, then delivered off the listener
  thread, so no Web API call and no pacing wait ever sits before an ack;
- `once()`: a view submission is done at most once per `view.id` (Slack retries a submission
  it thinks timed out; the retry is answered like the first and changes nothing);
- errors never escape to Bolt: a `DomainError` becomes a field error (in a modal, before the
  ack) or a short ephemeral in the user's language; anything else is logged with a ref and the
  user is told "something went wrong (ref …)". Bolt must not see an exception after an ack: it
  would reset the ack and answer 404 (`didn't call ack()`), which is what users saw.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from slack_bolt import Ack, BoltContext
from slack_bolt.context.respond import Respond
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from handlers.deps import Deps
from handlers.errors import message_for, new_ref, tell_user, user_id_of
from procedures.decisions import Stale
from procedures.engine import Ctx
from procedures.errors import InvalidInput
from procedures.forms import strip_controls
from slackui.i18n import Translator
from slackui.people import UserView
from store.models import ProcessedEvent

log = logging.getLogger("procedo.interaction")

T = TypeVar("T")

# In a request's Bolt context (HTTP mode): an Event set once the HTTP answer has been written.
ACK_SENT = "procedo_ack_sent"
# Bolt's own wait for an ack polls every 10 ms; the answer is out well within this.
SENT_TIMEOUT = 3.0
MAX_VALUE = 2000  # Slack's limit for a button's value


def run(deps: Deps, work: Callable[[Ctx], T], *, claim: Callable[[Any], None] | None = None) -> T:
    """One engine operation in one transaction, retried once if it lost a race on the version
    column (an all-approvers step can take two votes at once); then its jobs are delivered
    (held until the ack inside an interaction)."""
    for attempt in (1, 2):
        try:
            with deps.sessions.begin() as session:
                if claim is not None:
                    claim(session)
                ctx = deps.engine_context(session)
                result = work(ctx)
        except StaleDataError:
            if attempt == 2:
                raise Stale("request.error.stale") from None
            continue
        deps.after_commit(ctx.jobs)
        return result
    raise AssertionError("unreachable")


class AlreadyDone(Exception):
    """This view submission was handled before (Slack retried it)."""


class Interaction:
    def __init__(
        self,
        deps: Deps,
        ack: Ack,
        body: dict[str, Any],
        respond: Respond | None,
        sent: threading.Event | None = None,
    ) -> None:
        self.deps = deps
        self._sent = sent
        self.body = body
        self.respond = respond
        self.user: str = user_id_of(body) or ""
        self._ack = ack
        self.acked = getattr(ack, "response", None) is not None  # events: Bolt acked already
        if not self.acked:
            deps.acking()  # deliveries give way until this is acked
        self.error_block: str | None = None  # a modal block to show a DomainError under
        self._jobs: list[int] = []
        self._after: list[Callable[[], object]] = []
        self._me: UserView | None = None

    # -- who --------------------------------------------------------------------------

    @property
    def me(self) -> UserView:
        """The user's profile: from the cache before the ack; refreshed from Slack (at most
        once a day) only once acked, so a first-time user still gets their own language."""
        if self._me is None or (self.acked and not getattr(self, "_fresh", False)):
            self._me = self.deps.people.view(self.user, refresh=self.acked)
            self._fresh = self.acked
        return self._me

    @property
    def t(self) -> Translator:
        return self.me.t

    @property
    def view(self) -> dict[str, Any]:
        view = self.body.get("view")
        return view if isinstance(view, dict) else {}

    # -- what came back: validated, since a tampered value must not become a traceback ----

    @property
    def value(self) -> str:
        """The clicked button's value (a string, as the bot wrote it), else "out of date"."""
        actions = self.body.get("actions")
        action = actions[0] if isinstance(actions, list) and actions else None
        value = action.get("value") if isinstance(action, dict) else None
        if not isinstance(value, str) or len(value) > MAX_VALUE:
            raise InvalidInput("error.bad_payload")
        return value

    @property
    def trigger_id(self) -> str:
        trigger = self.body.get("trigger_id")
        if not isinstance(trigger, str) or not trigger:
            raise InvalidInput("error.bad_payload")
        return trigger

    @property
    def state_values(self) -> dict[str, Any]:
        """A submitted modal's `state.values`, or "out of date" if it has none."""
        state = self.view.get("state")
        values = state.get("values") if isinstance(state, dict) else None
        if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
            raise InvalidInput("error.bad_payload")
        return values

    # -- acking -----------------------------------------------------------------------

    def ack(self, **kwargs: Any) -> None:
        """Ack, and return once Slack has the answer: Bolt sends it from another thread a
        little later, and a Web API call must not overtake it."""
        if not self.acked:
            self.acked = True
            try:
                self._ack(**kwargs)
            finally:
                self.deps.acked()
        self.wait_sent()

    def wait_sent(self) -> None:
        if self._sent is not None and not self._sent.wait(SENT_TIMEOUT):
            log.warning("the answer to %s's interaction was not sent in time", self.user)
        self._sent = None

    def field_errors(self, errors: dict[str, str]) -> None:
        """Answer a view submission with errors under its fields (the modal stays open)."""
        self.ack(response_action="errors", errors=errors)

    # -- work -------------------------------------------------------------------------

    def run(self, work: Callable[[Ctx], T], *, once: bool = False) -> T:
        """`run(deps, work)` for this interaction. With `once`, the view's id is claimed in the
        same transaction: a retried submission raises `AlreadyDone` and changes nothing."""
        if not once:
            return run(self.deps, work)
        try:
            return run(self.deps, work, claim=self._claim_view)
        except IntegrityError:
            if self._view_done():
                raise AlreadyDone from None
            raise

    def _view_key(self) -> str:
        return f"view:{self.view.get('id', '')}"

    def _claim_view(self, session: Any) -> None:
        session.add(ProcessedEvent(event_id=self._view_key(), received_at=self.deps.clock.now()))
        session.flush()

    def _view_done(self) -> bool:
        with self.deps.sessions.begin() as session:
            return session.get(ProcessedEvent, self._view_key()) is not None

    def deliver(self, job_ids: Iterable[int | None]) -> None:
        """Jobs committed for "now": delivered once the interaction is acked."""
        self._jobs.extend(job_id for job_id in job_ids if job_id is not None)

    def later(self, call: Callable[[], object]) -> None:
        """A Slack call to make after the ack, off the listener thread (best effort: what must
        not be lost is a job instead)."""
        self._after.append(call)

    def reply(self, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        """An ephemeral answer to the user, after the ack (through response_url if any)."""
        self.ack()
        if self.respond is not None and self.respond.response_url:
            kwargs: dict[str, Any] = {"blocks": blocks} if blocks else {}
            self.respond(text=text, response_type="ephemeral", replace_original=False, **kwargs)
        else:
            tell_user(self.deps, self.body, text, None)

    # -- the end ----------------------------------------------------------------------

    def fail(self, error: Exception) -> None:
        """Tell the user what went wrong; never raises."""
        if isinstance(error, AlreadyDone):
            self.ack()  # the first submission closed the modal; so does its retry
            return
        database = isinstance(error, SQLAlchemyError)
        block = self._error_block(database)
        if block is None:
            # Acked first: only then may the profile be fetched, so that even a user's very
            # first error is in their Slack language.
            self.ack()
        try:
            t = self.t
        except Exception:  # the database may be what failed
            t = Translator(self.deps.defaults.language)
        if database and block is not None:
            # Nothing was saved (the transaction rolled back): the modal stays open with what
            # the user typed, and they can submit it again.
            retry_ref = new_ref()
            text = t("error.try_again", ref=retry_ref)
            log.error("database error ref=%s user=%s", retry_ref, self.user, exc_info=error)
        else:
            text, ref = message_for(error, t, mrkdwn=block is None)
            if ref is None:
                log.info("user error for %s: %r", self.user, error)
            else:
                log.error("unexpected error ref=%s user=%s", ref, self.user, exc_info=error)
        if block is not None:
            self.field_errors({block: text})
            return
        tell_user(self.deps, self.body, text, self.respond)

    def _error_block(self, database: bool) -> str | None:
        """The input of a still-open modal to show an error under: the one the listener
        named, else (for a database error) the first input, so the modal stays open."""
        if self.acked or self.body.get("type") != "view_submission":
            return None
        if self.error_block is not None:
            return self.error_block
        if not database:
            return None
        blocks = self.view.get("blocks")
        inputs = [
            b["block_id"]
            for b in (blocks if isinstance(blocks, list) else [])
            if isinstance(b, dict)
            and b.get("type") == "input"
            and isinstance(b.get("block_id"), str)
        ]
        return inputs[0] if inputs else None

    def finish(self) -> None:
        """Ack if the listener did not, then hand what it queued to the delivery threads."""
        self.ack()
        jobs, after = self._jobs, self._after
        self._jobs, self._after = [], []
        if jobs:
            self.deps.background(lambda: self.deps.runner.run_now(jobs))
        for call in after:
            self.deps.background(call)


Listener = Callable[[Interaction], None]


def listener(deps: Deps) -> Callable[[Listener], Callable[..., None]]:
    """Wrap `fn(interaction)` as a Bolt listener (see the module docstring)."""

    def wrap(fn: Listener) -> Callable[..., None]:
        def bolt_listener(
            ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond | None = None
        ) -> None:
            if isinstance(body.get("command"), str) and isinstance(body.get("text"), str):
                # A slash command's text reaches lookups and the database: no NUL or other
                # control characters, the same on SQLite and PostgreSQL.
                body["text"] = strip_controls(body["text"])
            sent = context.get(ACK_SENT)
            interaction = Interaction(
                deps, ack, body, respond, sent if isinstance(sent, threading.Event) else None
            )
            if interaction.acked:
                interaction.wait_sent()  # an event: Bolt acked it before the listener ran
            if not interaction.user and body.get("type") != "event_callback":
                # Slack always names who clicked or typed: there is nobody to answer, nothing
                # to do. (Events without a user, such as bot messages, are the listener's.)
                log.warning("ignored a %s without a user", body.get("type") or "request")
                interaction.finish()
                return
            try:
                # One profile read per person for the whole listener, before and after the ack.
                with deps.people.scoped(), deps.holding_deliveries(interaction.deliver):
                    fn(interaction)
            except Exception as exc:
                interaction.fail(exc)
            finally:
                try:
                    interaction.finish()
                except Exception:
                    log.exception("could not finish the interaction of %s", interaction.user)

        # Not functools.wraps: Bolt injects arguments by the signature `__wrapped__` points at.
        bolt_listener.__name__ = bolt_listener.__qualname__ = fn.__name__
        return bolt_listener

    return wrap
