"""The org directory as the engine's routing sees it, and who a case's CC list names."""

from __future__ import annotations

from procedures.policy.procedures import CopyTo
from store.directory import Directory


class DirectoryOrg:
    """`approvals.OrgView` over the org directory."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory

    def approver_above(self, user: str) -> str | None:
        return self.directory.approver_for(user).user

    def head_of(self, user: str) -> str | None:
        dept = self.directory.department_of(user)
        return dept.head if dept else None

    def director_of(self, user: str) -> str | None:
        dept = self.directory.department_of(user)
        return dept.director if dept else None

    def users_with_role(self, role: str) -> list[str]:
        return self.directory.users_with_role(role)

    def is_member(self, user: str) -> bool:
        return self.directory.department_of(user) is not None


def copy_list(cc: CopyTo, requester: str, directory: Directory) -> list[str]:
    """The people a case's `cc` names (users, roles, the requester's head: their approver,
    for a head), never the requester themselves."""
    people = list(cc.users)
    for role in cc.roles:
        people += directory.users_with_role(role)
    if cc.head:
        dept = directory.department_of(requester)
        head = dept.head if dept else None
        if head == requester:
            head = directory.approver_for(requester).user
        if head:
            people.append(head)
    return sorted({p for p in people if p != requester})
