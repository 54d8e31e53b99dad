"""The register as CSV: UTF-8 with a byte-order mark (Excel opens Chinese correctly), and
cells that would start a spreadsheet formula are prefixed so they stay text."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    # Text a person typed: `=HYPERLINK(...)` must not run when the auditor opens the file.
    return f"'{text}" if text.startswith(FORMULA_START) else text


def to_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
