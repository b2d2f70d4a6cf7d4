"""Hard bounds on what one document may contain before the rules refuse to read it.

Every extraction and rule is linear (or n·log n) in the size of the document; these caps bound the
constant as well, so a hostile upload of repeated labels costs no more than a long real document.
The numbers are far above real documents (a long agreement has tens of dates and a handful of
parties) and are documented in the README.
"""

from __future__ import annotations

from typing import TypeVar

from ecokernel.errors import UserError

T = TypeVar("T")

#: Most characters of text the rules read in one document (a 200-page agreement has ~200,000).
MAX_TEXT_CHARS = 1_000_000
#: Most values of each kind extracted from one document, with the Chinese word for the message.
MAX_VALUES: dict[str, tuple[int, str]] = {
    "amounts": (5_000, "金额"),
    "dates": (5_000, "日期"),
    "identifiers": (5_000, "证件号码"),
    "parties": (5_000, "当事人标签（甲方、乙方、赔偿义务人等）"),
    "party_names": (200, "不同的当事人名称"),
    "organisations": (10_000, "单位名称"),
}
#: Most findings listed per rule and document; the rest are counted in a note.
MAX_FINDINGS_PER_RULE = 50


class DocumentTooComplex(UserError):
    """A document holds more text or values than the checker reads (see the module docstring)."""


def check_text_size(text: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentTooComplex(
            f"文书文字共 {len(text):,} 字，超过审查上限 {MAX_TEXT_CHARS:,} 字；请只提交需要审查的文书正文")


def at_most(values: list[T], kind: str) -> list[T]:
    """``values``, or DocumentTooComplex when there are more than the cap for ``kind``."""
    limit, word = MAX_VALUES[kind]
    if len(values) > limit:
        raise DocumentTooComplex(
            f"文书中识别出的{word}超过 {limit:,} 处（共 {len(values):,} 处），超出审查上限，"
            "不像是一份赔偿文书；请只提交需要审查的文书")
    return values
