"""Running rules over a document: element detection (data-driven) and computing rules (Python).

Element detection, in short:

* a *candidate* is a match of one of the rule's ``patterns`` (or a section whose heading matches
  ``headings``); it counts only if it is not *hollow*;
* a candidate is hollow when a hollow trigger (global list below plus the rule's ``hollow``) sits
  in the same sentence within a window around it — "违约责任另行约定", "双方对……未作约定",
  "由双方另行协商确定", "详见附件" with no attachment — or, for a heading, when its body is empty,
  a placeholder, or only hollow sentences. This is the explicit negation handling (NegEx-style:
  trigger + window + sentence boundary);
* ``weak`` patterns are mentions that never suffice (e.g. a dispute "协商解决" with no court or
  arbitration): they turn a "missing" into a "hollow" finding with a better message;
* ``alternatives`` are sets of patterns that together satisfy the element (the irreparable-damage
  route for the restoration plan); ``all_of`` must also be present; ``when``/``unless`` make the
  rule conditional (instalment security only with instalments);
* ``fields`` (with an ``anchor``/``region``) check filled labels such as ``法定代表人：张三``.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from checkers.document import Document
from checkers.extract.text import close_wraps
from checkers.findings import Basis, CannotEvaluate, Coverage, Finding, FindingLocation, Unchecked
from checkers.rules.basis import BasisRef, capped_severity, make_basis, status_note, unverified_note
from checkers.rules.computed import COMPUTED
from checkers.rules.registry import (
    PARAMETER_RX,
    FieldSpec,
    Rule,
    filler_sentences,
    hollow_phrases,
    load_rules,
)
from checkers.rules.values import Values
from checkers.segment import Section, Segmentation, segment
from checkers.understand.parties import (
    FIELD_NAMES,
    Party,
    assess,
    find_column_parties,
    find_parties,
    find_row_parties,
)
from corpus import load_corpus
from corpus.profiles import get_profile
from ecokernel import clock
from ecokernel.cnfmt import cn_to_int
from ecokernel.memo import cached_attribute
from ecokernel.rxscan import scanner

from .limits import MAX_FINDINGS_PER_RULE, check_text_size

ATTACHMENT_REF = re.compile(r"(?:详见|见|参见)附件[ \t　]*(?P<n>[0-9]{1,2}|[一二三四五六七八九十]{1,3})?")
ATTACHMENT_PRESENT = re.compile(r"(?m)^\s*附件\s*[一二三四五六七八九十0-9]*\s*[：:、.．]?\s*\S*")
#: the annex list's opening line ("附件：1.《鉴定评估报告》", "附件清单：") and a numbered item in it
_ANNEX_LIST = re.compile(r"(?m)^[ \t　]*附(?:件)?(?:清单|目录)?[ \t　]*[：:]")
_ANNEX_ITEM = re.compile(r"(?m)(?:^|(?<=[：:；;，, \t　]))[ \t　]*(?:附件)?[ \t　]*(?P<n>[0-9]{1,2}|[一二三四五六七八九十]{1,3})"
                         r"[ \t　]*[.．、：:）)](?![0-9])")
#: an annex appended under its own label ("附件3 修复效果评估方案", "附件三：")
_ANNEX_LABEL = re.compile(r"(?m)^[ \t　]*附件[ \t　]*(?P<n>[0-9]{1,2}|[一二三四五六七八九十]{1,3})(?![0-9])")


def _number(digits: str) -> int:
    """An annex's number written in Arabic or Chinese numerals ("3", "三")."""
    return int(digits) if digits.isdigit() else cn_to_int(digits)


#: what fills a blank without filling it: underlines, dashes, ××, "无", "略", and a model form's
#: instruction left alone in it ("（四）违约责任： （写明违约责任的承担）")
_INSTRUCTION = r"[（(](?:写明|填写|注明|列明|载明)[^（()）\n]{0,30}[）)]"
PLACEHOLDER = re.compile(rf"(?:{_INSTRUCTION}|[\s_＿\-—–…·.。．、，,；;：:×ＸXx/／无略（）()])+")
#: a model form's bracketed instruction ("（写明违约责任的承担）"): the form's words, not the document's
INSTRUCTION = re.compile(_INSTRUCTION)
FILL = r"[ \t　]*[：:]?[ \t　]*(?=[^\s_＿×Ｘ（(：:])(?![Xx]{2})"
WINDOW_BEFORE, WINDOW_AFTER = 20, 24


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@cache
def _global_hollow() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in hollow_phrases()]


@cache
def _filler() -> re.Pattern[str]:
    """A sentence that only restates the duty to perform, its closing mark aside."""
    return re.compile(rf"\s*(?:{'|'.join(filler_sentences())})\s*[。；;.!！]?\s*")


def field_regex(spec: FieldSpec) -> re.Pattern[str]:
    return _rx(f"(?:{spec.label}){FILL}" if spec.label else spec.pattern or "")


