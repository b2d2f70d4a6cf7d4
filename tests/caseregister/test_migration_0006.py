"""Migration 0006 (timeline steps as stored data) from the previous schema with cases in it, stored the
way the program stored them then (each version's steps with their status as of the day it was saved,
in ``deadlines``; the next deadline of that day on the case row), on both backends: every version's
steps are computed and stored, the old table and columns go, the board and the 台账 answer as the
timelines do today, and a new version stores its own steps. A downgrade rebuilds exactly what was
there."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy import Connection, Engine, inspect, select

from casefile.model import Case as CaseData
from caseregister import accounts, deadlines, migrate, versions
from caseregister.casedata import listing, parsed_data, submit, text_sha256
from caseregister.engine import read_session, write_session
from caseregister.integrity import problems
from caseregister.models import TimelineStep
from caseregister.views import CaseFilter, case_page, deadline_board
from procedure.timeline import build_timeline

from ..conftest import TEST_TODAY
from ..procedure.test_timeline_daily import variants
from .conftest import example_text
from .test_deadlines import reference_board, reference_ledger

AT = datetime(2025, 9, 1, 8, 30)
SAVED_ON = date(2025, 9, 1)  # the day the versions were saved: their stored statuses are that day's
TODAY = date.fromisoformat(TEST_TODAY)

META = sa.MetaData()
DEADLINES = sa.Table("deadlines", META, sa.Column("version_id", sa.Integer), sa.Column("position", sa.Integer),
                     sa.Column("step", sa.String), sa.Column("title", sa.String), sa.Column("due", sa.Date),
                     sa.Column("done", sa.Date), sa.Column("status", sa.String), sa.Column("status_label", sa.String))
CASES = sa.Table("cases", META, sa.Column("id", sa.Integer), sa.Column("next_deadline", sa.Date),
                 sa.Column("next_deadline_title", sa.String))


def _insert(c: Connection, sql: str, **values: Any) -> int:
    return int(c.execute(sa.text(sql + " RETURNING id"), values).scalar_one())


def _old_rows(text: str) -> tuple[list[dict[str, Any]], tuple[date, str] | None]:
    """A version's ``deadlines`` rows (without version) and the case row's next deadline, as the program
    stored them before 0006 (computed as of the day saved)."""
    steps = build_timeline(CaseData.model_validate(parsed_data(text, "yaml")), SAVED_ON).steps
    rows = [{"position": i, "step": s.code, "title": s.title, "due": s.due, "done": s.done.date if s.done else None,
             "status": s.status, "status_label": s.status_label} for i, s in enumerate(steps)]
    nxt = min(((s.due, s.title) for s in steps if s.is_open and s.due is not None), key=lambda x: x[0], default=None)
    return rows, nxt


def _seed_0005(engine: Engine) -> dict[str, Any]:
    """At 0005: a department with a user, a case with two versions and one per variant below (paused
    investigation, no ruling yet, …), each with its old deadlines rows and next deadline."""
    migrate.upgrade(engine, "0005")
    zhangye = example_text("zhangye")
    texts = {"zhangye": [zhangye, zhangye.replace("effect_assessment_deadline: 2027-08-31",
                                                  "effect_assessment_deadline: 2026-12-20")]}
    for name in ("guangxi-paused-late", "guangxi-no-ruling", "zhangye-no-reply"):
        texts[name] = [yaml.safe_dump(variants()[name], allow_unicode=True, sort_keys=False)]
    seeded: dict[str, Any] = {"old": {}, "next": {}}
    with engine.begin() as c:
        dept = _insert(c, "INSERT INTO departments (name, created_at, code) VALUES ('张掖市生态环境局', :at, 'ZY')", at=AT)
        for n, bodies in enumerate(texts.values()):
            data = parsed_data(bodies[-1], "yaml")
            fields = listing(CaseData.model_validate(data))
            fields["case_number"] = f"旧〔2025〕{n + 1}号"
            case_id = _insert(c, "INSERT INTO cases (department_id, case_number, title, jurisdiction, stage, stage_label, "
                                 "obligor_names, current_version, created_at, updated_at) VALUES (:d, :case_number, "
                                 ":title, :jurisdiction, :stage, :stage_label, :obligor_names, :v, :at, :at)",
                              d=dept, v=len(bodies), at=AT, **fields)
            for number, body in enumerate(bodies, start=1):
                version = _insert(c, "INSERT INTO case_versions (case_id, number, base_number, text, text_format, "
                                     "text_sha256, data, source_name, author, reason, computed_on, created_at) VALUES "
                                     "(:case, :number, :base, :text, 'yaml', :sha, :data, NULL, '张三', '登记', :on, :at)",
                                  case=case_id, number=number, base=number - 1 or None, text=body,
                                  sha=text_sha256(body), data=json.dumps(parsed_data(body, "yaml")), on=SAVED_ON,
                                  at=AT)
                _insert(c, "INSERT INTO audit_log (at, actor, action, case_id, entity, entity_id, detail) VALUES "
                           "(:at, '张三', 'version.create', :case, 'case_versions', :v, '{}')", at=AT, case=case_id,
                        v=version)
                rows, nxt = _old_rows(body)
                c.execute(DEADLINES.insert(), [{"version_id": version, **r} for r in rows])
                seeded["old"][version] = rows
            c.execute(CASES.update().where(CASES.c.id == case_id)
                      .values(next_deadline=nxt[0] if nxt else None, next_deadline_title=nxt[1] if nxt else None))
            seeded["next"][case_id] = nxt
    with write_session(engine) as s:
        accounts.add_user(s, "zhang", "张三", "Shengtai-2025!hz", "drafter", "ZY", actor="管理员")
    return seeded


def test_upgrade_from_0005_stores_every_versions_steps(bare_engine: Engine):
    seeded = _seed_0005(bare_engine)
    migrate.upgrade(bare_engine)
    assert migrate.current_revision(bare_engine) == migrate.head_revision()
    assert migrate.schema_differences(bare_engine) == []
    assert problems(bare_engine) == []
    schema = inspect(bare_engine)
    assert "deadlines" not in schema.get_table_names()
    assert not {"next_deadline", "next_deadline_title"} & {c["name"] for c in schema.get_columns("cases")}
    columns = [c for c in TimelineStep.__table__.columns if c.key != "id"]
    with read_session(bare_engine) as s:
        stored = [dict(r._mapping) for r in s.execute(select(*columns).order_by(
            TimelineStep.case_id, TimelineStep.version, TimelineStep.position))]
        expected = [row for case_id, number, data in s.execute(sa.text(
            "SELECT case_id, number, data FROM case_versions ORDER BY case_id, number"))
            for row in deadlines.step_rows(case_id, number, CaseData.model_validate(
                data if isinstance(data, dict) else json.loads(data)))]
        assert len(stored) == sum(len(rows) for rows in seeded["old"].values()) and stored == expected
        user = accounts.find_user(s, "zhang")
        board = deadline_board(s, user, TODAY)
        assert board.stale == len(seeded["next"])  # steps stored before their fingerprints were (0007)
        assert board.model_copy(update={"stale": 0}) == reference_board(s, user, TODAY)
        page = case_page(s, user, CaseFilter(), TODAY)
        assert [(r.id, r.next_deadline, r.next_deadline_title, r.overdue) for r in page.items] == \
            reference_ledger(s, user, TODAY)
        # what the board shows today is not what was stored on the day the versions were saved
        assert {r.id: (r.next_deadline, r.next_deadline_title) for r in page.items} != seeded["next"]
    with write_session(bare_engine) as s:  # a version saved now stores its own steps
        case_id = min(seeded["next"])
        versions.save_version(s, case_id, submit(example_text("zhangye"), "yaml"), base=2, author="李四",
                              reason="撤回修改")
    with read_session(bare_engine) as s:
        assert s.scalar(select(sa.func.count()).where(TimelineStep.case_id == case_id,
                                                      TimelineStep.version == 3)) == len(seeded["old"][1])


def test_downgrade_to_0005_rebuilds_what_was_there(bare_engine: Engine):
    seeded = _seed_0005(bare_engine)
    migrate.upgrade(bare_engine)
    migrate.downgrade(bare_engine, "0005")
    assert migrate.current_revision(bare_engine) == "0005"
    with bare_engine.connect() as c:
        assert "timeline_steps" not in inspect(c).get_table_names()
        old: dict[int, list[dict[str, Any]]] = {}
        for row in c.execute(select(DEADLINES).order_by(DEADLINES.c.version_id, DEADLINES.c.position)):
            values = dict(row._mapping)
            old.setdefault(values.pop("version_id"), []).append(values)
        assert old == seeded["old"]
        nxt = {i: (d, t) if d else None for i, d, t in c.execute(select(CASES))}
        assert nxt == seeded["next"]
    migrate.upgrade(bare_engine)
    assert migrate.schema_differences(bare_engine) == []
