"""Reference endpoints: health, forms, jurisdictions, rules, corpus, the case schema, examples."""

from __future__ import annotations

import functools
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from ecokernel import clock
from ecokernel.errors import CorpusError
from ecokernel.sourcefile import json_ready
from ecokernel.version import product_version
from service.checking import rule_detail, rule_list
from service.examples import example_files, example_text, example_title
from service.lawunits import unit_out
from service.models import (
    CorpusUnitBrief,
    CorpusUnitOut,
    ExampleOut,
    FormKindOut,
    Health,
    JurisdictionOut,
    Limits,
    ParameterOut,
    RuleDetail,
    RuleOut,
    SearchHitOut,
    SourceStatusOut,
)
from service.problems import ApiError, responses

router = APIRouter()

OnDate = Annotated[date | None, Query(description="按哪一天判断法规状态（默认今天），如 2026-11-23")]




@router.get("/health", response_model=Health, tags=["服务"], summary="健康检查",
            responses=responses(401))
async def health(request: Request) -> Health:
    s = request.app.state.settings
    features = {
        "validate": True,
        "generate": True,
        "dossier": True,
        "check": True,
        "reports": True,
        "timeline": True,
        "stage": True,
        "pdf": _has_soffice(),
    }
    return Health(version=product_version(), features=features, auth=bool(s.token), limits=Limits(
        max_case_bytes=s.max_case_bytes, max_file_bytes=s.max_file_bytes, max_files=s.max_files,
        max_upload_bytes=s.max_upload_bytes, upload_budget_bytes=s.upload_budget_bytes,
        request_timeout=s.request_timeout, check_workers=s.check_workers,
        pdf_converters=s.pdf_converters, pdf_queue=s.pdf_queue, pdf_timeout=s.pdf_timeout))


def _has_soffice() -> bool:
    try:
        from docgen.writers.pdf import find_soffice

        return bool(find_soffice())
    except Exception:
        return False


@router.get("/forms", response_model=list[FormKindOut], tags=["参考"], summary="十一种文书",
            responses=responses(401))
async def forms() -> list[FormKindOut]:
    from corpus.forms import form_kinds

    return [FormKindOut(code=k.code, title=k.title, subtitle=k.subtitle, stage=k.stage, guangxi=k.guangxi,
                        zhangye=k.zhangye, checkable=k.checkable) for k in form_kinds().values()]


@functools.cache
def _parameter_labels() -> dict[str, str]:
    """Chinese labels of profile parameters, read from the data file ``_parameters.yaml``."""
    from corpus.profiles import parameter_specs

    return {name: spec.label for name, spec in parameter_specs().items()}


def _jurisdiction(profile: Any, on: date) -> JurisdictionOut:
    labels = _parameter_labels()
    params = [ParameterOut(name=name, label=labels.get(name), value=json_ready(p.value),
                           unit=p.unit, basis=list(p.basis), note=p.note, origin=p.origin)
              for name, p in profile.parameters.items()]
    return JurisdictionOut(
        key=profile.key, name=profile.name, description=profile.description, variant=profile.forms.variant,
        on=on, sources=[SourceStatusOut(source=s, status=c, text=t) for s, c, t in profile.status(on)],
        parameters=params)


@router.get("/jurisdictions", response_model=list[JurisdictionOut], tags=["参考"],
            summary="辖区配置及其依据法规在某日的状态", responses=responses(401, 422))
async def jurisdictions(on: OnDate = None) -> list[JurisdictionOut]:
    from corpus.profiles import load_profiles

    day = on or clock.today()
    return [_jurisdiction(p, day) for p in load_profiles().values()]


@router.get("/jurisdictions/{key}", response_model=JurisdictionOut, tags=["参考"], summary="一个辖区",
            responses=responses(401, 404, 422))
async def jurisdiction(key: Annotated[str, Path(description="辖区键，如 guangxi", max_length=50)],
                       on: OnDate = None) -> JurisdictionOut:
    from corpus.profiles import load_profiles

    profiles = load_profiles()
    if key not in profiles:
        raise ApiError(404, "not-found", "未找到", f"没有辖区“{key}”，可选：{'、'.join(profiles)}")
    return _jurisdiction(profiles[key], on or clock.today())


