"""Chinese formatting helpers: 人民币大写, figures, dates, 发文字号, 案号 and Chinese numerals.

Every value comes with a formatter and a parser. Parsers raise :class:`FormatError` (a Chinese
message saying what is wrong) when a value cannot be read unambiguously; ``check_*`` and
``diagnose_*`` functions return lists of Chinese style problems for text that can be read but
does not follow the rules, so that a linter can report them without rejecting the value.

Sources (see ``LEGAL-FACTS.md``): §1 GB/T 9704-2012 7.2.5 (发文字号) and 7.3.5.4 (成文日期);
§2 中国人民银行《正确填写票据和结算凭证的基本规定》 (大写金额); SPEC §3 (〔〕 in document numbers,
（） in court case numbers).

Choices made where the rules allow more than one form (the parsers accept all of them):

* 大写 integer part: ordinary Chinese number reading — one 零 for each run of zeros inside a
  four-digit group or spanning a whole group, none when a group ends in zeros and the next
  group starts with a non-zero 仟 digit. ``107000.53`` → ``壹拾万柒仟元零伍角叁分`` (the form
  the regulation lists first for rule 四(三); ``壹拾万零柒仟…`` is accepted).
* Rule 四(三) at the 元 position: a 零 is written after 元 when the 元 digit is 0 and 角 is not:
  ``1680.32`` → ``壹仟陆佰捌拾元零叁角贰分`` (again the first-listed form).
* Rule 四(三) is applied to the 亿 position by analogy with 万 (``壹拾亿柒仟万`` and
  ``壹拾亿零柒仟万`` are both accepted).
* An amount ending at 角 gets no 整: ``1409.50`` → ``壹仟肆佰零玖元伍角`` (as in the rule 四(一)
  example); ``…伍角整`` is accepted.
* Amounts below one yuan are written without 元: ``0.5`` → ``伍角``, ``0.05`` → ``伍分``;
  ``零元伍角`` is accepted.
* 壹拾 is always written, also at the start (``壹拾万元整``); a bare leading 拾 is accepted by the
  parser and reported by :func:`check_rmb_upper` (its acceptability is unconfirmed).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Literal

from ecokernel.errors import FormatError

__all__ = [
    "COURT_CASE_NUMBER_RE",
    "DOC_NUMBER_RE",
    "RMB_UPPER_MAX",
    "CourtCaseNumber",
    "DocNumber",
    "check_date_style",
    "check_rmb_upper",
    "cn_to_int",
    "diagnose_court_case_number",
    "diagnose_doc_number",
    "format_date",
    "int_to_cn",
    "number_kind",
    "parse_cn_date",
    "parse_court_case_number",
    "parse_doc_number",
    "parse_figure_amount",
    "parse_rmb_upper",
    "rmb_upper",
]

# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _has_fullwidth_digit(text: str) -> bool:
    return any("０" <= ch <= "９" for ch in text)


def _has_space(text: str) -> bool:
    """A space typed inside the value; a line break (with the indentation around it) is where the
    page wrapped the line, not the writer's space."""
    return any(ch.isspace() for ch in re.sub(r"\s*\n\s*", "", text))


def _remove_spaces(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


# --------------------------------------------------------------------------------------------
# 人民币大写
# --------------------------------------------------------------------------------------------

RMB_UPPER_MAX = Decimal("999999999999.99")
"""The largest amount :func:`rmb_upper` writes (玖仟玖佰玖拾玖亿…玖分)."""

_UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UPPER_DIGIT_VALUE = {ch: i for i, ch in enumerate(_UPPER_DIGITS)}
_SMALL_UNITS = {"拾": 1, "佰": 2, "仟": 3}
_BIG_UNITS = {"万": 4, "亿": 8}
_SMALL_UNIT_CHARS = ("", "拾", "佰", "仟")
# Traditional forms still accepted (rule 一); 圆 is the simplified form of 圓.
_UPPER_TRADITIONAL = str.maketrans({"貳": "贰", "陸": "陆", "億": "亿", "萬": "万", "圓": "元", "圆": "元"})
# Forbidden characters (rule 一) and what to write instead.
_UPPER_FORBIDDEN = {
    "一": "壹",
    "二": "贰",
    "两": "贰",
    "三": "叁",
    "四": "肆",
    "五": "伍",
    "六": "陆",
    "七": "柒",
    "八": "捌",
    "九": "玖",
    "十": "拾",
    "百": "佰",
    "千": "仟",
    "〇": "零",
    "○": "零",
    "另": "零",
    "念": "贰拾",
    "廿": "贰拾",
    "卅": "叁拾",
    "毛": "角",
}
_UPPER_ALLOWED = set(_UPPER_DIGITS) | set(_SMALL_UNITS) | set(_BIG_UNITS) | set("元角分整正")
_POSITION_NAMES = {
    11: "千亿位",
    10: "百亿位",
    9: "十亿位",
    8: "亿位",
    7: "千万位",
    6: "百万位",
    5: "十万位",
    4: "万位",
    3: "千位",
    2: "百位",
    1: "十位",
    0: "元位",
    -1: "角位",
    -2: "分位",
}
_PREFIX = "人民币"


def _section_upper(n: int) -> str:
    """Write 1 ≤ n ≤ 9999 in capitals, with 零 for inner zero runs (no leading/trailing 零)."""
    out: list[str] = []
    pending_zero = False
    for exp in (3, 2, 1, 0):
        digit = n // 10**exp % 10
        if digit:
            if pending_zero:
                out.append("零")
                pending_zero = False
            out.append(_UPPER_DIGITS[digit] + _SMALL_UNIT_CHARS[exp])
        elif out:
            pending_zero = True
    return "".join(out)


def _integer_upper(n: int) -> str:
    """Write 1 ≤ n < 10^12 in capitals (without 元), ordinary Chinese number reading."""
    groups = ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, ""))
    out: list[str] = []
    pending_zero = False
    for value, unit in groups:
        if value == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or value < 1000):
            out.append("零")
        out.append(_section_upper(value) + unit)
        pending_zero = False
    return "".join(out)


