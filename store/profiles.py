"""The per-user profile cache (Slack's locale and timezone) and the user's language choice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from store.models import UserProfile


def get(session: Session, user_id: str) -> UserProfile | None:
    return session.get(UserProfile, user_id)


def _upsert(session: Session, user_id: str, values: dict[str, Any]) -> None:
    """Insert or update one profile in one statement: two requests from a new user at once
    must not both try to insert it."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(UserProfile).values(user_id=user_id, **values)
    session.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=values))


def save_from_slack(session: Session, user: dict[str, Any], fetched_at: datetime) -> None:
    """Store what `users.info` said, keeping the user's own language choice."""
    profile = user.get("profile") or {}
    _upsert(
        session,
        user["id"],
        {
            "name": user.get("name"),
            "real_name": user.get("real_name") or profile.get("real_name"),
            "email": profile.get("email"),
            "locale": user.get("locale"),
            "tz": user.get("tz"),
            "fetched_at": fetched_at,
        },
    )


def set_language(session: Session, user_id: str, language: str | None) -> None:
    _upsert(session, user_id, {"language": language})
