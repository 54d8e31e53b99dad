"""The `users` field type (several people, e.g. a document's audience): IDs from a modal or
mentions from a quick path, each once; refused when empty, malformed or too many."""

from __future__ import annotations

from datetime import date

from procedures.form_display import display
from procedures.forms import validate
from procedures.policy.common import Text
from procedures.policy.forms import FieldSpec

AUDIENCE = FieldSpec(
    id="audience", type="users", label=Text(en="Circulate to", zh="传阅对象"), max_users=3
)
TODAY = date(2026, 11, 23)


def test_ids_and_mentions_are_kept_once_each_in_order() -> None:
    values, errors = validate(
        [AUDIENCE], {"audience": ["U0ERIN", "<@U0GUS|gus>", "U0ERIN"]}, today=TODAY
    )
    assert errors == [] and values["audience"] == ["U0ERIN", "U0GUS"]
    values, errors = validate([AUDIENCE], {"audience": "<@U0ERIN> <@U0GUS>"}, today=TODAY)
    assert values["audience"] == ["U0ERIN", "U0GUS"]


def test_empty_malformed_or_too_many_are_field_errors() -> None:
    for raw, key in (
        ([], "form.error.required"),
        (["<!channel>"], "form.error.user"),
        (["U1AA", "U2BB", "U3CC", "U4DD"], "form.error.invalid"),
        ([{"id": "U0ERIN"}], "form.error.invalid"),
    ):
        values, errors = validate([AUDIENCE], {"audience": raw}, today=TODAY)
        assert values == {} and [e.key for e in errors] == [key], (raw, errors)


def test_shown_as_mentions_in_each_language() -> None:
    assert display(AUDIENCE, ["U0ERIN", "U0GUS"], "en") == "<@U0ERIN>, <@U0GUS>"
    assert display(AUDIENCE, ["U0ERIN", "U0GUS"], "zh") == "<@U0ERIN>、<@U0GUS>"
