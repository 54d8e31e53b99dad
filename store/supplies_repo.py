"""Queries over the supplies catalogue and the stock ledger. Balances are sums of the ledger
grouped by item and kind (one indexed aggregate); the ledger is only ever appended to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models.supplies import SupplyEntry, SupplyItem


def items(session: Session, *, include_discontinued: bool = True) -> list[SupplyItem]:
    query = select(SupplyItem).order_by(SupplyItem.category, SupplyItem.name_en)
    if not include_discontinued:
        query = query.where(SupplyItem.discontinued.is_(False))
    return list(session.scalars(query))


def item(session: Session, item_id: int) -> SupplyItem | None:
    return session.get(SupplyItem, item_id)


def lock_items(session: Session, item_ids: Collection[int]) -> list[SupplyItem]:
    """The items, locked for this transaction (`FOR UPDATE` on PostgreSQL; SQLite's writer
    lock is taken at BEGIN), always in id order so two transactions never deadlock. Whoever
    holds the lock reads balances no other transaction is about to change."""
    if not item_ids:
        return []
    query = (
        select(SupplyItem)
        .where(SupplyItem.id.in_(sorted(set(item_ids))))
        .order_by(SupplyItem.id)
        .with_for_update()
    )
    return list(session.scalars(query))


def sums(session: Session, item_ids: Collection[int] | None = None) -> dict[int, dict[str, int]]:
    """item id -> kind -> sum of quantities, for catalogue items."""
    query = (
        select(SupplyEntry.item_id, SupplyEntry.kind, func.sum(SupplyEntry.quantity))
        .where(SupplyEntry.item_id.is_not(None))
        .group_by(SupplyEntry.item_id, SupplyEntry.kind)
    )
    if item_ids is not None:
        query = query.where(SupplyEntry.item_id.in_(sorted(set(item_ids))))
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for item_id, kind, total in session.execute(query):
        if item_id is not None:
            out[int(item_id)][str(kind)] = int(total or 0)
    return dict(out)


def line_entries(session: Session, request_id: int) -> dict[int, list[tuple[str, int]]]:
    """line -> [(kind, quantity)] of one request, in the order written."""
    query = (
        select(SupplyEntry.line, SupplyEntry.kind, SupplyEntry.quantity)
        .where(SupplyEntry.request_id == request_id)
        .order_by(SupplyEntry.id)
    )
    out: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for line, kind, quantity in session.execute(query):
        out[int(line if line is not None else -1)].append((str(kind), int(quantity)))
    return dict(out)


def add(
    session: Session,
    *,
    at: datetime,
    kind: str,
    quantity: int,
    actor: str,
    item_id: int | None = None,
    request_id: int | None = None,
    line: int | None = None,
    reason: str | None = None,
    supplier: str | None = None,
    unit_price: Decimal | None = None,
    currency: str | None = None,
) -> SupplyEntry:
    entry = SupplyEntry(
        at=at,
        kind=kind,
        quantity=quantity,
        actor=actor,
        item_id=item_id,
        request_id=request_id,
        line=line,
        reason=reason,
        supplier=supplier,
        unit_price=unit_price,
        currency=currency,
    )
    session.add(entry)
    return entry


def entries(session: Session, *, batch: int = 1000) -> Iterator[SupplyEntry]:
    """Every entry, oldest first (streamed in batches, for exports)."""
    last = 0
    while True:
        rows = list(
            session.scalars(
                select(SupplyEntry)
                .where(SupplyEntry.id > last)
                .order_by(SupplyEntry.id)
                .limit(batch)
            )
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].id
