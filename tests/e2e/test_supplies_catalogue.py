"""`procedo supplies import FILE`: YAML or CSV, all or nothing with every problem at its line;
a re-import applies a printed, audited diff; the opening stock enters the ledger once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from bot.cli import main
from procedures.supplies import catalogue
from procedures.supplies.stock import balances
from procedures.yaml_source import SourceError
from store import supplies_repo
from store.db import Sessions
from store.models import AuditEntry

CSV = """\
sku,name_en,name_zh,spec,unit,category,reorder_level,opening_stock,per_request_limit
PAPER-A4,A4 paper,A4纸,"80 g, 500 sheets",ream,paper,5,12,
PEN,Gel pen,中性笔,0.5 mm,支,writing,20,60,20
"""


def run(monkeypatch: pytest.MonkeyPatch, db_url: str, *args: str) -> int:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return main(["supplies", *args])


def test_csv_import_then_an_edited_reimport_is_a_printed_audited_diff(
    tmp_path: Path,
    db_url: str,
    sessions: Sessions,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "catalogue.csv"
    path.write_text(CSV, encoding="utf-8")
    assert run(monkeypatch, db_url, "import", str(path)) == 0
    out = capsys.readouterr().out
    assert "2 changes applied" in out and "+ item paper-a4: A4 paper / A4纸" in out
    with sessions.begin() as session:
        items = {i.sku: i for i in supplies_repo.items(session)}
        stock = balances(session)
        assert stock[items["PAPER-A4"].id].on_hand == 12
        assert items["PEN"].per_request_limit == 20
    assert run(monkeypatch, db_url, "import", str(path)) == 0
    assert "no changes" in capsys.readouterr().out
    # Edited: the pen's reorder level, and the A4 paper is gone (discontinued, not deleted).
    path.write_text(
        CSV.splitlines()[0] + "\nPEN,Gel pen,中性笔,0.5 mm,支,writing,10,60,20\n", encoding="utf-8"
    )
    assert run(monkeypatch, db_url, "import", str(path)) == 0
    out = capsys.readouterr().out
    assert "~ item pen: reorder_level 20 → 10" in out
    assert "- item paper-a4: discontinued" in out
    with sessions.begin() as session:
        items = {i.sku: i for i in supplies_repo.items(session)}
        assert items["PAPER-A4"].discontinued and items["PEN"].reorder_level == 10
        actions = list(
            session.scalars(
                select(AuditEntry.action).where(AuditEntry.subject_type == "supply_item")
            )
        )
    assert actions.count("supplies.item_added") == 2
    assert "supplies.item_changed" in actions and "supplies.item_discontinued" in actions


def test_every_problem_is_listed_at_its_line_and_nothing_changes(
    tmp_path: Path,
    db_url: str,
    sessions: Sessions,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "catalogue.csv"
    path.write_text(
        CSV
        + "X1,Eraser,橡皮,,块,desk,-1,3,\n"  # line 4: negative reorder level
        + "X2,Ruler,,30 cm,把,desk,1,two,\n"  # line 5: no Chinese name, opening not a number
        + "PEN,Pen again,笔,,支,writing,1,1,\n",  # line 6: the pen twice
        encoding="utf-8",
    )
    assert run(monkeypatch, db_url, "import", str(path)) == 1
    err = capsys.readouterr().err
    assert "catalogue.csv:4: reorder_level" in err
    assert "catalogue.csv:5: name_zh" in err and "catalogue.csv:5: opening_stock" in err
    assert "catalogue.csv:6: pen: item listed twice (line 3)" in err
    assert "Nothing was changed." in err
    with sessions.begin() as session:
        assert supplies_repo.items(session) == []


def test_a_missing_column_and_yaml_problems_are_at_their_lines() -> None:
    with pytest.raises(SourceError) as caught:
        catalogue.parse("name_en,name_zh,unit\nA,甲,个\n", "c.csv")
    assert "missing columns: spec, category, reorder_level, opening_stock" in str(caught.value)
    yaml_text = (
        "items:\n  - name_en: A\n    name_zh: 甲\n    unit: 个\n    category: x\n"
        "    reorder_level: 1\n    opening_stock: 1\n    colour: red\n"
    )
    with pytest.raises(SourceError) as caught:
        catalogue.parse(yaml_text, "c.yml")
    assert caught.value.problems[0].line == 8


def test_the_opening_stock_is_entered_once(sessions: Sessions) -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 23, tzinfo=UTC)
    rows = catalogue.parse(CSV, "c.csv")
    with sessions.begin() as session:
        catalogue.apply(session, rows, actor="t", at=now, source="c.csv")
    changed = catalogue.parse(CSV.replace(",5,12,", ",5,15,"), "c.csv")
    refused = pytest.raises(SourceError, match="opening stock is recorded as 12 already")
    with refused, sessions.begin() as session:
        catalogue.apply(session, changed, actor="t", at=now, source="c.csv")


def test_the_ledger_refuses_updates_and_deletes(sessions: Sessions) -> None:
    from datetime import UTC, datetime

    rows = catalogue.parse(CSV, "c.csv")
    with sessions.begin() as session:
        catalogue.apply(session, rows, actor="t", at=datetime(2026, 11, 23, tzinfo=UTC), source="c")
    for statement in ("UPDATE supply_ledger SET quantity = 99", "DELETE FROM supply_ledger"):
        with pytest.raises(DBAPIError, match="append-only"), sessions.begin() as session:
            session.execute(text(statement))


def test_the_bundled_demo_catalogue_is_valid() -> None:
    rows = catalogue.parse(catalogue.DEMO.read_text(encoding="utf-8"), "demo.yml")
    assert len(rows) >= 8 and {spec.unit for _, spec in rows} >= {"ream", "盒", "支"}


def test_export_writes_the_ledger_as_csv(
    tmp_path: Path, db_url: str, sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalogue.csv"
    path.write_text(CSV, encoding="utf-8")
    assert run(monkeypatch, db_url, "import", str(path)) == 0
    out = tmp_path / "ledger.csv"
    assert run(monkeypatch, db_url, "export", "ledger", "-o", str(out)) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("id,at,kind,quantity,sku")
    assert ",opening,12,PAPER-A4,A4 paper,A4纸,ream," in text