def _check_amount(amount: Decimal) -> int:
    """Validate an amount and return it in 分 (cents)."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"amount must be a Decimal, not {type(amount).__name__}")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise FormatError("金额不是有效的数字")
    if amount < 0:
        raise FormatError(f"金额不能为负数（{amount}）")
    if amount > RMB_UPPER_MAX:
        raise FormatError(f"金额过大（{amount}）：大写金额最多支持到千亿位（999,999,999,999.99元）")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise FormatError(f"金额只能精确到分（两位小数），实为{amount}")
    return int(cents)


def rmb_upper(amount: Decimal, *, prefix: bool = True) -> str:
    """Write an amount in Chinese capitals (人民币大写) per the PBOC rules (LEGAL-FACTS §2).

    ``rmb_upper(Decimal("16409.02"))`` → ``"人民币壹万陆仟肆佰零玖元零贰分"``. See the module
    docstring for the canonical form chosen where the rules allow two. Raises ``FormatError``
    for negative, non-finite, too large amounts and amounts with more than two decimals.
    """
    cents = _check_amount(amount)
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    parts: list[str] = [_PREFIX] if prefix else []
    if cents == 0:
        return "".join([*parts, "零元整"])
    if yuan:
        parts += [_integer_upper(yuan), "元"]
    if jiao == 0 and fen == 0:
        parts.append("整")  # rule 二: ending at 元 → 整
        return "".join(parts)
    if jiao:
        if yuan and yuan % 10 == 0:
            parts.append("零")  # rule 四(三): chosen form with 零 after 元
        parts.append(_UPPER_DIGITS[jiao] + "角")
    elif yuan:
        parts.append("零")  # rule 四(四): 角 is 0 and 分 is not → 零 after 元
    if fen:
        parts.append(_UPPER_DIGITS[fen] + "分")
    return "".join(parts)


@dataclass
class _UpperParse:
    """What the parser saw in an amount in capitals; used by :func:`check_rmb_upper`."""

    cents: int = 0
    has_prefix: bool = False
    space_after_prefix: bool = False
    inner_space: bool = False
    suffix: str | None = None  # 整 / 正
    has_yuan: bool = False
    explicit_zero_yuan: bool = False  # 零元…
    bare_leading_shi: bool = False
    digits: list[tuple[int, int]] = field(default_factory=list)  # (position, digit), descending
    zeros_before: dict[int, int] = field(default_factory=dict)  # position → number of 零 before it


def _forbidden_char_error(ch: str) -> FormatError:
    if ch in _UPPER_FORBIDDEN:
        return FormatError(f"大写金额中不得使用“{ch}”，应写作“{_UPPER_FORBIDDEN[ch]}”")
    if ch.isdigit():
        return FormatError(f"大写金额中不得使用阿拉伯数字“{ch}”，应使用大写数字（零壹贰叁肆伍陆柒捌玖）")
    return FormatError(f"大写金额中含有不应出现的字符“{ch}”")


def _parse_upper_section(chars: str, big_exp: int, at_start: bool, result: _UpperParse) -> None:
    """Parse one group (below 万/亿) of the integer part into ``result``."""
    last_exp = 4
    pending_zeros = 0
    j = 0
    while j < len(chars):
        ch = chars[j]
        if ch == "零":
            pending_zeros += 1
            j += 1
            continue
        if ch in "角分":
            raise FormatError(f"大写金额单位顺序错误：“{ch}”应写在“元”之后")
        if ch in _SMALL_UNITS:
            if ch == "拾" and at_start and j == 0:
                digit, exp = 1, 1  # bare leading 拾 (拾万元 = 100000)
                result.bare_leading_shi = True
                j += 1
            else:
                raise FormatError(f"大写金额中“{ch}”前缺少数字")
        else:  # a non-zero digit
            digit = _UPPER_DIGIT_VALUE[ch]
            if j + 1 < len(chars) and chars[j + 1] in _SMALL_UNITS:
                exp = _SMALL_UNITS[chars[j + 1]]
                j += 2
            elif j + 1 == len(chars):
                exp = 0
                j += 1
            elif chars[j + 1] in "角分":
                raise FormatError(f"大写金额单位顺序错误：“{chars[j + 1]}”应写在“元”之后")
            else:
                raise FormatError(f"大写金额中数字“{ch}”后缺少单位（拾、佰、仟、万、亿或元）")
        if exp >= last_exp:
            unit = _SMALL_UNIT_CHARS[exp] or "个位数字"
            raise FormatError(f"大写金额单位顺序错误：“{unit}”不应出现在“{_SMALL_UNIT_CHARS[last_exp]}”之后")
        last_exp = exp
        position = exp + big_exp
        if pending_zeros:
            result.zeros_before[position] = pending_zeros
            pending_zeros = 0
        result.digits.append((position, digit))
    if pending_zeros:
        raise FormatError("大写金额中“零”后缺少数字（“零”只写在两个非零数字之间）")


def _parse_upper_integer(text: str, result: _UpperParse) -> None:
    """Parse the part before 元 into ``result``."""
    if text == "零":
        result.explicit_zero_yuan = True
        return
    sections: list[tuple[str, int]] = []
    current: list[str] = []
    for ch in text:
        if ch in _BIG_UNITS:
            sections.append(("".join(current), _BIG_UNITS[ch]))
            current = []
        else:
            current.append(ch)
    sections.append(("".join(current), 0))
    exps = [exp for _, exp in sections]
    if "万亿" in text:
        raise FormatError("大写金额不支持万亿及以上的金额")
    if any(a <= b for a, b in pairwise(exps)):
        names = "、".join(f"“{u}”" for u in text if u in _BIG_UNITS)
        raise FormatError(f"大写金额单位顺序错误：{names}应按“亿”“万”的顺序各出现一次")
    for index, (chars, exp) in enumerate(sections):
        if not chars and exp:
            unit = "亿" if exp == 8 else "万"
            raise FormatError(f"大写金额中“{unit}”前缺少数字")
        if chars.strip("零") == "" and chars:
            raise FormatError("大写金额中“零”后缺少数字（“零”只写在两个非零数字之间）")
        _parse_upper_section(chars, exp, index == 0, result)


def _parse_upper_fraction(text: str, result: _UpperParse) -> None:
    """Parse the part after 元 (角 and 分) into ``result``."""
    last = 0
    pending_zeros = 0
    j = 0
    while j < len(text):
        ch = text[j]
        if ch == "零":
            pending_zeros += 1
            j += 1
            continue
        if ch in "角分":
            raise FormatError(f"大写金额中“{ch}”前缺少数字")
        if ch not in _UPPER_DIGIT_VALUE:  # 拾佰仟万亿 after 元
            raise FormatError(f"大写金额单位顺序错误：“{ch}”不应出现在“元”之后")
        if j + 1 >= len(text) or text[j + 1] not in "角分":
            raise FormatError(f"大写金额中数字“{ch}”后缺少单位（角或分）")
        position = -1 if text[j + 1] == "角" else -2
        if position >= last:
            raise FormatError("大写金额单位顺序错误：“角”应在“分”之前，且各只出现一次")
        last = position
        if pending_zeros:
            result.zeros_before[position] = pending_zeros
            pending_zeros = 0
        result.digits.append((position, _UPPER_DIGIT_VALUE[ch]))
        j += 2
    if pending_zeros:
        raise FormatError("大写金额中“零”后缺少数字（“零”只写在两个非零数字之间）")


def _validate_zero_places(result: _UpperParse) -> None:
    """Reject a 零 written where no digit is zero, or a 零 before the first digit."""
    if not result.digits:
        return
    first_position = result.digits[0][0]
    if first_position in result.zeros_before and not result.explicit_zero_yuan:
        raise FormatError("大写金额不能以“零”开头")
    for (high, _), (low, _) in pairwise(result.digits):
        if low in result.zeros_before and high - low == 1:
            raise FormatError(
                f"大写金额中“零”的位置不当：{_POSITION_NAMES[high]}与{_POSITION_NAMES[low]}之间没有为零的数位"
            )


def _scan_upper(text: str) -> _UpperParse:
    """Read an amount in capitals; raise FormatError if it cannot be read unambiguously."""
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    result = _UpperParse()
    rest = text.strip()
    if rest.startswith(_PREFIX):
        result.has_prefix = True
        rest = rest[len(_PREFIX) :]
        result.space_after_prefix = rest[:1].isspace()
        rest = rest.strip()
    result.inner_space = _has_space(rest)
    body = _remove_spaces(rest).translate(_UPPER_TRADITIONAL)
    if not body:
        raise FormatError("大写金额为空")
    for ch in body:
        if ch not in _UPPER_ALLOWED:
            raise _forbidden_char_error(ch)
    if body[-1] in "整正":
        result.suffix = body[-1]
        body = body[:-1]
    for marker in "整正":
        if marker in body:
            raise FormatError(f"“{marker}”只能写在大写金额的末尾")
    if not body:
        raise FormatError("大写金额为空")
    if body.count("元") > 1:
        raise FormatError("大写金额中“元”出现了多次")
    if "元" in body:
        result.has_yuan = True
        integer_text, fraction_text = body.split("元")
        if not integer_text:
            raise FormatError("大写金额中“元”前缺少数字")
        _parse_upper_integer(integer_text, result)
    else:
        if any(ch in _SMALL_UNITS or ch in _BIG_UNITS for ch in body) or not any(ch in "角分" for ch in body):
            raise FormatError("大写金额缺少“元”字")
        fraction_text = body
    _parse_upper_fraction(fraction_text, result)
    _validate_zero_places(result)
    result.cents = sum(digit * 10 ** (position + 2) for position, digit in result.digits)
    return result


def parse_rmb_upper(text: str) -> Decimal:
    """Read an amount in Chinese capitals and return it with two decimal places.

    Accepts every form the PBOC rules allow: with or without 人民币, 整 or 正, the optional 零
    of rule 四(三), the traditional 貳 陸 億 萬 圓, and a bare leading 拾. Style problems that do
    not make the value ambiguous (a missing 整, …) are not errors here: see
    :func:`check_rmb_upper`. Raises ``FormatError`` for forbidden characters (一 二 两 十 毛 另,
    Arabic digits, …), units out of order, a digit without unit, a misplaced 零.
    """
    return Decimal(_scan_upper(text).cents).scaleb(-2)


def _zero_rule(high: int, low: int) -> Literal["required", "optional"]:
    """Whether a 零 is required or optional for a run of zeros between two non-zero digits."""
    gap = range(low + 1, high)
    if low == -1 and 0 in gap:
        return "optional"  # rule 四(三): 元位 zero, 角 non-zero
    if low in (3, 7) and low + 1 in gap:
        return "optional"  # rule 四(三): 万位 (by analogy 亿位) zero, 千位 non-zero
    return "required"  # rules 四(一)(二)(四)


def _zero_run_name(high: int, low: int) -> str:
    """Name the zero positions strictly between ``high`` and ``low``: 十位 / 万位至百位."""
    if high - low == 2:
        return _POSITION_NAMES[high - 1]
    return f"{_POSITION_NAMES[high - 1]}至{_POSITION_NAMES[low + 1]}"


def check_rmb_upper(text: str, *, require_prefix: bool = False) -> list[str]:
    """Return the style problems (Chinese) of an amount in capitals that parses.

    Reports: space between 人民币 and the amount or inside it; a missing 人民币 (only with
    ``require_prefix``); 缺少“整”字 when the amount ends at 元; 整 after 分; a missing 零 (rules
    四(一)(二)(四)); several 零 for one run of zeros; a bare leading 拾. Raises ``FormatError``
    like :func:`parse_rmb_upper` when the text cannot be read at all.
    """
    scan = _scan_upper(text)
    problems: list[str] = []
    if scan.space_after_prefix:
        problems.append("人民币与金额间不应有空格")
    if scan.inner_space:
        problems.append("大写金额中不应有空格")
    if require_prefix and not scan.has_prefix:
        problems.append("大写金额前应写“人民币”")
    if scan.bare_leading_shi:
        problems.append("金额首位应写“壹拾”，不应只写“拾”")
    fen = scan.cents % 10
    jiao = scan.cents // 10 % 10
    if scan.suffix is None and jiao == 0 and fen == 0:
        problems.append("缺少“整”字：金额到“元”为止的，应在“元”后写“整”（或“正”）字")
    if scan.suffix is not None and fen != 0:
        problems.append(f"分后不应写“{scan.suffix}”：金额到“分”为止的，“分”后不写“整”（或“正”）字")
    for (high, _), (low, _) in pairwise(scan.digits):
        if high - low < 2:
            continue
        count = scan.zeros_before.get(low, 0)
        if count > 1:
            problems.append("连续的几个“0”只写一个“零”字")
        elif count == 0 and _zero_rule(high, low) == "required":
            if low == -2 and high >= 0:
                problems.append("角为零且分不为零时元后应写“零”")
            else:
                problems.append(f"{_zero_run_name(high, low)}为零，应写一个“零”")
    return problems


# --------------------------------------------------------------------------------------------
# Amounts in figures
# --------------------------------------------------------------------------------------------

_FIGURE_RE = re.compile(
    r"(?:人民币)?\s*(?:[￥¥]|RMB)?\s*(?P<number>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>亿元|万元|元|万|亿)?"
)
_UNIT_FACTORS = {None: 1, "元": 1, "万": 10**4, "万元": 10**4, "亿": 10**8, "亿元": 10**8}


def parse_figure_amount(text: str) -> Decimal:
    """Read an amount in figures: ``"￥1,409.50"``, ``"1409.5元"``, ``"12.5万元"`` (→ 125000).

    Returns the amount in 元 with two decimal places. Raises ``FormatError`` for unreadable
    text, negative amounts, misplaced thousands separators and fractions of a 分.
    """
    stripped = text.strip().translate(_FULLWIDTH_DIGITS).replace("．", ".")
    if not stripped:
        raise FormatError("金额为空")
    if re.match(r"(?:人民币)?\s*[￥¥]?\s*[-－−]", stripped):
        raise FormatError(f"金额不能为负数：“{text.strip()}”")
    match = _FIGURE_RE.fullmatch(stripped)
    if match is None:
        raise FormatError(f"无法识别的金额：“{text.strip()}”")
    number = match["number"]
    integer_part = number.split(".")[0]
    if "," in integer_part and not re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+", integer_part):
        raise FormatError(f"金额“{number}”的千分位分隔符位置错误（应每三位一个逗号）")
    try:
        value = Decimal(number.replace(",", "")) * _UNIT_FACTORS[match["unit"]]
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid numbers
        raise FormatError(f"无法识别的金额：“{text.strip()}”") from exc
    if value * 100 != (value * 100).to_integral_value():
        raise FormatError(f"金额“{text.strip()}”精确到了分以下（超过两位小数）")
    return value.quantize(Decimal("0.01"))


# --------------------------------------------------------------------------------------------
# Chinese numerals (article and item numbers)
# --------------------------------------------------------------------------------------------

_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 1, "百": 2, "千": 3}
_CN_DIGIT_CHARS = "零一二三四五六七八九"


def _cn_error(text: str, reason: str) -> FormatError:
    return FormatError(f"无法识别的中文数字“{text}”：{reason}")


def cn_to_int(text: str) -> int:
    """Read a Chinese numeral from 0 to 9999: ``"二十一"`` → 21, ``"一百零五"`` → 105.

    Also reads digit-by-digit forms such as ``"二〇二四"`` (→ 2024, years) and accepts 〇 or 零,
    a leading 十 (``"十二"``) and 两. Raises ``FormatError`` otherwise.
    """
    stripped = text.strip()
    if not stripped:
        raise FormatError("中文数字为空")
    for ch in stripped:
        if ch not in _CN_DIGITS and ch not in _CN_UNITS:
            raise _cn_error(stripped, f"含有非数字字符“{ch}”")
    if not any(ch in _CN_UNITS for ch in stripped):
        if len(stripped) > 4:
            raise _cn_error(stripped, "超出0至9999的范围")
        return int("".join(str(_CN_DIGITS[ch]) for ch in stripped))
    total = 0
    last_exp = 4
    j = 0
    pending_zero = False
    while j < len(stripped):
        ch = stripped[j]
        if _CN_DIGITS.get(ch) == 0:
            if total == 0 or pending_zero:
                raise _cn_error(stripped, "“零”的位置不当")
            pending_zero = True
            j += 1
            continue
        if ch in _CN_UNITS:
            if j != 0 or ch != "十":
                raise _cn_error(stripped, f"“{ch}”前缺少数字")
            digit, exp, j = 1, 1, j + 1
        else:
            digit = _CN_DIGITS[ch]
            if j + 1 < len(stripped) and stripped[j + 1] in _CN_UNITS:
                exp, j = _CN_UNITS[stripped[j + 1]], j + 2
            elif j + 1 == len(stripped):
                exp, j = 0, j + 1
            else:
                raise _cn_error(stripped, f"数字“{ch}”后缺少单位")
        if exp >= last_exp:
            raise _cn_error(stripped, "单位顺序错误")
        if pending_zero and last_exp - exp < 2:
            raise _cn_error(stripped, "“零”的位置不当")
        total += digit * 10**exp
        last_exp = exp
        pending_zero = False
    if pending_zero:
        raise _cn_error(stripped, "“零”后缺少数字")
    return total


def int_to_cn(n: int) -> str:
    """Write 0 ≤ n ≤ 9999 as a Chinese numeral: 21 → ``"二十一"``, 10 → ``"十"``, 105 → ``"一百零五"``.

    Used for article numbers (第二十一条) and item numbers (（三）). Numbers from 10 to 19 are
    written without the leading 一 (十二); elsewhere 一十 is written (一百一十).
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("n must be an int")
    if not 0 <= n <= 9999:
        raise FormatError(f"中文数字只支持0至9999，实为{n}")
    if n == 0:
        return "零"
    out: list[str] = []
    pending_zero = False
    for exp, unit in ((3, "千"), (2, "百"), (1, "十"), (0, "")):
        digit = n // 10**exp % 10
        if digit:
            if pending_zero:
                out.append("零")
                pending_zero = False
            out.append(_CN_DIGIT_CHARS[digit] + unit)
        elif out:
            pending_zero = True
    text = "".join(out)
    return text[1:] if 10 <= n <= 19 else text