class _Scan:
    """A ``finditer`` read at most once: the matches read so far, and the iterator for the rest."""

    __slots__ = ("found", "rest")

    def __init__(self, rest: Iterator[re.Match[str]]) -> None:
        self.found: list[re.Match[str]] = []
        self.rest: Iterator[re.Match[str]] | None = rest

    def __iter__(self) -> Iterator[re.Match[str]]:
        i = 0
        while True:
            if i < len(self.found):
                yield self.found[i]
            else:
                m = next(self.rest, None) if self.rest is not None else None
                if m is None:
                    self.rest = None
                    return
                self.found.append(m)
                yield m
            i += 1


#: a law's article quoted word for word: "《…》第X条（第Y款）（规定）：“…”"
_QUOTED_LAW = re.compile(r"《[^》\n]{2,40}》(?:第[^“”\"\n，。；]{1,20}?条(?:第[^“”\"\n，。；]{1,6}款)?)?(?:规定)?[：:，,]?[ \t　]*"
                         r"[“\"「](?P<q>[^”\"」\n]{4,2000})[”\"」]")


@dataclass
class Outcome:
    status: str  # present | hollow | missing | incomplete | deferred | n/a
    span: tuple[int, int] | None = None
    detail: str | None = None


@dataclass
class Context:
    doc: Document
    kind: str | None
    jurisdiction: str
    on: dt.date
    case: Any = None  # the case data (casefile.model.Case) the document is compared with, if given
    seg: Segmentation = field(init=False)
    text: str = field(init=False)
    notes: list[str] = field(init=False, default_factory=list)  # for the report (findings left out)
    unchecked: list[Unchecked] = field(init=False, default_factory=list)  # rules ended as 未能核对
    coverage: Coverage = field(init=False, default_factory=Coverage)

    def __post_init__(self) -> None:
        self.text = self.doc.text
        check_text_size(self.text)
        self.seg = segment(self.doc)
        self._basis: dict[str, list[Basis]] = {}
        self._scans: dict[str, _Scan] = {}
        self._conditions: dict[int, tuple[Rule, str | None]] = {}
        self._titled: dict[str | tuple[str, ...], frozenset[int]] = {}
        self._hollow: dict[int, tuple[Rule, list[re.Pattern[str]]]] = {}
        self._as_condition: dict[int, tuple[Rule, Rule]] = {}

    def hollow_patterns(self, rule: Rule) -> list[re.Pattern[str]]:
        """The rule's hollow patterns, then the global ones unless it turns them off (built once per
        rule and document)."""
        known = self._hollow.get(id(rule))
        if known is None or known[0] is not rule:
            known = self._hollow[id(rule)] = (
                rule, [_rx(p) for p in rule.hollow] + (_global_hollow() if rule.global_hollow else []))
        return known[1]

    def as_condition(self, rule: Rule) -> Rule:
        """The rule as its ``when``/``unless`` conditions are read: without the global hollow list, and
        with the rule's ``condition_hollow`` in place of its own ``hollow`` when it has one."""
        known = self._as_condition.get(id(rule))
        if known is None or known[0] is not rule:
            update: dict[str, Any] = {"global_hollow": False}
            if rule.condition_hollow is not None:
                update["hollow"] = rule.condition_hollow
            known = self._as_condition[id(rule)] = (rule, rule.model_copy(update=update))
        return known[1]

    def matches(self, pattern: str) -> Iterator[re.Match[str]]:
        """The matches of ``pattern`` in the text, as ``finditer`` gives them. Several rules share a
        pattern (the ``when`` anchors), and a rule's condition is asked twice: the text is scanned
        once per document, only as far as a caller reads, and only near the words every match
        contains (``ecokernel.rxscan``)."""
        scan = self._scans.get(pattern)
        if scan is None:
            scan = self._scans[pattern] = _Scan(scanner(pattern).finditer(self.text))
        return iter(scan)

    def titled(self, patterns: tuple[str, ...]) -> frozenset[int]:
        """The sections (their ``id``) whose title matches one of ``patterns``, found once per
        document. Only the titles that hold one of the words every match contains are searched."""
        hits = self._titled.get(patterns)
        if hits is None:
            hits = frozenset().union(*(self._titled_by(p) for p in patterns))
            self._titled[patterns] = hits
        return hits

    def _titled_by(self, pattern: str) -> frozenset[int]:
        hits = self._titled.get(pattern)
        if hits is None:
            rx = _rx(pattern)
            hits = frozenset(id(s) for s in self._titles_with(pattern) if rx.search(s.title))
            self._titled[pattern] = hits
        return hits

    def _titles_with(self, pattern: str) -> list[Section]:
        """The sections whose title contains a string of the pattern's first anchor (all when it has
        none, or its scanner has not read it yet)."""
        anchors = scanner(pattern).known_anchors()
        if not anchors:
            return self.seg.sections
        joined, starts = self._joined_titles
        found: set[int] = set()
        for way in anchors[0]:
            for word in way.strings:
                at = joined.find(word)
                while at >= 0:
                    found.add(bisect_right(starts, at) - 1)
                    at = joined.find(word, at + 1)
        return [self.seg.sections[i] for i in sorted(found)]

    @cached_attribute
    def _joined_titles(self) -> tuple[str, list[int]]:
        starts, at = [], 0
        for section in self.seg.sections:
            starts.append(at)
            at += len(section.title) + 1
        return "\n".join(s.title for s in self.seg.sections), starts

    @cached_attribute
    def profile(self) -> Any:
        try:
            return get_profile(self.jurisdiction)
        except Exception:
            return get_profile("national")

    @cached_attribute
    def corpus(self) -> Any:
        return load_corpus()

    @cached_attribute
    def has_attachment(self) -> bool:
        return bool(ATTACHMENT_PRESENT.search(self.text))

    @cached_attribute
    def annex_numbers(self) -> set[int] | None:
        """The numbers of the annexes the document lists or appends ("附件：1.… 2.…", "附件3 …"), or
        None when it numbers none (then a reference to "附件3" cannot be checked against them)."""
        found = {_number(m["n"]) for m in _ANNEX_LABEL.finditer(self.text)}
        lists = list(_ANNEX_LIST.finditer(self.text))
        if lists:
            found |= {_number(m["n"]) for m in _ANNEX_ITEM.finditer(self.text, lists[-1].start())}
        return found or None

    def missing_attachment(self, m: re.Match[str]) -> str | None:
        """Why a "详见附件…" reference points at nothing: no annex at all, or not the numbered one."""
        if not self.has_attachment:
            return m.group(0) + "（但文中没有附件）"
        listed = self.annex_numbers
        if m["n"] and listed is not None and _number(m["n"]) not in listed:
            return m.group(0) + f"（但附件中没有附件{m['n']}）"
        return None

    @cached_attribute
    def text_parties(self) -> list[Party]:
        """The party blocks read from the text (labels, prose, salutations): read once per document."""
        return find_parties(self.text)

    @cached_attribute
    def parties(self) -> list[Party]:
        return self.text_parties + find_column_parties(self.doc) + find_row_parties(self.doc)

    @cached_attribute
    def values(self) -> Values:
        return Values(self)

    @cached_attribute
    def borrowed(self) -> tuple[list[int], list[int]]:
        """The spans of words the document borrows rather than says: statute text it quotes ("《民法典》
        第一百八十条：“因不可抗力不能履行…”") and a model form's instructions left in ("（写明违约责任的
        承担）"). As (starts, ends), sorted."""
        spans = sorted([(m.start("q"), m.end("q")) for m in _QUOTED_LAW.finditer(self.text)]
                       + [(m.start(), m.end()) for m in INSTRUCTION.finditer(self.text)])
        return [a for a, _b in spans], [b for _a, b in spans]

    def in_borrowed(self, start: int, end: int) -> bool:
        starts, ends = self.borrowed
        i = bisect_right(starts, start) - 1
        return i >= 0 and end <= ends[i]

    # ---- building findings

    def location(self, span: tuple[int, int] | None, quote: str | None = None) -> FindingLocation | None:
        if span is None or not self.doc.blocks:
            return None
        block = self.doc.block_at(span[0])
        loc = block.location.model_dump()
        if quote is None:
            s0, s1 = self.seg.sentence_at(span[0])
            s0, s1 = max(s0, span[0] - 60), min(max(s1, span[1]), span[1] + 60)
            quote = self.text[s0:s1].strip()
        if len(quote) > 160:
            quote = quote[:157] + "…"
        return FindingLocation(**loc, text=quote)

    def basis_for(self, rule: Rule) -> list[Basis]:
        """The basis of ``rule`` in this document's jurisdiction and date (built once per rule)."""
        if rule.code not in self._basis:
            self._basis[rule.code] = self._build_basis(rule)
        return list(self._basis[rule.code])

    def _build_basis(self, rule: Rule) -> list[Basis]:
        if rule.basis_text:  # a department's own rule rests on its playbook, not on the corpus
            return [Basis(source="playbook", article=rule.code, text=rule.basis_text,
                          citation=f"本单位审查要点（{rule.source_file}）")]
        refs: list[BasisRef] = list(rule.basis)
        # the jurisdiction's own basis, else that of the model texts its profile adopts (forms.variant)
        for key in (self.jurisdiction, self.profile.forms.variant):
            if key in rule.basis_by_jurisdiction:
                refs = list(rule.basis_by_jurisdiction[key])
                break
        if rule.param or rule.basis_param:
            p = self.profile.param(rule.param or rule.basis_param or "")
            if p is not None:
                own = {r.address: r for r in rule.basis}
                refs = [own.get(a) or BasisRef(address=a) for a in p.basis]
        return [make_basis(self.corpus, ref, self.on) for ref in refs]

    def finding(self, rule: Rule, *, span: tuple[int, int] | None = None, message: str | None = None,
                severity: str | None = None, suggestion: str | None = None, quote: str | None = None,
                extra_basis: list[str] | None = None, fix: tuple[str, str] | None = None) -> Finding:
        basis = self.basis_for(rule)
        for address in extra_basis or []:
            basis.append(make_basis(self.corpus, BasisRef(address=address), self.on))
        text = self.with_parameters(message or rule.message) + status_note(basis) + unverified_note(basis)
        advice = suggestion if suggestion is not None else rule.suggestion
        return Finding(rule=rule.code, element=rule.element, severity=capped_severity(severity or rule.severity, basis),
                       category=rule.category, message=text, location=self.location(span, quote),
                       basis=basis, suggestion=self.with_parameters(advice) if advice else advice,
                       span=span, fix=fix)

    def with_parameters(self, text: str) -> str:
        """``text`` with each ``{parameter}`` replaced by this jurisdiction's value as the law writes
        it (``{agreement_after_meeting}`` → ``15个工作日``): rule data never hard-codes a number."""
        return PARAMETER_RX.sub(lambda m: p.text if (p := self.profile.param(m[1])) else m[0], text)


