"""Stock movements in the ledger, checked under a lock on the items they touch: of two
requests racing for the last reams, the second to take the lock sees the first's reservation
and gets only what is left. A move that takes an item's available stock down to its reorder
level schedules one low-stock alert (once per crossing)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from procedures.errors import InvalidInput
from procedures.supplies import ledger
from procedures.supplies.ledger import Balance, Kind, LineState
from store import jobs, supplies_repo
from store.models.supplies import SupplyItem

LOW_STOCK = "supplies.low_stock"


def balances(session: Session, item_ids: Collection[int] | None = None) -> dict[int, Balance]:
    return {
        item_id: ledger.from_sums(sums)
        for item_id, sums in supplies_repo.sums(session, item_ids).items()
    }


def balance_of(session: Session, item_id: int) -> Balance:
    return balances(session, [item_id]).get(item_id, Balance())


@dataclass
class Mover:
    """Moves within one transaction: locks each item once, keeps its balance current, and
    notes the items whose available stock just crossed their reorder level."""

    session: Session
    now: datetime
    actor: str
    jobs: list[int]

    def __post_init__(self) -> None:
        self._items: dict[int, SupplyItem] = {}
        self._balances: dict[int, Balance] = {}

    def lock(self, item_ids: Collection[int]) -> None:
        wanted = [i for i in item_ids if i not in self._items]
        for item in supplies_repo.lock_items(self.session, wanted):
            self._items[item.id] = item
        self._balances.update(
            {i: b for i, b in balances(self.session, wanted).items() if i in self._items}
        )

    def balance(self, item_id: int) -> Balance:
        self.lock([item_id])
        return self._balances.get(item_id, Balance())

    def item(self, item_id: int) -> SupplyItem:
        self.lock([item_id])
        return self._items[item_id]

    def move(
        self,
        kind: Kind,
        quantity: int,
        *,
        item_id: int | None,
        request_id: int | None = None,
        line: int | None = None,
        reason: str | None = None,
        field: str | None = None,
        **extra: Any,
    ) -> None:
        if quantity == 0:
            return
        if item_id is not None:
            before = self.balance(item_id)
            problem = ledger.check(kind, quantity, before)
            if problem is not None:
                raise InvalidInput(problem, field=field, available=before.available)
            after = before.after(kind, quantity)
            self._balances[item_id] = after
            level = self._items[item_id].reorder_level
            if ledger.crossed_reorder_level(before, after, level):
                self._alert(item_id)
        elif kind != Kind.ADJUSTED and quantity <= 0:
            raise InvalidInput("supplies.error.quantity_positive", field=field)
        supplies_repo.add(
            self.session,
            at=self.now,
            kind=kind,
            quantity=quantity,
            actor=self.actor,
            item_id=item_id,
            request_id=request_id,
            line=line,
            reason=reason,
            **extra,
        )

    def _alert(self, item_id: int) -> None:
        job = jobs.schedule(
            self.session,
            kind=LOW_STOCK,
            due_at=self.now,
            now=self.now,
            payload={"item_id": item_id},
            dedupe_key=f"supplies:low:{item_id}:{self.now.isoformat()}",
        )
        if job is not None:
            self.jobs.append(job)


# -- request lines ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a supplies request, as its payload holds it."""

    index: int
    item_id: int | None  # None: something not in the catalogue
    name: str  # English (or as typed, for something not in the catalogue)
    name_zh: str
    spec: str
    unit: str
    quantity: int

    @classmethod
    def from_payload(cls, index: int, raw: Mapping[str, Any]) -> Line:
        item = raw.get("item")
        return cls(
            index=index,
            item_id=int(item) if item not in (None, "") else None,
            name=str(raw.get("name") or ""),
            name_zh=str(raw.get("name_zh") or raw.get("name") or ""),
            spec=str(raw.get("spec") or ""),
            unit=str(raw.get("unit") or ""),
            quantity=int(raw.get("quantity") or 0),
        )

    def label(self, lang: str) -> str:
        name = self.name_zh if lang == "zh" else self.name
        return f"{name} ({self.spec})" if self.spec else name

    def to_payload(self) -> dict[str, Any]:
        return {
            "item": self.item_id,
            "name": self.name,
            "name_zh": self.name_zh,
            "spec": self.spec,
            "unit": self.unit,
            "quantity": self.quantity,
        }


def lines_of(payload: Mapping[str, Any]) -> list[Line]:
    raw = payload.get("lines")
    if not isinstance(raw, list):
        return []
    return [Line.from_payload(i, line) for i, line in enumerate(raw) if isinstance(line, Mapping)]


def line_states(session: Session, request_id: int, lines: list[Line]) -> list[LineState]:
    entries = supplies_repo.line_entries(session, request_id)
    return [ledger.line_state(line.quantity, entries.get(line.index, [])) for line in lines]


def reserve_what_is_there(mover: Mover, request_id: int, lines: list[Line]) -> int:
    """Reserve, for each catalogue line, as much of what it still needs as is available now.
    Returns how many units are still not covered (to be bought)."""
    states = line_states(mover.session, request_id, lines)
    mover.lock([line.item_id for line in lines if line.item_id is not None])
    short = 0
    for line, state in zip(lines, states, strict=True):
        need = state.uncovered
        if line.item_id is not None and need > 0:
            take = min(need, max(mover.balance(line.item_id).available, 0))
            mover.move(
                Kind.RESERVED, take, item_id=line.item_id, request_id=request_id, line=line.index
            )
            need -= take
        short += need
    return short


def release_all(mover: Mover, request_id: int, lines: list[Line], reason: str) -> None:
    """A request that ends without its goods: reservations go back, open orders are closed."""
    states = line_states(mover.session, request_id, lines)
    for line, state in zip(lines, states, strict=True):
        for kind, quantity in (
            (Kind.RELEASED, state.reserved),
            (Kind.ORDER_CLOSED, state.on_order),
        ):
            if quantity > 0:
                mover.move(
                    kind,
                    quantity,
                    item_id=line.item_id,
                    request_id=request_id,
                    line=line.index,
                    reason=reason,
                )


def purchase_total(lines: list[Line], values: Mapping[str, Any]) -> Decimal:
    total = Decimal(0)
    for line in lines:
        quantity = values.get(f"qty_{line.index}")
        price = values.get(f"price_{line.index}")
        if quantity and isinstance(price, Mapping):
            total += Decimal(str(quantity)) * Decimal(str(price.get("amount") or 0))
    return total
