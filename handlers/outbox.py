"""Messages that must not be lost, queued as `slack.post` jobs.

Queue them in the transaction that caused them (`queue_posts`), and after the commit hand the
ids to `Deps.after_commit`: they go out at once when Slack answers and from the clock when it
does not, paced per channel and never twice for one dedupe key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from store import jobs
from store.jobs import ClaimedJob

if TYPE_CHECKING:
    from handlers.deps import Deps

POST = "slack.post"


@dataclass(frozen=True)
class Post:
    channel: str  # a channel ID, or a user ID for a DM
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    key: str | None = None  # dedupe key: the same key is never posted twice
    thread_ts: str | None = None


def queue_posts(session: Session, now: datetime, posts: Sequence[Post]) -> list[int | None]:
    return [
        jobs.schedule(
            session,
            kind=POST,
            due_at=now,
            now=now,
            payload={
                "channel": post.channel,
                "text": post.text,
                "blocks": post.blocks,
                "thread_ts": post.thread_ts,
            },
            dedupe_key=post.key,
        )
        for post in posts
    ]


def schedule_posts(deps: Deps, posts: Sequence[Post]) -> list[int | None]:
    with deps.sessions.begin() as session:
        return queue_posts(session, deps.clock.now(), posts)


def register(deps: Deps) -> None:
    def post(job: ClaimedJob) -> None:
        payload = job.payload
        deps.deliver.post(
            payload["channel"],
            text=payload["text"],
            blocks=payload.get("blocks") or None,
            thread_ts=payload.get("thread_ts"),
        )

    deps.jobs.register(POST, post)
