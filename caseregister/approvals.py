"""Approval (审批) of a case's data by a 负责人: one version, the current one, at most once.

Like a save, an approval names the version it is about; if the case has moved on since (someone
saved a newer version), it is refused with :class:`~caseregister.versions.StaleVersionError` and
the diff, so nobody approves data they have not seen. Approvals can only be appended to (triggers,
migration 0004)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseregister import audit
from caseregister.models import Approval, Case
from caseregister.versions import ConflictError, StaleVersionError, diff, require_author, version_row
from ecokernel.errors import UserError

COMMENT_MAX = 2000


def approve(session: Session, case_id: int, number: int, *, author: str, comment: str = "") -> Approval:
    """Approve version ``number`` of the case, which must be its current version."""
    author = require_author(author)
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise UserError(f"审批意见太长：最多{COMMENT_MAX}个字符")
    case = session.scalar(select(Case).where(Case.id == case_id).with_for_update())
    if case is None:
        raise UserError(f"台账中没有编号为{case_id}的案件")
    row = version_row(session, case, number)
    if number != case.current_version:
        current = version_row(session, case, case.current_version)
        raise StaleVersionError(case, number, current, diff(session, case, number, current.number),
                                refused="本次审批的是第{base}版：未审批。请查看第{current}版后重新审批。")
    done = session.scalar(select(Approval).where(Approval.version_id == row.id))
    if done is not None:
        raise ConflictError(f"案件“{case.title}”第{number}版已由{done.author}审批")
    approval = Approval(case_id=case.id, version_id=row.id, author=author, comment=comment)
    session.add(approval)
    session.flush()
    audit.record(session, actor=author, action="version.approve", entity="approvals", entity_id=approval.id,
                 case_id=case.id, detail={"number": number, "comment": comment})
    return approval
