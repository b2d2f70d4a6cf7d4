"""Periodic reports upward, in the rhythm the jurisdiction profile states:

- the **clue list** (案件线索筛查清单, XLSX): every clue of the period and every clue still being
  handled at its start (the list is kept "动态管理", guangxi:11), with channel, dates, the
  preliminary check and what became of it;
- the **work report** (工作开展情况, DOCX): what happened in the period (clues, claims started,
  agreements and amounts, rulings, payments received, restorations, terminations, closures), the
  cases open by stage and the deadlines overdue at the period's end, and the list of cases.

Nothing here knows a jurisdiction's rhythm: it is profile data (``clue_list_period``,
``clue_list_due_day``, ``work_report_period``, ``annual_report_due``), each with the article it
comes from. Where a profile states no rhythm, :func:`rhythm` says so, and a report can still be
made for any period the user names (its heading then says that no rule fixes it).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from sqlalchemy import distinct, select
from sqlalchemy.orm import Session

from casefile.model import Case as CaseData
from caseregister import knowledge
from caseregister.access import visible_cases
from caseregister.exports.common import (
    DATE_FORMAT,
    Column,
    agreed_total,
    current_data,
    docx_bytes,
    para,
    payments,
    sheet,
    table,
    workbook_bytes,
)
from caseregister.models import Case, User
from corpus import load_corpus
from corpus.profiles import PERIODS, Profile, get_profile
from ecokernel.errors import UserError
from procedure.timeline import build_timeline

# ---- periods ---------------------------------------------------------------------------------

_QUARTERS = "一二三四"


@dataclass(frozen=True)
class Period:
    """A reporting period: a month, quarter, half-year or year (``kind`` is a key of ``PERIODS``)."""

    kind: str
    year: int
    index: int  # 1-based within the year

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * PERIODS[self.kind] + 1, 1)

    @property
    def end(self) -> date:
        last_month = self.index * PERIODS[self.kind]
        following = date(self.year + 1, 1, 1) if last_month == 12 else date(self.year, last_month + 1, 1)
        return following - timedelta(days=1)

    @property
    def label(self) -> str:
        return {"月": f"{self.year}年{self.index}月", "季度": f"{self.year}年第{_QUARTERS[self.index - 1]}季度",
                "半年": f"{self.year}年{'上' if self.index == 1 else '下'}半年", "年": f"{self.year}年度"}[self.kind]

    @property
    def code(self) -> str:
        return {"月": f"{self.year}-{self.index:02d}", "季度": f"{self.year}Q{self.index}",
                "半年": f"{self.year}H{self.index}", "年": f"{self.year}"}[self.kind]


PERIOD_FORMS = "2025Q3（季度）、2025H1（半年）、2025（年度）、2025-07（月）"


def parse_period(text: str) -> Period:
    """``2025Q3``, ``2025H1``, ``2025`` or ``2025-07``; a ``UserError`` naming the forms otherwise."""
    raw = text.strip().upper()
    for pattern, kind in ((r"(\d{4})Q([1-4])", "季度"), (r"(\d{4})H([12])", "半年"), (r"(\d{4})", "年"),
                          (r"(\d{4})-(0?[1-9]|1[0-2])", "月")):
        found = re.fullmatch(pattern, raw)
        if found:
            year = int(found.group(1))
            if not 1990 <= year <= 2100:
                break
            return Period(kind, year, int(found.group(2)) if found.lastindex == 2 else 1)
    raise UserError(f"无法识别报告期间“{text}”，应写作 {PERIOD_FORMS}")


# ---- the rhythm a profile states ------------------------------------------------------------

@dataclass(frozen=True)
class Rhythm:
    """How often a report is due and by when, as the profile states it (or that it states nothing)."""

    report: str  # clue_list | work_report
    title: str
    period: str | None
    due: str | None
    basis: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def stated(self) -> bool:
        return self.period is not None

    def text(self, profile: Profile) -> str:
        cited = "、".join(_cite(a) for a in self.basis)
        if not self.stated:
            rules = "、".join(f"《{load_corpus().source(s).title}》" for s in profile.sources)
            return f"{self.title}：{profile.name}的规定（{rules}）未规定报送周期和日期。"
        due = self.due or "未规定报送日期"
        return f"{self.title}：每{self.period}报送，{due}（{cited}）。" + "".join(self.notes)


def _cite(address: str) -> str:
    unit = load_corpus().get(address)
    return f"{load_corpus().source(unit.source).short}{unit.label}"


REPORT_TITLES = {"clue_list": "案件线索筛查清单", "work_report": "生态环境损害赔偿工作开展情况"}


def rhythm(profile: Profile) -> list[Rhythm]:
    """The clue list's and the work report's rhythm in ``profile`` (inherited parameters included)."""
    out = []
    period = profile.param("clue_list_period")
    day = profile.param("clue_list_due_day")
    if period is None:
        out.append(Rhythm("clue_list", REPORT_TITLES["clue_list"], None, None))
    else:
        due = f"于每{period.value}最后一个月{day.value}日之前" if day else None
        out.append(Rhythm("clue_list", REPORT_TITLES["clue_list"], period.value, due,
                          list(dict.fromkeys([*period.basis, *(day.basis if day else [])]))))
    period = profile.param("work_report_period")
    annual = profile.param("annual_report_due")
    notes = []
    if annual is not None:
        month, dom = (int(x) for x in str(annual.value).split("-"))
        notes.append(f"上年度工作情况于每年{month}月{dom}日前报送（{'、'.join(_cite(a) for a in annual.basis)}"
                     f"{'；' + annual.note if annual.note else ''}）。")
    if period is None:
        out.append(Rhythm("work_report", REPORT_TITLES["work_report"], None, None, notes=notes))
    else:
        out.append(Rhythm("work_report", REPORT_TITLES["work_report"], period.value, None, list(period.basis),
                          notes))
    return out


def due_date(profile: Profile, report: str, period: Period) -> date | None:
    """When the report of ``period`` is due, where the profile fixes a date for that period."""
    if report == "clue_list":
        kind, day = profile.param("clue_list_period"), profile.param("clue_list_due_day")
        if kind is not None and day is not None and kind.value == period.kind:
            return date(period.year, period.end.month, int(day.value))
    if report == "work_report" and period.kind == "年":
        annual = profile.param("annual_report_due")
        if annual is not None:
            month, dom = (int(x) for x in str(annual.value).split("-"))
            return date(period.year + 1, month, dom)
    return None


def _heading_lines(profile: Profile, report: str, period: Period) -> list[str]:
    found = next(r for r in rhythm(profile) if r.report == report)
    lines = [found.text(profile)]
    due = due_date(profile, report, period)
    if due is not None:
        lines.append(f"本期（{period.label}）应于{due:%Y年%m月%d日}前报送。".replace("年0", "年").replace("月0", "月"))
    elif found.stated and found.period != period.kind:
        lines.append(f"本期按所选期间（{period.label}）生成；规定的报送周期为每{found.period}。")
    return lines


# ---- which cases --------------------------------------------------------------------------

def report_jurisdiction(session: Session, user: User, jurisdiction: str | None) -> str:
    """The jurisdiction to report on: the one given, or the only one among the user's cases."""
    if jurisdiction:
        return get_profile(jurisdiction).key
    keys = sorted(session.scalars(visible_cases(session, user, select(distinct(Case.jurisdiction)))))
    if len(keys) == 1:
        return keys[0]
    if not keys:
        raise UserError("台账中没有您可以查看的案件，无法确定辖区：请指定辖区")
    raise UserError(f"您可以查看的案件分属多个辖区（{'、'.join(keys)}）：请指定辖区")


