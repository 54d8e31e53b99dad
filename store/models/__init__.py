"""All models, imported here so `Base.metadata` knows every table (Alembic reads it)."""

from store.models.audit import AuditEntry, ProcessedEvent
from store.models.base import Base
from store.models.jobs import Job
from store.models.leave import LeaveEntry
from store.models.org import (
    Department,
    Membership,
    OrgChannel,
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
    "Delegation",
    "Department",
    "Job",
    "LeaveEntry",
    "Membership",
    "OrgChannel",
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
