"""LocalSlack: a local Slack workspace for end-to-end tests and the terminal demo.

with LocalSlack(clock=FakeClock()) as ls:
    ls.add_user("U1", "bob")
    ls.add_channel("C1", "general", members=["bob"])
    ls.bot_events_url = "http://127.0.0.1:3000/slack/events"
    ls.driver("bob").command("/procedo", "help", channel="general")
    ls.wait_ephemeral("bob", contains="help")
"""

from localslack.core import LocalSlack
from localslack.driver import Driver
from localslack.faults import FaultRule
from localslack.records import (
    ApiCall,
    BotResponse,
    Channel,
    Ephemeral,
    FileRecord,
    Message,
    User,
    View,
)

__all__ = [
    "ApiCall",
    "BotResponse",
    "Channel",
    "Driver",
    "Ephemeral",
    "FaultRule",
    "FileRecord",
    "LocalSlack",
    "Message",
    "User",
    "View",
]
