"""LocalSlack: a Slack workspace on 127.0.0.1 that a bot can't tell from the real one over HTTP."""

from __future__ import annotations

import threading
from dataclasses import replace
from types import TracebackType
from typing import Any

from slack_sdk import WebClient

from localslack.acks import AckMode, AckViolation, DeadlineMiss
from localslack.driver import Driver
from localslack.faults import FaultKind, FaultRule
from localslack.queries import Queries
from localslack.records import BotResponse, Channel, User
from localslack.server import LocalSlackServer
from localslack.signing import SignMode, post_signed
from localslack.store import Config, Workspace
from procedures.clock import Clock, SystemClock


class LocalSlack(Queries):
    # The default credentials are made up: they only ever meet this local server.
    def __init__(
        self,
        *,
        clock: Clock | None = None,
        signing_secret: str = "localslack-signing-secret",  # noqa: S107
        bot_token: str = "xoxb-local-token",  # noqa: S107
        team_id: str = "T0LOCAL",
        team_domain: str = "localslack",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        app_id: str = "A0LOCAL",
        bot_name: str = "procedo",
        verification_token: str = "localslack-verification-token",  # noqa: S107
        bot_timeout: float = 10.0,
        ack_first: AckMode = "hold",
        bot_threads: int | None = None,
    ) -> None:
        config = Config(
            team_id=team_id,
            team_domain=team_domain,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            app_id=app_id,
            bot_name=bot_name,
            bot_token=bot_token,
            signing_secret=signing_secret,
            verification_token=verification_token,
        )
        self.ws = Workspace(clock or SystemClock(), config)
        self.bot_events_url = ""
        # Slash commands whose text the client escapes (the manifest's should_escape: true).
        self.escaped_commands: frozenset[str] = frozenset()
        self.bot_timeout = bot_timeout
        self.ws.acks.mode = ack_first
        self.ws.acks.bot_threads = bot_threads  # the bot's listener pool (see localslack.acks)
        self._server: LocalSlackServer | None = None
        self._thread: threading.Thread | None = None
        self.add_user(bot_user_id, bot_name, real_name=bot_name, is_bot=True)

    def __repr__(self) -> str:
        return f"LocalSlack({self.ws.base_url or 'stopped'})"

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> LocalSlack:
        if self._server is not None:
            return self
        server = LocalSlackServer(self.ws)
        port = server.server_address[1]
        self.ws.base_url = f"http://127.0.0.1:{port}/"
        # A short poll interval keeps stop() quick; the loop is otherwise idle.
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"localslack:{port}",
            daemon=True,
        )
        self._server = server
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.stopping.set()  # releases handlers stalled by a "timeout" fault
        self.ws.acks.close()  # and calls held for an ack
        server.shutdown()
        server.server_close()
        thread.join()
        self._server = self._thread = None

    def __enter__(self) -> LocalSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """ "http://127.0.0.1:PORT/" once started."""
        return self.ws.base_url

    @property
    def api_url(self) -> str:
        """The Web API base URL, for `WebClient(base_url=...)`."""
        if not self.ws.base_url:
            raise RuntimeError("LocalSlack is not started")
        return f"{self.ws.base_url}api/"

    @property
    def clock(self) -> Clock:
        return self.ws.clock

    @property
    def bot_user_id(self) -> str:
        return self.ws.config.bot_user_id

    @property
    def signing_secret(self) -> str:
        return self.ws.config.signing_secret

    @property
    def bot_token(self) -> str:
        return self.ws.config.bot_token

    def web_client(self, **kwargs: Any) -> WebClient:
        """A slack_sdk WebClient for the bot, pointed here."""
        return WebClient(token=self.bot_token, base_url=self.api_url, **kwargs)

    # -- setting up the workspace ------------------------------------------------------

    def add_user(
        self,
        id: str,
        name: str,
        *,
        real_name: str | None = None,
        email: str | None = None,
        tz: str = "Asia/Shanghai",
        locale: str = "en-US",
        is_bot: bool = False,
        is_admin: bool = False,
    ) -> User:
        user = User(id, name, real_name or name, email, tz, locale, is_bot, is_admin)
        return self.ws.add_user(user)

    def update_user(self, ref: str, **changes: Any) -> User:
        """Change a user's fields, e.g. `deleted=True` when someone leaves."""
        return self.ws.add_user(replace(self.user(ref), **changes))

    def add_channel(
        self,
        id: str,
        name: str,
        *,
        members: tuple[str, ...] | list[str] = (),
        bot_member: bool = True,
        is_private: bool = False,
    ) -> Channel:
        member_ids = tuple(self.user(m).id for m in members)
        created = int(self.ws.now().timestamp())
        channel = Channel(
            id, name.removeprefix("#"), is_private, False, member_ids, bot_member, created=created
        )
        return self.ws.add_channel(channel)

    def add_member(self, channel: str, user: str) -> Channel:
        return self.ws.set_membership(self.channel(channel).id, self.user(user).id, True)

    def remove_member(self, channel: str, user: str) -> Channel:
        return self.ws.set_membership(self.channel(channel).id, self.user(user).id, False)

    # -- faults ------------------------------------------------------------------------

    def inject(
        self,
        method: str,
        kind: FaultKind,
        *,
        times: int | None = 1,
        after: int = 0,
        probability: float | None = None,
        seed: int | None = None,
        retry_after: int = 1,
        delay: float = 1.0,
        error: str = "fatal_error",
    ) -> FaultRule:
        """Make calls to `method` ("*" for all, "response_url" for those) fail.

        The first `after` matching calls pass; then `times` calls fail (None: all). With a
        `probability`, each later call fails by seeded chance instead, without a limit."""
        rule = FaultRule(method, kind, times, after, probability, seed, retry_after, delay, error)
        with self.ws.lock:
            return self.ws.faults.add(rule)

    def clear_faults(self) -> None:
        with self.ws.lock:
            self.ws.faults.clear()

    def channel_rate_limit(self, per_second: float | None = 1.0, burst: int = 1) -> None:
        """Answer chat.postMessage with 429 when a channel gets posts faster than this
        (measured on the clock). `None` turns the limit off."""
        with self.ws.lock:
            self.ws.rate.configure(per_second, burst)

    # -- acting as users ---------------------------------------------------------------

    def driver(self, user: str) -> Driver:
        return Driver(self, user)

    def trigger(self, user: str) -> str:
        """A fresh trigger_id for `user`, as an interaction would carry (for API-level tests)."""
        return self.ws.issue_trigger(self.user(user).id)

    def send_signed(
        self,
        body: str,
        content_type: str,
        *,
        sign: SignMode = "good",
        headers: dict[str, str] | None = None,
    ) -> BotResponse:
        """POST `body` to the bot as Slack would; `sign` can spoil the signature on purpose.

        The request is an interaction in flight until the answer arrives (see localslack.acks)."""
        interaction = self.ws.acks.begin(body, content_type)
        try:
            response = post_signed(
                self.bot_events_url,
                body,
                content_type,
                self.ws.config.signing_secret,
                sign=sign,
                headers=headers,
                timeout=self.bot_timeout,
            )
        except ConnectionError:
            self.ws.acks.end(interaction, None)
            raise
        # Timed from when the interaction began, so the driver and the tracker agree.
        elapsed = self.ws.acks.end(interaction, response.status or None)
        return replace(response, elapsed=elapsed)

    # -- acks --------------------------------------------------------------------------

    def expect_late_acks(self) -> None:
        """This test makes the bot ack late (or call Slack first) on purpose."""
        self.ws.acks.expect_late_acks()

    def ack_violations(self) -> list[AckViolation]:
        """Web API calls and response_url POSTs that came before their interaction's ack."""
        return list(self.ws.acks.violations)

    def deadline_misses(self) -> list[DeadlineMiss]:
        """Interactions answered after 3 s, not at all, or with 404/5xx."""
        return list(self.ws.acks.misses)

    def ack_report(self) -> str | None:
        """A message listing every ack problem, or None (also when they were expected)."""
        return self.ws.acks.report()
