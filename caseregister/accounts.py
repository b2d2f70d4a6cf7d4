"""Departments and user accounts: create, list, disable, change a password; per-user API tokens.

Every change is audited in the caller's transaction (a password or token never appears in the log,
only that it changed). User names are ASCII (lower case, digits, ``. _ -``) and compared in lower
case; department codes are ASCII too. Messages are Chinese ``UserError``s.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from caseregister import audit, passwords
from caseregister.models import NAME, ApiToken, Case, Department, User, utcnow
from caseregister.roles import Role, parse_role
from caseregister.schemas import DepartmentInfo, UserInfo
from ecokernel.errors import UserError

USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,49}")
#: the form of the codes given to departments created by name alone (models.implicit_code)
IMPLICIT_CODE = re.compile(r"D[0-9]+")
TOKEN_PREFIX = "eck_"


# ---- departments -------------------------------------------------------------------------------

def find_department(session: Session, given: str) -> Department:
    """A department by its code or, failing that, its name."""
    given = given.strip()
    found = session.scalar(select(Department).where(Department.code == given)) or session.scalar(
        select(Department).where(Department.name == given))
    if found is None:
        raise UserError(f"没有代码或名称为“{given}”的部门：可用 ecoclaim db dept list 查看")
    return found


def add_department(session: Session, name: str, code: str, *, parent: str | None = None,
                   actor: str) -> Department:
    """A new department with its code and, optionally, its superior department (code or name)."""
    name, code, actor = name.strip(), code.strip(), _actor(actor)
    if not name:
        raise UserError("部门名称不能为空")
    if len(name) > NAME:
        raise UserError(f"部门名称太长：最多{NAME}个字符")
    if not CODE_PATTERN.fullmatch(code):
        raise UserError(f"部门代码“{code}”不合要求：只能由字母、数字、下划线、连字符组成，以字母或数字开头，最多50个字符")
    if IMPLICIT_CODE.fullmatch(code):
        raise UserError(f"部门代码“{code}”的形式（D加数字）留给导入案件时自动建立的部门，请另选一个")
    if session.scalar(select(Department.id).where(Department.name == name)) is not None:
        raise UserError(f"已有名为“{name}”的部门")
    if session.scalar(select(Department.id).where(Department.code == code)) is not None:
        raise UserError(f"部门代码“{code}”已被使用")
    superior = find_department(session, parent) if parent else None
    dept = Department(name=name, code=code, parent_id=superior.id if superior else None)
    session.add(dept)
    session.flush()
    audit.record(session, actor=actor, action="department.create", entity="departments", entity_id=dept.id,
                 detail={"name": name, "code": code, "parent": superior.code if superior else None})
    return dept


def list_departments(session: Session) -> list[DepartmentInfo]:
    users: dict[int, int] = {d: n for d, n in session.execute(
        select(User.department_id, func.count()).group_by(User.department_id))}
    cases: dict[int, int] = {d: n for d, n in session.execute(
        select(Case.department_id, func.count()).group_by(Case.department_id))}
    result = []
    for dept in session.scalars(select(Department).order_by(Department.code)):
        result.append(DepartmentInfo(id=dept.id, code=dept.code, name=dept.name,
                                     parent_code=dept.parent.code if dept.parent else None,
                                     parent_name=dept.parent.name if dept.parent else None,
                                     users=users.get(dept.id, 0), cases=cases.get(dept.id, 0)))
    return result


# ---- users -------------------------------------------------------------------------------------

def _actor(actor: str) -> str:
    actor = actor.strip()
    if not actor:
        raise UserError("请注明操作人（记入审计记录）")
    return actor


def normalise_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME_PATTERN.fullmatch(name):
        raise UserError(f"用户名“{username.strip()}”不合要求：2至64个字符，只能用小写字母、数字和 . _ -，"
                        "以字母或数字开头")
    return name


def find_user(session: Session, username: str) -> User:
    name = username.strip().lower()
    found = session.scalar(select(User).where(User.username == name))
    if found is None:
        raise UserError(f"没有用户“{username.strip()}”：可用 ecoclaim db user list 查看")
    return found


def add_user(session: Session, username: str, display_name: str, password: str, role: str | Role,
             department: str, *, actor: str) -> User:
    """A new active account. The password must pass :func:`passwords.require_strong`."""
    actor = _actor(actor)
    name = normalise_username(username)
    display_name = display_name.strip()
    if not display_name:
        raise UserError("请填写用户的姓名")
    if len(display_name) > NAME:
        raise UserError(f"姓名太长：最多{NAME}个字符")
    chosen = role if isinstance(role, Role) else parse_role(role)
    dept = find_department(session, department)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise UserError(f"用户名“{name}”已被使用")
    passwords.require_strong(password, username=name, display_name=display_name)
    user = User(username=name, display_name=display_name, password_hash=passwords.hash_password(password),
                role=chosen.value, department_id=dept.id, active=True, failed_logins=0)
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="user.create", entity="users", entity_id=user.id,
                 detail={"username": name, "display_name": display_name, "role": chosen.value,
                         "department": dept.code})
    return user


def _info(user: User) -> UserInfo:
    return UserInfo(id=user.id, username=user.username, display_name=user.display_name, role=Role(user.role),
                    department_code=user.department.code, department_name=user.department.name,
                    active=user.active, failed_logins=user.failed_logins, locked_until=user.locked_until,
                    last_login_at=user.last_login_at, created_at=user.created_at)


def list_users(session: Session, department: str | None = None) -> list[UserInfo]:
    query = select(User).order_by(User.username)
    if department is not None:
        query = query.where(User.department_id == find_department(session, department).id)
    return [_info(user) for user in session.scalars(query)]


def disable_user(session: Session, username: str, *, actor: str, now: datetime | None = None) -> User:
    """The account can no longer log in; its API tokens are revoked."""
    actor = _actor(actor)
    user = find_user(session, username)
    if not user.active:
        raise UserError(f"用户“{user.username}”已经停用")
    moment = now or utcnow()
    user.active = False
    revoked = 0
    for token in user.tokens:
        if token.revoked_at is None:
            token.revoked_at = moment
            revoked += 1
    audit.record(session, actor=actor, action="user.disable", entity="users", entity_id=user.id,
                 detail={"username": user.username, "tokens_revoked": revoked})
    return user


def set_password(session: Session, username: str, password: str, *, actor: str,
                 now: datetime | None = None) -> User:
    """A new password (it must pass the strength check); a lock from failed logins ends with it."""
    actor = _actor(actor)
    user = find_user(session, username)
    passwords.require_strong(password, username=user.username, display_name=user.display_name)
    if passwords.verify(user.password_hash, password):
        raise UserError("新密码不能与原密码相同")
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = now or utcnow()
    user.failed_logins = 0
    user.locked_until = None
    audit.record(session, actor=actor, action="user.password", entity="users", entity_id=user.id,
                 detail={"username": user.username})
    return user


# ---- API tokens --------------------------------------------------------------------------------

def token_digest(token: str) -> str:
    """What is stored of a token: its SHA-256 (a token is random, so no slow hash is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, username: str, name: str, *, actor: str,
                expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new API token for an active user: the row and the token itself, shown this once only."""
    actor = _actor(actor)
    user = find_user(session, username)
    if not user.active:
        raise UserError(f"用户“{user.username}”已经停用，不能签发令牌")
    name = name.strip() or "API 令牌"
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name[:NAME], token_sha256=token_digest(token), expires_at=expires_at)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="token.create", entity="api_tokens", entity_id=row.id,
                 detail={"username": user.username, "name": row.name})
    return row, token


def token_user(session: Session, token: str, *, now: datetime | None = None) -> User | None:
    """The active user a presented token belongs to (``None``: unknown, revoked, expired or disabled)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    # one query: the token, its user and the user's department (the caller's answer needs both)
    row = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == token_digest(token))
                         .options(joinedload(ApiToken.user).joinedload(User.department)))
    moment = now or utcnow()
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= moment):
        return None
    return row.user if row.user.active else None
