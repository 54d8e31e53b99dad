"""A terminal Slack client on a LocalSlack, for demos and for tests (feed it a StringIO).

After every command it waits until things settle (on the workspace's Condition, never by
sleeping) and prints whatever became visible to the current user: DMs, ephemerals, channel
posts and the open modal. Buttons and inputs are numbered so `click 2` works.
"""

from __future__ import annotations

import cmd
import time
from typing import IO, TYPE_CHECKING, Any

from localslack import feed
from localslack.finder import Surface
from localslack.mentions import command_text
from localslack.records import BotResponse, Message, View
from localslack.render import Control, Rendered, render_blocks
from localslack.terminal_fill import walk_inputs

if TYPE_CHECKING:
    from localslack.core import LocalSlack

HELP = """\
/command text        run a slash command in the current channel
as NAME              act as another user          channel #NAME   switch channel
click TEXT|N         press a button               select ACTION|N VALUE
fill                 walk the open modal's inputs set FIELD|N VALUE
submit | close       submit / close the modal     home            open the App Home
say TEXT             post in the current channel  reply N TEXT    reply in thread N
show #CHANNEL        channel with its threads     thread N        a thread of the last show
dms                  your DM with the bot         users | channels | help | quit"""


class Terminal(cmd.Cmd):
    def __init__(
        self,
        ls: LocalSlack,
        *,
        user: str,
        stdin: IO[str],
        stdout: IO[str],
        channel: str | None = None,
        first_wait: float = 1.0,
        settle: float = 0.3,
        max_wait: float = 5.0,
        echo: bool | None = None,
    ) -> None:
        super().__init__(stdin=stdin, stdout=stdout)
        self.use_rawinput = False
        self.ls = ls
        self.out = stdout
        self.first_wait, self.settle, self.max_wait = first_wait, settle, max_wait
        self.echo = (not stdin.isatty()) if echo is None else echo
        self.driver = ls.driver(user)
        self.channel = channel or self._default_channel()
        self.numbered: dict[int, tuple[Control, Surface]] = {}
        self.listing: list[Message] = []
        self._seen: set[tuple[str, ...]] = set()
        self._shown: set[tuple[str, str, str]] = set()
        self._modal: str | None = None
        self._sent = False  # did the last command send the bot anything?
        self._calls_before = 0
        self._mark_all_seen()
        self._update_prompt()

    # -- loop plumbing -----------------------------------------------------------------

    def run(self) -> None:
        self.say(f"LocalSlack terminal - you are @{self.driver.user.name}; type help")
        self.cmdloop()

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def _update_prompt(self) -> None:
        self.prompt = f"{self.driver.user.name}@{self.channel}> "

    def _default_channel(self) -> str:
        member_of = [c for c in self.ls.channels() if self.ls.ws.is_member(c, self.driver.user.id)]
        return member_of[0].label if member_of else "general"

    def precmd(self, line: str) -> str:
        if self.echo:
            self.say(line.rstrip("\n"))
        self._sent = False
        self._calls_before = len(self.ls.calls())
        return line

    def onecmd(self, line: str) -> bool:
        try:
            return super().onecmd(line)
        except (AssertionError, KeyError, ValueError, ConnectionError) as exc:
            self.say(f"! {exc}")
            return False

    def postcmd(self, stop: bool, line: str) -> bool:
        if not stop:
            if self._sent:
                self._wait_until_quiet()
            self.show_new()
        self._update_prompt()
        return stop

    def emptyline(self) -> bool:
        return False

    def default(self, line: str) -> None:
        if line.startswith("/"):
            command, _, typed = line.partition(" ")
            text = command_text(self.ls.ws, self.ls.escaped_commands, command, typed.strip())
            self._report(self.driver.command(command, text, channel=self.channel))
        else:
            self.say(f"! unknown command {line.split()[0]!r}; type help")

    def _report(self, response: BotResponse | None) -> None:
        self._sent = self._sent or response is not None
        if response is not None and not response.ok:
            self.say(f"! the bot answered HTTP {response.status}: {response.body[:200]}")

    # -- what's new --------------------------------------------------------------------

    def _wait_until_quiet(self) -> None:
        """Wait for the bot's first API call (or response_url use) since the command began,
        then until nothing changed for `settle` seconds."""
        before = self._calls_before
        if not self.ls.wait_until(lambda: len(self.ls.ws.calls) > before, self.first_wait):
            return
        deadline = time.monotonic() + self.max_wait
        while time.monotonic() < deadline:
            if not self.ls.wait_change(self.ls.version, self.settle):
                return

    def _mark_all_seen(self) -> None:
        for item in feed.visible(self.ls, self.driver.user.id):
            self._seen.add(item.key)
            self._shown.add(_identity(item.surface))
        top = self.ls.view(self.driver.user.id)
        self._modal = top.id if top else None

    def show_new(self) -> None:
        user_id = self.driver.user.id
        fresh = [i for i in feed.visible(self.ls, user_id) if i.key not in self._seen]
        numbered: dict[int, tuple[Control, Surface]] = {}
        for item in fresh:
            self._seen.add(item.key)
            surface = item.surface
            identity = _identity(surface)
            if getattr(surface, "deleted", False) and identity not in self._shown:
                continue  # gone before the user ever saw it
            self._shown.add(identity)
            self._print(
                feed.render_item(self.ls, surface, user_id, len(numbered) + 1), surface, numbered
            )
        top = self.ls.view(user_id)
        if self._modal and top is None:
            self.say("(modal closed)")
        elif (
            top is not None
            and top.id != self._modal
            and not any(isinstance(i.surface, View) for i in fresh)
        ):
            # Back to a view seen before (the one above it was closed): show it again.
            self._print(feed.render_item(self.ls, top, user_id, len(numbered) + 1), top, numbered)
        self._modal = top.id if top else None
        if numbered:
            self.numbered = numbered

    def _print(self, rendered: Rendered, surface: Surface, numbered: dict[int, Any]) -> None:
        self.say(str(rendered))
        for control in rendered.controls:
            numbered[control.number] = (control, surface)

    def _show_surfaces(self, surfaces: list[Surface]) -> None:
        if not surfaces:
            self.say("(nothing here yet)")
        numbered: dict[int, tuple[Control, Surface]] = {}
        for surface in surfaces:
            rendered = feed.render_item(self.ls, surface, self.driver.user.id, len(numbered) + 1)
            self._print(rendered, surface, numbered)
        self.numbered = numbered or self.numbered

    # -- commands ----------------------------------------------------------------------

    def do_help(self, arg: str) -> None:
        self.say(HELP)

    def do_quit(self, arg: str) -> bool:
        return True

    do_exit = do_quit

    def do_EOF(self, arg: str) -> bool:
        return True

    def do_as(self, arg: str) -> None:
        self.driver = self.ls.driver(arg.strip().removeprefix("@"))
        self._seen.clear()
        self._mark_all_seen()
        self.numbered = {}
        self.say(f"you are now @{self.driver.user.name}")

    def do_channel(self, arg: str) -> None:
        self.channel = self.ls.channel(arg.strip()).label
        self.say(f"current channel: {self.channel}")

    def do_users(self, arg: str) -> None:
        for user in self.ls.users():
            kind = " (bot)" if user.is_bot else ""
            self.say(f"@{user.name}  {user.id}  {user.real_name}{kind}")

    def do_channels(self, arg: str) -> None:
        for channel in self.ls.channels():
            names = ", ".join(self.ls.user(m).name for m in channel.members)
            self.say(f"{channel.label}  {channel.id}  members: {names}")

    def _posted(self, message: Message) -> None:
        self._seen.add(("m", message.channel, message.ts, str(message.revision)))
        channel = self.ls.channel(message.channel)
        self._sent = self.ls.ws.is_member(channel, self.ls.bot_user_id)  # the bot heard it

    def do_say(self, arg: str) -> None:
        self._posted(self.driver.post(self.channel, arg.strip()))

    def do_reply(self, arg: str) -> None:
        number, _, text = arg.strip().partition(" ")
        parent = self._listed(number)
        self._posted(self.driver.post(parent.channel, text.strip(), thread_ts=parent.ts))

    def do_show(self, arg: str) -> None:
        channel = self.ls.channel(arg.strip() or self.channel)
        self.listing = self.ls.messages(channel.id)
        self.say(f"== {channel.label} ==")
        names = feed.names_for(self.ls)
        numbered: dict[int, tuple[Control, Surface]] = {}
        for n, message in enumerate(self.listing, 1):
            start = len(numbered) + 1
            rendered = render_blocks(message.blocks, message.text, names=names, start=start)
            author = self.ls.user(message.user).name
            self._print(
                Rendered(f"{n}. {author}: " + rendered.replace("\n", "\n   "), rendered.controls),
                message,
                numbered,
            )
            for reply in self.ls.replies(channel.id, message.ts):
                # Numbered with the rest, so a button in a thread can be clicked from here.
                text = render_blocks(reply.blocks, reply.text, names=names, start=len(numbered) + 1)
                line = f"     > {self.ls.user(reply.user).name}: {text}".replace("\n", " ")
                self._print(Rendered(line, text.controls), reply, numbered)
        self.numbered = numbered or self.numbered

    def do_thread(self, arg: str) -> None:
        parent = self._listed(arg.strip())
        self._show_surfaces([parent, *self.ls.replies(parent.channel, parent.ts)])

    def do_dms(self, arg: str) -> None:
        self._show_surfaces(list(self.ls.dm(self.driver.user.id)))

    def do_home(self, arg: str) -> None:
        self._report(self.driver.open_home())
        self._wait_until_quiet()
        self._sent = False
        home = self.ls.home(self.driver.user.id)
        if home is None:
            self.say("(the app has no Home tab for you)")
        else:
            self._show_surfaces([home])

    def _listed(self, number: str) -> Message:
        if not number.isdigit() or not 1 <= int(number) <= len(self.listing):
            raise ValueError(f"no message {number!r} in the last `show`")
        return self.listing[int(number) - 1]

    def _control(self, ref: str) -> tuple[Control, Surface] | None:
        if ref.isdigit():
            if int(ref) not in self.numbered:
                raise ValueError(f"nothing numbered {ref} on screen")
            return self.numbered[int(ref)]
        return None

    def do_click(self, arg: str) -> None:
        ref = arg.strip()
        found = self._control(ref)
        if found is not None:
            control, surface = found
            if control.type != "button":
                raise ValueError(f"[{ref}] is a {control.type}; use select {ref} VALUE")
            on_view = isinstance(surface, View)
            self._report(
                self.driver.click(
                    action_id=control.action_id,
                    block_id=control.block_id,
                    message=None if on_view else surface,
                    view=on_view,
                )
            )
            return
        top = self.ls.view(self.driver.user.id)
        if top is not None:
            try:
                self._report(self.driver.click(ref, view=True))
                return
            except AssertionError:
                pass  # not in the modal: look in the messages
        self._report(self.driver.click(ref))

    def do_select(self, arg: str) -> None:
        ref, _, value = arg.strip().partition(" ")
        found = self._control(ref)
        if found is not None:
            control, surface = found
            on_view = isinstance(surface, View)
            message = None if on_view else surface
            self._report(
                self.driver.select(control.action_id, value.strip(), message=message, view=on_view)
            )
            return
        on_view = self.ls.view(self.driver.user.id) is not None
        self._report(self.driver.select(ref, value.strip(), view=on_view))

    def do_set(self, arg: str) -> None:
        ref, _, value = arg.strip().partition(" ")
        found = self._control(ref)
        # By block_id: forms reuse one action_id in many blocks, and the first would win.
        key = found[0].block_id if found else ref
        self._report(self.driver.fill(key, value.strip()))

    def do_fill(self, arg: str) -> None:
        walk_inputs(self)

    def do_submit(self, arg: str) -> None:
        self._report(self.driver.submit())

    def do_close(self, arg: str) -> None:
        self._report(self.driver.close_view())


def _identity(surface: Surface) -> tuple[str, str, str]:
    if isinstance(surface, View):
        return ("v", surface.id, "")
    return ("e" if not isinstance(surface, Message) else "m", surface.channel, surface.ts)
