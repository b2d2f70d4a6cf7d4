"""Case data as submitted to the register: validated exactly as the CLI validates a case file, its
parsed data made JSON, and what the register copies out of it (listing fields; its deadlines:
:mod:`caseregister.deadlines`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from casefile.model import Case
from casefile.validation import CaseError, Problem, validate_text
from caseregister import knowledge
from caseregister.schemas import DeadlineInfo
from ecokernel.errors import UserError
from ecokernel.sourcefile import MAX_BYTES, DataFileError, decode, json_ready, os_error_text, parse_data
from procedure.stage import infer_stage
from procedure.timeline import build_timeline

TextFormat = Literal["yaml", "json"]
SUFFIXES: dict[str, TextFormat] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def text_sha256(text: str) -> str:
    """The SHA-256 of the text as UTF-8: equal to a dossier manifest's case hash for a UTF-8 file."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Submission:
    """Valid case data: the text as given, its format, its parsed data (JSON values) and the model."""

    text: str
    text_format: TextFormat
    data: Any
    case: Case

    @property
    def sha256(self) -> str:
        return text_sha256(self.text)


def submit(text: str, text_format: TextFormat) -> Submission:
    """Validate case data text; raises ``CaseError`` (every problem, Chinese, with field paths)."""
    suffix = "." + text_format
    case, problems = validate_text(text, suffix=suffix)
    if case is None:
        raise CaseError(problems or [Problem(path="", message="案件数据无效")])
    return Submission(text=text, text_format=text_format, data=parsed_data(text, text_format), case=case)


def parsed_data(text: str, text_format: TextFormat | str) -> Any:
    """The data of a case text as JSON values, in the order of the text."""
    data, _lines = parse_data(text, suffix="." + text_format)
    return json_ready(data)


def text_format_of(path: Path) -> TextFormat:
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise UserError(f"不是案件数据文件（应为 .yaml、.yml 或 .json）：{path}")
    return fmt


def read_case_text(path: Path) -> str:
    """A case file's text (UTF-8, UTF-16 with BOM or GB18030, as the CLI reads it)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataFileError(f"文件过大（{size // 1024} KB），案件数据文件上限为 {MAX_BYTES // 1024} KB", path=str(path))
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取文件：{os_error_text(exc)}", path=str(path)) from None
    try:
        return decode(raw)
    except UserError as exc:
        raise DataFileError(exc.message, path=str(path)) from None


class StepRow(DeadlineInfo):
    """A deadline as computed, and whether it is still open (something to act on)."""

    open: bool


def listing(case: Case) -> dict[str, Any]:
    """The case's fields a listing shows (copied onto the ``cases`` row)."""
    stage = infer_stage(case)
    return {"case_number": case.case_number, "title": case.case_name, "jurisdiction": case.jurisdiction,
            "stage": stage.code, "stage_label": stage.label,
            "obligor_names": "、".join(o.name for o in case.obligors)}


def steps_on(case: Case, on: date) -> list[StepRow]:
    """The case's timeline steps as of ``on``, computed (procedure.timeline): for one case's page.
    Lists of cases read the stored steps instead (:mod:`caseregister.deadlines`)."""
    timeline = build_timeline(case, on, knowledge.current().calendar)
    return [StepRow(step=s.code, title=s.title, due=s.due, done=s.done.date if s.done else None,
                    status=s.status, status_label=s.status_label, open=s.is_open) for s in timeline.steps]
