"""Deadline rules: for each rule a case that passes and one that fails, on the real calendar."""

from __future__ import annotations

import pytest

from procedure.timeline.rules import load_rules, parse_rules

from .test_timeline_helpers import addresses, case, d, only_clue, step, timeline

# -- the example ----------------------------------------------------------------------------------


def test_guangxi_example_every_step_has_due_done_status_basis():
    tl = timeline(case("guangxi"))
    codes = [s.code for s in tl.steps]
    assert codes[:7] == ["PRELIM-CHECK", "INVESTIGATION", "OBJECTION-ANSWER", "CONSULTATION-PERIOD",
                         "MEETINGS-MAX", "AGREEMENT-SIGN", "CONFIRMATION-NOTICE"]
    assert codes.count("INSTALLMENT") == 3 and "ENFORCEMENT-APPLICATION" in codes
    for s in tl.steps:
        assert (s.status_label and s.basis) or s.kind == "fixed", s
    assert step(tl, "AGREEMENT-SIGN").status == "in_time"
    assert step(tl, "AGREEMENT-SIGN").due == d("2025-09-09")
    assert tl.stage.code == "performance"


def test_rule_data_loads_and_is_validated():
    rules = load_rules()
    assert {r.code for r in rules.rules} >= {"PRELIM-CHECK", "AGREEMENT-SIGN", "ENFORCEMENT-APPLICATION"}
    with pytest.raises(ValueError, match="needs param"):
        parse_rules("rules:\n  - {code: X, title: x, kind: period, start: [{path: clue.received, label: a}]}\n")
    with pytest.raises(ValueError, match="invalid path"):
        parse_rules("rules:\n  - {code: X, title: x, kind: fixed, due: [{path: 'a..b', label: a}]}\n")


# -- preliminary check ---------------------------------------------------------------------------


def test_prelim_check_guangxi_5_working_days_in_time_and_late():
    ok = step(timeline(case("guangxi")), "PRELIM-CHECK")
    assert (ok.due, ok.status, addresses(ok)) == (d("2025-03-27"), "in_time", ["guangxi:12"])
    late = step(timeline(case("guangxi", lambda x: only_clue(x, "2025-03-20", "2025-03-31"))), "PRELIM-CHECK")
    assert late.status == "late" and late.days == 2 and late.status_label == "逾期2个工作日"


def test_prelim_check_over_national_day_ends_on_a_makeup_saturday():
    # 2026-09-28 + 5 working days: 09-29, 09-30, (10-01..10-07 off), 10-08, 10-09, 10-10 (调休 Saturday).
    s = step(timeline(case("guangxi", lambda x: only_clue(x, "2026-09-28", "2026-10-10"))), "PRELIM-CHECK")
    assert (s.due, s.status) == (d("2026-10-10"), "in_time")
    s = step(timeline(case("guangxi", lambda x: only_clue(x, "2026-09-28", "2026-10-12"))), "PRELIM-CHECK")
    assert (s.status, s.days, s.day_unit) == ("late", 1, "工作日")


def test_prelim_check_around_spring_festival_counts_makeup_saturday():
    # 2026-02-11 (Wed): 02-12, 02-13, 02-14 (调休 Saturday), 春节 02-15..02-23, 02-24, 02-25.
    s = step(timeline(case("guangxi", lambda x: only_clue(x, "2026-02-11", None)), on="2026-02-20"),
             "PRELIM-CHECK")
    assert (s.due, s.status, s.days) == (d("2026-02-25"), "due", 5)
    assert s.status_label == "还有5日到期"


def test_prelim_check_open_and_overdue_in_working_days():
    s = step(timeline(case("guangxi", lambda x: only_clue(x, "2026-11-02", None)), on="2026-11-23"),
             "PRELIM-CHECK")
    assert s.due == d("2026-11-09") and s.status == "overdue" and s.status_label == "已逾期10个工作日"


