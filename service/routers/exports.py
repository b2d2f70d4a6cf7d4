"""Exports of the case register over HTTP (``/api/register/…``): the 台账 as XLSX, the periodic
reports in the rhythm of the jurisdiction profile, a case's file (一案一卷, ZIP), its publication
pack (ZIP, redacted) with the publication check, and recording a publication.

Like every register route, each answers only about the cases the user may see: another
department's case is "not found" (404), the same answer as a case that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from caseregister import views
from caseregister.engine import read_session, write_session
from caseregister.exports import archive, ledger, publication, reports
from caseregister.models import Case
from corpus.profiles import get_profile
from ecokernel import clock
from ecokernel.errors import UserError
from service.problems import ApiError, responses
from service.registerauth import CurrentPrincipal, register_db
from service.routers.casework import EditableCase
from service.routers.register import API, NOT_FOUND

router = APIRouter(tags=["案件台账：导出"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
Period = Annotated[str, Query(max_length=20, description=f"报告期间：{reports.PERIOD_FORMS}")]
Jurisdiction = Annotated[str | None, Query(max_length=50, description="辖区代码（可见案件只有一个辖区时可省略）")]


def _file(data: bytes, media_type: str, name: str) -> Response:
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def _bad_request(exc: UserError) -> ApiError:
    return ApiError(422, "invalid-request", "请求有误", exc.message)


@router.get(API + "/export/ledger.xlsx", responses=responses(401, 422, 503), response_class=Response)
def ledger_xlsx(request: Request, principal: CurrentPrincipal,
                jurisdiction: Annotated[str | None, Query(max_length=50)] = None,
                stage: Annotated[str | None, Query(max_length=50)] = None,
                obligor: Annotated[str | None, Query(max_length=200)] = None,
                year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
                q: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    """台账导出为 Excel（XLSX）：本人可见的案件（筛选条件同台账），含阶段、下一期限、是否逾期、赔偿义务人、金额、辖区。"""
    filters = views.CaseFilter(jurisdiction=jurisdiction or None, stage=stage or None, obligor=obligor or None,
                               year=year, search=q or None)
    today = clock.today()
    with read_session(register_db(request).engine()) as db:
        data, _count = ledger.ledger_xlsx(db, principal.user, filters, today)
    return _file(data, XLSX, f"案件台账-{today:%Y%m%d}.xlsx")


class RhythmOut(BaseModel):
    report: str
    title: str
    period: str | None = Field(description="报送周期（月、季度、半年、年）；规定未写明时为空")
    due: str | None
    basis: list[str]
    text: str


@router.get(API + "/reports/rhythm", response_model=list[RhythmOut], responses=responses(401, 422, 503))
def rhythm(request: Request, principal: CurrentPrincipal, jurisdiction: Jurisdiction = None) -> list[RhythmOut]:
    """辖区规定的报送节奏：线索筛查清单和工作开展情况的报送周期、日期及依据；规定未写明的如实说明。"""
    with read_session(register_db(request).engine()) as db:
        try:
            profile = get_profile(reports.report_jurisdiction(db, principal.user, jurisdiction))
        except UserError as exc:
            raise _bad_request(exc) from None
    return [RhythmOut(report=r.report, title=r.title, period=r.period, due=r.due, basis=r.basis, text=r.text(profile))
            for r in reports.rhythm(profile)]


def _period_report(request: Request, principal: CurrentPrincipal, period: str, jurisdiction: str | None,
                   make: Callable[..., tuple[bytes, int]], media: str, name: str) -> Response:
    """A periodic report of the user's cases for ``period`` (``make``: reports.clue_list_xlsx, work_report_docx),
    as a download named "<name stem>-<period>.<suffix>"; a wrong period or jurisdiction is a 422 in Chinese."""
    with read_session(register_db(request).engine()) as db:
        try:
            which = reports.parse_period(period)
            data, _n = make(db, principal.user, jurisdiction, which)
        except UserError as exc:
            raise _bad_request(exc) from None
    stem, _, suffix = name.rpartition(".")
    return _file(data, media, f"{stem}-{which.code}.{suffix}")


@router.get(API + "/reports/clue-list.xlsx", responses=responses(401, 422, 503), response_class=Response)
def clue_list(request: Request, principal: CurrentPrincipal, period: Period,
              jurisdiction: Jurisdiction = None) -> Response:
    """案件线索筛查清单（XLSX）：本期发现的线索和期初仍在办理的线索，表头写明报送周期、日期和依据。"""
    return _period_report(request, principal, period, jurisdiction, reports.clue_list_xlsx, XLSX, "线索筛查清单.xlsx")


@router.get(API + "/reports/work-report.docx", responses=responses(401, 422, 503), response_class=Response)
def work_report(request: Request, principal: CurrentPrincipal, period: Period,
                jurisdiction: Jurisdiction = None) -> Response:
    """工作开展情况（半年、年度等，DOCX）：本期各项工作的件数和金额、期末在办案件、逾期事项和案件清单。"""
    return _period_report(request, principal, period, jurisdiction, reports.work_report_docx, DOCX, "工作开展情况.docx")


@router.get(API + "/cases/{case_id}/archive.zip", responses=responses(401, 404, 503), response_class=Response)
def case_archive(request: Request, principal: CurrentPrincipal, case_id: int) -> Response:
    """一案一卷：案件的全部文书（按办案环节排序）、全卷 PDF、卷内目录（页号按 PDF 实际页数）、案件数据和带校验值的清单。"""
    with read_session(register_db(request).engine()) as db:
        try:
            found = archive.archive_zip(db, principal.user, case_id)
        except UserError as exc:
            raise ApiError(500, "export-failed", "导出失败", exc.message) from None
    if found is None:
        raise ApiError(404, "not-found", "未找到", NOT_FOUND)
    return _file(found[0], ZIP, found[1])


@router.get(API + "/cases/{case_id}/publication", response_model=publication.PublicationCheck,
            responses=responses(401, 404, 503))
def publication_check(request: Request, principal: CurrentPrincipal, case_id: int) -> publication.PublicationCheck:
    """信息公开核对：辖区规定应当公开的各项信息是否已到环节、是否有公开记录，缺少的逐项列出。"""
    with read_session(register_db(request).engine()) as db:
        found = publication.case_check(db, principal.user, case_id)
    if found is None:
        raise ApiError(404, "not-found", "未找到", NOT_FOUND)
    return found


@router.get(API + "/cases/{case_id}/publication.zip", responses=responses(401, 404, 422, 503),
            response_class=Response)
def publication_pack(request: Request, principal: CurrentPrincipal, case_id: int) -> Response:
    """信息公开材料（ZIP）：应当公开的文书（已隐去身份证号、个人住址、电话、银行账号，删除标记的商业秘密）、公开信息表和核对结果。"""
    with read_session(register_db(request).engine()) as db:
        try:
            found = publication.publication_pack(db, principal.user, case_id)
        except UserError as exc:
            raise _bad_request(exc) from None
    if found is None:
        raise ApiError(404, "not-found", "未找到", NOT_FOUND)
    return _file(found[0], ZIP, found[1])


class PublicationIn(BaseModel):
    item: str = Field(max_length=50, description="公开项目代码：agreement、ruling、fund_use、restoration_effect")
    published_on: date
    url: str | None = Field(None, max_length=1000)
    note: str | None = Field(None, max_length=2000)


@router.post(API + "/cases/{case_id}/publications", response_model=publication.PublicationInfo, status_code=201,
             responses=responses(401, 403, 404, 422, 503))
def record_publication(request: Request, ref: EditableCase, body: PublicationIn) -> publication.PublicationInfo:
    """登记一项信息公开（项目、公开日期、网址）；须有本案的修改权限，以登录会话提交时须附 CSRF 令牌。
    其他部门的案件先答 404（在检查请求内容之前），角色不符答 403。"""
    with write_session(register_db(request).engine()) as db:
        case = db.get_one(Case, ref.id)
        try:
            row = publication.record(db, case, body.item, body.published_on, url=body.url, note=body.note,
                                     author=ref.user.display_name)
        except UserError as exc:
            raise _bad_request(exc) from None
        return publication.PublicationInfo.model_validate(row)
