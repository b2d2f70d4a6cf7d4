"""The import graph between the top-level packages runs one way (issue 9): the kernel knows
nothing of the law, the law nothing of cases, drafting or reviewing; the reviewing side never
imports the drafting side. Function-local imports count as much as module-level ones: a cycle
hidden inside a function is still a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

from ..conftest import ROOT

#: package → the project packages it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "ecokernel": set(),
    "corpus": {"ecokernel"},
    "casefile": {"ecokernel", "corpus"},
    "procedure": {"ecokernel", "corpus", "casefile"},
    "checkers": {"ecokernel", "corpus", "casefile"},
    "docgen": {"ecokernel", "corpus", "casefile", "procedure"},
    "templates": set(),
    "caseregister": {"ecokernel", "corpus", "casefile", "procedure"},
    "service": {"ecokernel", "corpus", "casefile", "procedure", "checkers", "docgen", "templates"},
    "cli": {"ecokernel", "corpus", "casefile", "procedure", "checkers", "docgen", "templates", "service",
            "caseregister"},
}


def _package_files() -> dict[str, list[Path]]:
    files = {pkg: sorted((ROOT / pkg).rglob("*.py")) for pkg in ALLOWED if (ROOT / pkg).is_dir()}
    files["cli"] = [ROOT / "cli.py"]
    return files


def _imports(path: Path) -> set[str]:
    """The top-level names of every absolute import in ``path``, at any depth."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_every_package_is_declared():
    top = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {"tests", "bench", "tools"}
    assert top <= set(ALLOWED)


def test_imports_run_one_way():
    wrong = []
    for pkg, paths in _package_files().items():
        for path in paths:
            for name in _imports(path) & set(ALLOWED):
                if name != pkg and name not in ALLOWED[pkg]:
                    wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert wrong == []


def test_the_allowed_graph_has_no_cycle():
    seen: dict[str, int] = {}

    def visit(pkg: str, stack: tuple[str, ...]) -> None:
        assert pkg not in stack, " → ".join((*stack, pkg))
        if seen.get(pkg):
            return
        for dep in ALLOWED[pkg]:
            visit(dep, (*stack, pkg))
        seen[pkg] = 1

    for pkg in ALLOWED:
        visit(pkg, ())


def test_no_functools_cached_property():
    """functools.cached_property holds one lock per property shared by all instances on Python 3.11
    (RELIABILITY-REVIEW D2): use ecokernel.memo.cached_attribute."""
    users = [f"{path.relative_to(ROOT)}" for paths in _package_files().values() for path in paths
             if "cached_property" in path.read_text("utf-8") and path.name != "memo.py"]
    assert users == []
