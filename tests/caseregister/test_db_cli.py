"""``ecoclaim db …`` end to end (in-process, through ``cli.main``): Chinese output, exit codes as the
README states (0 ok, 1 errors in the input, 2 unusable input or call), never a traceback. In-process, so
the SQLite half is in the fast layer (a module named ``test_cli`` would be put in the slow one)."""

from __future__ import annotations

from pathlib import Path

import pytest

import caseregister.cli
from caseregister.migrate import head_revision
from cli import main

from ..conftest import EXAMPLES

ZHANGYE = next(p for p in EXAMPLES if p.name.startswith("zhangye"))
N = len(EXAMPLES)  # one case per bundled example
NUMBER = "甘G环赔〔2025〕3号"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(caseregister.cli.out, "width", 300)

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err and "内部错误" not in captured.err, captured.err
        return code, captured.out, captured.err

    return _run


def test_a_register_from_init_to_restore(db_env: str, run, case_folder: Path, tmp_path: Path, monkeypatch):
    code, _out, err = run("db", "list")
    assert code == 2 and "请先运行 ecoclaim db init" in err
    code, out, _ = run("db", "init")
    assert code == 0 and "已建立案件台账数据库" in out and f"结构版本 {head_revision()}" in out
    assert run("db", "init")[1].startswith("案件台账数据库已是最新结构")

    code, out, _ = run("db", "import", str(case_folder), "--department", "张掖市自然资源局", "--author", "张三")
    assert code == 0 and "zhangye-sand-mining-person.yaml：新案件" in out and f"新案件{N}个" in out
    (case_folder / ZHANGYE.name).write_text(ZHANGYE.read_text("utf-8").replace("个体运输户", "个体户"), "utf-8")
    code, out, _ = run("db", "import", str(case_folder), "--department", "张掖市自然资源局", "--author", "李四")
    assert code == 0 and f"新版本1个，未变{N - 1}个" in out

    code, out, _ = run("db", "list")
    assert code == 0 and NUMBER in out and f"共{N}个案件" in out
    code, out, _ = run("db", "show", NUMBER)
    assert code == 0 and "王建军非法采砂生态环境损害赔偿案" in out and "第2版（李四" in out and "已逾期" in out
    code, out, _ = run("db", "history", NUMBER)
    assert code == 0 and "共2个版本" in out and "张三" in out and "李四" in out
    code, out, _ = run("db", "diff", NUMBER, "1", "2", "--text")
    assert code == 0 and "1处字段变化" in out and "obligors[0].work_unit：“个体运输户” → “个体户”" in out
    assert "-    work_unit: 个体运输户" in out

    exported = tmp_path / "v1.yaml"
    code, out, _ = run("db", "export", NUMBER, "--version", "1", "-o", str(exported))
    assert code == 0 and exported.read_bytes() == ZHANGYE.read_bytes()
    assert run("validate", str(exported))[0] == 0

    archive = tmp_path / "backup.zip"
    code, out, _ = run("db", "backup", str(archive))
    assert code == 0 and f"案件{N}个，版本{N + 1}个" in out
    assert run("db", "restore", str(archive))[0] == 2  # not into a database that has data
    assert run("db", "check") == (0, f"台账数据完整一致：{N}个案件，{N + 1}个版本。\n", "")

    monkeypatch.delenv("ECOCLAIM_DATABASE_URL")
    monkeypatch.setenv("ECOCLAIM_DATA_DIR", str(tmp_path / "restored"))
    code, out, _ = run("db", "restore", str(archive))
    assert code == 0 and "已从" in out
    code, out, _ = run("db", "history", NUMBER)
    assert code == 0 and "共2个版本" in out


def test_an_invalid_file_imports_nothing_and_exits_1(db_env: str, run, case_folder: Path):
    run("db", "init")
    bad = case_folder / "zz-bad.yaml"
    bad.write_text(ZHANGYE.read_text("utf-8").replace('"620702197805122135"', '"620702197805122136"'), "utf-8")
    code, _out, err = run("db", "import", str(case_folder), "--department", "某局", "--author", "张三")
    assert code == 1
    assert f"{bad}: obligors[0].id_number（第" in err and "1个文件有错误，未导入任何案件" in err
    assert run("db", "list")[1] == "台账中还没有案件。\n"


def test_an_unreadable_file_exits_2(db_env: str, run, case_folder: Path):
    run("db", "init")
    (case_folder / "zz-binary.yaml").write_bytes(b"\x00\x01binary")
    code, _out, err = run("db", "import", str(case_folder), "--department", "某局", "--author", "张三")
    assert code == 2 and "zz-binary.yaml" in err and "二进制" in err


