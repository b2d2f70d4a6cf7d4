"""Loading and validating the rule data files."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from checkers.findings import CATEGORIES
from checkers.rules.basis import BasisRef
from checkers.rules.computed import COMPUTED
from checkers.rules.enforceability import instalment_dates  # noqa: F401 (registers its @rule)
from checkers.rules.enforcement_period import enforcement_period  # noqa: F401 (registers its @rule)
from checkers.rules.payments import payment_account  # noqa: F401 (registers its @rule)
from checkers.rules.procedure_periods import clue_check  # noqa: F401 (registers its @rules)
from checkers.understand.parties import FIELD_NAMES
from corpus.forms import checkable_kinds, elements
from corpus.profiles import load_profiles, parameter_specs
from ecokernel import datafile

DATA_DIR = Path(__file__).parent / "data"
DOC_KINDS = checkable_kinds()
CODE_RX = re.compile(r"^[A-Z]+(?:-[A-Z0-9]+)+$")
#: a profile parameter named in a rule's message or suggestion: ``{agreement_after_meeting}``
PARAMETER_RX = re.compile(r"\{([a-z_]+)\}")
# Validation context key: the rule ships with the product. Its patterns are compiled when first used
# (compiling all 861 at load was most of a single check's start-up); test_every_builtin_pattern_compiles
# (tests/checkers/test_rules.py) compiles every one, so a broken built-in pattern fails the suite, not a check.
BUILTIN = "builtin"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    """A required field: ``label`` (filled: followed by a value, not a blank) or a raw ``pattern``."""

    name: str
    label: str | None = None
    pattern: str | None = None

    @model_validator(mode="after")
    def _one(self) -> FieldSpec:
        if (self.label is None) == (self.pattern is None):
            raise ValueError(f"field {self.name}: give exactly one of label / pattern")
        return self


class PartySpec(_Strict):
    """A party element: the side whose block must be there, and the fields it must carry (any one
    of the alternative sets), read by ``checkers.understand.parties`` whatever the layout."""

    side: Literal["claimant", "obligor"]
    require: list[list[str]]

    @field_validator("require")
    @classmethod
    def _known(cls, v: list[list[str]]) -> list[list[str]]:
        bad = sorted({f for fields in v for f in fields} - set(FIELD_NAMES))
        if bad:
            raise ValueError(f"unknown party fields {bad} (known: {', '.join(FIELD_NAMES)})")
        return v


class Rule(_Strict):
    code: str
    title: str
    type: Literal["element", "computed"] = "element"
    element: str | None = None
    category: str = "missing_element"
    severity: Literal["error", "warning", "info"] = "error"
    doc_types: list[str] = Field(default_factory=list, description="[] = every kind")
    recited_in: list[str] = Field(default_factory=list, description=(
        "kinds that recite the agreement (a 司法确认申请书): there an element rule reports only a term the "
        "recital itself empties ('经申请人同意分三期缴纳，无需另行提供担保'), never an absence — a recital "
        "need not repeat every term"))
    jurisdictions: list[str] = Field(default_factory=list, description="[] = every jurisdiction")
    needs_case: bool = Field(False, description="runs only against the case data (check --case); else not applicable")
    param: str | None = Field(None, description="profile parameter that switches the rule on and gives its basis")
    basis_param: str | None = Field(None, description="profile parameter whose basis replaces `basis` when set")
    basis: list[BasisRef] = Field(default_factory=list)
    basis_by_jurisdiction: dict[str, list[BasisRef]] = Field(default_factory=dict)
    message: str
    message_hollow: str | None = None
    message_incomplete: str | None = None
    suggestion: str | None = None
    doc: str
    since: str = "0.1.0"
    # element detectors
    headings: list[str] = Field(default_factory=list)
    heading_requires: str | None = None
    patterns: list[str] = Field(default_factory=list)
    weak: list[str] = Field(default_factory=list)
    all_of: list[str] = Field(default_factory=list)
    alternatives: list[list[str]] = Field(default_factory=list)
    hollow: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list, description=(
        "text about the element in other words: where the detectors find nothing, a match counts as "
        "the element in a document without another element's section around it, else it makes the "
        "finding a warning '需人工确认' quoting it (the precision policy)"))
    deferred: list[str] = Field(default_factory=list, description=(
        "a sentence under the element's heading that puts off what the element must state ('鉴定评估报告"
        "正在编制中，…待报告出具后另行告知'): the element is then incomplete, whatever else the section says"))
    global_hollow: bool = True
    document_title: bool = Field(False, description=(
        "the element is the document's title line: found or not, never hollow (the segmenter may see "
        "the title as a heading whose 'body' ends at the next heading)"))
    substance: list[str] = Field(default_factory=list, description=(
        "a concrete duty (notice, proof, extension) between the candidate and a hollow phrase after "
        "it keeps the sentence substantive: '受影响一方及时通知对方，双方协商处理'"))
    when: list[str] = Field(default_factory=list)
    condition_hollow: list[str] | None = Field(None, description=(
        "what negates the `when` condition, where it differs from what empties the element: '不得分期' "
        "means no instalments; '分三期缴纳，无需另行提供担保' means instalments without security"))
    also_when: list[str] = Field(default_factory=list, description=(
        "a second condition, with `when`: one of these must be present too (restoration by the obligor "
        "and an effect assessment)"))
    unless: list[str] = Field(default_factory=list)
    anchor: str | None = None
    region_end: str | None = None
    region_max: int = 240
    region: Literal["anchor", "all", "tail"] = "all"
    fields: list[list[FieldSpec]] = Field(default_factory=list)
    party: PartySpec | None = None
    # computing rules: the function that computes it (set from ``computed.COMPUTED`` at load)
    check: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    source_file: str = ""
    # a department's own rule (checkers.policy): its basis is the department's text, and its examples
    basis_text: str | None = Field(None, description="a department rule's basis: its own playbook's wording")
    fixtures: dict[Literal["pass", "fail"], list[str]] = Field(default_factory=dict)

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not CODE_RX.match(v):
            raise ValueError(f"rule code {v!r} must look like AGR-BREACH")
        return v

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        if v not in CATEGORIES:
            raise ValueError(f"unknown category {v!r}")
        return v

    @field_validator("doc_types")
    @classmethod
    def _kinds(cls, v: list[str]) -> list[str]:
        bad = [k for k in v if k not in DOC_KINDS]
        if bad:
            raise ValueError(f"unknown doc types {bad}")
        return v

    @field_validator("jurisdictions")
    @classmethod
    def _jur(cls, v: list[str]) -> list[str]:
        bad = [k for k in v if k not in load_profiles()]
        if bad:
            raise ValueError(f"unknown jurisdictions {bad}")
        return v

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Rule:
        if self.type == "computed" and self.check:
            raise ValueError(f"{self.code}: `check` is not data: the function registers itself with @rule")
        if self.type == "element" and not (self.patterns or self.headings or self.fields or self.alternatives
                                           or self.party):
            raise ValueError(f"{self.code}: an element rule needs patterns, headings, alternatives, fields or party")
        if self.region == "anchor" and not self.anchor:
            raise ValueError(f"{self.code}: region anchor needs `anchor`")
        for text in (self.message, self.suggestion or ""):
            for name in PARAMETER_RX.findall(text):
                if name not in parameter_specs():
                    raise ValueError(f"{self.code}: {{{name}}} is not a profile parameter (_parameters.yaml)")
        compile_now = not (info.context or {}).get(BUILTIN)
        for rx in self.regexes():
            if compile_now:  # a playbook's rule fails loading, not checking
                try:
                    re.compile(rx)
                except re.error as exc:  # not a ValueError: pydantic would let it escape as a traceback
                    raise ValueError(f"{self.code}：模式 {rx!r} 不是有效的正则表达式（{exc}）") from None
            if r"\b" in rx:
                raise ValueError(f"{self.code}: \\b means nothing between Chinese characters: {rx}")
        return self

    def regexes(self) -> list[str]:
        out = [*self.headings, *self.patterns, *self.weak, *self.all_of, *self.hollow, *self.when,
               *self.also_when, *self.unless, *self.related]
        out += [rx for alt in self.alternatives for rx in alt]
        out += [x for x in (self.heading_requires, self.anchor, self.region_end) if x]
        out += [f.label or f.pattern or "" for fs in self.fields for f in fs]
        return out

    def applies(self, kind: str | None, jurisdiction: str) -> bool:
        if self.doc_types and kind not in self.doc_types and kind not in self.recited_in:
            return False
        return not (self.jurisdictions and jurisdiction not in self.jurisdictions)


FRAGMENT_RX = re.compile(r"«([a-z_]+)»")


@cache
def fragments() -> dict[str, str]:
    """The named pattern fragments (data/_fragments.yaml) rules write as «name»."""
    data = datafile.safe_load((DATA_DIR / "_fragments.yaml").read_text(encoding="utf-8")) or {}
    return dict(data.get("fragments", {}))


@cache
def _hollow_data() -> dict[str, Any]:
    """data/_hollow.yaml, read once."""
    return datafile.safe_load((DATA_DIR / "_hollow.yaml").read_text(encoding="utf-8")) or {}


def hollow_phrases() -> list[str]:
    """The patterns that make any element's text hollow (data/_hollow.yaml), checked for every element rule."""
    return [str(pattern) for pattern in _hollow_data().get("hollow", [])]


