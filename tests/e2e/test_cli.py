"""The command line, run as a user runs it: a real subprocess, Chinese output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import EXAMPLES, ROOT, cli_env, example_path

CLI = [sys.executable, str(ROOT / "cli.py")]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=60,
                            env=cli_env(COLUMNS="200"))
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_validate_examples_exit_0_with_summary(path):
    result = run("validate", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "校验通过" in result.stdout and "赔偿义务人" in result.stdout


def test_validate_bad_copy_exits_1_and_names_paths_and_lines(tmp_path):
    text = example_path("guangxi").read_text("utf-8")
    text = text.replace("91450100MA5KQ3RT2R", "91450100MA5KQ3RT2A")
    text = text.replace("ruling_date: 2025-10-24", "ruling_date: 2025-09-01")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = run("validate", str(bad))
    assert result.returncode == 1
    assert "obligors[0].uscc" in result.stdout and "校验位" in result.stdout
    assert "judicial_confirmation.ruling_date" in result.stdout
    uscc_line = text.splitlines().index("    uscc: 91450100MA5KQ3RT2A") + 1
    assert f"第{uscc_line}行" in result.stdout
    assert "未通过：3处错误" in result.stdout  # uscc + ruling before application and before notice end


def test_validate_yaml_syntax_error_exits_1_with_line(tmp_path):
    bad = tmp_path / "syntax.yaml"
    bad.write_text("case_name: 甲\nobligors:\n  - name: 乙\n   kind: unit\n", encoding="utf-8")
    result = run("validate", str(bad))
    assert result.returncode == 1 and "第4行" in result.stdout and "语法错误" in result.stdout


def test_validate_json_output(tmp_path):
    result = run("validate", str(example_path("hengshui")), "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["valid"] is True and payload["problems"] == []


def test_missing_file_and_bad_usage_exit_2_in_chinese(tmp_path):
    result = run("validate", str(tmp_path / "none.yaml"))
    assert result.returncode == 2 and "找不到文件" in result.stderr
    result = run("validate")
    assert result.returncode == 2 and "缺少参数" in result.stderr
    result = run("no-such-command")
    assert result.returncode == 2 and "用法错误" in result.stderr


def test_schema_prints_json_schema():
    result = run("schema")
    schema = json.loads(result.stdout)
    assert schema["title"] == "Case" and "obligors" in schema["properties"]


def test_corpus_show_guangxi_21_lists_breach_liability():
    result = run("corpus", "show", "guangxi:21")
    assert result.returncode == 0
    assert "违约责任的承担" in result.stdout and "征求意见稿" in result.stdout


def test_corpus_show_nantong_6_is_simplified_assessment():
    result = run("corpus", "show", "nantong:(六)")
    assert result.returncode == 0 and "简易评估" in result.stdout and "五十万元" in result.stdout


def test_corpus_show_full_width_alias_and_bad_address():
    assert "50%" in run("corpus", "show", "guangxi:26（三）").stdout
    result = run("corpus", "show", "guangxi:99")
    assert result.returncode == 2 and "第九十九条" in result.stderr


def test_corpus_search():
    result = run("corpus", "search", "履约保证金")
    assert result.returncode == 0 and "guangxi:26(四)" in result.stdout


def test_jurisdictions_on_a_date():
    result = run("jurisdictions", "--on", "2026-11-23")
    assert result.returncode == 0
    for key in ("guangxi", "zhangye", "hengshui", "nantong", "xinzhou", "national"):
        assert key in result.stdout
    assert "2026年10月8日届满" in result.stdout


def test_forms_lists_eleven_kinds():
    result = run("forms")
    assert result.returncode == 0
    assert all(code in result.stdout for code in ("claim_start", "enforcement", "closure_approval"))


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "ecoclaim"
    if not script.exists():
        pytest.skip("not installed as a console script in this environment")
    result = subprocess.run([str(script), "forms"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "授权委托书" in result.stdout


def test_check_takes_a_folder_skips_what_it_does_not_review_and_sums_up(tmp_path):
    folder = tmp_path / "收文"
    (folder / "sub").mkdir(parents=True)
    (folder / "协议.txt").write_text("生态环境损害赔偿协议\n甲方：南宁市生态环境局\n乙方：某公司\n本协议一式三份。\n", "utf-8")
    (folder / "sub" / "通知.txt").write_text("关于召开年度工作会议的通知\n请各位准时参加。\n", "utf-8")
    (folder / "sub" / "~$协议.docx").write_bytes(b"lock")  # Word's lock file is not a document
    (folder / "图片.png").write_bytes(b"\x89PNG")
    result = run("check", str(folder), "--quiet")
    assert result.returncode == 1, result.stderr  # the agreement lacks required elements
    assert "跳过：" in result.stderr and "通知.txt" in result.stderr
    assert "汇总：2个文件，审查1份" in result.stderr and "跳过1份，无法读取0份" in result.stderr
    empty = tmp_path / "空"
    empty.mkdir()
    nothing = run("check", str(empty))
    assert nothing.returncode == 2 and "没有找到可审查的文书" in nothing.stderr


def test_files_that_gave_no_report_are_in_the_sarif_and_html_reports(tmp_path):
    (tmp_path / "协议.txt").write_text("生态环境损害赔偿协议\n甲方：南宁市生态环境局\n", "utf-8")
    (tmp_path / "通知.txt").write_text("关于召开年度工作会议的通知\n请各位准时参加。\n", "utf-8")
    (tmp_path / "坏.pdf").write_bytes(b"%PDF-1.4 broken")
    sarif = run("check", str(tmp_path), "--format", "sarif")
    notes = json.loads(sarif.stdout)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    texts = [n["message"]["text"] for n in notes]
    assert any(t.startswith("无法读取") for t in texts) and any(t.startswith("跳过") for t in texts)
    assert sarif.returncode == 2  # an unreadable file
    html = run("check", str(tmp_path), "--format", "html")
    assert "未审查的文件" in html.stdout and html.stdout.index("未审查的文件") < html.stdout.index("协议.txt")
