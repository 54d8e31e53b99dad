"""CSV files that people open in Excel or LibreOffice: UTF-8 with a byte-order mark (so the
Chinese reads right), CRLF lines, and every cell that would start a formula kept as text — a
name or reason someone typed as `=HYPERLINK(…)` must not run when an auditor opens the file."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")  # −60000.00 runs nothing: it stays a number


def safe_cell(value: object) -> str:
    """Text as text; a number (a negative quantity, a variance of -3.5) stays a number."""
    text = "" if value is None else str(value)
    if not text.startswith(FORMULA_START) or _NUMBER.fullmatch(text):
        return text
    return f"'{text}"


def to_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