def _cases(session: Session, user: User, jurisdiction: str) -> tuple[list[Case], dict[int, CaseData]]:
    rows = list(session.scalars(visible_cases(session, user).where(Case.jurisdiction == jurisdiction)
                                .order_by(Case.id)))
    return rows, current_data(session, [c.id for c in rows])


def _within(day: date | None, period: Period) -> bool:
    return day is not None and period.start <= day <= period.end


def _finished(case: CaseData) -> date | None:
    """When the case ended (closed, or the claim terminated), if it did."""
    return (case.closure.date if case.closure else None) or (case.termination.date if case.termination else None)


# ---- the clue list -------------------------------------------------------------------------

CLUE_COLUMNS = [
    Column("序号", 6), Column("线索来源渠道", 24), Column("发现或接到线索日期", 14, DATE_FORMAT),
    Column("线索来源说明", 30), Column("案件名称", 32), Column("立案号", 20), Column("赔偿义务人", 24),
    Column("初步核查完成日期", 14, DATE_FORMAT), Column("初步核查结论", 34), Column("索赔启动日期", 14, DATE_FORMAT),
    Column("当前阶段", 14), Column("本期新增", 9),
]


def clue_list_xlsx(session: Session, user: User, jurisdiction: str | None, period: Period) -> tuple[bytes, int]:
    """The clue list of ``period``: the clues received in it and those received before it that were
    still being handled when it began (not closed or terminated by then)."""
    key = report_jurisdiction(session, user, jurisdiction)
    profile = get_profile(key)
    rows, data = _cases(session, user, key)
    listed, without_clue = [], 0
    for row in rows:
        case = data[row.id]
        if case.clue is None:
            without_clue += 1
            continue
        ended = _finished(case)
        if case.clue.received > period.end or (case.clue.received < period.start and ended is not None
                                                and ended < period.start):
            continue
        listed.append((case.clue.received, row, case))
    listed.sort(key=lambda item: (item[0], item[1].id))
    values = [[n, case.clue.channel.label, received, case.clue.description or "", row.title, row.case_number or "",
               row.obligor_names, case.clue.checked, case.clue.check_conclusion or "",
               case.claim_start.date if case.claim_start else None, row.stage_label,
               "是" if _within(received, period) else ""]
              for n, (received, row, case) in enumerate(listed, start=1) if case.clue is not None]
    heading = [f"{user.department.name}{period.label}生态环境损害赔偿案件线索筛查清单（{profile.name}）",
               *_heading_lines(profile, "clue_list", period),
               f"列入本期发现的线索和此前发现、期初仍在办理的线索，共{len(values)}条"
               + (f"；另有{without_clue}个案件未登记线索信息，未列入" if without_clue else "") + "。"]
    wb = Workbook()
    sheet(wb, "线索清单", CLUE_COLUMNS, values, heading=heading, first=True)
    return workbook_bytes(wb), len(values)


