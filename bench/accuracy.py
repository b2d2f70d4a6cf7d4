"""Accuracy of the checker on the blind benchmark (bench/blind/): documents written by independent
writers who never saw the rules or the templates, labelled before anything ran.

    .venv/bin/python bench/accuracy.py                 # both parts: dev (tuned on) and test (never tuned on)
    .venv/bin/python bench/accuracy.py --part test --json out.json --details

Each part is a folder of writer folders, each with its documents and a ``labels.yaml`` (format in
bench/blind/README.md). For every document the checker runs as a reviewer would run it: kind and
jurisdiction detected, nothing given. Reported per part:

- element precision and recall: missing/hollow elements (SPEC §2) reported as errors or warnings
  against the labelled ones, and the precision of those reported as errors alone (the warnings
  "需人工确认" ask a person to look; they do not assert that the element is missing);
- planted-defect recall: the share of labelled defects of any category found by a finding of that
  element (missing_element) or category (every other SPEC §4 category), at any severity; and the
  same over the defects the document's own jurisdiction has a rule for (see ``applicable``);
- false errors on clean documents: error findings on documents labelled clean, and how many clean
  documents got at least one;
- per rule: true positives, false positives and false negatives, the label mapped to rules through
  the form catalogue (elements) and the rule registry (categories);
- documents the checker could not read or classify (counted, never skipped silently: their planted
  defects count as missed).

Not a test: it measures. The README quotes its numbers with the date and the commit.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checkers.check import check_document  # noqa: E402
from checkers.extract import read_document  # noqa: E402
from checkers.rules.registry import load_rules  # noqa: E402
from corpus.forms import elements  # noqa: E402
from corpus.profiles import get_profile  # noqa: E402
from ecokernel.errors import UserError  # noqa: E402

BLIND = ROOT / "bench" / "blind"
PARTS = ("dev", "test")


@dataclass
class Labelled:
    path: Path
    writer: str
    doc_type: str
    jurisdiction: str
    clean: bool
    defects: list[dict[str, Any]]


@dataclass
class Outcome:
    doc: Labelled
    error: str | None = None  # could not read or classify
    detected: tuple[str | None, str | None] = (None, None)
    findings: list[dict[str, Any]] = field(default_factory=list)
    not_evaluated: list[dict[str, Any]] = field(default_factory=list)


def load_part(part: str, batch: str | None = None) -> list[Labelled]:
    docs = []
    for labels in sorted((BLIND / part).glob(f"*-{batch}/labels.yaml" if batch else "*/labels.yaml")):
        data = yaml.safe_load(labels.read_text("utf-8"))
        for entry in data["documents"]:
            docs.append(Labelled(labels.parent / entry["file"], data.get("writer", labels.parent.name),
                                 entry["doc_type"], entry["jurisdiction"], bool(entry.get("clean")),
                                 list(entry.get("defects") or [])))
    return docs


def run(doc: Labelled) -> Outcome:
    try:
        document = read_document(doc.path)
        report = check_document(document)
    except UserError as exc:
        return Outcome(doc, error=str(exc).splitlines()[0][:120])
    return Outcome(doc, detected=(report.doc_type, report.jurisdiction),
                   findings=[f.to_dict() for f in report.findings],
                   not_evaluated=[u.model_dump() for u in report.not_evaluated])


def matches(defect: dict[str, Any], finding: dict[str, Any]) -> bool:
    """A finding reports a labelled defect: the same element for a missing or hollow element; the
    same category (or the same element, where the label names one) for any other defect."""
    if defect.get("category") == "missing_element":
        return finding.get("element") == defect.get("element")
    return finding.get("category") == defect.get("category") or (
        bool(defect.get("element")) and finding.get("element") == defect.get("element"))


def _key(defect: dict[str, Any]) -> str:
    """How a defect is named in the tables: its element when it is a missing element, else its category."""
    if defect.get("category") == "missing_element":
        return str(defect.get("element"))
    return str(defect.get("category"))


def applicable(defect: dict[str, Any], kind: str, jurisdiction: str) -> bool:
    """Whether the law of ``jurisdiction`` (its profile) sets a rule for this defect in this kind of
    document. Writers sometimes applied one place's limit (guangxi's 3-year instalments, 50 % offset,
    15 working days) to a place whose rules set none; such a label is kept and counted in the overall
    recall, and reported apart so that the two numbers can be told apart."""
    profile = get_profile(jurisdiction)
    for rule in load_rules().values():
        if not rule.applies(kind, jurisdiction):
            continue
        if rule.param and not profile.value(rule.param):
            continue
        if defect.get("category") == "missing_element":
            if rule.element == defect.get("element"):
                return True
        elif rule.category == defect.get("category") or (defect.get("element") and rule.element == defect.get("element")):
            return True
    return False


def _rules_for(key: str, rule_of_element: dict[str, str], rules_of_category: dict[str, set[str]]) -> set[str]:
    if key in rule_of_element:
        return {rule_of_element[key]}
    return rules_of_category.get(key, set())


def score(outcomes: list[Outcome]) -> dict[str, Any]:
    rule_of_element = {eid: e.rule for eid, e in elements().items()}
    rules_of_category: dict[str, set[str]] = defaultdict(set)
    for r in load_rules().values():
        if r.category != "missing_element":
            rules_of_category[r.category].add(r.code)
    el_tp = el_fp = el_fn = 0
    err_tp = err_fp = 0  # missing elements reported as errors only (not the 需人工确认 warnings)
    planted = found = 0
    planted_applicable = found_applicable = 0
    clean_docs = clean_with_error = clean_errors = 0
    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    per_category: dict[str, Counter[str]] = defaultdict(Counter)
    unreadable, misdetected, details = [], [], []
    said_nothing_wrong = unevaluated_docs = 0  # defective documents reported as 未发现问题; documents with 未能核对
    for o in outcomes:
        labelled = {_key(d) for d in o.doc.defects}
        for d in o.doc.defects:
            per_category[str(d.get("category"))]["planted"] += 1
        if o.error is not None:
            unreadable.append((o.doc.path.name, o.error))
            planted += len(o.doc.defects)
            planted_applicable += sum(applicable(d, o.doc.doc_type, o.doc.jurisdiction) for d in o.doc.defects)
            el_fn += sum(1 for d in o.doc.defects if d.get("category") == "missing_element")
            continue
        if o.detected[0] != o.doc.doc_type:
            misdetected.append((o.doc.path.name, o.doc.doc_type, o.detected[0]))
        shown = [f for f in o.findings if f["severity"] in ("error", "warning")]
        reported_elements = {f["element"] for f in shown if f.get("category") == "missing_element"}
        labelled_elements = {str(d.get("element")) for d in o.doc.defects if d.get("category") == "missing_element"}
        asserted = {f["element"] for f in o.findings if f.get("category") == "missing_element" and f["severity"] == "error"}
        err_tp += len(asserted & labelled_elements)
        err_fp += len(asserted - labelled_elements)
        el_tp += len(reported_elements & labelled_elements)
        el_fp += len(reported_elements - labelled_elements)
        el_fn += len(labelled_elements - reported_elements)
        missed = []
        for d in o.doc.defects:
            planted += 1
            hit = any(matches(d, f) for f in shown)
            found += hit
            if applicable(d, o.doc.doc_type, o.doc.jurisdiction):
                planted_applicable += 1
                found_applicable += hit
            per_category[str(d.get("category"))]["found"] += hit
            if not hit:
                missed.append(_key(d))
        unevaluated_docs += bool(o.not_evaluated)
        if o.doc.defects and not shown and not o.not_evaluated:
            said_nothing_wrong += 1
        if o.doc.clean:
            clean_docs += 1
            errors = [f for f in o.findings if f["severity"] == "error"]
            clean_errors += len(errors)
            clean_with_error += bool(errors)
        fired = {f["rule"] for f in shown}
        wanted = set().union(*[_rules_for(k, rule_of_element, rules_of_category) for k in labelled]) if labelled else set()
        for code in fired | wanted:
            per_rule[code]["tp" if code in fired and code in wanted else "fp" if code in fired else "fn"] += 1
        details.append({"file": o.doc.path.name, "writer": o.doc.writer, "clean": o.doc.clean, "missed": missed,
                        "false": sorted({f"{f['rule']}:{f['severity']}" for f in shown
                                         if not any(matches(d, f) for d in o.doc.defects)})})

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    return {
        "documents": len(outcomes), "clean": clean_docs, "defective": len(outcomes) - clean_docs,
        "unreadable": unreadable, "misdetected": misdetected,
        "element_precision": ratio(el_tp, el_tp + el_fp), "element_recall": ratio(el_tp, el_tp + el_fn),
        "element_counts": {"tp": el_tp, "fp": el_fp, "fn": el_fn},
        "element_error_precision": ratio(err_tp, err_tp + err_fp), "element_error_counts": {"tp": err_tp, "fp": err_fp},
        "planted_recall": ratio(found, planted), "planted": planted, "planted_found": found,
        "planted_recall_applicable": ratio(found_applicable, planted_applicable),
        "planted_applicable": planted_applicable, "planted_applicable_found": found_applicable,
        "clean_errors": clean_errors, "clean_docs_with_error": clean_with_error,
        "defective_reported_clean": said_nothing_wrong, "documents_with_not_evaluated": unevaluated_docs,
        "per_category": {k: dict(v) for k, v in sorted(per_category.items())},
        "per_rule": {k: dict(v) for k, v in sorted(per_rule.items())},
        "details": details,
    }


def _print(part: str, s: dict[str, Any], show_details: bool) -> None:
    print(f"== {part}: {s['documents']} 份（无问题 {s['clean']}，有问题 {s['defective']}）")
    print(f"   要素 查准率 {s['element_precision']}  查全率 {s['element_recall']}  {s['element_counts']}"
          f"；只算错误（不含“需人工确认”警告）的查准率 {s['element_error_precision']}  {s['element_error_counts']}")
    print(f"   预置问题查全率 {s['planted_recall']}（{s['planted_found']}/{s['planted']}）；"
          f"其中本辖区规定有依据的 {s['planted_recall_applicable']}（{s['planted_applicable_found']}/{s['planted_applicable']}）")
    print(f"   无问题文书上的错误：{s['clean_errors']} 条，涉及 {s['clean_docs_with_error']}/{s['clean']} 份")
    print(f"   有问题却报“未发现问题”：{s['defective_reported_clean']} 份；有“未能核对”的文书：{s['documents_with_not_evaluated']} 份")
    print(f"   无法读取或识别：{len(s['unreadable'])} 份；种类识别错误：{len(s['misdetected'])} 份")
    for name, why in s["unreadable"]:
        print(f"     - {name}：{why}")
    print("   按类别（预置/查出）：" + "，".join(f"{k} {v.get('found', 0)}/{v['planted']}"
                                         for k, v in s["per_category"].items()))
    print("   按规则（tp/fp/fn）：")
    for code, c in s["per_rule"].items():
        print(f"     {code:28s} {c.get('tp', 0):3d} {c.get('fp', 0):3d} {c.get('fn', 0):3d}")
    if show_details:
        for d in s["details"]:
            if d["missed"] or d["false"]:
                print(f"     {d['file']}: 漏 {d['missed']} 误 {d['false']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=PARTS, action="append", help="dev and/or test (default both)")
    parser.add_argument("--json", type=Path, help="write the scores as JSON")
    parser.add_argument("--details", action="store_true", help="list each document's misses and false findings")
    parser.add_argument("--batch", help="only the writers' folders of this batch (folder suffix, e.g. 2)")
    args = parser.parse_args()
    results = {}
    for part in args.part or PARTS:
        docs = load_part(part, args.batch)
        if not docs:
            print(f"== {part}: 没有文书（{BLIND / part}）")
            continue
        results[part] = score([run(d) for d in docs])
        _print(part, results[part], args.details)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
