"""Ack-first, enforced: Slack must see an interaction's ack before any Web API call it causes.

Every request the driver sends the bot is an interaction in flight until its HTTP answer
arrives. A Web API call or response_url POST that arrives while interactions are unanswered is
held (in "hold" mode) until each of them is answered or has passed Slack's 3 s deadline. A
listener that delivers right after `ack()` merely waits the few ms until Slack has the answer;
one that calls Slack *before* acking deadlocks until the deadline, and the held call is
recorded as an ack violation naming the interaction. Late, missing, 404 and 5xx answers are
recorded as deadline misses.

A views.open/push (by trigger_id) or response_url POST belongs to one interaction and waits
for that one only; any other call could come from any listener, so it waits for all. With more
interactions in flight than the bot has listener threads, held post-ack calls could fill its
pool, and the interactions queued behind them could never be acked: told the pool size
(`bot_threads`), the tracker lets the oldest held call through whenever that many are held.
(So a call made before the ack goes unnoticed only when the pool is full.)

Events are tracked too: Bolt acks them before the listener runs, so only work done before the
auto-ack (a global middleware calling Slack) can be caught there, and that is worth catching.

Deadlines are real seconds (time.monotonic), never the injected clock: Slack's timer is real.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs

ACK_DEADLINE = 3.0  # seconds Slack waits for an ack before showing the user an error

# "hold": enforce (tests); "observe": record early calls, never delay (benchmarks, the demo).
AckMode = Literal["hold", "observe", "off"]

# Bolt calls auth.test once per process on its first request, before any listener runs; the
# bot cannot defer it, and it is cached after that.
EXEMPT = frozenset({"auth.test"})


@dataclass
class Interaction:
    """One request to the bot; mutable fields change only under the tracker's lock."""

    id: int
    kind: str  # "command", "block_actions", "view_submission", "event", ...
    name: str  # "/leave help", "request.approve", "request.form", "app_home_opened"
    user: str
    keys: frozenset[str]
    started: float
    answered: float | None = None

    def __str__(self) -> str:
        return f"{self.kind} {self.name} by {self.user}"


@dataclass(frozen=True)
class AckViolation:
    method: str
    # Unacked when the call arrived and still unanswered at their deadline: with several,
    # the call came from one of them (or from work the stuck ones kept waiting).
    interactions: tuple[str, ...]
    held: float  # seconds the call waited before the deadline released it

    @property
    def interaction(self) -> str:
        return " or ".join(self.interactions)

    def __str__(self) -> str:
        which = self.interactions[0]
        if len(self.interactions) > 1:
            which = "one of " + ", ".join(self.interactions)
        if self.held < 0.01:
            wait = "it came after the deadline, still before the ack"
        else:
            wait = f"held {self.held:.2f} s until Slack's {ACK_DEADLINE:.0f} s deadline passed"
        return f"{self.method} was called before {which} was acked ({wait})"


@dataclass(frozen=True)
class DeadlineMiss:
    interaction: str
    elapsed: float
    status: int | None  # None: no answer at all

    def __str__(self) -> str:
        if self.status is None:
            return f"{self.interaction}: no answer after {self.elapsed:.2f} s"
        if self.elapsed > ACK_DEADLINE:
            return (
                f"{self.interaction}: answered {self.status} after {self.elapsed:.2f} s "
                f"(Slack gives up after {ACK_DEADLINE:.0f} s)"
            )
        return f"{self.interaction}: answered HTTP {self.status} in {self.elapsed:.2f} s"


@dataclass(frozen=True)
class EarlyCall:
    """Observe mode: a call that arrived while these interactions were unanswered."""

    method: str
    interactions: tuple[int, ...]


@dataclass(frozen=True)
class Described:
    kind: str
    name: str
    user: str
    keys: frozenset[str]  # "trigger:<id>", "hook:<token>": what ties a later call to it


def describe(body: str, content_type: str) -> Described:
    """What a request body, as Slack sends it, is."""
    if content_type.startswith("application/json"):
        data = _json(body)
        event = _dict(data.get("event"))
        if data.get("type") == "event_callback":
            return Described("event", str(event.get("type")), str(event.get("user") or "?"), _NO)
        return Described(str(data.get("type") or "request"), "", "?", _NO)
    form = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
    if "command" in form:
        name = f"{form['command']} {form.get('text', '')}".strip()[:60]
        who = form.get("user_name") or form.get("user_id") or "?"
        return Described("command", name, who, _keys(form))
    payload = _json(form.get("payload", ""))
    kind = str(payload.get("type") or "request")
    user = _dict(payload.get("user"))
    who = str(user.get("username") or user.get("name") or user.get("id") or "?")
    if kind == "block_actions":
        actions = payload.get("actions") or []
        name = ",".join(str(a.get("action_id")) for a in actions if isinstance(a, dict))
    else:
        view = _dict(payload.get("view"))
        name = str(view.get("callback_id") or payload.get("callback_id") or "")
    return Described(kind, name, who, _keys(payload))


