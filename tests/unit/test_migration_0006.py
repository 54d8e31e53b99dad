"""Migration 0006 moves the Slack state of existing requests into the projection tables (and
back on downgrade): a deploy loses no card, prompt or DM a request already has."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from store.db import make_engine
from store.migrate import downgrade, upgrade

NOW = "2026-11-23 02:00:00+00:00"


def test_existing_slack_state_moves_to_the_projection_and_back(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0005")
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO requests (id, procedure, number, requester, payload, computed, "
                "state, round, step, version, channel, card_ts, card_version, thread_synced, "
                "dm_synced, created_at, updated_at) VALUES (1, 'expense', 1, 'U0ALICE', '{}', "
                "'{}', 'pending', 1, 0, 3, 'C0APPROVALS', '100.1', 3, 7, 6, :now, :now)"
            ),
            {"now": NOW},
        )
        db.execute(
            text(
                "INSERT INTO request_steps (id, request_id, round, position, kind, task, label, "
                "mode, state, prompt_ts, prompt_open, assignment, prompted_assignment) VALUES "
                "(10, 1, 1, 0, 'requester', 'decision', '{}', 'any', 'active', '100.2', 1, 2, 2),"
                "(11, 1, 1, 1, 'role', 'decision', '{}', 'any', 'waiting', NULL, 0, 1, 0)"
            )
        )
        db.execute(
            text(
                "INSERT INTO request_approvers (id, step_id, request_id, user_id, source, active, "
                "dm_channel, dm_ts, dm_open) VALUES "
                "(20, 10, 1, 'U0BOB', 'route', 1, 'D0BOB', '100.3', 1),"
                "(21, 11, 1, 'U0FAY', 'route', 1, NULL, NULL, 0)"
            )
        )
    upgrade(engine)
    with engine.begin() as db:
        card = db.execute(text("SELECT * FROM slack_request_messages")).mappings().all()
        prompts = db.execute(text("SELECT * FROM slack_step_prompts")).mappings().all()
        dms = db.execute(text("SELECT * FROM slack_approver_dms")).mappings().all()
        columns = {row[1] for row in db.execute(text("PRAGMA table_info(requests)"))}
    assert [dict(r) for r in card] == [
        {
            "request_id": 1,
            "channel": "C0APPROVALS",
            "card_ts": "100.1",
            "card_version": 3,
            "thread_synced": 7,
            "dm_synced": 6,
        }
    ]
    assert [
        (r["step_id"], r["prompt_ts"], r["prompt_open"], r["prompted_assignment"]) for r in prompts
    ] == [(10, "100.2", 1, 2)]
    assert [(r["approver_id"], r["dm_channel"], r["dm_ts"], r["dm_open"]) for r in dms] == [
        (20, "D0BOB", "100.3", 1)
    ]
    assert not columns & {"channel", "card_ts", "card_version", "thread_synced", "dm_synced"}

    downgrade(engine, "0005")
    with engine.begin() as db:
        back = db.execute(text("SELECT channel, card_ts, thread_synced FROM requests")).one()
        step = db.execute(text("SELECT prompt_ts FROM request_steps WHERE id = 10")).one()
        dm = db.execute(text("SELECT dm_ts FROM request_approvers WHERE id = 20")).one()
    assert tuple(back) == ("C0APPROVALS", "100.1", 7)
    assert (step[0], dm[0]) == ("100.2", "100.3")
    engine.dispose()
