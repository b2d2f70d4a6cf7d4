"""Working days, statutory holidays and legal period computation.

Which days are working days (工作日) follows the State Council's yearly holiday schedule
(国务院办公厅关于部分节假日安排的通知), including the make-up working days of 调休: a make-up
Saturday is a working day, a weekday inside a holiday block is not.

Sources of the schedule, in order of precedence for a given year:

1. a user-supplied :class:`Schedule` (``load_schedule``) that declares the year — a declared year
   is complete: every day it does not list follows the Monday–Friday rule;
2. the pinned ``chinesecalendar`` package (1.11.0 knows 2004–2026);
3. otherwise an explicit *estimate*: Monday–Friday minus the fixed-date statutory holidays of
   《全国年节及纪念日放假办法》 (2024 revision) — 元旦 1-1, 劳动节 5-1 and 5-2, 国庆节 10-1..10-3 —
   and 清明 on the day of the 清明 solar term. Every result whose computation consulted such a
   year carries an ``unknown_year`` :class:`CalendarWarning` saying what the estimate omits
   (春节 incl. 除夕, 端午, 中秋, and all 调休). It is never a silent Monday–Friday guess.

Period rules (民事诉讼法 第八十五条; 民法典 第二百零一条至第二百零三条): the start day is not
counted; month periods end on the corresponding day of the target month, else on its last day;
a period whose last day is a rest day (法定休假日, including weekends per the schedule) ends on
the next working day. Working-day periods count working days after the start day (the start day
is not counted, by analogy; no national rule for "X个工作日" was found).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import chinese_calendar
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ecokernel.errors import CalendarError

__all__ = [
    "CalendarWarning",
    "Period",
    "Schedule",
    "WorkCalendar",
    "YearSchedule",
    "load_schedule",
]

_ONE_DAY = timedelta(days=1)
_WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

#: Corpus-style citations of the rules applied.
BASIS_START_DAY_EXCLUDED = ("minsufa:85", "minfadian:201")
BASIS_MONTH_END = "minfadian:202"
BASIS_REST_DAY_EXTENSION = "minfadian:203"

#: Fixed-date statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision, 第二条):
#: (month, day, name). 春节, 端午 and 中秋 follow the lunar calendar; 清明 is a solar term.
_FIXED_HOLIDAYS: tuple[tuple[int, int, str], ...] = (
    (1, 1, "元旦"),
    (5, 1, "劳动节"),
    (5, 2, "劳动节"),
    (10, 1, "国庆节"),
    (10, 2, "国庆节"),
    (10, 3, "国庆节"),
)
#: First year to which the 2024 revision applies (劳动节 two days).
_FIXED_HOLIDAYS_FROM = 2025
#: Longest holiday block accepted in a schedule file (the 2020 extended 春节 was 10 days).
_MAX_RANGE_DAYS = 31


# --------------------------------------------------------------------------------------------
# Library data (cached once; the package data is immutable for a pinned release)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _LibraryData:
    version: str
    min_year: int
    max_year: int
    #: year -> (rest days listed as holidays, make-up working days)
    by_year: Mapping[int, tuple[frozenset[date], frozenset[date]]]


@functools.cache
def _library() -> _LibraryData:
    """Group chinesecalendar's ``holidays``/``workdays`` tables by year (done once).

    Reading the tables directly is what ``chinese_calendar.is_workday`` does, minus its
    per-call range validation (which scans all keys on every call).
    """
    holidays: Mapping[date, str] = chinese_calendar.holidays
    workdays: Mapping[date, str] = chinese_calendar.workdays
    # Same range rule as chinese_calendar.utils._validate_date.
    min_year, max_year = min(holidays).year, max(holidays).year
    rest: dict[int, set[date]] = {y: set() for y in range(min_year, max_year + 1)}
    work: dict[int, set[date]] = {y: set() for y in range(min_year, max_year + 1)}
    for d in holidays:
        rest.setdefault(d.year, set()).add(d)
    for d in workdays:
        work.setdefault(d.year, set()).add(d)
    by_year = {
        y: (frozenset(rest.get(y, ())), frozenset(work.get(y, ())))
        for y in range(min_year, max_year + 1)
    }
    return _LibraryData(chinese_calendar.__version__, min_year, max_year, MappingProxyType(by_year))


def _days_digest(years: Mapping[int, tuple[Iterable[date], Iterable[date]]]) -> str:
    """SHA-256 of per-year rest days and make-up working days (canonical JSON, sorted)."""
    data = {str(y): [sorted(d.isoformat() for d in rest), sorted(d.isoformat() for d in work)]
            for y, (rest, work) in years.items()}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("ascii")).hexdigest()


@functools.cache
def _library_digest() -> str:
    return _days_digest(_library().by_year)


@functools.lru_cache(maxsize=256)
def _qingming(year: int) -> date | None:
    """Date of the 清明 solar term (the 清明 holiday), or None where the library cannot compute it."""
    try:
        terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
    except (NotImplementedError, ValueError):
        return None
    for d, name in terms:
        if name == "清明":
            return d
    return None


def _estimated_rest_days(year: int) -> frozenset[date]:
    """Rest days (besides weekends) assumed for a year whose schedule is unknown."""
    days = {date(year, m, d) for m, d, _ in _FIXED_HOLIDAYS}
    qm = _qingming(year)
    if qm is not None:
        days.add(qm)
    return frozenset(days)


def _fixed_holidays_text(year: int) -> str:
    qm = _qingming(year)
    qm_text = f"清明（{qm.month}月{qm.day}日，按节气推算）、" if qm else ""
    return f"元旦（1月1日）、{qm_text}劳动节（5月1日、2日）、国庆节（10月1日至3日）"


# --------------------------------------------------------------------------------------------
# Public models
# --------------------------------------------------------------------------------------------


class CalendarWarning(BaseModel):
    """Something the user must know about how a date was computed.

    ``code`` is ``unknown_year`` (the year's schedule is estimated) or ``user_schedule`` (the year
    follows a user-supplied schedule file; ``info`` unless the file is marked as an example).
    """

    model_config = ConfigDict(frozen=True)

    code: Literal["unknown_year", "user_schedule"]
    year: int
    message: str
    severity: Literal["warning", "info"] = "warning"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready representation."""
        return self.model_dump(mode="json")


