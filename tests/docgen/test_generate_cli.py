"""`ecoclaim generate` as a user runs it: a subprocess, Chinese output, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json

from ..conftest import example_path
from ..e2e.test_cli import run


def test_generate_all_docx_writes_forms_manifest_and_reports_skips(tmp_path):
    result = run("generate", str(example_path("zhangye")), "--all", "--format", "docx", "-o", str(tmp_path), "--zip")
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    files = [d["file"] for d in manifest["documents"]]
    assert files and all((tmp_path / f).is_file() for f in files)
    assert "04-生态环境损害赔偿磋商告知书.docx" in files
    assert "已生成" in result.stdout and "未生成 结案审批表" in result.stdout
    assert "压缩包" in result.stdout and list(tmp_path.glob("*.zip"))


def test_generate_one_form_as_markdown(tmp_path):
    result = run("generate", str(example_path("guangxi")), "--form", "consultation_notice", "--format", "md",
                  "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    [md] = tmp_path.glob("*.md")
    assert md.read_text("utf-8").startswith("# ")


def test_invalid_case_exits_1_with_the_problems(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(example_path("zhangye").read_text("utf-8").replace("620702197805122135", "620702197805122136"),
                   encoding="utf-8")
    result = run("generate", str(bad), "--all", "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "obligors[0].id_number" in result.stderr and "未生成文书" in result.stderr
    assert not (tmp_path / "out").exists()


def test_unusable_calls_exit_2_in_chinese(tmp_path):
    case = str(example_path("zhangye"))
    for args, message in (
        ((case, "-o", str(tmp_path)), "--form"),
        ((case, "--all", "--form", "agreement", "-o", str(tmp_path)), "二者选一"),
        ((case, "--all"), "-o"),
        ((case, "--all", "--format", "rtf", "-o", str(tmp_path)), "不支持的输出格式"),
        ((case, "--form", "nonsense", "-o", str(tmp_path)), "未知文书种类"),
        ((case, "--all", "-o", str(tmp_path), "--reference-docx", str(example_path("hengshui"))), "参考文档"),
        ((str(tmp_path / "none.yaml"), "--all", "-o", str(tmp_path)), "找不到文件"),
    ):
        result = run("generate", *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr, (args, result.stderr)
    assert not list(tmp_path.iterdir())
