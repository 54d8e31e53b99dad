"""The month's complaints as CSV: one row per complaint, UTF-8 with a byte-order mark so that
Excel and LibreOffice read the Chinese, and text that would start a formula kept as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A customer's "=HYPERLINK(…)" must not run when someone opens the file.
    return f"'{text}" if text.startswith(_FORMULA) else text


def to_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(h) for h in header])
    writer.writerows([cell(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
