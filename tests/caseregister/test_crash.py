"""A writer killed with SIGKILL in the middle of writing leaves the database consistent: the engine's
own checks pass, every case's versions are contiguous, every committed version is there and the
next writer is not blocked. (Slow layer: starts processes.)"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from caseregister import integrity
from caseregister.engine import read_session
from caseregister.models import CaseVersion

from ..conftest import ROOT, example_path
from .conftest import example_text, save_new_case, save_next

pytestmark = pytest.mark.slow
WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 4


def _run_and_kill(db_url: str, case_id: int, rng: random.Random) -> int:
    """Start a writer, let it commit a few versions, kill it -9 at a random moment; the last
    version it reported committed (all it printed before it died)."""
    proc = subprocess.Popen([sys.executable, str(WRITER), db_url, str(case_id), str(example_path("zhangye"))],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    printed: list[str] = []
    try:
        for _ in range(rng.randint(2, 5)):
            printed.append(proc.stdout.readline())
            assert printed[-1], f"写入进程提前退出：{proc.stderr.read() if proc.stderr else ''}"
        time.sleep(rng.uniform(0, 0.05))  # somewhere inside a later write
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    printed += proc.stdout.read().split()
    return int(printed[-1])


def test_sigkill_while_writing_leaves_the_database_consistent(engine: Engine, db_url: str):
    case_id = save_new_case(engine, example_text("zhangye")).case_id
    rng = random.Random(13)
    for _ in range(ROUNDS):
        reported = _run_and_kill(db_url, case_id, rng)
        assert integrity.problems(engine) == []
        with read_session(engine) as session:
            stored = session.scalar(select(func.max(CaseVersion.number)).where(CaseVersion.case_id == case_id))
        assert stored in (reported, reported + 1)  # every reported commit is there; at most one more
    with read_session(engine) as session:
        current = session.scalar(select(func.count()).select_from(CaseVersion).where(CaseVersion.case_id == case_id))
    result = save_next(engine, case_id, example_text("zhangye").replace("个体运输户", "个体户"), base=current)
    assert result.version == current + 1
    assert integrity.problems(engine) == []
