"""Tests for ecokernel.identifiers: 统一社会信用代码 and 公民身份号码."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecokernel.errors import FormatError
from ecokernel.identifiers import (
    USCC_ALPHABET,
    classify_identifier,
    ric_birth_date,
    ric_check_char,
    uscc_check_char,
    validate_ric,
    validate_uscc,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
TODAY = date(2025, 6, 1)

# ---------------------------------------------------------------------------------------------
# 统一社会信用代码
# ---------------------------------------------------------------------------------------------


def test_alphabet_is_the_31_symbols() -> None:
    assert len(USCC_ALPHABET) == 31
    assert not set("IOZSV") & set(USCC_ALPHABET)
    assert USCC_ALPHABET.index("A") == 10
    assert USCC_ALPHABET.index("Y") == 30


@pytest.mark.parametrize("code", ["91110000600037341L", "91512081MA62K0260E", " 91512081MA62K0260E\n"])
def test_valid_uscc(code: str) -> None:
    assert validate_uscc(code) is None
    assert uscc_check_char(code.strip()[:17]) == code.strip()[17]


def test_worked_example_check_char() -> None:
    """LEGAL-FACTS §3.1: 91350100M000100Y4Z → Σ = 1640, 1640 mod 31 = 28, C18 = 3."""
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert validate_uscc("91350100M000100Y43") is None


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4Z", "统一社会信用代码第18位“Z”不是合法字符（不使用I、O、Z、S、V）"),
        ("91350100M000100Y4A", "统一社会信用代码校验位错误，应为 3，实为 A"),
        ("9111000060003734L", "统一社会信用代码应为18位，实为17位"),
        ("91110000600037341L0", "统一社会信用代码应为18位，实为19位"),
        ("91350100I000100Y43", "统一社会信用代码第9位“I”不是合法字符（不使用I、O、Z、S、V）"),
        ("91350100M0O0100Y43", "统一社会信用代码第11位“O”不是合法字符（不使用I、O、Z、S、V）"),
        ("9135A100M000100Y43", "统一社会信用代码第3—8位应为行政区划数字，第5位为“A”"),
        ("91350100M000100Y4-", "统一社会信用代码第18位“-”不是合法字符"),
        ("９1110000600037341L", "统一社会信用代码第1位“９”是全角字符，应使用半角字符"),
        ("91110000600037341l", "统一社会信用代码应为大写字母：第18位“l”应为“L”"),
        ("9111 000600037341L", "统一社会信用代码中不应有空格"),
        ("   ", "统一社会信用代码为空"),
    ],
)
def test_invalid_uscc(code: str, message: str) -> None:
    assert validate_uscc(code) == message


def test_uscc_letters_allowed_in_positions_1_and_2() -> None:
    first17 = "Y1110000600037341"
    code = first17 + uscc_check_char(first17)
    assert validate_uscc(code) is None
    assert validate_uscc("A" + code[1:]) is not None  # the check character then no longer fits


def test_uscc_lower_case_only_accepted_when_not_strict() -> None:
    assert validate_uscc("91512081ma62k0260e") == "统一社会信用代码应为大写字母：第9位“m”应为“M”"
    assert validate_uscc("91512081ma62k0260e", strict=False) is None
    assert validate_uscc("91512081ma62k0260f", strict=False) == "统一社会信用代码校验位错误，应为 E，实为 F"


@pytest.mark.parametrize(
    ("first17", "fragment"), [("9111000060003734", "前17位"), ("91110000600037I41", "第15位")]
)
def test_uscc_check_char_errors(first17: str, fragment: str) -> None:
    with pytest.raises(FormatError) as excinfo:
        uscc_check_char(first17)
    assert fragment in str(excinfo.value)


USCC_SYMBOL = st.sampled_from(USCC_ALPHABET)
USCC_BODIES = st.builds(
    lambda head, region, body: "".join(head) + "".join(region) + "".join(body),
    st.lists(USCC_SYMBOL, min_size=2, max_size=2),
    st.lists(st.sampled_from("0123456789"), min_size=6, max_size=6),
    st.lists(USCC_SYMBOL, min_size=9, max_size=9),
)


@given(USCC_BODIES, USCC_SYMBOL)
def test_generated_uscc_validates_and_any_other_check_char_fails(first17: str, other: str) -> None:
    check = uscc_check_char(first17)
    assert validate_uscc(first17 + check) is None
    if other != check:
        message = validate_uscc(first17 + other)
        assert message == f"统一社会信用代码校验位错误，应为 {check}，实为 {other}"


@given(USCC_BODIES, st.integers(0, 16), USCC_SYMBOL)
def test_uscc_single_substitution_is_detected(first17: str, index: int, symbol: str) -> None:
    """The weights are invertible mod 31: changing any one character breaks the check."""
    code = first17 + uscc_check_char(first17)
    changed = code[:index] + symbol + code[index + 1 :]
    if changed != code:
        assert validate_uscc(changed) is not None


# ---------------------------------------------------------------------------------------------
# 公民身份号码
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", " 11010519491231002X "])
def test_valid_ric(number: str) -> None:
    assert validate_ric(number, today=TODAY) is None
    assert ric_check_char(number.strip()[:17]) == number.strip()[17]


def test_ric_check_table() -> None:
    """R = Σ mod 11 → 1 0 X 9 8 7 6 5 4 3 2 (LEGAL-FACTS §3.2)."""
    # A body whose only non-zero digit is the last one: Σ = d·2.
    assert [ric_check_char("0" * 16 + str(d)) for d in range(6)] == ["1", "X", "8", "6", "4", "2"]


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "身份证号码校验码错误，应为 X，实为 1"),
        ("440524188001010015", "身份证号码校验码错误，应为 4，实为 5"),
        ("11010519491231002x", "身份证号码校验码应为大写“X”，不应为小写“x”"),
        ("110105491231002", "这是15位的旧身份证号码，没有校验码，应使用18位的公民身份号码"),
        ("1101051949123100", "身份证号码应为18位，实为16位"),
        ("11010519491231A02X", "身份证号码第15位“A”应为数字"),
        ("11010519491231002Y", "身份证号码第18位“Y”应为数字或“X”"),
        ("11010519490230002X", "身份证号码中的出生日期“19490230”不存在"),
        ("11010520300101002X", "身份证号码中的出生日期2030年1月1日晚于当前日期"),
        ("110105 19491231002", "身份证号码中不应有空格"),
        ("", "身份证号码为空"),
    ],
)
def test_invalid_ric(number: str, message: str) -> None:
    assert validate_ric(number, today=TODAY) == message


def test_ric_lower_case_x_when_not_strict() -> None:
    assert validate_ric("11010519491231002x", strict=False, today=TODAY) is None


def test_ric_future_birth_date_depends_on_today() -> None:
    first17 = "11010520300101002"
    number = first17 + ric_check_char(first17)
    assert validate_ric(number, today=date(2029, 12, 31)) is not None
    assert validate_ric(number, today=date(2030, 1, 1)) is None


def test_ric_birth_date() -> None:
    assert ric_birth_date("11010519491231002X") == date(1949, 12, 31)
    assert ric_birth_date("440524188001010014") == date(1880, 1, 1)
    assert ric_birth_date("110105491231002") == date(1949, 12, 31)


@pytest.mark.parametrize(("number", "fragment"), [("11010519491331002X", "不存在"), ("abc", "18位")])
def test_ric_birth_date_errors(number: str, fragment: str) -> None:
    with pytest.raises(FormatError) as excinfo:
        ric_birth_date(number)
    assert fragment in str(excinfo.value)
    assert CJK.search(str(excinfo.value))


@pytest.mark.parametrize("first17", ["1101051949123100", "1101051949123100A"])
def test_ric_check_char_errors(first17: str) -> None:
    with pytest.raises(FormatError) as excinfo:
        ric_check_char(first17)
    assert "前17位数字" in str(excinfo.value)


RIC_BODIES = st.builds(
    lambda region, birth, seq: f"{region}{birth:%Y%m%d}{seq:03d}",
    st.integers(110000, 659999),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(0, 999),
)


@given(RIC_BODIES, st.sampled_from("0123456789X"))
def test_generated_ric_validates_and_any_other_check_char_fails(first17: str, other: str) -> None:
    check = ric_check_char(first17)
    assert validate_ric(first17 + check, today=TODAY) is None
    assert ric_birth_date(first17 + check) == date(
        int(first17[6:10]), int(first17[10:12]), int(first17[12:14])
    )
    if other != check:
        assert (
            validate_ric(first17 + other, today=TODAY) == f"身份证号码校验码错误，应为 {check}，实为 {other}"
        )


@given(RIC_BODIES, st.integers(0, 16), st.sampled_from("0123456789"))
def test_ric_single_digit_change_is_detected(first17: str, index: int, digit: str) -> None:
    number = first17 + ric_check_char(first17)
    changed = number[:index] + digit + number[index + 1 :]
    if changed != number:
        assert validate_ric(changed, today=TODAY) is not None


# ---------------------------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("91110000600037341L", "uscc"),
        ("91512081MA62K0260E", "uscc"),
        ("91350100M000100Y4Z", "uscc"),  # invalid, but clearly meant as a USCC
        ("91110000600037341l", "uscc"),
        ("11010519491231002X", "ric"),
        ("440524188001010014", "ric"),
        ("110105194912310021", "ric"),  # wrong check digit, still a 身份证号
        ("11010519491332002X", "ric"),  # impossible date, still a 身份证号
        ("110105491231002", "ric"),
        ("1234", "unknown"),
        ("张三", "unknown"),
        ("91110000-60003734-1", "unknown"),
    ],
)
def test_classify_identifier(text: str, kind: str) -> None:
    assert classify_identifier(text) == kind


@given(USCC_BODIES)
def test_classify_valid_uscc(first17: str) -> None:
    code = first17 + uscc_check_char(first17)
    # An all-digit USCC may also be a valid 身份证号; otherwise it must be classified as a USCC.
    if validate_ric(code) is not None:
        assert classify_identifier(code) == "uscc"
