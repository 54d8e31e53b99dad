"""`procedo supplies import FILE` and `procedo supplies export ledger|consumption`, and the
demo catalogue `procedo local` loads."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from handlers.modules import CliCommand, CliEnv
from procedures.clock import Clock
from procedures.supplies import catalogue, queries
from procedures.yaml_source import SourceError
from store import supplies_repo
from store.db import Sessions
from store.directory import Directory


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the catalogue: YAML, or CSV with a header row")


def run_import(args: argparse.Namespace, env: CliEnv) -> int:
    path: Path = args.file
    if not path.is_file():
        print(f"procedo: no such file: {path}", file=sys.stderr)
        return 2
    try:
        text = path.read_text(encoding="utf-8")
        changes = import_catalogue(text, path.name, env.sessions, env.clock, "cli")
    except SourceError as exc:
        print(exc.render() + "\nNothing was changed.", file=sys.stderr)
        return 1
    if not changes:
        print(f"{path}: no changes")
    else:
        print(f"{path}: {len(changes)} change{'s' if len(changes) != 1 else ''} applied:")
        for change in changes:
            print(f"  {change}")
    return 0


def import_catalogue(
    text: str, source: str, sessions: Sessions, clock: Clock, actor: str
) -> list[catalogue.Change]:
    rows = catalogue.parse(text, source)
    with sessions.begin() as session:
        return catalogue.apply(session, rows, actor=actor, at=clock.now(), source=source)


def _configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=("ledger", "consumption"), help="which CSV to write")
    parser.add_argument("-o", "--output", type=Path, help="the file to write (default: stdout)")


def run_export(args: argparse.Namespace, env: CliEnv) -> int:
    with env.sessions.read() as session:
        org = Directory(session).org()
        zone = ZoneInfo(org.timezone if org else "Asia/Shanghai")
        export = queries.ledger_csv if args.what == "ledger" else queries.consumption_csv
        content = export(session, env.policy, zone)
    if args.output:
        args.output.write_bytes(content)
        print(f"{args.output}: written")
    else:
        sys.stdout.write(content.decode("utf-8"))
    return 0


def load_demo(sessions: Sessions, clock: Clock) -> None:
    """`procedo local`: the demo catalogue, the first time (a kept database keeps its stock)."""
    with sessions.read() as session:
        if supplies_repo.items(session):
            return
    import_catalogue(
        catalogue.DEMO.read_text(encoding="utf-8"),
        "demo catalogue",
        sessions,
        clock,
        "procedo local",
    )


CLI = (
    CliCommand(
        "import", "import the supplies catalogue (all or nothing)", _configure_import, run_import
    ),
    CliCommand(
        "export",
        "write the stock ledger or consumption per department as CSV",
        _configure_export,
        run_export,
    ),
)
