"""A commented case-file skeleton for drafters who do not write YAML by hand (``ecoclaim init``).

Written from the case model itself, so it never drifts from it: every field with its Chinese title
and description as a comment, required ones marked 必填, choices listed with their labels. The parts
a new case fills first (parties, the clue, the claim start) are live YAML; later stages are written
out commented, ready to be uncommented when the case reaches them.
"""

from __future__ import annotations

import types
import typing
from datetime import date, time
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from casefile.model import Case, Obligor
from casefile.model.types import LabeledEnum
from ecokernel.errors import UserError

#: the stages a new case fills first; the later ones are written commented out
LIVE = ("schema_version", "jurisdiction", "case_number", "case_name", "cause", "incident", "claimant",
        "obligors", "agents", "clue", "claim_start")
#: the fields of each obligor kind (the others are left out of its skeleton), and those its kind requires
OBLIGOR_FIELDS = {
    "unit": ("kind", "name", "uscc", "legal_rep", "legal_rep_title", "address", "phone"),
    "person": ("kind", "name", "id_number", "work_unit", "address", "phone"),
}
OBLIGOR_REQUIRED = {"unit": ("uscc", "legal_rep"), "person": ("id_number",)}


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The inner type of an annotation, and whether it is a list."""
    is_list = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        elif origin is list:
            annotation, is_list = typing.get_args(annotation)[0], True
        else:
            return annotation, is_list


def _placeholder(kind: Any) -> str:
    if isinstance(kind, type) and issubclass(kind, LabeledEnum):
        return '""'
    if kind is bool:
        return "false"
    if kind in (Decimal, int, float):
        return "0"
    if kind is date:
        return '""   # 如 2025-03-28'
    if kind is time:
        return '""   # 如 09:30'
    return '""'


def _comment(name: str, info: FieldInfo, kind: Any) -> str:
    words = [info.title or name]
    if info.is_required():
        words.append("（必填）")
    if info.description:
        words.append("：" + info.description)
    if isinstance(kind, type) and issubclass(kind, LabeledEnum):
        words.append("。可选：" + "、".join(f"{m.value}（{m.label}）" for m in kind))
    return "".join(words)


def _list_item(item: list[str], pad: str) -> list[str]:
    """Lines of one mapping as a YAML list item: "- " before its first key, the rest indented."""
    first = next(i for i, line in enumerate(item) if not line.lstrip().startswith("#"))
    return [f"{pad}  - {line.strip()}" if i == first else f"{pad}    {line.strip()}" for i, line in enumerate(item)]


def _model_lines(model: type[BaseModel], indent: int, fields: tuple[str, ...] | None = None,
                 values: dict[str, str] | None = None, *, every: bool = False) -> list[str]:
    """The lines of a model's fields; optional ones commented out unless ``every`` (a list item's
    example, which its list's own commenting decides)."""
    lines: list[str] = []
    pad = " " * indent
    for name, info in model.model_fields.items():
        if fields is not None and name not in fields:
            continue
        kind, is_list = _unwrap(info.annotation)
        field: list[str] = []
        nested = isinstance(kind, type) and issubclass(kind, BaseModel)
        if values and name in values:
            field.append(f"{pad}{name}: {values[name]}")
        elif nested and is_list:
            field += [f"{pad}{name}:", *_list_item(_model_lines(kind, 0, every=True), pad)]
        elif nested:
            field += [f"{pad}{name}:", *_model_lines(kind, indent + 2)]
        elif is_list:
            field.append(f"{pad}{name}: []")
        else:
            field.append(f"{pad}{name}: {_placeholder(kind)}")
        optional = not every and not info.is_required() and not (values and name in values)
        lines += [f"{pad}# {_comment(name, info, kind)}", *(_commented(field) if optional else field)]
    return lines


def _commented(lines: list[str]) -> list[str]:
    """Lines of an optional field, commented out where they hold YAML (uncomment to fill in)."""
    out = []
    for line in lines:
        body = line.lstrip()
        pad = line[:len(line) - len(body)]
        out.append(line if body.startswith("#") else f"{pad}# {body}")
    return out


def obligor_kind(text: str) -> str:
    """``unit`` or ``person`` from a code or a Chinese word (单位, 个人, 自然人)."""

    kinds = {"unit": "unit", "单位": "unit", "企业": "unit", "person": "person", "个人": "person", "自然人": "person"}
    if text not in kinds:
        raise UserError(f"赔偿义务人类型“{text}”无法识别，可选：单位（unit）、个人（person）")
    return kinds[text]


def skeleton(jurisdiction: str, obligor_kind: str) -> str:
    """The commented skeleton of a new case in ``jurisdiction`` with one obligor of ``obligor_kind``."""
    lines = ["# 生态环境损害赔偿案件数据（由 ecoclaim init 生成）。“#”后为说明；填写后用 ecoclaim validate 校验。",
             "# 日期写作 2025-03-28，金额写作 1286400.00（也接受“128.64万元”），选项可写代码或中文。", ""]
    for name, info in Case.model_fields.items():
        kind, is_list = _unwrap(info.annotation)
        block: list[str]
        if name == "schema_version":
            block = [f"# {_comment(name, info, kind)}", "schema_version: 1"]
        elif name == "jurisdiction":
            block = [f"# {_comment(name, info, kind)}", f"jurisdiction: {jurisdiction}"]
        elif name == "obligors":
            live = {"kind": obligor_kind, **{f: '""' for f in OBLIGOR_REQUIRED[obligor_kind]}}
            item = _model_lines(Obligor, 0, OBLIGOR_FIELDS[obligor_kind], live)
            block = [f"# {_comment(name, info, kind)}（每个赔偿义务人一项）", "obligors:", *_list_item(item, "")]
        else:
            nested = isinstance(kind, type) and issubclass(kind, BaseModel)
            if nested and not is_list:
                body = [f"{name}:", *_model_lines(kind, 2)]
            else:
                body = [f"{name}: []" if is_list else f"{name}: {_placeholder(kind)}"]
            live = name in LIVE and (info.is_required() or nested)
            block = [f"# {_comment(name, info, kind)}", *(body if live else _commented(body))]
        lines += [*block, ""]
    return "\n".join(lines)
