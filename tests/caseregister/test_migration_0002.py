"""Migration 0002 (accounts) from the previous schema with data in it, on both backends: departments
get their codes, cases, versions and the audit log are untouched, and the new tables work."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import IntegrityError

from caseregister import migrate, passwords, versions
from caseregister.casedata import parsed_data, text_sha256
from caseregister.engine import read_session, write_session
from caseregister.integrity import problems
from caseregister.models import ApiToken, AuditEntry, Case, CaseVersion, Department, User

from .conftest import example_text

AT = datetime(2025, 3, 1, 8, 30)


def _insert(connection: Connection, sql: str, **values: object) -> int:
    return connection.execute(text(sql + " RETURNING id"), values).scalar_one()


def _seed_previous_schema(engine: Engine) -> dict[str, int]:
    """Two departments with a case each (one with two versions) and their audit entries, at 0001."""
    migrate.upgrade(engine, "0001")
    ids: dict[str, int] = {}
    with engine.begin() as c:
        for key, name in (("first", "张掖市生态环境局"), ("second", "广西壮族自治区自然资源厅")):
            ids[key] = _insert(c, "INSERT INTO departments (name, created_at) VALUES (:name, :at)", name=name, at=AT)
            case = _insert(c, "INSERT INTO cases (department_id, case_number, title, jurisdiction, stage, stage_label, "
                              "obligor_names, current_version, created_at, updated_at) VALUES (:d, :n, :t, 'zhangye', "
                              "'consultation', '磋商', '王某', 1, :at, :at)", d=ids[key], n=f"{key}-1", t=f"{name}的案件",
                           at=AT)
            ids[f"case_{key}"] = case
            for number in (1, 2) if key == "first" else (1,):
                body = example_text("zhangye") + f"# v{number}\n"  # real case data: migration 0006 reads it
                version = _insert(c, "INSERT INTO case_versions (case_id, number, base_number, text, text_format, "
                                     "text_sha256, data, source_name, author, reason, computed_on, created_at) VALUES "
                                     "(:case, :number, :base, :text, 'yaml', :sha, :data, NULL, '张三', '导入', :on, :at)",
                                  case=case, number=number, base=number - 1 or None, text=body,
                                  sha=text_sha256(body), data=json.dumps(parsed_data(body, "yaml")), on=AT.date(), at=AT)
                _insert(c, "INSERT INTO audit_log (at, actor, action, case_id, entity, entity_id, detail) VALUES "
                           "(:at, '张三', 'version.create', :case, 'case_versions', :v, :detail)",
                        at=AT, case=case, v=version, detail=f'{{"number": {number}}}')
            c.execute(text("UPDATE cases SET current_version = :n WHERE id = :id"),
                      {"n": 2 if key == "first" else 1, "id": case})
    return ids


def test_upgrade_from_0001_with_data(bare_engine: Engine):
    ids = _seed_previous_schema(bare_engine)
    migrate.upgrade(bare_engine)
    assert migrate.current_revision(bare_engine) == migrate.head_revision()
    assert migrate.schema_differences(bare_engine) == []

    with read_session(bare_engine) as session:
        departments = {d.id: (d.name, d.code, d.parent_id) for d in session.scalars(select(Department))}
        assert departments == {
            ids["first"]: ("张掖市生态环境局", f"D{ids['first']:04d}", None),
            ids["second"]: ("广西壮族自治区自然资源厅", f"D{ids['second']:04d}", None),
        }
        cases = {c.id: c.department_id for c in session.scalars(select(Case))}
        assert cases == {ids["case_first"]: ids["first"], ids["case_second"]: ids["second"]}
        assert session.scalar(select(func.count()).select_from(CaseVersion)) == 3
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 3
        assert session.scalar(select(func.count()).select_from(User)) == 0
    assert problems(bare_engine) == []

    # the new schema is usable: a user of a migrated department, a token, a new department's code
    with write_session(bare_engine) as session:
        user = User(username="zhangsan", display_name="张三", password_hash=passwords.hash_password("Shengtai-2025!"),
                    role="drafter", department_id=ids["first"])
        session.add(user)
        session.flush()
        session.add(ApiToken(user_id=user.id, name="脚本", token_sha256="0" * 64))
        new = versions.department(session, "甘肃省生态环境厅", "管理员")
    assert new.code == f"D{new.id:04d}"
    with pytest.raises(IntegrityError), write_session(bare_engine) as session:
        session.add(User(username="lisi", display_name="李四", password_hash="x", role="superuser",
                         department_id=ids["first"]))
    with pytest.raises(IntegrityError), write_session(bare_engine) as session:
        session.add(Department(name="重复代码", code=f"D{ids['first']:04d}"))


def test_downgrade_to_0001_keeps_the_cases(bare_engine: Engine):
    ids = _seed_previous_schema(bare_engine)
    migrate.upgrade(bare_engine)
    migrate.downgrade(bare_engine, "0001")
    assert migrate.current_revision(bare_engine) == "0001"
    with bare_engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM cases").scalar() == 2
        assert c.exec_driver_sql("SELECT count(*) FROM audit_log").scalar() == 3
        assert {row[0] for row in c.exec_driver_sql("SELECT id FROM departments")} == {ids["first"], ids["second"]}
    migrate.upgrade(bare_engine)
    assert migrate.schema_differences(bare_engine) == []


def test_sqlite_connections_keep_foreign_keys_after_a_migration(engine: Engine):
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(IntegrityError):
            c.exec_driver_sql("INSERT INTO users (username, display_name, password_hash, role, department_id, active, "
                              "failed_logins, password_changed_at, created_at) VALUES ('x', 'x', 'x', 'reader', 999, "
                              "1, 0, '2025-01-01', '2025-01-01')")