def test_prelim_check_zhangye_30_days_ending_on_national_day_moves():
    s = step(timeline(case("zhangye", lambda x: only_clue(x, "2026-09-01", "2026-10-08"))), "PRELIM-CHECK")
    assert s.moved_from == d("2026-10-01") and s.due == d("2026-10-08") and s.status == "in_time"
    assert {"zhangye:9", "minfadian:203"} <= set(addresses(s))
    s = step(timeline(case("zhangye", lambda x: only_clue(x, "2026-09-01", "2026-10-09"))), "PRELIM-CHECK")
    assert (s.status, s.days, s.status_label) == ("late", 1, "逾期1日")


def test_prelim_check_nantong_30_days():
    s = step(timeline(case("guangxi", lambda x: only_clue(x, "2026-03-02", "2026-04-02"), jurisdiction="nantong")),
             "PRELIM-CHECK")
    assert s.due == d("2026-04-01") and s.status == "late" and addresses(s)[0] == "nantong:(二)¶2"


# -- investigation -------------------------------------------------------------------------------


def test_investigation_excludes_assessment_span():
    s = step(timeline(case("guangxi")), "INVESTIGATION")
    # claim start 2025-03-28 + 60 days + 71 days of assessment (04-10 → 06-20) = 2025-08-06.
    assert s.due == d("2025-08-06") and s.status == "in_time"
    assert any("扣除2025-04-10至2025-06-20共71日" in n for n in s.notes)
    assert "guangxi:13" in addresses(s)


def _no_assessment_dates(x):
    x["assessment"]["commissioned"] = None
    x["assessment"]["delivered"] = None


def test_investigation_without_exclusion_is_late():
    s = step(timeline(case("guangxi", _no_assessment_dates)), "INVESTIGATION")
    assert s.due == d("2025-05-27") and s.status == "late" and s.days == 44


def test_investigation_extension_of_30_days():
    def extended(x):
        _no_assessment_dates(x)
        x["investigation"]["end"] = "2025-06-20"
        x["investigation"]["extension"] = {"days": 30, "approved_by": "局长", "approved_on": "2025-05-20"}

    s = step(timeline(case("guangxi", extended)), "INVESTIGATION")
    assert s.due == d("2025-06-26") and s.status == "in_time"
    assert any("延长30日" in n for n in s.notes)

    def too_long(x):
        extended(x)
        x["investigation"]["extension"]["days"] = 45

    s = step(timeline(case("guangxi", too_long)), "INVESTIGATION")
    assert s.due == d("2025-06-26") and any("超过可延长的30日" in n for n in s.notes)


def test_investigation_paused_while_assessment_runs():
    def running(x):
        x["investigation"]["end"] = None
        x["assessment"]["delivered"] = None

    s = step(timeline(case("guangxi", running), on="2025-06-01"), "INVESTIGATION")
    assert s.status == "paused" and s.due == d("2025-03-28") + (d("2025-06-01") - d("2025-04-10")) + \
        (d("2025-05-27") - d("2025-03-28"))


# -- objection ------------------------------------------------------------------------------------


def _objection(raised, answered):
    def mutate(x):
        x["assessment"]["objection"] = {"raised": raised, "answered": answered, "raised_by": "赔偿义务人"}
    return mutate


def test_objection_answer_10_working_days_over_national_day():
    s = step(timeline(case("guangxi", _objection("2026-09-28", "2026-10-16"))), "OBJECTION-ANSWER")
    assert (s.due, s.status, addresses(s)) == (d("2026-10-16"), "in_time", ["guangxi:16"])
    s = step(timeline(case("guangxi", _objection("2026-09-28", "2026-10-19"))), "OBJECTION-ANSWER")
    assert (s.status, s.status_label) == ("late", "逾期1个工作日")


# -- notice reply ---------------------------------------------------------------------------------


def test_notice_reply_zhangye_5_working_days():
    s = step(timeline(case("zhangye")), "NOTICE-REPLY")
    assert (s.due, s.status, addresses(s)) == (d("2025-08-13"), "in_time", ["zhangye:附件[4]"])

    def late(x):
        x["consultation"]["notice"]["replied"] = "2025-08-15"
    s = step(timeline(case("zhangye", late)), "NOTICE-REPLY")
    assert (s.status, s.days, s.day_unit) == ("late", 2, "工作日")


