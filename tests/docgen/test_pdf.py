"""PDF through the real LibreOffice: two conversions for the whole module (a PDF dossier, and one
batch of every office-font DOCX), text verified with pypdf, glyph loss and hung converters caught."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pypdf
import pytest

from casefile.validation import load_case
from docgen.dossier import case_strings, generate_dossier, instruments
from docgen.writers.common import WriterError
from docgen.writers.docx import docx_bytes
from docgen.writers.pdf import convert_to_pdf, normalise, notdef_characters, pdf_text, verify_pdf
from ecodoc.tree import Document, Paragraph, Run

from ..conftest import example_path
from .test_writers import HOSTILE, LONG_NAME, sample_document

pytestmark = pytest.mark.skipif(not any(Path(d, "soffice").exists() for d in os.environ.get("PATH", "").split(":")),
                                reason="LibreOffice (soffice) not installed")
RARE = "\U00017000"  # a Tangut character: no installed face has it


@pytest.fixture(scope="module")
def pdf_dossier(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    result = generate_dossier(example_path("zhangye"), out, fmt="pdf")  # verifies every PDF itself
    return out, result


@pytest.fixture(scope="module")
def office_batch(tmp_path_factory):
    """One LibreOffice run over the office-font DOCX of two dossiers, the hostile sample and a glyph-loss case."""
    base = tmp_path_factory.mktemp("office")
    sources: list[Path] = []
    for prefix in ("zhangye", "guangxi"):
        result = generate_dossier(example_path(prefix), base / prefix, fmt="docx")
        for g in result.generated:
            target = base / "in" / f"{prefix}-{g.kind}.docx"
            target.parent.mkdir(exist_ok=True)
            target.write_bytes((base / prefix / g.file).read_bytes())
            sources.append(target)
    (base / "in" / "sample.docx").write_bytes(docx_bytes(sample_document()))
    rare = Document(kind="x", variant="x", title="缺字", blocks=[Paragraph(runs=[Run(text=f"赔偿义务人王{RARE}军")])])
    (base / "in" / "rare.docx").write_bytes(docx_bytes(rare, font_set="pdf"))
    sources += [base / "in" / "sample.docx", base / "in" / "rare.docx"]
    pdfs = convert_to_pdf(sources, base / "pdf")
    return dict(zip([p.stem for p in sources], pdfs, strict=True)), rare


def test_pdf_dossier_contains_every_party_name_and_amount(pdf_dossier):
    out, result = pdf_dossier
    assert result.generated and all(g.file.endswith(".pdf") for g in result.generated)
    texts = {g.file: normalise(pdf_text(out / g.file)) for g in result.generated}
    everything = "".join(texts.values())
    case = load_case(example_path("zhangye"))
    for name in [case.claimant.department.name, *(o.name for o in case.obligors), *(a.name for a in case.agents)]:
        assert normalise(name) in everything, name
    assert "186,500.00" in everything and "人民币壹拾捌万陆仟伍佰元整" in everything
    from docgen.render.render import render_form

    for g in result.generated:  # per document: every case string the document holds is in its PDF
        [one] = [c for c, owner in instruments(case, g.kind) if owner is None or f"（{owner}）" in g.file]
        source = normalise(render_form(one, g.kind).plain_text())
        for s in case_strings(case):
            if normalise(s) in source:
                assert normalise(s) in texts[g.file], (g.file, s)
        assert not notdef_characters(out / g.file)


def test_pdf_is_a4_with_gbt9704_margins_and_page_numbers(office_batch):
    pdfs, _ = office_batch
    reader = pypdf.PdfReader(str(pdfs["sample"]))
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842  # A4 in points
    xs: list[float] = []
    reader.pages[0].extract_text(visitor_text=lambda text, cm, tm, fd, fs: xs.append(tm[4]) if text.strip() else None)
    assert abs(min(xs) - 28 / 25.4 * 72) < 1.5  # left margin 28 mm
    last_lines = [t.strip() for t in reader.pages[0].extract_text().splitlines() if t.strip()]
    assert last_lines[-1].replace(" ", "") == "—1—"
    assert len(reader.pages) >= 2 and "—2—" in reader.pages[1].extract_text().replace(" ", "")


def test_every_office_docx_converts_and_keeps_its_text(office_batch):
    pdfs, _ = office_batch
    assert len(pdfs) >= 10
    for stem, pdf in pdfs.items():
        assert pdf.stat().st_size > 1000, stem
    sample = normalise(pdf_text(pdfs["sample"]))
    assert normalise(HOSTILE) in sample and normalise(LONG_NAME) in sample
    verify_pdf(pdfs["sample"], sample_document())


def test_glyph_loss_fails_loudly(office_batch):
    pdfs, rare = office_batch
    assert RARE in notdef_characters(pdfs["rare"])
    with pytest.raises(WriterError, match="U\\+17000"):
        verify_pdf(pdfs["rare"], rare, ["王" + RARE + "军"])


def test_missing_libreoffice_is_a_clear_chinese_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOCLAIM_SOFFICE", str(tmp_path / "no-soffice"))
    with pytest.raises(WriterError, match="LibreOffice"):
        convert_to_pdf([tmp_path / "a.docx"], tmp_path)
    monkeypatch.delenv("ECOCLAIM_SOFFICE")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(WriterError, match="libreoffice-writer-nogui fonts-noto-cjk"):
        convert_to_pdf([tmp_path / "a.docx"], tmp_path)


def test_hung_converter_is_killed_with_its_children(tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    pidfile = tmp_path / "child.pid"
    fake.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {pidfile}\nwait\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("ECOCLAIM_SOFFICE", str(fake))
    started = time.monotonic()
    with pytest.raises(WriterError, match="超时"):
        convert_to_pdf([tmp_path / "a.docx"], tmp_path / "out", timeout=1)
    assert time.monotonic() - started < 10
    child = int(pidfile.read_text())
    time.sleep(0.2)
    status = Path(f"/proc/{child}/status")
    assert not status.exists() or "State:\tZ" in status.read_text()  # gone, or a zombie awaiting its reaper


def _embedded_fonts(pdf: Path) -> set[str]:
    out: set[str] = set()
    for page in pypdf.PdfReader(str(pdf)).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        out |= {str(f.get_object().get("/BaseFont", "")) for f in fonts.get_object().values()}
    return out


def test_kai_headings_embed_a_kai_face_and_lose_no_glyph(pdf_dossier):
    """Issue 11 §7: 楷体 roles are drawn with AR PL UKai CN (fonts-arphic-ukai), still glyph-checked."""
    out, result = pdf_dossier
    fonts = set().union(*(_embedded_fonts(out / g.file) for g in result.generated))
    assert any("UKai" in f for f in fonts), fonts
    assert any("NotoSerifCJK" in f for f in fonts), fonts  # 仿宋 body text stays on Noto Serif CJK
    for g in result.generated:
        assert not notdef_characters(out / g.file), g.file
