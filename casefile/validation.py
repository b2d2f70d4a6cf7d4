"""Validating a case file: every problem, in Chinese, with its field path and line.

Two passes, both always run so that one file shows *all* its problems at once:

1. the pydantic model (types, formats, check characters, required fields), whose errors are
   translated into Chinese and located in the source file;
2. the date-order rules of ``casefile/data/date_order.yaml``, evaluated on the raw data (so a
   wrong identifier elsewhere does not hide a date out of order).
"""

from __future__ import annotations

import difflib
import functools
import types
import typing
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from casefile.model import Case
from casefile.model.choices import CostHead
from casefile.model.types import Day
from casefile.obligations import defaults
from ecokernel.errors import UserError
from ecokernel.sourcefile import LineMap, join_path, packaged_data, parse_data, read_data_file


class Problem(BaseModel):
    """One problem of a case file."""

    path: str = Field(description="字段路径，如 obligors[0].uscc；整个文件为空字符串")
    message: str
    severity: Literal["error", "warning"] = "error"
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.path or "（文件）"
        if self.line is not None:
            where += f"（第{self.line}行）"
        tag = "" if self.severity == "error" else "［提示］"
        return f"{where}: {tag}{self.message}"


class CaseError(UserError):
    """A case file has errors; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"案件数据有{len(errors)}处错误：\n" + "\n".join(str(p) for p in errors))


def format_loc(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        path = join_path(path, part if isinstance(part, int) else str(part))
    return path


_MESSAGES: dict[str, str] = {
    "missing": "缺少必填字段",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "date_type": "不是有效日期，应写作 YYYY-MM-DD（如 2024-08-01）",
    "date_parsing": "不是有效日期，应写作 YYYY-MM-DD（如 2024-08-01）",
    "date_from_datetime_parsing": "不是有效日期，应写作 YYYY-MM-DD（如 2024-08-01）",
    "date_from_datetime_inexact": "应为日期，不应带时间",
    "time_parsing": "不是有效时间，应写作 HH:MM（如 09:30）",
    "time_type": "不是有效时间，应写作 HH:MM（如 09:30）",
    "decimal_parsing": "不是有效金额",
    "decimal_type": "不是有效金额",
    "decimal_max_places": "金额最多保留两位小数（到分）",
    "decimal_max_digits": "金额过大",
    "decimal_whole_digits": "金额过大",
    "finite_number": "不是有效数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true（是）或 false（否）",
    "bool_type": "应为 true（是）或 false（否）",
    "list_type": "应为列表（每项一行，以“- ”开头）",
    "model_type": "应为一组字段（映射）",
    "model_attributes_type": "应为一组字段（映射）",
    "dict_type": "应为一组字段（映射）",
    "string_pattern_mismatch": "格式不正确",
}


def _unwrap(tp: Any) -> list[Any]:
    """Candidate model classes inside an annotation (Optional, list, Annotated)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (list, typing.Union, types.UnionType):
        return [m for arg in typing.get_args(tp) for m in _unwrap(arg)]
    return [tp] if isinstance(tp, type) and issubclass(tp, BaseModel) else []


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Case
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        info = model.model_fields.get(str(part))
        if info is None:
            return None
        found = _unwrap(info.annotation)
        model = found[0] if found else None
    return model


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        loc = err["loc"]
        model = _model_at(loc[:-1])
        name = str(loc[-1])
        if model is not None:
            close = difflib.get_close_matches(name, list(model.model_fields), n=1, cutoff=0.6)
            hint = f"，是否应为“{close[0]}”？" if close else f"。可用字段：{'、'.join(model.model_fields)}"
            return f"未知字段“{name}”{hint}"
        return f"未知字段“{name}”"
    if kind.startswith("date_") and isinstance(err.get("input"), int) and 19000101 <= err["input"] <= 29991231:
        # "date: 20250520" is an integer to YAML, not a date written without separators
        d = str(err["input"])
        return f"“{d}”被读作整数而不是日期：日期应写作 YYYY-MM-DD（如 {d[:4]}-{d[4:6]}-{d[6:]}）"
    if kind == "value_error":
        error = ctx.get("error")
        return str(error) if error is not None else err["msg"].removeprefix("Value error, ")
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于 {ctx.get('le', ctx.get('lt'))}"
    if kind == "too_short":
        if isinstance(err.get("input"), str):
            return "不能为空"
        return f"至少需要 {ctx.get('min_length')} 项"
    if kind == "string_too_long":
        return f"过长（最多 {ctx.get('max_length')} 字）"
    if kind == "literal_error":
        return f"应为 {ctx.get('expected')}"
    if kind == "enum":
        return f"应为以下之一：{ctx.get('expected')}"
    return _MESSAGES.get(kind, err["msg"])


