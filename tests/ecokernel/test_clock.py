"""No result depends on the day the suite runs: "today" comes from one hook (ecokernel.clock), the
suite pins it, and generated documents are written as of a constant date."""

from __future__ import annotations

import ast
from datetime import date

import pytest

from checkers.rules.explain import rule_markdown
from checkers.rules.registry import load_rules
from ecokernel import clock
from ecokernel.errors import UserError

from ..conftest import ROOT, TEST_TODAY

SOURCE_DIRS = ["ecokernel", "corpus", "casefile", "procedure", "checkers", "docgen", "service", "templates",
               "caseregister"]


def _calls_to_today() -> list[str]:
    """Every ``date.today()`` call in the product's source, as file:line. (``datetime.now()`` stays
    allowed: it stamps *when* a file was made, e.g. a manifest, and decides nothing.)"""
    found = []
    files = [p for d in SOURCE_DIRS for p in (ROOT / d).rglob("*.py")] + [ROOT / "cli.py"]
    for path in files:
        if path == ROOT / "ecokernel" / "clock.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "today" \
                    and isinstance(node.func.value, ast.Name | ast.Attribute) \
                    and (getattr(node.func.value, "id", None) or getattr(node.func.value, "attr", None)) in (
                        "date", "datetime"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_today_is_asked_only_through_the_clock():
    assert _calls_to_today() == []


def test_the_suite_runs_on_the_pinned_day():
    assert clock.today() == date.fromisoformat(TEST_TODAY)


def test_the_hook_moves_today_and_refuses_nonsense(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2031-02-03")
    assert clock.today() == date(2031, 2, 3)
    monkeypatch.setenv(clock.ENV, "明天")
    with pytest.raises(UserError, match="ECOCLAIM_TODAY"):
        clock.today()


@pytest.mark.parametrize("code", ["REG-STATUS", "AGR-BREACH"])
def test_generated_rule_docs_do_not_change_with_the_day(monkeypatch, code):
    rule = load_rules()[code]
    monkeypatch.setenv(clock.ENV, "2026-01-01")
    before = rule_markdown(rule)
    monkeypatch.setenv(clock.ENV, "2031-12-31")
    assert rule_markdown(rule) == before
