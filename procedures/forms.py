"""Declared forms at work: validate a submission, normalize it for storage, show it on cards.

Validation is a pydantic model built from the procedure's fields (`payload_model`): one typed
attribute per field with its limits. Every error is turned into a `FieldError` naming a catalog
key (`bot/catalog/forms.yml`), never pydantic's English. Checks of our own raise
`PydanticCustomError` whose type *is* the catalog key, with the block part in its context.

The normalized payload is plain JSON (stored as is, compared by conditions):
text → str; number → "12.5"; money → {"amount": "123.45", "currency": "CNY"}; date →
"YYYY-MM-DD"; date_range → {"start", "start_half": "pm"|None, "end", "end_half": "am"|None};
select → option value; user → "U…"; users → ["U…", …]; channel → "C…"; file →
{"files": [{"id", "name"}], "link": str|None}; an optional field left empty → None.
`validate` accepts such a payload as input too, so a stored request or a quick path can be
checked again.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    create_model,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from procedures.policy.forms import FieldSpec


@dataclass(frozen=True)
class FieldError:
    field: str
    key: str  # a catalog key, form.error.*
    params: dict[str, str] = dataclass_field(default_factory=dict)
    part: str = ""  # which of the field's inputs (FieldSpec.parts()); "" is the main one


def _error(key: str, part: str = "", **params: object) -> PydanticCustomError:
    return PydanticCustomError(key, key, {**params, "part": part})


def plain_decimal(value: Decimal) -> str:
    """12 → "12", 12.50 → "12.5", 1E+3 → "1000"."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


# -- preparing raw input: blanks, Slack shapes, what people type in a quick path -----------

_MENTION = re.compile(r"^<[@#]([A-Z0-9]+)(?:\|[^>]*)?>$")
SLACK_ID = re.compile(r"[A-Z][A-Z0-9]+")
_HALF_WHOLE_DAY = (None, "", "day", "full")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def _number_text(value: Any) -> Any:
    """Fullwidth digits and thousands separators are what people type; Decimal wants ASCII."""
    if isinstance(value, float):
        return str(value)
    if not isinstance(value, str):
        return value
    return re.sub(r"[\s,，_]", "", unicodedata.normalize("NFKC", value))


# C0 controls but tab and newline, and DEL: PostgreSQL refuses NUL in text and JSON, so they go
# on every database alike (nobody means to type them).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> str:
    """Free text as stored: the control characters nobody means to type are dropped, the same
    on SQLite and PostgreSQL (which refuses NUL in text and JSON)."""
    return _CONTROLS.sub("", text)


def _prepare_value(spec: FieldSpec, value: Any) -> Any:
    kind = spec.type
    if isinstance(value, str):
        value = strip_controls(value).strip()
    if kind == "number":
        return _number_text(value)
    if kind == "money":
        money = dict(value) if isinstance(value, Mapping) else {"amount": value}
        if _blank(money.get("currency")):
            money.pop("currency", None)
        return {**money, "amount": _number_text(money.get("amount"))}
    if kind == "date" and isinstance(value, datetime):
        return value.date()
    if kind == "date_range" and isinstance(value, Mapping):
        found = {k: value.get(k) for k in ("start", "end") if not _blank(value.get(k))}
        start_half, end_half = value.get("start_half"), value.get("end_half")
        # A start in the morning and an end in the evening are whole days: store None.
        found["start_half"] = None if start_half in (*_HALF_WHOLE_DAY, "am") else start_half
        found["end_half"] = None if end_half in (*_HALF_WHOLE_DAY, "pm") else end_half
        return found
    if kind == "select":
        if isinstance(value, Mapping):  # a Slack option object
            value = value.get("value")
        if isinstance(value, str) and all(o.value != value for o in spec.options):
            wanted = value.casefold()  # a quick path may give the label
            for option in spec.options:
                if wanted in (option.label.en.casefold(), option.label.zh.casefold()):
                    return option.value
        return value
    if kind in ("user", "channel") and isinstance(value, str):
        mention = _MENTION.match(value)
        return mention.group(1) if mention else value
    if kind == "users":
        items = value.split() if isinstance(value, str) else value
        if isinstance(items, list) and all(isinstance(x, str) for x in items):
            # A quick path types mentions, a modal gives IDs; each once, in the order chosen.
            return list(dict.fromkeys(_mention_id(x) for x in items))
    if kind == "file":
        if isinstance(value, str):
            return {"files": [], "link": value}
        if isinstance(value, Mapping):
            link = value.get("link")
            link = link.strip() if isinstance(link, str) else link
            return {"files": value.get("files") or [], "link": None if _blank(link) else link}
    return value


