"""The roles of a register account, declared once: a stable English code (stored in the database,
used in code and in the API) and the Chinese label a person sees.

- ``drafter`` 起草: drafts and edits the cases of their department;
- ``reviewer`` 审查: reviews documents and records findings;
- ``head`` 负责人: approves (审批) what the department sends out;
- ``admin`` 管理员: manages accounts and departments;
- ``reader`` 只读: reads, changes nothing.
"""

from __future__ import annotations

from enum import StrEnum

from ecokernel.errors import UserError


class Role(StrEnum):
    DRAFTER = "drafter"
    REVIEWER = "reviewer"
    HEAD = "head"
    ADMIN = "admin"
    READER = "reader"


#: role → its Chinese label (the one place the labels are written)
ROLE_LABELS: dict[Role, str] = {
    Role.DRAFTER: "起草",
    Role.REVIEWER: "审查",
    Role.HEAD: "负责人",
    Role.ADMIN: "管理员",
    Role.READER: "只读",
}

#: the codes, in the order above (the database's CHECK constraint lists exactly these)
ROLE_CODES: tuple[str, ...] = tuple(role.value for role in Role)

#: roles that may change cases (the others only read them)
WRITING_ROLES: frozenset[Role] = frozenset({Role.DRAFTER, Role.REVIEWER, Role.HEAD, Role.ADMIN})


def label(code: str) -> str:
    return ROLE_LABELS[Role(code)]


def parse_role(given: str) -> Role:
    """A role from its code or its Chinese label (``drafter`` or ``起草``); ``UserError`` otherwise."""
    given = given.strip()
    for role, text in ROLE_LABELS.items():
        if given.lower() == role.value or given == text:
            return role
    choices = "、".join(f"{text}（{role.value}）" for role, text in ROLE_LABELS.items())
    raise UserError(f"没有“{given}”这个角色：可选 {choices}")
