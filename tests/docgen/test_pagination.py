"""Pagination a clerk would sign (issue 11 §2), asserted on the PDFs LibreOffice makes of every form
of every example and edge case: no page holds only a signature, seal or date block; registration and
approval forms of one obligor fit one page; the agreement's cover carries no page number; no table
row splits, and the cost table's header repeats; no line breaks inside a phone, ID, plate or case number,
nor inside the unit named after a seal or signature label."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pypdf
import pytest
from lxml import etree

from casefile.validation import load_case
from docgen.dossier import allowances
from docgen.render.render import render_form
from docgen.writers.docx import docx_bytes
from docgen.writers.nobreak import protected_spans
from docgen.writers.pdf import convert_to_pdf

from ..conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow
CASES = [*EXAMPLES, *sorted((ROOT / "tests" / "fixtures" / "cases").glob("*.yaml"))]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: a line of a closing: seal, signature, date, addressee, attachments, page number
CLOSING_LINE = re.compile(r"盖章|签字|签名|印章|捺印|年\s*月\s*日|^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$|^此致"
                          r"|人民法院\s*$|^附[:：]|^签订(?:时间|地点)|^—\s*\d+\s*—$")
ONE_PAGE = {"claim_start", "claim_termination", "closure_approval"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, list[str]]]:
    """(case, kind) → (DOCX, text of each PDF page), from one LibreOffice run over every form."""
    base = tmp_path_factory.mktemp("pages")
    sources: list[Path] = []
    keys: list[tuple[str, str]] = []
    for path in CASES:
        case = load_case(path)
        for kind, allowed, _why in allowances(case):
            if allowed:
                target = base / "docx" / f"{path.stem}--{kind}.docx"
                target.parent.mkdir(exist_ok=True)
                target.write_bytes(docx_bytes(render_form(case, kind), font_set="pdf"))
                sources.append(target)
                keys.append((path.stem, kind))
    pdfs = convert_to_pdf(sources, base / "pdf")
    return {key: (docx, [page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages])
            for key, docx, pdf in zip(keys, sources, pdfs, strict=True)}


def _substance(page: str) -> str:
    """The text of a page that is not part of a closing (nor blanks or the page number)."""
    lines = [line.replace("\xa0", "").strip() for line in page.splitlines()]
    return "".join(line for line in lines if line and not CLOSING_LINE.search(line))


def test_every_case_and_form_was_rendered(rendered):
    assert len(rendered) >= 50
    assert {kind for _case, kind in rendered} >= {"agreement", "judicial_confirmation", "enforcement",
                                                 "power_of_attorney", "claim_start", "closure_approval"}


def test_no_page_holds_only_a_signature_block(rendered):
    lonely = [f"{case} {kind} p{n}: {page[:60]!r}" for (case, kind), (_docx, pages) in rendered.items()
              for n, page in enumerate(pages, 1) if len(_substance(page)) < 20]
    assert lonely == []


def test_registration_and_approval_forms_of_one_obligor_fit_one_page(rendered):
    too_long = [f"{case} {kind}: {len(pages)} pages" for (case, kind), (_docx, pages) in rendered.items()
                if kind in ONE_PAGE and len(load_case(next(p for p in CASES if p.stem == case)).obligors) == 1
                and len(pages) > 1]
    assert too_long == []


def test_the_agreement_cover_has_no_page_number_and_the_body_starts_at_one(rendered):
    for (case, kind), (_docx, pages) in rendered.items():
        if kind == "agreement":
            assert not re.search(r"—\s*\d+\s*—", pages[0]), case
            assert re.search(r"—\s*1\s*—", pages[1]), case


def test_no_table_row_splits_and_the_cost_table_header_repeats(rendered):
    import zipfile

    for (case, kind), (docx, _pages) in rendered.items():
        with zipfile.ZipFile(docx) as zf:
            root = etree.fromstring(zf.read("word/document.xml"))
        for row in root.iter(f"{W}tr"):
            assert row.find(f"{W}trPr/{W}cantSplit") is not None, (case, kind)
        if kind == "agreement":
            headers = [t for t in root.iter(f"{W}tbl") if t.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None]
            assert len(headers) == 1, case  # the cost table


#: a line ending in a seal or signature label and the start of a unit's name; the next line, the rest of it
SEALED_START = re.compile(r"(?:盖章|签章|印章|公章|签字|签名)[）)]?[:：](?P<start>[\u4e00-\u9fff（）()]+)$")
NAME_REST = re.compile(r"^[\u4e00-\u9fff（）()]{1,8}$")
UNIT_END = re.compile(r"(?:局|厅|院|委员会|政府|公司|厂|所|站|中心|部|处|社)$")


def _broken_runs(page: str) -> list[str]:
    """Pairs of adjacent lines of a page that cut through a protected run or a sealed unit's name."""
    lines = [re.sub(r"\s", "", line.replace("\u2060", "")) for line in page.splitlines()]
    broken = []
    for first, second in itertools.pairwise(lines):
        if not first or not second:
            continue
        cut = len(first)
        # a run the second line holds whole is not cut, though the text before it reads as part of it
        whole = {end for start, end in protected_spans(second, names=False) if start == 0}
        # a run cut at the line end, also one that starts its line (every cell is wide enough for its numbers)
        if any(0 <= start < cut < end and end - cut not in whole
               for start, end in protected_spans(first + second, names=False)):
            broken.append(f"{first} / {second}")
        sealed = SEALED_START.search(first)
        if sealed and NAME_REST.match(second) and not CLOSING_LINE.search(second) \
                and UNIT_END.search(sealed["start"] + second):
            broken.append(f"{first} / {second}")
    return broken


def test_no_line_breaks_inside_a_number_or_a_sealed_unit_name(rendered):
    broken = [f"{case} {kind} p{n}: {pair}" for (case, kind), (_docx, pages) in rendered.items()
              for n, page in enumerate(pages, 1) for pair in _broken_runs(page)]
    assert broken == [], "\n".join(broken)
