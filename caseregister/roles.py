"""The roles of a register account, declared once: a stable English code (stored in the database,
used in code and in the API) and the Chinese label a person sees.

- ``drafter`` 起草: drafts and edits the cases of their department;
- ``reviewer`` 审查: reviews documents and records findings;
- ``head`` 负责人: approves (审批) what the department sends out;
- ``admin`` 管理员: manages accounts and departments;
- ``reader`` 只读: reads, changes nothing.

What each role may do to the cases of its own department is :data:`PERMISSIONS` (data, declared
here once): the HTTP routes ask :func:`may` and answer a refusal with :func:`refusal`.
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


class Permission(StrEnum):
    """Something a user may do to a case of their own department."""

    EDIT = "edit"
    GENERATE = "generate"
    REVIEW = "review"
    APPROVE = "approve"


#: permission → what it allows, in Chinese (completes "不能…")
PERMISSION_LABELS: dict[Permission, str] = {
    Permission.EDIT: "新建案件或保存案件数据的新版本",
    Permission.GENERATE: "生成文书或上传签署件",
    Permission.REVIEW: "审查文书或接受审查发现",
    Permission.APPROVE: "审批案件数据",
}

#: permission → the roles that have it (管理员 manages accounts, not cases; 只读 changes nothing)
PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.EDIT: frozenset({Role.DRAFTER}),
    Permission.GENERATE: frozenset({Role.DRAFTER}),
    Permission.REVIEW: frozenset({Role.REVIEWER}),
    Permission.APPROVE: frozenset({Role.HEAD}),
}

#: roles that may change cases in some way (the others only read them)
WRITING_ROLES: frozenset[Role] = frozenset().union(*PERMISSIONS.values())


def label(code: str) -> str:
    return ROLE_LABELS[Role(code)]


def may(role: str | Role, permission: Permission) -> bool:
    return Role(role) in PERMISSIONS[permission]


def permissions_of(role: str | Role) -> list[Permission]:
    return [p for p in Permission if may(role, p)]


def refusal(role: str | Role, permission: Permission) -> str:
    """Why ``role`` may not do ``permission``, in Chinese, naming the roles that may."""
    allowed = "或".join(ROLE_LABELS[r] for r in Role if r in PERMISSIONS[permission])
    return f"您的角色（{ROLE_LABELS[Role(role)]}）不能{PERMISSION_LABELS[permission]}：需要{allowed}角色"


def parse_role(given: str) -> Role:
    """A role from its code or its Chinese label (``drafter`` or ``起草``); ``UserError`` otherwise."""
    given = given.strip()
    for role, text in ROLE_LABELS.items():
        if given.lower() == role.value or given == text:
            return role
    choices = "、".join(f"{text}（{role.value}）" for role, text in ROLE_LABELS.items())
    raise UserError(f"没有“{given}”这个角色：可选 {choices}")
