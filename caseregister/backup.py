"""Backup and restore, the same on both databases: a ZIP archive of every table as JSON lines.

Layout (format ``ecoclaim-register-backup``, version 1)::

    meta.json                 format, version, schema revision, time, per table: rows and SHA-256
    tables/<table>.jsonl      one JSON object per row, by primary key; dates and times as ISO text,
                              bytes (stored files) as base64 text

Every table is in it, the audit log included. A backup is read in one snapshot (``REPEATABLE READ``
on PostgreSQL, one read transaction on SQLite). A restore goes into an empty database only (its
schema is created if missing), in one transaction, and checks every table's row count and hash
first; afterwards the database holds exactly the rows of the backup.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, Date, DateTime, Engine, LargeBinary, Table, func, select, text

from caseregister import migrate
from caseregister.engine import WRITE_OPTION
from caseregister.files import check_target, write_atomically
from caseregister.models import Base, utcnow
from ecokernel.errors import UserError

FORMAT = "ecoclaim-register-backup"
FORMAT_VERSION = 1
BATCH = 500


class TableInfo(BaseModel):
    rows: int
    sha256: str


class BackupMeta(BaseModel):
    format: str
    format_version: int
    schema_revision: str
    created_at: datetime
    tables: dict[str, TableInfo]


def tables() -> list[Table]:
    """Every table, parents before children."""
    return list(Base.metadata.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value.isoformat() if isinstance(value, date | datetime) else value


def _decoder(table: Table) -> dict[str, Any]:
    decoders: dict[str, Any] = {}
    for column in table.columns:
        if isinstance(column.type, DateTime):
            decoders[column.name] = datetime.fromisoformat
        elif isinstance(column.type, Date):
            decoders[column.name] = date.fromisoformat
        elif isinstance(column.type, LargeBinary):
            decoders[column.name] = base64.b64decode
    return decoders


def rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """A table's rows as dicts, by primary key."""
    query = select(table).order_by(*table.primary_key.columns)
    for row in connection.execute(query).mappings():
        yield dict(row)


def _dump_table(connection: Connection, table: Table, handle: IO[bytes]) -> TableInfo:
    digest, count = hashlib.sha256(), 0
    for row in rows(connection, table):
        line = (json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False, sort_keys=True)
                + "\n").encode("utf-8")
        digest.update(line)
        handle.write(line)
        count += 1
    return TableInfo(rows=count, sha256=digest.hexdigest())


def _snapshot(engine: Engine) -> Connection:
    if engine.dialect.name == "postgresql":
        return engine.connect().execution_options(isolation_level="REPEATABLE READ")
    return engine.connect()


def backup(engine: Engine, target: Path, *, force: bool = False) -> BackupMeta:
    """Write every table to the archive ``target`` (atomically; an existing file only with ``force``)."""
    revision = migrate.current_revision(engine)
    if revision is None:
        raise UserError("数据库尚未建立，没有可备份的内容（请先运行 ecoclaim db init）")
    check_target(target, force)
    infos: dict[str, TableInfo] = {}
    written: list[BackupMeta] = []

    def write(handle: IO[bytes]) -> None:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive, _snapshot(engine) as connection, \
                connection.begin():
            for table in tables():
                with archive.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as member:
                    infos[table.name] = _dump_table(connection, table, member)
            meta = BackupMeta(format=FORMAT, format_version=FORMAT_VERSION, schema_revision=revision,
                              created_at=utcnow(), tables=infos)
            archive.writestr("meta.json", meta.model_dump_json(indent=2))
            written.append(meta)

    write_atomically(target, write)
    return written[0]


def _read_meta(archive: zipfile.ZipFile, source: Path) -> BackupMeta:
    try:
        meta = BackupMeta.model_validate_json(archive.read("meta.json"))
    except (KeyError, ValidationError, ValueError):
        raise UserError("不是案件台账的备份文件（缺少或无法读取 meta.json）", path=str(source)) from None
    if meta.format != FORMAT or meta.format_version != FORMAT_VERSION:
        raise UserError(f"不支持的备份格式“{meta.format}”第{meta.format_version}版", path=str(source))
    head = migrate.head_revision()
    if meta.schema_revision != head:
        raise UserError(f"备份的数据库结构版本为 {meta.schema_revision}，本程序为 {head}：请用相同版本的程序恢复",
                        path=str(source))
    missing = [t.name for t in tables() if t.name not in meta.tables]
    if missing:
        raise UserError(f"备份缺少数据表：{'、'.join(missing)}", path=str(source))
    return meta


def _load_table(archive: zipfile.ZipFile, table: Table, info: TableInfo, source: Path) -> list[dict[str, Any]]:
    try:
        raw = archive.read(f"tables/{table.name}.jsonl")
    except KeyError:
        raise UserError(f"备份缺少数据表 {table.name}", path=str(source)) from None
    if hashlib.sha256(raw).hexdigest() != info.sha256:
        raise UserError(f"备份中的数据表 {table.name} 已损坏（校验值不符）", path=str(source))
    decoders = _decoder(table)
    out = []
    for line in raw.decode("utf-8").splitlines():
        row = json.loads(line)
        out.append({k: decoders[k](v) if k in decoders and v is not None else v for k, v in row.items()})
    if len(out) != info.rows:
        raise UserError(f"备份中的数据表 {table.name} 行数不符（应为{info.rows}行，实为{len(out)}行）", path=str(source))
    return out


def non_empty_tables(connection: Connection) -> dict[str, int]:
    counts = {t.name: connection.scalar(select(func.count()).select_from(t)) or 0 for t in tables()}
    return {name: n for name, n in counts.items() if n}


def restore(engine: Engine, source: Path) -> BackupMeta:
    """Load the archive ``source`` into an empty database (creating its schema if needed)."""
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise UserError(f"找不到文件：{source}") from None
    except (zipfile.BadZipFile, OSError):
        raise UserError("不是案件台账的备份文件（无法作为 ZIP 读取）", path=str(source)) from None
    with archive:
        meta = _read_meta(archive, source)
        data = {t.name: _load_table(archive, t, meta.tables[t.name], source) for t in tables()}
    migrate.upgrade(engine)
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        filled = non_empty_tables(connection)
        if filled:
            shown = "、".join(f"{name} {n}行" for name, n in filled.items())
            raise UserError(f"数据库不是空的（{shown}）：恢复只能写入空数据库，不会覆盖已有数据")
        for table in tables():
            batch = data[table.name]
            for start in range(0, len(batch), BATCH):
                connection.execute(table.insert(), batch[start:start + BATCH])
            if engine.dialect.name == "postgresql" and batch:
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                        f"(SELECT MAX(id) FROM {table.name}))"))
    return meta
