"""Sections, sentences and fragments of a document, whatever heading style it uses.

Headings are recognised in the styles practitioners use: ``一、`` / ``（一）`` / ``1.`` / ``（1）``
(GB/T 9704 7.3.3), ``第八条`` / ``第二章``, minutes-style ``一是`` / ``①``, and label headings of court filings (``请求事项：``,
``事实和理由：``, ``此致``, ``附：``). A document without any (甲方/乙方 prose) is one flat run of
paragraphs: the rules then work on sentences, which is what they do anyway.

Everything is expressed as character offsets into ``Document.text`` so that a finding can be
mapped back to its block (and location) with ``Document.block_at``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from checkers.document import Document

_CN_NUM = "一二三四五六七八九十百零〇两"
HEADING_PATTERNS: list[tuple[float, re.Pattern[str]]] = [
    (0, re.compile(rf"^第[{_CN_NUM}0-9]+[章部][\s　]*(?P<rest>.*)$")),
    # "第一章 … / 第一节 事实情况 / 一、…": a 节 sits between its chapter and the numbered items in it
    (0.5, re.compile(rf"^第[{_CN_NUM}0-9]+节[\s　]*(?P<rest>.*)$")),
    (1, re.compile(rf"^第[{_CN_NUM}0-9]+条[\s　:：、.．]*(?P<rest>.*)$")),
    # a typist's spaces inside the numbering ("四 、", "（ 一 ）", "1 .") change nothing
    (1, re.compile(rf"^[{_CN_NUM}]+[ \t　]*[、.．][\s　]*(?P<rest>.*)$")),
    (2, re.compile(rf"^[（(][ \t　]*[{_CN_NUM}]+[ \t　]*[）)][\s　、]*(?P<rest>.*)$")),
    (3, re.compile(r"^[0-9]{1,2}[ \t　]*[.．、](?![0-9])[\s　]*(?P<rest>.*)$")),
    # under "1.1" too (contract style: "2.2 相关证据" / "（1）现场检查笔录…")
    (5, re.compile(r"^[（(][0-9]{1,2}[）)][\s　、]*(?P<rest>.*)$")),
    # contract-style decimal numbering: "1.1 损害事实：…", "4.4 分期履约担保：…" (a sub-clause)
    (4, re.compile(r"^[0-9]{1,2}[.．][0-9]{1,2}(?![0-9])(?![.．][0-9])[.．]?[\s　]*(?P<rest>[^\s0-9%％].*)$")),
    # and a level deeper: "2.2 本协议所依据的证据包括：" / "2.2.1 现场检查笔录…" (in the 2.2 clause)
    (4.5, re.compile(r"^[0-9]{1,2}[.．][0-9]{1,2}[.．][0-9]{1,2}(?![0-9])[\s　]*(?P<rest>[^\s0-9%％].*)$")),
    # a clause number run into its title on a line of its own: "8不可抗力", "9 争议解决"
    (2, re.compile(r"^[0-9]{1,2}(?![0-9.．年月日%％])[\s　]*(?P<rest>[\u4e00-\u9fff]{2,14})$")),
    (1, re.compile(r"^(?P<rest>(?:请求事项|事实和理由|事实与理由|事实及理由|申请事项|申请理由|此致|附\s*[：:件]|附件[一二三四五六七八九十0-9]*\s*[：:]?).*)$")),
    # minutes-style points: "一是相关证据。现场勘验笔录……", "①原协议约定的……"
    # (list items rather than headings: the deepest level, under whatever heading they follow)
    (6, re.compile(rf"^[{_CN_NUM}]{{1,3}}是[\s　]*(?P<rest>[^\s].*)$")),
    (6, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳][\s　、]*(?P<rest>.*)$")),
    # a title in brackets on a line of its own: "【事实和理由】"
    (1, re.compile(r"^[【\[](?P<rest>[^】\]\n]{2,16})[】\]]\s*$")),
]
#: any of the above (their alternation): most blocks that are not headings are told apart in one try
_ANY_HEADING = re.compile("|".join(f"(?:{rx.pattern.replace('(?P<rest>', '(?:')})" for _level, rx in HEADING_PATTERNS))
# a title ends at a colon, a full stop, a semicolon or a comma, but not at a thousands separator ("50,000元")
_TITLE_END = re.compile(r"[：:。；;]|(?<![0-9])[，,]|[，,](?![0-9]{3})")
_FRAMED = re.compile(r"[【\[][^】\]\n]{2,16}[】\]]")
#: a model form's guidance in brackets after the heading words ("二、生态环境损害调查情况（含调查结论、鉴定
#: 评估意见、专家评估意见。对于生态环境损害可以修复的，应明确可以修复的区域范围和要求）")
_GUIDANCE = re.compile(r"[（(][^（()）\n]{4,160}[）)][ \t　]*[：:]?")
_GAP = re.compile(r"[ \t　]+(?=\S)")
SENTENCE_END = re.compile(r"[。！？!?；;\n]")
FRAGMENT_END = re.compile(r"[。！？!?；;\n，,：:]")


@dataclass
class Section:
    level: float
    title: str  # the heading words, e.g. "违约责任"
    heading: str  # the whole heading block text
    start: int  # offset of the heading block in Document.text
    body_start: int  # offset where the content starts (after the title, may be inside the heading block)
    end: int  # offset where the section (with its subsections) ends
    block_index: int
    children: list[Section] = field(default_factory=list)

    def body(self, text: str) -> str:
        return text[self.body_start:self.end]


@dataclass
class Segmentation:
    text: str
    sections: list[Section]
    sentences: list[tuple[int, int]]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            start, end = self.sentences[mid]
            if offset < start:
                hi = mid - 1
            elif offset >= end and not (offset == end == len(self.text)):
                lo = mid + 1
            else:
                return start, end
        return (max(0, offset - 40), min(len(self.text), offset + 40))

    def __post_init__(self) -> None:
        # sections come in text order with disjoint headings; sentences in order and disjoint
        self._section_starts = [s.start for s in self.sections]
        self._sentence_starts = [a for a, _b in self.sentences]

    def heading_at(self, offset: int) -> Section | None:
        """The section whose heading (``start`` ≤ offset < ``body_start``) contains ``offset``."""
        i = bisect_right(self._section_starts, offset) - 1
        if i >= 0 and offset < self.sections[i].body_start:
            return self.sections[i]
        return None

    def sentences_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """The sentences that overlap ``[start, end)``, in order."""
        i = max(0, bisect_right(self._sentence_starts, start) - 1)
        j = bisect_left(self._sentence_starts, end)
        return [(a, b) for a, b in self.sentences[i:j] if a < end and b > start]

    def find_sections(self, title_rx: re.Pattern[str]) -> list[Section]:
        return [s for s in self.sections if title_rx.search(s.title)]


def heading_of(text: str) -> tuple[float, str, int] | None:
    """(level, title, offset of the content after the title) if the block is a heading."""
    stripped = text.strip()
    if not _ANY_HEADING.match(stripped):
        return None
    lead = len(text) - len(text.lstrip())
    for level, rx in HEADING_PATTERNS:
        m = rx.match(stripped)
        if not m:
            continue
        rest = m["rest"]
        rest_at = lead + m.start("rest")
        cut = _TITLE_END.search(rest)
        framed = _FRAMED.match(rest)
        if framed and (cut is None or framed.end() <= cut.start()) and framed.end() < len(rest.rstrip()):
            cut = framed  # "第七条 【付款方式】乙方按以下期限……": the brackets end the title
            title = rest[1:framed.end() - 1]
            return level, title.strip(), rest_at + framed.end()
        guide = _GUIDANCE.search(rest, 0, cut.end() + 160) if cut else None
        if guide and 2 <= guide.start() <= 30 and cut is not None and guide.start() < cut.start() < guide.end() \
                and not rest[guide.end():].split("\n", 1)[0].strip():
            # the title's end mark is inside the guidance that ends the line: the title is the words
            # before it, the guidance belongs to the heading, not to the body
            return level, rest[:guide.start()].strip(), rest_at + guide.end()
        space = _GAP.search(rest)
        if space and space.start() >= 2 and (cut is None or space.start() < cut.start()) and space.start() <= 20:
            cut = space  # "第四条 对鉴定评估报告的意见 双方认可……": the title ends at the space
        if cut and cut.start() <= 30:
            title = rest[: cut.start()]
            body_at = rest_at + cut.end()
        elif len(rest) <= 30:
            title, body_at = rest, len(text)
        else:
            title, body_at = rest[:30], rest_at
        # "第一条【事实】", "第二条[证据]": the brackets frame the title, they are not part of it
        return level, title.strip().strip("【】[]〔〕").strip(), body_at
    return None


def sentences_of(text: str) -> list[tuple[int, int]]:
    # each end mark is one character: every sentence ends one past its mark, and is not empty
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    last = ends[-1] if ends else 0
    spans = list(zip([0, *ends][:len(ends)], ends, strict=True))
    if last < len(text):
        spans.append((last, len(text)))
    return spans


def _style_level(style: str | None) -> int:
    """The section level of a heading style ("Heading 2" → 2), 1 when the style does not say."""
    m = re.search(r"(\d)", style or "")
    return min(4, max(1, int(m.group(1)))) if m else 1


def segment(doc: Document) -> Segmentation:
    text = doc.text
    sections: list[Section] = []
    offset = 0
    for block in doc.blocks:
        found = heading_of(block.text) if block.kind in ("paragraph", "heading", "table_cell") else None
        if found is None and block.kind == "heading" and 0 < len(block.text.strip()) <= 40:
            # the source says it is a heading (a DOCX heading style or outline level) though it has no
            # numbering in its text (Word's automatic numbering, or none): the role decides
            found = (_style_level(block.style), block.text.strip().strip("【】[]〔〕"), len(block.text))
        if found:
            level, title, body_at = found
            sections.append(Section(level, title, block.text, offset, offset + body_at, len(text),
                                    block.index))
        offset += len(block.text) + 1
    # close each section at the next heading of the same or a higher level; link children
    stack: list[Section] = []
    for s in sections:
        while stack and stack[-1].level >= s.level:
            stack.pop().end = s.start
        if stack:
            stack[-1].children.append(s)
        stack.append(s)
    return Segmentation(text, sections, sentences_of(text))
