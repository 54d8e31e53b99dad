"""Every user-facing text exists in English and Chinese with the same placeholders, and every
key the code asks for exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from slackui.i18n import LANGUAGES, catalog, placeholders, resolve_language, translate

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("key", sorted(catalog()))
def test_each_entry_has_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = catalog()[key]
    assert set(entry) == set(LANGUAGES), f"{key}: languages {sorted(entry)}"
    for lang in LANGUAGES:
        assert entry[lang].strip(), f"{key}.{lang} is empty"
    assert placeholders(entry["en"]) == placeholders(entry["zh"]), key


def _keys_used_in_code() -> set[str]:
    pattern = re.compile(r"""\b(?:t|me\.t|\w+\.t)\(\s*["']([a-z_]+(?:\.[a-z_0-9]+)+)["']""")
    error = re.compile(
        r"""(?:Error|NotAllowed|NotFound|Conflict|InvalidInput)\(\s*["']([a-z_]+(?:\.[a-z_0-9]+)+)["']"""
    )
    keys: set[str] = set()
    for folder in ("bot", "slackui", "handlers", "procedures", "scheduler"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            keys |= set(pattern.findall(text)) | set(error.findall(text))
    return keys


def test_every_literal_key_in_the_code_is_in_the_catalog() -> None:
    missing = sorted(_keys_used_in_code() - set(catalog()))
    assert not missing, f"keys used but not in the catalog: {missing}"


def test_translate_formats_placeholders() -> None:
    assert "ABC123" in translate("zh", "error.unexpected", ref="ABC123")


@pytest.mark.parametrize(
    ("chosen", "locale", "org", "expected"),
    [
        ("zh", "en-US", None, "zh"),
        (None, "zh-CN", None, "zh"),
        (None, "zh-TW", "en", "zh"),
        (None, "en-GB", "zh", "en"),
        (None, "fr-FR", "zh", "zh"),
        (None, None, None, "en"),
    ],
)
def test_language_is_choice_then_slack_then_org_then_setting(
    chosen: str | None, locale: str | None, org: str | None, expected: str
) -> None:
    assert resolve_language(chosen, locale, org, "en") == expected


def test_role_names_in_domain_errors_match_the_catalog() -> None:
    from procedures.org_file import ROLE_NAMES, ROLES

    assert set(ROLE_NAMES) == set(ROLES)
    for role, names in ROLE_NAMES.items():
        assert names == catalog()[f"role.{role}"], role
