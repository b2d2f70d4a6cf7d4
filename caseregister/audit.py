"""The audit log: one appended row per change (the database refuses to update or delete them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseregister.models import AuditEntry
from caseregister.schemas import AuditInfo

#: action code → what it means, in Chinese (for listings)
ACTIONS: dict[str, str] = {
    "department.create": "新建部门",
    "case.create": "新建案件",
    "version.create": "保存新版本",
    "document.record": "登记生成的文书",
    "document.signed": "上传签署件",
    "review.record": "登记审查结果",
    "finding.accept": "接受审查发现（附理由）",
    "version.approve": "审批通过",
    "calendar.create": "生成日历订阅地址",
    "calendar.revoke": "停用日历订阅地址",
    "publication.record": "登记信息公开",
    "timeline.recompute": "按更新后的辖区配置、期限规则或节假日安排重新计算期限",
    "timeline.change": "重新计算后期限有变化",
    "user.create": "新建用户",
    "user.disable": "停用用户",
    "user.password": "修改用户密码",
    "token.create": "签发 API 令牌",
    "user.lock": "登录失败次数过多，账号暂时锁定",
    "session.open": "网页登录",
    "session.close": "网页退出登录",
}


def record(session: Session, *, actor: str, action: str, entity: str, entity_id: int | None,
           case_id: int | None = None, detail: dict[str, Any] | None = None) -> None:
    """Append one entry (in the caller's transaction: it is kept exactly when the change is)."""
    assert action in ACTIONS, action
    session.add(AuditEntry(actor=actor, action=action, entity=entity, entity_id=entity_id, case_id=case_id,
                           detail=detail or {}))


def entries(session: Session, case_id: int | None = None) -> list[AuditInfo]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if case_id is not None:
        query = query.where(AuditEntry.case_id == case_id)
    return [info(row) for row in session.scalars(query)]


def info(row: AuditEntry) -> AuditInfo:
    """An entry as shown, with its action in Chinese."""
    return AuditInfo.model_validate({**{c.key: getattr(row, c.key) for c in AuditEntry.__table__.columns},
                                     "action_label": ACTIONS.get(row.action, row.action)})
