"""User-facing text in English and Simplified Chinese.

Every string a user sees comes from the YAML catalogs in `bot/catalog/`, one entry per key with
both languages side by side, so a missing translation is visible in review and caught by a test.
Placeholders use `str.format` syntax (`{name}`).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

import yaml

Lang = Literal["en", "zh"]
LANGUAGES: tuple[Lang, ...] = ("en", "zh")
CATALOG_DIR = Path(__file__).parent / "catalog"


class CatalogError(Exception):
    pass


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[Lang, str]]:
    """All entries from every catalog file; a key defined twice is an error."""
    merged: dict[str, dict[Lang, str]] = {}
    for path in sorted(CATALOG_DIR.glob("*.yml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, texts in entries.items():
            if key in merged:
                raise CatalogError(f"{path.name}: key {key!r} is defined twice")
            merged[key] = cast(dict[Lang, str], texts)
    return merged


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def translate(lang: Lang, key: str, /, **params: Any) -> str:
    entry = catalog().get(key)
    if entry is None:
        raise KeyError(f"no catalog entry {key!r}")
    text = entry.get(lang) or entry["en"]
    return text.format(**params) if params or "{" in text else text


def normalize_language(value: str | None) -> Lang | None:
    """`zh`, `zh-CN`, `zh_TW`, `中文` → zh; `en`, `en-US`, `english` → en; else None."""
    if not value:
        return None
    lowered = value.strip().lower().replace("_", "-")
    if lowered.startswith("zh") or lowered in ("中文", "chinese", "cn"):
        return "zh"
    if lowered.startswith("en") or lowered in ("english", "英文", "英语"):
        return "en"
    return None


def resolve_language(
    chosen: str | None, slack_locale: str | None, org_default: str | None, fallback: Lang
) -> Lang:
    """The user's own choice, else their Slack locale, else the org's, else PROCEDO_LANGUAGE."""
    for candidate in (chosen, slack_locale, org_default):
        lang = normalize_language(candidate)
        if lang is not None:
            return lang
    return fallback


class Translator:
    """`t("key", name=...)` in one language; also picks a field from a bilingual mapping."""

    def __init__(self, lang: Lang) -> None:
        self.lang: Lang = lang

    def __call__(self, key: str, /, **params: Any) -> str:
        return translate(self.lang, key, **self.localized(params))

    def localized(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Parameters that are themselves bilingual (`{"en": .., "zh": ..}`, e.g. a leave
        type's name carried by a domain error) become the text in this language."""
        return {
            key: self.pick(value) if isinstance(value, Mapping) and "en" in value else value
            for key, value in params.items()
        }

    def has(self, key: str) -> bool:
        return key in catalog()

    def pick(self, texts: Mapping[str, str]) -> str:
        """The text in this language from an `{en: ..., zh: ...}` mapping, else the other."""
        return texts.get(self.lang) or next(iter(texts.values()), "")

    def join(self, items: Iterable[str]) -> str:
        return ("、" if self.lang == "zh" else ", ").join(items)

    def __repr__(self) -> str:
        return f"Translator({self.lang!r})"
