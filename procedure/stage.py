"""Where a case stands, and which of the eleven forms it can have now.

Both answers come from the events on file and the data in ``procedure/data/stages.yaml``:
``infer_stage(case)`` is the first stage whose conditions hold; ``allowed_forms(case)`` gives,
for every form kind of :func:`corpus.forms.form_kinds`, whether it can be generated and why.
"""

from __future__ import annotations

import functools
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from casefile.model import Case
from corpus.forms import form_kinds
from ecokernel.sourcefile import packaged_data
from procedure.timeline.paths import Condition, all_hold, dates

__all__ = ["FormAllowance", "Stage", "allowed_forms", "infer_stage"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StageSpec(_Strict):
    code: str
    label: str
    since: str | None = None
    when: list[Condition]
    next: list[str] = Field(default_factory=list)


class StageData(_Strict):
    stages: list[StageSpec]
    forms: dict[str, list[Condition]]
    out_of_scope_allows: list[str] = Field(default_factory=list)


class Stage(BaseModel):
    """The current stage: a stable ``code``, its Chinese ``label``, and since when (if known)."""

    model_config = ConfigDict(frozen=True)

    code: str
    label: str
    since: date | None = None
    next: list[str] = Field(default_factory=list, description="通常的下一步（中文）")

    def __str__(self) -> str:
        return self.label + (f"（自{self.since.isoformat()}）" if self.since else "")


class FormAllowance(BaseModel):
    """Whether a form kind can be generated for the case now, and why (Chinese)."""

    model_config = ConfigDict(frozen=True)

    kind: str
    allowed: bool
    reason: str


@functools.cache
def stage_data() -> StageData:
    data = packaged_data("procedure.data", "stages.yaml")
    parsed = StageData.model_validate(data)
    missing = set(form_kinds()) ^ set(parsed.forms)
    if missing:
        raise RuntimeError(f"stages.yaml forms do not match the form kinds: {sorted(missing)}")
    return parsed


def _stage_spec(case: Case) -> StageSpec:
    for spec in stage_data().stages:
        if all_hold(spec.when, case):
            return spec
    raise RuntimeError("stages.yaml has no catch-all stage")


def infer_stage(case: Case) -> Stage:
    """The stage the case is in, inferred from its events."""
    spec = _stage_spec(case)
    since = max(dates(case, spec.since), default=None) if spec.since else None
    return Stage(code=spec.code, label=spec.label, since=since, next=list(spec.next))


def allowed_forms(case: Case) -> list[FormAllowance]:
    """For each of the eleven form kinds (in SPEC order): can it be generated now, and why."""
    data = stage_data()
    stage = _stage_spec(case)
    out: list[FormAllowance] = []
    for kind, form in form_kinds().items():
        if stage.code == "out_of_scope" and kind not in data.out_of_scope_allows:
            out.append(FormAllowance(kind=kind, allowed=False,
                                     reason=f"{stage.label}：案件不属于生态环境损害赔偿程序的适用范围，不制作{form.title}"))
            continue
        failed = next((c for c in data.forms[kind] if not c.holds(case)), None)
        if failed is None:
            out.append(FormAllowance(kind=kind, allowed=True, reason=f"案件数据已具备制作{form.title}所需信息"))
        else:
            out.append(FormAllowance(kind=kind, allowed=False, reason=failed.label or f"缺少{form.title}所需信息"))
    return out
