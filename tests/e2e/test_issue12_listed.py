"""Issue 12's procedures are listed by `/procedo new` and `/procedo help`, in both languages."""

from __future__ import annotations

from tests.support.harness import Harness


def test_new_and_help_list_the_procedures_in_both_languages(harness: Harness) -> None:
    h = harness
    h.as_("alice").command("/procedo", "new", channel="general")
    en = h.ls.text_of(h.ls.wait_ephemeral("alice", contains="Document sign-off"))
    assert "Budget adjustment" in en
    assert "Resignation and handover" in en
    assert "Project initiation" in en and "Project acceptance" in en
    h.as_("gus").command("/procedo", "language zh", channel="general")
    h.as_("gus").command("/procedo", "new", channel="general")
    zh = h.ls.text_of(h.ls.wait_ephemeral("gus", contains="文件签发"))
    assert "预算调整" in zh
    assert "离职申请与交接" in zh
    assert "项目立项" in zh and "项目验收" in zh
    h.as_("gus").command("/procedo", "help", channel="general")
    helped = h.ls.text_of(h.ls.wait_ephemeral("gus", contains="/procedo suggest status"))
    assert "/procedo document" in helped and "/procedo budget" in helped
    assert "/procedo project" in helped
    assert "提交合理化建议" in helped
    assert "/procedo resign" in helped and "提交书面离职申请" in helped
    assert "/procedo complaint" in helped and "登记客户投诉" in helped
    h.as_("alice").command("/procedo", "help", channel="general")
    english = h.ls.text_of(h.ls.wait_ephemeral("alice", contains="/procedo complaints"))
    assert "Record a customer complaint" in english


def test_new_offers_the_modules_own_forms_and_not_what_only_a_case_files(harness: Harness) -> None:
    h = harness
    h.as_("alice").command("/procedo", "new", channel="general")
    listed = h.ls.text_of(h.ls.wait_ephemeral("alice", contains="Meeting notice"))
    assert "/procedo new suggestion" in listed and "/procedo new risk" in listed
    assert "/procedo new complaint" in listed
    assert "meeting_action" not in listed  # filed by approved minutes only
    h.as_("alice").command("/procedo", "new suggestion", channel="general")
    h.ls.wait_view("alice", callback_id="suggestions.form")
    h.as_("alice").close_view()
    h.as_("gus").command("/procedo", "language zh", channel="general")
    h.as_("gus").command("/procedo", "new meeting_action", channel="general")
    refused = h.ls.text_of(h.ls.wait_ephemeral("gus", contains="不能直接发起"))
    assert "会议工作任务" in refused and "000 §3.2.2" in refused
    assert h.ls.view("gus") is None