class Period(BaseModel):
    """The result of a period computation.

    ``end`` is the due date (the last day of the period, after any move off a rest day);
    ``moved_from`` is the nominal last day when it fell on a rest day and was moved, else None.
    """

    model_config = ConfigDict(frozen=True)

    start: date
    end: date
    n: int
    unit: Literal["工作日", "日", "月"]
    moved_from: date | None = None
    warnings: list[CalendarWarning] = Field(default_factory=list)
    basis: list[str] = Field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready representation (dates as ISO strings)."""
        return self.model_dump(mode="json")


class YearSchedule(BaseModel):
    """One year of a holiday schedule: rest days and make-up working days (调休上班).

    Days not listed follow the Monday–Friday rule. Values are optional names (e.g. "春节").
    """

    model_config = ConfigDict(frozen=True)

    holidays: dict[date, str | None]
    workdays: dict[date, str | None] = Field(default_factory=dict)
    note: str | None = None


class Schedule(BaseModel):
    """A user-supplied holiday schedule covering one or more whole years.

    ``source`` says where the dates come from (e.g. the State Council notice and its number);
    ``origin`` is the file it was read from, if any; ``example`` marks illustrative data.
    """

    model_config = ConfigDict(frozen=True)

    source: str = Field(min_length=1)
    note: str | None = None
    example: bool = False
    origin: str | None = None
    years: dict[int, YearSchedule] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_years(self) -> Schedule:
        for year, ys in self.years.items():
            for problem in _year_problems(year, ys.holidays, ys.workdays):
                raise ValueError(f"{year}年：{problem.message}")
        return self


@dataclass(frozen=True, slots=True)
class _Problem:
    kind: Literal["holidays", "workdays", "year"]
    day: date | None
    message: str


def _year_problems(year: int, holidays: Mapping[date, Any], workdays: Mapping[date, Any]) -> list[_Problem]:
    """Consistency problems of one declared year (shared by the model and the file loader)."""
    problems: list[_Problem] = []
    if not holidays:
        problems.append(_Problem("year", None, "未列出任何休息日（holidays 为空）；每年都有法定节假日"))
    for kind, days in (("holidays", holidays), ("workdays", workdays)):
        for d in sorted(days):
            if d.year != year:
                problems.append(_Problem(kind, d, f"日期“{d.isoformat()}”不在{year}年内"))
    for d in sorted(workdays):
        if d in holidays:
            problems.append(_Problem("workdays", d, f"日期“{d.isoformat()}”同时列为休息日和调休上班日"))
        elif d.weekday() < 5:
            problems.append(_Problem(
                "workdays", d,
                f"日期“{d.isoformat()}”是{_WEEKDAY_NAMES[d.weekday()]}，本就是工作日；"
                "workdays 只列调休上班的星期六、星期日",
            ))
    if year >= _FIXED_HOLIDAYS_FROM:
        for m, dd, name in _FIXED_HOLIDAYS:
            d = date(year, m, dd)
            if d not in holidays and d.weekday() < 5 and d not in workdays:
                problems.append(_Problem(
                    "year", d,
                    f"未列出法定节日{name}（{d.isoformat()}，{_WEEKDAY_NAMES[d.weekday()]}）；"
                    "声明的年份视为完整安排，请列出当年全部放假日期",
                ))
    return problems


# --------------------------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _YearRule:
    rest: frozenset[date]
    work: frozenset[date]
    origin: Literal["user", "library", "estimate"]


def _as_date(d: date) -> date:
    if isinstance(d, datetime):
        return d.date()
    if not isinstance(d, date):
        raise TypeError(f"expected datetime.date, got {type(d).__name__}")
    return d


class BeyondCalendarError(CalendarError, OverflowError):
    """A period ends after the last day the calendar can represent (9999-12-31)."""


@contextlib.contextmanager
def _within_calendar(start: date, n: int, unit: str) -> Iterator[None]:
    """Turn date arithmetic running past ``date.max`` into a :class:`BeyondCalendarError`."""
    try:
        yield
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, CalendarError):
            raise
        raise BeyondCalendarError(
            f"从 {start.isoformat()} 起算{n}{unit}的期限，到期日晚于日历支持的最后一天（{date.max.isoformat()}），"
            "无法计算；请检查该日期是否写错") from None


def _check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")


def _add_months(start: date, n: int) -> date:
    """民法典 202: the corresponding day of the month n months later, else that month's last day."""
    index = start.year * 12 + (start.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    last_day = (nxt - _ONE_DAY).day
    return date(year, month, min(start.day, last_day))


class WorkCalendar:
    """Working-day calendar with legal period arithmetic.

    A user ``schedule`` takes precedence over the library for the years it declares. Per-year
    rules are built lazily and cached on the instance.
    """

    def __init__(self, schedule: Schedule | None = None) -> None:
        self._schedule = schedule
        self._rules: dict[int, _YearRule] = {}

    @property
    def schedule(self) -> Schedule | None:
        """The user-supplied schedule, if any."""
        return self._schedule

    def data_digest(self) -> str:
        """SHA-256 of the day data this calendar consults: the library's yearly schedules and the
        user schedule's years (their rest days and make-up working days; names, notes and sources
        decide no day and are left out). Equal digests: every day is a working day in both or in
        neither (the estimate for unknown years is code, the same for every calendar)."""
        user = {} if self._schedule is None else {
            y: (ys.holidays.keys(), ys.workdays.keys()) for y, ys in self._schedule.years.items()}
        parts = {"library": _library_digest(), "user": _days_digest(user) if user else None}
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("ascii")).hexdigest()

    # -- day status ---------------------------------------------------------------------------

    def _rule(self, year: int) -> _YearRule:
        rule = self._rules.get(year)
        if rule is None:
            rule = self._build_rule(year)
            self._rules[year] = rule
        return rule

    def _build_rule(self, year: int) -> _YearRule:
        if self._schedule is not None and year in self._schedule.years:
            ys = self._schedule.years[year]
            return _YearRule(frozenset(ys.holidays), frozenset(ys.workdays), "user")
        lib = _library()
        if lib.min_year <= year <= lib.max_year:
            rest, work = lib.by_year[year]
            return _YearRule(rest, work, "library")
        return _YearRule(_estimated_rest_days(year), frozenset(), "estimate")

    def is_workday(self, d: date) -> bool:
        """True on working days: make-up days (调休上班) and Mon–Fri outside holiday blocks.

        For an unknown year this is the estimate; use :meth:`year_warnings` to report it.
        """
        d = _as_date(d)
        rule = self._rule(d.year)
        return d in rule.work or (d.weekday() < 5 and d not in rule.rest)

    def is_rest_day(self, d: date) -> bool:
        """True on rest days (weekends that are not make-up days, and holidays)."""
        return not self.is_workday(d)

    def known(self, year: int) -> bool:
        """True if the library or the user schedule covers ``year`` (no estimate needed)."""
        return self._rule(year).origin != "estimate"

    def origin(self, year: int) -> Literal["user", "library", "estimate"]:
        """Where the year's schedule comes from."""
        return self._rule(year).origin

    # -- warnings -----------------------------------------------------------------------------

    def year_warnings(self, years: Iterable[int]) -> list[CalendarWarning]:
        """The warnings for the given years (deduplicated, sorted by year); empty for library years."""
        out: list[CalendarWarning] = []
        for year in sorted(set(years)):
            w = self._year_warning(year)
            if w is not None:
                out.append(w)
        return out

    def _year_warning(self, year: int) -> CalendarWarning | None:
        origin = self._rule(year).origin
        lib = _library()
        if origin == "library":
            return None
        if origin == "estimate":
            older = (
                "；该年早于库的数据范围，按2024年修订的《全国年节及纪念日放假办法》估算，当年适用的办法可能不同"
                if year < lib.min_year else ""
            )
            return CalendarWarning(
                code="unknown_year",
                year=year,
                severity="warning",
                message=(
                    f"{year}年的国务院节假日安排未知（chinesecalendar {lib.version} 仅含"
                    f"{lib.min_year}—{lib.max_year}年），按周一至周五工作、{_fixed_holidays_text(year)}"
                    "休息估算，未计春节（含除夕）、端午、中秋及调休（放假调休的连休日和周末补班日）"
                    f"{older}；请以 --holidays 提供当年安排文件"
                ),
            )
        schedule = self._schedule
        assert schedule is not None
        parts = [f"{year}年的节假日安排取自用户提供的安排文件"]
        if schedule.origin:
            parts.append(f"（{schedule.origin}）")
        parts.append(f"，来源：{schedule.source}")
        if schedule.note:
            parts.append(f"；说明：{schedule.note}")
        year_note = schedule.years[year].note
        if year_note:
            parts.append(f"；{year}年说明：{year_note}")
        if lib.min_year <= year <= lib.max_year:
            parts.append(f"；该文件覆盖了 chinesecalendar {lib.version} 内置的{year}年数据")
        message = "".join(parts)
        if schedule.example:
            message = "【示例数据，非官方安排，不得用于实际案件】" + message
        return CalendarWarning(
            code="user_schedule",
            year=year,
            severity="warning" if schedule.example else "info",
            message=message,
        )

    @staticmethod
    def _years(first: date, last: date) -> range:
        return range(first.year, last.year + 1)

    # -- periods ------------------------------------------------------------------------------

    def _roll_forward(self, d: date) -> date:
        with _within_calendar(d, 0, "日"):
            while not self.is_workday(d):
                d += _ONE_DAY
        return d

    def add_workdays(self, start: date, n: int) -> Period:
        """The n-th working day after ``start`` (the start day is not counted); n >= 1."""
        start = _as_date(start)
        _check_n(n)
        d, count = start, 0
        with _within_calendar(start, n, "个工作日"):
            while count < n:
                d += _ONE_DAY
                if self.is_workday(d):
                    count += 1
        return Period(
            start=start, end=d, n=n, unit="工作日",
            warnings=self.year_warnings(self._years(start + _ONE_DAY, d)),
            basis=[],
        )

    def _calendar_period(self, start: date, nominal: date, n: int, unit: Literal["日", "月"],
                         basis: list[str]) -> Period:
        end = self._roll_forward(nominal)
        moved = end != nominal
        if moved:
            basis = [*basis, BASIS_REST_DAY_EXTENSION]
        return Period(
            start=start, end=end, n=n, unit=unit,
            moved_from=nominal if moved else None,
            warnings=self.year_warnings(self._years(nominal, end)),
            basis=basis,
        )

    def add_days(self, start: date, n: int) -> Period:
        """A period of n calendar days (民诉法 85, 民法典 201/203); n >= 1.

        The start day is not counted; a last day falling on a rest day moves to the next working
        day. Only the days whose status was consulted (the nominal last day onwards) can add
        warnings.
        """
        start = _as_date(start)
        _check_n(n)
        with _within_calendar(start, n, "日"):
            return self._calendar_period(start, start + timedelta(days=n), n, "日",
                                         list(BASIS_START_DAY_EXCLUDED))

    def add_months(self, start: date, n: int) -> Period:
        """A period of n months (民法典 202): corresponding day, else month end; then the rest-day rule."""
        start = _as_date(start)
        _check_n(n)
        with _within_calendar(start, n, "个月"):
            return self._calendar_period(start, _add_months(start, n), n, "月",
                                         [*BASIS_START_DAY_EXCLUDED, BASIS_MONTH_END])

    def add_period(self, start: date, value: int, unit: str) -> Period:
        """The one period arithmetic of the product: ``value`` units after ``start``, with the unit
        a jurisdiction parameter carries (工作日 / 日 / 月 / 年). The timeline and the checker's
        deadline rules both call this, so they cannot disagree about a due date."""
        if unit == "工作日":
            return self.add_workdays(start, value)
        if unit == "日":
            return self.add_days(start, value)
        if unit == "月":
            return self.add_months(start, value)
        if unit == "年":
            return self.add_months(start, 12 * value)
        raise ValueError(f"unsupported period unit {unit!r}")

    def elapsed(self, a: date, b: date, unit: str) -> tuple[int, list[CalendarWarning]]:
        """How many ``unit``s (工作日, or calendar 日 otherwise) lie after ``a`` up to ``b``."""
        if unit == "工作日":
            return self.workdays_between(a, b)
        return (_as_date(b) - _as_date(a)).days, []

    def workdays_between(self, a: date, b: date) -> tuple[int, list[CalendarWarning]]:
        """Working days after ``a`` up to and including ``b``; negative (mirrored) if b < a."""
        a, b = _as_date(a), _as_date(b)
        if a == b:
            return 0, []
        sign = 1 if b > a else -1
        lo, hi = (a, b) if sign > 0 else (b, a)
        count = 0
        d = lo
        while d < hi:
            d += _ONE_DAY
            if self.is_workday(d):
                count += 1
        return sign * count, self.year_warnings(self._years(lo + _ONE_DAY, hi))

    def days_late(self, due: date, done: date, working: bool) -> tuple[int, list[CalendarWarning]]:
        """How late ``done`` is against the due date ``due``; 0 if on time.

        ``working=False`` counts calendar days. ``working=True`` counts working days after ``due``
        up to ``done``; an act on a rest day after the due date is still late and counts as at
        least 1.
        """
        due, done = _as_date(due), _as_date(done)
        if done <= due:
            return 0, []
        if not working:
            return (done - due).days, []
        count, warnings = self.workdays_between(due, done)
        return max(count, 1), warnings


