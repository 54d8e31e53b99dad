"""Views for help, whoami and the App Home."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.views import View

from procedures.form_display import escape
from slackui import blocks as b
from slackui.commands import HelpEntry
from slackui.i18n import Translator
from store.directory import Approver, DepartmentInfo


def help_blocks(
    t: Translator, entries: Sequence[HelpEntry], *, is_admin: bool, unknown: str | None = None
) -> list[dict[str, Any]]:
    out: list[Any] = [b.header(t("help.title"))]
    if unknown:
        out.append(b.section(t("help.unknown", text=escape(unknown[:200]))))
    out.append(b.context(t("help.intro")))
    lines = [
        f"*`{entry.command}`* — {t(entry.description_key)}\n      _{entry.example}_"
        for entry in entries
        if is_admin or not entry.admin_only
    ]
    out.extend(b.sections(lines))
    out.append(b.context(t("help.footer", language=t(f"language.name.{t.lang}"))))
    return b.to_dicts(out)


def describe_approver(t: Translator, approver: Approver, dept: DepartmentInfo | None) -> str:
    name = dept.name(t.lang) if dept else ""
    if approver.user is None:
        return t(f"whoami.approver.{approver.why}")
    return t(f"whoami.approver.{approver.why}", user=approver.user, department=name)


def whoami_blocks(
    t: Translator,
    *,
    dept: DepartmentInfo | None,
    approver: Approver,
    roles: Sequence[str],
    language_source: str,
    timezone: str,
    heads: Sequence[DepartmentInfo] = (),
) -> list[dict[str, Any]]:
    department = dept.name(t.lang) if dept else t("whoami.not_in_org")
    role_names = t.join(t(f"role.{role}") for role in roles) if roles else t("common.none")
    language = f"{t(f'language.name.{t.lang}')} ({t(f'language.source.{language_source}')})"
    out: list[Any] = [
        b.header(t("whoami.title")),
        b.fields(
            [
                t("whoami.department", department=department),
                t("whoami.approver", approver=describe_approver(t, approver, dept)),
                t("whoami.roles", roles=role_names),
                t("whoami.language", language=language),
                t("whoami.timezone", timezone=timezone),
            ]
        ),
    ]
    for head_of in heads:
        out.append(b.context(t("whoami.head_of", department=head_of.name(t.lang))))
    return b.to_dicts(out)


def home_view(t: Translator, name: str, body: list[dict[str, Any]]) -> dict[str, Any]:
    greeting = [b.section(t("home.greeting", name=name)).to_dict()]
    view = View(type="home", blocks=[*greeting, *body][:100])
    return view.to_dict()
