"""The bytes of the files the register keeps (generated documents, signed copies, documents
uploaded for review): one ``stored_files`` row per distinct content, found by its SHA-256."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caseregister.models import StoredFile


def store(session: Session, content: bytes) -> str:
    """Keep ``content`` (once: the same bytes stored again add nothing); returns its SHA-256."""
    digest = hashlib.sha256(content).hexdigest()
    if session.scalar(select(StoredFile.id).where(StoredFile.sha256 == digest)) is None:
        try:
            with session.begin_nested():
                session.add(StoredFile(sha256=digest, size=len(content), content=content))
        except IntegrityError:  # the same bytes stored by a concurrent request in the meantime
            pass
    return digest


def content(session: Session, sha256: str | None) -> bytes | None:
    """The stored bytes with this SHA-256 (``None``: not kept)."""
    if not sha256:
        return None
    return session.scalar(select(StoredFile.content).where(StoredFile.sha256 == sha256))
