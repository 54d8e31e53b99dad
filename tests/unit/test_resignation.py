"""Pure parts of resignations: the policy section's limits, the issued-supplies hint on the
admin's task, and the last-day list as Slack shows it (escaped, restricted items by number)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from pydantic import ValidationError

from procedures.modules import Owned
from procedures.resignation.hooks import MAX_LISTED, _holdings_hint
from procedures.resignation.policy import ResignationPolicy
from slackui.i18n import Translator
from slackui.views.resignation import moved_text
from store.models.resignation import ResignationTransfer

AT = datetime(2026, 12, 31, 10, tzinfo=UTC)


def _row(kind: str, ref: str, label: str, label_zh: str | None = None) -> ResignationTransfer:
    return ResignationTransfer(
        request_id=1,
        module="core",
        kind=kind,
        ref=ref,
        label=label,
        label_zh=label_zh,
        leaver="U0ALICE",
        successor="U0ERIN",
        at=AT,
    )


def test_the_section_defaults_and_refuses_a_negative_notice() -> None:
    section = ResignationPolicy()
    assert (section.notice_working_days, section.transfer_at) == (22, time(18, 0))
    assert ResignationPolicy.model_validate({"transfer_at": "09:30"}).transfer_at == time(9, 30)
    with pytest.raises(ValidationError):
        ResignationPolicy.model_validate({"notice_working_days": -1})
    with pytest.raises(ValidationError):
        ResignationPolicy.model_validate({"notice": 30})  # a typo is refused, not ignored


def test_the_hint_lists_issued_supplies_in_both_languages_and_counts_the_rest() -> None:
    items = [Owned("issued", str(n), f"{n} ream A4 paper", f"{n} ream A4纸") for n in range(40)]
    hint = _holdings_hint(items)
    assert hint.en.startswith("Issued to the leaver: 0 ream A4 paper; 1 ream")
    assert hint.en.endswith(f"and {40 - MAX_LISTED} more.")
    assert "已向离职人发放：0 ream A4纸；" in hint.zh and f"另有 {40 - MAX_LISTED} 项" in hint.zh
    assert len(hint.en) < 2000 and len(hint.zh) < 2000  # a Slack hint's limit
    assert _holdings_hint([]).zh == "未向离职人发放办公用品。"


def test_the_list_escapes_user_text_and_shows_a_restricted_item_by_number() -> None:
    rows = [
        _row("risk", "RK-0001", "<!channel> supplier", "供应商"),
        _row("task", "DOC-0001", ""),  # a confidential document: no title
        _row("delegation", "7", "U0CAROL"),
    ]
    en = moved_text(Translator("en"), "RS-0001", "U0ALICE", "U0ERIN", "004 §5.3", rows)
    assert "• Risk owned RK-0001: &lt;!channel&gt; supplier" in en
    assert "• Pending approval or task DOC-0001\n" in en
    assert "• Standing delegation: covering for <@U0CAROL>" in en
    assert "3 item(s) moved to <@U0ERIN> (004 §5.3)" in en
    zh = moved_text(Translator("zh"), "RS-0001", "U0ALICE", "U0ERIN", "004 §5.3", rows)
    assert "• 负责的风险 RK-0001: 供应商" in zh and "已将 3 项移交给 <@U0ERIN>" in zh
    assert "没有需要移交的事项" in moved_text(
        Translator("zh"), "RS-0001", "U0ALICE", "U0ERIN", "004 §5.3", []
    )
