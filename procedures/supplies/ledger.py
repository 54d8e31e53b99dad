"""The stock ledger's arithmetic, pure: what each kind of entry does to the balances, and the
balances derived from a list of entries (or from their sums by kind). Nothing is stored twice:
on hand, reserved, available and on order are always computed from the entries.

| kind        | on hand | reserved | on order |
|-------------|---------|----------|----------|
| opening     | +q      |          |          |
| received    | +q      |          | −q       |
| issued      | −q      | −q       |          |
| reserved    |         | +q       |          |
| released    |         | −q       |          |
| adjusted    | ±q      |          |          |
| ordered     |         |          | +q       |
| order_closed|         |          | −q       |

Goods are issued only against a reservation, so an issue takes from both on hand and reserved;
a count's adjustment is the one signed entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    OPENING = "opening"
    RECEIVED = "received"
    ISSUED = "issued"
    RESERVED = "reserved"
    RELEASED = "released"
    ADJUSTED = "adjusted"
    ORDERED = "ordered"
    ORDER_CLOSED = "order_closed"


# kind -> (on hand, reserved, on order) multipliers
EFFECT: dict[Kind, tuple[int, int, int]] = {
    Kind.OPENING: (1, 0, 0),
    Kind.RECEIVED: (1, 0, -1),
    Kind.ISSUED: (-1, -1, 0),
    Kind.RESERVED: (0, 1, 0),
    Kind.RELEASED: (0, -1, 0),
    Kind.ADJUSTED: (1, 0, 0),
    Kind.ORDERED: (0, 0, 1),
    Kind.ORDER_CLOSED: (0, 0, -1),
}


@dataclass(frozen=True)
class Balance:
    on_hand: int = 0
    reserved: int = 0
    on_order: int = 0

    @property
    def available(self) -> int:
        """What a new request may still reserve."""
        return self.on_hand - self.reserved

    def after(self, kind: Kind | str, quantity: int) -> Balance:
        hand, reserved, order = EFFECT[Kind(kind)]
        return Balance(
            self.on_hand + hand * quantity,
            self.reserved + reserved * quantity,
            self.on_order + order * quantity,
        )


def from_sums(sums: Mapping[str, int]) -> Balance:
    """The balance of an item from the sum of its entries' quantities, per kind."""
    balance = Balance()
    for kind, total in sums.items():
        balance = balance.after(kind, int(total))
    return balance


def from_entries(entries: Iterable[tuple[str, int]]) -> Balance:
    balance = Balance()
    for kind, quantity in entries:
        balance = balance.after(kind, quantity)
    return balance


def check(kind: Kind | str, quantity: int, balance: Balance) -> str | None:
    """Why this entry may not be written against `balance` (a catalogue key), or None."""
    kind = Kind(kind)
    if kind != Kind.ADJUSTED and quantity <= 0:
        return "supplies.error.quantity_positive"
    if kind == Kind.RESERVED and quantity > balance.available:
        return "supplies.error.not_available"
    if kind == Kind.RELEASED and quantity > balance.reserved:
        return "supplies.error.release_over_reserved"
    if kind == Kind.ISSUED and quantity > balance.reserved:
        return "supplies.error.issue_over_reserved"
    if kind == Kind.ADJUSTED and balance.on_hand + quantity < 0:
        return "supplies.error.negative_stock"
    if kind in (Kind.RECEIVED, Kind.ORDER_CLOSED) and quantity > balance.on_order:
        return "supplies.error.over_on_order"
    return None


def crossed_reorder_level(before: Balance, after: Balance, level: int) -> bool:
    """The move that takes available stock from above the reorder level to at or below it:
    the one moment a low-stock alert goes out (not on every issue while it stays low)."""
    return before.available > level >= after.available


@dataclass(frozen=True)
class LineState:
    """Where one line of a request stands, from its own entries."""

    wanted: int
    reserved: int = 0  # reserved for it now (net of issues and releases)
    issued: int = 0
    on_order: int = 0

    @property
    def outstanding(self) -> int:
        """Not yet handed over."""
        return max(self.wanted - self.issued, 0)

    @property
    def uncovered(self) -> int:
        """Neither handed over, reserved nor on order: what must still be bought."""
        return max(self.wanted - self.issued - self.reserved - self.on_order, 0)


def line_state(wanted: int, entries: Iterable[tuple[str, int]]) -> LineState:
    reserved = issued = on_order = 0
    for kind, quantity in entries:
        k = Kind(kind)
        if k == Kind.RESERVED:
            reserved += quantity
        elif k == Kind.RELEASED:
            reserved -= quantity
        elif k == Kind.ISSUED:
            reserved -= quantity
            issued += quantity
        elif k == Kind.ORDERED:
            on_order += quantity
        elif k in (Kind.RECEIVED, Kind.ORDER_CLOSED):
            on_order -= quantity
    return LineState(wanted, reserved, issued, on_order)
