"""Two versions of an agreement compared by element, value and text (issue 12 §4)."""

from __future__ import annotations

import json

import pytest
import yaml

from casefile.validation import validate_data
from checkers.compare import compare, render_comparison
from checkers.document import from_text
from cli import main
from docgen.render.render import render_form

from ..conftest import example_path


def _text(edit=None) -> str:
    data = yaml.safe_load(example_path("guangxi").read_text("utf-8"))
    if edit:
        edit(data)
    case, problems = validate_data(data)
    assert case is not None, problems
    return render_form(case, "agreement").plain_text()


def _round_two(data: dict) -> None:
    data["agreement"]["performance"]["installments"][2]["due"] = "2026-09-30"
    data["agreement"]["breach"] = "乙方逾期支付任一期款项的，应按逾期金额每日万分之三向甲方支付违约金。"


@pytest.fixture(scope="module")
def versions() -> tuple[str, str]:
    return _text(), _text(_round_two)


def test_what_changed_between_two_rounds(versions):
    old, new = versions
    c = compare(from_text(old, "第一稿.txt"), from_text(new, "第二稿.txt"))
    changes = {e.element: e.change for e in c.elements}
    assert changes["agreement.breach"] == "changed" and changes["agreement.performance"] == "changed"
    assert changes["agreement.force_majeure"] == "unchanged" and changes["agreement.dispute_resolution"] == "unchanged"
    assert {(v.what, v.change, v.value) for v in c.values} == {("date", "removed", "2026-06-30"),
                                                                ("date", "added", "2026-09-30")}
    assert any(line.startswith("+第三期：于2026年9月30日") for line in c.text_diff)
    text = render_comparison(c, "text")
    assert "[修改] 违约责任" in text and "[新增日期] 2026-09-30" in text
    assert json.loads(render_comparison(c, "json"))["elements"]
    assert "<table>" in render_comparison(c, "html")


def test_a_deleted_clause_and_a_renamed_party(versions):
    old, _new = versions
    def edit(data: dict) -> None:
        data["obligors"][0]["name"] = "广西桂南冶炼股份有限公司"
        for agent in data.get("agents", []):
            agent["principal_obligor"] = "广西桂南冶炼股份有限公司"
        data["agreement"]["force_majeure"] = "（略）"
    new = _text(edit).replace("（三）不可抗力因素的处理\n（略）\n", "")
    c = compare(from_text(old, "a.txt"), from_text(new, "b.txt"))
    assert {e.element: e.change for e in c.elements}["agreement.force_majeure"] == "removed"
    parties = {(v.change, v.value) for v in c.values if v.what == "party"}
    assert ("added", "广西桂南冶炼股份有限公司") in parties and ("removed", "广西桂南冶炼有限公司") in parties


def test_identical_versions_have_no_changes_and_the_cli_exit_codes(versions, tmp_path):
    old, new = versions
    assert not compare(from_text(old, "a.txt"), from_text(old, "b.txt")).changed
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(old, encoding="utf-8")
    b.write_text(new, encoding="utf-8")
    assert main(["diff", str(a), str(a)]) == 0
    assert main(["diff", str(a), str(b), "--format", "json", "-o", str(tmp_path / "d.json")]) == 1
    assert json.loads((tmp_path / "d.json").read_text("utf-8"))["old"] == str(a)
    assert main(["diff", str(a), str(tmp_path / "missing.txt")]) == 2