def _mention_id(text: str) -> str:
    mention = _MENTION.match(text.strip())
    return mention.group(1) if mention else text.strip()


def is_blank(spec: FieldSpec, value: Any) -> bool:
    if _blank(value):
        return True
    if spec.type == "money" and isinstance(value, Mapping):
        return _blank(value.get("amount"))
    if spec.type == "date_range" and isinstance(value, Mapping):
        return _blank(value.get("start")) and _blank(value.get("end"))
    if spec.type == "file" and isinstance(value, Mapping):
        return not value.get("files") and _blank(value.get("link"))
    return False


def _preparer(spec: FieldSpec) -> Callable[[Any], Any]:
    def prepare(value: Any) -> Any:
        if is_blank(spec, value):
            if not spec.required:
                return None
            key = "form.error.file_or_link" if spec.type == "file" and spec.link else None
            raise _error(key or "form.error.required", spec.parts()[0])
        return _prepare_value(spec, value)

    return prepare


# -- the per-type attribute --------------------------------------------------------------


def _today(info: ValidationInfo) -> date | None:
    context = info.context
    return context.get("today") if isinstance(context, Mapping) else None


class _Range(BaseModel):
    model_config = ConfigDict(extra="ignore")
    start: date
    start_half: Literal["pm"] | None = None
    end: date
    end_half: Literal["am"] | None = None


