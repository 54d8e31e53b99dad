"""`POST /api/indicators/<key>/values`: other systems report an indicator's value.

Authenticated by the indicator's own token (`Authorization: Bearer …`, stored hashed, made by
`/risk indicator token <key>`): a missing or wrong token is 401 and says nothing about whether
the indicator exists; a value that is not a finite number is 422 with the reason."""

from __future__ import annotations

import hmac
import json
import re
from decimal import Decimal
from typing import Any

from handlers.deps import Deps
from handlers.interaction import run
from handlers.modules import HttpRequest, HttpRoute
from procedures.errors import DomainError
from procedures.risks import alerts, indicators
from procedures.risks.policy import RisksPolicy
from store import risks_repo

PATH = re.compile(r"^/api/indicators/([a-z][a-z0-9_-]{0,47})/values/?$")
Answer = tuple[int, dict[str, Any]]


def route(deps: Deps) -> HttpRoute:
    section = deps.policy.section(RisksPolicy)

    def answer(request: HttpRequest) -> Answer | None:
        if not request.path.startswith("/api/indicators/"):
            return None
        found = PATH.match(request.path)
        if found is None:
            return 404, {"error": "not found"}
        if request.method != "POST":
            return 405, {"error": "use POST"}
        key = found.group(1)
        if not _authorized(deps, key, request.headers.get("authorization", "")):
            return 401, {"error": "missing or wrong token for this indicator"}
        value, problem = _value(request.body)
        if value is None:
            return 422, {"error": problem}

        def work(ctx: Any) -> alerts.Reported:
            indicators.sync_policy_indicators(ctx, section)
            return alerts.report(ctx, section, key, value, "http")

        try:
            reported = run(deps, work)
        except DomainError as exc:
            return 422, {"error": exc.key}
        return 200, {"indicator": key, "value": str(reported.value), "band": reported.band}

    return answer


def _authorized(deps: Deps, key: str, header: str) -> bool:
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    with deps.sessions.read() as session:
        row = risks_repo.indicator(session, key)
        stored = row.token_hash if row is not None else None
    given = indicators.hash_token(token.strip())
    # Compared in constant time, and against a dummy when there is no indicator or token.
    return hmac.compare_digest(given, stored or "0" * 64) and stored is not None


def _value(body: bytes) -> tuple[Decimal | None, str]:
    try:
        data = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        return None, 'the body must be JSON such as {"value": 4.2}'
    raw = data.get("value") if isinstance(data, dict) else None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return None, 'the body must be JSON such as {"value": 4.2}; "value" must be a number'
    try:
        return indicators.parse_value(str(raw)), ""
    except DomainError:
        return None, f"value must be a finite number below 1e12, not {str(raw)[:30]!r}"
