"""A procedure's form as declared in the policy file: one entry per field.

The declaration is the single source for the modal (bot/views/forms.py), the validation of a
submission and the normalized payload (procedures/forms.py) and the values shown on cards.
Attributes that do not apply to a field's type are errors, not silently ignored: an operator
who writes `max_days` on a date field believes it is enforced.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, field_validator, model_validator

from procedures.policy.common import Strict, Text

# fmt: off
FieldType = Literal[
    "text", "long_text", "number", "money", "date", "date_range",
    "select", "user", "users", "channel", "file",
]
# fmt: on

SLACK_TEXT_CAP = 3000  # plain_text_input max_length
SLACK_MAX_FILES = 10  # file_input max_files
SLACK_MAX_OPTIONS = 100  # static_select options
# A modal holds 100 blocks; leave the procedure's own blocks (intro, notes) some room.
MAX_FORM_BLOCKS = 90

FieldId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
OptionValue = Annotated[str, StringConstraints(min_length=1, max_length=150, pattern=r"^[^|]+$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
FileType = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]{1,16}$")]

# Which attributes mean something for which types. `required`, `label`, `hint` and
# `placeholder` apply to all (a file's placeholder goes on its link input).
_APPLIES: dict[str, frozenset[str]] = {
    "min": frozenset({"number", "money"}),
    "max": frozenset({"number", "money"}),
    "decimals": frozenset({"number", "money"}),
    "min_length": frozenset({"text", "long_text"}),
    "max_length": frozenset({"text", "long_text"}),
    "options": frozenset({"select"}),
    "currencies": frozenset({"money"}),
    "half_days": frozenset({"date_range"}),
    "max_days": frozenset({"date_range"}),
    "allow_past": frozenset({"date", "date_range"}),
    "filetypes": frozenset({"file"}),
    "max_files": frozenset({"file"}),
    "link": frozenset({"file"}),
    "max_users": frozenset({"users"}),
}
_DEFAULT_MAX_LENGTH = {"text": 150, "long_text": SLACK_TEXT_CAP}


class Option(Strict):
    value: OptionValue  # stored in the payload and compared by conditions; "|" is a separator
    label: Text


class FieldSpec(Strict):
    id: FieldId
    type: FieldType
    label: Text
    hint: Text | None = None
    placeholder: Text | None = None
    required: bool = True
    min: Decimal | None = None  # number, money
    max: Decimal | None = None
    decimals: int | None = Field(default=None, ge=0, le=6)  # number: 0; money: 2
    min_length: int | None = Field(default=None, ge=0, le=SLACK_TEXT_CAP)  # text, long_text
    max_length: int | None = Field(default=None, ge=1, le=SLACK_TEXT_CAP)
    options: list[Option] = Field(default_factory=list)  # select
    currencies: list[Currency] = Field(default_factory=lambda: ["CNY"])  # money; first = default
    half_days: bool = True  # date_range: offer morning / afternoon
    max_days: int | None = Field(default=None, ge=1, le=3660)  # date_range, calendar days
    allow_past: bool = True  # date, date_range
    filetypes: list[FileType] | None = None  # file
    max_files: int = Field(default=5, ge=1, le=SLACK_MAX_FILES)
    link: bool = True  # file: a link (URL) may be given instead of an upload
    max_users: int = Field(default=50, ge=1, le=100)  # users: how many may be chosen

    @field_validator("filetypes", mode="before")
    @classmethod
    def _bare_extensions(cls, value: object) -> object:
        # Operators write ".pdf" or "PDF" as often as "pdf"; Slack wants the bare extension.
        if isinstance(value, list):
            return [v.strip().lstrip(".").lower() if isinstance(v, str) else v for v in value]
        return value

    @model_validator(mode="after")
    def _consistent(self) -> FieldSpec:
        misplaced = [
            name
            for name, types in _APPLIES.items()
            if name in self.model_fields_set and self.type not in types
        ]
        if misplaced:
            where = "; ".join(f"{n} is for {', '.join(sorted(_APPLIES[n]))}" for n in misplaced)
            raise ValueError(
                f"{', '.join(misplaced)} does not apply to a {self.type} field ({where})"
            )
        self._check_numbers()
        self._check_lengths()
        self._check_choices()
        if self.type == "file" and not self.link and self.placeholder is not None:
            raise ValueError("placeholder on a file field shows on its link input; link is false")
        return self

    def _check_numbers(self) -> None:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        if self.type not in ("number", "money"):
            return
        for name, bound in (("min", self.min), ("max", self.max)):
            if bound is None:
                continue
            if not bound.is_finite():
                raise ValueError(f"{name} must be a finite number")
            places = -int(bound.normalize().as_tuple().exponent)
            if places > self.places:
                raise ValueError(f"{name} ({bound}) has more than decimals={self.places} places")

    def _check_lengths(self) -> None:
        if self.min_length is not None and self.min_length > self.text_max_length:
            raise ValueError(
                f"min_length ({self.min_length}) is greater than max_length "
                f"({self.text_max_length})"
            )

    def _check_choices(self) -> None:
        if self.type == "select":
            if not 1 <= len(self.options) <= SLACK_MAX_OPTIONS:
                raise ValueError(f"a select field needs 1 to {SLACK_MAX_OPTIONS} options")
            values = [o.value for o in self.options]
            twice = sorted({v for v in values if values.count(v) > 1})
            if twice:
                raise ValueError(f"option values used twice: {', '.join(twice)}")
        if self.type == "money":
            if not 1 <= len(self.currencies) <= SLACK_MAX_OPTIONS:
                raise ValueError(f"a money field needs 1 to {SLACK_MAX_OPTIONS} currencies")
            if len(set(self.currencies)) != len(self.currencies):
                raise ValueError("a currency is listed twice")
        if self.filetypes is not None and not self.filetypes:
            raise ValueError("filetypes is empty; leave it out to accept any file")

    @property
    def places(self) -> int:
        """Decimal places allowed: as declared, else 0 for a number and 2 for money."""
        if self.decimals is not None:
            return self.decimals
        return 2 if self.type == "money" else 0

    @property
    def text_max_length(self) -> int:
        return self.max_length or _DEFAULT_MAX_LENGTH.get(self.type, SLACK_TEXT_CAP)

    def parts(self) -> tuple[str, ...]:
        """The inputs the modal shows for this field, "" being the main one (block `f:{id}`);
        the others are blocks `f:{id}:{part}`. Errors are placed on one of these."""
        if self.type == "money":
            return ("", "currency") if len(self.currencies) > 1 else ("",)
        if self.type == "date_range":
            if self.half_days:
                return ("start", "start_half", "end", "end_half")
            return ("start", "end")
        if self.type == "file":
            return ("", "link") if self.link else ("",)
        return ("",)

    def option_label(self, value: str) -> Text | None:
        return next((o.label for o in self.options if o.value == value), None)


def form_blocks(fields: Sequence[FieldSpec]) -> int:
    """How many modal blocks the fields take (a file may add a note about kept uploads)."""
    return sum(len(f.parts()) + (f.type == "file") for f in fields)


def check_fields(fields: Sequence[FieldSpec]) -> None:
    """Problems across a procedure's fields; raise ValueError (inside a pydantic validator it
    becomes a validation error at the `fields` key)."""
    ids = [f.id for f in fields]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"field ids used twice: {', '.join(twice)}")
    if form_blocks(fields) > MAX_FORM_BLOCKS:
        raise ValueError(
            f"these fields need {form_blocks(fields)} blocks; a Slack modal can show "
            f"{MAX_FORM_BLOCKS} form blocks at most"
        )


def _checked(fields: list[FieldSpec]) -> list[FieldSpec]:
    check_fields(fields)
    return fields


# A declared form (a procedure's, a task's, a prompt's questions or review), checked as a whole.
Fields = Annotated[list[FieldSpec], AfterValidator(_checked)]
