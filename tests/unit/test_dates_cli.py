"""`procedo parse-date`: the JSON contract, standard input, errors and options."""

from __future__ import annotations

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.dates_cli import main

SHANGHAI = ZoneInfo("Asia/Shanghai")


def run(argv: list[str], stdin: str = "") -> tuple[int, list[dict[str, str | None]]]:
    out = io.StringIO()
    status = main(argv, stdin=io.StringIO(stdin), stdout=out)
    return status, [json.loads(line) for line in out.getvalue().splitlines()]


def test_cli_single() -> None:
    status, lines = run(["下周一至周三", "--now", "2026-11-21T10:00:00+08:00"])
    assert status == 0
    assert lines == [
        {"start": "2026-11-23", "end": "2026-11-25", "start_half": None, "end_half": None}
    ]


def test_cli_keeps_chinese_unescaped() -> None:
    out = io.StringIO()
    assert main(["blorp到明天", "--now", "2026-11-21"], stdout=out) == 1
    assert "blorp" in out.getvalue()
    assert "\\u" not in out.getvalue()


def test_cli_now_without_offset_is_in_tz_and_a_date_is_midnight() -> None:
    status, lines = run(["2小时后", "--now", "2026-11-21T10:00", "--tz", "Europe/London"])
    assert (status, lines[0]["start"]) == (0, "2026-11-21T12:00:00+00:00")
    status, lines = run(["in 2 hours", "--now", "2026-11-21"])
    assert (status, lines[0]["start"]) == (0, "2026-11-21T02:00:00+08:00")


def test_cli_default_now_and_tz() -> None:
    status, lines = run(["today"])
    assert status == 0
    assert lines[0]["start"] == datetime.now(SHANGHAI).date().isoformat()


def test_cli_stdin() -> None:
    text = "tomorrow\n\n  明天下午2点到4点  \nblorp\n12月1日下午到12月3日\n"
    status, lines = run(["-", "--now", "2026-11-21T10:00:00+08:00"], stdin=text)
    assert status == 1  # one line failed, and every line was still printed
    assert lines == [
        {"start": "2026-11-22", "end": "2026-11-22", "start_half": None, "end_half": None},
        {
            "start": "2026-11-22T14:00:00+08:00",
            "end": "2026-11-22T16:00:00+08:00",
            "start_half": None,
            "end_half": None,
        },
        {"error": 'Could not understand "blorp" as a date.'},
        {"start": "2026-12-01", "end": "2026-12-03", "start_half": "pm", "end_half": None},
    ]


def test_cli_stdin_all_good() -> None:
    status, lines = run(["-", "--now", "2026-11-21"], stdin="dec 3\n周五\n")
    assert status == 0
    assert [line["start"] for line in lines] == ["2026-12-03", "2026-11-27"]


def test_cli_error() -> None:
    status, lines = run(["2026-02-30", "--now", "2026-11-21"])
    assert status == 1
    assert lines == [{"error": '"2026-02-30" is not a real date or time.'}]


@pytest.mark.parametrize("argv", [["today", "--tz", "Mars/Base"], ["today", "--now", "soon"]])
def test_cli_bad_options(argv: list[str]) -> None:
    status, lines = run(argv)
    assert status == 2
    assert "error" in lines[0]
