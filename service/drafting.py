"""Adapters for the drafting flow: reading a case from a request, validation, stage, generation,
dossier and timeline. Thin: every answer comes from ``docgen``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from casefile.validation import Problem as CaseProblemModel
from procedure import stage
from procedure.timeline import build_timeline
from procedure.timeline.render import to_ics
from service.models import AllowedForm, CaseProblem, StageOut, SummaryRow, ValidationResult
from service.problems import ApiError, ProblemItem

YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}
JSON_TYPES = {"application/json"}
TEXT_TYPES = {"text/plain", "application/octet-stream", ""}


def suffix_for(content_type: str | None) -> str:
    """The parser suffix for a request's content type; 415 for one we cannot read."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media in JSON_TYPES or media.endswith("+json"):
        return ".json"
    if media in YAML_TYPES:
        return ".yaml"
    if media in TEXT_TYPES:
        return ".txt"  # decided by content: '{' → JSON, else YAML
    raise ApiError(415, "unsupported-media-type", "不支持的内容类型",
                   f"案件数据应以 application/json 或 application/yaml 提交，收到“{media}”",
                   errors=[{"path": "Content-Type", "message": "应为 application/json 或 application/yaml"}])


def validate(body: bytes, suffix: str) -> tuple[Any, list[CaseProblemModel]]:
    _, case, problems = validate_with_data(body, suffix)
    return case, problems


def validate_with_data(body: bytes, suffix: str) -> tuple[dict[str, Any] | None, Any, list[CaseProblemModel]]:
    """(the data as read, as JSON values, or None when it cannot be read; the case or None; problems)."""
    from casefile.validation import read_and_validate_text
    from ecokernel.sourcefile import json_ready

    if not body.strip():
        return None, None, [CaseProblemModel(path="", message="请求体为空：请提交案件数据（JSON 或 YAML）")]
    data, case, problems = read_and_validate_text(body, suffix=suffix)
    return (json_ready(data) if isinstance(data, dict) else None), case, problems


def problem_items(problems: list[CaseProblemModel]) -> list[ProblemItem]:
    return [ProblemItem(path=p.path, message=p.message, line=p.line, column=p.column, severity=p.severity)
            for p in problems]


def require_case(body: bytes, suffix: str) -> Any:
    """A valid case, or a 422 problem listing every error with its path and line."""
    case, problems = validate(body, suffix)
    if case is None:
        errors = [p for p in problems if p.severity == "error"]
        raise ApiError(422, "invalid-case", "案件数据有误", f"案件数据有{len(errors)}处错误，请逐项修改",
                       errors=problem_items(errors))
    return case


def validation_result(case: Any, problems: list[CaseProblemModel], on: date) -> ValidationResult:
    errors = sum(1 for p in problems if p.severity == "error")
    summary: list[SummaryRow] = []
    allowed = None
    if case is not None:
        from procedure.summary import summary_rows

        summary = [SummaryRow(label=label, value=value) for label, value in summary_rows(case, on)]
        allowed = [a.form for a in stage_of(case).forms if a.allowed]
    return ValidationResult(
        valid=errors == 0, errors=errors, warnings=len(problems) - errors, summary=summary,
        allowed_forms=allowed,
        problems=[CaseProblem(path=p.path, message=p.message, severity=p.severity, line=p.line, column=p.column)
                  for p in problems])


def stage_of(case: Any) -> StageOut:
    current = stage.infer_stage(case)
    return StageOut(stage=current.label, forms=[
        AllowedForm(form=a.kind, allowed=a.allowed, reason=None if a.allowed else a.reason)
        for a in stage.allowed_forms(case)])


def timeline(case: Any, on: date, fmt: str) -> tuple[bytes | dict[str, Any], str]:
    tl = build_timeline(case, on, cite=True)
    if fmt == "json":
        return tl.to_dict(), "application/json"
    return to_ics(tl).encode("utf-8"), "text/calendar; charset=utf-8"


# -- generation --------------------------------------------------------------------------------------

MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "zip": "application/zip",
}


def generate_one(case: Any, kind: str, fmt: str, workdir: Path, pool: Any) -> tuple[bytes, str]:
    """(content, file name) of one form of ``case`` in ``fmt``."""
    from service import writing

    return writing.write_one(case, kind, fmt, workdir, pool)


def generate_dossier(case: Any, body: bytes, suffix: str, kinds: list[str] | None, fmt: str, workdir: Path,
                     pool: Any) -> tuple[bytes, str]:
    """(ZIP content, file name) of the dossier: every allowed (or chosen) form plus manifest.json."""
    from service import writing

    return writing.write_dossier(case, body, suffix, kinds, fmt, workdir, pool)
