"""The `projects:` section of the policy."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from procedures.org_file import CHANNEL_PURPOSES
from procedures.policy.common import Strict


def _purpose(value: str | None) -> str | None:
    if value is not None and value not in CHANNEL_PURPOSES:
        raise ValueError(f"channel purpose {value!r} does not exist")
    return value


class ProjectsPolicy(Strict):
    # The task letter goes to the lead and each team member by DM, and to this channel too.
    letter_channel: Annotated[str | None, AfterValidator(_purpose)] = "announcements"