# ---- element detection


def _sentence(ctx: Context, start: int) -> tuple[int, int]:
    return ctx.seg.sentence_at(start)


#: a numbered heading that runs into its first sentence ("二、生态环境损害调查情况：经调查，…")
_INLINE_HEADING = re.compile(r"[ \t　]*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十百]+条)"
                             r"[ \t　]*[^：:。；，,\n]{2,24}[：:][ \t　]*")


def hollow_trigger(ctx: Context, rule: Rule, start: int, end: int) -> str | None:
    """The hollow/negation trigger near a candidate, or None. A heading that runs into the sentence is
    not part of it: the sentence begins after the heading's colon."""
    s0, s1 = _sentence(ctx, start)
    head = _INLINE_HEADING.match(ctx.text, s0)
    if head and head.end() <= start:
        s0 = head.end()
    w0, w1 = max(s0, start - WINDOW_BEFORE), min(max(s1, end), end + WINDOW_AFTER)
    # a trigger in an earlier clause of the sentence ("…申请司法确认，因履行发生争议的，向…法院起诉")
    # does not empty the candidate; one after it does ("违反约定的，按照有关规定处理")
    c0 = max((ctx.text.rfind(mark, s0, start) for mark in "，,"), default=-1)
    k0, k1 = max(w0, c0 + 1), w1
    seg_text = ctx.text[s0:max(s1, end)]
    for rx in ctx.hollow_patterns(rule):
        for m in rx.finditer(seg_text):
            a, b = s0 + m.start(), s0 + m.end()
            if a < k1 and b > k0:
                if a > start and any(_rx(p).search(ctx.text, start, a) for p in rule.substance):
                    continue
                return m.group(0)
    m = ATTACHMENT_REF.search(ctx.text, w0, w1)
    return ctx.missing_attachment(m) if m else None


