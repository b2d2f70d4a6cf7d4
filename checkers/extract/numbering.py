"""Word automatic numbering rendered as text ("第一条", "一、", "（三）", "1.").

Word does not store list numbers in the paragraph text; a clause numbered 第五条 by a list style
would otherwise lose its number, and the segmenter relies on it. Counters are kept per abstract
numbering definition (as Word does), restarted by ``w:startOverride`` and by a higher level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from ecodoc.ooxml import W_NS
from ecokernel.cnfmt import int_to_cn
from ecokernel.safexml import parse_xml

if TYPE_CHECKING:
    from ecokernel.safezip import SafeZip

_W = f"{{{W_NS}}}"
_VAL = f"{_W}val"
_PLACEHOLDER = re.compile(r"%([1-9])")
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "\t"


@dataclass
class Numbering:
    """The numbering definitions of a document and the running counters while it is read."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)  # numId → (abstract, overrides)
    _counters: dict[str, list[int]] = field(default_factory=dict)
    _started: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, package: SafeZip, parts: list[str]) -> Numbering:
        numbering = cls()
        for part in parts:
            data = package.read(part)
            if data is not None:
                numbering._parse(parse_xml(data, part))
        return numbering

    def _parse(self, root: etree._Element) -> None:
        for abstract in root.iter(f"{_W}abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                level = _Level()
                level.start = _int(_child_val(lvl, "start"), 1)
                level.fmt = _child_val(lvl, "numFmt") or "decimal"
                level.text = _child_val(lvl, "lvlText") or ""
                level.suffix = {"space": " ", "nothing": ""}.get(_child_val(lvl, "suff") or "", "\t")
                levels[_int(lvl.get(f"{_W}ilvl"), 0)] = level
            self.abstract[abstract.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iter(f"{_W}num"):
            overrides: dict[int, int] = {}
            for override in num.iter(f"{_W}lvlOverride"):
                start = _child_val(override, "startOverride")
                if start is not None:
                    overrides[_int(override.get(f"{_W}ilvl"), 0)] = _int(start, 1)
            self.nums[num.get(f"{_W}numId", "")] = (_child_val(num, "abstractNumId") or "", overrides)

    def label(self, num_id: str | None, level: int) -> str:
        """The number Word shows before a paragraph numbered ``num_id``/``level`` (advancing the counters)."""
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id)
        if not levels or level not in levels:
            return ""
        counters = self._counters.setdefault(abstract_id, [0] * 9)
        if num_id not in self._started:
            self._started.add(num_id)
            for lvl, start in overrides.items():
                if 0 <= lvl < 9:
                    counters[lvl] = start - 1
        level = max(0, min(level, 8))
        if counters[level] == 0 or counters[level] < levels[level].start - 1:
            counters[level] = levels[level].start - 1
        counters[level] += 1
        for lower in range(level + 1, 9):
            counters[lower] = 0
        definition = levels[level]
        if definition.fmt == "bullet" or not definition.text:
            return ""

        def render(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            fmt = levels[index].fmt if index in levels else "decimal"
            start = levels[index].start if index in levels else 1
            return format_number(counters[index] or start, fmt)

        return _PLACEHOLDER.sub(render, definition.text) + definition.suffix


def format_number(n: int, fmt: str) -> str:
    """Render counter ``n`` in a Word ``numFmt``; unknown formats fall back to decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
               "taiwaneseCountingThousand", "chineseLegalSimplified") and 0 < n <= 9999:
        return int_to_cn(n)
    if fmt == "ideographTraditional" and 0 < n <= len(_STEMS):
        return _STEMS[n - 1]
    if fmt == "ideographZodiac" and 0 < n <= len(_BRANCHES):
        return _BRANCHES[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 0 < n < 4000:
        out = ""
        for value, numeral in _ROMAN:
            while n >= value:
                out, n = out + numeral, n - value
        return out if fmt == "upperRoman" else out.lower()
    if fmt == "none":
        return ""
    return str(n)


def _child_val(element: etree._Element, name: str) -> str | None:
    child = element.find(f"{_W}{name}")
    return child.get(_VAL) if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
