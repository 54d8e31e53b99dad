"""The demo workspace: people and channels for localslack, and the org file that matches.

Used by `procedo local` and by the end-to-end tests, so both speak about the same people.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from localslack import LocalSlack

ORG_FILE = Path(__file__).parent / "org.yml"


@dataclass(frozen=True)
class DemoUser:
    id: str
    name: str
    real_name: str
    email: str
    locale: str
    tz: str = "Asia/Shanghai"


USERS = (
    DemoUser("U0ALICE", "alice", "Alice Wang 王爱丽", "alice@demo.procedo.dev", "en-US"),
    DemoUser("U0BOB", "bob", "Bob Li 李波", "bob@demo.procedo.dev", "zh-CN"),
    DemoUser("U0CAROL", "carol", "Carol Liu 刘卡罗", "carol@demo.procedo.dev", "en-US"),
    DemoUser("U0DAN", "dan", "Dan Zhao 赵丹", "dan@demo.procedo.dev", "zh-CN"),
    DemoUser(
        "U0ERIN", "erin", "Erin Chen 陈尔琳", "erin@demo.procedo.dev", "en-GB", "Europe/London"
    ),
    DemoUser("U0FAY", "fay", "Fay Sun 孙菲", "fay@demo.procedo.dev", "zh-CN"),
    DemoUser("U0GUS", "gus", "Gus Zhou 周国胜", "gus@demo.procedo.dev", "zh-CN"),
    DemoUser("U0HANA", "hana", "Hana Xu 徐涵", "hana@demo.procedo.dev", "en-US"),
    DemoUser("U0IAN", "ian", "Ian Wu 吴逸安", "ian@demo.procedo.dev", "en-US", "Asia/Hong_Kong"),
    # Not in the org file: someone who joined Slack but not the directory yet.
    DemoUser("U0ZOE", "zoe", "Zoe Ma 马卓", "zoe@demo.procedo.dev", "zh-CN"),
)

EVERYONE = tuple(user.id for user in USERS)

CHANNELS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("C0GENERAL", "general", EVERYONE),
    ("C0APPROVALS", "approvals", EVERYONE),
    ("C0ANNOUNCE", "announcements", EVERYONE),
    ("C0ADMIN", "admin", ("U0CAROL", "U0GUS", "U0DAN")),
    ("C0HR", "hr", ("U0HANA", "U0DAN")),
    ("C0FINANCE", "finance", ("U0FAY", "U0IAN", "U0DAN")),
    ("C0OPSTEAM", "ops-team", ("U0ALICE", "U0BOB", "U0ERIN", "U0DAN")),
    ("C0ADMINTEAM", "admin-team", ("U0CAROL", "U0GUS")),
    ("C0RANDOM", "random", EVERYONE),
    ("C0RISK", "risk-alerts", EVERYONE),
)
# A channel the bot was never invited to, for the "bad channel" cases.
CHANNEL_WITHOUT_BOT = ("C0NOBOT", "no-bot", EVERYONE)


def org_text() -> str:
    return ORG_FILE.read_text(encoding="utf-8")


def populate(ls: LocalSlack) -> None:
    """Put the demo people and channels into a local Slack workspace."""
    for user in USERS:
        ls.add_user(
            user.id,
            user.name,
            real_name=user.real_name,
            email=user.email,
            tz=user.tz,
            locale=user.locale,
        )
    for channel_id, name, members in CHANNELS:
        ls.add_channel(channel_id, name, members=members)
    channel_id, name, members = CHANNEL_WITHOUT_BOT
    ls.add_channel(channel_id, name, members=members, bot_member=False)