@cache
def _other_headings(code: str, kind: str | None) -> tuple[str, ...]:
    """Heading patterns of the other element rules of the same document kind."""
    me = load_rules()[code]
    return tuple(h for r in load_rules().values()
                 if r.code != code and r.element != me.element and r.headings
                 and (not r.doc_types or kind in r.doc_types) for h in r.headings)


def own_spans(ctx: Context, rule: Rule, section: Section) -> list[tuple[int, int]]:
    """The parts of a section's body that belong to it: without the subsections another element's
    heading claims. "一、损害事实、相关证据和法律依据" is evidence only through its own text or its
    "（二）相关证据" subsection, never through (一) 事实情况 or (三) 法律依据."""
    others = ctx.titled(_other_headings(rule.code, ctx.kind))
    mine = ctx.titled(tuple(rule.headings))
    claimed = [c for c in section.children if id(c) in others and id(c) not in mine]
    spans, at = [], section.body_start
    for child in sorted(claimed, key=lambda c: c.start):
        spans.append((at, child.start))
        at = child.end
    spans.append((at, section.end))
    return [(a, b) for a, b in spans if b > a]


#: a form's field left blank: its label, the colon, then only blanks ("（一）赔偿权利人指定的部门或机构：＿＿＿＿")
_EMPTY_FIELD = re.compile(r"(?m)^[^\n：:]{1,40}[：:][ \t　]*[_＿]{2,}[ \t　_＿]*$")