# --------------------------------------------------------------------------------------------
# Dates (GB/T 9704-2012 7.3.5.4)
# --------------------------------------------------------------------------------------------

_CN_YEAR_DIGITS = "〇○零一二三四五六七八九"
#: finds dates in running text: "2025年3月8日", "二〇二五年三月八日", "2025年03月08号", "2025-03-08",
#: "2025.3.8", "2025/03/08" (groups y, m, d or iso); pass ``match.group(0)`` to :func:`parse_cn_date`
DATE_FINDER = re.compile(
    r"(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})[ \t　]*年[ \t　]*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})[ \t　]*月"
    r"[ \t　]*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})[ \t　]*[日号]"
    r"|(?<![\d.])(?P<iso>\d{4}[-./]\d{1,2}[-./]\d{1,2})(?![\d.])"
)


_DATE_YMD_RE = re.compile(r"(?P<y>[0-9]+)\s*年\s*(?P<m>[0-9]+)\s*月\s*(?P<d>[0-9]+)\s*(?P<day>[日号])")
_DATE_SEP_RE = re.compile(r"(?P<y>[0-9]+)\s*(?P<sep>[./\-])\s*(?P<m>[0-9]+)\s*(?P=sep)\s*(?P<d>[0-9]+)")
_DATE_CN_RE = re.compile(
    rf"(?P<y>[{_CN_YEAR_DIGITS}]+)\s*年\s*(?P<m>[一二三四五六七八九十]+)\s*月"
    rf"\s*(?P<d>[一二三四五六七八九十]+)\s*(?P<day>[日号])"
)


