"""Evaluate the deadline rules of ``deadlines.yaml`` on a case: one :class:`Step` per applicable step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from casefile.model import Case
from corpus.profiles import Parameter, Profile
from ecokernel.calendar import BASIS_REST_DAY_EXTENSION, CalendarWarning, WorkCalendar
from procedure.timeline.basis import Citer
from procedure.timeline.daily import PAUSED_LABEL, DayStatus, late_label, status_on
from procedure.timeline.paths import dates, first_holding, pick, values
from procedure.timeline.result import Event, Limit, StatusCode, Step
from procedure.timeline.rules import EventRef, Rule


@dataclass
class _Draft:
    """A step under construction."""

    rule: Rule
    title: str
    start: Event | None = None
    limit: Limit | None = None
    due: date | None = None
    moved_from: date | None = None
    done: Event | None = None
    status: StatusCode = "pending"
    status_label: str = "未到"
    days: int | None = None
    day_unit: str | None = None
    notes: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    warnings: list[CalendarWarning] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class StepContext:
    case: Case
    profile: Profile
    calendar: WorkCalendar
    on: date
    citer: Citer
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)


def _resolve(root: Any, refs: list[EventRef]) -> Event | None:
    for ref in refs:
        if ref.when and not any(v not in (None, False, [], "") for v in values(root, ref.when)):
            continue
        found = [d for p in ref.path for d in dates(root, p)]
        chosen = pick(found, ref.pick)
        if chosen is not None:
            return Event(label=ref.label, date=chosen, path=ref.path[0])
    return None


def _fixed_due(cal: WorkCalendar, nominal: date) -> tuple[date, date | None, list[CalendarWarning]]:
    """A date written in the case, moved off a rest day (minfadian:203)."""
    d = nominal
    while cal.is_rest_day(d):
        d += timedelta(days=1)
    return d, (nominal if d != nominal else None), cal.year_warnings(range(nominal.year, d.year + 1))


def _working(unit: str | None) -> bool:
    return unit == "工作日"


def _settle(ctx: StepContext, d: _Draft, unit: str | None) -> None:
    """Status of a step with a due date: done → in time / late; open → closed / due / overdue."""
    assert d.due is not None
    working = _working(unit)
    if d.done is not None:
        late, warns = ctx.calendar.days_late(d.due, d.done.date, working)
        d.warnings += warns
        if late:
            d.status, d.days = "late", late
            d.day_unit = "工作日" if working else "日"
            d.status_label = late_label(late, working, "逾期")
        else:
            d.status, d.status_label = "in_time", "按期"
        return
    closed = first_holding(d.rule.closed_by, ctx.case)
    if closed is not None:
        d.status, d.status_label = "closed", f"已终结（{closed.label}）"
        return
    if d.status == "paused":
        return
    _apply(d, status_on("window" if d.rule.window else "duty", d.due, ctx.on, ctx.calendar, working=working,
                        window=d.rule.window or ""))


def _apply(d: _Draft, day: DayStatus) -> None:
    d.status, d.status_label, d.days, d.day_unit = day.status, day.label, day.days, day.day_unit
    d.warnings += day.warnings


def _limit(name: str, p: Parameter) -> Limit:
    unit = p.unit or ""
    return Limit(param=name, value=int(p.value), unit=unit, text=p.text)


def _period_step(ctx: StepContext, rule: Rule, p: Parameter | None) -> _Draft:
    """A period from a start event; ``p`` may be None when the case itself fixes the due date."""
    d = _Draft(rule, rule.title, limit=_limit(rule.param or "", p) if p else None,
               addresses=list(p.basis) if p else [])
    d.start = _resolve(ctx.case, rule.start)
    d.done = _resolve(ctx.case, rule.done)
    if d.start is None:
        return d
    unit = (p.unit if p else None) or "日"
    override = _resolve(ctx.case, rule.due) if rule.due else None
    if override is not None:
        d.due, d.moved_from, warns = _fixed_due(ctx.calendar, override.date)
        d.warnings += warns
        d.notes.append(f"到期日取{override.label}（{override.date.isoformat()}）")
        if d.moved_from:
            d.addresses.append(BASIS_REST_DAY_EXTENSION)
    else:
        if p is None:
            return d
        extra = _extensions(ctx, rule, d, unit) + _exclusions(ctx, rule, d, unit)
        period = ctx.calendar.add_period(d.start.date, int(p.value) + extra, unit)
        d.due, d.moved_from = period.end, period.moved_from
        d.warnings += period.warnings
        d.addresses += period.basis
        if period.moved_from:
            d.notes.append(f"期间末日{period.moved_from.isoformat()}为休息日，顺延至{period.end.isoformat()}")
    _settle(ctx, d, unit)
    return d


def _extensions(ctx: StepContext, rule: Rule, d: _Draft, unit: str) -> int:
    total = 0
    for ext in rule.extends:
        if not any(v is not None for v in values(ctx.case, ext.when)):
            continue
        raw = next((v for v in values(ctx.case, ext.days) if isinstance(v, int)), 0)
        cap = ctx.profile.param(ext.max_param)
        days = raw
        if cap is not None:
            d.addresses += cap.basis
            if raw > int(cap.value):
                days = int(cap.value)
                d.notes.append(f"{ext.label}{raw}日，超过可延长的{cap.value}日，按{cap.value}日计算")
        if unit != "日":
            d.notes.append(f"{ext.label}：期限单位为{unit}，延长未计入")
            continue
        total += days
        d.notes.append(f"{ext.label}{days}日")
        d.facts["extended"] = days
    return total


def _exclusions(ctx: StepContext, rule: Rule, d: _Draft, unit: str) -> int:
    assert d.start is not None and d.limit is not None
    total = 0
    for exc in rule.excludes:
        switch = ctx.profile.param(exc.switch)
        if switch is None or switch.value is not True:
            continue
        begin = pick(dates(ctx.case, exc.start), "first")
        end = pick(dates(ctx.case, exc.end), "last")
        if begin is None or unit != "日":
            continue
        d.addresses += switch.basis
        base_end = d.start.date + timedelta(days=d.limit.value + int(d.facts.get("extended", 0)))
        if begin > base_end:
            d.notes.append(f"{exc.label}：委托（{begin.isoformat()}）时期限已届满，不予扣除")
            continue
        counted_from = max(begin, d.start.date)
        if end is None:
            span_end = max(ctx.on, counted_from)
            if d.done is None:
                d.status, d.status_label = "paused", PAUSED_LABEL
                d.facts["paused_since"] = counted_from
                d.notes.append(f"{exc.label}：鉴定评估自{begin.isoformat()}起尚未出具，期限暂停计算，"
                               "下列到期日按截至评估日计算，将随出具日期顺延")
        else:
            span_end = end
        excluded = max((span_end - counted_from).days, 0)
        total += excluded
        d.notes.append(f"{exc.label}：扣除{begin.isoformat()}至{span_end.isoformat()}共{excluded}日")
    return total


def _fixed_steps(ctx: StepContext, rule: Rule) -> list[_Draft]:
    items: list[Any] = values(ctx.case, rule.each) if rule.each else [ctx.case]
    drafts = []
    for n, item in enumerate((i for i in items if i is not None), start=1):
        title = rule.title.format(n=n)
        d = _Draft(rule, title, addresses=[])
        if rule.each and getattr(item, "description", None):
            d.notes.append(f"{item.description}")
        if rule.each and getattr(item, "amount", None) is not None:
            d.notes.append(f"金额{item.amount:,.2f}元")
        due = _resolve(item, rule.due)
        d.done = _resolve(item, rule.done)
        if due is None:
            continue
        d.notes.insert(0, f"期限依据：{due.label}")
        unmet = next((c for c in rule.applies_if if not c.holds(ctx.case)), None)
        if unmet is not None:
            d.due = due.date
            d.notes.append(f"未到：{unmet.label or '前提未满足'}")
            drafts.append(d)
            continue
        d.due, d.moved_from, warns = _fixed_due(ctx.calendar, due.date)
        d.warnings += warns
        if d.moved_from:
            d.addresses.append(BASIS_REST_DAY_EXTENSION)
            d.notes.append(f"约定期限末日{d.moved_from.isoformat()}为休息日，顺延至{d.due.isoformat()}")
        _settle(ctx, d, "日")
        drafts.append(d)
    return drafts


def _count_step(ctx: StepContext, rule: Rule, p: Parameter) -> _Draft:
    d = _Draft(rule, rule.title, limit=_limit(rule.param or "", p), addresses=list(p.basis))
    found = dates(ctx.case, rule.count or "")
    n, cap = len(found), int(p.value)
    waived = rule.waived_by is not None and rule.waived_by.holds(ctx.case)
    d.facts["count"] = n
    agreed = bool(dates(ctx.case, "agreement.date"))
    d.facts["limit_reached"] = n >= cap and not waived and not agreed
    if n == 0:
        return d
    d.start = Event(label="第一次会议", date=found[0], path=rule.count or "")
    if n > cap and not waived:
        d.status, d.status_label = "violated", f"不符合（已召开{n}次，超过{cap}次）"
        d.days, d.done = n - cap, Event(label=f"第{cap + 1}次会议", date=found[cap], path=rule.count or "")
    else:
        d.status, d.status_label = "ok", f"符合（已召开{n}次，上限{cap}次）"
        if waived and n > cap:
            d.notes.append(rule.waived_by.label or "经同意增加次数")  # type: ignore[union-attr]
    if d.facts["limit_reached"]:
        d.notes.append(f"已召开{n}次仍未达成协议")
    return d


def _min_span_step(ctx: StepContext, rule: Rule, p: Parameter) -> _Draft:
    d = _Draft(rule, rule.title, limit=_limit(rule.param or "", p), addresses=list(p.basis))
    d.start = _resolve(ctx.case, rule.start)
    d.done = _resolve(ctx.case, rule.done)
    if d.start is None:
        return d
    n = int(p.value)
    d.due = d.start.date + timedelta(days=n)
    then = _resolve(ctx.case, [rule.then]) if rule.then else None
    problems = []
    if d.done is not None:
        span = (d.done.date - d.start.date).days
        if span < n:
            problems.append(f"公告期间仅{span}日，不足{n}日")
            d.days, d.day_unit = n - span, "日"
    if then is not None and then.date <= d.due:
        problems.append(f"{then.label}（{then.date.isoformat()}）早于公告期满（{d.due.isoformat()}）")
    if problems:
        d.status, d.status_label = "violated", "不符合（" + "；".join(problems) + "）"
    elif d.done is not None or then is not None:
        d.status, d.status_label = "ok", "符合"
    else:
        _apply(d, status_on("span", d.due, ctx.on, ctx.calendar))
    d.notes.append(f"公告期间不少于{n}日，最早于{d.due.isoformat()}届满")
    return d


def evaluate(ctx: StepContext, rules: list[Rule]) -> list[Step]:
    """Every step of every rule that applies to the case's jurisdiction."""
    steps: list[Step] = []
    for rule in rules:
        p = ctx.profile.param(rule.param) if rule.param else None
        fixed_by_case = rule.kind == "period" and bool(rule.due) and _resolve(ctx.case, rule.due) is not None
        if rule.param and p is None and not fixed_by_case:
            continue
        if rule.kind == "fixed":
            drafts = _fixed_steps(ctx, rule)
        elif rule.kind == "period":
            drafts = [_period_step(ctx, rule, p)]
        elif rule.kind == "count":
            assert p is not None
            drafts = [_count_step(ctx, rule, p)]
        else:
            assert p is not None
            drafts = [_min_span_step(ctx, rule, p)]
        for d in drafts:
            ctx.facts.setdefault(rule.code, {}).update(d.facts, status=d.status)
            step = _finish(ctx, d)
            if step is not None:
                steps.append(step)
    return steps


