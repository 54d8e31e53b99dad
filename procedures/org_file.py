"""The org file: its schema, and the checks that need no Slack (shape, duplicates, roles).

The format is the contract in design.md. Users are Slack IDs or e-mail addresses; channels are
Slack channel IDs. Unknown keys are errors. Two optional additions the procedures need: a
department's own `channel` (team notices, who-is-out) and a `people` list (a member's own
calendar country and start date, for leave quotas).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

ROLES = ("admin", "finance", "hr", "risk", "quality", "operations", "bot_admin")
# What users read for each role, for domain errors that name one (the catalog's `role.*`
# entries say the same; a unit test keeps them equal).
ROLE_NAMES: dict[str, dict[str, str]] = {
    "admin": {"en": "administration", "zh": "行政"},
    "finance": {"en": "finance", "zh": "财务"},
    "hr": {"en": "HR", "zh": "人力资源"},
    "risk": {"en": "risk management", "zh": "风险管理"},
    "quality": {"en": "quality supervision", "zh": "质量监督"},
    "operations": {"en": "operations management", "zh": "运营管理"},
    "bot_admin": {"en": "Procedo admin", "zh": "Procedo 管理员"},
}
CHANNEL_PURPOSES = (
    "approvals",
    "announcements",
    "admin",
    "hr",
    "finance",
    "risk_alerts",
    "leave",
    "supplies",
    "meetings",
    "operations",
)
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,63}$")]


def _user_ref(value: str) -> str:
    value = value.strip()
    if USER_ID.match(value) or EMAIL.match(value):
        return value
    raise ValueError(f"{value!r} is neither a Slack user ID (U…) nor an e-mail address")


def _channel_ref(value: str) -> str:
    value = value.strip()
    if CHANNEL_ID.match(value):
        return value
    raise ValueError(
        f"{value!r} is not a Slack channel ID (C…/G…; it is shown at the bottom of the "
        "channel's details)"
    )


UserRef = Annotated[str, AfterValidator(_user_ref)]
ChannelRef = Annotated[str, AfterValidator(_channel_ref)]


def _country(value: str) -> str:
    code = value.strip().upper()
    if code not in holidays.list_supported_countries():
        raise ValueError(f"{value!r} is not a country code the holidays calendar knows (e.g. CN)")
    return code


Country = Annotated[str, AfterValidator(_country)]


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{value!r} is not an IANA timezone such as Asia/Shanghai") from exc
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(_Strict):
    en: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    zh: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]

    def pick(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class DepartmentSpec(_Strict):
    id: Slug
    name: Names
    head: UserRef
    director: UserRef | None = None
    members: list[UserRef] = Field(default_factory=list)
    channel: ChannelRef | None = None


class PersonSpec(_Strict):
    user: UserRef
    calendar: Country | None = None
    joined: date | None = None


class RoomSpec(_Strict):
    """A meeting room people can book in `/meeting`."""

    id: Slug
    name: Names
    capacity: Annotated[int, Field(ge=1, le=10000)] | None = None


class OrgFile(_Strict):
    timezone: Annotated[str, AfterValidator(_timezone)] = "Asia/Shanghai"
    calendar: Country = "CN"
    language: Literal["en", "zh"] | None = None
    departments: Annotated[list[DepartmentSpec], Field(min_length=1)]
    # Role names and channel purposes are checked against ROLES / CHANNEL_PURPOSES by the
    # importer, so each unknown one is reported at its own line.
    roles: dict[str, list[UserRef]] = Field(default_factory=dict)
    channels: dict[str, ChannelRef] = Field(default_factory=dict)
    people: list[PersonSpec] = Field(default_factory=list)
    rooms: list[RoomSpec] = Field(default_factory=list)  # optional: bookable meeting rooms