def test_notice_reply_not_applicable_in_guangxi_unless_the_notice_sets_a_deadline():
    assert not [s for s in timeline(case("guangxi")).steps if s.code == "NOTICE-REPLY"]

    def deadline(x):
        x["consultation"]["notice"]["reply_deadline"] = "2025-07-23"
    s = step(timeline(case("guangxi", deadline)), "NOTICE-REPLY")
    assert s.status == "late" and "guangxi:22(一)" in addresses(s)


# -- consultation ---------------------------------------------------------------------------------


def _no_agreement(x):
    for key in ("agreement", "judicial_confirmation", "enforcement"):
        x.pop(key, None)
    x["consultation"]["outcome"] = "ongoing"
    for m in x["consultation"]["meetings"]:
        m["agreed"] = False


def test_consultation_period_90_days_from_service():
    s = step(timeline(case("guangxi")), "CONSULTATION-PERIOD")
    assert s.due == d("2025-10-20") and s.moved_from == d("2025-10-19") and s.status == "in_time"
    tl = timeline(case("guangxi", _no_agreement), on="2025-11-01")
    s = step(tl, "CONSULTATION-PERIOD")
    assert s.status == "overdue" and s.days == 12
    [lit] = [c for c in tl.checks if c.code == "LITIGATION-DUE"]
    assert "超过磋商期限" in lit.message and "guangxi:22(六)" in [b.address for b in lit.basis]


def test_consultation_period_into_2027_is_marked_then_uses_user_schedule():
    def late_2026(x):
        _no_agreement(x)
        x["consultation"]["notice"]["served"] = "2026-11-10"
        x["consultation"]["notice"]["issued"] = "2026-11-09"
        x["consultation"]["notice"]["replied"] = None
        x["consultation"]["meetings"] = []

    s = step(timeline(case("guangxi", late_2026)), "CONSULTATION-PERIOD")
    assert s.due == d("2027-02-08") and s.estimated and [w.code for w in s.warnings] == ["unknown_year"]
    s = step(timeline(case("guangxi", late_2026), holidays=True), "CONSULTATION-PERIOD")
    # Example schedule: 春节 2027-02-05..02-13, make-up working Sunday 02-14.
    assert s.due == d("2027-02-14") and s.moved_from == d("2027-02-08") and not s.estimated
    assert [w.code for w in s.warnings] == ["user_schedule"]
    assert s.warnings[0].message.startswith("【示例数据")


def test_meetings_at_most_three_unless_complex_case_approved():
    def four(x):
        meetings = x["consultation"]["meetings"]
        extra = [dict(meetings[0], date=day, agreed=False) for day in ("2025-08-08", "2025-08-12")]
        x["consultation"]["meetings"] = [meetings[0], *extra, meetings[1]]

    assert step(timeline(case("guangxi")), "MEETINGS-MAX").status == "ok"
    s = step(timeline(case("guangxi", four)), "MEETINGS-MAX")
    assert s.status == "violated" and s.done.date == d("2025-08-19") and s.category == "meetings_over_limit"
    assert "guangxi:20" in addresses(s)

    def approved(x):
        four(x)
        x["consultation"]["complex_case_approved"] = True
    assert step(timeline(case("guangxi", approved)), "MEETINGS-MAX").status == "ok"


def test_three_rounds_without_agreement_means_litigation_is_due():
    def three(x):
        _no_agreement(x)
        meetings = x["consultation"]["meetings"]
        x["consultation"]["meetings"] = [*meetings, dict(meetings[0], date="2025-09-02")]

    tl = timeline(case("guangxi", three), on="2025-09-10")
    [lit] = [c for c in tl.checks if c.code == "LITIGATION-DUE"]
    assert "次数上限" in lit.message and "guangxi:22(五)" in [b.address for b in lit.basis]
    assert any(n.step == "LITIGATION-DUE" for n in tl.next)


