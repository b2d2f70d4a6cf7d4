"""Scope, route, precondition, simplified-assessment and termination checks of the timeline."""

from __future__ import annotations

from .test_timeline_helpers import case, timeline


def _checks(c, code_prefix: str, **kw):
    return [x for x in timeline(c, **kw).checks if x.code.startswith(code_prefix)]


def _basis(check) -> list[str]:
    return [b.address for b in check.basis]


def _flag(name):
    def mutate(x):
        x["incident"][name] = True
    return mutate


# -- scope -----------------------------------------------------------------------------------------


def test_in_scope_example_has_no_scope_finding():
    assert _checks(case("guangxi"), "SCOPE") == []


def test_personal_or_property_is_out_of_scope_with_route_and_both_bases():
    [c] = _checks(case("guangxi", _flag("personal_or_property")), "SCOPE")
    assert c.severity == "error" and c.category == "out_of_scope"
    assert "民法典" in c.message and _basis(c) == ["guangxi:5", "spc_eco:2"]


def test_marine_is_out_of_scope_everywhere_through_the_national_baseline():
    [c] = _checks(case("zhangye", _flag("marine")), "SCOPE")
    assert c.severity == "error" and "海洋环境保护法" in c.message and _basis(c) == ["spc_eco:2"]


def test_historical_no_liable_party_per_jurisdiction():
    [c] = _checks(case("guangxi", _flag("historical_no_liable_party")), "SCOPE")
    assert c.severity == "error" and "常态生态环境治理" in c.message and _basis(c) == ["guangxi:5"]
    # zhangye's rules (and the verified national baseline) do not list it: a warning, with references.
    [c] = _checks(case("zhangye", _flag("historical_no_liable_party")), "SCOPE")
    assert c.severity == "warning" and "hengshui:2" in _basis(c)


# -- preconditions -----------------------------------------------------------------------------------


def _no_plan(x):
    x["restoration"]["plan"] = None


def test_preconditions_met_in_xinzhou():
    assert _checks(case("guangxi", jurisdiction="xinzhou"), "PRECONDITION") == []


def test_preconditions_missing_plan_and_late_assessment_in_xinzhou():
    def late(x):
        _no_plan(x)
        x["assessment"]["delivered"] = "2025-07-25"
    found = _checks(case("guangxi", late, jurisdiction="xinzhou"), "PRECONDITION")
    assert {c.code for c in found} == {"PRECONDITION-ASSESSMENT", "PRECONDITION-RESTORATION_PLAN"}
    assert all(c.severity == "warning" and _basis(c) == ["xinzhou:三(三)"] for c in found)


def test_preconditions_elsewhere_are_information_only():
    [c] = _checks(case("guangxi", _no_plan), "PRECONDITION")
    assert c.severity == "info" and "仅供参照" in c.message


# -- simplified assessment ---------------------------------------------------------------------------


def _amounts(damage: str, investigation: str = "0", experts: int = 3):
    def mutate(x):
        a = x["assessment"]
        a["kind"] = "expert_opinion"
        a["simplified"] = True
        a["damage_amount"] = damage
        a["cost_items"] = [{"head": "restoration", "amount": damage},
                           {"head": "investigation", "amount": investigation}]
        a["experts"] = [{"name": f"专家{i}", "unit": "某大学", "position": "教授"} for i in range(experts)]
    return mutate


def test_simplified_guangxi_300000_inclusive_excluding_assessment_costs():
    [c] = _checks(case("guangxi", _amounts("300000", investigation="50000")), "SIMPLIFIED")
    assert c.severity == "info" and "符合" in c.message and _basis(c) == ["guangxi:15"]
    [c] = _checks(case("guangxi", _amounts("300000.01")), "SIMPLIFIED")
    assert c.severity == "warning" and "超过300,000元" in c.message


def test_simplified_guangxi_needs_three_experts():
    [c] = _checks(case("guangxi", _amounts("100000", experts=2)), "SIMPLIFIED")
    assert c.severity == "warning" and "少于3人" in c.message


def test_simplified_nantong_below_500000_exclusive():
    [c] = _checks(case("guangxi", _amounts("499999.99"), jurisdiction="nantong"), "SIMPLIFIED")
    assert c.severity == "info" and _basis(c) == ["nantong:(六)"]
    [c] = _checks(case("guangxi", _amounts("500000"), jurisdiction="nantong"), "SIMPLIFIED")
    assert c.severity == "warning" and "达到或超过500,000元" in c.message


# -- failed consultation and termination ---------------------------------------------------------


def test_no_reply_in_time_zhangye_means_litigation_is_due():
    def silent(x):
        for key in ("agreement", "judicial_confirmation", "enforcement"):
            x.pop(key)
        x["consultation"]["notice"]["replied"] = None
        x["consultation"]["notice"]["agreed"] = None
        x["consultation"]["meetings"] = []
    tl = timeline(case("zhangye", silent), on="2025-08-20")
    [c] = [x for x in tl.checks if x.code == "LITIGATION-DUE"]
    assert "未在规定时间内" in c.message and _basis(c) == ["zhangye:附件[4]", "spc_eco:1"]
    assert [s.status for s in tl.steps if s.code == "NOTICE-REPLY"] == ["overdue"]


def test_termination_reports_its_guangxi_14_ground():
    def terminated(x):
        x["termination"] = {"ground": "extinct", "explanation": "公司已注销且无财产", "date": "2025-08-01"}
    found = _checks(case("guangxi", terminated), "TERMINATION")
    assert [(c.code, c.severity) for c in found] == [("TERMINATION", "info"), ("TERMINATION-MATERIALS", "warning")]
    assert _basis(found[0]) == ["guangxi:14(四)"] and "无财产可供执行" in found[0].message
