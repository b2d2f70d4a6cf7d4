"""Importing a series workbook (``ecoclaim series import``): one case file per row, and with
``generate`` each case's dossier as ``ecoclaim generate --all`` writes it.

A row with errors writes nothing; the other rows go on. A row is written as a whole or not at all:
its case file is moved into place only when valid, and when its dossier then cannot be generated
the case file this run wrote is removed again (the dossier itself is atomic, ``docgen.dossier``).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from casefile.series import Row, RowProblem, case_yaml, load_series, write_case
from docgen.dossier import FORMATS, DossierError, DossierResult, generate_dossier
from ecokernel.errors import UserError


@dataclass
class RowOutcome:
    """What became of one row: its case file and dossier, or its problems."""

    row: Row
    case_file: Path | None = None
    dossier: DossierResult | None = None
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.case_file is not None and not any(p.severity == "error" for p in self.problems)


@dataclass
class SeriesResult:
    sheet: str
    outcomes: list[RowOutcome]

    @property
    def failed(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if not o.ok]


def import_series(base: Path, workbook: Path, out_dir: Path, *, generate: str | None = None, force: bool = False,
                  progress: Callable[[RowOutcome], None] | None = None) -> SeriesResult:
    """Merge every row of ``workbook`` onto ``base``, validate, write ``out_dir/NNN-名称.yaml`` and, when
    ``generate`` names a format, the dossier ``out_dir/NNN-名称/``. Raises ``UserError`` only when the
    base or the workbook cannot be used at all; row problems are in the result."""
    if generate is not None and generate not in FORMATS:
        raise DossierError(f"不支持的输出格式“{generate}”，可用：{'、'.join(FORMATS)}")
    if out_dir.exists() and not out_dir.is_dir():
        raise DossierError(f"输出路径 {out_dir} 是一个文件，不是目录；请用 -o 指定一个目录")
    sheet, rows = load_series(base, workbook)
    if not rows:
        raise UserError(f"{workbook.name} 的工作表「{sheet}」中没有填写任何赔偿义务人（第2行起每行一个）")
    result = SeriesResult(sheet, [])
    for row in rows:
        outcome = RowOutcome(row, problems=list(row.problems))
        if row.data is not None:
            _write_row(outcome, base, workbook, sheet, out_dir, generate, force)
        result.outcomes.append(outcome)
        if progress:
            progress(outcome)
    return result


def _write_row(outcome: RowOutcome, base: Path, workbook: Path, sheet: str, out_dir: Path, fmt: str | None,
               force: bool) -> None:
    row = outcome.row
    try:
        path, previous, changed = write_case(row, case_yaml(row, base, workbook, sheet), out_dir, force=force)
    except UserError as exc:
        outcome.problems.append(RowProblem(row.number, str(exc), sheet=sheet))
        return
    if fmt is None:
        outcome.case_file = path
        return
    dossier_dir = out_dir / row.stem
    created = not dossier_dir.exists()
    done = False
    try:
        outcome.dossier = generate_dossier(path, dossier_dir, fmt=fmt, force=force)
        outcome.case_file = path
        done = True
    except UserError as exc:
        outcome.problems.append(RowProblem(row.number, f"文书未生成：{exc}", sheet=sheet))
    finally:
        if not done:  # nothing half-written for this row: undo what this run wrote
            if previous is None:
                path.unlink(missing_ok=True)
            elif changed:
                path.write_bytes(previous)
            if created:
                shutil.rmtree(dossier_dir, ignore_errors=True)


__all__ = ["RowOutcome", "SeriesResult", "import_series"]
