"""The workspace survives a restart: what a person saw is there again, and new ids go on."""

from __future__ import annotations

from pathlib import Path

from localslack import LocalSlack, persist
from localslack.records import FileRecord
from procedures.clock import FakeClock


def test_messages_homes_files_and_ids_come_back(ls: LocalSlack, tmp_path: Path) -> None:
    ws = ls.ws
    root = ws.add_message("C0GENERAL", ls.bot_user_id, "Request *7*", [{"type": "divider"}])
    reply = ws.add_message("C0GENERAL", "U0BOB", "looks fine", thread_ts=root.ts)
    ws.add_ephemeral("U0BOB", "C0GENERAL", "only you", None, "chat.postEphemeral")
    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
    }
    ls.web_client().views_publish(user_id="U0BOB", view=home)
    record = FileRecord(
        id=ws.ids.file_id(),
        name="map.png",
        title="map",
        user=ls.bot_user_id,
        mimetype="image/png",
        size=3,
        content=b"\x89PN",
        created=ws.now(),
        uploaded=True,
    )
    ws.put_file(record)
    path = tmp_path / "state" / "workspace.json"
    persist.save(ws, path)

    restored = LocalSlack(clock=FakeClock(ws.now()))
    assert persist.load(restored.ws, path)
    again = restored.ws
    assert [m.text for m in again.messages["C0GENERAL"]] == ["Request *7*", "looks fine"]
    assert again.replies_of("C0GENERAL", root.ts)[0].ts == reply.ts
    assert again.ephemerals[0].text == "only you"
    home_again = restored.home("U0BOB")
    assert home_again is not None and home_again.blocks[0]["type"] == "section"
    assert (
        again.files[record.id].content == b"\x89PN"
        and again.files[record.id].created == record.created
    )
    assert again.channels["C0GENERAL"].members == ws.channels["C0GENERAL"].members
    later = again.add_message("C0GENERAL", "U0BOB", "next")
    assert float(later.ts) > float(reply.ts) and again.ids.file_id() != record.id


def test_nothing_to_load_the_first_time(tmp_path: Path) -> None:
    assert not persist.load(LocalSlack().ws, tmp_path / "missing.json")


def test_autosave_writes_after_a_change_and_on_stop(ls: LocalSlack, tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    saver = persist.Autosave(ls.ws, path, interval=0.05).start()
    ls.ws.add_message("C0GENERAL", "U0BOB", "kept")
    saver.stop()
    restored = LocalSlack()
    persist.load(restored.ws, path)
    assert [m.text for m in restored.ws.messages["C0GENERAL"]] == ["kept"]