def filler_sentences() -> list[str]:
    """Sentences that only restate the general duty to perform (data/_hollow.yaml ``filler``): neither
    substance nor hollow when a section's body is judged."""
    return [str(pattern) for pattern in _hollow_data().get("filler", [])]


def _with_fragments(value: Any, where: str) -> Any:
    """``value`` (a rule's data) with each «name» replaced by its fragment; an unknown name fails."""
    if isinstance(value, str):
        def fragment(m: re.Match[str]) -> str:
            if m[1] not in fragments():
                raise ValueError(f"{where}: unknown pattern fragment «{m[1]}» (data/_fragments.yaml)")
            return fragments()[m[1]]
        return FRAGMENT_RX.sub(fragment, value)
    if isinstance(value, list):
        return [_with_fragments(v, where) for v in value]
    if isinstance(value, dict):
        return {k: _with_fragments(v, where) for k, v in value.items()}
    return value


def _load_file(path: Path) -> list[Rule]:
    data = _with_fragments(datafile.safe_load(path.read_text(encoding="utf-8")) or {}, path.name)
    defaults = data.get("defaults", {})
    rules = []
    for raw in data.get("rules", []):
        merged = {**defaults, **raw, "source_file": path.name}
        try:
            rules.append(Rule.model_validate(merged, context={BUILTIN: True}))
        except Exception as exc:  # a broken rule file is a developer error: say which rule
            raise ValueError(f"{path.name}: rule {raw.get('code')}: {exc}") from exc
    return rules


