"""Case timeline: procedural deadlines (rules as data), scope and route checks, stage, next steps.

    from docgen.timeline import build_timeline
    tl = build_timeline(case, on=date(2026, 11, 23))
    tl.steps, tl.checks, tl.stage, tl.next

Rules: ``docgen/data/deadlines.yaml``; checks: ``docgen/data/case_checks.yaml``; stages and form
allowances: ``docgen/data/stages.yaml`` (see :mod:`docgen.stage`). Output: :mod:`docgen.timeline.render`.
"""

from docgen.timeline.engine import build_timeline
from docgen.timeline.result import Basis, Check, Event, Limit, RecurringDuty, Step, Timeline

__all__ = ["Basis", "Check", "Event", "Limit", "RecurringDuty", "Step", "Timeline", "build_timeline"]
