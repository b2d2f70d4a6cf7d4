"""Series cases (系列案件): one event, many obligors, one case per obligor, entered in a workbook.

A *base* case file holds what the cases share (claimant, incident, assessment, agreement terms…)
and one obligor as an example. A workbook (``ecoclaim series template``) has one row per obligor;
its columns are derived from the case model (the obligor's fields, the case name and number, the
amounts and payment schedule of the agreement), with the model's Chinese titles as headers and a
second sheet 说明 explaining each column. ``ecoclaim series import`` merges every row onto the base
and validates the result with the very validation ``ecoclaim validate`` uses.

The workbook is hostile input: its size is capped, the zip is checked by the hardened zip layer
(``ecokernel.safezip``: member count, declared sizes, compression ratio, paths) and every part is
read through it within those limits; XML parts with a DTD or entities and macro workbooks are
refused; openpyxl only ever sees a copy rebuilt from the checked parts, opened read-only.
"""

from __future__ import annotations

import contextlib
import copy
import io
import itertools
import math
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from casefile.model import Case, Obligor
from casefile.model.choices import ObligorKind
from casefile.model.stages import Agreement, Assessment, Payment, Performance, Security
from casefile.model.types import Day, LabeledEnum, Money, _to_decimal
from casefile.skeleton import _unwrap, obligor_kind
from casefile.validation import Problem, format_loc, validate_data, validate_file
from ecokernel.errors import InputError, UserError
from ecokernel.files import write_atomically
from ecokernel.identifiers import classify_identifier
from ecokernel.safezip import MB, SafeZip
from ecokernel.sourcefile import os_error_text, read_data_file

#: Largest workbook accepted (bytes on disk): the same cap as any document `check` reads.
MAX_WORKBOOK_BYTES = 20 * MB
#: Most obligor rows in one workbook (the published series run to 11 and 33 companies).
MAX_ROWS = 1000
#: Most rows scanned, blank ones included (a sheet can claim a million formatted rows).
MAX_SCANNED_ROWS = 20_000
#: Most header cells read.
MAX_COLUMNS = 200
#: Instalment column pairs a template has unless the base case has more.
DEFAULT_INSTALLMENTS = 3
#: Most instalment column pairs recognised on import.
MAX_INSTALLMENTS = 60

SHEET = "赔偿义务人"
NOTES_SHEET = "说明"
WHAT = "系列案件工作簿"

#: headers whose model title needs context on a sheet of many columns
_HEADER = {"kind": "赔偿义务人类型", "name": "赔偿义务人名称（姓名）", "legal_rep_title": "法定代表人职务"}
#: columns whose values must stay text (long digit strings lose digits as numbers in a spreadsheet)
_IDENTIFIERS = ("uscc", "id_number")
_MACRO_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaProjectSignature\.bin)$", re.IGNORECASE)
_DOCTYPE = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


class SeriesError(UserError):
    """The base case or the workbook cannot be used at all (exit 2)."""


@dataclass(frozen=True)
class Column:
    """One workbook column: its header, the path in the case data it fills, and how."""

    header: str
    path: tuple[str | int, ...]
    kind: Any
    required: bool
    note: str
    group: str

    @property
    def field_path(self) -> str:
        return format_loc(self.path)

    @property
    def name(self) -> str:
        return str(self.path[-1])


@dataclass
class RowProblem:
    """A problem of one row, said with sheet, row and column header."""

    row: int
    message: str
    header: str | None = None
    path: str | None = None
    severity: str = "error"
    sheet: str = SHEET

    def __str__(self) -> str:
        where = f"工作表「{self.sheet}」第{self.row}行"
        if self.header:
            where += f"「{self.header}」"
        elif self.path:
            where += f"（{self.path}）"
        return f"{where}：{'［提示］' if self.severity == 'warning' else ''}{self.message}"


