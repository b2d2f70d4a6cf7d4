"""Password hashes (argon2id) and the strength check of new passwords."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from caseregister import passwords
from ecokernel.errors import UserError

GOOD = "Huanjing-2025!"


def test_the_standard_parameters_are_rfc9106s_second_option(monkeypatch: pytest.MonkeyPatch):
    """The suite hashes with the cheap "test" set (tests/conftest.py); a server, by default, does not."""
    monkeypatch.delenv(passwords.PARAMETERS_ENV)
    assert passwords.parameter_set_name() == "standard"
    made = passwords.hash_password(GOOD)
    assert made.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify(made, GOOD) and not passwords.needs_rehash(made)
    monkeypatch.setenv(passwords.PARAMETERS_ENV, "test")
    assert passwords.verify(made, GOOD) and passwords.needs_rehash(made)  # either set verifies the other's
    monkeypatch.setenv(passwords.PARAMETERS_ENV, "fast")
    with pytest.raises(UserError, match="ECOCLAIM_PASSWORD_HASH 的值“fast”无效"):
        passwords.hash_password(GOOD)


def test_a_hash_is_argon2id_salted_and_verifies():
    first, second = passwords.hash_password(GOOD), passwords.hash_password(GOOD)
    assert first.startswith("$argon2id$v=19$m=8192,t=1,p=1$")  # the suite's "test" set
    assert first != second  # a new salt each time
    assert GOOD not in first
    assert passwords.verify(first, GOOD) and passwords.verify(second, GOOD)
    assert not passwords.verify(first, GOOD + " ")
    assert not passwords.verify(first, "")


def test_chinese_passwords_verify():
    word = "生态环境损害赔偿2025年"
    assert passwords.verify(passwords.hash_password(word), word)
    assert not passwords.verify(passwords.hash_password(word), "生态环境损害赔偿2024年")


@pytest.mark.parametrize("damaged", ["", "not a hash", "$2b$12$abcdefghijklmnopqrstuv", "$argon2id$v=19$m=65536"])
def test_a_damaged_or_foreign_hash_never_verifies_and_needs_rehash(damaged: str):
    assert passwords.verify(damaged, GOOD) is False
    assert passwords.needs_rehash(damaged) is True


def test_needs_rehash_only_for_other_parameters():
    assert not passwords.needs_rehash(passwords.hash_password(GOOD))
    weaker = PasswordHasher(time_cost=1, memory_cost=4 * 1024, parallelism=1, type=Type.ID).hash(GOOD)
    other_variant = PasswordHasher(type=Type.I).hash(GOOD)
    for old in (weaker, other_variant):
        assert passwords.verify(old, GOOD)  # still lets its owner in …
        assert passwords.needs_rehash(old)  # … and is then replaced


def test_verify_nothing_takes_a_password_and_returns_nothing():
    assert passwords.verify_nothing(GOOD) is None


@pytest.mark.parametrize("password", [GOOD, "Shengtai-2025", "绿水青山就是金山银山，保护生态环境2025", "correct horse battery staple",
                                      "Zy#4kq9!mW"])
def test_strong_passwords_pass(password: str):
    assert passwords.strength_problems(password, username="zhangsan", display_name="张三") == []
    passwords.require_strong(password, username="zhangsan")


@pytest.mark.parametrize(("password", "expected"), [
    ("Ab1!", "密码太短：至少需要10个字符，现在只有4个"),
    ("abcdefghijk", "至少包含大写字母、小写字母、数字、其他字符（标点、汉字等）中的3类"),
    ("aaaaaaaaaaaaaaaaaaaa", "同一个字符的重复或连续的字符"),
    ("9876543210", "同一个字符的重复或连续的字符"),
    ("Password123", "常见的弱密码"),
    ("zhangsan-2025!", "密码不能包含用户名"),
    ("张三的密码Ab12", "密码不能包含姓名"),
    (" Leading-space1", "开头和结尾不能是空格"),
    ("Tab\tinside-12", "控制字符"),
    ("Aa1!" * 70, "密码太长"),
])
def test_weak_passwords_are_told_why_in_chinese(password: str, expected: str):
    problems = passwords.strength_problems(password, username="ZhangSan", display_name="张三")
    assert any(expected in p for p in problems), problems
    with pytest.raises(UserError, match=r"^密码不符合要求："):
        passwords.require_strong(password, username="ZhangSan", display_name="张三")


def test_every_problem_is_listed_at_once():
    problems = passwords.strength_problems("aaaa", username="aaaa")
    assert len(problems) == 3  # too short, one repeated character, contains the user name
