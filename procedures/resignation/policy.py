"""The `resignation:` section of the policy file."""

from __future__ import annotations

from datetime import time

from pydantic import Field

from procedures.policy.common import Strict


class ResignationPolicy(Strict):
    cite: str = "004 §5.3"
    # The last day is at least this many working days after the day it is filed.
    notice_working_days: int = Field(default=22, ge=0, le=130)
    # When, on the last day (org time), what the leaver owns moves to the successor.
    transfer_at: time = time(18, 0)