def _body_is_hollow(ctx: Context, rule: Rule, section: Section) -> str | None:
    spans = own_spans(ctx, rule, section)
    raw = "".join(ctx.text[a:b] for a, b in spans)
    body = _EMPTY_FIELD.sub("", raw)  # a blank field's label says nothing
    content = PLACEHOLDER.sub("", body)
    if len(content) < 4:
        if not content:
            return "（各栏均未填写）" if body != raw else "（该部分为空）"
        return f"（该部分仅有“{body.strip()[:20]}”）"
    if rule.heading_requires and not _rx(rule.heading_requires).search(body):
        return "（缺少必要内容）"
    # every sentence with content is hollow → hollow
    substantive = False
    first_trigger = None
    for s0, s1 in ctx.seg.sentences_in(section.start, section.end):
        inside = [(max(s0, a), min(s1, b)) for a, b in spans if s0 < b and s1 > a]
        if not inside:
            continue
        a, b = inside[0]
        if len(PLACEHOLDER.sub("", ctx.text[a:b])) < 2 or _filler().fullmatch(ctx.text, a, b) \
                or not _EMPTY_FIELD.sub("", ctx.text[a:b]).strip():
            continue
        trig = hollow_trigger(ctx, rule, a, b) if _has_trigger_in(ctx, rule, a, b) else None
        if trig:
            first_trigger = first_trigger or trig
        else:
            substantive = True
            break
    return None if substantive else (first_trigger or "（无实质内容）")


def _has_trigger_in(ctx: Context, rule: Rule, a: int, b: int) -> bool:
    chunk = ctx.text[a:b]
    if any(rx.search(chunk) for rx in ctx.hollow_patterns(rule)):
        return True
    m = ATTACHMENT_REF.search(chunk)
    return bool(m and ctx.missing_attachment(m))


#: a table of contents' entry: the heading, leader dots, the page number
_TOC_ENTRY = re.compile(r"(?:[.．·…⋯]{3,}|\t)[ \t]*\d{1,3}(?!\d)")

#: an empty check box right before an option ("[ ]", "☐", "□", "（ ）")
_UNCHOSEN = re.compile(r"(?:\[[ \t　]*\]|☐|□|（[ \t　]*）|\([ \t　]*\))[ \t　]*$")


def _candidates(ctx: Context, rule: Rule, patterns: list[str]) -> tuple[tuple[int, int] | None, tuple[int, int, str] | None]:
    """(first non-hollow span, first hollow (start, end, trigger)) for a list of patterns."""
    hollow: tuple[int, int, str] | None = None
    for p in patterns:
        for m in ctx.matches(p):
            if _UNCHOSEN.search(ctx.text, max(0, m.start() - 4), m.start()):
                continue  # "[√] 一次性缴纳 [ ] 分期缴纳": an option of a form left unticked
            if ctx.in_borrowed(m.start(), m.end()):
                continue  # a statute's words quoted as the basis, a form's instruction: not the document's
            if rule.document_title:
                return (m.start(), m.end()), hollow
            section = ctx.seg.heading_at(m.start())
            if section is not None and m.end() <= section.body_start + 1 and _heading_only(ctx, section, m):
                trig = _body_is_hollow(ctx, rule, section)
            elif (value := _value_below(ctx, rule, m)) is not None:
                trig = _text_is_hollow(ctx, rule, *value)
            else:
                trig = hollow_trigger(ctx, rule, m.start(), m.end())
            if trig is None:
                return (m.start(), m.end()), hollow
            if hollow is None:
                hollow = (m.start(), m.end(), trig)
    return None, hollow


#: a label cell's line: a short phrase without sentence marks ("修复效果评估的方式和期限", "违约责任：")
_LABEL_ALONE = re.compile(r"[ \t　]*[^\n。；;，,！？!?]{2,24}?[ \t　：:]*")


def _value_below(ctx: Context, rule: Rule, m: re.Match[str]) -> tuple[int, int] | None:
    """The line under a match that is a label alone on its line (a 要素式 form's label cell read one
    cell per line: "修复效果评估的方式和期限" / "详见附件3。"): the value the label stands for. A label
    is the element's heading words or ends with a colon; a line that is itself the content ("有管辖权
    的人民法院" under 此致) is not one."""
    start = ctx.text.rfind("\n", 0, m.start()) + 1
    end = ctx.text.find("\n", m.end())
    if end < 0 or not _LABEL_ALONE.fullmatch(ctx.text, start, end):
        return None
    line = ctx.text[start:end].strip()
    if not (line.endswith(("：", ":")) or any(_rx(h).search(line) for h in rule.headings)):
        return None
    below = ctx.text.find("\n", end + 1)
    below = len(ctx.text) if below < 0 else below
    return (end + 1, below) if ctx.text[end + 1:below].strip() else None


def _heading_only(ctx: Context, section: Section, m: re.Match[str]) -> bool:
    """The match sits in a heading's title (so the heading's body decides). A numbered item that is
    one whole sentence ("（1）2025年5月31日前支付50,000元；") is content, not a title."""
    whole_sentence = (section.heading.rstrip().endswith(("。", "；", ";"))
                      and section.body_start >= section.start + len(section.heading.rstrip()))
    return m.start() < section.body_start and m.end() <= section.body_start + 1 and not whole_sentence


def _present_any(ctx: Context, rule: Rule, patterns: list[str], *, condition: bool = False) -> tuple[int, int] | None:
    """A non-hollow match of any pattern. For conditions (``when``/``unless``) only the rule's own
    ``hollow`` list negates ("不得分期"), not the global one ("另行约定" negates the element, not
    the fact that money is paid)."""
    if condition:
        rule = ctx.as_condition(rule)
    return _candidates(ctx, rule, patterns)[0]


