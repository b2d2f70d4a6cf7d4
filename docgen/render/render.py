"""Render one form of a case into a block tree."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from jinja2 import TemplateError, TemplateNotFound
from jinja2.exceptions import UndefinedError

from casefile import model as case_model
from casefile.model import Case
from casefile.obligations import defaults
from corpus.filing import filing_steps
from corpus.forms import FormKind, all_kinds
from corpus.profiles import get_profile
from docgen.pack.plan import enclosures
from ecodoc.tree import Document
from ecokernel import clock
from ecokernel.errors import UserError

from .environment import environment
from .lint import LintProblem, lint_one, lint_template
from .markup import MarkupError, parse_markup
from .sandbox import DataSandbox


class RenderError(UserError):
    """A form could not be rendered (a template problem, named with its file and line)."""


def template_name(variant: str, kind: str) -> str:
    return f"{variant}/{kind}.xml.j2"


@functools.lru_cache(maxsize=16)
def _environment(template_dirs: tuple[Path, ...]) -> DataSandbox:
    """One environment per set of template directories: templates compile once per process."""
    return environment(list(template_dirs))


@functools.cache
def _model_fingerprint() -> str:
    """Changes whenever the case model's source changes (the lint checks templates against it)."""
    model_dir = Path(case_model.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(model_dir.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _lint_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ecoclaim" / "lint"


@functools.lru_cache(maxsize=512)
def _lint_one(template_dirs: tuple[Path, ...], name: str) -> tuple[tuple[LintProblem, ...], tuple[str, ...]]:
    """Lint one template, with the result kept on disk keyed by the template's source and the case
    model's fingerprint, so a fresh process does not re-parse unchanged templates."""
    env = _environment(template_dirs)
    assert env.loader is not None
    source, _filename, _uptodate = env.loader.get_source(env, name)
    key = hashlib.sha256(f"{name}\0{source}\0{_model_fingerprint()}".encode()).hexdigest()
    cached = _lint_cache_dir() / f"{key}.json"
    try:
        data = json.loads(cached.read_text("utf-8"))
        return tuple(LintProblem(**p) for p in data["problems"]), tuple(data["referenced"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    problems, referenced = lint_one(env, name)
    with contextlib.suppress(OSError):
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"problems": [dataclasses.asdict(p) for p in problems],
                                   "referenced": referenced}, ensure_ascii=False), "utf-8")
        os.replace(tmp, cached)
    return tuple(problems), tuple(referenced)


def _lint(template_dirs: tuple[Path, ...], name: str) -> list[LintProblem]:
    """Lint a template and what it includes; each template is parsed for linting once per process."""
    def one(_env: object, current: str) -> tuple[list[LintProblem], list[str]]:
        problems, referenced = _lint_one(template_dirs, current)
        return list(problems), list(referenced)

    return lint_template(_environment(template_dirs), name, one)


#: the template folder of the court-filing forms (``filing: true`` in corpus/forms.yaml)
FILING_VARIANT = "court"


def variant_for(case: Case, form: FormKind) -> tuple[str, str | None]:
    """(template variant, model-text address or None): from the profile, or ``court`` for a filing form."""
    if form.filing:
        return FILING_VARIANT, None
    return get_profile(case.jurisdiction).variant_for(form.code)


def render_context(case: Case, kind: str, *, today: date | None = None,
                   extra: Mapping[str, object] | None = None) -> dict[str, object]:
    """Everything a form template sees: the case, its jurisdiction's profile, the form kind, and what
    the caller adds (``extra``: e.g. the party of a 法定代表人身份证明书, the rows of a 证据目录)."""
    form = all_kinds()[kind]
    profile = get_profile(case.jurisdiction)
    variant, _model_text = variant_for(case, form)
    today = today or clock.today()
    applied = case.enforcement.applied if case.enforcement else None
    steps = [code for code, step in filing_steps().items() if step.form == kind]
    return {**(extra or {}), "case": case, "profile": profile, "form": form, "variant": variant,
            "title": form.title_for(variant), "today": today, "owed": defaults(case, applied or today),
            "enclosures": enclosures(case, steps[0]) if steps else [],
            "title_of": lambda other: all_kinds()[other].title_for(variant_for(case, all_kinds()[other])[0])}


def _where(exc: BaseException, name: str) -> str:
    """``name 第N行`` of the innermost template frame of ``exc`` (Jinja rewrites tracebacks so that
    template frames carry the template's file and line), or ``name`` when none is found."""
    line = getattr(exc, "lineno", None)
    where = name
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where, line = Path(filename).name if not filename.endswith(name) else name, tb.tb_lineno
        tb = tb.tb_next
    return f"{where} 第{line}行" if line else where


def render_form(case: Case, kind: str, *, template_dirs: list[Path] | None = None,
                today: date | None = None, extra: Mapping[str, object] | None = None) -> Document:
    """Render ``kind`` for ``case`` in its jurisdiction's variant. Raises RenderError."""
    kinds = all_kinds()
    if kind not in kinds:
        raise RenderError(f"未知文书种类“{kind}”，可选：{'、'.join(kinds)}")
    profile = get_profile(case.jurisdiction)
    variant, model_text = variant_for(case, kinds[kind])
    dirs = tuple(Path(d).resolve() for d in template_dirs or [])
    env = _environment(dirs)
    name = template_name(variant, kind)
    try:
        problems = _lint(dirs, name)
    except TemplateNotFound:
        raise RenderError(f"找不到模板 {name}") from None
    if problems:
        raise RenderError("模板引用了案件数据中不存在的字段：\n" + "\n".join(str(p) for p in problems))
    borrowed = model_text is None or profile.forms.variant != variant
    note = profile.forms.note if borrowed and not kinds[kind].filing else None
    context = render_context(case, kind, today=today, extra=extra)
    try:
        xml = env.get_template(name).render(context)
    except UndefinedError as exc:
        raise RenderError(f"模板 {_where(exc, name)} 引用了未定义的值：{exc.message}") from None
    except TemplateError as exc:
        raise RenderError(f"模板 {_where(exc, name)}：{exc.message or exc}") from None
    except (ArithmeticError, TypeError, ValueError, LookupError) as exc:
        # a template's own expression failed at run time (e.g. ``1 / 0``, ``'a' + 1``)
        raise RenderError(f"模板 {_where(exc, name)} 运行出错：{type(exc).__name__}: {exc}") from None
    try:
        return parse_markup(xml, kind=kind, variant=variant, jurisdiction=case.jurisdiction,
                            model_text=model_text, note=note)
    except MarkupError as exc:
        raise RenderError(f"模板 {name}：{exc}") from None
