"""Look-alike characters a text recognition (OCR) of a scanned copy puts in place of the right ones
("法定代表入", "末履行", "3月1曰", "1 128,000元"), put back where only one reading is possible in this
domain; the list is data (``checkers/data/ocr_confusions.yaml``). The reader notes what it put back,
so a report never quotes a repaired word without saying so."""

from __future__ import annotations

import functools
import re
from collections import Counter

from ecokernel.sourcefile import packaged_data


@functools.cache
def _rules() -> list[tuple[re.Pattern[str], str]]:
    data = packaged_data("checkers.data", "ocr_confusions.yaml")
    return [(re.compile(p["find"]), p["replace"]) for p in data["patterns"]]


#: characters without which no entry can apply (a quick test before the regular expressions)
_MARKS = frozenset("入末己士曰千 ")


def repair(text: str, seen: Counter[str]) -> str:
    """``text`` with the look-alikes put back; each repair counted in ``seen`` ("末按→未按")."""
    if not _MARKS.intersection(text):
        return text
    for rx, replacement in _rules():
        def one(m: re.Match[str], replacement: str = replacement) -> str:
            fixed = m.expand(replacement)
            seen[f"{m.group(0)}→{fixed}"] += 1
            return fixed
        text = rx.sub(one, text)
    return text


def note(seen: Counter[str]) -> str | None:
    """The reading note for the repairs made, or None."""
    if not seen:
        return None
    listed = "、".join(f"“{k}”" for k, _n in seen.most_common(6))
    more = f"等{sum(seen.values())}处" if len(seen) > 6 else f"共{sum(seen.values())}处"
    return f"文书中有文字识别（OCR）常见的形近错字，已按唯一可能的读法读取：{listed}{more}；引用的原文为改正后的文字"
