"""``ecokernel.rxscan``: the same matches as ``re.finditer``, on the rule patterns and on patterns made
to catch a window cut too short (a lookahead, ``$``, ``\\b`` or a lookbehind at a window's edge)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkers.rules.registry import hollow_phrases, load_rules
from ecokernel.rxscan import Scanner


def _rule_patterns() -> list[str]:
    found = set(hollow_phrases())
    for r in load_rules().values():
        for kind in ("patterns", "when", "also_when", "unless", "hollow", "related", "weak", "all_of", "substance"):
            found.update(getattr(r, kind))
        for alt in r.alternatives:
            found.update(alt)
        found.update(h.rstrip("$").lstrip("^") for h in r.headings)
    return sorted(found)


RULE_PATTERNS = _rule_patterns()

#: each opens with something other than a word, so that it is searched near its anchors (a pattern
#: that opens with a word is left to the regex engine)
EDGES = [
    r"[^。]{0,2}委托[^。]{0,4}(?=[^。]{0,3}。)",  # a lookahead that reads past the consumed text
    r"[^，。]{2,10}公司$",  # $ at the end of the text only
    r"(?m)[^，。\n]{2,10}公司$",  # $ before each newline
    r"(?<=乙方)[^。]{0,5}委托",  # a lookbehind reading before the search's start
    r"(?<!甲)[^。]{1,6}委托[^。]{0,3}\b",
    r"(?m:^)[ \t　]*\d{1,2}[ \t　]*[、.．][^。]{0,8}委托",
    r"[^。；]{0,6}?(?:委托|聘请)+[^。；]{0,3}?",  # lazy and repeated anchors, matches back to back
    r"\d[\d,]*元[^。]{0,5}(?:委托|支付)",  # unbounded before the anchor
    r"(?:甲方|乙方)?[^。]{0,10}(?:委托|支付)[^。]*。",  # unbounded after: searched to the end
    r"(?:[^。]{1,3}委托|公司[^。]{0,2}支付)[^，]{0,2}",  # a branch whose alternatives anchor differently
    r"[^。]?委托(?![^。]{0,4}公司)",
]

ALPHABET = ["委托", "聘请", "支付", "公司", "甲方", "乙方", "。", "，", "；", "\n", " ", "　", "1", "2", ",",
            "元", "年", "、", "效果", "评估", "修复", "报告", "由", "厂", "x", "X"]


#: text without any anchor word, around the generated texts: long enough that searching near the
#: anchors costs less than one scan, so that the windows are used (on a short text they are not)
PAD = "双方确认本案事实清楚证据充分" * 40


def _same(pattern: str, text: str) -> None:
    text = PAD + text + PAD
    scanner = Scanner(pattern)
    assert [(m.span(), m.groups()) for m in scanner.finditer(text)] == \
        [(m.span(), m.groups()) for m in re.finditer(pattern, text)]
    for m in re.finditer(pattern, text):  # every match holds a string of each anchor, where the anchor says
        for anchor in scanner.anchors:
            assert any(text.find(s, m.start() + way.lo, m.end()) >= 0
                       and (way.hi is None or 0 <= text.find(s, m.start() + way.lo, m.end()) - m.start() <= way.hi)
                       for way in anchor for s in way.strings), (pattern, m.span(), anchor)


def _texts(alphabet: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(alphabet), max_size=120).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(EDGES), _texts(ALPHABET))
def test_edge_patterns(pattern: str, text: str) -> None:
    _same(pattern, text)


@settings(max_examples=600, deadline=None)
@given(st.data())
def test_rule_patterns(data: st.DataObject) -> None:
    pattern = data.draw(st.sampled_from(RULE_PATTERNS))
    words = sorted({s for anchor in Scanner(pattern).anchors for way in anchor for s in way.strings})
    _same(pattern, data.draw(_texts(ALPHABET + words)))


@pytest.mark.parametrize("pattern", EDGES)
def test_window_edges(pattern: str) -> None:
    """Matches that read exactly as far as the pattern allows (the last character a lookahead may see,
    the end of the text), after and before other text: every distance from the anchor up to past the
    farthest one."""
    assert Scanner(pattern).windowed
    for k in range(16):
        for head in ("", "甲方", "乙方由某某", "x" * 12):
            for word in ("委托", "支付", "公司"):
                for tail in ("。", "公司", "公司。", "\n", "，", ""):
                    for after in ("", "xx。乙方委托某厂。", "\n公司"):
                        _same(pattern, head + word + "x" * k + tail + after)


def test_windows_are_used_and_skipped() -> None:
    """The expensive pattern the module was written for is searched near its anchor only; a text
    without the anchor is not scanned at all; a pattern tied to the start has no windows."""
    slow = Scanner(r"(?:乙方|[^。；，,\s]{2,20}(?:公司|厂))[^。；，,]{0,6}?(?:委托|聘请|邀请)[^。；]{0,60}评估报告")
    text = "双方确认本案事实。" * 300 + "乙方委托某某公司出具评估报告。" + "其他条款。" * 300
    assert slow.windowed and slow._starts(text) not in (None, [])
    assert [m.span() for m in slow.finditer(text)] == [m.span() for m in re.finditer(slow.pattern, text)]
    assert slow._starts("双方确认本案事实。" * 300) == []
    assert not Scanner(r"^事实").windowed


@pytest.mark.parametrize("pattern", [r"(?i)abc[^x]{0,3}d", r"(a)[^b]{0,3}\1", r"x*"])
def test_unreadable_patterns_scan_as_before(pattern: str) -> None:
    """Case-insensitive parts, back-references and empty matches: no anchors, plain finditer."""
    scanner = Scanner(pattern)
    assert not scanner.windowed
    text = "ABCxxD aXXa abcd"
    assert [m.span() for m in scanner.finditer(text)] == [m.span() for m in re.finditer(pattern, text)]


def test_lazy_scanner_reads_its_pattern_at_the_second_use() -> None:
    """A process that scans a pattern once does not pay for reading it; the matches never change."""
    pattern = r"(?:乙方|[^。；，,\s]{2,20}(?:公司|厂))[^。；，,]{0,6}?(?:委托|聘请|邀请)[^。；]{0,60}评估报告"
    text = PAD + "乙方委托某某公司出具评估报告。" + PAD
    lazy = Scanner(pattern, lazy=True)
    expected = [m.span() for m in re.finditer(pattern, text)]
    assert [m.span() for m in lazy.finditer(text)] == expected and not lazy.windowed
    assert [m.span() for m in lazy.finditer(text)] == expected and lazy.windowed
    assert Scanner(pattern, lazy=True).known_anchors() is None
