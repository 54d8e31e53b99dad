"""The `supplies:` section of the policy file: which procedures carry requests and counts, and
the amount above which a purchase also needs finance's approval."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from procedures.policy.common import Slug, Strict


class SuppliesPolicy(Strict):
    procedure: Slug = "supply"  # requests: head → purchase → receive → issue → confirm
    count_procedure: Slug = "stock-count"  # counts with variances → approval → adjustments
    # A purchase whose total (quantity × unit price) is above this also needs finance.
    finance_approval_above: Decimal = Field(default=Decimal(2000), ge=0)
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    alert_channel: str = "admin"  # a channel purpose from the org file: low-stock alerts
    max_lines: int = Field(default=10, ge=1, le=20)  # lines in one request's form
    # The step ids of the request's chain the hooks move between.
    steps: dict[str, Slug] = Field(
        default_factory=lambda: {
            "approve": "approve",
            "purchase": "purchase",
            "finance": "finance",
            "receive": "receive",
            "issue": "issue",
            "confirm": "confirm",
        }
    )
