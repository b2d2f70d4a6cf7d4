"""What the exports share: workbook styling (Chinese headers, frozen header row, column widths,
real dates), the current version's case data of many cases in one query, local times, and the
Chinese name of a jurisdiction."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from casefile.model import Case as CaseData
from caseregister.models import Case, CaseVersion
from corpus.profiles import load_profiles

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")


class Column:
    """A workbook column: its Chinese header, width (characters) and cell format."""

    def __init__(self, header: str, width: float, number_format: str | None = None) -> None:
        self.header, self.width, self.number_format = header, width, number_format


def sheet(wb: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], *,
          heading: Sequence[str] = (), first: bool = False) -> Worksheet:
    """A sheet with ``heading`` lines (title, basis) above a bold header row that stays in view."""
    ws = wb.active if first else wb.create_sheet()
    assert ws is not None
    ws.title = title
    for line in heading:
        ws.append([line])
        ws.cell(ws.max_row, 1).font = Font(bold=ws.max_row == 1, size=14 if ws.max_row == 1 else 11)
    header_row = ws.max_row + 1 if heading else 1
    ws.append([c.header for c in columns])
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(header_row, index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = column.width
    for values in rows:
        ws.append([float(v) if isinstance(v, Decimal) else v for v in values])
        for index, column in enumerate(columns, start=1):
            cell = ws.cell(ws.max_row, index)
            if column.number_format:
                cell.number_format = column.number_format
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    return ws


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def current_data(session: Session, case_ids: Sequence[int]) -> dict[int, CaseData]:
    """The current version's case data of each case (validated into the case model)."""
    out: dict[int, CaseData] = {}
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        query = (select(CaseVersion.case_id, CaseVersion.data)
                 .join(Case, and_(Case.id == CaseVersion.case_id, CaseVersion.number == Case.current_version))
                 .where(Case.id.in_(chunk)))
        out.update({case_id: CaseData.model_validate(data) for case_id, data in session.execute(query)})
    return out


def local(moment: datetime) -> datetime:
    """A stored (naive UTC) time in the server's local time, naive (as a workbook cell holds it)."""
    return moment.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def local_date(moment: datetime) -> date:
    return local(moment).date()


def jurisdiction_name(key: str) -> str:
    profile = load_profiles().get(key)
    return profile.name if profile else key


def damage_amount(case: CaseData) -> Decimal | None:
    return case.assessment.damage_amount if case.assessment else None


def agreed_total(case: CaseData) -> Decimal | None:
    return case.agreement.performance.total if case.agreement else None


def payments(case: CaseData) -> list[Any]:
    """Every payment and instalment the agreement fixes."""
    if case.agreement is None:
        return []
    return [*case.agreement.performance.payments, *case.agreement.performance.installments]


def paid_total(case: CaseData, start: date | None = None, end: date | None = None) -> Decimal:
    """What was paid (optionally: paid within ``start``..``end``)."""
    return sum((p.amount for p in payments(case) if p.paid is not None
                and (start is None or p.paid >= start) and (end is None or p.paid <= end)), Decimal(0))


# ---- DOCX through the document writer (docgen's block tree, GB/T 9704 layout) -------------------

def para(text: str, role: str = "body", **options: Any) -> Any:
    from ecodoc.tree import Paragraph, Run

    return Paragraph(runs=[Run(text=text)], role=role, **options)  # type: ignore[arg-type]


def table(rows: Sequence[Sequence[str]], widths: Sequence[int], header_rows: int = 1) -> Any:
    from ecodoc.tree import Cell, Paragraph, Row, Run, Table

    return Table(widths=list(widths), header_rows=header_rows, rows=[
        Row(cells=[Cell(blocks=[Paragraph(runs=[Run(text=str(value), bold=index < header_rows)], role="body",
                                          indent=0)])
                   for value in values])
        for index, values in enumerate(rows)])


def docx_bytes(title: str, blocks: Sequence[Any]) -> bytes:
    """A DOCX of ``blocks`` written by the document writer (the fonts and layout of the forms)."""
    from docgen.writers import WRITERS
    from ecodoc.tree import Document

    return bytes(WRITERS["docx"](Document(kind="register", variant="register", title=title, blocks=list(blocks))))