@dataclass(frozen=True)
class _DateParts:
    """The unvalidated components of a date as written."""

    year: str
    month: str
    day: str
    style: Literal["ymd", "sep", "cn"]
    day_char: str
    spaced: bool
    fullwidth: bool


def _match_date(text: str) -> _DateParts:
    stripped = text.strip()
    if not stripped:
        raise FormatError("日期为空")
    normalised = stripped.translate(_FULLWIDTH_DIGITS)
    spaced = _has_space(stripped)
    fullwidth = _has_fullwidth_digit(stripped)
    if m := _DATE_YMD_RE.fullmatch(normalised):
        return _DateParts(m["y"], m["m"], m["d"], "ymd", m["day"], spaced, fullwidth)
    if m := _DATE_SEP_RE.fullmatch(normalised):
        return _DateParts(m["y"], m["m"], m["d"], "sep", "日", spaced, fullwidth)
    if m := _DATE_CN_RE.fullmatch(normalised):
        return _DateParts(m["y"], m["m"], m["d"], "cn", m["day"], spaced, fullwidth)
    raise FormatError(f"无法识别的日期：“{stripped}”（应写作如“2024年8月1日”）")


def _date_values(parts: _DateParts) -> tuple[int, int, int]:
    if parts.style == "cn":
        return cn_to_int(parts.year), cn_to_int(parts.month), cn_to_int(parts.day)
    return int(parts.year), int(parts.month), int(parts.day)


