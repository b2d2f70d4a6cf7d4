"""The registry of the eleven form kinds (data in ``corpus/forms.yaml``)."""

from __future__ import annotations

import functools

from pydantic import BaseModel, ConfigDict

from corpus.profiles import FORM_KINDS
from ecokernel.sourcefile import packaged_data


class FormKind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    title: str
    titles: dict[str, str] = {}
    subtitle: str | None = None
    stage: str
    guangxi: str | None = None
    zhangye: str | None = None

    def title_for(self, variant: str) -> str:
        return self.titles.get(variant, self.title)


@functools.cache
def form_kinds() -> dict[str, FormKind]:
    """All form kinds, in the order of SPEC §1."""
    data = packaged_data("corpus", "forms.yaml")
    kinds = {code: FormKind(code=code, **entry) for code, entry in data.items()}
    if tuple(kinds) != FORM_KINDS:
        raise RuntimeError("forms.yaml 与 FORM_KINDS 不一致")
    return kinds
