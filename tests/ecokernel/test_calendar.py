"""Tests for ecokernel.calendar: working days, legal periods, unknown years, schedule files."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ecokernel.calendar import (
    CalendarWarning,
    Period,
    Schedule,
    WorkCalendar,
    YearSchedule,
    load_schedule,
)
from ecokernel.errors import CalendarError

D = date
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "schedules" / "2027-example.yaml"

# 2027 test schedule (fictional dates, chosen to differ from the estimate).
SCHEDULE_2027 = """\
source: 测试用安排（虚构）
note: 单元测试
years:
  2027:
    holidays:
      - "2027-01-01"
      - {from: "2027-01-04", to: "2027-01-06", name: 虚构假期}
      - "2027-10-01"
    workdays:
      - "2027-01-09"
"""


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture(scope="module")
def cal27() -> WorkCalendar:
    return WorkCalendar(load_schedule(SCHEDULE_2027))


def _estimate_msg(c: WorkCalendar, year: int) -> str:
    (w,) = c.year_warnings([year])
    return w.message


# ---------------------------------------------------------------------------------------------
# Day status against the library
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_whole_year_agrees_with_chinesecalendar(cal: WorkCalendar, year: int) -> None:
    d = D(year, 1, 1)
    while d.year == year:
        assert cal.is_workday(d) is chinese_calendar.is_workday(d), d
        assert cal.is_rest_day(d) is chinese_calendar.is_holiday(d), d
        d += timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 12, 31)))
def test_any_library_day_agrees_with_chinesecalendar(d: date) -> None:
    assert WorkCalendar().is_workday(d) is chinese_calendar.is_workday(d)


@pytest.mark.parametrize("d", ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
                               "2026-10-10"])
def test_2026_makeup_weekend_days_are_workdays(cal: WorkCalendar, d: str) -> None:
    day = D.fromisoformat(d)
    assert day.weekday() >= 5  # really a Saturday/Sunday
    assert cal.is_workday(day)
    assert not cal.is_rest_day(day)


@pytest.mark.parametrize("d", ["2026-01-02", "2026-02-20", "2026-02-23", "2026-05-05", "2026-10-06",
                               "2026-10-07", "2025-10-08"])
def test_weekdays_inside_holiday_blocks_are_rest_days(cal: WorkCalendar, d: str) -> None:
    day = D.fromisoformat(d)
    assert day.weekday() < 5
    assert cal.is_rest_day(day)


def test_plain_days(cal: WorkCalendar) -> None:
    assert cal.is_workday(D(2026, 3, 10))      # Tuesday
    assert cal.is_rest_day(D(2026, 3, 14))     # ordinary Saturday
    assert cal.is_workday(datetime(2026, 10, 8, 23, 59))  # datetimes are accepted


def test_known_years(cal: WorkCalendar, cal27: WorkCalendar) -> None:
    assert cal.known(2004) and cal.known(2026)
    assert not cal.known(2003) and not cal.known(2027)
    assert cal27.known(2027) and not cal27.known(2028)
    assert cal.origin(2026) == "library" and cal.origin(2027) == "estimate"
    assert cal27.origin(2027) == "user"


# ---------------------------------------------------------------------------------------------
# Working-day periods
# ---------------------------------------------------------------------------------------------


def test_2026_national_day(cal: WorkCalendar) -> None:
    # 2026-10-01..10-07 holiday; 10-08 (Thursday) is a working day; 10-10 (Saturday) is 调休上班.
    assert chinese_calendar.is_workday(D(2026, 10, 8))
    assert cal.add_workdays(D(2026, 9, 30), 1).end == D(2026, 10, 8)
    assert cal.add_workdays(D(2026, 9, 30), 2).end == D(2026, 10, 9)
    assert cal.add_workdays(D(2026, 9, 30), 3).end == D(2026, 10, 10)  # make-up Saturday counts
    assert cal.add_workdays(D(2026, 9, 30), 4).end == D(2026, 10, 12)


def test_2025_example_from_legal_facts(cal: WorkCalendar) -> None:
    p = cal.add_workdays(D(2025, 9, 30), 1)
    assert p.end == D(2025, 10, 9) == chinese_calendar.find_workday(1, D(2025, 9, 30))
    assert p.unit == "工作日" and p.n == 1 and p.start == D(2025, 9, 30)
    assert p.warnings == [] and p.moved_from is None


def test_five_workdays_from_thursday_before_weekend(cal: WorkCalendar) -> None:
    start = D(2026, 3, 5)
    assert start.weekday() == 3
    # Fri 6, (weekend), Mon 9, Tue 10, Wed 11, Thu 12
    assert cal.add_workdays(start, 5).end == D(2026, 3, 12)


def test_five_workdays_around_spring_festival_2026(cal: WorkCalendar) -> None:
    # Block 02-15..02-23; 02-14 (Sat) and 02-28 (Sat) are make-up working days.
    # From Friday 02-13: Sat 14 (1), Tue 24 (2), 25 (3), 26 (4), 27 (5).
    assert cal.add_workdays(D(2026, 2, 13), 5).end == D(2026, 2, 27)
    # From the last day before the block (make-up Saturday 02-14): 24, 25, 26, 27, Sat 28.
    assert cal.add_workdays(D(2026, 2, 14), 5).end == D(2026, 2, 28)


def test_add_workdays_from_a_rest_day(cal: WorkCalendar) -> None:
    # The n-th working day after the start day, even when the start is a rest day.
    assert cal.add_workdays(D(2026, 10, 3), 1).end == D(2026, 10, 8)
    assert cal.add_workdays(D(2026, 3, 7), 1).end == D(2026, 3, 9)  # Saturday -> Monday
    # chinese_calendar.find_workday counts from the next workday instead (a pitfall).
    assert chinese_calendar.find_workday(1, D(2026, 10, 3)) == D(2026, 10, 9)


def test_add_workdays_rejects_non_positive(cal: WorkCalendar) -> None:
    for bad in (0, -1):
        with pytest.raises(ValueError):
            cal.add_workdays(D(2026, 1, 5), bad)
        with pytest.raises(ValueError):
            cal.add_days(D(2026, 1, 5), bad)
        with pytest.raises(ValueError):
            cal.add_months(D(2026, 1, 5), bad)


# ---------------------------------------------------------------------------------------------
# Calendar-day and month periods
# ---------------------------------------------------------------------------------------------


def test_add_days_moves_off_national_day_block(cal: WorkCalendar) -> None:
    p = cal.add_days(D(2026, 9, 24), 7)
    assert p.moved_from == D(2026, 10, 1)
    assert p.end == D(2026, 10, 8)
    assert p.unit == "日"
    assert p.basis == ["minsufa:85", "minfadian:201", "minfadian:203"]


def test_add_days_not_moved(cal: WorkCalendar) -> None:
    p = cal.add_days(D(2026, 3, 2), 8)  # start day excluded: 03-10, a Tuesday
    assert p.end == D(2026, 3, 10) and p.moved_from is None
    assert p.basis == ["minsufa:85", "minfadian:201"]
    # Ends on a make-up Saturday: not moved.
    q = cal.add_days(D(2026, 10, 1), 9)
    assert q.end == D(2026, 10, 10) and q.moved_from is None


def test_add_days_ordinary_weekend(cal: WorkCalendar) -> None:
    p = cal.add_days(D(2026, 3, 4), 10)  # nominal Saturday 03-14
    assert (p.moved_from, p.end) == (D(2026, 3, 14), D(2026, 3, 16))


@pytest.mark.parametrize(
    ("start", "n", "end", "moved_from"),
    [
        ("2026-01-31", 1, "2026-02-28", None),          # month end; 02-28 is a make-up Saturday
        ("2025-01-31", 1, "2025-02-28", None),          # Friday
        ("2024-01-31", 1, "2024-02-29", None),          # leap year
        ("2024-02-29", 12, "2025-02-28", None),         # leap day -> no corresponding day
        ("2023-01-31", 13, "2024-02-29", None),
        ("2025-12-31", 2, "2026-02-28", None),          # across the year end
        ("2026-03-31", 1, "2026-04-30", None),
        ("2026-03-04", 1, "2026-04-07", "2026-04-04"),  # 清明 block 04-04..04-06
        ("2026-09-01", 1, "2026-10-08", "2026-10-01"),  # National Day block
    ],
)
def test_add_months(cal: WorkCalendar, start: str, n: int, end: str, moved_from: str | None) -> None:
    p = cal.add_months(D.fromisoformat(start), n)
    assert p.end == D.fromisoformat(end)
    assert p.moved_from == (D.fromisoformat(moved_from) if moved_from else None)
    assert p.unit == "月" and p.n == n
    assert "minfadian:202" in p.basis
    assert ("minfadian:203" in p.basis) is (moved_from is not None)
    assert p.warnings == []


def test_add_months_into_unknown_years(cal: WorkCalendar) -> None:
    p = cal.add_months(D(2027, 1, 31), 1)  # 2027-02-28 is a Sunday
    assert (p.moved_from, p.end) == (D(2027, 2, 28), D(2027, 3, 1))
    assert [(w.code, w.year) for w in p.warnings] == [("unknown_year", 2027)]
    q = cal.add_months(D(2028, 1, 31), 1)  # leap year, Tuesday
    assert q.end == D(2028, 2, 29) and q.moved_from is None
    assert [(w.code, w.year) for w in q.warnings] == [("unknown_year", 2028)]


# ---------------------------------------------------------------------------------------------
# Unknown years and user schedules
# ---------------------------------------------------------------------------------------------


def test_unknown_year_estimate_is_not_plain_monday_to_friday(cal: WorkCalendar) -> None:
    for d in (D(2027, 1, 1), D(2027, 4, 5), D(2027, 10, 1), D(2028, 5, 1), D(2028, 5, 2),
              D(2028, 10, 2), D(2028, 10, 3), D(2028, 4, 4)):
        assert d.weekday() < 5, d
        assert cal.is_rest_day(d), d
    # What the estimate omits: 春节 2027 (初一 02-06 is a Saturday; 02-08 is a Monday in the holiday).
    assert cal.is_workday(D(2027, 2, 8))
    # No make-up working days are invented.
    assert cal.is_rest_day(D(2027, 10, 9))


def test_unknown_year_warning_says_what_is_estimated_and_omitted(cal: WorkCalendar) -> None:
    msg = _estimate_msg(cal, 2027)
    assert msg.startswith("2027年的国务院节假日安排未知（chinesecalendar 1.11.0 仅含2004—2026年）")
    for part in ("周一至周五", "元旦（1月1日）", "清明（4月5日", "劳动节（5月1日、2日）",
                 "国庆节（10月1日至3日）"):
        assert part in msg
    omitted = msg.split("未计", 1)[1]
    for part in ("春节", "除夕", "端午", "中秋", "调休"):
        assert part in omitted
    assert "清明" not in omitted
    assert "--holidays" in msg
    assert "清明（4月4日" in _estimate_msg(cal, 2028)
    assert "早于" in _estimate_msg(cal, 2003)


@pytest.mark.parametrize("year", [2025, 2026])
def test_estimate_rest_days_are_real_rest_days_in_known_years(year: int) -> None:
    """The fixed-date and 清明 estimate never marks a day off that the official schedule does not."""
    from ecokernel.calendar import _estimated_rest_days

    est = _estimated_rest_days(year)
    assert len(est) == 7
    assert all(chinese_calendar.is_holiday(d) for d in est)


def test_count_crossing_into_2027_warns(cal: WorkCalendar) -> None:
    p = cal.add_workdays(D(2026, 12, 24), 10)
    # 12-25, 28, 29, 30, 31, (2027-01-01 estimated 元旦), 01-04, 05, 06, 07, 08
    assert p.end == D(2027, 1, 8)
    assert len(p.warnings) == 1
    (w,) = p.warnings
    assert (w.code, w.year, w.severity) == ("unknown_year", 2027, "warning")


def test_computation_inside_known_year_has_no_warning(cal: WorkCalendar) -> None:
    assert cal.add_workdays(D(2026, 12, 1), 10).warnings == []
    assert cal.add_days(D(2026, 12, 1), 30).warnings == []
    assert cal.workdays_between(D(2026, 1, 1), D(2026, 12, 31))[1] == []


def test_warnings_deduplicated_per_year(cal: WorkCalendar) -> None:
    p = cal.add_workdays(D(2026, 12, 1), 400)
    assert p.end.year == 2028
    assert [(w.code, w.year) for w in p.warnings] == [("unknown_year", 2027), ("unknown_year", 2028)]


def test_add_days_warns_only_for_years_consulted(cal: WorkCalendar) -> None:
    # Nominal end 2028-01-05: 2027's days are counted but their status is never consulted.
    p = cal.add_days(D(2026, 12, 1), 400)
    assert p.end == D(2028, 1, 5)
    assert [w.year for w in p.warnings] == [2028]


def test_user_schedule_replaces_estimate(cal27: WorkCalendar) -> None:
    p = cal27.add_workdays(D(2026, 12, 24), 10)
    # 12-25, 28, 29, 30, 31, (01-01, 01-04..06 off), 01-07, 08, Sat 09 (make-up), 11, 12
    assert p.end == D(2027, 1, 12)
    (w,) = p.warnings
    assert (w.code, w.year, w.severity) == ("user_schedule", 2027, "info")
    assert "测试用安排（虚构）" in w.message and "单元测试" in w.message
    assert "未知" not in w.message
    # The declared year is complete: 2027-04-05 (清明) is not listed, so it is a working day.
    assert cal27.is_workday(D(2027, 4, 5))
    # Years the file does not declare still fall back to the estimate.
    assert [w.code for w in cal27.add_workdays(D(2027, 12, 24), 10).warnings] == [
        "user_schedule", "unknown_year"]


def test_user_schedule_overrides_library_year() -> None:
    text = """\
