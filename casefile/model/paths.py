"""Dotted paths into the case model (``agreement.performance.destination``): resolving one against
the model's declared fields, and reading its value from a case. The form catalogue names each
element's source this way (corpus/forms.yaml ``field``); :func:`catalogue_errors` holds the two
together."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from corpus.forms import elements

from .case import Case


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation holds (through Optional, list, Annotated…)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def resolves(path: str, model: type[BaseModel] = Case) -> bool:
    """Whether ``path`` names a declared field, step by step through nested models and lists."""
    head, _, rest = path.partition(".")
    field = model.model_fields.get(head)
    if field is None:
        return False
    if not rest:
        return True
    return any(resolves(rest, inner) for inner in _models_in(field.annotation))


def value_at(case: BaseModel, path: str) -> Any:
    """The value at ``path`` in ``case`` (None where a step is missing); a list step yields the list
    of the next step's values."""
    value: Any = case
    for step in path.split("."):
        if isinstance(value, list):
            value = [getattr(item, step, None) for item in value]
        else:
            value = getattr(value, step, None)
        if value is None:
            return None
    return value


def catalogue_errors() -> list[str]:
    """The catalogue's element fields that name no field of the case model (empty when all do)."""
    return [f"{element_id}: field {e.field} is not a path of the case model"
            for element_id, e in elements().items() if e.field and not resolves(e.field)]
