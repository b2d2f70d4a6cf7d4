"""Identifiers with check characters: 统一社会信用代码 (GB 32100-2015) and 公民身份号码 (GB 11643-1999).

``validate_*`` return ``None`` for a valid identifier and otherwise one Chinese message naming
the first problem found; ``*_check_char`` compute check characters. Sources: LEGAL-FACTS §3.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from ecokernel import clock
from ecokernel.errors import FormatError

__all__ = [
    "USCC_ALPHABET",
    "classify_identifier",
    "ric_birth_date",
    "ric_check_char",
    "uscc_check_char",
    "validate_ric",
    "validate_uscc",
]

# --------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)
# --------------------------------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 symbols of GB 32100-2015 in value order (digits, upper-case letters without I O Z S V)."""

_USCC_VALUES = {ch: value for value, ch in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # Wi = 3^(i-1) mod 31
_USCC_EXCLUDED = "IOZSV"


def uscc_check_char(first17: str) -> str:
    """Return the check character (position 18) for the first 17 characters of a USCC.

    ``C18 = (31 − Σ Ci·Wi mod 31) mod 31``, mapped back through :data:`USCC_ALPHABET`.
    Raises ``FormatError`` unless ``first17`` is 17 characters of the 31-symbol set.
    """
    if len(first17) != 17:
        raise FormatError(f"计算统一社会信用代码校验位需要前17位，实为{len(first17)}位")
    for index, ch in enumerate(first17, start=1):
        if ch not in _USCC_VALUES:
            raise FormatError(f"统一社会信用代码第{index}位“{ch}”不是合法字符")
    total = sum(_USCC_VALUES[ch] * weight for ch, weight in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _uscc_char_problem(index: int, ch: str) -> str:
    if "０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ":
        return f"统一社会信用代码第{index}位“{ch}”是全角字符，应使用半角字符"
    if ch in _USCC_EXCLUDED:
        return f"统一社会信用代码第{index}位“{ch}”不是合法字符（不使用I、O、Z、S、V）"
    return f"统一社会信用代码第{index}位“{ch}”不是合法字符"


def validate_uscc(code: str, *, strict: bool = True) -> str | None:
    """Validate a 统一社会信用代码; return ``None`` if valid, else a Chinese message.

    Surrounding whitespace is ignored. Positions 1–2 and 9–18 take the 31-symbol set (letters
    are allowed in positions 1–2, see LEGAL-FACTS §3.1), positions 3–8 digits only. With
    ``strict`` (the default) lower-case letters are reported; with ``strict=False`` they are
    upper-cased before checking.
    """
    text = code.strip()
    if not text:
        return "统一社会信用代码为空"
    if any(ch.isspace() for ch in text):
        return "统一社会信用代码中不应有空格"
    if len(text) != 18:
        return f"统一社会信用代码应为18位，实为{len(text)}位"
    if strict:
        lower = [(i, ch) for i, ch in enumerate(text, start=1) if "a" <= ch <= "z"]
        if lower:
            index, ch = lower[0]
            return f"统一社会信用代码应为大写字母：第{index}位“{ch}”应为“{ch.upper()}”"
    else:
        text = text.upper()
    for index, ch in enumerate(text, start=1):
        if 3 <= index <= 8:
            if not "0" <= ch <= "9":
                return f"统一社会信用代码第3—8位应为行政区划数字，第{index}位为“{ch}”"
        elif ch not in _USCC_VALUES:
            return _uscc_char_problem(index, ch)
    expected = uscc_check_char(text[:17])
    if text[17] != expected:
        return f"统一社会信用代码校验位错误，应为 {expected}，实为 {text[17]}"
    return None


# --------------------------------------------------------------------------------------------
# 公民身份号码 (GB 11643-1999)
# --------------------------------------------------------------------------------------------

_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(18−i) mod 11
_RIC_CHECK = "10X98765432"  # ISO 7064 MOD 11-2: R = Σ mod 11 → check character


def ric_check_char(first17: str) -> str:
    """Return the check character (0–9 or X) for the first 17 digits of a 身份证号 (MOD 11-2).

    Raises ``FormatError`` unless ``first17`` is 17 ASCII digits.
    """
    if len(first17) != 17 or not re.fullmatch(r"[0-9]{17}", first17):
        raise FormatError(f"计算身份证号码校验码需要前17位数字，实为“{first17}”")
    total = sum(int(ch) * weight for ch, weight in zip(first17, _RIC_WEIGHTS, strict=True))
    return _RIC_CHECK[total % 11]


def _birth_date_text(number: str) -> str:
    """The YYYYMMDD birth date of an 18-digit or (as 19YYMMDD) a 15-digit number."""
    return number[6:14] if len(number) == 18 else "19" + number[6:12]


def ric_birth_date(number: str) -> date:
    """Return the birth date encoded in a 身份证号 (18 digits, or the old 15-digit form as 19YY).

    Raises ``FormatError`` if the number has the wrong shape or the date does not exist. Does
    not check the check character (see :func:`validate_ric`).
    """
    text = number.strip()
    if not re.fullmatch(r"[0-9]{17}[0-9Xx]|[0-9]{15}", text):
        raise FormatError(f"无法从“{text}”中读取出生日期：身份证号码应为18位（前17位为数字）")
    birth = _birth_date_text(text)
    try:
        return date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError as exc:
        raise FormatError(f"身份证号码中的出生日期“{birth}”不存在") from exc


def validate_ric(number: str, *, strict: bool = True, today: date | None = None) -> str | None:
    """Validate an 18-character 公民身份号码; return ``None`` if valid, else a Chinese message.

    Checks length, 17 digits then a digit or upper-case X (a lower-case x is reported unless
    ``strict=False``), that the birth date exists and is not after ``today`` (default: the
    current date), and the MOD 11-2 check character. A 15-digit (GB 11643-1989) number is
    reported as lacking a check digit.
    """
    text = number.strip()
    if not text:
        return "身份证号码为空"
    if any(ch.isspace() for ch in text):
        return "身份证号码中不应有空格"
    if re.fullmatch(r"[0-9]{15}", text):
        return "这是15位的旧身份证号码，没有校验码，应使用18位的公民身份号码"
    if len(text) != 18:
        return f"身份证号码应为18位，实为{len(text)}位"
    for index, ch in enumerate(text[:17], start=1):
        if not "0" <= ch <= "9":
            return f"身份证号码第{index}位“{ch}”应为数字"
    last = text[17]
    if last == "x" and strict:
        return "身份证号码校验码应为大写“X”，不应为小写“x”"
    last = last.upper()
    if last not in "0123456789X":
        return f"身份证号码第18位“{last}”应为数字或“X”"
    try:
        birth = ric_birth_date(text)
    except FormatError as exc:
        return exc.message
    if birth > (today or clock.today()):
        return f"身份证号码中的出生日期{birth.year}年{birth.month}月{birth.day}日晚于当前日期"
    expected = ric_check_char(text[:17])
    if last != expected:
        return f"身份证号码校验码错误，应为 {expected}，实为 {last}"
    return None


# --------------------------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------------------------


#: an 18-character code standing on its own in text, with at least ten digits (a 统一社会信用代码 or a
#: 身份证号码 written without its label; not a word of Latin letters)
BARE_CODE_RX = re.compile(r"(?<![0-9A-Za-z])(?=[0-9A-Za-z]{18}(?![0-9A-Za-z]))(?=(?:[A-Za-z]*\d){10})[0-9A-Za-z]{18}")


def classify_identifier(s: str) -> Literal["uscc", "ric", "unknown"]:
    """Guess which kind of identifier ``s`` is meant to be, so that the right validator can
    report its problems.

    A valid identifier is classified by validity (身份证号 first). Otherwise: 15 digits, or 17
    digits and a digit/X whose positions 7–8 are a birth century (18, 19, 20), → ``"ric"``; 18
    characters of the USCC symbol set (either case) → ``"uscc"``; anything else → ``"unknown"``.
    """
    text = s.strip()
    if validate_ric(text, strict=False) is None:
        return "ric"
    if validate_uscc(text, strict=False) is None:
        return "uscc"
    if re.fullmatch(r"[0-9]{15}", text):
        return "ric"
    if re.fullmatch(r"[0-9]{17}[0-9Xx]", text) and text[6:8] in ("18", "19", "20"):
        return "ric"
    if len(text) == 18 and re.fullmatch(r"[0-9A-Za-z]{18}", text):
        return "uscc"
    return "unknown"
