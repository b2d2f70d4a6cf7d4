"""Template-side guarantees: every template passes the lint, case data renders literally (escaping),
missing optional data renders a visible blank (never "None"), random valid cases render every kind."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casefile.model import Case
from corpus.forms import form_kinds
from docgen.render.environment import PACKAGE_TEMPLATES, environment
from docgen.render.lint import lint_source
from docgen.render.render import render_form
from ecodoc.tree import Document, Paragraph, Table

from ..conftest import ROOT, example_data

KINDS = list(form_kinds())
TERMINATED = ROOT / "examples" / "guangxi-terminated-claim.yaml"
TEMPLATE_FILES = sorted(PACKAGE_TEMPLATES.rglob("*.j2"))


def data_of(prefix: str) -> dict:
    if prefix == "terminated":
        return yaml.safe_load(TERMINATED.read_text("utf-8"))
    return example_data(prefix)


def paragraphs(doc: Document) -> list[Paragraph]:
    out: list[Paragraph] = []

    def walk(blocks) -> None:
        for b in blocks:
            if isinstance(b, Paragraph):
                out.append(b)
            elif isinstance(b, Table):
                for row in b.rows:
                    for cell in row.cells:
                        walk(cell.blocks)

    walk(doc.blocks)
    return out


# --- lint -----------------------------------------------------------------------------------------------

def test_templates_exist_for_every_kind_and_variant():
    for kind, spec in form_kinds().items():
        assert (PACKAGE_TEMPLATES / "zhangye" / f"{kind}.xml.j2").is_file(), kind
        if spec.guangxi:
            assert (PACKAGE_TEMPLATES / "guangxi" / f"{kind}.xml.j2").is_file(), kind


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(PACKAGE_TEMPLATES)))
def test_every_template_passes_the_lint(path: Path):
    env = environment()
    name = str(path.relative_to(PACKAGE_TEMPLATES))
    assert lint_source(env, path.read_text("utf-8"), name) == []


def test_lint_catches_a_misspelt_field_in_a_shared_body():
    source = (PACKAGE_TEMPLATES / "common" / "forms" / "agreement.xml.j2").read_text("utf-8")
    problems = lint_source(environment(), source.replace("a.breach", "a.breech", 1), "x")
    assert problems and "breech" in problems[0].message


def test_no_wording_is_duplicated_between_variants():
    """The variant files of a kind with a shared body are one include line each."""
    for path in (PACKAGE_TEMPLATES / "guangxi").glob("*.j2"):
        assert path.read_text("utf-8").strip() == (PACKAGE_TEMPLATES / "zhangye" / path.name).read_text("utf-8").strip()
        assert path.read_text("utf-8").count("\n") <= 1


# --- escaping -------------------------------------------------------------------------------------------

NASTY = "A&B<公司>\"甲\"'乙'{{ case }}{% if %}</p><doc>&amp;"
LONG = "很长的名称" * 60


def nasty_case(prefix: str) -> Case:
    data = data_of(prefix)
    old = data["obligors"][0]["name"]
    data["obligors"][0]["name"] = NASTY
    for agent in data.get("agents", []):
        if agent.get("principal_obligor") == old:
            agent["principal_obligor"] = NASTY
    data["claimant"]["department"]["name"] = LONG
    data["incident"]["conduct"] = "第一行 <b>粗</b> & 5 > 3\n第二行 {{ x }}\n\n第三行"
    data["cause"] = "'\"&<>"
    if data.get("agreement"):
        data["agreement"]["breach"] = "违约 <script>alert(1)</script>\n另起一段 & {% raw %}"
    return Case.model_validate(data)


@pytest.mark.parametrize("prefix", ["guangxi", "zhangye", "hengshui", "terminated"])
@pytest.mark.parametrize("kind", KINDS)
def test_special_characters_render_literally(prefix, kind):
    case = nasty_case(prefix)
    doc = render_form(case, kind)
    body = doc.plain_text()
    if kind != "case_transfer" and (kind != "power_of_attorney" or case.agents):
        assert NASTY in body
    if kind not in ("investigation", "case_transfer", "power_of_attorney"):  # these name other units
        assert LONG in body
    assert "&amp;amp;" not in body and "&lt;" not in body
    if kind == "agreement" and case.agreement:
        assert "违约 <script>alert(1)</script>" in body and "另起一段 & {% raw %}" in body
        assert "第二行 {{ x }}" in body


def test_newlines_in_free_text_become_paragraphs():
    doc = render_form(nasty_case("guangxi"), "agreement")
    texts = [p.text for p in paragraphs(doc)]
    assert "违约 <script>alert(1)</script>" in texts and "另起一段 & {% raw %}" in texts


# --- blanks, never None -----------------------------------------------------------------------------------

def blank_after(doc: Document, prefix: str) -> bool:
    for p in paragraphs(doc):
        if p.text.startswith(prefix):
            return any(r.blank for r in p.runs)
    raise AssertionError(f"no paragraph starts with {prefix}")


def test_missing_optional_fields_render_blanks():
    data = data_of("zhangye")
    data["obligors"][0].pop("work_unit")
    data["enforcement"].pop("assets_known")
    data["enforcement"].pop("agent")
    data["claimant"]["department"].pop("uscc")
    data["consultation"]["notice"].pop("meeting_place")
    data["transfer"].pop("postcode")
    case = Case.model_validate(data)
    jc = render_form(case, "judicial_confirmation")
    assert blank_after(jc, "工作单位或职业：") and blank_after(jc, "统一社会信用代码：")
    enf = render_form(case, "enforcement")
    assert blank_after(enf, "被执行人财产状况：") and blank_after(enf, "委托代理人（姓名、工作单位及职务）：")
    assert blank_after(render_form(case, "consultation_notice"), "2025年8月20日")
    assert blank_after(render_form(case, "case_transfer"), "地　址：")
    for kind in KINDS:
        assert "None" not in render_form(case, kind).plain_text()


@pytest.mark.parametrize("kind", KINDS)
def test_a_case_without_any_stage_renders_a_blank_form(kind):
    data = data_of("hengshui")
    for stage in ("clue", "claim_start", "investigation", "assessment", "restoration", "consultation", "agreement",
                  "judicial_confirmation", "enforcement", "termination", "transfer", "closure"):
        data.pop(stage, None)
    data.pop("case_number", None)
    doc = render_form(Case.model_validate(data), kind)
    assert "None" not in doc.plain_text()
    assert any(r.blank for p in paragraphs(doc) for r in p.runs)


# --- hypothesis: random valid cases ------------------------------------------------------------------------

NAME_CHARS = st.characters(codec="utf-8", categories=("Lo", "Nd", "Lu", "Po", "Sm", "Ps", "Pe"),
                           include_characters="&<>\"'{}%#（）·")
names = st.text(NAME_CHARS, min_size=1, max_size=40).map(str.strip).filter(bool)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2,
                      allow_nan=False, allow_infinity=False)
OPTIONAL = ("clue", "claim_start", "investigation", "assessment", "restoration", "consultation", "agreement",
            "termination", "transfer", "closure", "agents")


def shift_dates(value, delta: timedelta):
    if isinstance(value, date):
        return value + delta
    if isinstance(value, dict):
        return {k: shift_dates(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [shift_dates(v, delta) for v in value]
    return value


@st.composite
def cases(draw) -> Case:
    data = copy.deepcopy(data_of(draw(st.sampled_from(["guangxi", "zhangye", "hengshui", "terminated"]))))
    data = shift_dates(data, timedelta(days=draw(st.integers(-1500, 150))))
    new, old = draw(names), data["obligors"][0]["name"]
    data["obligors"][0]["name"] = new
    for agent in data.get("agents", []):
        if agent.get("principal_obligor") == old:
            agent["principal_obligor"] = new
    data["claimant"]["department"]["name"] = draw(names)
    data["case_name"] = draw(names)
    perf = (data.get("agreement") or {}).get("performance")
    if perf:
        for item in perf["items"]:
            item["amount"] = draw(amounts)
        perf["total"] = sum((i["amount"] for i in perf["items"]), Decimal(0)) if perf["items"] else draw(amounts)
        for pay in perf.get("payments", []) + perf.get("installments", []):
            pay["amount"] = draw(amounts)
    for stage in OPTIONAL:
        if stage in data and draw(st.booleans()):
            data.pop(stage)
    if "agreement" not in data:
        data.pop("judicial_confirmation", None)
    if "agents" not in data and data.get("enforcement"):
        data["enforcement"].pop("agent", None)
    if "judicial_confirmation" not in data or draw(st.booleans()):
        data.pop("enforcement", None)
    return Case.model_validate(data)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_random_valid_cases_render_every_kind(case):
    for kind in KINDS:
        doc = render_form(case, kind)
        body = doc.plain_text()
        assert "None" not in body
        assert case.obligors[0].name in body or kind in ("case_transfer", "power_of_attorney")


@pytest.mark.parametrize("prefix", ["guangxi-cadmium", "zhangye"])
def test_generated_agreement_prints_every_catalogue_heading(prefix):
    """The template is checked against the catalogue: each element heading is printed."""
    from corpus.forms import form_kinds

    text = render_form(Case.model_validate(example_data(prefix)), "agreement").plain_text()
    missing = [e.heading for e in form_kinds()["agreement"].elements if e.heading and e.heading not in text]
    assert missing == []
