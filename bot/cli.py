"""The `procedo` command line: serve, socket, clock, local, migrate, org import, policy check,
prompts export, parse-date. Each failure the operator can fix prints one clear line and exits
non-zero."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings, SettingsError, load_database_settings, load_settings
from procedures.yaml_source import SourceError
from scheduler.single import ClockAlreadyRunning
from store.db import DatabaseUnavailable
from store.migrate import SchemaBehind

log = logging.getLogger("procedo")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="procedo", description="Your company's operations regulations, executable in Slack."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("serve", help="serve Slack over HTTP (production: gunicorn, threads)")
    sub.add_parser("socket", help="connect to Slack with Socket Mode (development)")
    sub.add_parser("clock", help="run the scheduler that delivers due reminders and prompts")
    local = sub.add_parser(
        "local", help="bot + local Slack workspace + demo org, in a browser (or a terminal)"
    )
    local.add_argument(
        "--home",
        type=Path,
        default=None,
        help="where the database and the workspace are kept "
        "(default: $XDG_DATA_HOME/procedo, else ~/.local/share/procedo)",
    )
    local.add_argument(
        "--db", type=Path, default=None, help="the SQLite file (default: procedo-local.db there)"
    )
    local.add_argument(
        "--user", default=None, help="who you are at the start in --terminal (default: alice)"
    )
    local.add_argument(
        "--fresh", action="store_true", help="start over: forget the last run's data and messages"
    )
    local.add_argument(
        "--terminal", action="store_true", help="a text client in this terminal, not a web page"
    )
    sub.add_parser("migrate", help="bring the database schema up to date")
    org = sub.add_parser("org", help="the org directory")
    org_sub = org.add_subparsers(dest="org_command", required=True, metavar="ACTION")
    org_import = org_sub.add_parser("import", help="import the org file (all or nothing)")
    org_import.add_argument("file", type=Path)
    policy = sub.add_parser("policy", help="the policy file")
    policy_sub = policy.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    check = policy_sub.add_parser("check", help="validate a policy file and print its procedures")
    check.add_argument("file", type=Path, nargs="?")
    prompts = sub.add_parser("prompts", help="periodic prompts")
    prompts_sub = prompts.add_subparsers(dest="prompts_command", required=True, metavar="ACTION")
    export = prompts_sub.add_parser("export", help="write a period's answers to a prompt as CSV")
    export.add_argument("prompt")
    export.add_argument("period", help="the period, e.g. 2026-11-25 (see /procedo answers)")
    export.add_argument("--out", type=Path, help="a file to write (default: standard output)")
    parse_date = sub.add_parser("parse-date", help="show how a date expression is understood")
    parse_date.add_argument("text")
    parse_date.add_argument("--now")
    parse_date.add_argument("--tz")
    _module_commands(sub)
    return parser


def _module_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`procedo <module> <command>`: what procedure modules offer operators (a catalogue
    import, an export), each declared by its module (`ProcedureModule.cli`)."""
    from bot.modules import MODULES

    for module in MODULES:
        if not module.cli:
            continue
        group = sub.add_parser(module.name, help=f"the {module.name} procedure")
        actions = group.add_subparsers(dest="module_command", required=True, metavar="ACTION")
        for command in module.cli:
            parser = actions.add_parser(command.name, help=command.help)
            command.configure(parser)
            parser.set_defaults(module_cli=command)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # slack_sdk logs request details at DEBUG; keep tokens out of any log.
    logging.getLogger("slack_sdk").setLevel(logging.WARNING)
    logging.getLogger("slack_bolt").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        return _dispatch(args)
    except SettingsError as exc:
        print(f"procedo: {exc}", file=sys.stderr)
        return 2
    except SchemaBehind as exc:
        print(f"procedo: {exc}", file=sys.stderr)
        return 3
    except DatabaseUnavailable as exc:
        print(f"procedo: {exc}", file=sys.stderr)
        return 4
    except SourceError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    except ClockAlreadyRunning as exc:
        print(f"procedo: {exc}", file=sys.stderr)
        return 5
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    command: str = args.command
    if command == "parse-date":
        from bot import dates_cli

        argv = [args.text]
        if args.now:
            argv += ["--now", args.now]
        if args.tz:
            argv += ["--tz", args.tz]
        tz = args.tz or _timezone_setting()
        return dates_cli.main(argv, default_tz=tz)
    if command == "migrate":
        return _migrate()
    if command == "local":
        from bot.local import data_dir, run_local

        home = args.home or data_dir()
        return run_local(
            home=home, db=args.db, user=args.user, fresh=args.fresh, terminal=args.terminal
        )
    if command == "policy":
        import os

        from bot.policy_cli import check_policy

        return check_policy(
            args.file or _policy_setting(), database_url=os.environ.get("DATABASE_URL")
        )
    if getattr(args, "module_cli", None) is not None:
        return _module_cli(args)
    settings = load_settings()
    if command == "org":
        return _org_import(settings, args.file)
    if command == "prompts":
        from bot.prompts_cli import export

        return export(settings, args.prompt, args.period, args.out)
    if command == "serve":
        from bot.run import serve

        return serve(settings)
    if command == "socket":
        from bot.run import socket_mode

        return socket_mode(settings)
    if command == "clock":
        from bot.run import clock

        return clock(settings)
    raise AssertionError(command)


