"""Document number patterns (发文字号): rendering, and the policy refusing a pattern that could
repeat (no {seq} or {year}) or names what it cannot fill."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from procedures.documents.numbering import DocumentsPolicy, render


def test_the_pattern_fills_department_year_and_sequence() -> None:
    assert render("{dept}〔{year}〕{seq}号", year=2026, seq=12, dept="行政") == "行政〔2026〕12号"
    assert render("制度〔{year}〕{seq}号", year=2027, seq=1, dept="运营") == "制度〔2027〕1号"


def test_a_type_may_have_its_own_pattern() -> None:
    policy = DocumentsPolicy.model_validate(
        {"types": {"notice": {}, "policy": {"pattern": "制度〔{year}〕{seq}号"}}}
    )
    assert policy.pattern_for("notice") == "{dept}〔{year}〕{seq}号"
    assert policy.pattern_for("policy") == "制度〔{year}〕{seq}号"


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        ("{dept}〔{year}〕号", "{seq}"),
        ("{dept}〔2026〕{seq}号", "{year}"),
        ("{dept}〔{year}〕{seq}{seq}号", "{seq}"),
        ("{team}〔{year}〕{seq}号", "team"),
        ("{dept}〔{year}〕{seq}号}", "unmatched"),
        ("{0}〔{year}〕{seq}号", "0"),
    ],
)
def test_a_bad_pattern_is_refused_with_what_is_wrong(pattern: str, says: str) -> None:
    with pytest.raises(ValidationError, match=says.replace("{", r"\{").replace("}", r"\}")):
        DocumentsPolicy.model_validate({"pattern": pattern})
