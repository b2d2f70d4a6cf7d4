"""The commented DOCX in LibreOffice and through the CLI (slow: LibreOffice, subprocesses)."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from checkers.report.word import annotate

from .test_word_comments import _reviewed

pytestmark = pytest.mark.slow


def test_libreoffice_reads_every_comment(tmp_path):
    path, report = _reviewed(tmp_path)
    commented = tmp_path / "批注版.docx"
    commented.write_bytes(annotate(path, report, suggest=True).data)
    profile = tmp_path / "lo-profile"
    run = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                          "--convert-to", "odt", "--outdir", str(tmp_path / "odt"), str(commented)],
                         capture_output=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(tmp_path / "odt" / "批注版.odt") as odt:
        content = odt.read("content.xml").decode("utf-8")
    assert content.count("<office:annotation ") + content.count("<office:annotation>") == len(report.findings)
    assert "AMT-WORDS" in content and "生态环境损害赔偿协议" in content
    assert "<text:changed-region" in content  # the suggested correction, as a tracked change


def _cli(*args: str):
    return subprocess.run([sys.executable, "cli.py", "check", *args], capture_output=True, text=True, timeout=120,
                          check=False)


def test_cli_writes_the_commented_docx_and_refuses_what_it_cannot_comment(tmp_path):
    path, report = _reviewed(tmp_path)
    out = tmp_path / "审查批注.docx"
    run = _cli(str(path), "--format", "docx", "-o", str(out), "--author", "法规处")
    assert run.returncode == 1 and out.exists()  # the document has errors
    assert f"{len(report.findings)}条批注" in run.stderr
    text = tmp_path / "协议.txt"
    text.write_text("生态环境损害赔偿协议\n", encoding="utf-8")
    for args in ([str(path), "--format", "docx"], [str(text), "--format", "docx", "-o", str(tmp_path / "x.docx")]):
        refused = _cli(*args)
        assert refused.returncode == 2 and "只能由一份 DOCX 文书生成" in refused.stderr
        assert "Traceback" not in refused.stderr
