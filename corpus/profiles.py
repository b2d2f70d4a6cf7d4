"""Jurisdiction profiles: data files under ``corpus/jurisdictions/``, one per jurisdiction.

A profile names the regulations it rests on, which model-text variant its documents use, and
the numbers of its procedure (deadlines, thresholds, limits), each with the corpus address of
the article it comes from. Profiles inherit from ``falls_back_to`` (normally ``national``), so
``profile.param("consultation_period")`` answers from the jurisdiction, else from the baseline.

Loading fails loudly (``ProfileError``) when a parameter is unknown or mistyped, or when a basis
address does not resolve in the corpus: a number without a resolvable article is a defect.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from corpus import load_corpus
from corpus.forms import form_codes
from ecokernel.errors import CorpusError, UserError
from ecokernel.sourcefile import read_data_file

#: the eleven form kinds, from the form catalogue (corpus/forms.yaml)
FORM_KINDS = form_codes()


class ProfileError(UserError):
    """A jurisdiction profile is malformed or cites an article that does not exist."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: how a unit reads after its number (``15个工作日``, ``12个月``)
#: the reporting periods a ``period`` parameter may name, with their length in months (a period
#: starts in January and repeats; a report is due once per period)
PERIODS = {"月": 1, "季度": 3, "半年": 6, "年": 12}


def period_end_months(period: str) -> list[int]:
    """The last month of each period of a year: ``季度`` → 3, 6, 9, 12."""
    return list(range(PERIODS[period], 13, PERIODS[period]))

UNIT_TEXT = {"日": "日", "工作日": "个工作日", "月": "个月", "年": "年", "次": "次", "人": "人"}


class ParameterSpec(_Strict):
    """An entry of ``_parameters.yaml``: what a parameter means and how it is typed."""

    label: str
    type: Literal["int", "decimal", "ratio", "bool", "text", "list", "month_day", "period"]
    units: list[str] = Field(default_factory=list)
    comparison: bool = False


