"""Times shown to users: Slack's `<!date^…>` token, with a fallback in the org timezone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from slackui.i18n import Lang


def slack_time(when: datetime, tz: ZoneInfo, lang: Lang, *, with_time: bool = True) -> str:
    """Each reader sees `when` in their own timezone; clients that cannot render the token
    (notifications, old clients) show the fallback, in the org's timezone."""
    local = when.astimezone(tz)
    if lang == "zh":
        fallback = local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
    else:
        fallback = local.strftime("%a %d %b %Y %H:%M" if with_time else "%a %d %b %Y")
    token = "{date_short_pretty} {time}" if with_time else "{date_short_pretty}"
    return f"<!date^{int(when.timestamp())}^{token}|{fallback}>"


def plain_date(day: date, lang: Lang) -> str:
    if lang == "zh":
        weekday = "一二三四五六日"[day.weekday()]
        return f"{day.year}年{day.month}月{day.day}日（周{weekday}）"
    return day.strftime("%a %d %b %Y")
