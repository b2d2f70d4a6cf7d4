"""Shared fixtures: paths to the bundled examples and a helper to mutate them."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

# Machines here set PYTHONDONTWRITEBYTECODE=1: the suite keeps its compiled, assertion-rewritten modules
# anyway (in __pycache__, ignored by git), so a second run does not compile ~400 modules again.
sys.dont_write_bytecode = False

#: "Today" for the whole suite and every process it starts (ecokernel.clock's one hook): no result may
#: depend on the day the tests run. Tests that need another day pass it explicitly (``on=``, ``--on``).
TEST_TODAY = "2026-12-06"
os.environ["ECOCLAIM_TODAY"] = TEST_TODAY
#: The register's password hashes use the cheap argon2id set in this process (caseregister.passwords):
#: several hundred hashes at 64 MiB and 3 passes each cost ~10 s of the fast layer. One test checks the
#: standard set; CLI subprocesses (``cli_env``) use it.
os.environ["ECOCLAIM_PASSWORD_HASH"] = "test"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def cli_env(**extra: str) -> dict[str, str]:
    """A minimal environment for a CLI subprocess that keeps the pinned "today" (and nothing else
    of the test process's environment)."""
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "ECOCLAIM_TODAY": TEST_TODAY, **extra}


def example_path(prefix: str) -> Path:
    """The first bundled example whose file name starts with ``prefix`` (guangxi, zhangye, hengshui)."""
    return next(p for p in EXAMPLES if p.name.startswith(prefix))


def example_data(prefix: str) -> dict[str, Any]:
    return yaml.safe_load(example_path(prefix).read_text("utf-8"))


@pytest.fixture
def write_case(tmp_path: Path):
    """Write case data (dict or text) to a temporary .yaml file and return its path."""

    def _write(data: Any, name: str = "case.yaml") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


# -- layers ---------------------------------------------------------------------------------------
# The fast layer (`pytest -m "not slow" -n 2`, both cores) is everything in-process. The slow
# layer starts something: LibreOffice, a browser, a server, a CLI subprocess, or runs fuzz, load and
# scaling measurements. Whole modules are listed here; single tests in fast modules carry
# `@pytest.mark.slow` themselves.
SLOW_MODULES = frozenset({
    "test_cli", "test_generate_cli", "test_timeline_cli", "test_readme", "test_new_element",  # subprocesses
    "test_pdf", "test_hardening_reference_docx", "test_hardening_cleanup", "test_hardening_cli",  # LibreOffice
    "test_service", "test_service_server", "test_service_socket", "test_service_admission",  # real HTTP
    "test_service_fuzz",  # fuzz
    "test_web", "test_web_daily",  # headless Chromium
    # the register over real HTTP (a uvicorn server per module) and in a browser, its CLI in subprocesses
    "test_register_write", "test_register_service", "test_web_register", "test_web_casework", "test_web_exports",
    "test_exports_cli", "test_db_cli", "test_crash",
})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