class Parameter(_Strict):
    """One number (or rule switch) of a profile, with the article(s) it rests on."""

    value: Any
    unit: str | None = None
    inclusive: bool | None = None
    basis: list[str]
    note: str | None = None
    origin: str = ""  # the profile key that set it (filled on resolution)

    @field_validator("basis", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @property
    def text(self) -> str:
        """The value as the law writes it: ``15个工作日``, ``12个月``, ``3次``, ``50%``, ``300,000元``."""
        if self.unit == "比例":
            return f"{float(self.value) * 100:g}%"
        if self.unit == "元":
            return f"{Decimal(str(self.value)):,f}元"
        return f"{self.value}{UNIT_TEXT.get(self.unit or '', self.unit or '')}"


class Forms(_Strict):
    variant: str
    model_texts: dict[str, str] = Field(default_factory=dict)
    fallback_variant: str | None = None
    note: str | None = None


class Profile(_Strict):
    """A jurisdiction profile after inheritance: ``parameters`` include the inherited ones."""

    key: str
    name: str
    description: str
    sources: list[str]
    falls_back_to: str | None
    forms: Forms
    cited_rules: list[str] = Field(default_factory=list)
    parameters: dict[str, Parameter] = Field(default_factory=dict)

    def param(self, name: str) -> Parameter | None:
        """The parameter, from this profile or inherited; None if no level sets it."""
        return self.parameters.get(name)

    def value(self, name: str, default: Any = None) -> Any:
        p = self.parameters.get(name)
        return default if p is None else p.value

    def variant_for(self, kind: str) -> tuple[str, str | None]:
        """(template variant, model-text address or None) for a form kind."""
        if kind in self.forms.model_texts:
            return self.forms.variant, self.forms.model_texts[kind]
        return self.forms.fallback_variant or self.forms.variant, None

    def status(self, on: date) -> list[tuple[str, str, str]]:
        """For each source regulation: (source key, status code, Chinese explanation) on ``on``."""

        corpus = load_corpus()
        return [(s, *corpus.source_status(s, on)) for s in self.sources]


def profile_dir() -> Path:
    """The folder of the bundled profiles (``_parameters.yaml`` and one file per jurisdiction)."""
    return Path(str(resources.files("corpus") / "jurisdictions"))


def _check_value(name: str, spec: ParameterSpec, p: Parameter, where: str) -> None:
    value = p.value
    ok = {
        "int": isinstance(value, int) and not isinstance(value, bool),
        "decimal": isinstance(value, (int, Decimal)) and not isinstance(value, bool),
        "ratio": isinstance(value, (int, Decimal)) and not isinstance(value, bool) and 0 <= value <= 1,
        "bool": isinstance(value, bool),
        "text": isinstance(value, str) and bool(value.strip()),
        "list": isinstance(value, list) and bool(value),
        "month_day": isinstance(value, str) and len(value) == 5 and value[2] == "-",
        "period": isinstance(value, str) and value in PERIODS,
    }[spec.type]
    if not ok:
        raise ProfileError(f"参数“{name}”（{spec.label}）的值“{value}”类型不符，应为 {spec.type}", path=where)
    if spec.units and p.unit not in spec.units:
        raise ProfileError(f"参数“{name}”的单位应为{'/'.join(spec.units)}之一，实为“{p.unit}”", path=where)
    if not spec.units and p.unit is not None:
        raise ProfileError(f"参数“{name}”不带单位", path=where)
    if spec.comparison and p.inclusive is None:
        raise ProfileError(f"参数“{name}”须写明 inclusive: true（不超过）或 false（低于）", path=where)


@functools.cache
def parameter_specs() -> dict[str, ParameterSpec]:
    """The parameters a bundled profile may set (``_parameters.yaml``): label, type, units."""
    return _load_specs(profile_dir())


def _load_specs(folder: Path) -> dict[str, ParameterSpec]:
    data, _ = read_data_file(folder / "_parameters.yaml")
    try:
        return {k: ParameterSpec.model_validate(v) for k, v in data.items()}
    except ValidationError as exc:
        raise ProfileError(f"_parameters.yaml 格式错误：{exc.errors()[0]['msg']}") from None


def _read_raw(path: Path, specs: dict[str, ParameterSpec]) -> dict[str, Any]:
    data, lines = read_data_file(path)
    if not isinstance(data, dict):
        raise ProfileError("辖区配置应为映射", path=path.name)
    if data.get("key") != path.stem:
        raise ProfileError(f"key 应与文件名一致（{path.stem}）", path=path.name)
    params = data.get("parameters") or {}
    checked: dict[str, Parameter] = {}
    for name, raw in params.items():
        where = f"{path.name}: parameters.{name}"
        spec = specs.get(name)
        if spec is None:
            raise ProfileError(f"未知参数“{name}”（可用参数见 _parameters.yaml）", path=where,
                               line=(lines.locate(f"parameters.{name}") or (None,))[0])
        try:
            param = Parameter.model_validate({**raw, "origin": path.stem})
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ProfileError(f"{'.'.join(map(str, err['loc']))}：{err['msg']}", path=where) from None
        _check_value(name, spec, param, where)
        checked[name] = param
    data["parameters"] = checked
    return data


def _resolve_bases(profile: Profile) -> None:
    corpus = load_corpus()
    addresses = [(f"parameters.{n}", a) for n, p in profile.parameters.items() if p.origin == profile.key
                 for a in p.basis]
    addresses += [(f"forms.model_texts.{k}", a) for k, a in profile.forms.model_texts.items()]
    for where, address in addresses:
        try:
            corpus.get(address)
        except CorpusError as exc:
            raise ProfileError(f"依据地址“{address}”无法解析：{exc.message}", path=f"{profile.key}.yaml: {where}") \
                from None
    for source in profile.sources:
        if source not in corpus.sources:
            raise ProfileError(f"法规“{source}”不在法规库中", path=f"{profile.key}.yaml: sources")


def load_profiles_from(folder: Path) -> dict[str, Profile]:
    """Load, type-check, inherit and verify every profile in ``folder``. Raises ProfileError."""
    specs = _load_specs(folder)
    raw = {p.stem: _read_raw(p, specs) for p in sorted(folder.glob("*.yaml")) if not p.name.startswith("_")}
    profiles: dict[str, Profile] = {}

    def resolve(key: str, chain: tuple[str, ...]) -> Profile:
        if key in profiles:
            return profiles[key]
        if key in chain:
            raise ProfileError(f"辖区继承出现循环：{' → '.join((*chain, key))}")
        if key not in raw:
            raise ProfileError(f"继承的辖区“{key}”不存在", path=f"{chain[-1]}.yaml: falls_back_to")
        data = dict(raw[key])
        parent = data.get("falls_back_to")
        if parent:
            inherited = resolve(parent, (*chain, key)).parameters
            data["parameters"] = {**inherited, **data["parameters"]}
        unknown_kinds = set((data.get("forms") or {}).get("model_texts", {})) - set(FORM_KINDS)
        if unknown_kinds:
            raise ProfileError(f"未知文书种类：{'、'.join(sorted(unknown_kinds))}", path=f"{key}.yaml: forms")
        try:
            profile = Profile.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ProfileError(f"{'.'.join(map(str, err['loc']))}：{err['msg']}", path=f"{key}.yaml") from None
        _resolve_bases(profile)
        profiles[key] = profile
        return profile

    for key in raw:
        resolve(key, ())
    return {k: profiles[k] for k in raw}


@functools.cache
def load_profiles() -> dict[str, Profile]:
    """The bundled profiles (cached)."""
    return load_profiles_from(profile_dir())


def get_profile(key: str) -> Profile:
    profiles = load_profiles()
    if key not in profiles:
        raise ProfileError(f"未知辖区“{key}”，可选：{'、'.join(profiles)}")
    return profiles[key]


def jurisdiction_key(text: str) -> str:
    """A jurisdiction key from its key or its Chinese name ("张掖", "广西"); UserError if none or several."""
    profiles = load_profiles()
    if text in profiles:
        return text
    found = [k for k, p in profiles.items() if text and text in p.name]
    if len(found) != 1:
        choices = "、".join(f"{k}（{p.name}）" for k, p in profiles.items())
        raise UserError(f"无法确定辖区“{text}”，可选：{choices}")
    return found[0]
