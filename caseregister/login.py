"""Logging in with a user name and a password, with throttling.

After ``LoginPolicy.max_failures`` wrong passwords in a row an account is locked for
``LoginPolicy.lock_minutes`` minutes; while it is locked no password is even checked (so the lock
cannot be used to go on guessing), and when it ends the count starts again from zero. A successful
login resets the count. The count is raised in the database itself (``failed_logins + 1``), so
attempts arriving at the same time on several workers are all counted.

What the person is told does not reveal whether a user name exists or an account is disabled: an
unknown name, a disabled account and a wrong password all get the same message, and take the time
of one password verification. Only a lock is told as such (with when it ends), which a real owner
needs to know.

``now`` is naive UTC, as the database stores times; callers pass it explicitly in tests.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from caseregister import audit, passwords
from caseregister.models import User, utcnow
from caseregister.settings import LoginPolicy

WRONG = "用户名或密码错误"


class LoginStatus(StrEnum):
    OK = "ok"
    REFUSED = "refused"  # unknown user, disabled account or wrong password: told the same way
    LOCKED = "locked"


class LoginResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: LoginStatus
    user_id: int | None = None
    locked_until: datetime | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status is LoginStatus.OK


def _locked(until: datetime) -> LoginResult:
    return LoginResult(status=LoginStatus.LOCKED, locked_until=until,
                       message=f"登录失败次数过多，账号已暂时锁定，请于 {until:%Y-%m-%d %H:%M}（UTC）后再试，"
                               "或请管理员重设密码")


def authenticate(session: Session, username: str, password: str, *, policy: LoginPolicy,
                 now: datetime | None = None) -> LoginResult:
    """Check a login and record its outcome (in the caller's writing session)."""
    moment = now or utcnow()
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        passwords.verify_nothing(password)
        return LoginResult(status=LoginStatus.REFUSED, message=WRONG)
    if user.locked_until is not None and user.locked_until > moment:
        passwords.verify_nothing(password)
        return _locked(user.locked_until)
    if not passwords.verify(user.password_hash, password):
        return _count_failure(session, user, policy, moment)
    if not user.active:
        return LoginResult(status=LoginStatus.REFUSED, message=WRONG)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = moment
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    session.flush()
    return LoginResult(status=LoginStatus.OK, user_id=user.id)


def _count_failure(session: Session, user: User, policy: LoginPolicy, moment: datetime) -> LoginResult:
    failures = session.execute(
        update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins).execution_options(synchronize_session=False)).scalar_one()
    if failures < policy.max_failures:
        session.refresh(user)
        return LoginResult(status=LoginStatus.REFUSED, message=WRONG)
    until = moment + timedelta(minutes=policy.lock_minutes)
    session.execute(update(User).where(User.id == user.id).values(failed_logins=0, locked_until=until)
                    .execution_options(synchronize_session=False))
    session.refresh(user)
    audit.record(session, actor=user.username, action="user.lock", entity="users", entity_id=user.id,
                 detail={"username": user.username, "failures": failures, "until": until.isoformat()})
    return _locked(until)