def format_date(d: date) -> str:
    """Write a date as GB/T 9704 7.3.5.4 requires: ``2024年8月1日`` (Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


def parse_cn_date(text: str) -> date:
    """Read a date: ``2024年8月1日``, ``2024年08月01日``, ``2024.8.1``, ``2024-08-01``, ``2024/8/1``,
    ``二〇二四年八月一日`` (〇 or ○).

    Raises ``FormatError`` for unreadable text, a year not written in full (``24年``) and dates
    that do not exist (``2024年2月30日不存在``). Style problems: :func:`check_date_style`.
    """
    parts = _match_date(text)
    year, month, day = _date_values(parts)
    if len(parts.year) != 4:
        raise FormatError(f"日期的年份应标全称（四位数字），不应写作“{parts.year}年”")
    if year < 1:
        raise FormatError(f"日期的年份“{parts.year}”无效")
    written = f"{year}年{month}月{day}日"
    if not 1 <= month <= 12:
        raise FormatError(f"{written}不存在（月份应在1至12之间）")
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise FormatError(f"{written}不存在（{year}年{month}月只有{days_in_month}天）")
    return date(year, month, day)


def check_date_style(text: str) -> list[str]:
    """Return GB/T 9704 7.3.5.4 style problems of a date (成文日期), in Chinese.

    Reports Chinese numerals, leading zeros in month or day, ``2024-08-01``-style forms, a
    shortened year, 号 instead of 日, spaces and full-width digits. Does not check that the date
    exists (use :func:`parse_cn_date`); raises ``FormatError`` only if the text is not a date.
    """
    parts = _match_date(text)
    try:
        year, month, day = _date_values(parts)
        canonical = f"“{year}年{month}月{day}日”" if len(str(year)) == 4 else "如“2024年8月1日”"
    except FormatError:
        canonical = "如“2024年8月1日”"
    problems: list[str] = []
    if parts.style == "cn":
        problems.append(f"成文日期应使用阿拉伯数字，应写作{canonical}")
    elif parts.style == "sep":
        problems.append(f"成文日期应将年、月、日标全，应写作{canonical}，不应写作“{text.strip()}”")
    if len(parts.year) != 4:
        problems.append(f"年份应标全称，不应写作“{parts.year}年”")
    if parts.style == "ymd":
        if parts.month.startswith("0"):
            problems.append(f"月、日不编虚位：应写作“{int(parts.month)}月”，不应写作“{parts.month}月”")
        if parts.day.startswith("0"):
            problems.append(f"月、日不编虚位：应写作“{int(parts.day)}日”，不应写作“{parts.day}日”")
    if parts.day_char == "号":
        problems.append("日期应写“日”，不应写“号”")
    if parts.spaced:
        problems.append("日期中不应有空格")
    if parts.fullwidth:
        problems.append("日期应使用半角阿拉伯数字，不应使用全角数字")
    return problems


# --------------------------------------------------------------------------------------------
# 发文字号 (GB/T 9704 7.2.5) and 案号
# --------------------------------------------------------------------------------------------

_BRACKET_PAIRS = {
    "〔": "〕",
    "（": "）",
    "(": ")",
    "[": "]",
    "【": "】",
    "［": "］",
    "〈": "〉",
    "﹝": "﹞",
    "〖": "〗",
}
_OPEN = "".join(_BRACKET_PAIRS)
_CLOSE = "".join(_BRACKET_PAIRS.values())
_OPEN_CLASS = "[" + re.escape(_OPEN) + "]"
_CLOSE_CLASS = "[" + re.escape(_CLOSE) + "]"
_DIGIT = "[0-9０-９]"
# Characters that are never part of an agency code but often precede one in running text.
_NOT_AGENCY = "的和与及据照见于为是在对由按将"
# Province abbreviations used as court codes (plus 兵 for the 兵团 courts).
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼兵"
_COURT_CODE = rf"(?:最高法|[{_PROVINCES}](?:{_DIGIT}{{2}}){{0,2}}|[\u4e00-\u9fff](?:{_DIGIT}{{2}}){{1,2}})"

DOC_NUMBER_RE = re.compile(
    rf"(?P<agency>(?:(?![{_NOT_AGENCY}])[A-Za-z\u3400-\u9fff]){{1,8}})\s*"
    rf"(?P<open>{_OPEN_CLASS})\s*(?:(?P<year>{_DIGIT}{{4}})|(?P<short_year>{_DIGIT}{{2}}))\s*"
    rf"(?P<close>{_CLOSE_CLASS})\s*(?P<di>第?)\s*(?P<serial>{_DIGIT}+)\s*"
    rf"(?(short_year)(?P<hao_required>号)|(?:(?P<hao>号)|(?![年月日天个次%％.．]|{_DIGIT})))"
)
"""Finds candidate 发文字号 in running text, malformed ones included (any bracket, 第, a
two-digit year, a missing 号). Pass ``match.group(0)`` to :func:`diagnose_doc_number`.
Groups: ``agency``, ``open``, ``year`` (four digits) or ``short_year`` (two digits; then 号 is
required), ``close``, ``di`` (第), ``serial``, ``hao``. In running text ``agency`` may include
up to 8 characters of the words before the agency code (it stops at 的、和、与、及、据 …)."""

COURT_CASE_NUMBER_RE = re.compile(
    rf"(?P<open>{_OPEN_CLASS})\s*(?P<year>{_DIGIT}{{4}}|{_DIGIT}{{2}})\s*(?P<close>{_CLOSE_CLASS})\s*"
    rf"(?P<court>{_COURT_CODE})(?P<case_type>[\u4e00-\u9fff]{{1,6}}?)(?P<di>字?第?)"
    rf"(?P<serial>{_DIGIT}+)(?P<hao>号?)"
)
"""Finds candidate court case numbers (案号) in running text, malformed ones included (any
bracket, a two-digit year, 第, a missing 号). Pass ``match.group(0)`` to
:func:`diagnose_court_case_number`."""

_DOC_LENIENT_RE = re.compile(
    rf"(?P<agency>[^{re.escape(_OPEN + _CLOSE)}]*?)\s*(?P<open>{_OPEN_CLASS})\s*(?P<year>{_DIGIT}+)\s*"
    rf"(?P<close>{_CLOSE_CLASS})\s*(?P<di>第?)\s*(?P<serial>{_DIGIT}+)\s*(?P<hao>号?)"
)
_COURT_LENIENT_RE = re.compile(
    rf"(?P<open>{_OPEN_CLASS})\s*(?P<year>{_DIGIT}+)\s*(?P<close>{_CLOSE_CLASS})\s*"
    rf"(?P<court>{_COURT_CODE})\s*(?P<case_type>[\u4e00-\u9fff]+?)\s*(?P<di>字?第?)\s*"
    rf"(?P<serial>{_DIGIT}+)\s*(?P<hao>号?)"
)


def _bracket_problem(
    open_: str, close: str, wanted: tuple[str, str], what: str, wanted_name: str
) -> str | None:
    """A Chinese message if ``open_``/``close`` are not the ``wanted`` pair, else None."""
    if (open_, close) == wanted:
        return None
    if _BRACKET_PAIRS.get(open_) != close:
        return f"{what}年份的括号不配对（“{open_}”与“{close}”），应使用{wanted_name}{wanted[0]}{wanted[1]}"
    if (open_, close) == ("(", ")") and wanted == ("（", "）"):
        return f"{what}年份应使用全角圆括号（），不应使用半角()"
    return f"{what}年份应使用{wanted_name}{wanted[0]}{wanted[1]}，不应使用{open_}{close}"


def _serial_problems(serial: str, di: str, hao: str, what: str) -> list[str]:
    problems: list[str] = []
    normal = serial.translate(_FULLWIDTH_DIGITS)
    if "字" in di:
        problems.append(f"{what}中不应有“字第”")
    elif di:
        problems.append(f"{what}序号前不加“第”")
    if int(normal) == 0:
        problems.append(f"{what}序号应从1开始，不应为“{serial}”")
    elif normal.startswith("0"):
        problems.append(f"序号不编虚位，应为{int(normal)}号而非{serial}号")
    if not hao:
        problems.append(f"{what}应以“号”结尾")
    return problems


def _year_problem(year: str, what: str) -> str | None:
    if len(year) == 4:
        return None
    if len(year) == 2:
        return f"{what}年份应标全称（四位），不应写作“{year}”"
    return f"{what}年份“{year}”应为四位数字"


def _common_problems(text: str, what: str) -> list[str]:
    problems: list[str] = []
    if _has_space(text):
        problems.append(f"{what}中不应有空格")
    if _has_fullwidth_digit(text):
        problems.append(f"{what}应使用半角阿拉伯数字，不应使用全角数字")
    return problems


def number_kind(text: str) -> Literal["doc_number", "court_case_number", "unknown"]:
    """Tell a 发文字号 (agency first: ``甘G环赔〔2024〕3号``) from a 案号 (year first:
    ``（2024）甘07民特12号``), whatever brackets they are written with."""
    stripped = text.strip()
    if _COURT_LENIENT_RE.fullmatch(stripped):
        return "court_case_number"
    match = _DOC_LENIENT_RE.fullmatch(stripped)
    if match and match["agency"]:
        return "doc_number"
    return "unknown"


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A document number (发文字号, GB/T 9704 7.2.5): ``衡环规范〔2021〕1号``."""

    agency: str
    year: int
    serial: int

    def __post_init__(self) -> None:
        if not self.agency or _has_space(self.agency) or any(ch in _OPEN + _CLOSE for ch in self.agency):
            raise FormatError(f"发文机关代字“{self.agency}”无效（不能为空，不能含空格或括号）")
        if not 1000 <= self.year <= 9999:
            raise FormatError(f"发文字号年份应为四位数字，实为{self.year}")
        if self.serial < 1:
            raise FormatError(f"发文字号序号应为正整数，实为{self.serial}")

    def format(self) -> str:
        """``agency〔year〕serial号``."""
        return f"{self.agency}〔{self.year}〕{self.serial}号"

    def __str__(self) -> str:
        return self.format()


