"""Which cases a user may see and change.

A user sees the cases of their own department and, read-only, those of every department below it
(a department whose superior — ``parent_id`` — is theirs, or is below theirs, and so on). They may
change only their own department's cases, and only in a role that writes
(:data:`caseregister.roles.WRITING_ROLES`; 只读 never does). A disabled account sees nothing.

:func:`visible_cases` narrows any ``SELECT`` over :class:`~caseregister.models.Case` to what the user
may see; :func:`case_access` answers for one case. Routes that take a case id should look the case
up through :func:`visible_cases`, so that another department's case is simply not found (404).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from caseregister.models import Case, Department, User
from caseregister.roles import WRITING_ROLES, Role


class Access(StrEnum):
    READ = "read"
    WRITE = "write"


def readable_department_ids(session: Session, user: User) -> set[int]:
    """The user's department and every department below it."""
    if not user.active:
        return set()
    children: dict[int, list[int]] = {}
    for dept_id, parent_id in session.execute(select(Department.id, Department.parent_id)):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(dept_id)
    found: set[int] = set()
    pending = [user.department_id]
    while pending:  # a walk down the tree; "found" also stops a cycle, should one ever be stored
        current = pending.pop()
        if current in found:
            continue
        found.add(current)
        pending.extend(children.get(current, []))
    return found


def writable_department_ids(user: User) -> set[int]:
    """The departments whose cases the user may change: their own, in a role that writes."""
    return {user.department_id} if user.active and Role(user.role) in WRITING_ROLES else set()


def visible_cases(session: Session, user: User, query: Select[Any] | None = None) -> Select[Any]:
    """``query`` (all cases when not given) narrowed to the cases the user may see."""
    query = select(Case) if query is None else query
    ids = readable_department_ids(session, user)
    return query.where(Case.department_id.in_(ids) if ids else false())


def case_access(session: Session, user: User, case: Case) -> Access | None:
    """What the user may do with ``case``: change it, only read it, or nothing (``None``)."""
    if case.department_id in writable_department_ids(user):
        return Access.WRITE
    if case.department_id in readable_department_ids(session, user):
        return Access.READ
    return None
