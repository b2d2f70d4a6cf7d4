"""Migration 0007 (the fingerprint of what a case's current steps were computed with) from an empty
database and from the previous schema with cases in it, on both backends: every case gets an unknown
fingerprint, so it counts as stale until recomputed — which finds the steps the same (the same
program computed them) and changes nothing else; a downgrade drops the column only."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine, inspect, select

from casefile.model import Case as CaseData
from caseregister import accounts, deadlines, knowledge, migrate, recompute
from caseregister.casedata import listing, parsed_data, text_sha256
from caseregister.engine import read_session, write_session
from caseregister.integrity import problems
from caseregister.models import Case, TimelineStep
from caseregister.views import deadline_board

from ..conftest import TEST_TODAY
from .conftest import example_text

AT = datetime(2025, 9, 1, 8, 30)
TODAY = date.fromisoformat(TEST_TODAY)
STEPS = sa.Table("timeline_steps", sa.MetaData(), *(sa.Column(c.name, c.type) for c in TimelineStep.__table__.columns
                                                    if c.name != "id"))


def _insert(c: Connection, sql: str, **values: Any) -> int:
    return int(c.execute(sa.text(sql + " RETURNING id"), values).scalar_one())


def _seed_0006(engine: Engine) -> dict[int, int]:
    """At 0006: a department with a user, the zhangye example in two versions and the guangxi one, each
    version with its steps stored as the program stored them then. Returns case → number of versions."""
    migrate.upgrade(engine, "0006")
    zhangye = example_text("zhangye")
    texts = [[zhangye, zhangye.replace("effect_assessment_deadline: 2027-08-31",
                                       "effect_assessment_deadline: 2026-12-20")], [example_text("guangxi-cadmium")]]
    seeded = {}
    with engine.begin() as c:
        dept = _insert(c, "INSERT INTO departments (name, created_at, code) VALUES ('张掖市生态环境局', :at, 'ZY')", at=AT)
        for bodies in texts:
            fields = listing(CaseData.model_validate(parsed_data(bodies[-1], "yaml")))
            case_id = _insert(c, "INSERT INTO cases (department_id, case_number, title, jurisdiction, stage, stage_label, "
                                 "obligor_names, current_version, created_at, updated_at) VALUES (:d, :case_number, "
                                 ":title, :jurisdiction, :stage, :stage_label, :obligor_names, :v, :at, :at)",
                              d=dept, v=len(bodies), at=AT, **fields)
            for number, body in enumerate(bodies, start=1):
                data = parsed_data(body, "yaml")
                version = _insert(c, "INSERT INTO case_versions (case_id, number, base_number, text, text_format, "
                                     "text_sha256, data, source_name, author, reason, computed_on, created_at) VALUES "
                                     "(:case, :number, :base, :text, 'yaml', :sha, :data, NULL, '张三', '登记', :on, :at)",
                                  case=case_id, number=number, base=number - 1 or None, text=body,
                                  sha=text_sha256(body), data=json.dumps(data), on=AT.date(), at=AT)
                _insert(c, "INSERT INTO audit_log (at, actor, action, case_id, entity, entity_id, detail) VALUES "
                           "(:at, '张三', 'version.create', :case, 'case_versions', :v, '{}')", at=AT, case=case_id,
                        v=version)
                c.execute(STEPS.insert(), deadlines.step_rows(case_id, number, CaseData.model_validate(data)))
            seeded[case_id] = len(bodies)
    with write_session(engine) as s:
        accounts.add_user(s, "zhang", "张三", "Shengtai-2025!hz", "drafter", "ZY", actor="管理员")
    return seeded


def _steps(engine: Engine) -> list[dict[str, Any]]:
    columns = [c for c in TimelineStep.__table__.columns if c.key != "id"]
    with read_session(engine) as s:
        return [dict(r._mapping) for r in s.execute(select(*columns).order_by(
            TimelineStep.case_id, TimelineStep.version, TimelineStep.position))]


def test_empty_database_to_0007(bare_engine: Engine):
    migrate.upgrade(bare_engine, "0007")
    schema = inspect(bare_engine)
    assert "steps_fingerprint" in {c["name"] for c in schema.get_columns("cases")}
    assert "ix_cases_department_id_steps_fingerprint" in {i["name"] for i in schema.get_indexes("cases")}


def test_upgrade_from_0006_marks_every_case_unknown_until_recomputed(bare_engine: Engine):
    seeded = _seed_0006(bare_engine)
    steps = _steps(bare_engine)
    migrate.upgrade(bare_engine)
    assert migrate.current_revision(bare_engine) == migrate.head_revision()
    assert migrate.schema_differences(bare_engine) == []
    assert problems(bare_engine) == []
    with read_session(bare_engine) as s:
        assert dict(s.execute(select(Case.id, Case.steps_fingerprint)).tuples().all()) == dict.fromkeys(seeded)
        assert deadlines.stale_count(s) == len(seeded)
        board = deadline_board(s, accounts.find_user(s, "zhang"), TODAY)
        assert board.stale == len(seeded)

    result = recompute.recompute(bare_engine, actor="管理员")
    assert (result.cases, result.changed_cases, result.due_dates, result.failures) == (len(seeded), 0, 0, [])
    assert _steps(bare_engine) == steps
    fingerprints = knowledge.current().fingerprints
    with read_session(bare_engine) as s:
        assert deadlines.stale_count(s) == 0
        assert deadline_board(s, accounts.find_user(s, "zhang"), TODAY) == board.model_copy(update={"stale": 0})
        assert {c.id: c.steps_fingerprint for c in s.scalars(select(Case))} == \
            {c.id: fingerprints[c.jurisdiction] for c in s.scalars(select(Case))}
    assert problems(bare_engine) == []


def test_downgrade_to_0006_drops_only_the_fingerprints(bare_engine: Engine):
    _seed_0006(bare_engine)
    steps = _steps(bare_engine)
    with bare_engine.connect() as c:
        cases = c.execute(sa.text("SELECT * FROM cases ORDER BY id")).all()
    migrate.upgrade(bare_engine)
    recompute.recompute(bare_engine, actor="管理员")
    migrate.downgrade(bare_engine, "0006")
    assert migrate.current_revision(bare_engine) == "0006"
    assert "steps_fingerprint" not in {c["name"] for c in inspect(bare_engine).get_columns("cases")}
    assert _steps(bare_engine) == steps
    with bare_engine.connect() as c:
        assert c.execute(sa.text("SELECT * FROM cases ORDER BY id")).all() == cases
    assert problems(bare_engine) == []
    migrate.upgrade(bare_engine)
    assert migrate.schema_differences(bare_engine) == []
    with read_session(bare_engine) as s:
        assert set(s.scalars(select(Case.steps_fingerprint))) == {None}