def _locate(problem: Problem, lines: LineMap) -> Problem:
    pos = lines.locate(problem.path)
    if pos:
        problem.line, problem.column = pos
    return problem


def model_problems(exc: ValidationError, lines: LineMap) -> list[Problem]:
    """Translate pydantic errors into located Chinese problems."""
    return [_locate(Problem(path=format_loc(e["loc"]), message=_message(e)), lines) for e in exc.errors()]


@functools.cache
def _order_rules() -> list[dict[str, Any]]:
    return packaged_data("casefile.data", "date_order.yaml")


_DAY = TypeAdapter(Day)


def _values(data: Any, path: str) -> list[tuple[str, date]]:
    """Every (concrete path, date) that ``path`` (with [*]) reaches in raw data; unparseable skipped."""
    found: list[tuple[str, Any]] = [("", data)]
    for part in path.split("."):
        star = part.endswith("[*]")
        name = part.removesuffix("[*]")
        nxt: list[tuple[str, Any]] = []
        for where, node in found:
            if isinstance(node, dict) and name in node:
                value, here = node[name], join_path(where, name)
                if star:
                    if isinstance(value, list):
                        nxt += [(join_path(here, i), v) for i, v in enumerate(value)]
                else:
                    nxt.append((here, value))
        found = nxt
    out = []
    for where, raw in found:
        try:
            out.append((where, _DAY.validate_python(raw)))
        except (ValidationError, ValueError):
            continue
    return out


def _label(path: str) -> str:
    """A Chinese label for a concrete path, from the model's field titles (e.g. 赔偿协议签订日期)."""
    parts = [p for p in path.replace("]", "").replace("[", ".").split(".") if not p.isdigit()]
    titles: list[str] = []
    model: type[BaseModel] | None = Case
    for part in parts:
        info = model.model_fields.get(part) if model else None
        if info is None:
            return path
        titles.append(info.title or part)
        found = _unwrap(info.annotation)
        model = found[0] if found else None
    return "".join(titles[-2:])


