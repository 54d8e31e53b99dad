"""Identifiers in Slack's shapes: message ts, view/file ids, trigger ids, hashes.

Everything is derived from counters (and the injected clock) rather than randomness, so a
run of the terminal demo or a failing test prints the same ids every time.
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import datetime
from typing import Any

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _base62(data: bytes, length: int) -> str:
    number = int.from_bytes(data, "big")
    out = []
    for _ in range(length):
        number, digit = divmod(number, len(_ALPHABET))
        out.append(_ALPHABET[digit])
    return "".join(out)


def content_id(content: Any, salt: str, length: int = 5) -> str:
    """A short stable id for a block or element that came without one (Slack invents these)."""
    raw = json.dumps(content, sort_keys=True, default=str) + "|" + salt
    return _base62(hashlib.sha256(raw.encode()).digest(), length)


class Ids:
    def __init__(self, team_id: str) -> None:
        self._team_id = team_id
        self._lock = threading.Lock()
        self._seq = 0
        self._last_epoch = 0
        self._counters: dict[str, int] = {}

    def state(self) -> dict[str, Any]:
        """The counters, so a restored workspace goes on where it stopped (localslack.persist)."""
        with self._lock:
            return {"seq": self._seq, "epoch": self._last_epoch, "counters": dict(self._counters)}

    def restore(self, state: dict[str, Any]) -> None:
        with self._lock:
            self._seq, self._last_epoch = int(state["seq"]), int(state["epoch"])
            self._counters = {str(k): int(v) for k, v in state["counters"].items()}

    def _next(self, kind: str) -> int:
        with self._lock:
            self._counters[kind] = self._counters.get(kind, 0) + 1
            return self._counters[kind]

    def ts(self, now: datetime) -> str:
        """`f"{epoch}.{seq:06d}"`: unique and increasing even when the clock stands still."""
        with self._lock:
            self._seq += 1
            # Never go back in time, even if a fake clock is set backwards.
            self._last_epoch = max(self._last_epoch, int(now.timestamp()))
            if self._seq > 999_999:
                self._seq = 1
                self._last_epoch += 1
            return f"{self._last_epoch}.{self._seq:06d}"

    def view_id(self) -> str:
        return f"V{self._next('view'):08X}"

    def file_id(self) -> str:
        return f"F{self._next('file'):08X}"

    def event_id(self) -> str:
        return f"Ev{self._next('event'):08X}"

    def dm_suffix(self) -> int:
        return self._next("dm")

    def trigger_id(self, now: datetime) -> str:
        n = self._next("trigger")
        tail = hashlib.sha256(f"trigger{n}".encode()).hexdigest()[:20]
        return f"{int(now.timestamp())}{n:04d}.{self._team_id}.{tail}"

    def view_hash(self, now: datetime) -> str:
        n = self._next("hash")
        return f"{now.timestamp():.6f}.{hashlib.sha256(f'hash{n}'.encode()).hexdigest()[:8]}"

    def hook_token(self) -> str:
        n = self._next("hook")
        return f"{self._team_id}/{n}/{hashlib.sha256(f'hook{n}'.encode()).hexdigest()[:24]}"
