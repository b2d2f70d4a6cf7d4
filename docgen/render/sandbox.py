"""The template sandbox: templates read case data, never objects.

Jinja's own sandbox blocks ``_``-prefixed and interpreter-internal attributes. That is not enough
for pydantic models: every model in the render context inherits class-level methods that reach
the file system or ``pickle`` (``parse_file``, ``parse_raw(..., proto='pickle')``) and a family of
``model_*``/``schema``/``copy`` helpers. A department's own template (``--template-dir``) is
untrusted code, so this sandbox allows, on a pydantic model, exactly:

- its declared fields, and
- properties and methods that the project's own classes define (``profile.param(...)``);

and refuses everything inherited from pydantic, every attribute of a class object and every value
that is a class. Ranges, string/list repetition and powers are bounded so a template cannot exhaust
memory. A refused access raises ``SecurityError`` with a Chinese message naming the attribute.
"""

from __future__ import annotations

import operator
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.runtime import Undefined
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment
from pydantic import BaseModel

#: Top-level packages whose classes may expose methods and properties to templates.
PROJECT_PACKAGES = frozenset({"ecokernel", "corpus", "casefile", "procedure", "docgen", "checkers"})
#: Longest string or list a template may build by repetition (``'a' * n``).
MAX_REPEAT = 100_000
#: Largest exponent a template may raise a number to.
MAX_EXPONENT = 64


def _declared_by_project(cls: type, attr: str) -> bool:
    """Whether the first class of ``cls``'s MRO that defines ``attr`` belongs to the project."""
    for klass in cls.__mro__:
        if attr in vars(klass):
            return klass.__module__.split(".")[0] in PROJECT_PACKAGES
    return False


def _bounded_mul(left: Any, right: Any) -> Any:
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(count, int) and len(seq) * count > MAX_REPEAT:
            raise SecurityError(f"模板中的重复结果超过 {MAX_REPEAT} 个元素，拒绝计算")
    return operator.mul(left, right)


def _bounded_pow(left: Any, right: Any) -> Any:
    if isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
        raise SecurityError(f"模板中的乘方指数超过 {MAX_EXPONENT}，拒绝计算")
    return operator.pow(left, right)


def bounded_range(*args: int) -> range:
    """``range`` for templates, refused (in Chinese) beyond Jinja's ``MAX_RANGE`` items."""
    rng = range(*args)
    try:
        too_long = len(rng) > MAX_RANGE
    except OverflowError:  # more items than a C ssize_t holds
        too_long = True
    if too_long:
        raise SecurityError(f"模板中的 range 超过 {MAX_RANGE} 项，拒绝计算")
    return rng


class DataSandbox(SandboxedEnvironment):
    """A sandbox in which templates see data, not objects (see the module docstring)."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = bounded_range

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, type) or isinstance(value, type):
            return False
        if isinstance(obj, BaseModel):
            if attr in type(obj).model_fields:
                return True
            # pydantic's own names stay refused even where a project class sets them (model_config)
            return not hasattr(BaseModel, attr) and _declared_by_project(type(obj), attr)
        return True

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        return self.undefined(
            f"模板只能读取案件数据：不允许访问 {type(obj).__name__} 对象的“{attribute}”",
            name=attribute, obj=obj, exc=SecurityError,
        )

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "*":
            return _bounded_mul(left, right)
        if operator_ == "**":
            return _bounded_pow(left, right)
        return super().call_binop(context, operator_, left, right)