def test_litigation_filed_is_reported_not_due():
    def failed(x):
        _no_agreement(x)
        x["consultation"]["outcome"] = "failed"
        x["consultation"]["failure_ground"] = "refused"
        x["consultation"]["litigation_filed"] = "2025-09-20"

    tl = timeline(case("guangxi", failed))
    assert [c.code for c in tl.checks if c.code.startswith("LITIGATION")] == ["LITIGATION"]
    assert step(tl, "CONSULTATION-PERIOD").status == "closed"
    assert tl.stage.code == "litigation"


def test_agreement_within_15_working_days_after_the_meeting():
    def twenty(x):
        x["agreement"]["date"] = "2025-09-16"  # 20 working days after 2025-08-19
    s = step(timeline(case("guangxi", twenty)), "AGREEMENT-SIGN")
    assert (s.due, s.status, s.days, s.day_unit) == (d("2025-09-09"), "late", 5, "工作日")
    assert addresses(s) == ["guangxi:21"] and s.category == "deadline_missed"


def test_agreement_step_not_yet_applicable_before_any_agreement():
    s = step(timeline(case("guangxi", _no_agreement), on="2025-08-25"), "AGREEMENT-SIGN")
    assert s.status == "pending" and s.status_label == "未到"


# -- judicial confirmation ------------------------------------------------------------------------


def test_confirmation_notice_at_least_30_days():
    s = step(timeline(case("guangxi")), "CONFIRMATION-NOTICE")
    assert s.status == "ok" and addresses(s) == ["spc_eco:20"]

    def short(x):
        x["judicial_confirmation"]["notice_to"] = "2025-10-05"
        x["judicial_confirmation"]["ruling_date"] = "2025-10-08"
    s = step(timeline(case("guangxi", short)), "CONFIRMATION-NOTICE")
    assert s.status == "violated" and "仅23日" in s.status_label and "早于公告期满" in s.status_label


# -- performance and enforcement ------------------------------------------------------------------


def _paid(*days):
    def mutate(x):
        for inst, day in zip(x["agreement"]["performance"]["installments"], days, strict=False):
            inst["paid"] = day
    return mutate


def test_installments_paid_in_time_late_and_open():
    tl = timeline(case("guangxi", _paid("2025-09-30", "2026-02-02", "2026-07-03")))
    first, second, third = (step(tl, "INSTALLMENT", i) for i in range(3))
    assert first.status == "in_time"
    # 2026-01-31 is a Saturday: the last day moves to Monday 02-02 (minfadian:203).
    assert second.moved_from == d("2026-01-31") and second.status == "in_time"
    assert "minfadian:203" in addresses(second)
    assert (third.status, third.days) == ("late", 3)
    s = step(timeline(case("guangxi"), on="2025-09-20"), "INSTALLMENT")
    assert (s.status, s.days) == ("due", 10)


def test_enforcement_period_two_years_from_last_instalment():
    s = step(timeline(case("guangxi")), "ENFORCEMENT-APPLICATION")
    assert s.start.date == d("2026-06-30") and s.due == d("2028-06-30") and s.status == "due"
    assert s.estimated and addresses(s)[0] == "minsufa:250"
    s = step(timeline(case("guangxi"), on="2028-07-03"), "ENFORCEMENT-APPLICATION")
    assert s.status == "overdue"
    s = step(timeline(case("guangxi", _paid("2025-09-30", "2026-01-30", "2026-06-30"))), "ENFORCEMENT-APPLICATION")
    assert s.status == "closed"


def test_enforcement_applied_in_time_zhangye():
    s = step(timeline(case("zhangye")), "ENFORCEMENT-APPLICATION")
    assert s.status == "in_time" and s.done.date == d("2025-12-15")


def test_enforcement_not_yet_applicable_without_ruling():
    s = step(timeline(case("hengshui")), "ENFORCEMENT-APPLICATION")
    assert s.status == "pending" and "尚无司法确认裁定" in s.notes[0]