def diagnose_doc_number(text: str) -> list[str]:
    """Return every problem (Chinese) of a 发文字号, or an empty list if it is correct.

    Checks the 六角括号〔〕 around a full four-digit year, no 第, no leading zero in the serial,
    the final 号, no spaces, half-width digits; says so when the text is a court case number.
    """
    stripped = text.strip()
    match = _DOC_LENIENT_RE.fullmatch(stripped)
    if match is None:
        if _COURT_LENIENT_RE.fullmatch(stripped):
            return [f"“{stripped}”是法院案号（年份在前）的格式，不是发文字号"]
        return [f"无法识别的发文字号：“{stripped}”（应写作如“衡环规范〔2021〕1号”）"]
    problems: list[str] = []
    if not match["agency"]:
        if _COURT_LENIENT_RE.fullmatch(stripped):
            return [f"“{stripped}”是法院案号（年份在前）的格式，不是发文字号"]
        problems.append("发文字号缺少发文机关代字")
    bracket = _bracket_problem(match["open"], match["close"], ("〔", "〕"), "发文字号", "六角括号")
    if bracket:
        problems.append(bracket)
    year = _year_problem(match["year"], "发文字号")
    if year:
        problems.append(year)
    problems += _serial_problems(match["serial"], match["di"], match["hao"], "发文字号")
    problems += _common_problems(stripped, "发文字号")
    return problems


