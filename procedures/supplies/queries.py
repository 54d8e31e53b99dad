"""What people look at: the stock of each item (derived from the ledger), a requester's own
requests, what waits on administration, and the CSV exports of the ledger and of consumption
per department per month."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from procedures import spreadsheet
from procedures.policy import Policy
from procedures.supplies.ledger import Balance, Kind
from procedures.supplies.policy import SuppliesPolicy
from procedures.supplies.stock import Line, balances, lines_of
from store import requests_repo, supplies_repo
from store.directory import Directory
from store.models import Request
from store.models.supplies import SupplyItem


@dataclass(frozen=True)
class Stocked:
    item: SupplyItem
    balance: Balance


def stock(session: Session, query: str = "") -> list[Stocked]:
    """Every item (or those whose name, sku or category contains `query`), with its balance."""
    wanted = query.strip().lower()
    found = [
        item
        for item in supplies_repo.items(session)
        if not wanted
        or any(
            wanted in (value or "").lower()
            for value in (item.name_en, item.name_zh, item.sku, item.category, item.spec)
        )
    ]
    sums = balances(session, [item.id for item in found]) if found else {}
    return [Stocked(item, sums.get(item.id, Balance())) for item in found]


@dataclass(frozen=True)
class RequestLine:
    request: Request
    number: str
    lines: list[Line]
    step_id: str | None  # the current step's id, if the request is open


def _number(policy: Policy, request: Request) -> str:
    spec = policy.procedure(request.procedure)
    prefix = spec.prefix if spec else "SP"
    return f"{prefix}-{request.number:04d}"


def _current_step_id(session: Session, policy: Policy, request: Request) -> str | None:
    spec = policy.procedure(request.procedure)
    step = requests_repo.step_at(session, request, request.step)
    if spec is None or step is None or step.state != "active":
        return None
    declared = spec.step_spec(step.spec_index)
    return declared.id if declared else None


def mine(session: Session, policy: Policy, user: str) -> list[RequestLine]:
    procedure = policy.section(SuppliesPolicy).procedure
    out = []
    for request in requests_repo.mine(session, user, limit=50):
        if request.procedure != procedure:
            continue
        out.append(
            RequestLine(
                request,
                _number(policy, request),
                lines_of(request.payload),
                _current_step_id(session, policy, request),
            )
        )
    return out


def pending(session: Session, policy: Policy) -> dict[str, list[RequestLine]]:
    """Open requests by the administration step they wait at: purchase, receive, issue."""
    section = policy.section(SuppliesPolicy)
    wanted = {section.steps[k]: k for k in ("purchase", "receive", "issue")}
    out: dict[str, list[RequestLine]] = defaultdict(list)
    for request in requests_repo.open_of(session, section.procedure):
        step_id = _current_step_id(session, policy, request)
        if step_id in wanted:
            out[wanted[step_id]].append(
                RequestLine(request, _number(policy, request), lines_of(request.payload), step_id)
            )
    return dict(out)


def low(session: Session) -> list[Stocked]:
    """Items whose available stock is at or below their reorder level."""
    return [
        s
        for s in stock(session)
        if not s.item.discontinued and s.balance.available <= s.item.reorder_level
    ]


LEDGER_HEADER = [
    "id",
    "at",
    "kind",
    "quantity",
    "sku",
    "item_en",
    "item_zh",
    "unit",
    "request",
    "line",
    "actor",
    "reason",
    "supplier",
    "unit_price",
    "currency",
]


def ledger_csv(session: Session, policy: Policy, tz: ZoneInfo) -> bytes:
    """Every entry of the ledger, oldest first (UTF-8 with BOM, so spreadsheets read Chinese)."""
    items = {item.id: item for item in supplies_repo.items(session)}
    numbers: dict[int, str] = {}
    lines: list[list[object]] = []
    for entry in supplies_repo.entries(session):
        item = items.get(entry.item_id) if entry.item_id is not None else None
        number = ""
        if entry.request_id is not None:
            if entry.request_id not in numbers:
                request = requests_repo.get(session, entry.request_id)
                numbers[entry.request_id] = _number(policy, request) if request else ""
            number = numbers[entry.request_id]
        lines.append(
            [
                entry.id,
                entry.at.astimezone(tz).isoformat(timespec="seconds"),
                entry.kind,
                entry.quantity,
                item.sku if item else "",
                item.name_en if item else "",
                item.name_zh if item else "",
                item.unit if item else "",
                number,
                "" if entry.line is None else entry.line + 1,
                entry.actor,
                entry.reason or "",
                entry.supplier or "",
                "" if entry.unit_price is None else str(entry.unit_price),
                entry.currency or "",
            ]
        )
    return spreadsheet.to_csv(LEDGER_HEADER, lines)


def consumption_csv(session: Session, policy: Policy, tz: ZoneInfo) -> bytes:
    """Units issued per department, item and month (the requester's department)."""
    directory = Directory(session)
    items = {item.id: item for item in supplies_repo.items(session)}
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    requesters: dict[int, str] = {}
    for entry in supplies_repo.entries(session):
        if entry.kind != Kind.ISSUED or entry.request_id is None:
            continue
        if entry.request_id not in requesters:
            request = requests_repo.get(session, entry.request_id)
            requesters[entry.request_id] = request.requester if request else ""
        dept = directory.department_of(requesters[entry.request_id])
        item = items.get(entry.item_id) if entry.item_id is not None else None
        month = entry.at.astimezone(tz).strftime("%Y-%m")
        name = item.name_en if item else _free_name(session, entry.request_id, entry.line)
        totals[(month, dept.id if dept else "", name)] += entry.quantity
    rows = [
        [month, dept, name, quantity] for (month, dept, name), quantity in sorted(totals.items())
    ]
    return spreadsheet.to_csv(["month", "department", "item", "issued"], rows)


def _free_name(session: Session, request_id: int, line: int | None) -> str:
    request = requests_repo.get(session, request_id)
    lines = lines_of(request.payload) if request else []
    found = next((x for x in lines if x.index == line), None)
    return found.name if found else ""


def stamp(now: datetime, tz: ZoneInfo) -> str:
    return now.astimezone(tz).strftime("%Y%m%d-%H%M")
