"""Orchestration, the CLI and accuracy on the hand-written corpus (CUAD-style precision/recall)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from checkers.check import Unreadable, check_document, check_files, check_text
from checkers.document import from_text
from checkers.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
DOCS = Path(__file__).parents[1] / "fixtures" / "rules" / "docs"
ON = dt.date(2026, 11, 23)
# docs/: written with the rules; heldout/: written blind and scored before any rule was tuned on them
# (heldout/RESULTS.md: P 0.63 / R 0.92 then; the fixes it prompted are generalisations, kept here as tests)
CORPUS = sorted(DOCS.glob("*.txt")) + sorted((DOCS.parent / "heldout").glob("*.txt"))


def _expected(path: Path) -> dict:
    return yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))


def _run(path: Path):
    meta = _expected(path)
    doc = from_text(path.read_text(encoding="utf-8"), path.name)
    return meta, check_document(doc, kind=meta["type"], jurisdiction=meta["jurisdiction"])


def test_corpus_has_six_styles():
    assert len(CORPUS) >= 6
    kinds = {_expected(p)["type"] for p in CORPUS}
    assert kinds == {"agreement", "judicial_confirmation", "enforcement", "consultation_notice"}


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_corpus_document_findings(path):
    meta, report = _run(path)
    assert report.rules_fired() == set(meta["expected"]), meta.get("note")


def test_corpus_precision_recall(capsys):
    """Per rule (element): TP = expected and found, FP = found not expected, FN = expected not found."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for path in CORPUS:
        meta, report = _run(path)
        got, want = report.rules_fired(), set(meta["expected"])
        for code in got & want:
            tp[code] += 1
        for code in got - want:
            fp[code] += 1
        for code in want - got:
            fn[code] += 1
    rules = load_rules()
    lines = []
    for code in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[code] / (tp[code] + fp[code]) if tp[code] + fp[code] else 1.0
        r = tp[code] / (tp[code] + fn[code]) if tp[code] + fn[code] else 1.0
        lines.append(f"{code:28} {rules[code].element or rules[code].category:40} P={p:.2f} R={r:.2f}")
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision = total_tp / (total_tp + total_fp)
    recall = total_tp / (total_tp + total_fn)
    with capsys.disabled():
        print("\n" + "\n".join(lines) + f"\nmicro: P={precision:.3f} R={recall:.3f} (TP={total_tp} FP={total_fp} FN={total_fn})")
    assert precision >= 0.9 and recall >= 0.9


def test_section_removed_from_complete_document_yields_that_element():
    """The mutation property the generator tests will use: drop one section → exactly its finding."""
    path = DOCS / "agr-hengshui-articles.txt"
    text = path.read_text(encoding="utf-8")
    cases = {"第六条": "AGR-BREACH", "第七条": "AGR-FORCE-MAJEURE", "第八条": "AGR-DISPUTE",
             "第五条": "AGR-EFFECT-ASSESSMENT", "第二条": "AGR-EVIDENCE"}
    for heading, code in cases.items():
        lines = text.splitlines()
        i = next(k for k, line in enumerate(lines) if line.startswith(heading))
        mutated = "\n".join(lines[:i] + lines[i + 2:])
        report = check_text(mutated, kind="agreement", jurisdiction="hengshui", on=ON)
        assert report.rules_fired() == {code}, (heading, [f.message for f in report.findings])


def test_hollowing_a_section_yields_a_hollow_finding():
    text = (DOCS / "agr-hengshui-articles.txt").read_text(encoding="utf-8")
    hollow = text.replace("乙方未按本协议约定缴纳赔偿金或完成替代修复的，每逾期一日按应付金额的万分之三支付违约金。", "由双方另行协商确定。")
    report = check_text(hollow, kind="agreement", jurisdiction="hengshui", on=ON)
    [finding] = report.findings
    assert finding.rule == "AGR-BREACH" and "另行协商" in finding.message
    assert finding.location and finding.location.paragraph


def test_kind_and_jurisdiction_detected_when_not_given():
    report = check_text((DOCS / "enf-zhangye.txt").read_text(encoding="utf-8"))
    assert report.doc_type == "enforcement" and report.jurisdiction == "zhangye"


def test_unknown_type_is_a_user_error():
    from ecokernel.errors import UserError

    with pytest.raises(UserError):
        check_text("协议", kind="contract")


