"""Computing the stored deadlines again when what they were computed with has changed.

A case's current version whose steps carry another fingerprint than the program's knowledge
(:mod:`caseregister.knowledge`: a profile's numbers, the timeline rules or the holiday calendar
changed since they were stored) has its steps computed again (:func:`recompute`; all current
versions with ``everything``). Old versions keep the steps they were stored with: nothing reads
them, and they record what was computed then.

Cases are taken in batches by number. A batch's steps are computed outside any transaction; then,
in one writing transaction per batch, its cases are locked (``FOR UPDATE`` on PostgreSQL, the write
lock on SQLite) and each is written only if it still is as read: a version saved meanwhile stored
its own steps with the program's knowledge, and a case another process has recomputed meanwhile
is left alone. Steps that come out the same are not rewritten (only the fingerprint is); steps
that changed are replaced, with an audit entry on the case listing its changed due dates; and each
batch records one audit entry (which cases, with what). Running it again finds nothing to do.
A case whose steps cannot be computed (data the program no longer reads, a jurisdiction no longer
known) is reported and left as it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, and_, delete, insert, select, tuple_
from sqlalchemy.exc import OperationalError

from casefile.model import Case as CaseData
from caseregister import audit, deadlines, knowledge, migrate
from caseregister.engine import database_unreachable, make_engine, read_session, write_session
from caseregister.knowledge import Knowledge
from caseregister.models import Case, CaseVersion, TimelineStep
from caseregister.settings import SQLITE_FILE, load_settings, recompute_on_start
from ecokernel.errors import UserError

BATCH = 200
#: the stored columns of a step (what a recompute compares)
STEP_COLUMNS = ("position", "step", "title", "due", "done", "open_kind", "working", "paused_since", "remaining",
                "basis")
START_ACTOR = "系统（服务启动）"


@dataclass
class Recomputed:
    """What a recompute did."""

    #: cases whose current steps were computed again
    cases: int = 0
    #: of them, the cases whose stored steps changed
    changed_cases: int = 0
    #: due dates that changed (a step's due date moved, or a step with one came or went)
    due_dates: int = 0
    #: cases that could not be computed, in Chinese
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.cases and not self.failures:
            return "各案件当前版本的期限都已按现行的辖区配置、期限规则和节假日安排计算，无须重新计算。"
        text = f"重新计算了{self.cases}个案件的期限：{self.changed_cases}个案件有变化，共{self.due_dates}个到期日改变。"
        if self.failures:
            text += f"{len(self.failures)}个案件无法重新计算。"
        return text


@dataclass(frozen=True)
class _Computed:
    case_id: int
    version: int
    fingerprint: str
    rows: list[dict[str, Any]]


def _occurrences(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    """Steps by (code, how many of that code came before): an instalment step per instalment."""
    seen: Counter[str] = Counter()
    out = {}
    for row in rows:
        out[(row["step"], seen[row["step"]])] = row
        seen[row["step"]] += 1
    return out


def due_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The due dates that differ between two versions of the same steps."""
    before, after = _occurrences(old), _occurrences(new)
    changes = []
    for key in [*before, *(k for k in after if k not in before)]:
        was = before.get(key, {}).get("due")
        now = after.get(key, {}).get("due")
        if was != now:
            title = (after.get(key) or before[key])["title"]
            changes.append({"step": key[0], "title": title, "old": _iso(was), "new": _iso(now)})
    return changes


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _read_batch(engine: Engine, known: Knowledge, after: int, everything: bool,
                size: int) -> list[tuple[int, int, Any]]:
    """The next cases after number ``after`` (stale ones unless ``everything``): number, current
    version, its data."""
    query = (select(Case.id, Case.current_version, CaseVersion.data)
             .join(CaseVersion, and_(CaseVersion.case_id == Case.id, CaseVersion.number == Case.current_version))
             .where(Case.id > after).order_by(Case.id).limit(size))
    if not everything:
        query = query.where(deadlines.stale(known))
    with read_session(engine) as session:
        return [(case_id, version, data) for case_id, version, data in session.execute(query)]


def _compute(rows: list[tuple[int, int, Any]], known: Knowledge, result: Recomputed) -> list[_Computed]:
    out = []
    for case_id, version, data in rows:
        try:
            case = CaseData.model_validate(data)
            steps = deadlines.step_rows(case_id, version, case, known)
            out.append(_Computed(case_id, version, known.fingerprints[case.jurisdiction], steps))
        except (ValueError, UserError) as exc:
            reason = exc.message if isinstance(exc, UserError) else str(exc).splitlines()[0]
            result.failures.append(f"案件{case_id}第{version}版的期限无法按现行数据计算：{reason}")
    return out