@dataclass
class Row:
    """One obligor row: the merged case data (None when the row has errors) and its problems."""

    number: int
    name: str
    data: dict[str, Any] | None
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[RowProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def stem(self) -> str:
        """The file name (without suffix) of this row's case: row number and obligor name."""
        name = _UNSAFE_NAME.sub("-", self.name).strip("-.")[:60] or "赔偿义务人"
        return f"{self.number:03d}-{name}"


# -- columns, from the model ------------------------------------------------------------------


def _field(model: type[BaseModel], name: str) -> tuple[FieldInfo, Any]:
    info = model.model_fields[name]
    kind, _is_list = _unwrap(info.annotation)
    return info, kind


def _kind_note(kind: Any) -> str:
    if isinstance(kind, type) and issubclass(kind, LabeledEnum):
        return "可选：" + "、".join(m.label for m in kind) + "（也可写代码：" + "、".join(m.value for m in kind) + "）"
    if kind is Decimal:
        return "金额（元），写数字，最多两位小数，如 125000.00"
    if kind is date:
        return "日期，如 2025-09-30（或设为日期格式）"
    return ""


def _column(model: type[BaseModel], name: str, path: tuple[str | int, ...], group: str, *,
            header: str | None = None, required: bool | None = None, blank: str = "") -> Column:
    info, kind = _field(model, name)
    parts = [info.description or "", _kind_note(kind), blank]
    return Column(header=header or _HEADER.get(name) or info.title or name, path=path, kind=kind,
                  required=info.is_required() if required is None else required,
                  note="；".join(p for p in parts if p), group=group)


def base_installments(base: dict[str, Any]) -> int:
    """How many instalments the base case's agreement has."""
    perf = (base.get("agreement") or {}).get("performance") or {}
    items = perf.get("installments") if isinstance(perf, dict) else None
    return len(items) if isinstance(items, list) else 0


def columns(base: dict[str, Any], installments: int = DEFAULT_INSTALLMENTS) -> list[Column]:
    """The workbook's columns for this base case: derived from the case model's fields."""
    cols = [
        _column(Case, "case_number", ("case_number",), "案件", required=False,
                blank="每案各不相同；不填则本案不写立案号（不沿用基础案件的立案号）"),
        _column(Case, "case_name", ("case_name",), "案件", required=False,
                blank="不填则沿用基础案件的名称，其中基础案件赔偿义务人的名称换为本行的名称"),
    ]
    for name, info in Obligor.model_fields.items():
        blank = "不填时按所填证件号码判断（填统一社会信用代码为单位，填身份证号码为自然人）" if name == "kind" else ""
        cols.append(_column(Obligor, name, ("obligors", 0, name), "赔偿义务人",
                            required=info.is_required() and name != "kind", blank=blank))
    if isinstance(base.get("assessment"), dict):
        cols.append(_column(Assessment, "damage_amount", ("assessment", "damage_amount"), "鉴定评估",
                            required=False, blank="本赔偿义务人的损害数额；不填则沿用基础案件"))
    if isinstance(base.get("agreement"), dict):
        perf = ("agreement", "performance")
        cols.append(_column(Agreement, "number", ("agreement", "number"), "赔偿协议", header="协议编号",
                            required=False, blank="每案各不相同；不填则本案协议不写编号（不沿用基础案件的编号）"))
        cols.append(_column(Performance, "total", (*perf, "total"), "赔偿协议", required=False,
                            blank="不填则沿用基础案件"))
        security = "分期赔付的应设履约担保；不填则沿用基础案件的约定（基础案件未约定的即不设担保）"
        cols.append(_column(Security, "kind", (*perf, "security", "kind"), "赔偿协议", header="履约担保方式",
                            required=False, blank=security))
        cols.append(_column(Security, "amount", (*perf, "security", "amount"), "赔偿协议", header="履约担保金额（元）",
                            required=False, blank=security))
        schedule = "填写了一次性支付或任何一期的，本案的付款安排即为本行所填，替换基础案件的付款安排"
        amount_title, due_title = Payment.model_fields["amount"].title, Payment.model_fields["due"].title
        cols.append(_column(Payment, "amount", (*perf, "payments", 0, "amount"), "赔偿协议",
                            header=f"一次性支付{amount_title}", required=False, blank=schedule))
        cols.append(_column(Payment, "due", (*perf, "payments", 0, "due"), "赔偿协议",
                            header=f"一次性{due_title}", required=False, blank=schedule))
        for k in range(1, installments + 1):
            cols.append(_column(Payment, "amount", (*perf, "installments", k - 1, "amount"), "赔偿协议",
                                header=f"第{k}期{amount_title}", required=False, blank=schedule))
            cols.append(_column(Payment, "due", (*perf, "installments", k - 1, "due"), "赔偿协议",
                                header=f"第{k}期{due_title}", required=False, blank=schedule))
    return cols


# -- the base case ----------------------------------------------------------------------------


def read_base(path: Path) -> dict[str, Any]:
    """The base case's raw data: a mapping with at most one obligor (the example each row replaces)."""
    data, _lines = read_data_file(path)
    if not isinstance(data, dict):
        raise SeriesError(f"{path}：基础案件应为一组字段（映射），而不是列表或单个值")
    obligors = data.get("obligors", [])
    if not isinstance(obligors, list) or len(obligors) > 1 or (obligors and not isinstance(obligors[0], dict)):
        raise SeriesError(f"{path}：系列案件的基础案件应只有一个赔偿义务人（作为示例，由工作簿每一行的赔偿义务人替换），"
                          f"现有{len(obligors) if isinstance(obligors, list) else '格式不正确的'}个")
    return data


# -- the template workbook --------------------------------------------------------------------


def template_workbook(base: dict[str, Any], installments: int | None = None) -> bytes:
    """The series workbook for this base: sheet 赔偿义务人 (headers with comments, one row per obligor)
    and sheet 说明 (every column explained). Deterministic: the same base gives the same bytes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    n = installments if installments is not None else max(DEFAULT_INSTALLMENTS, base_installments(base))
    if not 0 <= n <= MAX_INSTALLMENTS:
        raise SeriesError(f"分期数应在0至{MAX_INSTALLMENTS}之间")
    cols = columns(base, n)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    other_fill = PatternFill("solid", fgColor="DDEBF7")
    for i, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.font = Font(bold=True)
        cell.fill = required_fill if col.required else other_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        text = ("必填。" if col.required else "选填。") + (col.note or "")
        cell.comment = Comment(text, "ecoclaim", width=320, height=140)
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, min(40, len(col.header) * 2 + 4))
        if col.kind is date:
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        elif col.kind is Decimal:
            ws.column_dimensions[letter].number_format = "0.00"
        else:
            ws.column_dimensions[letter].number_format = "@"  # text: identifiers keep every digit
        if isinstance(col.kind, type) and issubclass(col.kind, LabeledEnum):
            choices = ",".join(m.label for m in col.kind)
            check = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
            check.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            ws.add_data_validation(check)
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 36

    notes = wb.create_sheet(NOTES_SHEET)
    lines = [
        "系列案件工作簿（由 ecoclaim series template 生成）",
        "在「赔偿义务人」表中每个赔偿义务人填一行（第2行起），每一行生成一个案件；各案共同的内容（赔偿权利人、损害事件、"
        "鉴定评估、协议条款等）取自基础案件文件。",
        "基础案件中赔偿义务人的名称和证件号码出现在其他内容（如案件名称、协议条款）中的，换为本行的名称和证件号码；"
        "与其法定代表人姓名相同的字段（如磋商会议的参会人员）换为本行的法定代表人。",
        "导入：ecoclaim series import 基础案件.yaml 本工作簿.xlsx -o 输出目录 [--generate]。每一行按 ecoclaim validate 的规则校验，"
        "有错误的行不写出，错误指明行号和列名；其他行照常写出。",
        "证件号码、电话等请按文本填写（本模板已将这些列设为文本格式），否则表格会把18位号码存为数字而丢失末几位。",
        "",
    ]
    for line in lines:
        notes.append([line])
    notes.append(["列名", "是否必填", "说明", "对应案件数据字段"])
    header_row = notes.max_row
    for col in cols:
        notes.append([col.header, "必填" if col.required else "选填", col.note, col.field_path])
    for cell in notes[header_row]:
        cell.font = Font(bold=True)
    notes["A1"].font = Font(bold=True, size=14)
    for letter, width in zip("ABCD", (26, 10, 80, 44), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=header_row + 1):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")

    fixed = datetime(2025, 1, 1)
    wb.properties.creator = "ecoclaim"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buffer = io.BytesIO()
    wb.save(buffer)
    return normalize_zip(buffer.getvalue())


def fill_workbook(template: bytes, rows: list[dict[str, Any]]) -> bytes:
    """A template workbook with ``rows`` (each {column header: value}) entered from row 2 on, as a
    drafter would; deterministic like the template. Unknown headers are a ``SeriesError``."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template))
    ws = wb[SHEET]
    headers = [c.value for c in ws[1]]
    for values in rows:
        unknown = [h for h in values if h not in headers]
        if unknown:
            raise SeriesError(f"模板中没有这些列：{'、'.join(unknown)}")
        ws.append([values.get(h) for h in headers])
    wb.properties.created = wb.properties.modified = datetime(2025, 1, 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return normalize_zip(buffer.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def normalize_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps: openpyxl stamps the time of saving on every member and
    as the document's modification time."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            part = source.read(info)
            if info.filename == "docProps/core.xml":
                part = _MODIFIED.sub(rb"\g<1>2025-01-01T00:00:00Z\g<2>", part)
            target.writestr(fixed, part)
    return out.getvalue()


# -- reading a workbook (hostile input) -------------------------------------------------------


def _checked_copy(path: Path) -> bytes:
    """The workbook's bytes after every check, rebuilt from the parts read within the limits."""
    suffix = path.suffix.lower()
    if suffix in (".xlsm", ".xltm", ".xlam"):
        raise InputError(f"{path.name} 是含宏的工作簿（{suffix}），为安全起见不读取；请另存为“Excel 工作簿（*.xlsx）”后再导入")
    if suffix == ".xls":
        raise InputError(f"{path.name} 是旧版 Excel 文件（.xls），请另存为“Excel 工作簿（*.xlsx）”后再导入")
    if suffix != ".xlsx":
        raise InputError(f"{path.name} 不是 Excel 工作簿（.xlsx）；请用 ecoclaim series template 生成的模板填写")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InputError(f"不是文件：{path}")
        if size > MAX_WORKBOOK_BYTES:
            raise InputError(f"{path.name} 有 {size / MB:.1f} MB，超过 {MAX_WORKBOOK_BYTES // MB} MB 的上限，拒绝读取")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到文件：{path}") from None
    except OSError as exc:
        raise InputError(f"无法读取 {path}：{os_error_text(exc)}") from None
    if not data.startswith(b"PK"):
        raise InputError(f"{path.name} 不是有效的 Excel 工作簿（.xlsx），可能已损坏或只是改了扩展名")
    package = SafeZip(data, what=f"{WHAT} {path.name} ", action="导入")
    names = package.names()
    if any(_MACRO_PARTS.search(n) for n in names):
        raise InputError(f"{path.name} 含有宏（VBA 工程），为安全起见不读取；请另存为不含宏的“Excel 工作簿（*.xlsx）”后再导入")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as rebuilt:
        for name in names:
            if name.endswith("/"):
                continue
            part = package.read(name) or b""
            lowered = name.lower()
            if lowered.endswith((".xml", ".rels", ".vml")):
                if any(marker in part[:4096] for marker in _DOCTYPE) or b"<!ENTITY" in part:
                    raise InputError(f"{WHAT} {path.name} 中的部件 {name} 含有文档类型（DTD）或实体声明，正常的工作簿不会有，"
                                     "可能是恶意构造的文件（实体炸弹或外部实体），拒绝读取")
                if lowered == "[content_types].xml" and b"macroenabled" in part.lower():
                    raise InputError(f"{path.name} 是含宏的工作簿，为安全起见不读取；请另存为“Excel 工作簿（*.xlsx）”后再导入")
            rebuilt.writestr(name, part)
    return out.getvalue()


def _open_sheet(path: Path) -> tuple[Any, Any]:
    """The workbook (read-only) and its obligor sheet."""
    from openpyxl import load_workbook

    data = _checked_copy(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises anything on a broken package: the file is what is wrong
        raise InputError(f"{path.name} 无法作为 Excel 工作簿读取（内容已损坏或不是 .xlsx 格式），请用 Excel 或 WPS 重新保存后再导入") from None
    sheets = wb.sheetnames
    name = SHEET if SHEET in sheets else next((s for s in sheets if s != NOTES_SHEET), None)
    if name is None:
        wb.close()
        raise InputError(f"{path.name} 中没有「{SHEET}」工作表")
    return wb, wb[name]


def _rows(sheet: Any, width: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for number, values in enumerate(sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
        if number > MAX_SCANNED_ROWS + 1:
            raise InputError(f"工作表「{sheet.title}」超过 {MAX_SCANNED_ROWS} 行，拒绝读取（系列案件最多 {MAX_ROWS} 个赔偿义务人）")
        yield number, tuple(values) + (None,) * (width - len(values))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_workbook(path: Path, base: dict[str, Any]) -> tuple[str, list[Column], list[tuple[int, dict[Column, Any]]]]:
    """The sheet name, the columns found and every non-blank row as {column: raw cell value}.

    Raises ``InputError`` for an unusable workbook and ``SeriesError`` for headers that do not
    belong to this base case's template (reading on would put values in the wrong fields)."""
    known = {c.header: c for c in columns(base, MAX_INSTALLMENTS)}
    wb, sheet = _open_sheet(path)
    try:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                header = next(sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True), ())
                found: list[Column | None] = []
                problems = []
                for i, value in enumerate(header, start=1):
                    text = str(value).strip() if not _blank(value) else ""
                    if not text:
                        found.append(None)
                        continue
                    col = known.get(text)
                    if col is None:
                        problems.append(f"第{i}列「{text}」不是本基础案件模板中的列")
                    elif col in found:
                        problems.append(f"第{i}列「{text}」重复")
                    found.append(col)
                present = {c for c in found if c}
                missing = [c.header for c in known.values() if c.required and c not in present]
                if missing:
                    problems.append("缺少必填的列：" + "、".join(f"「{m}」" for m in missing))
                if problems:
                    raise SeriesError(f"工作表「{sheet.title}」第1行（列名）：" + "；".join(problems)
                                      + "。请用 ecoclaim series template 按同一基础案件生成的模板填写")
                rows = []
                for number, values in _rows(sheet, len(found)):
                    cells = {col: values[i] for i, col in enumerate(found) if col is not None}
                    if all(_blank(v) for v in values):
                        continue
                    if len(rows) >= MAX_ROWS:
                        raise InputError(f"工作表「{sheet.title}」有超过 {MAX_ROWS} 个赔偿义务人，请分成几个工作簿导入")
                    rows.append((number, cells))
        except UserError:
            raise
        except Exception:  # a malformed sheet part: openpyxl fails in many ways
            raise InputError(f"{path.name} 的工作表「{sheet.title}」无法读取（内容已损坏），请用 Excel 或 WPS 重新保存后再导入") from None
        return sheet.title, [c for c in found if c], rows
    finally:
        wb.close()


# -- one row onto the base --------------------------------------------------------------------


def _cell(col: Column, raw: Any) -> Any:
    """The cell's value for the model (which validates it), or ValueError with a Chinese reason."""
    if isinstance(raw, str):
        return _normalized(col, raw.strip())
    if isinstance(raw, bool):
        raise ValueError("应为文字或数字，不是“是/否”")
    if col.kind is date:
        if isinstance(raw, datetime):
            if raw.time() != time(0):
                raise ValueError("应为日期，不应带时间")
            return raw.date()
        if isinstance(raw, date):
            return raw
        raise ValueError("不是日期：请写作 2025-09-30，或把单元格设为日期格式")
    if col.kind is Decimal:
        if isinstance(raw, int | float):
            if isinstance(raw, float) and not math.isfinite(raw):
                raise ValueError("不是有效金额")
            amount = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
            # to the fen as a case file writes it (a spreadsheet stores 1286400.00 as 1286400)
            return amount.quantize(Decimal("0.01")) if amount.as_tuple().exponent >= -2 else amount  # type: ignore[operator]
        raise ValueError("不是金额：请写数字，如 125000.00")
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not raw.is_integer():
            return str(raw)
        digits = str(int(raw))
        if col.name in _IDENTIFIERS or len(digits) > 15:
            raise ValueError(f"被表格存成了数字（{digits}），长号码的末几位可能已丢失；请把该列设为文本格式后重新输入")
        return digits
    if isinstance(raw, datetime | date | time):
        raise ValueError("应为文字，不是日期或时间")
    return str(raw)


def _normalized(col: Column, text: str) -> Any:
    """A date or amount typed as text in the form a case file writes (2025-09-30, 85000.00); text the
    model would not accept stays as it is, for the validation to report at its column."""
    from pydantic import TypeAdapter, ValidationError


    if col.kind not in (date, Decimal):
        return text
    try:
        return TypeAdapter(Day if col.kind is date else Money).validate_python(text)
    except (ValidationError, ValueError, ArithmeticError):
        return text


def _replace(value: Any, subs: list[tuple[str, str]], exact: dict[str, str]) -> Any:
    """``value`` with every occurrence of the base obligor's name and identifier replaced."""
    if isinstance(value, str):
        if value in exact:
            return exact[value]
        for old, new in subs:
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {k: _replace(v, subs, exact) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, subs, exact) for v in value]
    return value


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    node: Any = data
    for here, nxt in itertools.pairwise(path):
        if isinstance(here, str):
            if not isinstance(node.get(here), dict | list):
                node[here] = [] if isinstance(nxt, int) else {}
            node = node[here]
        else:
            while len(node) <= here:
                node.append({})
            node = node[here]
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value


def _differs(base_amount: Any, row_amount: Any) -> bool:
    """True when both are amounts and differ (a malformed amount is the validation's to report)."""

    try:
        return bool(_to_decimal(base_amount) != _to_decimal(row_amount))
    except (ValueError, ArithmeticError):
        return False


def _is_person(kind: Any) -> bool:
    try:
        return ObligorKind.coerce(kind) is ObligorKind.PERSON
    except ValueError:
        return False


def _identifier(obligor: dict[str, Any]) -> str | None:
    value = obligor.get("uscc") or obligor.get("id_number")
    return str(value) if value else None


def merge_row(base: dict[str, Any], number: int, cells: dict[Column, Any], sheet: str = SHEET) -> Row:
    """Row ``number`` merged onto the base case and validated like ``ecoclaim validate``."""
    problems: list[RowProblem] = []
    values: dict[Column, Any] = {}
    for col, raw in cells.items():
        if _blank(raw):
            continue
        try:
            values[col] = _cell(col, raw)
        except ValueError as exc:
            problems.append(RowProblem(number, str(exc), header=col.header, sheet=sheet))
    name_col = next((c for c in cells if c.path == ("obligors", 0, "name")), None)
    name = str(values.get(name_col, "")) if name_col else ""
    if problems:
        return Row(number, name or f"第{number}行", None, problems)

    old = (base.get("obligors") or [{}])[0]
    obligor = {c.name: v for c, v in values.items() if c.path[0] == "obligors"}
    if isinstance(obligor.get("kind"), str):  # the words `ecoclaim init --obligor` takes (单位, 个人, 企业)

        with contextlib.suppress(UserError):  # anything else: the model names the choices
            obligor["kind"] = obligor_kind(obligor["kind"])
    if "kind" not in obligor:
        ident = obligor.get("uscc") or obligor.get("id_number")
        guess = classify_identifier(str(ident)) if ident else "unknown"
        if obligor.get("uscc") and not obligor.get("id_number"):
            obligor["kind"] = "unit"
        elif obligor.get("id_number") and not obligor.get("uscc"):
            obligor["kind"] = "person"
        else:
            obligor["kind"] = old.get("kind") or ("person" if guess == "ric" else "unit")
    subs: list[tuple[str, str]] = []
    exact: dict[str, str] = {}
    if old.get("name") and obligor.get("name") and isinstance(old["name"], str):
        subs.append((old["name"], str(obligor["name"])))
    old_id, new_id = _identifier(old), _identifier(obligor)
    if old_id and new_id:
        subs.append((old_id, new_id))
    # whoever spoke for the base obligor (its legal representative) is this row's, or the person themself
    speaker = obligor.get("legal_rep") or (obligor.get("name") if _is_person(obligor.get("kind")) else None)
    if isinstance(old.get("legal_rep"), str) and speaker:
        exact[old["legal_rep"]] = str(speaker)
    data: dict[str, Any] = _replace(copy.deepcopy(base), subs, exact)
    data["obligors"] = [{k: obligor[k] for k in Obligor.model_fields if k in obligor}]
    if isinstance(data.get("agreement"), dict):
        perf = data["agreement"].get("performance")
        schedule = [c for c in values if len(c.path) > 3 and c.path[2] in ("payments", "installments")]
        if schedule and isinstance(perf, dict):
            perf["payments"], perf["installments"] = [], []
        total = next((c for c in values if c.path == ("agreement", "performance", "total")), None)
        if total is not None and not schedule and isinstance(perf, dict) and (perf.get("payments") or perf.get(
                "installments")) and _differs(perf.get("total"), values[total]):
            problems.append(RowProblem(
                number, f"本行的赔偿总额与基础案件（{perf.get('total')} 元）不同，而未填写本行的付款安排；基础案件的各笔款项"
                "是按其赔偿总额约定的，请填写本行的一次性支付金额和期限，或各期的金额和支付期限", header=total.header,
                sheet=sheet))
            return Row(number, name or f"第{number}行", None, problems)
    for col, value in values.items():
        if col.path[0] != "obligors":
            _set(data, col.path, value)
    # numbers are each case's own: never copied from the base (the keys keep their place when set)
    given = {c.path for c in values}
    if ("case_number",) not in given:
        data.pop("case_number", None)
    if isinstance(data.get("agreement"), dict):
        if ("agreement", "number") not in given:
            data["agreement"].pop("number", None)
        perf = data["agreement"].get("performance")
        if isinstance(perf, dict):
            for key in ("payments", "installments"):
                items = perf.get(key)
                if isinstance(items, list):
                    items[:] = [item for item in items if item]  # columns left blank between filled ones
                    if not items:
                        del perf[key]
    row = Row(number, str(obligor.get("name") or f"第{number}行"), data, problems)
    _, found = validate_data(data)
    by_path = {c.field_path: c for c in cells}
    for problem in found:
        row.problems.append(_row_problem(number, problem, by_path, sheet))
    if row.errors:
        row.data = None
    return row


def _row_problem(number: int, problem: Problem, by_path: dict[str, Column], sheet: str) -> RowProblem:
    """A validation problem said at the column it comes from, when it comes from one."""
    path = problem.path
    col = by_path.get(path)
    if col is None and path:  # a problem of a part with columns: the nearest column, or the group
        related = [c for p, c in by_path.items() if p.startswith(path + ".") or p.startswith(path + "[")]
        if related:
            depth = min(len(c.path) for c in related)
            nearest = [c for c in related if len(c.path) == depth]
            if len(nearest) == 1:
                col = nearest[0]
            else:
                return RowProblem(number, problem.message, header=nearest[0].group, severity=problem.severity,
                                  sheet=sheet)
    if col is not None:
        return RowProblem(number, problem.message, header=col.header, severity=problem.severity, sheet=sheet)
    return RowProblem(number, problem.message, path=f"基础案件的 {path}" if path else "基础案件",
                      severity=problem.severity, sheet=sheet)


def _duplicates(rows: list[Row], by_header: dict[str, Column]) -> None:
    """Two rows for one obligor, or two cases with one number or name, are errors of the later row."""
    checks = [("obligors", 0, "name"), ("obligors", 0, "uscc"), ("obligors", 0, "id_number"), ("case_number",),
              ("case_name",), ("agreement", "number")]
    for path in checks:
        seen: dict[str, int] = {}
        for row in rows:
            if row.data is None:
                continue
            node: Any = row.data
            for part in path:
                node = node[part] if isinstance(node, dict | list) and (
                    isinstance(part, int) or part in node) else None
                if node is None:
                    break
            if node is None:
                continue
            header = next((c.header for c in by_header.values() if c.path == path), format_loc(path))
            if str(node) in seen:
                row.problems.append(RowProblem(row.number, f"“{node}”与第{seen[str(node)]}行相同；系列案件中每个赔偿义务人一行，"
                                               "各案的立案号、案件名称和协议编号各不相同", header=header))
                row.data = None
            else:
                seen[str(node)] = row.number


def load_series(base_path: Path, workbook: Path) -> tuple[str, list[Row]]:
    """Every row of the workbook merged onto the base case and validated."""
    base = read_base(base_path)
    sheet, cols, rows = read_workbook(workbook, base)
    merged = [merge_row(base, number, cells, sheet) for number, cells in rows]
    _duplicates(merged, {c.header: c for c in cols})
    return sheet, merged


# -- writing one case file --------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


def _time(dumper: yaml.SafeDumper, value: time) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value.strftime("%H:%M"))


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(time, _time)


def case_yaml(row: Row, base_path: Path, workbook: Path, sheet: str) -> bytes:
    """The YAML text of a row's case, with a comment saying where it came from."""
    assert row.data is not None
    head = (f"# 系列案件（ecoclaim series import 生成）：基础案件 {base_path.name}，"
            f"工作簿 {workbook.name} 工作表「{sheet}」第{row.number}行\n")
    body = yaml.dump(row.data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return (head + body).encode("utf-8")


def _reads_back(written: Path) -> None:
    """The written text must read back as the validated data did."""
    case, problems = validate_file(written)
    if case is None:
        errors = "；".join(str(p) for p in problems if p.severity == "error")
        raise UserError(f"写出的案件文件未通过校验：{errors}")


def write_case(row: Row, text: bytes, out_dir: Path, *, force: bool = False) -> tuple[Path, bytes | None, bool]:
    """Write a row's case file atomically; returns its path, the bytes it had before (None if it is new)
    and whether it changed.

    The file is validated again as ``ecoclaim validate`` reads it before it is moved into place.
    An existing file with other content (edited by hand, or another workbook's row) is not
    replaced unless ``force``."""
    target = out_dir / f"{row.stem}.yaml"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        previous = target.read_bytes() if target.exists() else None
        if previous is not None:
            if previous == text:
                return target, previous, False
            if not force:
                raise UserError(f"{target} 已存在且内容不同（可能已手工修改），为免丢失修改，本行未写出；确需覆盖时加 --force")
    except OSError as exc:
        raise UserError(f"无法写入 {target}：{os_error_text(exc)}") from None
    write_atomically(target, lambda handle: handle.write(text), check=_reads_back)
    return target, previous, True


__all__ = ["MAX_ROWS", "MAX_WORKBOOK_BYTES", "NOTES_SHEET", "SHEET", "Column", "Row", "RowProblem", "SeriesError",
           "base_installments", "case_yaml", "columns", "fill_workbook", "load_series", "merge_row", "read_base", "read_workbook",
           "template_workbook", "write_case"]
