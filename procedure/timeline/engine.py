"""Build a case's timeline: steps, checks, stage, what comes next, warnings, regulation status; and
its steps as far as they do not depend on the day (:func:`standing_steps`)."""

from __future__ import annotations

from datetime import date

from casefile.model import Case
from corpus import load_corpus
from corpus.profiles import Profile, get_profile
from ecokernel.calendar import CalendarWarning, WorkCalendar
from procedure.timeline.basis import Citer
from procedure.timeline.checks import all_checks
from procedure.timeline.daily import OpenKind, StandingStep
from procedure.timeline.fees import case_fees
from procedure.timeline.recurring import recurring_duties
from procedure.timeline.result import NextItem, SourceInfo, StageInfo, Step, Timeline
from procedure.timeline.rules import RuleSet, load_rules
from procedure.timeline.steps import StepContext, evaluate


def build_timeline(case: Case, on: date, calendar: WorkCalendar | None = None, *, cite: bool = False,
                   recurring: bool = False) -> Timeline:
    """The timeline of ``case`` as of ``on``.

    ``calendar`` defaults to the library schedule (pass one built with a user schedule for years
    the library does not know); ``cite`` adds article texts to every basis; ``recurring`` adds the
    jurisdiction's recurring duties for the next twelve months.
    """
    from procedure.stage import (
        infer_stage,  # procedure.stage uses procedure.timeline.paths: import here, not at the top
    )

    calendar = calendar or WorkCalendar()
    profile = get_profile(case.jurisdiction)
    rules = load_rules()
    citer = Citer(profile, cite=cite)
    ctx = StepContext(case=case, profile=profile, calendar=calendar, on=on, citer=citer)
    steps = evaluate(ctx, rules.rules)
    checks = all_checks(case, profile, citer, ctx.facts)
    duties = recurring_duties(rules.recurring, profile, calendar, on, citer) if recurring else []
    stage = infer_stage(case)
    fees = case_fees(case, on, citer.make)
    warnings = _collect([w for s in steps for w in s.warnings] + [w for d in duties for w in d.warnings])
    corpus = load_corpus()
    sources = [SourceInfo(source=s, status=code, message=text)
               for s in citer.used for code, text in [corpus.source_status(s, on)]]
    return Timeline(
        case_name=case.case_name, case_number=case.case_number, jurisdiction=profile.key,
        jurisdiction_name=profile.name, on=on,
        stage=StageInfo(code=stage.code, label=stage.label, since=stage.since),
        next=_next(steps, checks, stage.next), steps=steps, checks=checks, recurring=duties, fees=fees,
        calendar_warnings=warnings, sources=sources,
    )


def standing_steps(case: Case, calendar: WorkCalendar | None = None, *, profile: Profile | None = None,
                   rules: RuleSet | None = None) -> list[StandingStep]:
    """The case's steps (those of :func:`build_timeline`, in its order) as far as they do not depend
    on the day (:mod:`procedure.timeline.daily`).

    They are the steps evaluated as of a day before every date (``date.min``): on it every step that
    is open on some day is open and not yet overdue (due, or paused), and no day has moved a paused
    step's due date yet; a step that is not open on it is not open on any day. ``profile`` (the
    case's jurisdiction's) and ``rules`` default to the bundled data; the case register passes the
    ones it fingerprints (:mod:`caseregister.knowledge`).
    """
    calendar = calendar or WorkCalendar()
    profile = profile or get_profile(case.jurisdiction)
    evaluated = (rules or load_rules()).rules
    ctx = StepContext(case=case, profile=profile, calendar=calendar, on=date.min, citer=Citer(profile))
    windows = {rule.code: rule.window for rule in evaluated}
    out: list[StandingStep] = []
    for s in evaluate(ctx, evaluated):
        since: date | None = None
        remaining: int | None = None
        if s.status == "paused":
            assert s.due is not None
            since = ctx.facts[s.code]["paused_since"]
            remaining = ((s.moved_from or s.due) - since).days
            kind: OpenKind | None = "paused"
        elif s.is_open:
            kind = "span" if s.kind == "min_span" else "window" if windows[s.code] else "duty"
        else:
            kind = None
        out.append(StandingStep(code=s.code, title=s.title, due=s.due, done=s.done.date if s.done else None,
                                open=kind, working=s.limit is not None and s.limit.unit == "工作日",
                                paused_since=since, remaining=remaining, basis=[b.address for b in s.basis]))
    return out


def _collect(warnings: list[CalendarWarning]) -> list[CalendarWarning]:
    seen: dict[tuple[str, int], CalendarWarning] = {}
    for w in warnings:
        seen.setdefault((w.code, w.year), w)
    return sorted(seen.values(), key=lambda w: (w.year, w.code))


def _next(steps: list[Step], checks: list, hints: list[str]) -> list[NextItem]:
    out: list[NextItem] = []
    for s in sorted((s for s in steps if s.is_open), key=lambda s: (s.due or date.max)):
        due = s.due.isoformat() if s.due else "—"
        out.append(NextItem(text=f"{s.title}：{s.status_label}（到期日{due}）", due=s.due, step=s.code))
    for c in checks:
        if c.code == "LITIGATION-DUE":
            out.append(NextItem(text=c.message, step=c.code))
    out.extend(NextItem(text=h) for h in hints)
    return out
