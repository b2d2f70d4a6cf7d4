"""Template lint: every ``case.…`` attribute a template uses must exist in the case model.

Walks the Jinja AST, tracking the model type of ``case`` and of loop variables and ``set``
assignments (``{% for o in case.obligors %}`` binds ``o`` to ``Obligor``), and reports an unknown
attribute with the template name and line — before anything is rendered.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, nodes
from pydantic import BaseModel

from casefile.model import Case


@dataclass(frozen=True)
class LintProblem:
    template: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"模板 {self.template} 第{self.line}行：{self.message}"


def _shape(annotation: Any) -> Any:
    """Reduce an annotation to a model class, ("list", inner), or None (a leaf)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _shape(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        shapes = [_shape(a) for a in typing.get_args(annotation) if a is not type(None)]
        return shapes[0] if len(shapes) == 1 else None
    if origin is list:
        return ("list", _shape(typing.get_args(annotation)[0]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


class _Linter:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[LintProblem] = []

    def resolve(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            return scope.get(node.name)
        if isinstance(node, nodes.Getattr):
            owner = self.resolve(node.node, scope)
            if isinstance(owner, type) and issubclass(owner, BaseModel):
                info = owner.model_fields.get(node.attr)
                if info is not None:
                    return _shape(info.annotation)
                if hasattr(owner, node.attr):  # a property or method of the model
                    return None
                close = difflib.get_close_matches(node.attr, list(owner.model_fields), n=1)
                hint = f"，是否应为“{close[0]}”？" if close else ""
                self.problems.append(LintProblem(
                    self.name, node.lineno, f"{owner.__name__} 没有字段“{node.attr}”{hint}"))
            return None
        if isinstance(node, nodes.Getitem):
            owner = self.resolve(node.node, scope)
            return owner[1] if isinstance(owner, tuple) else None
        return None

    def visit(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            self.visit(node.iter, scope)
            iterable = self.resolve(node.iter, scope)
            inner = dict(scope)
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = iterable[1] if isinstance(iterable, tuple) else None
            inner["loop"] = None
            for child in node.body + node.else_:
                self.visit(child, inner)
            if node.test is not None:
                self.visit(node.test, inner)
            return
        if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
            self.visit(node.node, scope)
            scope[node.target.name] = self.resolve(node.node, scope)
            return
        if isinstance(node, nodes.Getattr):
            self.resolve(node, scope)  # records problems along the chain
            return
        if isinstance(node, nodes.Macro):
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = None
            for child in node.body:
                self.visit(child, inner)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)


def _parse(env: Environment, source: str, name: str) -> tuple[nodes.Template | None, list[LintProblem]]:
    from jinja2 import TemplateSyntaxError

    try:
        return env.parse(source, name), []
    except TemplateSyntaxError as exc:
        return None, [LintProblem(name, exc.lineno, f"模板语法错误：{exc.message}")]


def _referenced(tree: nodes.Template) -> list[str]:
    """Names of the templates a tree includes, imports or extends (constant names only)."""
    found = []
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        target = node.template
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            found.append(target.value)
    return found


def lint_one(env: Environment, name: str) -> tuple[list[LintProblem], list[str]]:
    """Problems of one template (syntax errors included) and the templates it refers to."""
    assert env.loader is not None
    source, _filename, _uptodate = env.loader.get_source(env, name)
    return lint_source_refs(env, source, name)


def lint_source_refs(env: Environment, source: str, name: str) -> tuple[list[LintProblem], list[str]]:
    tree, problems = _parse(env, source, name)
    if tree is None:
        return problems, []
    linter = _Linter(name)
    linter.visit(tree, {"case": Case})
    return linter.problems, _referenced(tree)


def lint_source(env: Environment, source: str, name: str) -> list[LintProblem]:
    """Problems of one template source."""
    return lint_source_refs(env, source, name)[0]


def lint_template(env: Environment, name: str,
                  one: Callable[[Environment, str], tuple[list[LintProblem], list[str]]] = lint_one,
                  ) -> list[LintProblem]:
    """Problems of a template and of every template it includes, imports or extends.

    ``one`` lints a single template; a caller may pass a memoised version so shared macros are
    parsed once per process, not once per form.
    """
    problems: list[LintProblem] = []
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        found, referenced = one(env, current)
        problems += found
        pending += referenced
    return problems
