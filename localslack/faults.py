"""Fault injection and Slack's per-channel posting limit.

Both are consulted under the workspace lock. A faulted or rate-limited call is answered
before any handler runs, so it never changes state.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

FaultKind = Literal["429", "500", "timeout", "reset", "error"]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)


@dataclass
class FaultRule:
    method: str  # an API method, "response_url", or "*" for every call
    kind: FaultKind
    times: int | None = 1
    after: int = 0
    probability: float | None = None
    seed: int | None = None
    retry_after: int = 1
    delay: float = 1.0
    error: str = "fatal_error"
    seen: int = 0
    fired: int = 0
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {FAULT_KINDS}")
        if self.probability is not None and not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        self._rng = random.Random(self.seed)

    def matches(self, method: str) -> bool:
        return self.method in ("*", method)

    def fire(self) -> bool:
        """Count one matching call; True if this call is to fail."""
        self.seen += 1
        if self.seen <= self.after:
            return False
        if self.probability is not None:
            # With a probability, chance alone decides how many calls fail.
            hit = self._rng.random() < self.probability
        else:
            hit = self.times is None or self.fired < self.times
        if hit:
            self.fired += 1
        return hit


class FaultPlan:
    def __init__(self) -> None:
        self.rules: list[FaultRule] = []

    def add(self, rule: FaultRule) -> FaultRule:
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()

    def check(self, method: str) -> FaultRule | None:
        """The first rule that fails this call, if any (rules are tried in the order added)."""
        for rule in self.rules:
            if rule.matches(method) and rule.fire():
                return rule
        return None


class ChannelRateLimiter:
    """A token bucket per channel, on the injected clock (Slack: about 1 message/s/channel)."""

    def __init__(self) -> None:
        self.per_second: float | None = None
        self.burst = 1
        self._buckets: dict[str, tuple[float, datetime]] = {}

    def configure(self, per_second: float | None, burst: int) -> None:
        if per_second is not None and per_second <= 0:
            per_second = None
        self.per_second = per_second
        self.burst = max(1, burst)
        self._buckets.clear()

    def take(self, channel: str, now: datetime) -> int | None:
        """Spend a token; None if allowed, else the Retry-After in whole seconds."""
        if self.per_second is None:
            return None
        tokens, last = self._buckets.get(channel, (float(self.burst), now))
        elapsed = max(0.0, (now - last).total_seconds())
        tokens = min(float(self.burst), tokens + elapsed * self.per_second)
        if tokens >= 1.0:
            self._buckets[channel] = (tokens - 1.0, now)
            return None
        self._buckets[channel] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / self.per_second))