def parse_doc_number(text: str) -> DocNumber:
    """Read a correct 发文字号; raise ``FormatError`` listing every problem otherwise."""
    problems = diagnose_doc_number(text)
    if problems:
        raise FormatError("；".join(problems))
    match = _DOC_LENIENT_RE.fullmatch(text.strip())
    assert match is not None  # diagnose_doc_number found no problem
    return DocNumber(match["agency"], int(match["year"]), int(match["serial"]))


@dataclass(frozen=True, slots=True)
class CourtCaseNumber:
    """A court case number (案号): ``（2024）甘07民特12号``.

    ``court_code`` is the court's code (``甘07``, ``桂0102``, ``最高法``), ``case_type`` the
    case-type code (``民特``, ``执``, ``民初``, ``民终``, ``执恢`` …).
    """

    year: int
    court_code: str
    case_type: str
    serial: int

    def __post_init__(self) -> None:
        if not 1000 <= self.year <= 9999:
            raise FormatError(f"案号年份应为四位数字，实为{self.year}")
        if not re.fullmatch(_COURT_CODE, self.court_code):
            raise FormatError(f"法院代字“{self.court_code}”无效（应如“甘07”“桂0102”“最高法”）")
        if not re.fullmatch(r"[\u4e00-\u9fff]{1,6}", self.case_type):
            raise FormatError(f"案件类型代字“{self.case_type}”无效（应如“民特”“执”“民初”）")
        if self.serial < 1:
            raise FormatError(f"案号序号应为正整数，实为{self.serial}")

    def format(self) -> str:
        """``（year）court_codecase_typeserial号``."""
        return f"（{self.year}）{self.court_code}{self.case_type}{self.serial}号"

    def __str__(self) -> str:
        return self.format()