source: 测试（覆盖2026）
years:
  2026:
    holidays: ["2026-01-01", "2026-05-01", "2026-10-01", "2026-10-02"]
"""
    c = WorkCalendar(load_schedule(text))
    assert c.is_workday(D(2026, 10, 5))   # a library holiday, not in the file
    assert c.is_rest_day(D(2026, 10, 10))  # a library make-up Saturday, not in the file
    (w,) = c.add_workdays(D(2026, 9, 30), 1).warnings
    assert w.code == "user_schedule" and "覆盖" in w.message
    assert c.add_workdays(D(2026, 9, 30), 1).end == D(2026, 10, 5)


def test_example_file_loads_and_is_flagged_as_example() -> None:
    s = load_schedule(EXAMPLE)
    assert s.example is True
    assert s.origin == str(EXAMPLE)
    assert "非官方" in s.source and s.note and "示例" in s.note
    c = WorkCalendar(s)
    assert c.known(2027)
    (w,) = c.add_workdays(D(2026, 12, 30), 3).warnings
    assert w.code == "user_schedule" and w.severity == "warning"
    assert w.message.startswith("【示例数据，非官方安排，不得用于实际案件】")
    assert str(EXAMPLE) in w.message


def test_example_file_is_marked_in_comments() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "EXAMPLE FORMAT ONLY" in text and "NOT OFFICIAL DATA" in text
    assert "example: true" in text


def test_to_dict_is_json_ready(cal: WorkCalendar) -> None:
    p = cal.add_months(D(2027, 1, 31), 1)
    data = json.loads(json.dumps(p.to_dict(), ensure_ascii=False))
    assert data["end"] == "2027-03-01" and data["moved_from"] == "2027-02-28"
    assert data["unit"] == "月"
    assert data["warnings"][0]["code"] == "unknown_year" and data["warnings"][0]["year"] == 2027
    assert p.warnings[0].to_dict() == data["warnings"][0]
    assert isinstance(p, Period) and isinstance(p.warnings[0], CalendarWarning)


# ---------------------------------------------------------------------------------------------
# workdays_between and days_late
# ---------------------------------------------------------------------------------------------


def test_workdays_between(cal: WorkCalendar) -> None:
    assert cal.workdays_between(D(2026, 9, 30), D(2026, 10, 8)) == (1, [])
    assert cal.workdays_between(D(2026, 10, 8), D(2026, 9, 30)) == (-1, [])
    assert cal.workdays_between(D(2026, 3, 5), D(2026, 3, 5)) == (0, [])
    assert cal.workdays_between(D(2026, 10, 9), D(2026, 10, 11))[0] == 1  # Sat 10 counts, Sun 11 not
    n, warnings = cal.workdays_between(D(2026, 12, 31), D(2027, 1, 4))
    assert n == 1 and [w.year for w in warnings] == [2027]  # 01-01 estimated off, 01-04 Monday


def test_days_late(cal: WorkCalendar) -> None:
    due = D(2026, 9, 30)
    assert cal.days_late(due, due, working=True) == (0, [])
    assert cal.days_late(due, D(2026, 9, 29), working=False) == (0, [])
    assert cal.days_late(due, D(2026, 10, 8), working=False) == (8, [])
    assert cal.days_late(due, D(2026, 10, 8), working=True) == (1, [])
    assert cal.days_late(due, D(2026, 10, 10), working=True) == (3, [])
    # Acting on a rest day after the due date is still late.
    assert cal.days_late(due, D(2026, 10, 3), working=True) == (1, [])
    late, warnings = cal.days_late(D(2026, 12, 31), D(2027, 1, 8), working=True)
    assert late == 5 and [w.code for w in warnings] == ["unknown_year"]


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2003, 6, 1), max_value=D(2029, 6, 30))
counts = st.integers(min_value=1, max_value=60)


@settings(max_examples=200, deadline=None)
@given(dates, counts)
def test_prop_add_workdays(d: date, n: int) -> None:
    c = WorkCalendar()
    p = c.add_workdays(d, n)
    assert p.end > d
    assert c.is_workday(p.end)
    assert c.workdays_between(d, p.end)[0] == n
    assert c.workdays_between(p.end, d)[0] == -n
    assert c.workdays_between(d, p.end - timedelta(days=1))[0] == n - 1
    assert bool(p.warnings) is any(not c.known(y) for y in range((d + timedelta(days=1)).year,
                                                                   p.end.year + 1))


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 9, 30)), counts)
def test_prop_add_workdays_matches_find_workday(d: date, n: int) -> None:
    # find_workday first moves a rest-day start to the next workday and then counts, so the two
    # agree only for working-day starts (see test_add_workdays_from_a_rest_day).
    assume(chinese_calendar.is_workday(d))
    expected = chinese_calendar.find_workday(n, d)
    assert WorkCalendar().add_workdays(d, n).end == expected


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=1, max_value=400))
def test_prop_add_days(d: date, n: int) -> None:
    c = WorkCalendar()
    p = c.add_days(d, n)
    nominal = d + timedelta(days=n)
    assert p.end >= nominal
    assert c.is_workday(p.end)
    # The earliest working day on or after the nominal end.
    k = nominal
    while k < p.end:
        assert c.is_rest_day(k)
        k += timedelta(days=1)
    assert p.moved_from == (nominal if p.end != nominal else None)


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=1, max_value=36))
def test_prop_add_months(d: date, n: int) -> None:
    c = WorkCalendar()
    p = c.add_months(d, n)
    nominal = p.moved_from or p.end
    assert (nominal.year * 12 + nominal.month) - (d.year * 12 + d.month) == n
    assert nominal.day == d.day or (nominal.day < d.day and (nominal + timedelta(days=1)).day == 1)
    assert c.is_workday(p.end)
    assert p.moved_from is None or c.is_rest_day(p.moved_from)


# ---------------------------------------------------------------------------------------------
# Schedule files
# ---------------------------------------------------------------------------------------------

GOOD_HEAD = "source: 测试\nyears:\n  2027:\n"


def _err(text: str) -> CalendarError:
    with pytest.raises(CalendarError) as info:
        load_schedule(text)
    return info.value


def test_schedule_parses_all_item_forms() -> None:
    s = load_schedule(GOOD_HEAD + """\
    holidays:
      - 2027-01-01
      - "2027-10-01"
      - {date: "2027-06-09", name: 端午}
      - {from: "2027-02-05", to: "2027-02-07", name: 春节}
    workdays: ["2027-02-14"]
