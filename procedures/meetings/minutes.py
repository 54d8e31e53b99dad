"""Minutes (会议纪要): the action items written in them, one a line as `what | owner | due`,
read into tasks with an owner in the org and a due date (明确工作任务和责任人)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from procedures.dates import DateParseError, parse_when
from procedures.errors import InvalidInput

MAX_ITEMS = 30
SEPARATOR = re.compile(r"\s*[|｜]\s*")
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True)
class ActionItem:
    task: str
    owner: str
    due: date

    def to_json(self) -> dict[str, str]:
        return {"task": self.task, "owner": self.owner, "due": self.due.isoformat()}


def parse_actions(
    text: str | None,
    *,
    now: datetime,
    tz: ZoneInfo,
    find_user: Callable[[str], str | None],
    check_past: bool = True,
) -> list[ActionItem]:
    """Each non-empty line is one item; a line that cannot be read is refused with its number."""
    items: list[ActionItem] = []
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_ITEMS:
        raise InvalidInput("meetings.error.actions_many", field="actions", max=MAX_ITEMS)
    for number, line in enumerate(lines, start=1):
        parts = SEPARATOR.split(line)
        if len(parts) != 3 or not all(parts):
            raise InvalidInput("meetings.error.action_line", field="actions", line=number)
        task, who, due_text = parts
        mention = MENTION.match(who)
        owner = mention.group(1) if mention else find_user(who.lstrip("@"))
        if owner is None:
            raise InvalidInput(
                "meetings.error.action_owner", field="actions", line=number, name=who[:40]
            )
        try:
            when = parse_when(due_text, now=now, tz=tz)
        except DateParseError:
            raise InvalidInput(
                "meetings.error.action_due", field="actions", line=number, date=due_text[:40]
            ) from None
        due = when.end.date() if isinstance(when.end, datetime) else when.end
        if check_past and due < now.astimezone(tz).date():
            raise InvalidInput(
                "meetings.error.action_due_past", field="actions", line=number, date=due_text[:40]
            )
        items.append(ActionItem(task[:300], owner, due))
    return items
