"""The Jinja2 environment that renders form templates: sandboxed, strict, autoescaped.

- ``StrictUndefined``: a misspelt field is an error, never an empty string;
- ``finalize`` refuses ``None``: an empty optional field must go through ``| fill`` (a visible
  blank line for handwriting, as the model texts have) — a form never silently shortens;
- autoescape on: ``& < > " '`` and ``{{ }}`` in case data stay literal text;
- sandboxed (``sandbox.DataSandbox``): templates supplied by a department (``--template-dir``) read
  case data only, never Python internals or pydantic's class-level methods.
"""

from __future__ import annotations

import contextlib
import functools
import os
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from corpus.loader import load_corpus
from ecokernel.calendar import WorkCalendar
from ecokernel.cnfmt import format_date, int_to_cn, rmb_upper

from .sandbox import DataSandbox

PACKAGE_TEMPLATES = Path(str(resources.files("templates")))


class EmptyValueError(TemplateError):
    """A template printed a None value without ``| fill``."""


def _finalize(value: Any) -> Any:
    if value is None:
        raise EmptyValueError("模板直接输出了空值（None）：可能为空的字段须使用 | fill 过滤器留出填写空白")
    return value


def blank(width: int = 8) -> Markup:
    """A fill-in line of ``width`` characters."""
    return Markup(f'<blank w="{int(width)}"/>')


def fill(value: Any, width: int = 8) -> Any:
    """The value, or a visible blank line when it is missing."""
    if value is None or value == "" or value == []:
        return blank(width)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return yuan(value)
    return value


def cndate(value: date | None) -> Any:
    """``2025年8月29日``, or ``＿＿年＿月＿日`` blanks as the model texts print them."""
    if value is None:
        return Markup(f"{blank(4)}年{blank(2)}月{blank(2)}日")
    return format_date(value)


def yuan(value: Decimal) -> str:
    """``1,286,400.00元``."""
    return f"{value:,.2f}元"


def daxie(value: Decimal) -> str:
    """``人民币壹佰贰拾捌万陆仟肆佰元整``."""
    return rmb_upper(value)


def money(value: Decimal | None) -> Any:
    """``1,286,400.00元（大写：人民币壹佰贰拾捌万陆仟肆佰元整）``, or a blank."""
    if value is None:
        return Markup(f"{blank(8)}元（大写：{blank(12)}）")
    return f"{yuan(value)}（大写：{rmb_upper(value)}）"


def lines(value: str | None) -> Any:
    """Text with its line breaks kept (each line escaped)."""
    if not value:
        return blank(16)
    return Markup("<br/>").join(escape(line) for line in value.split("\n"))


def paras(value: str | None) -> list[str]:
    """The non-empty paragraphs of a text (split on newlines)."""
    return [p.strip() for p in (value or "").split("\n") if p.strip()]


def joined(values: list[Any], sep: str = "、") -> Any:
    return sep.join(str(v) for v in values) if values else blank(12)


@functools.cache
def _calendar() -> WorkCalendar:
    return WorkCalendar()


def workdays_after(start: date | None, n: int) -> date | None:
    """The n-th working day after ``start`` (调休 included), or None when start is unknown."""
    return None if start is None else _calendar().add_workdays(start, n).end


def cite(address: str) -> str:
    """A corpus unit as a document cites it: ``《…若干规定（试行）》第二十条`` (the title declared once, in corpus/)."""
    return load_corpus().cite(address)


class _QuietBytecodeCache(FileSystemBytecodeCache):
    """Compiled templates cached on disk across runs (keyed by name and source checksum); a cache
    directory that cannot be written only costs speed, never an error."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()


def _bytecode_cache() -> _QuietBytecodeCache | None:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ecoclaim" / "jinja"
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _QuietBytecodeCache(str(root))


def environment(template_dirs: list[Path] | None = None) -> DataSandbox:
    """A rendering environment; ``template_dirs`` (a department's overrides) come first."""
    loaders = [FileSystemLoader(str(d)) for d in template_dirs or []]
    loaders.append(FileSystemLoader(str(PACKAGE_TEMPLATES)))
    env = DataSandbox(
        loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined, finalize=_finalize,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False, auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(fill=fill, cndate=cndate, yuan=yuan, daxie=daxie, money=money, lines=lines,
                       paras=paras, joined=joined, cn=int_to_cn)
    env.globals.update(blank=blank, workdays_after=workdays_after, cite=cite)
    return env