""")
    ys = s.years[2027]
    assert set(ys.holidays) == {D(2027, 1, 1), D(2027, 10, 1), D(2027, 6, 9), D(2027, 2, 5),
                                D(2027, 2, 6), D(2027, 2, 7)}
    assert ys.holidays[D(2027, 2, 6)] == "春节" and ys.holidays[D(2027, 6, 9)] == "端午"
    assert ys.workdays == {D(2027, 2, 14): None}


def test_schedule_bad_date() -> None:
    e = _err(GOOD_HEAD + """\
    holidays:
      - "2027-01-01"
      - "2027-02-30"
""")
    assert e.message == "years.2027.holidays[1]：日期“2027-02-30”不存在"
    assert e.line == 6


def test_schedule_bad_date_format() -> None:
    e = _err(GOOD_HEAD + '    holidays: ["2027/01/01"]\n')
    assert "years.2027.holidays[0]" in e.message and "YYYY-MM-DD" in e.message
    assert e.line == 4


def test_schedule_range_from_after_to() -> None:
    e = _err(GOOD_HEAD + """\
    holidays:
      - "2027-01-01"
      - "2027-10-01"
      - {from: "2027-02-13", to: "2027-02-06", name: 春节}
""")
    assert e.message.startswith("years.2027.holidays[2]：")
    assert "“2027-02-13”晚于止日“2027-02-06”" in e.message
    assert e.line == 7


def test_schedule_overlap_of_holiday_and_workday() -> None:
    e = _err(GOOD_HEAD + """\
    holidays:
      - "2027-01-01"
      - "2027-10-01"
      - {from: "2027-02-06", to: "2027-02-14"}
    workdays:
      - "2027-02-13"
