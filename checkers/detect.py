"""What a document is and where it comes from: kind detection and jurisdiction guessing.

Both are weighted evidence over data files (``checkers/data/doc_types.yaml`` and
``checkers/data/jurisdiction_places.yaml``): each signal is a pattern with a weight and counts once;
the reasons quote what was found, in Chinese, so a user can see why and override with ``--type`` /
``--jurisdiction``. The title weighs most for the kind, but a document with an unusual title (or
none) is still placed by its structure and vocabulary.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from checkers.document import Document
from corpus.forms import checkable_kinds, form_kinds
from ecokernel import datafile
from ecokernel.identifiers import validate_ric, validate_uscc

DocKind = str  # one of CHECKABLE
#: the kinds the checker reviews, from the form catalogue (corpus/forms.yaml)
CHECKABLE: tuple[DocKind, ...] = checkable_kinds()
NATIONAL = "national"

_DATA = Path(__file__).resolve().parent / "data"
_BODY_KINDS = frozenset({"paragraph", "heading", "table_cell", "textbox"})
_TRAILING_NOTE = re.compile(r"\s*[（(][^（）()]{0,30}[）)]\s*$")
_NOT_TITLE = re.compile(r"〔\d{4}〕|^(编号|案号|文号|立案号)|^[（(]?封\s*面[）)]?$|^附件\s*\d*$|^(密级|紧急程度)")
_MAX_QUOTES = 6


class Detection(BaseModel):
    """The detected kind of a document (None when no checkable kind fits) and why."""

    kind: DocKind | None
    confidence: float = Field(ge=0, le=1, description="0–1: strength of the evidence and its lead over the runner-up")
    reasons: list[str] = Field(description="why, in Chinese, quoting what was found")
    label: str | None = Field(None, description="Chinese name of what the document looks like, checkable or not")
    scores: dict[str, float] = Field(default_factory=dict, description="score per kind, for diagnostics")


class JurisdictionGuess(BaseModel):
    """The jurisdiction a document belongs to: a profile key, ``national``, or None when ambiguous."""

    key: str | None
    reasons: list[str]
    scores: dict[str, float] = Field(default_factory=dict)

    @property
    def resolved(self) -> str:
        """The key to check against: the guess, or the national baseline when it is ambiguous."""
        return self.key or NATIONAL


# -- data -----------------------------------------------------------------------------------------------

class _Signal(BaseModel):
    pattern: str
    weight: float

    @property
    def regex(self) -> re.Pattern[str]:
        return _compile(self.pattern)


class _KindSignals(BaseModel):
    label: str
    title: list[_Signal] = Field(default_factory=list)
    text: list[_Signal] = Field(default_factory=list)
    against: list[_Signal] = Field(default_factory=list)


class _DocTypeData(BaseModel):
    threshold: float
    strong_score: float
    title_lines: int
    title_max_chars: int
    kinds: dict[str, _KindSignals]


class _Place(BaseModel):
    name: str
    measures: list[str] = Field(default_factory=list)
    bodies: list[str] = Field(default_factory=list)
    court_codes: list[str] = Field(default_factory=list)
    region: list[str] = Field(default_factory=list)
    cities: list[str] = Field(default_factory=list)
    counties: list[str] = Field(default_factory=list)
    division_codes: list[str] = Field(default_factory=list, description="GB/T 2260 prefixes of the area")


class _PlaceData(BaseModel):
    threshold: float
    lead: float
    jurisdictions: dict[str, _Place]
    weights: dict[str, float]


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _load(name: str) -> Any:
    with (_DATA / name).open(encoding="utf-8") as handle:
        return datafile.safe_load(handle)


@cache
def doc_type_data() -> _DocTypeData:
    data = _DocTypeData.model_validate(_load("doc_types.yaml"))
    if missing := [kind for kind in CHECKABLE if kind not in data.kinds]:
        raise ValueError(f"doc_types.yaml: no signals for the checkable kinds {missing}")
    return data


@cache
def place_data() -> _PlaceData:
    return _PlaceData.model_validate(_load("jurisdiction_places.yaml"))


# -- kind -------------------------------------------------------------------------------------------------

_CATEGORY_WORDS = {"measures": "地方规定", "bodies": "机关", "court_codes": "法院案号代码",
                   "region": "地名", "cities": "地名", "counties": "县区地名",
                   "division_codes": "机关统一社会信用代码中的行政区划代码",
                   "registered_codes": "企业统一社会信用代码或身份证号中的行政区划代码"}
_KIND_NAMES = {code: kind.short or kind.title for code, kind in form_kinds().items()}


def title_lines(doc: Document) -> list[str]:
    """The lines that may be the title: the first short lines (or headings) of the body."""
    data = doc_type_data()
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind not in _BODY_KINDS:
            continue
        for line in block.text.split("\n"):
            if len(lines) >= data.title_lines:
                return lines
            text = line.replace(" ", "")
            if len(text) > data.title_max_chars and block.kind != "heading":
                lines.append("")  # prose counts as a line: the title is near the top
                continue
            if _NOT_TITLE.search(text):
                continue
            while _TRAILING_NOTE.search(text) and not _TRAILING_NOTE.fullmatch(text):
                text = _TRAILING_NOTE.sub("", text)
            lines.append(text)
    return lines


def _body_text(doc: Document) -> str:
    return "\n".join(b.text for b in doc.blocks if b.kind in _BODY_KINDS)


def detect_doc_type(doc: Document) -> Detection:
    """Which of the four checkable kinds ``doc`` is, from its title, structure and vocabulary."""
    data = doc_type_data()
    titles = [line for line in title_lines(doc) if line]
    text = _body_text(doc)
    scores: dict[str, float] = {}
    evidence: dict[str, tuple[list[str], list[str]]] = {}
    for kind, signals in data.kinds.items():
        title_hits = _title_hits(signals.title, titles)
        text_hits = [(s, m) for s in signals.text if (m := s.regex.search(text))]
        against = sum(s.weight for s in signals.against if s.regex.search(text))
        score = sum(s.weight for s, _ in title_hits) + sum(s.weight for s, _ in text_hits) - against
        scores[kind] = round(max(score, 0.0), 2)
        evidence[kind] = ([m for _, m in title_hits], [m.group() for _, m in text_hits])
    ranked = sorted(scores, key=lambda k: scores[k], reverse=True)
    best, second = ranked[0], ranked[1]
    best_score, second_score = scores[best], scores[second]
    if best_score < data.threshold:
        return Detection(kind=None, confidence=0.0, scores=scores, reasons=[
            "未能判断文书类型：标题和用语都不足以判断"
            + (f"（最接近的是{data.kinds[best].label}，证据不足）" if best_score > 0 else "")
            + "；请用 --type 指定（agreement 赔偿协议、judicial_confirmation 司法确认申请书、"
              "enforcement 强制执行申请书、consultation_notice 磋商告知书）"])
    confidence = round(min(1.0, best_score / data.strong_score) * best_score / (best_score + second_score), 2)
    reasons = _kind_reasons(data.kinds[best].label, evidence[best])
    if best not in CHECKABLE:
        return Detection(kind=None, confidence=confidence, scores=scores, label=data.kinds[best].label,
                         reasons=[f"文书看起来是{data.kinds[best].label}，不属于可审查的四类文书"
                                  "（赔偿协议、司法确认申请书、强制执行申请书、磋商告知书）", *reasons])
    if second_score >= 0.75 * best_score and second_score >= data.threshold:
        title, words = evidence[second]
        found = "、".join(_quote(w) for w in [*title, *words][:_MAX_QUOTES])
        reasons.append(f"也有{data.kinds[second].label}的特征（{found}），判断把握不大，可用 --type 指定")
    return Detection(kind=best, confidence=confidence, scores=scores, label=data.kinds[best].label,  # type: ignore[arg-type]
                     reasons=reasons)


def _title_hits(signals: list[_Signal], titles: list[str]) -> list[tuple[_Signal, str]]:
    hits = []
    for signal in signals:
        for line in titles:
            if signal.regex.search(line):
                hits.append((signal, line))
                break
    return hits


def _quote(text: str, limit: int = 20) -> str:
    text = text.replace("\n", " ")
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _kind_reasons(label: str, evidence: tuple[list[str], list[str]]) -> list[str]:
    titles, words = evidence
    reasons = [f"标题“{title}”表明是{label}" for title in titles[:1]]
    if words:
        reasons.append("正文出现" + "、".join(_quote(w) for w in words[:_MAX_QUOTES])
                       + ("等" if len(words) > _MAX_QUOTES else "") + f"，符合{label}的结构和用语")
    return reasons


# -- jurisdiction -----------------------------------------------------------------------------------------

#: a public body's 统一社会信用代码 (GB 32100: 1 = 机构编制; characters 3–8 are its division code)
_BODY_CODE = re.compile(r"(?<![0-9A-Z])1[1-9]\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")


_CITED_TITLE = re.compile(r"《[^《》\n]{1,60}》")


#: any 统一社会信用代码 or 身份证号 (a company's registration or a person's household: weaker evidence)
_ANY_CODE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")


def _body_divisions(text: str) -> list[str]:
    """The division codes of the valid public-body codes in ``text``, each once."""
    return list(dict.fromkeys(m.group()[2:8] for m in _BODY_CODE.finditer(text) if validate_uscc(m.group()) is None))


def _other_divisions(text: str) -> list[str]:
    """The division codes of the valid codes of companies (统一社会信用代码) and persons (身份证号)."""
    out = []
    for m in _ANY_CODE.finditer(text):
        code = m.group()
        if validate_ric(code) is None:
            out.append(code[:6])
        elif not _BODY_CODE.fullmatch(code) and validate_uscc(code) is None:
            out.append(code[2:8])
    return list(dict.fromkeys(out))


def detect_jurisdiction(doc: Document) -> JurisdictionGuess:
    """The jurisdiction profile ``doc`` belongs to, from issuing bodies, places, court codes and cited rules."""
    data = place_data()
    text = doc.text
    divisions = _body_divisions(text)
    registered = _other_divisions(text)
    # a cited title (《广西壮族自治区…细则》) is evidence as a measure, not as a place named
    untitled = _CITED_TITLE.sub("《》", text)
    scores: dict[str, float] = {}
    found: dict[str, list[str]] = {}
    for key, place in data.jurisdictions.items():
        score = 0.0
        quotes: list[str] = []
        for category, weight in data.weights.items():
            if category in ("division_codes", "registered_codes"):
                pool = divisions if category == "division_codes" else registered
                own = [d for d in pool if d.startswith(tuple(place.division_codes))] if place.division_codes else []
                score += weight * len(own)
                quotes += [f"“{d}”（{_CATEGORY_WORDS[category]}）" for d in own]
                continue
            for pattern in getattr(place, category):
                # each distinct place named counts (up to three per entry: a list of counties)
                where = text if category == "measures" else untitled
                names = list(dict.fromkeys(m.group() for m in _compile(pattern).finditer(where)))[:3]
                score += weight * len(names)
                for name in names:
                    if not any(name in q for q in quotes):
                        quotes.append(f"{_quote(name)}（{_CATEGORY_WORDS[category]}）")
        scores[key] = score
        found[key] = quotes
    ranked = sorted(scores, key=lambda k: scores[k], reverse=True)
    best = ranked[0]
    second = ranked[1] if len(ranked) > 1 else None
    if scores[best] < data.threshold:
        return JurisdictionGuess(key=NATIONAL, scores=scores, reasons=[
            "文中没有发现可识别的地方机关、地名、法院案号代码或地方规定，按国家基线审查；"
            "如属某一地方，可用 --jurisdiction 指定"])
    name = data.jurisdictions[best].name
    reasons = [f"文中出现{'、'.join(found[best][:_MAX_QUOTES])}，属{name}"]
    elsewhere = [d for d in divisions
                 if not any(d.startswith(tuple(p.division_codes)) for p in data.jurisdictions.values() if p.division_codes)]
    if elsewhere and scores[best] < data.lead * data.weights.get("division_codes", 0) * len(elsewhere):
        # the bodies sit outside every profile: a cited local measure does not make the case local
        return JurisdictionGuess(key=NATIONAL, scores=scores, reasons=[
            *reasons, f"但文中机关的统一社会信用代码所含行政区划代码{'、'.join(elsewhere[:3])}不属于{name}，"
            "也不属于本工具已有地方规定的其他地区，按国家基线审查；如属某一地方，可用 --jurisdiction 指定"])
    if second is not None and scores[second] >= data.threshold and scores[best] < data.lead * scores[second]:
        other = data.jurisdictions[second].name
        return JurisdictionGuess(key=None, scores=scores, reasons=[
            *reasons, f"同时出现{'、'.join(found[second][:_MAX_QUOTES])}，属{other}；无法判断辖区，"
            "请用 --jurisdiction 指定（未指定时按国家基线审查）"])
    return JurisdictionGuess(key=best, scores=scores, reasons=reasons)


def kind_name(kind: str) -> str:
    """The Chinese name of a checkable kind (for messages)."""
    return _KIND_NAMES.get(kind, kind)
