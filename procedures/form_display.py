"""Showing a form's stored values on cards, as Slack mrkdwn, in English or Chinese."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from procedures.forms import SLACK_ID, is_blank
from procedures.policy.common import Lang
from procedures.policy.forms import FieldSpec

# The few words display needs. The catalog belongs to the bot layer, which procedures do not
# import; these stay here, side by side in both languages like the catalog.
_WORDS: dict[Lang, dict[str, str]] = {
    "en": {"morning": " (morning)", "afternoon": " (afternoon)", "to": " – ", "empty": "—"},
    "zh": {"morning": "上午", "afternoon": "下午", "to": " 至 ", "empty": "—"},
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SYMBOLS = {"CNY": "¥", "USD": "US$", "HKD": "HK$", "GBP": "£", "JPY": "JP¥"}


def escape(text: str) -> str:
    """User text in mrkdwn: `<!channel>` or `<@U…>` typed into a form must not ping anyone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def show_date(day: date, lang: Lang, *, year: bool = True) -> str:
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def show_money(amount: Decimal, currency: str) -> str:
    sign, digits = ("-" if amount < 0 else ""), f"{abs(amount):,f}"
    symbol = _SYMBOLS.get(currency)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {currency}".rstrip()


def _show_range(value: Mapping[str, Any], lang: Lang) -> str:
    words = _WORDS[lang]
    start, end = date.fromisoformat(value["start"]), date.fromisoformat(value["end"])
    from_noon = words["afternoon"] if value.get("start_half") else ""
    to_noon = words["morning"] if value.get("end_half") else ""
    if start == end:  # one day, or half of one
        return show_date(start, lang) + from_noon + to_noon
    # Chinese drops the repeated year, as people write it: 2026年12月1日 至 12月3日.
    end_text = show_date(end, lang, year=lang != "zh" or end.year != start.year)
    return show_date(start, lang) + from_noon + words["to"] + end_text + to_noon


def _show(spec: FieldSpec, value: Any, lang: Lang) -> str:
    kind = spec.type
    if kind == "number":
        return f"{Decimal(str(value)):,f}"
    if kind == "money":
        return show_money(Decimal(str(value["amount"])), str(value.get("currency") or ""))
    if kind == "date":
        return show_date(date.fromisoformat(str(value)), lang)
    if kind == "date_range":
        return _show_range(value, lang)
    if kind == "select":
        label = spec.option_label(str(value))
        return escape(label.pick(lang) if label else str(value))
    if kind in ("user", "channel") and SLACK_ID.fullmatch(str(value)):
        return f"<{'@' if kind == 'user' else '#'}{value}>"
    if kind == "users" and isinstance(value, list):
        return ("、" if lang == "zh" else ", ").join(
            f"<@{v}>" for v in value if SLACK_ID.fullmatch(str(v))
        )
    if kind == "file":
        shown = [escape(f.get("name") or f["id"]) for f in value.get("files") or []]
        if value.get("link"):
            link = str(value["link"]).replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")
            shown.append(f"<{link}>")
        return ("、" if lang == "zh" else ", ").join(shown)
    return escape(str(value))


def display(field: FieldSpec, value: Any, lang: Lang) -> str:
    """A stored value as Slack mrkdwn for a card: user text escaped, "—" when empty."""
    if is_blank(field, value):
        return _WORDS[lang]["empty"]
    try:
        return _show(field, value, lang) or _WORDS[lang]["empty"]
    except (KeyError, TypeError, ValueError, AttributeError, InvalidOperation):
        return escape(str(value))  # a value stored under an older form: show it raw
