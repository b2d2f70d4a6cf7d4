"""Case timeline: procedural deadlines (rules as data), scope and route checks, stage, next steps.

    from procedure.timeline import build_timeline
    tl = build_timeline(case, on=date(2026, 11, 23))
    tl.steps, tl.checks, tl.stage, tl.next

Rules: ``procedure/data/deadlines.yaml``; checks: ``procedure/data/case_checks.yaml``; stages and form
allowances: ``procedure/data/stages.yaml`` (see :mod:`procedure.stage`). Output: :mod:`procedure.timeline.render`.
"""

from procedure.timeline.engine import build_timeline
from procedure.timeline.result import Basis, Check, Event, Limit, RecurringDuty, Step, Timeline

__all__ = ["Basis", "Check", "Event", "Limit", "RecurringDuty", "Step", "Timeline", "build_timeline"]
