"""Is the register consistent? The storage engine's own checks (SQLite ``integrity_check`` and
``foreign_key_check``) and the register's invariants: every case has versions 1..n without a gap,
its current version is n, every version's text matches its hash and has its audit entry."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from caseregister.casedata import text_sha256
from caseregister.models import AuditEntry, Case, CaseVersion


def problems(engine: Engine) -> list[str]:
    """What is wrong, in Chinese (an empty list: consistent)."""
    found: list[str] = []
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            result = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
            if result != ["ok"]:
                found += [f"SQLite 完整性检查：{line}" for line in result]
            found += [f"外键不一致：表 {table} 第{rowid}行引用的 {parent} 不存在"
                      for table, rowid, parent, _fk in connection.exec_driver_sql("PRAGMA foreign_key_check")]
        counts = connection.execute(
            select(Case.id, Case.current_version, func.count(CaseVersion.id), func.min(CaseVersion.number),
                   func.max(CaseVersion.number))
            .outerjoin(CaseVersion, CaseVersion.case_id == Case.id).group_by(Case.id, Case.current_version)
            .order_by(Case.id))
        for case_id, current, count, low, high in counts:
            if count == 0:
                found.append(f"案件{case_id}没有任何版本")
            elif low != 1 or high != count:
                found.append(f"案件{case_id}的版本号不连续（{count}个版本，编号{low}至{high}）")
            elif current != high:
                found.append(f"案件{case_id}的当前版本记为第{current}版，而最新的是第{high}版")
        audited = set(connection.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "version.create")))
        for version_id, case_id, number, text, digest in connection.execute(
                select(CaseVersion.id, CaseVersion.case_id, CaseVersion.number, CaseVersion.text,
                       CaseVersion.text_sha256).order_by(CaseVersion.id)):
            if text_sha256(text) != digest:
                found.append(f"案件{case_id}第{number}版的原文与其校验值不符")
            if version_id not in audited:
                found.append(f"案件{case_id}第{number}版没有审计记录")
    return found
