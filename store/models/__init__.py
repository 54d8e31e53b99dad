"""All models, imported here so `Base.metadata` knows every table (Alembic reads it).

A procedure's own tables live in `store/models/<name>.py`; every module of this package is
imported below, so adding one edits no shared file.
"""

import importlib
import pkgutil

from store.models.audit import AuditEntry, ProcessedEvent
from store.models.base import Base
from store.models.jobs import ChannelSlot, Job
from store.models.leave import LeaveEntry
from store.models.org import (
    Department,
    Membership,
    OrgChannel,
    OrgRoom,
    OrgSettings,
    Person,
    RoleGrant,
    UserProfile,
)
from store.models.prompts import PromptCursor, PromptResponse
from store.models.requests import (
    Delegation,
    Request,
    RequestApprover,
    RequestCounter,
    RequestStep,
)
from store.models.slack import (
    SlackApproverDM,
    SlackRequesterDM,
    SlackRequestMessage,
    SlackStepPrompt,
)

__all__ = [
    "AuditEntry",
    "Base",
    "ChannelSlot",
    "Delegation",
    "Department",
    "Job",
    "LeaveEntry",
    "Membership",
    "OrgChannel",
    "OrgRoom",
    "OrgSettings",
    "Person",
    "ProcessedEvent",
    "PromptCursor",
    "PromptResponse",
    "Request",
    "RequestApprover",
    "RequestCounter",
    "RequestStep",
    "RoleGrant",
    "SlackApproverDM",
    "SlackRequestMessage",
    "SlackRequesterDM",
    "SlackStepPrompt",
    "UserProfile",
]

for _found in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_found.name}")
