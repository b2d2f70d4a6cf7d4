"""The register's file store: the bytes of documents, kept once per content (SHA-256) in the
database itself (``stored_files``), so that every worker of a department's service sees the same
files and ``ecoclaim db backup`` carries them."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseregister.models import StoredFile


def put(session: Session, data: bytes) -> str:
    """Keep ``data`` (if not already kept); returns its SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    if session.scalar(select(StoredFile.id).where(StoredFile.sha256 == digest)) is None:
        session.add(StoredFile(sha256=digest, size=len(data), content=data))
        session.flush()
    return digest


def get(session: Session, digest: str) -> bytes | None:
    """The bytes whose SHA-256 is ``digest``, or ``None`` when the register does not hold them."""
    return session.scalar(select(StoredFile.content).where(StoredFile.sha256 == digest))


def held(session: Session, digests: list[str]) -> set[str]:
    """Which of ``digests`` the store holds."""
    if not digests:
        return set()
    return set(session.scalars(select(StoredFile.sha256).where(StoredFile.sha256.in_(digests))))
