"""Who a user is to the bot: language, timezone and name, from the cached Slack profile.

The cache is refreshed from `users.info` (with `include_locale`) when it is older than a day.
Lookups that must not touch the network (building an ack) pass `refresh=False`.

Inside `People.scoped()` (an interaction, a batch of deliveries) each user's profile is read
from the database once: the App Home's sections, the help text and a card's DMs each asked
again, one transaction apiece.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from procedures.clock import Clock
from slackui.i18n import Lang, Translator, normalize_language, resolve_language
from store import profiles
from store.db import Sessions
from store.directory import Directory

log = logging.getLogger(__name__)

PROFILE_TTL = timedelta(days=1)


@dataclass(frozen=True)
class Defaults:
    """What a user gets when neither they, their Slack profile nor the org file say
    (`PROCEDO_LANGUAGE`, `PROCEDO_TIMEZONE`)."""

    language: Lang
    tz: ZoneInfo


@dataclass(frozen=True)
class UserView:
    user_id: str
    lang: Lang
    tz: ZoneInfo
    name: str
    chosen_language: str | None
    slack_locale: str | None

    @property
    def t(self) -> Translator:
        return Translator(self.lang)

    @property
    def language_source(self) -> str:
        """Where the language came from: "chosen", "slack" or "default"."""
        if self.chosen_language:
            return "chosen"
        return "slack" if normalize_language(self.slack_locale) else "default"


class People:
    def __init__(
        self,
        defaults: Defaults,
        sessions: Sessions,
        client: WebClient,
        clock: Clock,
    ) -> None:
        self.defaults = defaults
        self.sessions = sessions
        self.client = client
        self.clock = clock
        # Per thread, inside `scoped()`: user -> (their view, whether Slack should be asked).
        self._scope = threading.local()

    @contextmanager
    def scoped(self) -> Iterator[None]:
        """Within the block, on this thread, a user's profile is read once (and refreshed
        from Slack at most once). Nested blocks share the outer one's reads."""
        outer: dict[str, tuple[UserView, bool]] | None = getattr(self._scope, "views", None)
        self._scope.views = {} if outer is None else outer
        try:
            yield
        finally:
            self._scope.views = outer

    def view(self, user_id: str, *, refresh: bool = True) -> UserView:
        """One read for the profile and the org; `users.info` only when the cached profile is
        stale and `refresh` is set (never while an interaction waits for its ack)."""
        scope: dict[str, tuple[UserView, bool]] | None = getattr(self._scope, "views", None)
        if scope is not None and user_id in scope:
            seen, stale = scope[user_id]
            if not (refresh and stale):
                return seen
        with self.sessions.read() as session:
            row = profiles.get(session, user_id)
            org = Directory(session).org()
        stale = row is None or self._stale(row.fetched_at)
        if refresh and stale:
            stale = False  # asked once: a failed users.info is not retried in this scope
            if self._fetch(user_id):
                with self.sessions.read() as session:
                    row = profiles.get(session, user_id)
        chosen = row.language if row else None
        locale = row.locale if row else None
        lang = resolve_language(
            chosen, locale, org.language if org else None, self.defaults.language
        )
        tz = self._zone(row.tz if row else None, org.timezone if org else None)
        name = (row.real_name or row.name) if row else None
        view = UserView(
            user_id=user_id,
            lang=lang,
            tz=tz,
            name=name or user_id,
            chosen_language=chosen,
            slack_locale=locale,
        )
        if scope is not None:
            scope[user_id] = (view, stale)
        return view

    def lang(self, user_id: str, *, refresh: bool = True) -> Lang:
        return self.view(user_id, refresh=refresh).lang

    def translator(self, user_id: str, *, refresh: bool = True) -> Translator:
        return Translator(self.lang(user_id, refresh=refresh))

    def set_language(self, user_id: str, language: Lang | None) -> None:
        with self.sessions.begin() as session:
            profiles.set_language(session, user_id, language)
        scope: dict[str, tuple[UserView, bool]] | None = getattr(self._scope, "views", None)
        if scope is not None:
            scope.pop(user_id, None)  # the next view in this scope says the new language

    def _zone(self, *names: str | None) -> ZoneInfo:
        for name in names:
            if name:
                try:
                    return ZoneInfo(name)
                except (ZoneInfoNotFoundError, ValueError):
                    continue
        return self.defaults.tz

    def _stale(self, fetched_at: datetime | None) -> bool:
        return fetched_at is None or self.clock.now() - fetched_at >= PROFILE_TTL

    def _fetch(self, user_id: str) -> bool:
        """Refresh the cached profile from Slack; False if Slack did not answer."""
        try:
            response = self.client.users_info(user=user_id, include_locale=True)
        except (SlackApiError, SlackClientError, OSError) as exc:
            # A stale profile (or the defaults) is better than failing the user's request.
            log.warning("users.info failed for %s: %s", user_id, exc)
            return False
        user = response.get("user")
        if not isinstance(user, dict):
            return False
        with self.sessions.begin() as session:
            profiles.save_from_slack(session, user, self.clock.now())
        return True
