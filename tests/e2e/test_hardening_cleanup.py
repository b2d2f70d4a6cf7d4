"""D11: nothing is left behind. SIGTERM is handled like Ctrl+C (exit 143 = 128 + 15; SIGINT 130), and a
dossier never lands silently beside another case's documents."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ..conftest import example_path
from .test_cli import CLI, run
from .test_hardening_cli import assert_user_error

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")


def _processes() -> dict[int, tuple[str, int, str]]:
    """pid → (state, process group, command line) of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry.name)] = (fields[0], int(fields[2]), cmdline)
    return found


def _wait_for(condition, what: str, limit: float = 120.0):
    """Poll until ``condition()`` is truthy (a safety net for a hung run, not a timing assertion)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"gave up waiting for {what}")


def _live_group_members(pgid: int) -> list[int]:
    return [pid for pid, (state, group, _c) in _processes().items() if group == pgid and state not in "ZX"]


@needs_soffice
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"])
def test_signal_during_pdf_dossier_leaves_nothing(tmp_path, sig, code):
    tmpdir, out, cache = tmp_path / "tmp", tmp_path / "out", tmp_path / "cache"
    tmpdir.mkdir()
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "COLUMNS": "200", "TMPDIR": str(tmpdir),
           "XDG_CACHE_HOME": str(cache), "HOME": str(tmp_path)}
    if "ECOCLAIM_TODAY" in os.environ:
        env["ECOCLAIM_TODAY"] = os.environ["ECOCLAIM_TODAY"]
    child = subprocess.Popen([*CLI, "generate", str(example_path("guangxi")), "--all", "--format", "pdf",
                              "-o", str(out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Mid-run: LibreOffice is converting (its process runs with this run's profile).
        profile = _wait_for(lambda: next(tmpdir.glob("ecoclaim-lo-*"), None), "the LibreOffice profile")
        soffice = _wait_for(lambda: [(pid, group) for pid, (_s, group, cmd) in _processes().items()
                                     if str(profile) in cmd and pid != child.pid], "soffice to start")
        assert next(out.glob(".ecoclaim-*"), None) is not None  # the staging folder exists now
        child.send_signal(sig)
        stdout, stderr = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == code, stdout + stderr
    assert "Traceback" not in stderr and "内部错误" not in stderr
    assert not list(out.glob(".ecoclaim-*"))
    assert not [p for p in out.iterdir()]  # nothing was committed, no partial file
    assert not list(tmpdir.iterdir())  # no ecoclaim-lo-* profile, nothing else
    for _pid, pgid in soffice:  # no orphan: soffice's whole process group is gone
        _wait_for(lambda pgid=pgid: not _live_group_members(pgid), f"process group {pgid} to end", limit=30)


def test_another_case_dossier_in_the_output_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    first = run("generate", str(example_path("guangxi")), "--form", "agreement", "-o", str(out))
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = run("generate", str(example_path("zhangye")), "--all", "-o", str(out))
    assert_user_error(result, 2, "另一案件", str(out))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # untouched, nothing added


def test_unrecognised_manifest_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("{ not json", encoding="utf-8")
    (out / "someone-else.docx").write_bytes(b"x")
    result = run("generate", str(example_path("guangxi")), "--form", "agreement", "-o", str(out))
    assert_user_error(result, 2, "无法识别的清单")
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "someone-else.docx"]


def test_same_case_regeneration_names_what_the_new_manifest_no_longer_lists(tmp_path):
    out = tmp_path / "out"
    assert run("generate", str(example_path("guangxi")), "--all", "-o", str(out)).returncode == 0
    earlier = {d["file"] for d in json.loads((out / "manifest.json").read_text("utf-8"))["documents"]}
    result = run("generate", str(example_path("guangxi")), "--form", "agreement", "-o", str(out))
    assert result.returncode == 0, result.stderr
    now = {d["file"] for d in json.loads((out / "manifest.json").read_text("utf-8"))["documents"]}
    assert len(now) == 1 and now < earlier
    assert "本次未重新生成" in result.stdout
    for name in earlier - now:
        assert name in result.stdout
