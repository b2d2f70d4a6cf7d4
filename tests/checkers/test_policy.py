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


OWN_RULES = """\
defaults:
  doc_types: [agreement]
  severity: warning
  category: other
rules:
  - code: DEPT-DEPOSIT
    title: 分期赔付须设履约保证金
    basis_text: 本局赔偿协议审查要点第三条：分期赔付的，应当约定履约保证金。
    patterns: ['履约保证金']
    message: 协议未约定履约保证金（本局审查要点）
    suggestion: 约定履约保证金的数额和缴纳期限。
    doc: 本局要求分期赔付的协议约定履约保证金。
    fixtures:
      pass: ['乙方于签订之日起10日内缴纳履约保证金5万元。']
      fail: ['乙方分三期支付赔偿金。']
  - code: DEPT-PUBLICITY
    title: 协议须约定向社会公开
    basis_text: 本局赔偿协议审查要点第七条：协议应当约定依法向社会公开。
    patterns: ['(?:向社会|依法)公开']
    hollow: ['不(?:予|得)?公开']
    message: 协议未约定向社会公开（本局审查要点）
    doc: 本局要求协议约定依法向社会公开。
    fixtures:
      pass: ['本协议及修复效果由甲方依法向社会公开。']
      fail: ['本协议一式四份。']
"""


@pytest.fixture
def department(tmp_path):
    (tmp_path / "规则").mkdir()
    (tmp_path / "规则" / "协议要点.yaml").write_text(OWN_RULES, encoding="utf-8")
    (tmp_path / "ecoclaim.toml").write_text('jurisdiction = "hengshui"\nrules = ["规则/*.yaml"]\n', encoding="utf-8")
    doc = tmp_path / "案卷" / "2025" / "协议.txt"
    doc.parent.mkdir(parents=True)
    doc.write_text(AGREEMENT + "乙方分三期支付赔偿金。\n", encoding="utf-8")
    return tmp_path, doc


def test_a_departments_own_rules_are_picked_up_from_a_parent_folder(department):
    _root, doc = department
    policy = find_policy(doc)
    assert [r.code for r in policy.own_rules] == ["DEPT-DEPOSIT", "DEPT-PUBLICITY"]
    report = check_file(doc)
    own = {f.rule: f for f in report.findings if f.rule.startswith("DEPT-")}
    assert set(own) == {"DEPT-DEPOSIT", "DEPT-PUBLICITY"}
    assert own["DEPT-DEPOSIT"].severity == "warning" and "本局审查要点" in own["DEPT-DEPOSIT"].message
    assert own["DEPT-DEPOSIT"].basis[0].text.startswith("本局赔偿协议审查要点第三条")
    doc.write_text(AGREEMENT + "乙方缴纳履约保证金5万元。本协议由甲方依法向社会公开。\n", encoding="utf-8")
    assert not [f for f in check_file(doc).findings if f.rule.startswith("DEPT-")]
    assert main(["playbook", str(doc.parent)]) == 0  # each rule quiet on its pass and firing on its fail examples
    doc.write_text(AGREEMENT, encoding="utf-8")
    [only_own] = check_files([doc], select=["DEPT-"])
    assert only_own.rules_fired() == {"DEPT-DEPOSIT", "DEPT-PUBLICITY"}
    assert main(["check", str(doc), "--select", "DEPT-DEPOSIT", "--format", "json", "-o", str(doc.parent / "r.json")]) == 0


def test_a_wrong_example_or_a_builtin_code_is_refused(department):
    root, doc = department
    broken = OWN_RULES.replace("fail: ['本协议一式四份。']", "fail: ['本协议由甲方依法向社会公开。']")
    (root / "规则" / "协议要点.yaml").write_text(broken, encoding="utf-8")
    _policy_in.cache_clear()
    assert main(["playbook", str(doc.parent)]) == 1
    (root / "规则" / "协议要点.yaml").write_text(OWN_RULES.replace("DEPT-DEPOSIT", "AGR-BREACH"), encoding="utf-8")
    _policy_in.cache_clear()
    with pytest.raises(UserError, match="须以 DEPT- 开头"):
        find_policy(doc)


def test_a_broken_pattern_in_a_departments_rule_is_a_clear_error(department, capsys):
    root, doc = department
    (root / "规则" / "协议要点.yaml").write_text(OWN_RULES.replace("'履约保证金'", "'(履约保证金'"), encoding="utf-8")
    _policy_in.cache_clear()
    with pytest.raises(UserError, match="不是有效的正则表达式"):
        find_policy(doc)
    assert main(["check", str(doc)]) != 0
    err = capsys.readouterr().err
    assert "不是有效的正则表达式" in err and "Traceback" not in err
