"""Request and response models of the API (pydantic): the OpenAPI document is generated from them."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from checkers.findings import FindingLocation

OutputFormat = Literal["docx", "pdf", "html", "md"]
ReportFormat = Literal["json", "sarif", "html", "docx"]
TimelineFormat = Literal["json", "ics"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Limits(_Out):
    max_case_bytes: int = Field(description="案件数据（JSON/YAML 请求体）上限，字节")
    max_file_bytes: int = Field(description="审查时单个文件上限，字节")
    max_files: int = Field(description="一次审查最多文件数")
    max_upload_bytes: int = Field(description="一次审查请求体总上限，字节")
    upload_budget_bytes: int = Field(description="同时接收中的请求体合计上限，字节（超出答 503）")
    request_timeout: float = Field(description="单个请求处理时限，秒")
    check_workers: int = Field(description="文书审查进程数（审查超时即终止该进程并重启）")
    pdf_converters: int = Field(description="同时运行的 LibreOffice 转换进程数")
    pdf_queue: int = Field(description="等待 PDF 转换的请求上限")
    pdf_timeout: float = Field(description="单次 PDF 转换时限，秒（超时即终止进程）")


class Health(_Out):
    status: Literal["ok"] = "ok"
    version: str
    features: dict[str, bool] = Field(description="各功能模块是否可用")
    auth: bool = Field(description="是否要求访问令牌")
    limits: Limits

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "status": "ok", "version": "0.1.0", "auth": False,
        "features": {"generate": True, "dossier": True, "check": True, "timeline": True, "pdf": True},
        "limits": {"max_case_bytes": 2097152, "max_file_bytes": 20971520, "max_files": 20,
                   "max_upload_bytes": 52428800, "upload_budget_bytes": 104857600, "request_timeout": 60.0, "check_workers": 2, "pdf_converters": 1,
                   "pdf_queue": 8, "pdf_timeout": 60.0}}]})


class FormKindOut(_Out):
    code: str = Field(description="文书代码，如 agreement")
    title: str = Field(description="文书名称")
    subtitle: str | None = None
    stage: str = Field(description="所属办案阶段")
    guangxi: str | None = Field(None, description="广西细则附件2中的编号")
    zhangye: str | None = Field(None, description="张掖工作机制附件中的编号")
    checkable: bool = Field(False, description="审查功能是否审查这种文书")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"code": "agreement", "title": "生态环境损害赔偿协议", "subtitle": None, "stage": "agreement",
         "guangxi": "[5]", "zhangye": "[7]", "checkable": True}]})


class SourceStatusOut(_Out):
    source: str = Field(description="法规来源键，如 guangxi")
    status: str = Field(description="状态代码")
    text: str = Field(description="中文说明")


class ParameterOut(_Out):
    name: str
    label: str | None = None
    value: Any = None
    unit: str | None = None
    basis: list[str] = Field(default_factory=list, description="条文地址")
    note: str | None = None
    origin: str = Field("", description="设定该参数的辖区配置")


class JurisdictionOut(_Out):
    key: str
    name: str
    description: str
    variant: str = Field(description="采用的文书示范文本")
    on: date = Field(description="判断状态的日期")
    sources: list[SourceStatusOut]
    parameters: list[ParameterOut] = Field(default_factory=list)


class CorpusUnitOut(_Out):
    address: str = Field(description="条文地址，如 guangxi:21")
    source: str
    kind: str
    label: str = Field(description="条文标签，如 第二十一条")
    title: str | None = None
    citation: str = Field(description="引用形式，如 《…》第二十一条")
    text: str
    parent: str | None = None
    children: list[str] = Field(default_factory=list)
    verbatim: bool = Field(description="false 表示要旨摘录，非官方原文")
    source_status: str = Field(description="来源状态：draft / trial / in_force / plan")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"address": "guangxi:21", "source": "guangxi", "kind": "article", "label": "第二十一条", "title": None,
         "citation": "《广西壮族自治区生态环境损害赔偿工作细则（征求意见稿）》第二十一条",
         "text": "经磋商达成一致意见的，……赔偿协议需包含：……", "parent": None, "children": [],
         "verbatim": True, "source_status": "draft"}]})


class CorpusUnitBrief(_Out):
    address: str
    kind: str
    label: str
    title: str | None = None


class SearchHitOut(_Out):
    address: str
    label: str
    citation: str
    snippet: str


class CaseProblem(_Out):
    path: str = Field(description="字段路径，如 obligors[0].uscc；整个文件为空字符串")
    message: str
    severity: Literal["error", "warning"]
    line: int | None = None
    column: int | None = None


class SummaryRow(_Out):
    label: str
    value: str


class ValidationResult(_Out):
    valid: bool = Field(description="没有错误（提示不影响）")
    errors: int
    warnings: int
    problems: list[CaseProblem]
    summary: list[SummaryRow] = Field(default_factory=list, description="通过时的案件摘要")
    allowed_forms: list[str] | None = Field(None, description="按办案阶段当前可生成的文书（阶段模块可用时）")
    data: dict[str, Any] | None = Field(None, description="include_data=true 时：读取到的案件数据（JSON 形式）")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"valid": False, "errors": 1, "warnings": 0, "summary": [], "allowed_forms": None,
         "problems": [{"path": "obligors[0].uscc", "message": "统一社会信用代码校验码错误", "severity": "error",
                       "line": 31, "column": 11}]}]})


class ExampleOut(_Out):
    name: str = Field(description="文件名，如 guangxi-cadmium-unit-installments.yaml")
    title: str = Field(description="说明（文件首行注释）")
    jurisdiction: str | None = None


class BasisOut(BaseModel):
    source: str
    article: str
    text: str
    status: str | None = None
    citation: str | None = Field(None, description="《…》第X条（仅供显示）")
    address: str | None = Field(None, description="条文地址（可用 /api/v1/corpus/units/{address} 查看）")


LocationOut = FindingLocation  # the SPEC §4 location, as the checker writes it


class FindingOut(BaseModel):
    """A finding of SPEC §4, plus ``span`` (character offsets in the report's ``text``)."""

    rule: str
    element: str | None = None
    severity: Literal["error", "warning", "info"]
    category: str
    message: str
    location: LocationOut | None = None
    basis: list[BasisOut] = Field(default_factory=list)
    suggestion: str | None = None
    span: list[int] | None = Field(None, description="[起, 止)：所引文字在 text 中的位置（便于高亮）")


class UncheckedOut(BaseModel):
    rule: str
    title: str
    reason: str


class CoverageOut(BaseModel):
    passed: int
    failed: int
    not_evaluated: int
    not_applicable: int
    accepted: int = 0


class AcceptedOut(BaseModel):
    """A finding accepted with a reason (已接受): not counted as a problem."""

    rule: str
    message: str
    reason: str


class ReportOut(BaseModel):
    """The report of one file: SPEC §4 (file, doc_type, jurisdiction, findings) plus extras."""

    file: str
    doc_type: str | None = None
    jurisdiction: str | None = None
    findings: list[FindingOut] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="读取和识别说明")
    text: str | None = Field(None, description="文档全文（include_text=true 时）")
    error: str | None = Field(None, description="该文件无法读取或未审查时的说明（其他文件照常审查）")
    skipped: bool = Field(False, description="可以读取，但不属于审查范围或无法判断种类（跳过，不算错误）")
    not_evaluated: list[UncheckedOut] = Field(default_factory=list, description="适用但未能核对的规则及原因")
    coverage: CoverageOut | None = Field(None, description="规则核对情况：通过、发现问题、未能核对、不适用")
    verdict: str | None = Field(None, description="结论；只有适用的规则均已核对时才说“未发现问题”")
    sha256: str | None = Field(None, description="所审查文件内容的 SHA-256（接受问题时用以识别这一版本）")
    accepted: list[AcceptedOut] = Field(default_factory=list, description="按 accepted 参数接受的问题（已接受）")