def order_problems(data: Any, lines: LineMap) -> list[Problem]:
    """Apply the date-order rules to raw case data."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return problems
    for rule in _order_rules():
        befores = rule["before"] if isinstance(rule["before"], list) else [rule["before"]]
        earlier = [v for b in befores for v in _values(data, b)]
        if not earlier:
            continue
        anchor_path, anchor = max(earlier, key=lambda pv: pv[1])
        for after in rule["after"]:
            for where, value in _values(data, after):
                if value < anchor:
                    message = (f"{_label(where)}（{value:%Y-%m-%d}）早于{_label(anchor_path)}"
                               f"（{anchor:%Y-%m-%d}，{anchor_path}）：{rule['why']}")
                    problems.append(_locate(Problem(path=where, message=message, severity=rule["severity"]),
                                            lines))
    return problems


def performance_problems(case: Case, lines: LineMap) -> list[Problem]:
    """Warnings on who owes what: several obligors with no allocation; enforcement with nothing overdue."""
    problems: list[Problem] = []
    if case.agreement and len(case.obligors) > 1 and case.agreement.allocation is None:
        problems.append(Problem(
            path="agreement", severity="warning",
            message=f"有{len(case.obligors)}个赔偿义务人，协议未约定连带责任还是按份责任及各自承担的金额和修复义务"
                    "（agreement.allocation）：给付内容不明确的，人民法院可以裁定驳回司法确认申请（民诉法解释第三百五十八条"
                    "第（五）项），申请执行的文书须给付内容明确（第四百六十一条）"))
    if case.enforcement:
        owed = defaults(case)
        if not owed:
            problems.append(Problem(
                path="enforcement", severity="warning",
                message=f"按案件数据，至申请执行日（{owed.on:%Y-%m-%d}）没有到期未履行的款项或修复义务：请核对各期款项的"
                        "实际支付日期（paid）和修复完成情况（restoration.completed），强制执行申请书只能写明未履行的事项"))
    return [_locate(p, lines) for p in problems]


def damage_amount_problems(case: Case, lines: LineMap) -> list[Problem]:
    """A warning when the assessed 生态环境损害数额 includes the investigation and assessment costs: it is
    the sum of every cost item (the assessment's, else the agreement's) although some are of the head
    生态环境损害调查、鉴定评估等费用, which the amount excludes (guangxi:15; 民法典第一千二百三十五条 lists them apart)."""
    a = case.assessment
    if a is None:
        return []
    perf = case.agreement.performance if case.agreement else None
    items = a.cost_items or (perf.items if perf else [])
    costs = sum((i.amount for i in items if i.head is CostHead.INVESTIGATION), start=Decimal(0))
    total = sum((i.amount for i in items), start=Decimal(0))
    if items and a.damage_amount not in (total, total - costs):
        # "damage_amount: 12万元" beside cost items of 174,500: one of the two is wrong
        return [_locate(Problem(
            path="assessment.damage_amount", severity="warning",
            message=f"生态环境损害数额{a.damage_amount:,.2f}元与费用构成不符：各项损害之和为{total - costs:,.2f}元"
                    + (f"（另有调查、鉴定评估等费用{costs:,.2f}元）" if costs else "")
                    + "；请核对损害数额或费用构成（assessment.cost_items）"), lines)]
    if not costs or a.damage_amount != total:
        return []
    return [_locate(Problem(
        path="assessment.damage_amount", severity="warning",
        message=f"生态环境损害数额{a.damage_amount:,.2f}元含调查、鉴定评估等费用{costs:,.2f}元：损害数额不包括生态环境损害"
                f"调查、鉴定评估等费用（guangxi:15；民法典第一千二百三十五条将其与损失、修复费用分列），应为"
                f"{a.damage_amount - costs:,.2f}元；这些费用在赔偿协议的赔偿总额（agreement.performance.total）中单列"), lines)]


def validate_data(data: Any, lines: LineMap | None = None) -> tuple[Case | None, list[Problem]]:
    """Validate raw case data; returns the case (None if it has errors) and all problems."""
    lines = lines or LineMap()
    if not isinstance(data, dict):
        return None, [Problem(path="", message="案件数据应为一组字段（映射），而不是列表或单个值")]
    case: Case | None = None
    try:
        case = Case.model_validate(data)
        problems: list[Problem] = []
    except ValidationError as exc:
        problems = model_problems(exc, lines)
    problems += order_problems(data, lines)
    if case is not None:
        problems += performance_problems(case, lines)
        problems += damage_amount_problems(case, lines)
    if any(p.severity == "error" for p in problems):
        case = None
    return case, problems


def validate_file(path: str | Path) -> tuple[Case | None, list[Problem]]:
    """Read and validate a case file. File-level failures become a single problem with its line."""
    try:
        data, lines = read_data_file(path)
    except UserError as exc:
        return None, [Problem(path=exc.path or "", message=exc.message, line=exc.line, column=exc.column)]
    return validate_data(data, lines)


def validate_text(text: str | bytes, *, suffix: str = ".yaml") -> tuple[Case | None, list[Problem]]:
    """Validate case data given as text or bytes (the HTTP service's path)."""
    _, case, problems = read_and_validate_text(text, suffix=suffix)
    return case, problems


def read_and_validate_text(text: str | bytes, *, suffix: str = ".yaml") -> tuple[Any, Case | None, list[Problem]]:
    """``validate_text`` that also returns the data as read (None when it cannot be read): the web
    page's form shows the same data the YAML editor holds."""
    try:
        data, lines = parse_data(text, suffix=suffix)
    except UserError as exc:
        return None, None, [Problem(path=exc.path or "", message=exc.message, line=exc.line, column=exc.column)]
    return (data, *validate_data(data, lines))


def load_case(path: str | Path) -> Case:
    """Load a valid case or raise CaseError listing every error (warnings do not block)."""
    case, problems = validate_file(path)
    if case is None:
        raise CaseError(problems)
    return case