# ---- the work report ------------------------------------------------------------------------

Dates = Callable[[CaseData], list[date]]

#: what the work report counts in a period: label, the dates of the event in a case, the amount (if any)
EVENTS: list[tuple[str, Dates, Callable[[CaseData, Period], Decimal | None] | None]] = [
    ("新发现案件线索", lambda c: [c.clue.received] if c.clue else [], None),
    ("完成初步核查", lambda c: [c.clue.checked] if c.clue and c.clue.checked else [], None),
    ("启动索赔", lambda c: [c.claim_start.date] if c.claim_start else [], None),
    ("签署赔偿协议", lambda c: [c.agreement.date] if c.agreement and c.agreement.date else [],
     lambda c, p: agreed_total(c) if c.agreement and _within(c.agreement.date, p) else None),
    ("取得司法确认裁定", lambda c: [c.judicial_confirmation.ruling_date]
     if c.judicial_confirmation and c.judicial_confirmation.ruling_date else [], None),
    ("申请强制执行", lambda c: [c.enforcement.applied] if c.enforcement and c.enforcement.applied else [], None),
    ("收到赔偿款（笔）", lambda c: [p.paid for p in payments(c) if p.paid], lambda c, p: sum(
        (x.amount for x in payments(c) if _within(x.paid, p)), Decimal(0))),
    ("修复完成", lambda c: [c.restoration.completed] if c.restoration and c.restoration.completed else [], None),
    ("完成修复效果评估", lambda c: [c.restoration.effect_assessed]
     if c.restoration and c.restoration.effect_assessed else [], None),
    ("终止索赔", lambda c: [c.termination.date] if c.termination else [], None),
    ("结案", lambda c: [c.closure.date] if c.closure else [], None),
]


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:,.2f}"