def _timezone_setting() -> str:
    import os

    return os.environ.get("PROCEDO_TIMEZONE", "Asia/Shanghai")


def _policy_setting() -> Path | None:
    import os

    value = os.environ.get("PROCEDO_POLICY")
    return Path(value) if value else None


def _migrate() -> int:
    from store.db import ensure_reachable, make_engine
    from store.migrate import upgrade

    settings = load_database_settings()
    engine = make_engine(settings.database_url)
    try:
        ensure_reachable(engine)
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    where = settings.database_url_masked
    if before == after:
        print(f"{where}: already up to date (revision {after})")
    else:
        print(f"{where}: migrated {before or 'empty'} → {after}")
    return 0


def _module_cli(args: argparse.Namespace) -> int:
    from bot.modules import load_policy
    from handlers.modules import CliEnv
    from procedures.clock import SystemClock
    from store.db import ensure_reachable, make_sessions
    from store.migrate import ensure_current

    settings = load_database_settings()
    sessions = make_sessions(settings.database_url)
    try:
        ensure_reachable(sessions.engine)
        ensure_current(sessions.engine)
        env = CliEnv(sessions=sessions, clock=SystemClock(), policy=load_policy(_policy_setting()))
        code: int = args.module_cli.run(args, env)
        return code
    finally:
        sessions.dispose()


def _org_import(settings: Settings, path: Path) -> int:
    from bot.org import import_org_file
    from bot.slack_client import make_client
    from bot.slack_lookup import SlackUnavailable, WebApiLookup
    from procedures.clock import SystemClock
    from store.db import ensure_reachable, make_sessions
    from store.migrate import ensure_current

    if not path.is_file():
        print(f"procedo: no such file: {path}", file=sys.stderr)
        return 2
    clock = SystemClock()
    sessions = make_sessions(settings.database_url)
    ensure_reachable(sessions.engine)
    ensure_current(sessions.engine)
    client = make_client(settings.slack_bot_token.get_secret_value(), settings.slack_api_url, clock)
    try:
        changes = import_org_file(path, sessions=sessions, slack=WebApiLookup(client), clock=clock)
    except SlackUnavailable as exc:
        print(f"procedo: {exc}; nothing was changed", file=sys.stderr)
        return 2
    except SourceError as exc:
        print(exc.render() + "\nNothing was changed.", file=sys.stderr)
        return 1
    finally:
        sessions.dispose()
    if not changes:
        print(f"{path}: no changes")
    else:
        print(f"{path}: {len(changes)} change{'s' if len(changes) != 1 else ''} applied:")
        for change in changes:
            print(f"  {change}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
