"""Orchestration: read → detect kind and jurisdiction → segment → rules → Report.

``check_document`` works on a :class:`~checkers.document.Document` (tests build one with
``from_text``); ``check_file`` reads a file with ``checkers.extract.read_document`` when that
package is available and falls back to a plain-text reader otherwise; ``check_files`` checks
several files in parallel (a process pool).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checkers.detect import detect_doc_type, detect_jurisdiction
from checkers.document import Document, from_text
from checkers.extract import read_document
from checkers.findings import Finding, FindingLocation, Report
from checkers.policy import Policy, accepted_for, apply_accepted, find_policy, sha256_of
from checkers.rules.basis import make_basis
from checkers.rules.engine import run_rules
from checkers.rules.limits import check_text_size
from checkers.rules.registry import load_rules
from corpus import load_corpus
from corpus.forms import checkable_kinds
from corpus.profiles import load_profiles
from ecokernel import clock
from ecokernel.cnfmt import parse_cn_date
from ecokernel.errors import FormatError, UserError

#: the kinds the checker reviews, from the form catalogue (corpus/forms.yaml)
KINDS = checkable_kinds()


def jurisdiction_keys() -> tuple[str, ...]:
    """The jurisdictions there are profiles for (a new city's profile file is picked up here)."""

    return tuple(load_profiles())


def guess_kind(doc: Document) -> tuple[str | None, list[str]]:
    """The checkable kind of ``doc`` (None when none fits) and the reasons, from ``checkers.detect``."""

    detection = detect_doc_type(doc)
    return detection.kind, list(detection.reasons)


def guess_jurisdiction(doc: Document) -> tuple[str, list[str]]:
    """The jurisdiction of ``doc`` (national when none or several fit) and the reasons."""

    guess = detect_jurisdiction(doc)
    return guess.resolved, list(guess.reasons)


# in figures or in Chinese numerals ("二〇二五年三月十八日", as under many signatures)
_DATE = (r"(?:\d{4}|[〇○零一二三四五六七八九]{4})[ \t　]*年[ \t　]*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[ \t　]*月"
         r"[ \t　]*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[ \t　]*日")


def _dates(text: str) -> list[dt.date]:
    out = []
    for m in re.finditer(_DATE, text):
        if _BORN.match(text, m.end()):
            continue  # "1982年5月14日出生": a party's birthday dates nothing the document does
        try:
            out.append(parse_cn_date(m.group(0)))
        except FormatError:
            continue
    return out


_BORN = re.compile(r"[ \t　]*(?:出生|生)")
_DATE_ALONE = re.compile(rf"(?:(?:签订|签署|落款)?(?:日期|时间)[ \t　]*[：:][ \t　]*)?{_DATE}")


def document_date(doc: Document) -> dt.date:
    """The date the rules' bases are judged on: when the document was signed or dated.

    In order: a date labelled 签订/签署时间 or 日期; the last date alone on its line (under a
    signature or seal); the last date of the closing lines; the latest date in the text. A date
    after today (a draft, or a deadline in the text) gives today.
    """
    today = clock.today()
    labelled = re.search(rf"(?:签订|签署|落款)(?:时间|日期)[ \t　]*[：:][ \t　]*({_DATE})", doc.text)
    candidates = _dates(labelled.group(1)) if labelled else []
    if not candidates:
        # a date alone on its line is the one under a signature or seal; the last such line dates the
        # document even when footnotes or an annex follow it (and name older dates)
        alone = [b.text for b in doc.blocks if b.kind != "table_cell" and _DATE_ALONE.fullmatch(b.text.strip())]
        candidates = _dates(alone[-1])[-1:] if alone else []
    if not candidates:
        candidates = _dates("\n".join(b.text for b in doc.blocks[-6:]))[-1:]
    if not candidates:
        candidates = sorted(d for d in _dates(doc.text) if d <= today)[-1:]
    day = candidates[0] if candidates else today
    return day if day <= today else today


#: the 版记 that closes an official document (GB/T 9704 §7.4): 抄送 and 印发 lines between rules
_RECORD_LINE = re.compile(r"^(?:(?:抄送|抄报|分送)[ \t　]*[：:].*|.{2,40}[ \t　]+\S{6,16}印发)$")
_RULE_STRIP = "─━—-_=＿ \t　"


def _record_footer(blocks: list) -> int:
    """How many blocks at the end are the 版记 (抄送, 印发 and the rules between them), not the body."""
    n, found = 0, False
    for block in reversed(blocks):
        text = block.text.strip().strip(_RULE_STRIP)
        if text and not _RECORD_LINE.match(text):
            break
        found = found or bool(text)
        n += 1
    return n if found else 0


def body_only(doc: Document) -> Document:
    """The document without running headers and footers (page numbers, repeated letterheads) and
    without the 版记 (抄送/印发 lines): detection reads them, the rules must not (a "— 1 —" after the
    date is not the closing line; a 财政局 in the 抄送 line is not where the money goes)."""
    blocks = [b for b in doc.blocks if b.kind not in ("header", "footer")]
    footer = _record_footer(blocks)
    if footer:
        blocks = blocks[:-footer]
    if len(blocks) == len(doc.blocks):
        return doc
    # blocks are never changed once read: one that keeps its index is shared, not copied (a DOCX's
    # headers and footers come last, so its body blocks all keep theirs)
    return doc.model_copy(update={"blocks": [b if b.index == i else b.model_copy(update={"index": i})
                                             for i, b in enumerate(blocks)]})


def check_document(doc: Document, kind: str | None = None, jurisdiction: str | None = None,
                   on: dt.date | None = None, only: set[str] | None = None, case: Any = None,
                   policy: Any = None) -> Report:

    check_text_size(doc.text)
    notes: list[str] = list(doc.warnings)
    if kind is None:
        kind, why = guess_kind(doc)
        if kind is None:
            raise NotReviewable("；".join(why))
        notes.append(f"文书种类：{kind}（{'；'.join(why)}）")
    elif kind not in KINDS:
        raise UserError(f"不支持的文书种类“{kind}”，可用：{'、'.join(KINDS)}")
    if jurisdiction is None and policy is not None and policy.jurisdiction:
        jurisdiction = policy.jurisdiction
        notes.append(f"辖区：{jurisdiction}（审查配置 {policy.source} 的默认辖区）")
    if jurisdiction is None:
        jurisdiction, why = guess_jurisdiction(doc)
        notes.append(f"辖区：{jurisdiction}（{'；'.join(why)}）")
    elif jurisdiction not in jurisdiction_keys():
        raise UserError(f"不支持的辖区“{jurisdiction}”，可用：{'、'.join(jurisdiction_keys())}")
    body = body_only(doc)
    findings, ctx = run_rules(body, kind, jurisdiction, on or document_date(body), only, case, policy)
    notes += ctx.notes
    parties = {name: sorted(codes) for name, codes in ctx.values.party_identifiers.items()}
    return Report(file=doc.file, doc_type=kind, jurisdiction=jurisdiction, findings=findings,
                  notes=notes, reading=list(doc.warnings), text=doc.text, parties=parties, not_evaluated=ctx.unchecked,
                  coverage=ctx.coverage)


def check_text(text: str, file: str = "<text>", **kwargs: object) -> Report:
    return check_document(from_text(text, file), **kwargs)  # type: ignore[arg-type]


def read_file(path: Path) -> Document:
    """Read any supported file (raises ``InputError`` with a Chinese message)."""

    return read_document(path)


def check_file(path: str | Path, kind: str | None = None, jurisdiction: str | None = None,
               policy: Any = None) -> Report:
    """Check one file under the department playbook found above it (``policy`` to give one), with the
    findings accepted for this version of the file (.ecoclaim-accepted.yaml beside it) set apart."""
    path = Path(path)
    doc = read_file(path)
    doc.file = str(path)
    report = check_document(doc, kind, jurisdiction, policy=policy or find_policy(path))
    entries = accepted_for(path)
    if entries:
        apply_accepted(report, entries, sha256_of(path))
    return report


class NotReviewable(UserError):
    """A readable document of a kind the checker does not review (or cannot tell): in a batch it is
    listed as 跳过 with the reason, not as an error."""


@dataclass(frozen=True)
class Skipped:
    """A file of a batch that was not reviewed, and why."""

    file: str
    reason: str


@dataclass(frozen=True)
class Unreadable:
    """A file of a batch that could not be read or checked, and why (in Chinese)."""

    file: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


#: the extensions a folder given to ``check`` is searched for
CHECKABLE_SUFFIXES = (".docx", ".pdf", ".txt", ".md", ".markdown", ".html", ".htm")


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The files to check: files as given, folders searched recursively for checkable extensions
    (in name order; hidden files and Word's lock files "~$…" left out)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in CHECKABLE_SUFFIXES
                          and not p.name.startswith((".", "~$")))
        else:
            out.append(path)
    return out


def _check_one(args: tuple[str, str | None, str | None, tuple[str, ...], tuple[str, ...]]
               ) -> Report | Skipped | Unreadable:
    path, kind, jurisdiction, select, ignore = args
    try:
        policy = find_policy(Path(path)).with_options(list(select), list(ignore))
        return check_file(path, kind, jurisdiction, policy)
    except NotReviewable as exc:
        return Skipped(path, exc.message)
    except UserError as exc:
        return Unreadable(path, exc.message)


def check_files(paths: Iterable[str | Path], kind: str | None = None, jurisdiction: str | None = None,
                workers: int | None = None, progress: Callable[[], None] | None = None, *,
                select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Report | Skipped | Unreadable]:
    """Check several files; an unreadable file gives an ``Unreadable`` in place of a Report, a
    document the checker does not review a ``Skipped``. ``select``/``ignore`` override the playbook's."""

    items = [(str(p), kind, jurisdiction, tuple(select), tuple(ignore)) for p in paths]
    results: list[Report | Skipped | Unreadable] = []
    if len(items) <= 1 or workers == 1:
        for it in items:
            results.append(_check_one(it))
            if progress:
                progress()
    else:

        n = workers or min(len(items), os.cpu_count() or 1)
        with ProcessPoolExecutor(max_workers=n) as pool:
            for result in pool.map(_check_one, items, chunksize=max(1, len(items) // (n * 4))):
                results.append(result)
                if progress:
                    progress()
    cross_document([r for r in results if isinstance(r, Report)])
    return results


def cross_document(reports: list[Report], on: dt.date | None = None, *, case_file: str | None = None) -> None:
    """Across the documents of one run: the same identifier must carry the same name, and the same
    name the same identifier (SPEC §3). Adds NAME-CONSISTENT findings to the later document."""
    rule = load_rules()["NAME-CONSISTENT"]
    corpus = load_corpus()
    day = on or clock.today()
    first_name: dict[str, tuple[str, str]] = {}  # identifier → (name, file)
    first_ids: dict[str, tuple[set[str], str]] = {}  # name → (identifiers, file)
    for report in reports:
        found: dict[str, str] = {}  # message → the file it disagrees with
        for name, codes in report.parties.items():
            for code in codes:
                other, where = first_name.setdefault(code, (name, report.file))
                if other != name and where != report.file and not (name.startswith(other) or other.startswith(name)):
                    found.setdefault(f"证件号码 {code} 在 {where} 中对应“{other}”，本文件写作“{name}”", where)
            known, where = first_ids.setdefault(name, (set(codes), report.file))
            if where != report.file and set(codes) - known:
                found.setdefault(f"“{name}”在 {where} 中的证件号码为 {'、'.join(sorted(known))}，"
                                 f"本文件为 {'、'.join(codes)}", where)
        for message, where in found.items():
            scope = "与案件数据不一致" if where == case_file else "在本次审查的几份文书中不一致"
            report.findings.append(Finding(
                rule=rule.code, element=None, severity=rule.severity, category=rule.category,
                message=f"同一当事人{scope}：{message}",
                location=FindingLocation(text=message), suggestion=rule.suggestion,
                basis=[make_basis(corpus, ref, day) for ref in rule.basis]))


def against_case(case: Any, case_file: str, reports: list[Report]) -> None:
    """The documents against the case data (the single source of truth): names and identifiers, the
    case compared as if it were the first document of the run; then CASE-FACTS on each document."""
    parties: dict[str, list[str]] = {}
    department = case.claimant.department
    if department.uscc:
        parties[department.name] = [department.uscc.upper()]
    for obligor in case.obligors:
        parties[obligor.name] = [obligor.identifier.upper()]
    cross_document([Report(file=case_file, doc_type=None, jurisdiction=case.jurisdiction, parties=parties),
                    *reports], case_file=case_file)
    for report in reports:  # amounts, dates and who owes what (CASE-FACTS, not applicable without a case)
        if report.doc_type is None or report.text is None:
            continue
        facts = check_document(from_text(report.text, report.file), report.doc_type,
                               report.jurisdiction or case.jurisdiction, only={"CASE-FACTS"}, case=case)
        report.findings = sorted([*report.findings, *facts.findings], key=Finding.sort_key)
        report.not_evaluated += facts.not_evaluated
        ran = facts.coverage
        report.coverage.not_applicable -= ran.passed + ran.failed + ran.not_evaluated
        report.coverage.passed += ran.passed
        report.coverage.failed += ran.failed
        report.coverage.not_evaluated += ran.not_evaluated


def fixture_failures(policy: Policy) -> list[str]:
    """Each own rule run on its examples: what fails (a passing example it fires on, a failing one it
    does not), in Chinese; empty when every rule behaves."""
    problems: list[str] = []
    for rule in policy.own_rules:
        kind = rule.doc_types[0] if rule.doc_types else "agreement"
        jurisdiction = rule.jurisdictions[0] if rule.jurisdictions else (policy.jurisdiction or "national")
        for expect, texts in (("pass", rule.fixtures.get("pass", [])), ("fail", rule.fixtures.get("fail", []))):
            for text in texts:
                report = check_text(text, kind=kind, jurisdiction=jurisdiction, only={rule.code}, policy=policy)
                fired = any(f.rule == rule.code for f in report.findings)
                if fired != (expect == "fail"):
                    what = "不应报告却报告了" if fired else "应报告却没有报告"
                    problems.append(f"{rule.code}（{rule.source_file}）：{what}：{text[:40]}")
    return problems
