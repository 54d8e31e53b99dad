"""`procedo prompts export PROMPT PERIOD [--out FILE]`: the answers of one period as CSV, as
the digest sends it, without Slack (names come from the profiles Procedo has cached)."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.modules import load_policy
from bot.settings import Settings
from handlers.prompt_answers import export_csv
from slackui.i18n import Translator, resolve_language
from store import profiles, prompt_repo
from store.db import ensure_reachable, make_sessions
from store.directory import Directory
from store.migrate import ensure_current


def export(settings: Settings, prompt_id: str, period: str, out: Path | None) -> int:
    policy = load_policy(settings.policy_file)
    spec = policy.prompt(prompt_id)
    asking = ", ".join(p.id for p in policy.prompts if p.questions)
    if spec is None or not spec.questions:
        print(
            f"procedo: no prompt {prompt_id!r} asks questions; these do: {asking}", file=sys.stderr
        )
        return 2
    sessions = make_sessions(settings.database_url)
    try:
        ensure_reachable(sessions.engine)
        ensure_current(sessions.engine)
        with sessions.read() as session:
            known = prompt_repo.periods(session, spec.id)
            org = Directory(session).org()
        if period not in known:
            shown = ", ".join(known[:12]) or "none yet"
            print(
                f"procedo: no answers to {prompt_id} for {period}; periods: {shown}",
                file=sys.stderr,
            )
            return 1
        lang = resolve_language(None, None, org.language if org else None, settings.language)

        def names_of(users: list[str]) -> dict[str, str]:
            with sessions.read() as session:
                rows = {user: profiles.get(session, user) for user in users}
            return {
                user: (row.real_name or row.name or user) if row else user
                for user, row in rows.items()
            }

        content = export_csv(sessions, spec, period, None, Translator(lang), names_of)
    finally:
        sessions.dispose()
    if out is None:
        sys.stdout.buffer.write(content)
    else:
        out.write_bytes(content)
        print(f"{out}: the answers to {prompt_id} for {period}")
    return 0
