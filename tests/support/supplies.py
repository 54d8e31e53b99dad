"""Helpers for supplies tests: load the demo catalogue, read balances, file through the quick
path, and do a request's tasks from the assignees' DMs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from handlers.supplies_cli import import_catalogue
from localslack import Ephemeral, Message
from procedures.supplies.ledger import Balance
from procedures.supplies.stock import balances
from store import requests_repo, supplies_repo
from tests.support.harness import Harness
from tests.support.rectification import do_task, task_dm

CATALOGUE = Path(__file__).parent / "supplies_catalogue.yml"


def catalogue_text() -> str:
    return CATALOGUE.read_text(encoding="utf-8")


def load_demo(h: Harness) -> None:
    import_catalogue(catalogue_text(), "catalogue", h.sessions, h.clock, "test")


def item_id(h: Harness, sku: str) -> int:
    with h.sessions.begin() as session:
        found = next(i for i in supplies_repo.items(session) if i.sku == sku)
        return found.id


def balance(h: Harness, sku: str) -> Balance:
    wanted = item_id(h, sku)
    with h.sessions.begin() as session:
        return balances(session, [wanted]).get(wanted, Balance())


def quick(h: Harness, who: str, text: str, contains: str) -> Ephemeral:
    h.as_(who).command("/supply", text, channel="general")
    return h.ls.wait_ephemeral(who, contains=contains)


def request_state(h: Harness, number: int = 1) -> tuple[str, str | None]:
    """(state, current step id) of SP-000n."""
    with h.sessions.begin() as session:
        request = requests_repo.by_number(session, "supply", number)
        assert request is not None
        step = requests_repo.step_at(session, request, request.step)
        spec = h.deps.policy.procedure("supply")
        assert spec is not None
        declared = spec.step_spec(step.spec_index) if step and step.state == "active" else None
        return request.state, declared.id if declared else None


def task(h: Harness, who: str, number: str, button: str, values: dict[str, Any]) -> None:
    do_task(h, who, number, button, values)


__all__ = ["buttons", "import_catalogue", "task_dm"]


def buttons(message: Message | Ephemeral) -> list[str]:
    return [
        str((element.get("text") or {}).get("text"))
        for block in message.blocks or []
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    ]


def wait_state(h: Harness, expected: tuple[str, str | None], number: int = 1) -> None:
    """An Approve click acks before its work commits: wait for the request to get there."""
    h.ls.wait_for(
        lambda: request_state(h, number) == expected or None,
        message=f"SP-{number:04d} at {expected}",
    )
