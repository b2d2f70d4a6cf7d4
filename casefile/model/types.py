"""Field types shared by the case model: money, dates, coded choices with Chinese labels.

Money is always ``Decimal`` (never float). Dates accept ISO strings, ``date`` objects and the
Chinese forms a legal officer types (``2024年8月1日``). Coded choices accept either the stable
English code or its Chinese label, so a hand-written case file can say ``kind: 专家意见``.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema

from ecokernel.cnfmt import parse_cn_date, parse_court_case_number, parse_doc_number

_MONEY_CLEAN = re.compile(r"[\s,，￥¥元]|^人民币")


def _to_decimal(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("金额不能是布尔值")
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError("金额不是有效数字")
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal) and not value.is_finite():  # YAML .inf / .nan
        raise ValueError("金额不是有效数字")
    if isinstance(value, str):
        text = _MONEY_CLEAN.sub("", value.strip())
        scale = Decimal(1)
        if text.endswith("万"):
            text, scale = text[:-1], Decimal(10000)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{value}”不是有效金额，应写作数字，如 125000.00") from None
        if not number.is_finite():
            raise ValueError(f"“{value}”不是有效金额")
        return number * scale
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    Field(ge=0, max_digits=16, decimal_places=2),
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json"),
    WithJsonSchema({"type": ["string", "number"], "pattern": r"^\d+(\.\d{1,2})?$",
                    "description": "金额（元），最多两位小数，如 \"125000.00\"；也接受“12.5万元”"}),
]
"""An amount in yuan: Decimal, non-negative, at most two decimals."""


LAST_DAY = date(2999, 12, 31)
"""The latest date a case may hold: later ones are typos, and period arithmetic stays far from ``date.max``."""


def _check_range(value: date) -> date:
    if value > LAST_DAY:
        raise ValueError(f"日期 {value.isoformat()} 晚于 {LAST_DAY.isoformat()}，超出支持的范围，请检查年份是否写错")
    return value


def _to_date(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):

        return parse_cn_date(value.strip())
    return value


Day = Annotated[
    date,
    BeforeValidator(_to_date),
    AfterValidator(_check_range),
    WithJsonSchema({"type": "string", "format": "date",
                    "description": "日期，YYYY-MM-DD，也接受“2024年8月1日”"}),
]
"""A calendar date; accepts ISO and Chinese written forms."""


class LabeledEnum(StrEnum):
    """A StrEnum whose members carry a Chinese label: declare ``CODE = "code", "标签"``.

    Validation (through ``labeled``) accepts the code or the label.
    """

    label: str

    def __new__(cls, value: str, label: str) -> LabeledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {m.value: m.label for m in cls}

    @classmethod
    def coerce(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            for member in cls:
                if text in (member.value, member.label):
                    return member
            choices = "、".join(f"{m.value}（{m.label}）" for m in cls)
            raise ValueError(f"“{value}”不是可选值，应为以下之一：{choices}")
        return value


def labeled(enum: type[LabeledEnum]) -> Any:
    """Annotated type for a LabeledEnum field that accepts codes and Chinese labels."""
    labels = enum._labels()
    return Annotated[
        enum,
        BeforeValidator(enum.coerce),
        WithJsonSchema({"type": "string", "enum": list(labels),
                        "description": "；".join(f"{c}={lab}" for c, lab in labels.items())}),
    ]


def _single_line(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if "\n" in value or "\r" in value:
            raise ValueError("此处应为单行文字，不能含换行")
    return value


def _text(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip().replace("\r\n", "\n").replace("\r", "\n")
        bad = [c for c in value if (ord(c) < 32 and c not in "\n\t") or 0xFFFE <= ord(c) <= 0xFFFF
               or 0xD800 <= ord(c) <= 0xDFFF]
        if bad:
            raise ValueError(f"含有不可打印的控制字符（U+{ord(bad[0]):04X}），请删除")
    return value


Line = Annotated[str, BeforeValidator(_single_line), BeforeValidator(_text), Field(min_length=1,
                                                                                     max_length=500)]
"""A non-empty single line of text (names, places, numbers)."""

def _doc_number(value: str) -> str:
    parse_doc_number(value)  # FormatError (a ValueError) says exactly what is wrong
    return value


def _court_number(value: str) -> str:
    parse_court_case_number(value)
    return value


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=20000)]
"""Free text, may span paragraphs (separated by newlines)."""

DocNo = Annotated[str, AfterValidator(_doc_number), Field(description="发文字号，年份用六角括号〔〕，如 甘G环赔〔2025〕3号")]
"""A document number (GB/T 9704 7.2.5): 〔year〕, serial without leading zeros."""

CourtNo = Annotated[str, AfterValidator(_court_number), Field(description="法院案号，年份用圆括号（），如 （2025）甘07民特12号")]
"""A court case number: （year）court-code case-type serial 号."""