def _write_batch(engine: Engine, batch: list[_Computed], everything: bool, actor: str, known: Knowledge,
                 result: Recomputed) -> None:
    """One transaction: the batch's cases locked, each written if still as read."""
    ids = [c.case_id for c in batch]
    with write_session(engine) as session:
        cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.id)
                                                  .with_for_update())}
        stored: dict[int, list[dict[str, Any]]] = {}
        for row in session.execute(select(TimelineStep.case_id, *(getattr(TimelineStep, c) for c in STEP_COLUMNS))
                                   .join(Case, deadlines.of_current_version()).where(Case.id.in_(ids))
                                   .order_by(TimelineStep.case_id, TimelineStep.position)).mappings():
            stored.setdefault(row["case_id"], []).append({c: row[c] for c in STEP_COLUMNS})
        done: list[int] = []
        replaced: list[_Computed] = []
        for item in batch:
            case = cases.get(item.case_id)
            if case is None or case.current_version != item.version:
                continue  # a version saved meanwhile stored its own steps
            if case.steps_fingerprint == item.fingerprint and not everything:
                continue  # recomputed meanwhile by another process
            old = stored.get(item.case_id, [])
            new = [{c: row[c] for c in STEP_COLUMNS} for row in item.rows]
            case.steps_fingerprint = item.fingerprint
            done.append(item.case_id)
            if new == old:
                continue
            replaced.append(item)
            changes = due_changes(old, new)
            result.changed_cases += 1
            result.due_dates += len(changes)
            audit.record(session, actor=actor, action="timeline.change", entity="timeline_steps",
                         entity_id=None, case_id=item.case_id,
                         detail={"version": item.version, "fingerprint": item.fingerprint, "due_changes": changes})
        if replaced:
            session.execute(delete(TimelineStep).where(
                tuple_(TimelineStep.case_id, TimelineStep.version).in_([(i.case_id, i.version) for i in replaced])))
            rows = [row for item in replaced for row in item.rows]
            if rows:
                session.execute(insert(TimelineStep), rows)
        if done:
            result.cases += len(done)
            audit.record(session, actor=actor, action="timeline.recompute", entity="timeline_steps",
                         entity_id=None, detail={"cases": done, "all": everything,
                                                 "fingerprints": dict(known.fingerprints)})


def recompute(engine: Engine, *, actor: str, everything: bool = False, known: Knowledge | None = None,
              batch: int = BATCH) -> Recomputed:
    """Compute again the stored steps of every case's current version whose fingerprint is not
    ``known``'s (the program's knowledge unless given), or of every case with ``everything``."""
    known = known or knowledge.current()
    result = Recomputed()
    after = 0
    while True:
        rows = _read_batch(engine, known, after, everything, batch)
        if not rows:
            return result
        computed = _compute(rows, known, result)
        if computed:
            _write_batch(engine, computed, everything, actor, known, result)
        after = rows[-1][0]


def at_start() -> list[str]:
    """What the service does with the register when it starts: if its database exists at the newest
    schema and holds cases whose steps were computed with other data, compute them again (or, with
    ``ECOCLAIM_RECOMPUTE_ON_START=0``, only say so). Returns what to tell, in Chinese. A register
    that does not exist, is not reachable or not yet upgraded is left to the requests that use it."""
    settings = load_settings()
    if settings.data_dir is not None and not (settings.data_dir / SQLITE_FILE).exists():
        return []
    engine = make_engine(settings.url)
    try:
        if migrate.current_revision(engine) != migrate.head_revision():
            return []
        with read_session(engine) as session:
            count = deadlines.stale_count(session)
        if not count:
            return []
        if not recompute_on_start():
            return [stale_warning(count)]
        return ["案件台账：" + recompute(engine, actor=START_ACTOR).summary()]
    except OperationalError as exc:
        return [f"注意：未能检查案件台账的期限是否需要重新计算（{database_unreachable(exc, settings.url).message}）"]
    finally:
        engine.dispose()


def stale_warning(count: int) -> str:
    return (f"注意：{count}个案件的期限是按此前的辖区配置、期限规则或节假日安排计算的，可能已过时；"
            "请运行 ecoclaim db recompute 重新计算。")
