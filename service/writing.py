"""Writing generated forms for HTTP: one form in any format, or a dossier ZIP (via ``docgen.dossier``).

Adapter only: rendering is ``docgen.render.render_form``, the formats are ``docgen.writers``; the
one thing added here is that PDF conversions go through the service's bounded pool.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from service.problems import ApiError


def to_pdf(documents: list[Any], names: list[str], case: Any, workdir: Path, pool: Any) -> list[bytes]:
    """DOCX (PDF font set) → one pooled LibreOffice run → PDFs verified against the case data."""
    from docgen.dossier import case_strings
    from docgen.writers import write_source
    from docgen.writers.pdf import verify_pdf

    sources = []
    for doc, name in zip(documents, names, strict=True):
        path = workdir / f"{name}.docx"
        path.write_bytes(write_source(doc, "pdf"))
        sources.append(path)
    out_dir = workdir / "pdf"
    out_dir.mkdir()
    with _conversion_errors():
        pdfs = pool.convert(sources, out_dir)
    required = case_strings(case)
    for pdf, doc in zip(pdfs, documents, strict=True):
        verify_pdf(pdf, doc, required)
    return [p.read_bytes() for p in pdfs]


# LibreOffice's own warnings that say nothing about the failure (it needs no Java for DOCX → PDF)
NOISE = re.compile(r"\s*Warning: failed to launch javaldx[^\n]*")


def without_noise(message: str) -> str:
    return NOISE.sub("", message).strip()


@contextlib.contextmanager
def _conversion_errors() -> Iterator[None]:
    """A converter that is missing, hung or failing is the server's problem (503), not the input's."""
    from docgen.writers.common import ConverterError, GlyphLossError

    try:
        yield
    except ConverterError as exc:  # LibreOffice missing, hung or failing: the server's side
        raise ApiError(503, "conversion-failed", "PDF 转换失败", without_noise(exc.message),
                       headers={"Retry-After": "10"}) from None
    except GlyphLossError as exc:  # characters of this case's data lost: deterministic for the input
        raise ApiError(422, "pdf-text-check-failed", "生成的 PDF 未通过文字核对", exc.message) from None


def write_bytes(doc: Any, fmt: str) -> bytes:
    from docgen.writers import write_source

    return write_source(doc, fmt)


def write_one(case: Any, kind: str, fmt: str, workdir: Path, pool: Any) -> tuple[bytes, str]:
    from corpus.forms import form_kinds
    from docgen.dossier import file_name
    from docgen.render.render import render_form

    doc = render_form(case, kind)
    name = file_name(kind, form_kinds()[kind].title_for(doc.variant), fmt)
    if fmt == "pdf":
        [content] = to_pdf([doc], ["form"], case, workdir, pool)
    else:
        content = write_bytes(doc, fmt)
    return content, name


def write_dossier(case: Any, body: bytes, suffix: str, kinds: list[str] | None, fmt: str, workdir: Path,
                  pool: Any) -> tuple[bytes, str]:
    """The dossier ZIP (forms + manifest.json) of ``docgen.dossier``; PDF runs hold a pool slot."""
    result = _dossier(case, body, suffix, kinds, fmt, workdir, pool, make_zip=True)
    assert result.zip_path is not None
    return result.zip_path.read_bytes(), result.zip_path.name


def dossier_files(case: Any, body: bytes, suffix: str, kinds: list[str] | None, fmt: str, workdir: Path,
                  pool: Any) -> tuple[bytes, dict[str, bytes]]:
    """The dossier's manifest.json and its files (name → bytes), as :func:`write_dossier` makes them."""
    result = _dossier(case, body, suffix, kinds, fmt, workdir, pool, make_zip=False)
    assert result.manifest is not None
    return result.manifest.read_bytes(), {g.file: (result.out_dir / g.file).read_bytes() for g in result.generated}


def _dossier(case: Any, body: bytes, suffix: str, kinds: list[str] | None, fmt: str, workdir: Path, pool: Any, *,
             make_zip: bool) -> Any:
    from docgen.dossier import generate_dossier

    if suffix not in (".json", ".yaml"):
        suffix = ".json" if body.lstrip().startswith(b"{") else ".yaml"
    stem = _safe(case.case_name) or "case"
    case_path = workdir / f"{stem}{suffix}"
    case_path.write_bytes(body)
    out_dir = workdir / "out"
    if fmt == "pdf":
        with pool.slot(), _conversion_errors():
            result = generate_dossier(case_path, out_dir, fmt=fmt, kinds=kinds, make_zip=make_zip,
                                      pdf_timeout=pool.timeout)
    else:
        result = generate_dossier(case_path, out_dir, fmt=fmt, kinds=kinds, make_zip=make_zip)
    if not result.generated:
        reasons = "；".join(f"{s.title}：{s.reason}" for s in result.skipped)
        raise ApiError(422, "nothing-to-generate", "没有可生成的文书",
                       "按案件当前的办案阶段，没有可生成的文书" + (f"（{reasons}）" if reasons else ""),
                       errors=[{"path": "forms", "message": f"{s.title}：{s.reason}"} for s in result.skipped])
    return result


def _safe(name: str) -> str:
    return "".join(ch for ch in name if ch not in '\\/:*?"<>|\0\n\r\t').strip()[:60]
