"""D7, D8, D9: every bad input is a user error in Chinese, located, never an internal error.

Run as a user runs it (a real ``cli.py`` subprocess). Exit codes follow the commands' contract:
``validate`` and ``generate`` say "the case data has errors" with 1, ``timeline`` and unusable calls
or outputs with 2; never 3 ("内部错误"), never a traceback.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml

from ecokernel.calendar import BeyondCalendarError, WorkCalendar

from ..conftest import example_path
from .test_cli import run

CHINESE = re.compile("[\u4e00-\u9fff]")
BIG = "9" * 5000  # over Python's 4,300-digit limit for int(str)


def assert_user_error(result: subprocess.CompletedProcess[str], code: int, *expected: str) -> str:
    text = result.stdout + result.stderr
    assert result.returncode == code, text[-2000:]
    assert "Traceback" not in text and "内部错误" not in text
    for part in expected:
        assert part in text, text[-2000:]
    assert not re.search(r"Exceeds the limit|ConversionSyntax|exceeded maximum|out of range|Errno", text)
    assert CHINESE.search(text)
    return text


def _case_text() -> str:
    return example_path("guangxi").read_text("utf-8")


def _json_case(replace: Callable[[str], str]) -> str:
    data = yaml.safe_load(_case_text())
    text = json.dumps(data, ensure_ascii=False, default=str, indent=1)
    return replace(text)


# (file name, text, expected pieces of the message: field path and/or line)
BAD_CASES: dict[str, tuple[str, Callable[[], str], tuple[str, ...]]] = {
    "yaml-5000-digit-amount": ("case.yaml", lambda: _case_text().replace("damage_amount: 1172400.00",
                                                                          f"damage_amount: {BIG}"),
                               ("assessment.damage_amount", "第90行", "金额过大")),
    "json-5000-digit-amount": ("case.json", lambda: _json_case(lambda t: t.replace("1172400.0", BIG, 1)),
                               ("assessment.damage_amount", "金额过大")),
    "yaml-5000-digit-string-field": ("case.yaml", lambda: _case_text().replace("case_number:", f"case_number: {BIG}\n#", 1),
                                     ("case_number", "应为文字")),
    "json-5000-digit-schema-version": ("case.json", lambda: _json_case(lambda t: t.replace("{", f'{{"schema_version": {BIG},', 1)),
                                       ("schema_version",)),
    "yaml-inf-amount": ("case.yaml", lambda: _case_text().replace("damage_amount: 1172400.00", "damage_amount: .inf"),
                        ("assessment.damage_amount", "第90行", "不是有效数字")),
    "yaml-minus-inf-amount": ("case.yaml", lambda: _case_text().replace("amount: 860000.00", "amount: -.INF"),
                              ("amount", "不是有效数字")),
    "yaml-nan-amount": ("case.yaml", lambda: _case_text().replace("damage_amount: 1172400.00", "damage_amount: .nan"),
                        ("assessment.damage_amount", "不是有效数字")),
    "yaml-sexagesimal-float": ("case.yaml", lambda: _case_text().replace("damage_amount: 1172400.00",
                                                                          "damage_amount: 1:30.5"),
                               ("第90行", "不是有效数字")),
    "yaml-deep-flow": ("case.yaml", lambda: "a: " + "[" * 100_000 + "]" * 100_000 + "\n", ("嵌套过深",)),
    "yaml-deep-block": ("case.yaml", lambda: "".join("  " * i + f"k{i}:\n" for i in range(1000)) + "  " * 1000 + "v\n",
                        ("嵌套",)),
    "yaml-february-30": ("case.yaml", lambda: _case_text().replace("occurred_from: 2025-03-02",
                                                                    "occurred_from: 2025-02-30"),
                         ("第12行", "不是有效日期")),
    "yaml-dates-9999-12-31": ("case.yaml", lambda: re.sub(r"\b20\d\d-\d\d-\d\d\b", "9999-12-31", _case_text()),
                              ("incident.occurred_from", "第12行", "超出支持的范围")),
    "json-date-9999-12-28": ("case.json", lambda: _json_case(lambda t: t.replace("2025-03-02", "9999-12-28")),
                             ("incident.occurred_from", "超出支持的范围")),
}


@pytest.fixture(params=list(BAD_CASES), ids=list(BAD_CASES))
def bad_case(request, tmp_path) -> Iterator[tuple[Path, tuple[str, ...]]]:
    name, text, expected = BAD_CASES[request.param]
    path = tmp_path / name
    path.write_text(text(), encoding="utf-8")
    yield path, expected


def test_validate_reports_bad_values_located_in_chinese(bad_case):
    path, expected = bad_case
    assert_user_error(run("validate", str(path)), 1, *expected)


def test_timeline_reports_bad_values_located_in_chinese(bad_case):
    path, expected = bad_case
    assert_user_error(run("timeline", str(path), "--on", "2025-10-01"), 2, *expected)


def test_generate_reports_bad_values_located_in_chinese(bad_case, tmp_path):
    path, expected = bad_case
    out = tmp_path / "out"
    assert_user_error(run("generate", str(path), "--form", "agreement", "-o", str(out)), 1, *expected)
    assert not out.exists()


@pytest.mark.parametrize(("start", "n", "method"), [
    (date(9999, 12, 20), 30, "add_workdays"), (date(9999, 12, 31), 1, "add_days"),
    (date(9999, 11, 30), 3, "add_months"),
])
def test_calendar_past_9999_is_a_chinese_user_error(start, n, method):
    with pytest.raises(BeyondCalendarError, match="晚于日历支持的最后一天") as excinfo:
        getattr(WorkCalendar(), method)(start, n)
    assert isinstance(excinfo.value, OverflowError) and start.isoformat() in str(excinfo.value)


# --- output paths (D9) -------------------------------------------------------------------------

@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Mount small tmpfs file systems (``ro`` or a 1 MB one); unmounted afterwards."""
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    mounted: list[Path] = []

    def _mount(options: str) -> Path:
        where = tmp_path / f"mnt{len(mounted)}"
        where.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.decode(errors='replace').strip()}")
        mounted.append(where)
        return where

    yield _mount
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(folder: Path) -> None:
    """Fill a file system completely."""
    with (folder / "filler").open("wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass


OUTPUTS: dict[str, tuple[Callable[[Path, Callable[[str], Path]], Path], str]] = {
    "existing-regular-file": (lambda tmp, _m: _touch(tmp / "a-file.txt"), "是一个文件，不是目录"),
    "below-a-regular-file": (lambda tmp, _m: _touch(tmp / "a-file.txt") / "out", "不是目录"),
    "read-only-filesystem": (lambda _t, mount: mount("ro,size=1m"), "只读"),
    "below-read-only-filesystem": (lambda _t, mount: mount("ro,size=1m") / "new", "只读"),
    "full-disk": (lambda _t, mount: _full(mount("size=1m")), "磁盘空间不足"),
    "proc": (lambda _t, _m: Path("/proc/self/ecoclaim-out"), "无法在输出目录"),
}


def _touch(path: Path) -> Path:
    path.write_text("someone else's file", encoding="utf-8")
    return path


def _full(folder: Path) -> Path:
    _fill(folder)
    return folder


@pytest.mark.parametrize("fmt", ["docx", "md"])
@pytest.mark.parametrize("where", list(OUTPUTS), ids=list(OUTPUTS))
def test_unusable_output_is_a_chinese_user_error(tmp_path, tmpfs, where, fmt):
    make, expected = OUTPUTS[where]
    out = make(tmp_path, tmpfs)
    result = run("generate", str(example_path("guangxi")), "--all", "--format", fmt, "--zip", "-o", str(out))
    assert_user_error(result, 2, expected, str(out))
    if where == "existing-regular-file":
        assert out.read_text("utf-8") == "someone else's file"
    if out.is_dir():
        assert not list(out.glob(".ecoclaim-*"))


def test_full_disk_keeps_the_earlier_dossier(tmp_path, tmpfs):
    out = tmpfs("size=1m")
    first = run("generate", str(example_path("guangxi")), "--form", "agreement", "-o", str(out))
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _fill(out)
    result = run("generate", str(example_path("guangxi")), "--all", "--zip", "-o", str(out))
    assert_user_error(result, 2, "磁盘空间不足")
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "filler"}
    assert after == before


@pytest.mark.parametrize("where", ["existing-regular-file-parent", "read-only-filesystem", "full-disk"])
def test_check_report_output_errors_are_chinese(tmp_path, tmpfs, where):
    docx = tmp_path / "docs"
    assert run("generate", str(example_path("guangxi")), "--form", "agreement", "-o", str(docx)).returncode == 0
    if where == "existing-regular-file-parent":
        target = _touch(tmp_path / "a-file.txt") / "report.json"
    elif where == "read-only-filesystem":
        target = tmpfs("ro,size=1m") / "report.json"
    else:
        target = _full(tmpfs("size=1m")) / "report.json"
    (agreement,) = docx.glob("*.docx")
    result = run("check", str(agreement), "--format", "json", "-o", str(target))
    assert_user_error(result, 2, "无法写入", str(target))
