"""``ecoclaim db ledger | report | archive | publication`` end to end (in-process through ``cli.main``):
files written and opened, Chinese messages, exit codes (publication check: 1 when something is
missing), never a traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

import caseregister.cli
from cli import main

from .exportseed import Seeded, seed


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(caseregister.cli.out, "width", 300)
    monkeypatch.setattr(caseregister.cli.err, "width", 300)

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err and "内部错误" not in captured.err, captured.err
        return code, captured.out, captured.err

    return _run


@pytest.fixture
def seeded(engine: Engine, db_env: str, tmp_path: Path) -> Seeded:
    (tmp_path / "seed").mkdir()
    return seed(engine, tmp_path / "seed")


def test_exports_on_the_command_line(run, seeded: Seeded, tmp_path: Path):
    ledger = tmp_path / "台账.xlsx"
    code, out, _ = run("db", "ledger", "--user", "zhang", "-o", str(ledger))
    assert code == 0 and "1个案件" in out
    assert load_workbook(ledger).active.cell(4, 3).value == "甘G环赔〔2025〕3号"
    code, _out, err = run("db", "ledger", "--user", "zhang", "-o", str(ledger))
    assert code == 2 and "--force" in err
    code, out, _ = run("db", "report", "clue-list", "2025Q2", "--user", "zhang", "-o", str(tmp_path / "c.xlsx"))
    assert code == 0 and "2025年第二季度线索筛查清单（1条）" in out
    code, _out, err = run("db", "report", "work", "2025上半年", "--user", "zhang", "-o", str(tmp_path / "w.docx"))
    assert code == 2 and "2025H1" in err
    code, out, _ = run("db", "report", "rhythm", "广西")
    assert code == 0 and "未规定报送日期" in out and "未规定报送周期和日期" in out


def test_archive_and_publication_on_the_command_line(run, seeded: Seeded, tmp_path: Path):
    code, _out, err = run("db", "archive", str(seeded.nn_case), "--user", "zhang", "-o", str(tmp_path / "a.zip"))
    assert code == 2 and "无权查看" in err
    code, out, _ = run("db", "archive", str(seeded.nn_case), "--user", "nan", "-o", str(tmp_path / "a.zip"))
    assert code == 0 and "卷内目录.docx" in zipfile.ZipFile(tmp_path / "a.zip").namelist()
    code, out, err = run("db", "publication", "check", str(seeded.nn_case), "--user", "nan")
    assert code == 1 and "生态环境损害赔偿协议：缺少公开记录" in out and "应当公开而没有公开记录的" in err
    for item in ("agreement", "ruling", "fund_use", "restoration_effect"):
        code, out, _ = run("db", "publication", "record", str(seeded.nn_case), "--item", item, "--date", "2026-01-05",
                           "--url", "https://sthjt.gxzf.gov.cn/gkml/1", "--actor", "南六")
        assert code == 0 and "已登记" in out
    code, out, _ = run("db", "publication", "check", str(seeded.nn_case), "--user", "nan")
    assert code == 0 and "均有公开记录" in out
    code, _out, err = run("db", "publication", "record", str(seeded.nn_case), "--item", "ruling", "--date", "5.1",
                          "--actor", "南六")
    assert code == 2 and "YYYY-MM-DD" in err
    code, out, _ = run("db", "publication", "pack", str(seeded.nn_case), "--user", "nan", "-o", str(tmp_path / "p.zip"))
    pack = zipfile.ZipFile(io.BytesIO((tmp_path / "p.zip").read_bytes()))
    assert code == 0 and "公开信息表.docx" in pack.namelist()
