"""What the register hands out (pydantic v2): the shapes that cross its boundary to the CLI and,
later, the HTTP service. Rows never leave a session; these do."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from caseregister.roles import Permission, Role


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class CaseSummary(_Out):
    """A case as listed: the key fields of its current version."""

    id: int
    department: str
    case_number: str | None
    title: str
    jurisdiction: str
    stage: str
    stage_label: str
    obligor_names: str
    next_deadline: date | None
    next_deadline_title: str | None
    current_version: int
    updated_at: datetime


class DeadlineInfo(_Out):
    step: str
    title: str
    due: date | None
    done: date | None
    status: str
    status_label: str


class VersionInfo(_Out):
    """One version's record (without its text)."""

    number: int
    base_number: int | None
    author: str
    reason: str
    source_name: str | None
    text_format: str
    text_sha256: str
    computed_on: date
    created_at: datetime


class FieldChange(_Out):
    """One field whose value differs between two versions (paths as in validation: obligors[0].name)."""

    path: str
    kind: Literal["added", "removed", "changed"]
    old: Any = None
    new: Any = None


class VersionDiff(_Out):
    case_id: int
    old_version: int
    new_version: int
    changes: list[FieldChange]
    text_diff: str = Field(description="两版原文的统一差异格式（unified diff）")


class SaveResult(_Out):
    """What saving case data did: a new version, or nothing because the text was already stored."""

    case_id: int
    version: int
    created: bool
    new_case: bool = False


class ImportItem(_Out):
    file: str
    case_id: int
    version: int
    status: Literal["new_case", "new_version", "unchanged"]


class AuditInfo(_Out):
    id: int
    at: datetime
    actor: str
    action: str
    case_id: int | None
    entity: str
    entity_id: int | None
    detail: Any
    action_label: str = Field("", description="操作（中文）")


class DepartmentInfo(_Out):
    """A department as listed, with its superior department and how many users and cases it has."""

    id: int
    code: str
    name: str
    parent_code: str | None
    parent_name: str | None
    users: int
    cases: int


class UserInfo(_Out):
    """An account as listed (never its password hash)."""

    id: int
    username: str
    display_name: str
    role: Role
    department_code: str
    department_name: str
    active: bool
    failed_logins: int
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime


# ---- what the web side shows -------------------------------------------------------------------

class CaseRow(CaseSummary):
    """A case in the 台账: its summary, its department's code, and whether its next deadline has passed."""

    department_code: str
    overdue: bool


class CasePage(_Out):
    """A page of the 台账: how many cases pass the filters, and those from ``offset`` on."""

    total: int = Field(description="符合筛选条件的案件总数")
    offset: int
    limit: int | None = Field(description="每页案件数（空：全部）")
    items: list[CaseRow]


class DeadlineItem(_Out):
    """An open deadline of a case on the deadlines board (computed as of ``DeadlineBoard.today``)."""

    case_id: int
    case_number: str | None
    case_title: str
    department: str
    step: str
    title: str
    due: date
    days_left: int = Field(description="距到期日的天数（已逾期为负数）")
    status: str
    status_label: str


class DeadlineBoard(_Out):
    """Open deadlines across the cases a user sees: passed, due within 7 days, due within 30 days."""

    today: date
    overdue: list[DeadlineItem]
    week: list[DeadlineItem] = Field(description="今天起7日内到期")
    month: list[DeadlineItem] = Field(description="7日后、30日内到期")
    stale: int = Field(0, description="期限按此前的辖区配置、期限规则或节假日安排计算、有待重新计算的案件数（ecoclaim db recompute）")


class DocumentInfo(_Out):
    """A generated document and, if uploaded back, its signed copy."""

    id: int
    version: int = Field(description="所依据的案件数据版本")
    form: str
    format: str
    title: str
    file_name: str
    sha256: str
    template_version: str
    author: str
    created_at: datetime
    signed_sha256: str | None
    signed_name: str | None
    signed_by: str | None
    signed_at: datetime | None


class AcceptedInfo(_Out):
    finding_index: int
    rule: str
    reason: str
    author: str
    created_at: datetime


class ReviewInfo(_Out):
    """A review of an uploaded document: counts, findings (the report's) and the accepted ones."""

    id: int
    version: int | None
    document_id: int | None
    file_name: str
    file_sha256: str
    doc_type: str | None
    errors: int
    warnings: int
    findings: list[Any]
    accepted: list[AcceptedInfo]
    author: str
    created_at: datetime


class ApprovalInfo(_Out):
    """A 负责人's approval of one version."""

    version: int
    author: str
    comment: str
    created_at: datetime


class FormChoice(_Out):
    """A form that can be generated for the case, and whether its current stage allows it now."""

    form: str
    title: str
    allowed: bool
    reason: str


class VersionText(VersionInfo):
    """One version's record with its text exactly as submitted."""

    text: str


class CaseDetail(_Out):
    """Everything the case page shows."""

    case: CaseRow
    access: Literal["read", "write"]
    permissions: list[Permission] = Field(description="本人对此案件可做的修改（按角色；只读或上级部门为空）")
    approvals: list[ApprovalInfo]
    forms: list[FormChoice] = Field(description="可生成的文书及当前办案阶段是否允许")
    deadlines: list[DeadlineInfo] = Field(description="当前版本的办案期限（按今天重新计算）")
    versions: list[VersionInfo]
    documents: list[DocumentInfo]
    reviews: list[ReviewInfo]
    audit: list[AuditInfo]