def _label_line(ctx: Context, rule: Rule) -> tuple[tuple[int, int] | None, tuple[int, int, str] | None]:
    """A two-column table row that reaches the text as one line ("损害事实 乙方井田内…采煤造成地表塌陷"):
    the element's heading word at the start of a line, then its content; and the first such line whose
    content is hollow."""
    hollow: tuple[int, int, str] | None = None
    for h in rule.headings:
        label = h.lstrip("^").rstrip("$")
        # the content after the label on its line, or (a short label line alone) on the next line
        for rx in (rf"(?m)^[ \t　]*[\u4e00-\u9fff]{{0,4}}(?:{label})[^\s：:，,。\n]{{0,6}}[ \t　：:]+(?P<body>\S[^\n]{{6,}})",
                   rf"(?m)^[ \t　]*[\u4e00-\u9fff]{{0,4}}(?:{label})[^\s：:，,。\n]{{0,6}}[ \t　：:]*\n(?P<body>[^\n]{{8,}})"):
            for m in ctx.matches(rx):
                if len(PLACEHOLDER.sub("", m["body"])) < 4:
                    continue
                trig = _text_is_hollow(ctx, rule, m.start("body"), m.end("body"))
                if not trig:
                    return (m.start(), m.end()), hollow
                hollow = hollow or (m.start(), m.end(), trig)
    return None, hollow


def _text_is_hollow(ctx: Context, rule: Rule, a: int, b: int) -> str | None:
    """The first trigger when every sentence with content in ``text[a:b]`` is hollow, else None: a label
    line's content of two hollow sentences ("经调查，你单位存在上述违法行为。…情况详见相关报告。") is hollow."""
    first = None
    for s0, s1 in ctx.seg.sentences_in(a, b):
        x0, x1 = max(s0, a), min(s1, b)
        if len(PLACEHOLDER.sub("", ctx.text[x0:x1]).strip()) < 2:
            continue
        trig = hollow_trigger(ctx, rule, x0, x1)
        if not trig:
            return None
        first = first or trig
    return first


def detect_condition(ctx: Context, rule: Rule) -> str | None:
    """"n/a" when the rule's ``when`` condition is absent or its ``unless`` condition present
    (decided once per rule and document: ``run_rules`` asks before ``detect`` does)."""
    known = ctx._conditions.get(id(rule))
    if known is not None and known[0] is rule:
        return known[1]
    status = _condition(ctx, rule)
    ctx._conditions[id(rule)] = (rule, status)
    return status


def _condition(ctx: Context, rule: Rule) -> str | None:
    if rule.when and _present_any(ctx, rule, rule.when, condition=True) is None:
        return "n/a"
    if rule.also_when and _present_any(ctx, rule, rule.also_when, condition=True) is None:
        return "n/a"
    if rule.unless and _present_any(ctx, rule, rule.unless, condition=True) is not None:
        return "n/a"
    return None


def detect(ctx: Context, rule: Rule) -> Outcome:
    if detect_condition(ctx, rule) == "n/a":
        return Outcome("n/a")
    if rule.party:
        return _detect_party(ctx, rule)
    if rule.fields:
        return _detect_fields(ctx, rule)
    hollow: tuple[int, int, str] | None = None
    found: tuple[int, int] | None = None
    if rule.headings:
        headed = ctx.titled(tuple(rule.headings))
        # (a table of contents' entry, "二、生态环境损害调查情况……1", names the section, it is not the section)
        titled = [s for s in ctx.seg.sections if id(s) in headed and not _TOC_ENTRY.search(s.heading)]
        # "一、事实、相关证据和法律依据" over "（二）相关证据": the innermost section is the element's own
        innermost = [s for s in titled if not any(o is not s and s.start < o.start < s.end for o in titled)]
        for section in innermost:
            trig = _body_is_hollow(ctx, rule, section)
            if trig is None:
                found = (section.start, section.body_start)
                break
            if hollow is None or (hollow[2].startswith("（该部分") and not trig.startswith("（该部分")):
                # a section with hollow text says more than an empty one (a table of contents' entry)
                hollow = (section.start, section.body_start, trig)
    if found is None and rule.headings:
        found, label_hollow = _label_line(ctx, rule)
        hollow = hollow or label_hollow
    if found is None and rule.patterns:
        found, h = _candidates(ctx, rule, rule.patterns)
        hollow = hollow or h
    if found is None:
        for alt in rule.alternatives:
            spans = [_present_any(ctx, rule, [p]) for p in alt]
            if all(spans):
                found = spans[0]
                break
    if found is not None and rule.all_of:
        for p in rule.all_of:
            if _present_any(ctx, rule, [p]) is None:
                return Outcome("missing", None, f"缺少{p}")
    if found is not None:
        late = _deferred(ctx, rule, found[0])
        if late is not None:
            return Outcome("deferred", late, ctx.text[late[0]:late[1]])
        return Outcome("present", found)
    if hollow is not None:
        return Outcome("hollow", (hollow[0], hollow[1]), hollow[2])
    if rule.weak:
        for p in rule.weak:
            m = next(ctx.matches(p), None)
            if m:
                return Outcome("hollow", (m.start(), m.end()), None)
    return Outcome("missing")