class _File(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: Annotated[str, StringConstraints(pattern=r"^F[A-Z0-9]+$")]
    name: str = ""


class _Files(BaseModel):
    model_config = ConfigDict(extra="ignore")
    files: list[_File] = Field(default_factory=list)
    link: str | None = None


# Every date typed into a form is within this many days of today: 9999-12-31 is a typo (and
# one day more overflows Python's date), not a plan.
DATE_WINDOW_DAYS = 3660


def _out_of_window(value: date, today: date | None) -> bool:
    return today is not None and abs((value - today).days) > DATE_WINDOW_DAYS


def _date_check(spec: FieldSpec) -> Callable[[date | None, ValidationInfo], date | None]:
    def check(value: date | None, info: ValidationInfo) -> date | None:
        today = _today(info)
        if value is not None and _out_of_window(value, today):
            raise _error("form.error.date_too_far", years=DATE_WINDOW_DAYS // 366)
        if value is not None and not spec.allow_past and today and value < today:
            raise _error("form.error.in_past")
        return value

    return check


def _range_check(spec: FieldSpec) -> Callable[[_Range | None, ValidationInfo], _Range | None]:
    def check(value: _Range | None, info: ValidationInfo) -> _Range | None:
        if value is None:
            return None
        today = _today(info)
        for part, day in (("start", value.start), ("end", value.end)):
            if _out_of_window(day, today):
                raise _error("form.error.date_too_far", part, years=DATE_WINDOW_DAYS // 366)
        span = (value.end - value.start).days + 1
        if not spec.half_days and (value.start_half or value.end_half):
            raise _error("form.error.half_days_off", "start")
        if span < 1:
            raise _error("form.error.end_before_start", "end")
        if span == 1 and value.start_half == "pm" and value.end_half == "am":
            raise _error("form.error.half_same_day", "end_half")
        if not spec.allow_past and today and value.start < today:
            raise _error("form.error.in_past", "start")
        if spec.max_days is not None and span > spec.max_days:
            raise _error("form.error.too_many_days", "end", max_days=spec.max_days)
        return value

    return check


def _link_ok(link: str) -> bool:
    parts = urlsplit(link)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", link)


def _files_check(spec: FieldSpec) -> Callable[[_Files | None], _Files | None]:
    def check(value: _Files | None) -> _Files | None:
        if value is None:
            return None
        if value.link is not None and not spec.link:
            raise _error("form.error.link_not_allowed")
        if value.link is not None and not _link_ok(value.link):
            raise _error("form.error.link", "link")
        if len(value.files) > spec.max_files:
            raise _error("form.error.too_many_files", max_files=spec.max_files)
        if spec.filetypes:
            for file in value.files:
                if file.name.rpartition(".")[2].lower() not in spec.filetypes:
                    raise _error("form.error.filetype", filetypes=", ".join(spec.filetypes))
        return value

    return check


def _attribute(spec: FieldSpec) -> Any:
    """The field's pydantic type: limits as constraints, our own checks as validators."""
    kind = spec.type
    if kind in ("text", "long_text"):
        limit = StringConstraints(min_length=spec.min_length, max_length=spec.text_max_length)
        return Annotated[str, limit]
    if kind in ("number", "money"):
        # max_digits keeps quantize() within Decimal's default precision.
        limits = Field(ge=spec.min, le=spec.max, decimal_places=spec.places, max_digits=24)
        if kind == "number":
            return Annotated[Decimal, limits, PlainSerializer(plain_decimal, return_type=str)]
        step = Decimal(1).scaleb(-spec.places)
        amount = Annotated[
            Decimal, limits, PlainSerializer(lambda d: str(d.quantize(step)), return_type=str)
        ]
        currency: Any = Literal[tuple(spec.currencies)]
        return create_model(
            f"Money_{spec.id}",
            __config__=ConfigDict(extra="ignore"),
            amount=(amount, ...),
            currency=(currency, spec.currencies[0]),
        )
    if kind == "select":
        return Literal[tuple(o.value for o in spec.options)]
    if kind == "user":
        return Annotated[str, StringConstraints(pattern=r"^[UW][A-Z0-9]{2,}$")]
    if kind == "users":
        user = Annotated[str, StringConstraints(pattern=r"^[UW][A-Z0-9]{2,}$")]
        return Annotated[list[user], Field(min_length=1, max_length=spec.max_users)]
    if kind == "channel":
        return Annotated[str, StringConstraints(pattern=r"^[CG][A-Z0-9]{2,}$")]
    return {"date": date, "date_range": _Range, "file": _Files}[kind]


def _definition(spec: FieldSpec) -> tuple[Any, Any]:
    checks: dict[str, Callable[[FieldSpec], Callable[..., Any]]] = {
        "date": _date_check,
        "date_range": _range_check,
        "file": _files_check,
    }
    validators: list[Any] = [BeforeValidator(_preparer(spec))]
    if spec.type in checks:
        validators.append(AfterValidator(checks[spec.type](spec)))
    # Optional at the type level: a blank optional field is None (the preparer decides).
    annotated = Annotated[(_attribute(spec) | None, *validators)]  # type: ignore[valid-type]
    return annotated, Field(... if spec.required else None, alias=spec.id)


# Built once per form; concurrent first calls may both build, which is harmless.
_MODELS: dict[str, type[BaseModel]] = {}


def payload_model(fields: Sequence[FieldSpec]) -> type[BaseModel]:
    """A model validating a whole submission; dump it with `mode="json", by_alias=True`.
    Pass `context={"today": date}` to check dates against today (validate does)."""
    key = json.dumps([f.model_dump(mode="json") for f in fields], sort_keys=True)
    model = _MODELS.get(key)
    if model is None:
        # Attribute names get a prefix so an id can never shadow a BaseModel name (`json`).
        definitions: dict[str, Any] = {f"f_{spec.id}": _definition(spec) for spec in fields}
        model = create_model("Payload", __config__=ConfigDict(extra="ignore"), **definitions)
        if len(_MODELS) > 256:  # forms come from the policy; this only guards odd callers
            _MODELS.clear()
        _MODELS[key] = model
    return model


def validate(
    fields: Sequence[FieldSpec], raw: Mapping[str, Any], *, today: date
) -> tuple[dict[str, Any], list[FieldError]]:
    """The normalized payload and no errors, or an empty payload and every error."""
    data = {spec.id: raw.get(spec.id) for spec in fields}
    try:
        model = payload_model(fields).model_validate(data, context={"today": today})
    except ValidationError as exc:
        by_id = {spec.id: spec for spec in fields}
        errors: dict[tuple[str, str], FieldError] = {}
        for details in exc.errors():
            error = _field_error(by_id, details)
            # One message per input: the first reported is the one to fix first.
            errors.setdefault((error.field, error.part), error)
        return {}, list(errors.values())
    return model.model_dump(mode="json", by_alias=True), []


# -- pydantic's errors → catalog keys ----------------------------------------------------

# pydantic's error type → our catalog key, and which of its context values to pass on as what.
_BUILTIN: dict[str, tuple[str, dict[str, str]]] = {
    "missing": ("form.error.required", {}),
    "string_too_short": ("form.error.too_short", {"min_length": "min_length"}),
    "string_too_long": ("form.error.too_long", {"max_length": "max_length"}),
    "greater_than_equal": ("form.error.min", {"ge": "min"}),
    "less_than_equal": ("form.error.max", {"le": "max"}),
    "decimal_max_places": ("form.error.decimals", {"decimal_places": "decimals"}),
    "decimal_parsing": ("form.error.not_a_number", {}),
    "decimal_type": ("form.error.not_a_number", {}),
    "finite_number": ("form.error.not_a_number", {}),
}
_BY_TYPE = {  # errors whose meaning depends on the field
    ("literal_error", "select"): "form.error.option",
    ("literal_error", "money"): "form.error.currency",
    ("string_pattern_mismatch", "user"): "form.error.user",
    ("string_pattern_mismatch", "users"): "form.error.user",
    ("string_pattern_mismatch", "channel"): "form.error.channel",
    ("decimal_max_places", "number"): "form.error.whole_number",  # when places == 0
    ("decimal_max_places", "money"): "form.error.whole_number",
}


def _param(value: object) -> str:
    return plain_decimal(value) if isinstance(value, Decimal) else str(value)


def _field_error(by_id: Mapping[str, FieldSpec], error: ErrorDetails) -> FieldError:
    loc, kind, ctx = error["loc"], error["type"], dict(error.get("ctx") or {})
    spec = by_id[str(loc[0])]
    # Our own errors name their part; pydantic's are found by the attribute at fault.
    part = str(ctx.pop("part", "") or (loc[1] if len(loc) > 1 else ""))
    if kind.startswith("form."):
        key, params = kind, {k: _param(v) for k, v in ctx.items()}
    else:
        key, keep = _BUILTIN.get(kind, ("form.error.invalid", {}))
        params = {keep[k]: _param(v) for k, v in ctx.items() if k in keep}
        if kind.startswith("date"):
            key = "form.error.date"
        elif (kind, spec.type) in _BY_TYPE and (kind != "decimal_max_places" or not spec.places):
            key, params = _BY_TYPE[kind, spec.type], {}
    if key == "form.error.required" and spec.type == "file" and spec.link:
        key = "form.error.file_or_link"
    parts = spec.parts()
    return FieldError(spec.id, key, params, part if part in parts else parts[0])