def work_report_docx(session: Session, user: User, jurisdiction: str | None, period: Period) -> tuple[bytes, int]:
    """The work report of ``period`` (DOCX) and how many cases it covers."""
    key = report_jurisdiction(session, user, jurisdiction)
    profile = get_profile(key)
    rows, data = _cases(session, user, key)
    title = f"{user.department.name}{period.label}生态环境损害赔偿工作开展情况"
    blocks: list[Any] = [para(title, "title")]
    blocks += [para(line, "note") for line in _heading_lines(profile, "work_report", period)]

    blocks.append(para("一、本期主要工作数据", "h1"))
    figures = [["事项", "件数", "金额（元）"]]
    for label, dates, amount in EVENTS:
        count = sum(1 for row in rows for d in dates(data[row.id]) if _within(d, period))
        total = sum((amount(data[row.id], period) or Decimal(0) for row in rows), Decimal(0)) if amount else None
        figures.append([label, str(count), _money(total) if amount else "—"])
    blocks.append(table(figures, [5, 2, 3]))

    active = [row for row in rows if _started_by(data[row.id], period.end) and not _ended_by(data[row.id], period.end)]
    blocks.append(para("二、期末在办案件", "h1"))
    stages = Counter(row.stage_label for row in active)
    blocks.append(para(f"截至{period.end:%Y-%m-%d}，在办案件{len(active)}件"
                       + ("：" + "，".join(f"{s}{n}件" for s, n in stages.most_common()) if stages else "")
                       + "（阶段按台账中的最新数据）。"))

    blocks.append(para("三、期末逾期事项", "h1"))
    overdue = []
    calendar = knowledge.current().calendar
    for row in active:
        for step in build_timeline(data[row.id], period.end, calendar).steps:
            if step.is_open and step.due is not None and step.due < period.end:
                overdue.append([row.case_number or f"编号{row.id}", row.title, step.title, f"{step.due:%Y-%m-%d}"])
    if overdue:
        blocks.append(table([["立案号", "案件名称", "事项", "到期日"], *overdue], [3, 5, 4, 2]))
    else:
        blocks.append(para(f"截至{period.end:%Y-%m-%d}，没有逾期未办的事项。"))

    blocks.append(para("四、案件清单", "h1"))
    listed = [row for row in rows if _started_by(data[row.id], period.end)
              and not _ended_by(data[row.id], period.start - timedelta(days=1))]
    cases_table = [["序号", "立案号", "案件名称", "赔偿义务人", "当前阶段", "本期事项"]]
    for n, row in enumerate(listed, start=1):
        events = [label for label, dates, _a in EVENTS if any(_within(d, period) for d in dates(data[row.id]))]
        cases_table.append([str(n), row.case_number or "", row.title, row.obligor_names, row.stage_label,
                            "、".join(events) or "—"])
    blocks.append(table(cases_table, [1, 3, 5, 3, 2, 4]) if listed else para("本期没有案件。"))
    return docx_bytes(title, blocks), len(listed)


def _first_day(case: CaseData) -> date | None:
    days = [d for d in (case.clue.received if case.clue else None,
                        case.claim_start.date if case.claim_start else None) if d is not None]
    return min(days, default=None)


def _started_by(case: CaseData, day: date) -> bool:
    first = _first_day(case)
    return first is None or first <= day


def _ended_by(case: CaseData, day: date) -> bool:
    ended = _finished(case)
    return ended is not None and ended <= day
