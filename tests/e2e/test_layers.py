"""The import graph between the top-level packages runs one way (issue 9): the kernel knows
nothing of the law, the law nothing of cases, drafting or reviewing; the reviewing side never
imports the drafting side. Function-local imports count as much as module-level ones: a cycle
hidden inside a function is still a cycle.

The HTTP service is the layer over every lower package, the case register included (its web
login, 台账 and case pages); the register never imports the service."""

from __future__ import annotations

import ast
from pathlib import Path

from ..conftest import ROOT

#: package → the project packages it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "ecokernel": set(),
    "ecodoc": {"ecokernel"},
    "corpus": {"ecokernel"},
    "casefile": {"ecokernel", "corpus"},
    "procedure": {"ecokernel", "corpus", "casefile"},
    "checkers": {"ecokernel", "ecodoc", "corpus", "casefile"},
    "docgen": {"ecokernel", "ecodoc", "corpus", "casefile", "procedure"},
    "templates": set(),
    "caseregister": {"ecokernel", "ecodoc", "corpus", "casefile", "procedure", "docgen"},
    "service": {"ecokernel", "ecodoc", "corpus", "casefile", "procedure", "checkers", "docgen", "templates", "caseregister"},
    "cli": {"ecokernel", "ecodoc", "corpus", "casefile", "procedure", "checkers", "docgen", "templates", "service",
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


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports when it runs, at any depth, ``if TYPE_CHECKING:`` blocks
    aside; ``from package import name`` counts as the submodule when ``name`` is one."""
    tree = ast.parse(path.read_text("utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING"
                   for n in ast.walk(node)}
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in modules}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    found.add(f"{base}.{alias.name}")
                elif base in modules:
                    found.add(base)
    return found


def test_no_module_cycle_hidden_in_a_function():
    """Inside each package too, modules import one way: no cycle between modules, counting imports
    deferred into functions (type-only imports aside). Deferral is for start-up time, not for
    breaking a cycle."""
    paths = [p for ps in _package_files().values() for p in ps]
    modules = {_module_name(p) for p in paths}
    graph = {_module_name(p): _runtime_imports(p, modules) - {_module_name(p)} for p in paths}
    # a package's __init__ re-exporting its own submodule is not a dependency of that submodule on it
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(module: str, stack: list[str]) -> None:
        state[module] = 1
        for dep in sorted(graph.get(module, ())):
            if state.get(dep) == 1:
                cycles.append(" → ".join([*stack[stack.index(dep):], dep]))
            elif dep not in state:
                visit(dep, [*stack, dep])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []
