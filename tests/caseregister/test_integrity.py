"""The integrity check finds what it is meant to find."""

from __future__ import annotations

from sqlalchemy import Engine

from caseregister import integrity
from caseregister.engine import write_session
from caseregister.models import CaseVersion

from .conftest import example_text, save_new_case


def test_a_consistent_register_has_no_problems(engine: Engine):
    assert integrity.problems(engine) == []
    save_new_case(engine, example_text("zhangye"))
    assert integrity.problems(engine) == []


def test_a_gap_a_wrong_hash_and_a_missing_audit_entry_are_found(engine: Engine):
    case_id = save_new_case(engine, example_text("zhangye")).case_id
    with write_session(engine) as session:  # written behind the register's back
        session.add(CaseVersion(case_id=case_id, number=3, text="x", text_format="yaml", text_sha256="0" * 64,
                                data={}, author="某人", reason="绕过", computed_on=session.get_one(
                                    CaseVersion, 1).computed_on))
    found = integrity.problems(engine)
    assert any("版本号不连续" in p for p in found)
    assert any("第3版的原文与其校验值不符" in p for p in found)
    assert any("第3版没有审计记录" in p for p in found)