def test_court_decides_within_30_days_after_the_notice():
    """Issue 11 §5: minsufa:187, 30 days after the public notice ends (guangxi: notice ends 2025-10-12)."""
    s = step(timeline(case("guangxi")), "CONFIRMATION-DECISION")
    assert (s.start.date, s.due, s.status) == (d("2025-10-12"), d("2025-11-11"), "in_time")
    assert addresses(s)[:2] == ["minsufa:187", "minsufa:184"] and s.limit.text == "30日"

    def late_ruling(x):
        x["judicial_confirmation"]["ruling_date"] = "2025-11-20"
    s = step(timeline(case("guangxi", late_ruling)), "CONFIRMATION-DECISION")
    assert (s.status, s.days) == ("late", 9)

    def no_ruling(x):
        for key in ("ruling_number", "ruling_date", "confirmed"):
            x["judicial_confirmation"].pop(key)
    s = step(timeline(case("guangxi", no_ruling), on="2025-11-01"), "CONFIRMATION-DECISION")
    assert (s.status, s.days) == ("due", 10)


def test_objection_window_15_days_is_a_window_not_a_duty():
    """Issue 11 §5: minsufa_jieshi:372¶2, 15 days; once passed it is 已届满, never overdue."""
    s = step(timeline(case("guangxi"), on="2025-10-30"), "CONFIRMATION-OBJECTION")
    # ruling 2025-10-24 + 15 = 11-08, a Saturday → Monday 11-10 (minsufa:85)
    assert (s.due, s.moved_from, s.status, s.status_label) == (d("2025-11-10"), d("2025-11-08"), "due",
                                                                 "还有11日届满")
    assert addresses(s)[0] == "minsufa_jieshi:372" and "未记载送达日期" in s.start.label
    s = step(timeline(case("guangxi")), "CONFIRMATION-OBJECTION")
    assert (s.status, s.status_label) == ("closed", "已届满（未记载异议）")


def test_enforcement_period_also_runs_from_the_restoration_deadline():
    """Issue 11 §5: minsufa:250 from the restoration deadline when the obligor owes the restoration."""
    s = step(timeline(case("guangxi")), "ENFORCEMENT-APPLICATION-RESTORATION")
    assert (s.start.date, s.due, s.status) == (d("2026-06-30"), d("2028-06-30"), "due")
    assert addresses(s)[0] == "minsufa:250"

    def later(x):
        x["restoration"]["deadline"] = "2027-03-31"
    s = step(timeline(case("guangxi", later)), "ENFORCEMENT-APPLICATION-RESTORATION")
    assert (s.start.date, s.due) == (d("2027-03-31"), d("2029-04-02"))  # 2029-03-31 is a Saturday

    def done(x, passed):
        x["restoration"]["completed"] = "2026-06-20"
        x["restoration"]["effect_passed"] = passed
    assert step(timeline(case("guangxi", lambda x: done(x, True))), "ENFORCEMENT-APPLICATION-RESTORATION"
                ).status == "closed"
    assert step(timeline(case("guangxi", lambda x: done(x, False))), "ENFORCEMENT-APPLICATION-RESTORATION"
                ).status == "due"  # the effect assessment found it short: the duty is still owed

    def not_a_duty(x):
        x["agreement"]["performance"]["restoration_by_obligor"] = False
    assert "ENFORCEMENT-APPLICATION-RESTORATION" not in [s.code for s in timeline(case("guangxi", not_a_duty)).steps]


def test_restoration_and_effect_assessment_deadlines():
    def done(x):
        x["restoration"]["completed"] = "2026-06-20"
        x["restoration"]["effect_assessed"] = "2026-10-09"
    tl = timeline(case("guangxi", done))
    assert step(tl, "RESTORATION").status == "in_time"
    assert step(tl, "EFFECT-ASSESSMENT").status == "late"
    assert "guangxi:29" in addresses(step(tl, "EFFECT-ASSESSMENT"))


def test_terminated_case_closes_open_steps():
    def terminated(x):
        only_clue(x, "2026-11-02", None)
        x["claim_start"] = {"date": "2026-11-04", "reason": "启动"}
        x["termination"] = {"ground": "minor", "explanation": "损害显著轻微", "date": "2026-11-06",
                            "supporting_materials": ["监测报告"]}
    tl = timeline(case("guangxi", terminated))
    assert step(tl, "PRELIM-CHECK").status == "in_time"  # claim start counts as the check concluded
    assert tl.stage.code == "terminated"
    assert not [s for s in tl.steps if s.status == "pending"]
