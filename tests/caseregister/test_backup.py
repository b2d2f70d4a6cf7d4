"""Backup and restore: every row of every table (the audit log included) comes back exactly, on
either database and from one to the other; only into an empty database; a damaged archive is
refused before anything is written."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from caseregister import accounts, approvals, backup, calendarfeeds, integrity, migrate, storedfiles
from caseregister.documents import accept_finding, record_dossier, record_review
from caseregister.engine import make_engine, write_session
from caseregister.settings import sqlite_url
from caseregister.versions import find_case
from docgen.dossier import generate_dossier
from ecokernel.errors import UserError

from ..conftest import example_path
from .conftest import example_text, save_new_case, save_next


def fill(engine: Engine, tmp_path: Path) -> None:
    """Some of everything: cases, versions, deadlines, documents, a review, an accepted finding."""
    text = example_text("zhangye")
    case_id = save_new_case(engine, text).case_id
    save_new_case(engine, example_text("guangxi-cadmium"))
    manifest = generate_dossier(example_path("zhangye"), tmp_path / "dossier", fmt="md", kinds=["agreement"]).manifest
    assert manifest is not None
    with write_session(engine) as session:
        doc = record_dossier(session, manifest, "张三")[0]
        review = record_review(session, find_case(session, str(case_id)),
                               {"findings": [{"rule": "AGR-BREACH", "severity": "error"}], "doc_type": "agreement"},
                               file_name=doc.file_name, file_sha256=doc.sha256, author="李四")
        accept_finding(session, review.id, 0, "已另行约定", "李四")
    save_next(engine, case_id, text.replace("个体运输户", "个体户"), base=1)
    with write_session(engine) as session:  # accounts: a superior department, a user, an API token
        accounts.add_department(session, "甘肃省生态环境厅", "GS-SEE", actor="管理员")
        accounts.add_department(session, "酒泉市生态环境局", "JQ-SEE", parent="GS-SEE", actor="管理员")
        accounts.add_user(session, "zhangsan", "张三", "Shengtai-2025!", "drafter", "JQ-SEE", actor="管理员")
        accounts.issue_token(session, "zhangsan", "导入脚本", actor="管理员")
        # the write side: a stored file (binary, bytes 0–255), an approval, a calendar subscription
        storedfiles.store(session, bytes(range(256)))
        approvals.approve(session, case_id, 2, author="赵局长", comment="同意")
        calendarfeeds.create(session, accounts.find_user(session, "zhangsan"))


def everything(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as connection:
        return {t.name: list(backup.rows(connection, t)) for t in backup.tables()}


def _other_sqlite(tmp_path: Path, name: str = "restored") -> Engine:
    return make_engine(sqlite_url(tmp_path / name / "register.sqlite3"))


def test_round_trip_keeps_every_row(engine: Engine, tmp_path: Path):
    fill(engine, tmp_path)
    archive = tmp_path / "backup.zip"
    meta = backup.backup(engine, archive)
    assert meta.tables["audit_log"].rows > 5 and meta.tables["accepted_findings"].rows == 1
    assert (meta.tables["departments"].rows, meta.tables["users"].rows, meta.tables["api_tokens"].rows) == (3, 1, 1)
    # two stored files: the dossier's document kept from beside its manifest, and a binary file
    assert (meta.tables["stored_files"].rows, meta.tables["approvals"].rows, meta.tables["calendar_feeds"].rows) == \
        (2, 1, 1)
    before = everything(engine)
    migrate.downgrade(engine, "base")  # the same database, emptied
    backup.restore(engine, archive)
    assert everything(engine) == before
    assert integrity.problems(engine) == []
    result = save_new_case(engine, example_text("hengshui"))  # new rows numbered after the restored ones
    assert result.case_id == max(r["id"] for r in before["cases"]) + 1


def test_a_backup_restores_into_sqlite_from_either_backend(engine: Engine, tmp_path: Path):
    fill(engine, tmp_path)
    archive = tmp_path / "backup.zip"
    backup.backup(engine, archive)
    target = _other_sqlite(tmp_path)
    try:
        backup.restore(target, archive)
        assert everything(target) == everything(engine)
        assert migrate.schema_differences(target) == []
    finally:
        target.dispose()


@pytest.mark.slow
def test_sqlite_to_postgresql_and_back(tmp_path: Path, postgres_url: str):
    source, middle, back = _other_sqlite(tmp_path, "a"), make_engine(postgres_url), _other_sqlite(tmp_path, "b")
    try:
        migrate.upgrade(source)
        fill(source, tmp_path)
        backup.backup(source, tmp_path / "1.zip")
        backup.restore(middle, tmp_path / "1.zip")
        backup.backup(middle, tmp_path / "2.zip")
        backup.restore(back, tmp_path / "2.zip")
        assert everything(source) == everything(middle) == everything(back)
    finally:
        for engine in (source, middle, back):
            engine.dispose()


def test_restore_refuses_a_database_that_is_not_empty(engine: Engine, tmp_path: Path):
    fill(engine, tmp_path)
    archive = tmp_path / "backup.zip"
    backup.backup(engine, archive)
    before = everything(engine)
    with pytest.raises(UserError, match="数据库不是空的"):
        backup.restore(engine, archive)
    assert everything(engine) == before


def _rewrite(archive: Path, target: Path, change: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as out:
        for name in source.namelist():
            data = change.get(name, source.read(name))
            if data is not None:
                out.writestr(name, data)


@pytest.mark.parametrize(("member", "data", "message"), [
    ("tables/cases.jsonl", b'{"id": 99}\n', "已损坏"),
    ("tables/audit_log.jsonl", None, "缺少数据表 audit_log"),
    ("meta.json", b"{}", "不是案件台账的备份文件"),
])
def test_a_damaged_archive_is_refused_before_writing(engine: Engine, tmp_path: Path, member: str,
                                                     data: bytes | None, message: str):
    fill(engine, tmp_path)
    archive = tmp_path / "backup.zip"
    backup.backup(engine, archive)
    damaged = tmp_path / "damaged.zip"
    _rewrite(archive, damaged, {member: data})
    target = _other_sqlite(tmp_path)
    try:
        with pytest.raises(UserError, match=message):
            backup.restore(target, damaged)
        assert migrate.current_revision(target) is None
    finally:
        target.dispose()


def test_not_an_archive_and_no_overwrite(engine: Engine, tmp_path: Path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(UserError, match="无法作为 ZIP 读取"):
        backup.restore(engine, junk)
    with pytest.raises(UserError, match="文件已存在"):
        backup.backup(engine, junk)
    assert junk.read_bytes() == b"not a zip"
    backup.backup(engine, junk, force=True)
    assert hashlib.sha256(junk.read_bytes()).hexdigest() != hashlib.sha256(b"not a zip").hexdigest()