def _finish(ctx: StepContext, d: _Draft) -> Step | None:
    rule = d.rule
    if d.status == "pending":
        # Not started: shown as 未到 unless the case has moved past it (terminated/closed).
        if first_holding(rule.closed_by, ctx.case) is not None:
            return None
        if d.start is None and rule.kind in ("period", "min_span"):
            unmet = next((c for c in rule.applies_if if not c.holds(ctx.case)), None)
            d.notes.insert(0, f"起算事件尚未发生（{rule.start[0].label}）" + (f"；{unmet.label}" if unmet and unmet.label else ""))
        elif rule.kind == "count" and not d.notes:
            d.notes.append("尚未召开磋商会议")
    elif rule.kind == "period":
        unmet = next((c for c in rule.applies_if if not c.holds(ctx.case)), None)
        if unmet is not None and d.done is None:
            d.status, d.status_label, d.days, d.day_unit = "pending", "未到", None, None
            d.notes.insert(0, f"未到：{unmet.label or '前提未满足'}")
    estimated = any(w.code == "unknown_year" for w in d.warnings)
    return Step(
        code=rule.code, title=d.title, kind=rule.kind, start=d.start, limit=d.limit, due=d.due,
        moved_from=d.moved_from, done=d.done, status=d.status, status_label=d.status_label,
        days=d.days, day_unit=d.day_unit, category=rule.category,  # type: ignore[arg-type]
        notes=d.notes, basis=ctx.citer.make([*d.addresses, *ctx.citer.local(rule.cite)]),
        warnings=_dedupe(d.warnings), estimated=estimated,
    )


def _dedupe(warnings: list[CalendarWarning]) -> list[CalendarWarning]:
    seen: dict[tuple[str, int], CalendarWarning] = {}
    for w in warnings:
        seen.setdefault((w.code, w.year), w)
    return sorted(seen.values(), key=lambda w: w.year)