def diagnose_court_case_number(text: str) -> list[str]:
    """Return every problem (Chinese) of a 案号, or an empty list if it is correct.

    Checks the full-width round brackets （） around a four-digit year (not 〔〕, [], half-width
    ( )), no 第 / 字第, no leading zero, the final 号, no spaces; says so when the text is a
    发文字号.
    """
    stripped = text.strip()
    match = _COURT_LENIENT_RE.fullmatch(stripped)
    if match is None:
        doc = _DOC_LENIENT_RE.fullmatch(stripped)
        if doc and doc["agency"]:
            return [f"“{stripped}”是发文字号（机关代字在前）的格式，不是法院案号"]
        return [f"无法识别的案号：“{stripped}”（应写作如“（2024）甘07民特12号”）"]
    problems: list[str] = []
    bracket = _bracket_problem(match["open"], match["close"], ("（", "）"), "案号", "圆括号")
    if bracket:
        problems.append(bracket)
    year = _year_problem(match["year"], "案号")
    if year:
        problems.append(year)
    problems += _serial_problems(match["serial"], match["di"], match["hao"], "案号")
    problems += _common_problems(stripped, "案号")
    return problems


def parse_court_case_number(text: str) -> CourtCaseNumber:
    """Read a correct 案号; raise ``FormatError`` listing every problem otherwise."""
    problems = diagnose_court_case_number(text)
    if problems:
        raise FormatError("；".join(problems))
    match = _COURT_LENIENT_RE.fullmatch(text.strip())
    assert match is not None  # diagnose_court_case_number found no problem
    return CourtCaseNumber(int(match["year"]), match["court"], match["case_type"], int(match["serial"]))
