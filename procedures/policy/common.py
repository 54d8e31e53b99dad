"""Building blocks shared by every part of the policy file."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from procedures.org_file import ROLES

# The languages users read; slackui.i18n.Lang is the same type (procedures do not import slackui).
Lang = Literal["en", "zh"]

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,47}$")]


class Strict(BaseModel):
    """Policy models refuse unknown keys: a typo must fail the check, not silently vanish."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in both languages."""

    en: Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
    zh: Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

    def pick(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"role {role!r} does not exist; roles: {', '.join(ROLES)}")
    return role