def test_several_files_in_parallel(tmp_path):
    paths = []
    for i, src in enumerate(CORPUS[:4]):
        p = tmp_path / f"{i}.txt"
        p.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
        paths.append(p)
    paths.append(tmp_path / "missing.txt")
    results = check_files(paths, workers=2)
    assert len(results) == 5
    assert isinstance(results[-1], Unreadable) and "missing.txt" in str(results[-1])
    assert [r.file for r in results[:4]] == [str(p) for p in paths[:4]]  # type: ignore[union-attr]


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.mark.slow
def test_cli_exit_codes_and_json(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text((DOCS / "cn-guangxi-notice.txt").read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text((DOCS / "agr-sloppy-prose.txt").read_text(encoding="utf-8"), encoding="utf-8")
    ok = _cli("check", str(clean), "--format", "json")
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    # SPEC §4's keys, plus the three-valued result added beside them (findings unchanged)
    assert set(data) == {"file", "doc_type", "jurisdiction", "findings", "not_evaluated", "coverage"}
    fail = _cli("check", str(bad), "--format", "json", "--type", "agreement", "--jurisdiction", "guangxi")
    assert fail.returncode == 1
    finding = json.loads(fail.stdout)["findings"][0]
    assert set(finding) == {"rule", "element", "severity", "category", "message", "location", "basis", "suggestion"}
    both = _cli("check", str(clean), str(bad), "--format", "json")
    assert isinstance(json.loads(both.stdout), list) and both.returncode == 1
    missing = _cli("check", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "nope.txt" in missing.stderr
    wrong = _cli("check", str(clean), "--format", "xml")
    assert wrong.returncode == 2
    wrong_type = _cli("check", str(clean), "--type", "contract")
    assert wrong_type.returncode == 2


@pytest.mark.slow
def test_cli_output_file_and_explain(tmp_path):
    out = tmp_path / "r.html"
    res = _cli("check", str(DOCS / "agr-sloppy-prose.txt"), "--format", "html", "-o", str(out))
    assert res.returncode == 1 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    exp = _cli("explain", "AGR-BREACH")
    assert exp.returncode == 0 and "第二十一条" in exp.stdout and "违约责任另行约定" in exp.stdout
    unknown = _cli("explain", "AGR-BREECH")
    assert unknown.returncode == 2 and "AGR-BREACH" in unknown.stderr


@pytest.mark.slow
def test_check_does_not_import_heavy_modules():
    code = ("import sys; sys.argv=['cli.py','check','" + str(DOCS / "agr-hengshui-articles.txt") + "','--format','json'];"
            "import cli; rc=cli.main(sys.argv[1:]);"
            "print('HEAVY', sorted(m for m in ('jieba','pypdf','pypdfium2','lxml','docx') if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in res.stdout, res.stdout[-300:] + res.stderr[-500:]


# heldout2/: a second blind round in the formats offices send (DOCX with tables, PDF, GBK text),
# scored before tuning (heldout2/RESULTS.md: P 0.33 / R 0.86 then, mostly party tables); read through
# the real readers and detection here, as a reviewer's file would be.
HELDOUT2 = sorted(p for p in (DOCS.parent / "heldout2").iterdir() if p.suffix in (".docx", ".pdf", ".txt"))
KNOWN_MISSES: dict[str, str] = {}  # none left: the table-sum miss is fixed (AMT-SUM reads cost tables)


@pytest.mark.parametrize("path", HELDOUT2, ids=lambda p: p.stem)
def test_heldout_files_in_office_formats(path, request):
    from checkers.check import check_file

    if path.stem in KNOWN_MISSES:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_MISSES[path.stem], strict=True))
    meta = _expected(path)
    report = check_file(path)
    assert (report.doc_type, report.jurisdiction) == (meta["type"], meta["jurisdiction"])
    assert report.rules_fired() == set(meta["expected"]), meta.get("note")


def _table_doc(total: str):
    from checkers.document import Block, Document, Location

    rows = [["序号", "项目", "金额（元）"], ["1", "修复费用", "1,350,000"], ["2", "期间损失", "286,000"],
            ["3", "鉴定评估费用", "112,000"], ["", "合计", total]]
    blocks = [Block(index=0, text="生态环境损害赔偿协议", location=Location(paragraph=1))]
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            if text:
                blocks.append(Block(index=len(blocks), kind="table_cell", text=text,
                                    location=Location(paragraph=len(blocks) + 1, table=1, row=r, cell=c)))
    return Document(file="t.docx", format="docx", blocks=blocks)


def test_cost_table_total_row_is_checked():
    bad = check_document(_table_doc("1,758,000"), kind="agreement", jurisdiction="zhangye", only={"AMT-SUM"})
    assert [f.rule for f in bad.findings] == ["AMT-SUM"] and "1,748,000.00" in bad.findings[0].message
    good = check_document(_table_doc("1,748,000"), kind="agreement", jurisdiction="zhangye", only={"AMT-SUM"})
    assert good.findings == []


def test_the_document_date_is_read_in_chinese_numerals_too():
    """The date the bases are judged on: "签订时间：二〇二五年三月十八日" is 2025-03-18, so a rule in force
    then (zhangye's trial period) is not reported as expired."""
    import datetime as dt

    from checkers.check import document_date

    doc = from_text("生态环境损害赔偿协议\n……\n签订时间：二〇二五年三月十八日\n签订地点：某县林业和草原局\n")
    assert document_date(doc) == dt.date(2025, 3, 18)
    signed = from_text("申请书\n……\n此致\n某某人民法院\n二〇二五年六月四日\n")
    assert document_date(signed) == dt.date(2025, 6, 4)
    # a party's birthday in the closing lines dates nothing: with no other date, the document is of today
    born = from_text("强制执行申请书\n被申请人：王建军，男，1982年5月14日出生\n赔偿义务人未按照协议要求赔偿。\n")
    from ecokernel import clock

    assert document_date(born) == clock.today()


def test_footnotes_after_the_signature_do_not_date_the_document():
    """A 送审稿 whose footnotes, after the date under the seal, name the day a rule was issued (batch 17
    dev: wAY04): the document is dated by the date alone on its line, so an expired rule it cites is
    judged as of then."""
    import datetime as dt

    from checkers.check import document_date

    doc = from_text("强制执行申请书\n根据《张掖市生态环境损害赔偿工作机制（试行）》第二十四条的规定，特申请强制执行。\n此致\n"
                    "张掖市中级人民法院\n申请人（盖章）：张掖市生态环境局\n2026年11月16日\n"
                    "1 该工作机制由张掖市生态环境局等十六部门于2024年10月9日联合印发。\n")
    assert document_date(doc) == dt.date(2026, 11, 16)
