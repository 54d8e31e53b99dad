"""The stock ledger's arithmetic: balances derived from entries, what each entry may do, the
reorder-level crossing, and where a request line stands."""

from __future__ import annotations

import pytest

from procedures.supplies import ledger
from procedures.supplies.ledger import Balance, Kind, line_state


def test_balances_are_derived_from_entries() -> None:
    entries = [
        (Kind.OPENING, 12),
        (Kind.RESERVED, 2),
        (Kind.ORDERED, 5),
        (Kind.RECEIVED, 3),
        (Kind.ISSUED, 2),
        (Kind.ADJUSTED, -1),
    ]
    b = ledger.from_entries(entries)
    assert (b.on_hand, b.reserved, b.available, b.on_order) == (12, 0, 12, 2)


def test_sums_by_kind_give_the_same_balance_as_the_entries() -> None:
    entries = [(Kind.OPENING, 10), (Kind.RESERVED, 4), (Kind.RESERVED, 3), (Kind.RELEASED, 2)]
    sums: dict[str, int] = {}
    for kind, quantity in entries:
        sums[kind] = sums.get(kind, 0) + quantity
    assert ledger.from_sums(sums) == ledger.from_entries(entries) == Balance(10, 5, 0)
    assert ledger.from_sums(sums).available == 5


@pytest.mark.parametrize(
    ("kind", "quantity", "problem"),
    [
        (Kind.RESERVED, 6, "supplies.error.not_available"),
        (Kind.RESERVED, 5, None),
        (Kind.ISSUED, 3, "supplies.error.issue_over_reserved"),
        (Kind.ISSUED, 2, None),
        (Kind.RELEASED, 3, "supplies.error.release_over_reserved"),
        (Kind.ADJUSTED, -8, "supplies.error.negative_stock"),
        (Kind.ADJUSTED, -7, None),
        (Kind.RECEIVED, 2, "supplies.error.over_on_order"),
        (Kind.RECEIVED, 1, None),
        (Kind.OPENING, 0, "supplies.error.quantity_positive"),
        (Kind.ISSUED, -1, "supplies.error.quantity_positive"),
    ],
)
def test_what_an_entry_may_do(kind: Kind, quantity: int, problem: str | None) -> None:
    balance = Balance(on_hand=7, reserved=2, on_order=1)  # 5 available
    assert ledger.check(kind, quantity, balance) == problem


def test_the_reorder_level_is_crossed_once() -> None:
    level = 5
    before = Balance(on_hand=12)
    after = before.after(Kind.RESERVED, 7)  # 5 available: at the level
    assert ledger.crossed_reorder_level(before, after, level)
    lower = after.after(Kind.RESERVED, 1)
    assert not ledger.crossed_reorder_level(after, lower, level)  # still low: no new alert
    back = lower.after(Kind.RELEASED, 8)
    assert not ledger.crossed_reorder_level(lower, back, level)
    assert ledger.crossed_reorder_level(
        back, back.after(Kind.ISSUED, 0).after(Kind.RESERVED, 7), level
    )


def test_a_line_is_outstanding_until_issued_and_uncovered_until_reserved_or_ordered() -> None:
    state = line_state(5, [(Kind.RESERVED, 2), (Kind.ORDERED, 3)])
    assert (state.reserved, state.on_order, state.outstanding, state.uncovered) == (2, 3, 5, 0)
    arrived = [(Kind.RESERVED, 2), (Kind.ORDERED, 3), (Kind.RECEIVED, 2)]
    state = line_state(5, arrived)
    assert (state.on_order, state.uncovered) == (1, 2)  # arrived, not yet reserved for it
    state = line_state(5, [*arrived, (Kind.RESERVED, 2)])
    assert (state.reserved, state.on_order, state.uncovered) == (4, 1, 0)
    state = line_state(5, [(Kind.RESERVED, 4), (Kind.ISSUED, 4), (Kind.ORDERED, 1)])
    assert (state.reserved, state.issued, state.outstanding) == (0, 4, 1)
    state = line_state(5, [(Kind.RESERVED, 2), (Kind.RELEASED, 2), (Kind.ORDER_CLOSED, 0)])
    assert (state.reserved, state.uncovered) == (0, 5)
