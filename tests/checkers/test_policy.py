"""Department playbooks (ecoclaim.toml / [tool.ecoclaim]) and accepted findings (issue 12 §2)."""

from __future__ import annotations

import json

import pytest

from checkers.check import check_file, check_files
from checkers.policy import _policy_in, find_policy
from checkers.report import render
from cli import main
from ecokernel.errors import UserError

AGREEMENT = "生态环境损害赔偿协议\n甲方：南宁市生态环境局\n乙方：广西某某化工有限公司\n乙方应于2025年5月1日前支付赔偿金。\n"


@pytest.fixture
def office(tmp_path):
    """A department folder with a playbook and a case folder below it."""
    (tmp_path / "ecoclaim.toml").write_text(
        'jurisdiction = "guangxi"\nignore = ["REG-STATUS"]\n[severity]\nAGR-BREACH = "warning"\n', encoding="utf-8")
    case = tmp_path / "2025-07号案" / "磋商"
    case.mkdir(parents=True)
    doc = case / "协议.txt"
    doc.write_text(AGREEMENT, encoding="utf-8")
    return tmp_path, doc


def test_the_nearest_playbook_above_the_file_applies(office):
    root, doc = office
    policy = find_policy(doc)
    assert policy.source == str(root / "ecoclaim.toml") and policy.jurisdiction == "guangxi"
    report = check_file(doc)
    assert report.jurisdiction == "guangxi" and any("审查配置" in n for n in report.notes)
    breach = [f for f in report.findings if f.rule == "AGR-BREACH"]
    assert breach and breach[0].severity == "warning"  # reweighed by the department
    assert "REG-STATUS" not in report.rules_fired()
    (doc.parent / "pyproject.toml").write_text('[tool.ecoclaim]\nselect = ["AGR-BREACH"]\n', encoding="utf-8")
    _policy_in.cache_clear()  # playbooks are read once per folder and run
    nearer = check_file(doc)  # a nearer [tool.ecoclaim] wins over the department's file
    assert nearer.rules_fired() == {"AGR-BREACH"} and nearer.findings[0].severity == "error"
    assert nearer.coverage.passed + nearer.coverage.failed + nearer.coverage.not_evaluated == 1


def test_command_line_select_and_ignore_override_the_playbook(office):
    _root, doc = office
    [report] = check_files([doc], ignore=["AGR-"])
    assert not any(code.startswith("AGR-") for code in report.rules_fired())
    [only] = check_files([doc], select=["AGR-BREACH", "AGR-DISPUTE"])
    assert only.rules_fired() <= {"AGR-BREACH", "AGR-DISPUTE"} and only.rules_fired()
    assert main(["check", str(doc), "--select", "NOT-A-RULE"]) == 2


def test_a_broken_playbook_is_a_clear_error(tmp_path):
    (tmp_path / "ecoclaim.toml").write_text('jurisdiction = "atlantis"\n', encoding="utf-8")
    with pytest.raises(UserError, match="未知辖区“atlantis”"):
        find_policy(tmp_path)
    bad = tmp_path / "sub"
    bad.mkdir()
    (bad / "ecoclaim.toml").write_text('selct = ["AGR-"]\n', encoding="utf-8")
    with pytest.raises(UserError, match="selct"):
        find_policy(bad)


def test_an_accepted_finding_is_reported_as_such_until_the_document_changes(office):
    _root, doc = office
    assert main(["accept", str(doc), "AGR-BREACH", "--reason", "违约责任另行签订补充协议约定", "--by", "法规处"]) == 0
    report = check_file(doc)
    assert "AGR-BREACH" not in report.rules_fired()
    [accepted] = report.accepted
    assert accepted.finding.rule == "AGR-BREACH" and accepted.reason == "违约责任另行签订补充协议约定"
    assert report.coverage.accepted == 1
    data = json.loads(render([report], "json"))
    assert data["accepted"][0]["accepted"]["reason"] == "违约责任另行签订补充协议约定"
    assert data["findings"] == [f.to_dict() for f in report.findings]  # the contract's list is unchanged
    sarif = json.loads(render([report], "sarif"))
    suppressed = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["AGR-BREACH"]
    assert suppressed[0]["suppressions"][0]["justification"] == "违约责任另行签订补充协议约定"
    assert "已接受" in render([report], "text") and "已接受" in render([report], "html")
    doc.write_text(AGREEMENT + "（修改稿）\n", encoding="utf-8")
    assert "AGR-BREACH" in check_file(doc).rules_fired()  # another version: reported again


def test_accepting_needs_a_known_rule_and_a_reason(office):
    _root, doc = office
    assert main(["accept", str(doc), "NO-SUCH-RULE", "--reason", "理由充分"]) == 2
    assert main(["accept", str(doc), "AGR-BREACH", "--reason", " "]) == 2
