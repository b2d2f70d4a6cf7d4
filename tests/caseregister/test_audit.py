"""The audit log records every change and can only be appended to: the database itself refuses
UPDATE and DELETE on it (and on case_versions), on both backends, whoever asks."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError

from caseregister import audit
from caseregister.engine import read_session, write_session
from caseregister.models import AuditEntry, CaseVersion

from .conftest import DEPARTMENT, example_text, save_new_case, save_next


def test_every_change_is_in_the_log(engine: Engine):
    text = example_text("zhangye")
    case_id = save_new_case(engine, text, author="张三").case_id
    save_next(engine, case_id, text.replace("王建军非法采砂", "王某非法采砂"), base=1, author="李四", reason="改名")
    save_next(engine, case_id, text.replace("王建军非法采砂", "王某非法采砂"), base=2)  # unchanged: no entry
    with read_session(engine) as session:
        entries = audit.entries(session)
        for_case = audit.entries(session, case_id)
    assert [(e.action, e.actor) for e in entries] == [
        ("department.create", "张三"), ("case.create", "张三"), ("version.create", "张三"), ("version.create", "李四")]
    assert entries[0].detail == {"name": DEPARTMENT} and entries[0].case_id is None
    assert for_case == entries[1:]
    assert entries[-1].detail["number"] == 2 and entries[-1].detail["reason"] == "改名"


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor = 'x'",
    "DELETE FROM audit_log",
    "UPDATE case_versions SET text = 'x'",
    "DELETE FROM case_versions",
])
def test_the_database_refuses_to_change_history(engine: Engine, statement: str):
    save_new_case(engine, example_text("zhangye"))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.exec_driver_sql(statement)
    with read_session(engine) as session:
        assert len(audit.entries(session)) == 3
        assert session.scalar(select(CaseVersion.text)).startswith("# 示例案件")


def test_the_orm_cannot_change_an_entry_either(engine: Engine):
    save_new_case(engine, example_text("zhangye"))
    with pytest.raises(DBAPIError, match="append-only"), write_session(engine) as session:
        session.scalars(select(AuditEntry)).first().actor = "别人"  # type: ignore[union-attr]
    with pytest.raises(DBAPIError, match="append-only"), write_session(engine) as session:
        session.delete(session.scalars(select(AuditEntry)).first())


def test_postgresql_refuses_truncate(engine: Engine):
    if engine.dialect.name != "postgresql":
        return  # SQLite has no TRUNCATE (its DELETE is refused above)
    save_new_case(engine, example_text("zhangye"))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE audit_log CASCADE")
