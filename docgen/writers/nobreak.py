"""Runs of text a line must not break inside (issue 11 §2): phone numbers and other hyphenated codes,
plate numbers, 案号 and 发文字号, and the unit named after a seal or signature label.

The DOCX writer joins the characters of each span with U+2060 WORD JOINER and gives the span an
East-Asian language without Chinese line-breaking rules: LibreOffice 7.4 (the PDF route) honours the
joiner only then — with zh-CN it still breaks between two ideographs, before 〔 or 号, and after "-".
Text extraction (pypdf, checkers/extract) drops the joiner."""

from __future__ import annotations

import re

from ecokernel.cnfmt import COURT_CASE_NUMBER_RE, DOC_NUMBER_RE

WORD_JOINER = "\u2060"

_ALNUM = "[0-9A-Za-z]"
#: 0936-8213456, 2025-01-01, A1-23: alphanumeric pieces joined by a hyphen or a middle dot
_HYPHENATED = re.compile(rf"{_ALNUM}+(?:[-‐‑·・]{_ALNUM}+)+")
#: 甘G·12345, 桂A12345D: a province's character, the issuing letter, five or six characters
_PLATE = re.compile(r"[\u4e00-\u9fff][A-Z][·・]?[0-9A-Z]{5,6}(?![0-9A-Za-z])")
#: the unit after a seal or signature label: 赔偿权利人（盖章）：张掖市自然资源局
_NAME = r"[ \u3000]*(?P<name>[\u3400-\u9fff（）()·A-Za-z0-9]{2,24})"
_SEALED_NAME = re.compile(rf"(?:盖章|签章|印章|公章|签字|签名|捺印)[）)]?[：:]{_NAME}")
_LABELLED_NAME = re.compile(rf"[：:]{_NAME}")
#: an agency code is at most this long; DOC_NUMBER_RE reaches further back into the words before it
_AGENCY = 4


def protected_spans(text: str, *, signature: bool = False, names: bool = True) -> list[tuple[int, int]]:
    """(start, end) of the runs of ``text`` a line must not break inside, sorted and disjoint;
    ``signature``: the text is a signature line, so any name after a label with "：" is kept whole;
    ``names=False``: numbers only."""
    spans = [m.span() for pattern in (_HYPHENATED, _PLATE, COURT_CASE_NUMBER_RE) for m in pattern.finditer(text)]
    spans += [(max(m.start("agency"), m.end("agency") - _AGENCY), m.end()) for m in DOC_NUMBER_RE.finditer(text)]
    if names:
        spans += [m.span("name") for m in (_LABELLED_NAME if signature else _SEALED_NAME).finditer(text)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] - s[0] > 1):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