class CheckSummary(_Out):
    files: int
    errors: int
    warnings: int
    infos: int
    unreadable: int = Field(description="无法读取的文件数")
    skipped: int = Field(0, description="不属于审查范围而跳过的文件数")


class CheckResult(_Out):
    reports: list[ReportOut]
    summary: CheckSummary

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "reports": [{"file": "协议.docx", "doc_type": "agreement", "jurisdiction": "guangxi", "notes": [],
                     "text": None, "error": None,
                     "findings": [{"rule": "AGR-BREACH", "element": "agreement.breach", "severity": "error",
                                   "category": "missing_element", "message": "协议未约定违约责任",
                                   "location": {"paragraph": 12, "page": 2, "text": "…"},
                                   "basis": [{"source": "guangxi", "article": "21",
                                              "text": "赔偿协议需包含：……违约责任的承担；……"}],
                                   "suggestion": "增加“违约责任”条款，约定……", "span": None}]}],
        "summary": {"files": 1, "errors": 1, "warnings": 0, "infos": 0, "unreadable": 0}}]})


class RuleOut(BaseModel):
    code: str = Field(description="规则代码，如 AGR-BREACH")
    severity: str | None = None
    category: str | None = None
    element: str | None = None
    title: str | None = Field(None, description="规则简述")
    message: str | None = None
    doc_types: list[str] = Field(default_factory=list, description="适用文书")
    basis: list[str] = Field(default_factory=list, description="依据条文地址")


class RuleDetail(RuleOut):
    doc: str | None = Field(None, description="规则说明")
    suggestion: str | None = None
    law: list[CorpusUnitOut] = Field(default_factory=list, description="依据条文全文")


class AllowedForm(_Out):
    form: str
    allowed: bool
    reason: str | None = Field(None, description="不可生成时的原因")


class StageOut(_Out):
    stage: str | None = Field(None, description="当前办案阶段")
    forms: list[AllowedForm]