def _deferred(ctx: Context, rule: Rule, at: int) -> tuple[int, int] | None:
    """Where the section holding the element puts off what it must state (``rule.deferred``)."""
    if not rule.deferred:
        return None
    around = [s for s in ctx.seg.sections if s.start <= at < s.end]
    if not around:
        return None
    section = min(around, key=lambda s: s.end - s.start)
    for p in rule.deferred:
        m = _rx(p).search(ctx.text, section.start, section.end)
        if m:
            return m.start(), m.end()
    return None


def _regions(ctx: Context, rule: Rule) -> list[tuple[int, int]]:
    if rule.region == "all":
        return [(0, len(ctx.text))]
    if rule.region == "tail":
        starts = [m.start() for m in re.finditer(r"此致", ctx.text)]
        start = starts[-1] if starts else min(int(len(ctx.text) * 0.6), max(0, len(ctx.text) - 600))
        return [(start, len(ctx.text))]
    regions = []
    assert rule.anchor is not None
    for m in ctx.matches(rule.anchor):
        end = min(len(ctx.text), m.end() + rule.region_max)
        if rule.region_end:
            stop = _rx(rule.region_end).search(ctx.text, m.end(), end)
            if stop:
                end = stop.start()
        regions.append((m.start(), end))
    return regions


def _detect_party(ctx: Context, rule: Rule) -> Outcome:
    """A party element from the party layer; where it finds no block of that side, the rule's
    layout ``fields`` (if any) still have their say."""
    assert rule.party is not None
    status, party, lacking = assess(ctx.parties, rule.party.side, rule.party.require)
    if status == "present":
        return Outcome("present", (party.start, party.end) if party else None)
    if rule.fields:
        by_layout = _detect_fields(ctx, rule)
        if by_layout.status == "present" or party is None:
            return by_layout
    if party is None:
        return Outcome("missing")
    return Outcome("incomplete", (party.start, min(party.end, party.start + 40)),
                   "、".join(FIELD_NAMES[f] for f in lacking))


def _field_match(f: FieldSpec, chunk: str, closed: str) -> re.Match[str] | None:
    return field_regex(f).search(chunk) or (field_regex(f).search(closed) if closed is not chunk else None)


#: a field's label and colon, then its value
_FIELD_VALUE = re.compile(r"[^：:\n]{0,16}[：:为][ \t　]*")


def _hollow_value(m: re.Match[str]) -> str | None:
    """The hollow phrase a field's value opens with ("地点：另行通知"), if any."""
    label = _FIELD_VALUE.match(m.group(0))
    if label is None:
        return None
    value = m.group(0)[label.end():]
    hit = next((h.match(value) for h in _global_hollow() if h.match(value)), None)
    if hit is None:
        # "地点：磋商会议的具体时间、地点另行通知。": a short value without a figure that ends deferred
        clause = re.split(r"[。；;\n]", value, maxsplit=1)[0]
        if len(clause) <= 30 and not re.search(r"\d|[一二三四五六七八九十]+[月日时]", clause):
            hit = next((h.search(clause) for h in _global_hollow() if h.search(clause)), None)
    return hit.group(0) if hit else None


def _detect_fields(ctx: Context, rule: Rule) -> Outcome:
    regions = _regions(ctx, rule)
    if not regions:
        return Outcome("missing")
    best: tuple[int, list[str], tuple[int, int]] | None = None
    for a, b in regions:
        for fieldset in rule.fields:
            chunk = ctx.text[a:b]
            # a PDF's narrow cells wrap words and headings: read it a second time with the wraps closed
            closed = close_wraps(chunk) if ctx.doc.format == "pdf" else chunk
            matches = {f.name: _field_match(f, chunk, closed) for f in fieldset}
            missing = [name for name, m in matches.items() if m is None]
            if not missing:
                hollow = next(((m, trig) for m in matches.values() if m is not None
                               and m.string is chunk and (trig := _hollow_value(m))), None)
                if hollow is not None and len(rule.fields) == 1:
                    # "磋商会议时间和地点：另行通知": the field is there, its value is not
                    m, trig = hollow
                    return Outcome("hollow", (a + m.start(), a + m.end()), trig)
                return Outcome("present", (a, b))
            if best is None or len(missing) < len(best[1]):
                best = (0, missing, (a, b))
    assert best is not None
    _, missing, span = best
    if rule.region == "all" and len(missing) == len(rule.fields[0]) and len(rule.fields) == 1:
        return Outcome("missing", None, "、".join(missing))
    anchor_span = (span[0], min(span[1], span[0] + 40)) if rule.region == "anchor" else None
    return Outcome("incomplete", anchor_span, "、".join(missing))