@pytest.mark.parametrize(("args", "message"), [
    (("db", "show", "没有这个案件"), "台账中没有案件“没有这个案件”"),
    (("db", "diff", NUMBER, "1", "9"), "没有第9版"),
    (("db", "export", NUMBER, "-o", "x.txt"), "导出文件名应以 .yaml 或 .yml 结尾"),
    (("db", "import", "/没有/这个/文件夹", "--department", "某局", "--author", "张三"), "找不到文件夹：/没有/这个/文件夹"),
    (("db", "import", ".", "--department", "某局", "--author", "张三"), "文件夹中没有案件数据文件"),
    (("db", "restore", "/没有/备份.zip"), "找不到文件：/没有/备份.zip"),
    (("db", "diff", NUMBER, "一", "2"), "用法错误"),
])
def test_bad_input_is_a_chinese_error_with_exit_2(db_env: str, run, case_folder: Path, args, message: str, tmp_path,
                                                  monkeypatch):
    run("db", "init")
    run("db", "import", str(case_folder), "--department", "某局", "--author", "张三")
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(*args)
    assert code == 2 and message in err, err


def test_unusable_database_settings_exit_2(run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("ECOCLAIM_DATABASE_URL", "mysql://u@h/db")
    assert run("db", "init")[0] == 2
    monkeypatch.setenv("ECOCLAIM_DATABASE_URL", f"postgresql://nobody@/x?host={tmp_path}&port=1")
    code, _out, err = run("db", "list")
    assert code == 2 and "无法连接数据库 postgresql+psycopg://nobody@/x" in err


SCHEDULE_2027 = """\
source: 测试用的虚构安排（不是国务院办公厅的通知）
example: true
years:
  2027:
    holidays: [2027-01-01, 2027-05-01, 2027-05-02, 2027-08-31, 2027-10-01, 2027-10-02, 2027-10-03]
"""


def test_recompute_after_a_new_holiday_schedule(db_env: str, run, case_folder: Path, tmp_path: Path, monkeypatch):
    """The department adds a year's holiday schedule (ECOCLAIM_HOLIDAYS): ``db list`` and the service's
    start tell that stored deadlines are stale; ``db recompute`` moves exactly the one due date that
    falls on a new rest day, says so, and a second run finds nothing to do."""
    from caseregister.recompute import at_start, stale_warning

    run("db", "init")
    run("db", "import", str(case_folder), "--department", "张掖市自然资源局", "--author", "张三")
    assert run("db", "recompute") == (0, "各案件当前版本的期限都已按现行的辖区配置、期限规则和节假日安排计算，无须重新计算。\n", "")
    assert at_start() == []
    assert "2027-08-31" in run("db", "show", NUMBER)[1]

    schedule = tmp_path / "节假日安排.yaml"
    schedule.write_text(SCHEDULE_2027, "utf-8")
    monkeypatch.setenv("ECOCLAIM_HOLIDAYS", str(schedule))
    code, _out, err = run("db", "list")
    assert code == 0 and err == stale_warning(N) + "\n"
    assert f"{N}个案件的期限是按此前的辖区配置、期限规则或节假日安排计算的" in err and "ecoclaim db recompute" in err
    monkeypatch.setenv("ECOCLAIM_RECOMPUTE_ON_START", "0")  # the service only warns
    assert at_start() == [stale_warning(N)]
    monkeypatch.delenv("ECOCLAIM_RECOMPUTE_ON_START")

    code, out, err = run("db", "recompute", "--actor", "管理员")
    assert (code, err) == (0, "") and out == f"重新计算了{N}个案件的期限：1个案件有变化，共1个到期日改变。\n"
    assert run("db", "recompute")[1].endswith("无须重新计算。\n")
    code, out, err = run("db", "list")
    assert code == 0 and err == ""
    code, out, _ = run("db", "show", NUMBER)
    assert "2027-09-01" in out and "2027-08-31" not in out  # the case page computes with the same calendar

    schedule.write_text(SCHEDULE_2027.replace(" 2027-08-31,", ""), "utf-8")  # the schedule corrected
    assert at_start() == [f"案件台账：重新计算了{N}个案件的期限：1个案件有变化，共1个到期日改变。"]
    assert run("db", "recompute", "--all")[1] == f"重新计算了{N}个案件的期限：0个案件有变化，共0个到期日改变。\n"
