"""One process of the multi-process race: decides a request five times, printing won/lost.

Usage: python -m tests.support.decide_worker REQUEST_ID USER N   (DATABASE_URL in the env)
"""

from __future__ import annotations

import os
import sys
from zoneinfo import ZoneInfo

from sqlalchemy.orm.exc import StaleDataError

from bot.modules import load_policy
from procedures import decisions
from procedures.approvals import Decision
from procedures.calendar import calendar_for
from procedures.clock import SystemClock
from procedures.engine import Ctx
from procedures.errors import DomainError
from store.db import make_sessions


def main(request_id: int, user: str, n: int) -> int:
    sessions = make_sessions(os.environ["DATABASE_URL"])
    policy = load_policy()
    decision = (Decision.APPROVE, Decision.REJECT, Decision.RETURN)[n % 3]
    for _ in range(5):
        try:
            with sessions.begin() as session:
                ctx = Ctx(
                    session=session,
                    now=SystemClock().now(),
                    policy=policy,
                    calendar=calendar_for("CN"),
                    tz=ZoneInfo("Asia/Shanghai"),
                )
                decisions.decide(
                    ctx, request_id, user, decision, round_=1, position=0, reason="race"
                )
            print("won", flush=True)
        except (DomainError, StaleDataError):
            print("lost", flush=True)
    sessions.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3])))
