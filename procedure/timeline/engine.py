"""Build a case's timeline: steps, checks, stage, what comes next, warnings, regulation status."""

from __future__ import annotations

from datetime import date

from casefile.model import Case
from corpus import load_corpus
from corpus.profiles import get_profile
from ecokernel.calendar import CalendarWarning, WorkCalendar
from procedure.timeline.basis import Citer
from procedure.timeline.checks import all_checks
from procedure.timeline.fees import case_fees
from procedure.timeline.recurring import recurring_duties
from procedure.timeline.result import NextItem, SourceInfo, StageInfo, Step, Timeline
from procedure.timeline.rules import load_rules
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