def _related(ctx: Context, rule: Rule) -> tuple[str, tuple[int, int]] | None:
    """("present" | "review", span) of the first ``related`` match, or None. A match inside a
    section that another element's heading claims only makes the finding a review warning."""
    others = ctx.titled(_other_headings(rule.code, ctx.kind))
    for p in rule.related:
        for m in ctx.matches(p):
            if hollow_trigger(ctx, rule, m.start(), m.end()):
                continue
            inside = [s for s in ctx.seg.sections if s.start <= m.start() < s.end]
            claimed = any(id(s) in others for s in inside)
            return ("review" if claimed else "present"), (m.start(), m.end())
    return None


def _topic(ctx: Context, rule: Rule) -> tuple[int, int] | None:
    """Where the text talks about the element's subject at all (its heading words, anywhere), so
    that a missing element becomes 'please confirm' instead of a flat error (the precision policy)."""
    for h in rule.headings:
        for m in ctx.matches(h.rstrip("$").lstrip("^")):
            if not hollow_trigger(ctx, rule, m.start(), m.end()):
                return m.start(), m.end()
    return None


def element_findings(ctx: Context, rule: Rule) -> list[Finding]:
    out = detect(ctx, rule)
    if ctx.kind in rule.recited_in and out.status != "hollow":
        return []  # a recital of the agreement need not repeat the term; only one it empties is reported
    if out.status == "missing" and rule.related:
        related = _related(ctx, rule)
        if related is not None:
            if related[0] == "present":
                return []
            return [ctx.finding(rule, span=related[1], severity="warning",
                                message=f"{rule.message}（需人工确认：文中有相关内容，但不在本项之下）")]
    if out.status == "missing" and rule.severity == "error":
        topic = _topic(ctx, rule)
        if topic is not None:
            return [ctx.finding(rule, span=topic, severity="warning",
                                message=f"{rule.message}（需人工确认：文中提到了相关内容，但未能确认写明了本项）")]
    if out.status in ("present", "n/a"):
        return []
    if out.status == "hollow":
        base = rule.message_hollow or f"{rule.message}（仅有空泛表述）"
        if out.detail:
            base += f"：“{out.detail}”"
        return [ctx.finding(rule, span=out.span, message=base)]
    if out.status == "deferred":  # the section says its content will come later: quote where it says so
        return [ctx.finding(rule, span=out.span, message=f"{rule.message_incomplete or rule.message}：“{out.detail}”")]
    if out.status == "incomplete":
        base = rule.message_incomplete or rule.message
        return [ctx.finding(rule, span=out.span, message=f"{base}：缺少{out.detail}")]
    return [ctx.finding(rule, message=rule.message)]


# ---- running


def run_rules(doc: Document, kind: str | None, jurisdiction: str, on: dt.date | None = None,
              only: set[str] | None = None, case: Any = None, policy: Any = None) -> tuple[list[Finding], Context]:
    """Every rule that applies to ``kind`` in ``jurisdiction`` (``only`` some; a department playbook,
    checkers.policy.Policy, turns rules off and reweighs their severity)."""
    ctx = Context(doc, kind, jurisdiction, on or clock.today(), case)
    findings: list[Finding] = []
    own = list(policy.own_rules) if policy is not None else []  # a department's own rules
    for rule in [*load_rules().values(), *own]:
        if only is not None and rule.code not in only:
            continue
        if not rule.applies(kind, jurisdiction):
            continue
        if (rule.param and not ctx.profile.value(rule.param)) or (rule.needs_case and case is None) or \
                (policy is not None and not policy.runs(rule.code)):
            ctx.coverage.not_applicable += 1
            continue
        if rule.type == "element" and detect_condition(ctx, rule) == "n/a":
            ctx.coverage.not_applicable += 1
            continue
        try:
            found = element_findings(ctx, rule) if rule.type == "element" else COMPUTED[rule.code](ctx, rule)
        except CannotEvaluate as unable:
            ctx.unchecked.append(Unchecked(rule=rule.code, title=rule.title, reason=unable.reason))
            ctx.coverage.not_evaluated += 1
            continue
        if found:
            ctx.coverage.failed += 1
        else:
            ctx.coverage.passed += 1
        if len(found) > MAX_FINDINGS_PER_RULE:
            ctx.notes.append(f"规则 {rule.code} 发现的问题超过 {MAX_FINDINGS_PER_RULE} 处，只列出前 {MAX_FINDINGS_PER_RULE} 处")
            found = sorted(found, key=Finding.sort_key)[:MAX_FINDINGS_PER_RULE]
        if policy is not None and rule.code in policy.severity:
            found = [f.model_copy(update={"severity": policy.severity[rule.code]}) for f in found]
        findings += found
    findings.sort(key=Finding.sort_key)
    return findings, ctx