# -- corpus --------------------------------------------------------------------------------------

@router.get("/corpus/units", response_model=list[CorpusUnitBrief], tags=["法规库"],
            summary="条文目录（可按来源筛选）", responses=responses(401, 404, 422))
async def corpus_units(source: Annotated[str | None, Query(description="来源键，如 guangxi", max_length=50)] = None
                       ) -> list[CorpusUnitBrief]:
    from corpus import load_corpus

    try:
        units = load_corpus().units(source)
    except CorpusError as exc:
        raise ApiError(404, "not-found", "未找到法规来源", exc.message) from None
    return [CorpusUnitBrief(address=u.address, kind=u.kind, label=u.label, title=u.title) for u in units]


@router.get("/corpus/units/{address}", response_model=CorpusUnitOut, tags=["法规库"],
            summary="按地址查看条文", responses=responses(401, 404, 422),
            description="地址如 `guangxi:21`、`guangxi:26(三)`、`nantong:(六)`、`xinzhou:四(八)`、`zhangye:附件[4]`"
                        "（在 URL 中需百分号编码）。")
async def corpus_unit(address: Annotated[str, Path(description="条文地址", max_length=100,
                                                    examples=["guangxi:21"])]) -> CorpusUnitOut:
    return unit_out(address)


@router.get("/corpus/search", response_model=list[SearchHitOut], tags=["法规库"], summary="按词语检索条文",
            responses=responses(401, 404, 422))
async def corpus_search(
    q: Annotated[str, Query(min_length=1, max_length=100, description="检索词", examples=["履约保证金"])],
    source: Annotated[str | None, Query(description="只在某一来源中检索", max_length=50)] = None,
) -> list[SearchHitOut]:
    from corpus import load_corpus

    corpus = load_corpus()
    try:
        hits = corpus.search(q, source=source)
    except CorpusError as exc:
        raise ApiError(404, "not-found", "未找到法规来源", exc.message) from None
    except Exception as exc:
        raise ApiError(422, "invalid-request", "检索词有误", f"无法检索“{q}”") from exc
    return [SearchHitOut(address=h.unit.address, label=h.unit.label, citation=corpus.cite(h.unit.address),
                         snippet=h.snippet) for h in hits]


# -- schema and examples -----------------------------------------------------------------------------

@router.get("/schema/case", tags=["参考"], summary="案件数据的 JSON Schema", responses=responses(401),
            response_class=JSONResponse,
            response_description="JSON Schema（2020-12），字段均有中文标题和说明")
async def case_schema() -> dict[str, Any]:
    from casefile.model import Case

    return Case.model_json_schema()


@router.get("/examples", response_model=list[ExampleOut], tags=["参考"], summary="内置示例案件",
            responses=responses(401))
async def examples() -> list[ExampleOut]:
    out = []
    for name in example_files():
        text = example_text(name) or ""
        jurisdiction = next((line.split(":", 1)[1].strip() for line in text.splitlines()
                             if line.startswith("jurisdiction:")), None)
        out.append(ExampleOut(name=name, title=example_title(text) or name, jurisdiction=jurisdiction))
    return out


@router.get("/examples/{name}", tags=["参考"], summary="一个示例案件（YAML 原文）",
            response_class=PlainTextResponse, responses={
                200: {"content": {"application/yaml": {"schema": {"type": "string"}}}, "description": "YAML"},
                **responses(401, 404)})
async def example(name: Annotated[str, Path(max_length=200)]) -> PlainTextResponse:
    text = example_text(name)
    if text is None:
        raise ApiError(404, "not-found", "未找到示例", f"没有示例“{name}”")
    return PlainTextResponse(text, media_type="application/yaml; charset=utf-8")


# -- rules ---------------------------------------------------------------------------------------

@router.get("/rules", response_model=list[RuleOut], tags=["审查"], summary="审查规则列表",
            responses=responses(401))
async def rules() -> list[RuleOut]:
    return rule_list()


@router.get("/rules/{code}", response_model=RuleDetail, tags=["审查"], summary="一条规则及其依据条文",
            responses=responses(401, 404))
async def rule(code: Annotated[str, Path(max_length=60, description="规则代码，如 AGR-BREACH")]) -> RuleDetail:
    return rule_detail(code)
