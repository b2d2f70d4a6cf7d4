"""Reading a 民事裁定书 into the case file (issue 11 §5): 案号, court, date and outcome found in its text;
only those lines of the case file change (comments and order kept); a diff before anything is
written, and writing only with --write; Chinese errors when nothing is found."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import docx as python_docx
import pytest

from casefile.validation import load_case, validate_text
from docgen.writers.pdf import convert_to_pdf
from procedure.ruling import RulingError, RulingFacts, apply_ruling, read_ruling

from ..conftest import ROOT, cli_env, example_path

RULING = [
    "广西壮族自治区南宁市中级人民法院",
    "民 事 裁 定 书",
    "（2025）桂01民特56号",
    "申请人：南宁市生态环境局，住所地南宁市青秀区。",
    "申请人：广西桂南冶炼有限公司，住所地南宁市江南区。",
    "申请人于2025年9月5日向本院申请司法确认。本院于2025年9月12日至2025年10月12日公告了协议内容。"
    "另查明，（2024）桂0105民初123号案件与本案无关。",
    "依照《中华人民共和国民事诉讼法》第二百零六条规定，裁定如下：",
    "申请人南宁市生态环境局与广西桂南冶炼有限公司于2025年8月29日达成的生态环境损害赔偿协议有效。",
    "审判员　李明",
    "二〇二五年十月二十四日",
    "书记员　王芳",
]
CASE_TEXT = """# 案件数据（部门填写）
case_name: 示例
judicial_confirmation:   # 司法确认
  court: 南宁市中院  # 申请时写的简称
  applied: 2025-09-05
  notice_from: 2025-09-12
  notice_to: 2025-10-12

enforcement:
  court: x
"""


def test_reads_number_court_date_and_outcome():
    facts = read_ruling("\n".join(RULING))
    assert facts == RulingFacts(number="（2025）桂01民特56号", court="广西壮族自治区南宁市中级人民法院",
                                day=date(2025, 10, 24), confirmed=True)
    dismissed = [*RULING[:7], "驳回申请人的申请。", *RULING[8:]]
    assert read_ruling("\n".join(dismissed)).confirmed is False
    assert read_ruling("民事裁定书\n（2024）甘07民特12号\n2024年12月3日").day == date(2024, 12, 3)


def test_nothing_found_is_a_chinese_error():
    with pytest.raises(RulingError, match="不像是民事裁定书"):
        read_ruling("赔偿协议\n甲方：某局")
    with pytest.raises(RulingError, match="未能从文件中读出案号、法院和裁定日期"):
        read_ruling("民事裁定书\n裁定如下：")


def test_only_the_ruling_lines_change_and_comments_stay():
    facts = read_ruling("\n".join(RULING))
    new = apply_ruling(CASE_TEXT, facts)
    assert new.splitlines() == [
        "# 案件数据（部门填写）", "case_name: 示例", "judicial_confirmation:   # 司法确认",
        '  court: "广西壮族自治区南宁市中级人民法院"  # 申请时写的简称', "  applied: 2025-09-05", "  notice_from: 2025-09-12",
        "  notice_to: 2025-10-12", '  ruling_number: "（2025）桂01民特56号"', "  ruling_date: 2025-10-24",
        "  confirmed: true", "", "enforcement:", "  court: x"]
    assert apply_ruling(new, facts) == new  # applying twice changes nothing


def test_a_case_without_the_section_or_in_flow_style_is_refused():
    facts = RulingFacts("（2025）桂01民特56号", None, None, None)
    with pytest.raises(RulingError, match="尚无 judicial_confirmation"):
        apply_ruling("case_name: 示例\n", facts)
    with pytest.raises(RulingError, match="单行"):
        apply_ruling("judicial_confirmation: {court: x, applied: 2025-09-05}\n", facts)


def test_the_example_takes_the_ruling_and_stays_valid():
    text = example_path("guangxi").read_text("utf-8")
    bare = "".join(line for line in text.splitlines(keepends=True)
                   if not line.startswith(("  ruling_number:", "  ruling_date:", "  confirmed:")))
    new = apply_ruling(bare, read_ruling("\n".join(RULING)))
    case, problems = validate_text(new)
    assert case is not None and not [p for p in problems if p.severity == "error"]
    assert case.judicial_confirmation.ruling_number == "（2025）桂01民特56号"
    assert case.judicial_confirmation.ruling_date == date(2025, 10, 24)


@pytest.mark.slow
def test_cli_reads_a_ruling_pdf_shows_the_diff_and_writes_only_with_write(tmp_path):
    document = python_docx.Document()
    for line in RULING:
        document.add_paragraph(line)
    document.save(tmp_path / "裁定书.docx")
    [pdf] = convert_to_pdf([tmp_path / "裁定书.docx"], tmp_path / "pdf")
    case_file = tmp_path / "case.yaml"
    original = "".join(line for line in example_path("guangxi").read_text("utf-8").splitlines(keepends=True)
                       if not line.startswith(("  ruling_number:", "  ruling_date:", "  confirmed:")))
    case_file.write_text(original, "utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(ROOT / "cli.py"), "ruling", str(pdf), "--case", str(case_file),
                               *args], capture_output=True, text=True, cwd=ROOT, timeout=120, env=cli_env())

    shown = run()
    assert shown.returncode == 1, shown.stdout + shown.stderr
    assert '+  ruling_number: "（2025）桂01民特56号"' in shown.stdout and "+  ruling_date: 2025-10-24" in shown.stdout
    assert "--write" in shown.stdout and case_file.read_text("utf-8") == original  # nothing written
    written = run("--write")
    assert written.returncode == 0 and "已写入" in written.stdout, written.stdout + written.stderr
    ruling = load_case(case_file).judicial_confirmation
    assert (ruling.ruling_number, ruling.court, ruling.ruling_date, ruling.confirmed) == (
        "（2025）桂01民特56号", "广西壮族自治区南宁市中级人民法院", date(2025, 10, 24), True)
    assert run().returncode == 0  # already there: nothing to change
    # not a ruling; an unreadable file: exit 2, Chinese, no traceback
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4 broken")
    for path, words in [(example_path("guangxi"), "不像是民事裁定书"), (other, "PDF")]:
        bad = subprocess.run([sys.executable, str(ROOT / "cli.py"), "ruling", str(path), "--case", str(case_file)],
                             capture_output=True, text=True, cwd=ROOT, timeout=60, env=cli_env())
        assert bad.returncode == 2 and words in bad.stderr and "Traceback" not in bad.stderr, bad.stderr


def test_ruling_text_file_via_cli(tmp_path: Path):
    """The command is also usable on a text export (fast, no LibreOffice)."""
    ruling = tmp_path / "ruling.txt"
    ruling.write_text("\n".join(RULING), "utf-8")
    case_file = tmp_path / "case.yaml"
    case_file.write_text(CASE_TEXT.replace("enforcement:\n  court: x\n", ""), "utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "cli.py"), "ruling", str(ruling), "--case", str(case_file)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60, env=cli_env())
    # the bare case file has errors of its own (no parties): refused, nothing written, the problems listed
    assert run.returncode == 2 and "未写入" in run.stderr and "Traceback" not in run.stderr, run.stderr
