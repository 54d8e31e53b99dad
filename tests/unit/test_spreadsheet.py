"""Every CSV the bot sends is built by procedures.spreadsheet: BOM, CRLF, formulas as text."""

from __future__ import annotations

import csv
import io

from procedures.spreadsheet import to_csv


def test_a_csv_opens_as_utf8_and_runs_nothing_anyone_typed() -> None:
    typed = '=HYPERLINK("http://x")'
    data = to_csv(["名字", "note"], [["张三", typed], [None, "-1.5"], ["ok", -3], ["", "-1+1"]])
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["名字", "note"] and rows[1] == ["张三", f"'{typed}"]
    assert rows[2:] == [["", "-1.5"], ["ok", "-3"], ["", "'-1+1"]]