# --------------------------------------------------------------------------------------------
# Schedule files
# --------------------------------------------------------------------------------------------

_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_YEAR_RE = re.compile(r"^\d{4}$")
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_TOP_KEYS = ("source", "note", "example", "years")
_YEAR_KEYS = ("holidays", "workdays", "note")


@dataclass(frozen=True, slots=True)
class _Entry:
    where: str
    line: int
    column: int


class _ScheduleParser:
    """Validate a composed YAML node tree into a :class:`Schedule`, with locations in errors."""

    def __init__(self, origin: str | None) -> None:
        self.origin = origin

    def fail(self, where: str, message: str, node: yaml.Node | None = None,
             entry: _Entry | None = None) -> CalendarError:
        line = column = None
        if node is not None:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
        elif entry is not None:
            line, column = entry.line, entry.column
        text = f"{where}：{message}" if where else message
        return CalendarError(text, path=self.origin, line=line, column=column)

    @staticmethod
    def _is_null(node: yaml.Node) -> bool:
        return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG

    def mapping(self, node: yaml.Node, where: str, allowed: tuple[str, ...],
                what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(where, f"应为{what}", node)
        out: dict[str, yaml.Node] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(where, "键必须是简单文字", key_node)
            key = str(key_node.value)
            if key in out:
                raise self.fail(where, f"重复的键“{key}”（第{lines[key]}行已出现）", key_node)
            if allowed and key not in allowed:
                raise self.fail(where, f"未知字段“{key}”（可用：{'、'.join(allowed)}）", key_node)
            out[key] = value_node
            lines[key] = key_node.start_mark.line + 1
        return out

    def text(self, node: yaml.Node, where: str, *, required: bool) -> str | None:
        if self._is_null(node) or (isinstance(node, yaml.ScalarNode) and not str(node.value).strip()):
            if required:
                raise self.fail(where, "不能为空", node)
            return None
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(where, "应为文字", node)
        return str(node.value).strip()

    def day(self, node: yaml.Node, where: str, year: int) -> date:
        if not isinstance(node, yaml.ScalarNode) or self._is_null(node):
            raise self.fail(where, "应为 YYYY-MM-DD 格式的日期", node)
        raw = str(node.value).strip()
        m = _DATE_RE.match(raw)
        if not m:
            raise self.fail(where, f"“{raw}”不是 YYYY-MM-DD 格式的日期", node)
        try:
            d = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise self.fail(where, f"日期“{raw}”不存在", node) from None
        if d.year != year:
            raise self.fail(where, f"日期“{raw}”不在{year}年内（每个年份下只能列出本年的日期）", node)
        return d

    def days(self, node: yaml.Node, where: str, year: int) -> dict[date, tuple[str | None, _Entry]]:
        """A list of dates, ``{date, name}`` or ``{from, to, name}`` items."""
        out: dict[date, tuple[str | None, _Entry]] = {}
        if self._is_null(node):
            return out
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(where, "应为列表（日期或 {from, to, name} 区间）", node)
        for i, item in enumerate(node.value):
            item_where = f"{where}[{i}]"
            entry = _Entry(item_where, item.start_mark.line + 1, item.start_mark.column + 1)
            name: str | None = None
            if isinstance(item, yaml.MappingNode):
                fields = self.mapping(item, item_where, ("date", "from", "to", "name"), "日期或区间")
                if "name" in fields:
                    name = self.text(fields["name"], f"{item_where}.name", required=False)
                if "date" in fields:
                    if "from" in fields or "to" in fields:
                        raise self.fail(item_where, "date 与 from/to 不能同时使用", item)
                    dates = [self.day(fields["date"], f"{item_where}.date", year)]
                else:
                    for key in ("from", "to"):
                        if key not in fields:
                            raise self.fail(item_where, f"区间缺少 {key}", item)
                    first = self.day(fields["from"], f"{item_where}.from", year)
                    last = self.day(fields["to"], f"{item_where}.to", year)
                    if first > last:
                        raise self.fail(
                            item_where,
                            f"区间起日“{first.isoformat()}”晚于止日“{last.isoformat()}”", item)
                    length = (last - first).days + 1
                    if length > _MAX_RANGE_DAYS:
                        raise self.fail(
                            item_where, f"区间长达{length}天，超过{_MAX_RANGE_DAYS}天，请检查日期", item)
                    dates = [first + timedelta(days=k) for k in range(length)]
            else:
                dates = [self.day(item, item_where, year)]
            for d in dates:
                out.setdefault(d, (name, entry))
        return out

    def parse(self, root: yaml.Node | None) -> Schedule:
        if root is None:
            raise self.fail("", "安排文件为空")
        top = self.mapping(root, "", _TOP_KEYS, "映射（source、years 等字段）")
        if "source" not in top:
            raise self.fail("source", "缺少日期来源：请写明国务院办公厅通知的标题和文号", root)
        source = self.text(top["source"], "source", required=True)
        note = self.text(top["note"], "note", required=False) if "note" in top else None
        example = False
        if "example" in top:
            ex = top["example"]
            if not (isinstance(ex, yaml.ScalarNode) and ex.tag == _BOOL_TAG):
                raise self.fail("example", "应为 true 或 false", ex)
            example = str(ex.value).lower() in ("true", "yes", "on", "y")
        if "years" not in top:
            raise self.fail("years", "缺少 years（各年份的 holidays / workdays）", root)
        years_node = top["years"]
        years_map = self.mapping(years_node, "years", (), "映射（年份 → 安排）")
        if not years_map:
            raise self.fail("years", "至少要声明一个年份", years_node)
        key_nodes = {str(k.value): k for k, _ in years_node.value}
        years: dict[int, YearSchedule] = {}
        for key, node in years_map.items():
            where = f"years.{key}"
            if not _YEAR_RE.match(key):
                raise self.fail(where, f"“{key}”不是四位数字年份", key_nodes[key])
            year = int(key)
            fields = self.mapping(node, where, _YEAR_KEYS, "映射（holidays、workdays、note）")
            if "holidays" not in fields:
                raise self.fail(where, "缺少 holidays（当年全部放假日期）", node)
            holidays = self.days(fields["holidays"], f"{where}.holidays", year)
            workdays = (self.days(fields["workdays"], f"{where}.workdays", year)
                        if "workdays" in fields else {})
            year_note = (self.text(fields["note"], f"{where}.note", required=False)
                         if "note" in fields else None)
            for problem in _year_problems(year, holidays, workdays):
                if problem.kind == "workdays" and problem.day in workdays:
                    entry = workdays[problem.day][1]
                    message = problem.message
                    if problem.day in holidays:
                        h = holidays[problem.day][1]
                        message += f"（休息日见 {h.where}，第{h.line}行）"
                    raise self.fail(entry.where, message, entry=entry)
                target = fields.get("holidays", node)
                raise self.fail(f"{where}.holidays", problem.message, target)
            years[year] = YearSchedule(
                holidays={d: v[0] for d, v in sorted(holidays.items())},
                workdays={d: v[0] for d, v in sorted(workdays.items())},
                note=year_note,
            )
        assert source is not None
        return Schedule(source=source, note=note, example=example, origin=self.origin, years=years)


def _read_source(source: str | os.PathLike[str]) -> tuple[str, str | None]:
    """Return (text, origin): a path is read; a string is a path if it looks like one."""
    path: Path | None = None
    if isinstance(source, os.PathLike):
        path = Path(source)
    elif isinstance(source, str):
        if "\n" not in source:
            stripped = source.strip()
            if stripped.lower().endswith((".yaml", ".yml")):
                path = Path(stripped)
            else:
                try:
                    if stripped and Path(stripped).is_file():
                        path = Path(stripped)
                except OSError:
                    path = None
    else:
        raise TypeError(f"expected a path or YAML text, got {type(source).__name__}")
    if path is None:
        return str(source), None
    origin = str(path)
    try:
        return path.read_text(encoding="utf-8"), origin
    except FileNotFoundError:
        raise CalendarError("节假日安排文件不存在", path=origin) from None
    except UnicodeDecodeError:
        raise CalendarError("节假日安排文件不是 UTF-8 编码", path=origin) from None
    except OSError as exc:
        raise CalendarError(f"无法读取节假日安排文件：{exc.strerror or exc}", path=origin) from None


def load_schedule(path_or_text: str | os.PathLike[str]) -> Schedule:
    """Load a holiday schedule from a YAML file path or YAML text.

    Raises :class:`CalendarError` (Chinese message naming the location inside the file, with the
    file path and line) for syntax errors, unknown fields, nonexistent dates, dates outside their
    year, ranges whose start is after their end, a date listed both as a rest day and as a
    make-up working day, a make-up day on a weekday, and a declared year missing a fixed-date
    statutory holiday.
    """
    text, origin = _read_source(path_or_text)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "无法解析"
        raise CalendarError(
            f"YAML 语法错误：{problem}", path=origin,
            line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise CalendarError(f"YAML 错误：{exc}", path=origin) from None
    return _ScheduleParser(origin).parse(root)