_NO: frozenset[str] = frozenset()


def _keys(data: dict[str, Any]) -> frozenset[str]:
    keys = set()
    if data.get("trigger_id"):
        keys.add(f"trigger:{data['trigger_id']}")
    if isinstance(data.get("response_url"), str):
        keys.add(f"hook:{hook_token(data['response_url'])}")
    return frozenset(keys)


def hook_token(response_url: str) -> str:
    return response_url.rsplit("/response/", 1)[-1]


def _json(text: str) -> dict[str, Any]:
    try:
        return _dict(json.loads(text) if text else {})
    except ValueError:
        return {}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class AckTracker:
    def __init__(
        self,
        mode: AckMode = "hold",
        *,
        deadline: float = ACK_DEADLINE,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.mode: AckMode = mode
        self.deadline = deadline
        self.bot_threads: int | None = None  # the bot's listener pool, if known
        self.let_through = 0  # held calls released because the bot's pool was full
        self._held: list[object] = []  # the calls waiting now, oldest first
        self._now = now
        # Its own lock: a held call must never hold the workspace lock while it waits.
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._open: dict[int, Interaction] = {}
        self._closed = False
        self.interactions: list[Interaction] = []
        self.violations: list[AckViolation] = []
        self.misses: list[DeadlineMiss] = []
        self.early: list[EarlyCall] = []
        self.late_acks_expected = False

    # -- interactions ------------------------------------------------------------------

    def begin(self, body: str, content_type: str) -> Interaction:
        d = describe(body, content_type)
        with self._cond:
            interaction = Interaction(next(self._ids), d.kind, d.name, d.user, d.keys, self._now())
            self._open[interaction.id] = interaction
            self.interactions.append(interaction)
            return interaction

    def end(self, interaction: Interaction, status: int | None) -> float:
        """The bot's answer arrived (status None: it never did); releases held calls.
        Returns the seconds since the interaction began."""
        with self._cond:
            interaction.answered = self._now()
            elapsed = interaction.answered - interaction.started
            self._open.pop(interaction.id, None)
            late = elapsed > self.deadline
            if status is None or late or status == 404 or status >= 500:
                self.misses.append(DeadlineMiss(str(interaction), elapsed, status))
            self._cond.notify_all()
            return elapsed

    # -- calls from the bot ------------------------------------------------------------

    def gate(self, method: str, key: str | None = None) -> None:
        """Called by the server before it serves `method`; may block (see the module doc).

        `key` ("trigger:<id>" of a views.open, "hook:<token>" of a response_url) names the one
        interaction the call can belong to: it waits for that one only. Other calls could come
        from any listener, so they wait for every interaction then unanswered."""
        if self.mode == "off" or method in EXEMPT:
            return
        with self._cond:
            blockers = list(self._open.values())
            if key is not None:
                blockers = [i for i in blockers if key in i.keys]
            if not blockers:
                return
            if self.mode == "observe":
                self.early.append(EarlyCall(method, tuple(i.id for i in blockers)))
                return
            me = object()
            self._held.append(me)
            self._cond.notify_all()  # the oldest held call may now be the one to let through
            try:
                self._hold(method, blockers, me)
            finally:
                self._held.remove(me)
                self._cond.notify_all()

    def _hold(self, method: str, blockers: list[Interaction], me: object) -> None:
        arrived = self._now()
        while not self._closed:
            pending = [i for i in blockers if i.answered is None]
            if not pending:
                return
            if self.bot_threads and len(self._held) >= self.bot_threads and self._held[0] is me:
                self.let_through += 1
                return
            now = self._now()
            waits = [i.started + self.deadline - now for i in pending]
            if all(wait <= 0 for wait in waits):
                stuck = tuple(str(i) for i in pending)
                self.violations.append(AckViolation(method, stuck, now - arrived))
                return
            self._cond.wait(max(0.001, max(waits)))

    def close(self) -> None:
        """Release every held call (the workspace is stopping)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    # -- what tests read ---------------------------------------------------------------

    def expect_late_acks(self) -> None:
        """This test exercises late acks on purpose: don't fail it for them."""
        self.late_acks_expected = True

    def problems(self) -> list[str]:
        with self._cond:
            return [str(v) for v in self.violations] + [str(m) for m in self.misses]

    def report(self) -> str | None:
        """What went wrong, for a test to fail with; None when all is well or expected."""
        problems = self.problems()
        if not problems or self.late_acks_expected:
            return None
        lines = "\n".join(f"  - {p}" for p in problems)
        return (
            f"localslack saw {len(problems)} ack problem(s): the bot must ack each interaction "
            f"within {self.deadline:.0f} s and call Slack only after the ack.\n{lines}\n"
            "(Mark the test late_acks, or call ls.expect_late_acks(), if this is on purpose.)"
        )
