"""The `/supply` quick path: quantity, item in either language, purpose."""

from __future__ import annotations

import pytest

from procedures.errors import InvalidInput
from procedures.supplies.quick import Candidate, clean, parse_quick, zh_number

ITEMS = [
    Candidate(1, ("A4 paper", "A4纸", "PAPER-A4")),
    Candidate(2, ("Stapler", "订书机", "STAPLER")),
    Candidate(3, ("Staples", "订书钉", "STAPLES")),
    Candidate(4, ("Battery", "电池")),
]


@pytest.mark.parametrize(
    ("text", "quantity", "item", "purpose"),
    [
        ("2 A4纸 打印合同", 2, 1, "打印合同"),
        ("3 staplers for the new hires", 3, 2, "for the new hires"),
        ("两包A4纸 打印", 2, 1, "打印"),
        ("十二 订书钉 仓库", 12, 3, "仓库"),
        ("A4 paper 2 reams of for printing", 2, 1, "for printing"),
        ("4 batteries for the mice", 4, 4, "for the mice"),
        ("1 paper-a4 urgent", 1, 1, "urgent"),
    ],
)
def test_quantity_item_and_purpose(text: str, quantity: int, item: int, purpose: str) -> None:
    quick = parse_quick(text, ITEMS)
    assert (quick.quantity, quick.item_id, quick.purpose) == (quantity, item, purpose)


def test_an_unknown_item_is_kept_as_typed() -> None:
    quick = parse_quick("2 widgets for the demo", ITEMS)
    assert (quick.item_id, quick.text, quick.purpose) == (None, "widgets", "for the demo")


@pytest.mark.parametrize("text", ["A4纸 打印", "some staplers please", "0 staplers"])
def test_no_usable_quantity_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_quick(text, ITEMS)


def test_chinese_numerals() -> None:
    assert [zh_number(x) for x in ("一", "两", "十", "十五", "二十", "一百零五")] == [
        1,
        2,
        10,
        15,
        20,
        105,
    ]


def test_control_characters_are_dropped() -> None:
    assert clean("a\x00b\x1fc\n", 10) == "abc"