""")
    assert e.message.startswith("years.2027.workdays[0]：日期“2027-02-13”同时列为休息日和调休上班日")
    assert "years.2027.holidays[2]" in e.message and "第7行" in e.message
    assert e.line == 9


def test_schedule_date_outside_year() -> None:
    e = _err(GOOD_HEAD + '    holidays: ["2027-01-01", "2027-10-01", "2028-01-01"]\n')
    assert e.message == "years.2027.holidays[2]：日期“2028-01-01”不在2027年内（每个年份下只能列出本年的日期）"
    e = _err(GOOD_HEAD + '    holidays: [{from: "2027-12-31", to: "2028-01-02"}]\n')
    assert "years.2027.holidays[0].to" in e.message and "不在2027年内" in e.message


def test_schedule_workday_on_weekday() -> None:
    e = _err(GOOD_HEAD + '    holidays: ["2027-01-01", "2027-10-01"]\n    workdays: ["2027-02-15"]\n')
    assert e.message.startswith("years.2027.workdays[0]：日期“2027-02-15”是星期一，本就是工作日")
    assert e.line == 5


def test_schedule_missing_fixed_statutory_holiday() -> None:
    e = _err(GOOD_HEAD + '    holidays: ["2027-01-01"]\n')
    assert e.message.startswith("years.2027.holidays：") and "国庆节" in e.message
    assert "2027-10-01" in e.message


def test_schedule_structure_errors() -> None:
    e = _err("years:\n  2027:\n    holidays: [2027-01-01, 2027-10-01]\n")
    assert e.message.startswith("source：缺少日期来源")
    e = _err(GOOD_HEAD + '    holiday: ["2027-01-01"]\n')
    assert "未知字段“holiday”" in e.message and e.message.startswith("years.2027：") and e.line == 4
    e = _err("source: x\nyears:\n  2027:\n    holidays: [2027-01-01, 2027-10-01]\n  2027:\n"
             "    holidays: [2027-01-01, 2027-10-01]\n")
    assert "重复的键“2027”（第3行已出现）" in e.message and e.line == 5
    e = _err("source: x\nyears:\n  twenty:\n    holidays: [2027-01-01]\n")
    assert e.message == "years.twenty：“twenty”不是四位数字年份"
    e = _err(GOOD_HEAD + "    holidays: []\n")
    assert "holidays 为空" in e.message
    e = _err(GOOD_HEAD + '    holidays: [{from: "2027-01-01", to: "2027-03-01"}]\n')
    assert "超过31天" in e.message
    e = _err("source: x\nyears: {}\n")
    assert e.message.startswith("years：至少要声明一个年份")
    e = _err("")
    assert "为空" in e.message


def test_schedule_yaml_syntax_error_has_line() -> None:
    e = _err('source: x\nyears:\n  2027:\n    holidays: ["2027-01-01"\n')
    assert e.message.startswith("YAML 语法错误")
    assert e.line is not None and e.line >= 4


def test_schedule_refuses_python_tags() -> None:
    e = _err("source: !!python/object/apply:os.system [echo hi]\nyears: {}\n")
    assert isinstance(e, CalendarError)


def test_schedule_file_errors_name_the_file(tmp_path: Path) -> None:
    f = tmp_path / "2027.yaml"
    f.write_text(GOOD_HEAD + '    holidays:\n      - {from: "2027-02-06", to: "2027-02-30"}\n',
                 encoding="utf-8")
    with pytest.raises(CalendarError) as info:
        load_schedule(f)
    assert info.value.path == str(f)
    assert str(info.value) == f"{f} 第5行第34列：years.2027.holidays[0].to：日期“2027-02-30”不存在"
    with pytest.raises(CalendarError) as info:
        load_schedule(str(tmp_path / "missing.yaml"))
    assert "不存在" in info.value.message and info.value.path == str(tmp_path / "missing.yaml")


def test_schedule_loads_from_str_path(tmp_path: Path) -> None:
    f = tmp_path / "s.yml"
    f.write_text(SCHEDULE_2027, encoding="utf-8")
    s = load_schedule(str(f))
    assert s.origin == str(f) and D(2027, 1, 5) in s.years[2027].holidays


def test_schedule_model_validates_when_built_in_code() -> None:
    ok = Schedule(source="代码", years={2027: YearSchedule(
        holidays={D(2027, 1, 1): None, D(2027, 10, 1): None}, workdays={D(2027, 10, 9): None})})
    assert WorkCalendar(ok).is_workday(D(2027, 10, 9))
    with pytest.raises(ValidationError, match="同时列为休息日和调休上班日"):
        Schedule(source="代码", years={2027: YearSchedule(
            holidays={D(2027, 1, 1): None, D(2027, 10, 1): None, D(2027, 10, 9): None},
            workdays={D(2027, 10, 9): None})})
    with pytest.raises(ValidationError, match="不在2027年内"):
        Schedule(source="代码", years={2027: YearSchedule(
            holidays={D(2027, 1, 1): None, D(2027, 10, 1): None, D(2026, 12, 31): None})})
    with pytest.raises(ValidationError):
        Schedule(source="", years={2027: YearSchedule(holidays={D(2027, 1, 1): None})})
