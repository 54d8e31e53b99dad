"""Issue 12's procedures are listed by `/procedo new` and `/procedo help`, in both languages."""

from __future__ import annotations

from tests.support.harness import Harness


def test_new_and_help_list_the_procedures_in_both_languages(harness: Harness) -> None:
    h = harness
    h.as_("alice").command("/procedo", "new", channel="general")
    en = h.ls.text_of(h.ls.wait_ephemeral("alice", contains="Document sign-off"))
    assert "Budget adjustment" in en
    assert "Project initiation" in en and "Project acceptance" in en
    h.as_("gus").command("/procedo", "language zh", channel="general")
    h.as_("gus").command("/procedo", "new", channel="general")
    zh = h.ls.text_of(h.ls.wait_ephemeral("gus", contains="文件签发"))
    assert "预算调整" in zh
    assert "项目立项" in zh and "项目验收" in zh
    h.as_("gus").command("/procedo", "help", channel="general")
    helped = h.ls.text_of(h.ls.wait_ephemeral("gus", contains="/procedo suggest"))
    assert "/procedo document" in helped and "/procedo budget" in helped
    assert "/procedo project" in helped
    assert "提交合理化建议" in helped
