"""Domain errors: what went wrong, as a catalog key and its parameters.

Procedures raise these; the bot's one error handler turns them into a short ephemeral message
in the user's language. They never carry Slack or SQL details.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """An error the user caused and can fix; `key` names its text in the catalog."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r}, {self.params!r})"


class NotAllowed(DomainError):
    """The user may not do this (not an approver, not a bot admin, ...)."""


class NotFound(DomainError):
    """The thing named does not exist (or the user may not know it does)."""


class Conflict(DomainError):
    """Someone else got there first, or the state moved on."""


class InvalidInput(DomainError):
    """What the user typed or picked cannot be used; `field` names the form field if any."""

    def __init__(self, key: str, /, *, field: str | None = None, **params: Any) -> None:
        super().__init__(key, **params)
        self.field = field
