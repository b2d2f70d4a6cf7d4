"""Passwords of the register's local accounts: argon2id hashes (argon2-cffi) and a strength check.

Only the hash is ever stored. The parameters are RFC 9106's second recommended option (argon2id,
64 MiB, 3 passes, 4 lanes); a hash made with other parameters still verifies, and
:func:`needs_rehash` says when to replace it with one made with the current parameters (at the next
successful login). :func:`verify` never raises for a wrong password or a damaged hash: it answers
``False``. :func:`verify_nothing` spends the time of one verification, so that a login for an
unknown user name takes as long as one with a wrong password.

``ECOCLAIM_PASSWORD_HASH=test`` selects a cheap parameter set (argon2id, 8 MiB, 1 pass, 1 lane) for the test
suite only, which hashes several hundred passwords; a server must never run with it (``ecoclaim serve``
warns). Hashes made with either set verify under the other and are replaced at the next login.

The strength check answers in Chinese what is wrong with a new password (an empty list: acceptable).
"""

from __future__ import annotations

import itertools
import os
import unicodedata
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ecokernel.errors import UserError

PARAMETERS_ENV = "ECOCLAIM_PASSWORD_HASH"


@dataclass(frozen=True)
class Argon2Parameters:
    time_cost: int
    memory_cost_kib: int
    parallelism: int


#: parameter sets by name; "standard" (RFC 9106's second recommended option) unless the environment says
#: otherwise, "test" only for the test suite
PARAMETER_SETS = {
    "standard": Argon2Parameters(time_cost=3, memory_cost_kib=64 * 1024, parallelism=4),
    "test": Argon2Parameters(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1),
}

MIN_LENGTH = 10
#: a password at least this long need not mix kinds of characters (a passphrase)
PASSPHRASE_LENGTH = 16
MIN_KINDS = 3
MAX_LENGTH = 256

#: passwords refused whatever their length (compared case-insensitively)
COMMON = frozenset({
    "1234567890", "12345678910", "0123456789", "1qaz2wsx3edc", "1q2w3e4r5t", "qwertyuiop", "password123",
    "password1234", "passw0rd123", "p@ssw0rd123", "administrator", "admin123456", "abc123456789",
    "a1234567890", "qwerty123456", "iloveyou1314", "woaini1314520", "aa123456789", "abcd1234567",
})

def parameter_set_name() -> str:
    """The name of the parameter set in use (``ECOCLAIM_PASSWORD_HASH``, default ``standard``)."""
    name = os.environ.get(PARAMETERS_ENV, "").strip() or "standard"
    if name not in PARAMETER_SETS:
        raise UserError(f"{PARAMETERS_ENV} 的值“{name}”无效，可用：{'、'.join(PARAMETER_SETS)}")
    return name


@cache
def _hasher_for(name: str) -> PasswordHasher:
    p = PARAMETER_SETS[name]
    return PasswordHasher(time_cost=p.time_cost, memory_cost=p.memory_cost_kib, parallelism=p.parallelism,
                          hash_len=32, salt_len=16, type=Type.ID)


def _hasher() -> PasswordHasher:
    return _hasher_for(parameter_set_name())


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (a new random salt each time), in the PHC string format."""
    return _hasher().hash(password)


def verify(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (``False`` also for a damaged or foreign hash)."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters (or another variant) than the current ones."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@cache
def _dummy_hash(name: str) -> str:
    return _hasher_for(name).hash("ecoclaim-no-such-account")


def verify_nothing(password: str) -> None:
    """Spend the time of one verification (for a user name that does not exist)."""
    verify(_dummy_hash(parameter_set_name()), password)


def _kinds(password: str) -> int:
    kinds = set()
    for ch in password:
        if ch.isascii() and ch.isdigit():
            kinds.add("digit")
        elif ch.isascii() and ch.islower():
            kinds.add("lower")
        elif ch.isascii() and ch.isupper():
            kinds.add("upper")
        else:
            kinds.add("other")  # punctuation, spaces, Chinese and other letters
    return len(kinds)


def _one_run(password: str) -> bool:
    """All the same character, or one step up or down throughout ('abcdef', '987654')."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(password)}
    return len(steps) <= 1 and steps <= {-1, 0, 1}


def strength_problems(password: str, *, username: str | None = None, display_name: str | None = None) -> list[str]:
    """What is wrong with ``password`` as a new password, in Chinese (an empty list: acceptable)."""
    problems: list[str] = []
    if any(unicodedata.category(ch) == "Cc" for ch in password):
        problems.append("密码不能包含控制字符（如换行、制表符）")
    if password != password.strip():
        problems.append("密码的开头和结尾不能是空格")
    length = len(password)
    if length < MIN_LENGTH:
        problems.append(f"密码太短：至少需要{MIN_LENGTH}个字符，现在只有{length}个")
    if length > MAX_LENGTH:
        problems.append(f"密码太长：最多{MAX_LENGTH}个字符")
    if MIN_LENGTH <= length < PASSPHRASE_LENGTH and _kinds(password) < MIN_KINDS:
        problems.append(f"密码应至少包含大写字母、小写字母、数字、其他字符（标点、汉字等）中的{MIN_KINDS}类，"
                        f"或者长度不少于{PASSPHRASE_LENGTH}个字符")
    if password and _one_run(password):
        problems.append("密码不能是同一个字符的重复或连续的字符（如 aaaaaa、123456）")
    if password.lower() in COMMON:
        problems.append("这是常见的弱密码，请另选一个")
    lowered = password.lower()
    for label, value in (("用户名", username), ("姓名", display_name)):
        value = (value or "").strip().lower()
        if len(value) >= 2 and value in lowered:
            problems.append(f"密码不能包含{label}")
    return problems


def require_strong(password: str, *, username: str | None = None, display_name: str | None = None) -> None:
    """``UserError`` listing every problem of a new password, if it has any."""
    problems = strength_problems(password, username=username, display_name=display_name)
    if problems:
        raise UserError("密码不符合要求：" + "；".join(problems) + "。")