@cache
def load_rules() -> dict[str, Rule]:
    """All rules by code, in file order (element rules of each kind, then the computing rules)."""
    rules: dict[str, Rule] = {}
    for path in sorted(DATA_DIR.glob("[0-9]*.yaml")):  # _fragments.yaml is not a rule file
        for rule in _load_file(path):
            if rule.code in rules:
                raise ValueError(f"duplicate rule code {rule.code} in {path.name}")
            rules[rule.code] = rule
    _check_catalogue(rules)
    return _bind_computed(rules)


def _check_catalogue(rules: dict[str, Rule]) -> None:
    """Rules and the form catalogue (corpus/forms.yaml) name the same elements: every element a rule
    reports is catalogued, every catalogued element's rule exists and reports it, and a rule finds
    the canonical heading the generated form prints."""
    catalogue = elements()
    for rule in rules.values():
        if rule.element and rule.element not in catalogue:
            raise ValueError(f"{rule.code}: element {rule.element} is not in corpus/forms.yaml")
    for element_id, element in catalogue.items():
        rule = rules.get(element.rule)
        if rule is None or rule.element != element_id:
            raise ValueError(f"corpus/forms.yaml: {element_id} names rule {element.rule}, "
                             "which does not exist or checks another element")
        if element.heading and rule.headings and not any(re.search(h, element.heading) for h in rule.headings):
            raise ValueError(f"{rule.code}: no heading pattern finds the catalogue heading “{element.heading}”")


def _bind_computed(rules: dict[str, Rule]) -> dict[str, Rule]:
    """Each computed rule with the function registered for it (``@rule`` in computed.py), refusing a
    computed rule without a function and a function without a computed rule."""
    wanted = {code for code, r in rules.items() if r.type == "computed"}
    if missing := sorted(wanted - set(COMPUTED)):
        raise ValueError(f"computed rules without a function (@rule in computed.py): {', '.join(missing)}")
    if orphans := sorted(set(COMPUTED) - wanted):
        raise ValueError(f"@rule functions without a computed rule in the data: {', '.join(orphans)}")
    return {code: r.model_copy(update={"check": COMPUTED[code].__name__}) if code in wanted else r
            for code, r in rules.items()}
