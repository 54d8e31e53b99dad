"""`procedo parse-date TEXT [--now ISO] [--tz TZ]`: how Procedo reads a date, as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from procedures.dates import DateParseError, parse_when
from procedures.dates.ranges import parse_time_range


def main(
    argv: list[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    default_tz: str = "Asia/Shanghai",
) -> int:
    """`procedo parse-date TEXT [--now ISO] [--tz TZ]`: print the reading as JSON.

    TEXT `-` reads one expression per line from stdin. Exit 1 if any expression was not
    understood (its line is {"error": …}), 2 for a bad --now or --tz.
    """
    parser = argparse.ArgumentParser(
        prog="procedo parse-date", description="Read a date, time or range as JSON."
    )
    parser.add_argument("text", help="the expression, or - to read one per line from stdin")
    parser.add_argument("--now", help="ISO date or datetime to read relative words against")
    parser.add_argument("--tz", default=default_tz, help=f"IANA time zone (default {default_tz})")
    parser.add_argument(
        "--time-range",
        action="store_true",
        help="read a time range on one day, as a meeting's time (2-4pm, 下午2点到4点)",
    )
    args = parser.parse_args(argv)
    out = stdout if stdout is not None else sys.stdout

    def emit(obj: dict[str, str | None]) -> None:
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")

    try:
        zone = ZoneInfo(args.tz)
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        emit({"error": f'Unknown time zone "{args.tz}".'})
        return 2
    if args.now is None:
        now = datetime.now(zone)
    else:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError:
            emit({"error": f'--now "{args.now}" is not an ISO date or datetime.'})
            return 2
        now = now if now.tzinfo is not None else now.replace(tzinfo=zone)

    if args.text == "-":
        source = stdin if stdin is not None else sys.stdin
        texts = [line.strip() for line in source if line.strip()]
    else:
        texts = [args.text]
    status = 0
    for text in texts:
        try:
            if args.time_range:
                emit(parse_time_range(text, now=now, tz=zone).to_json())
            else:
                emit(parse_when(text, now=now, tz=zone).to_json())
        except DateParseError as err:
            emit({"error": str(err)})
            status = 1
    return status
