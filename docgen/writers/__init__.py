"""Writers: every output format is written from the block tree (``ecodoc.tree``).

``docx`` (GB/T 9704 WordprocessingML, written directly), ``pdf`` (LibreOffice headless + text check),
``html`` (self-contained, print CSS) and ``markdown``; ``common`` holds the layout numbers and helpers.
"""

from typing import Any

from ecokernel.lazy import LazyTable

#: format → writer of a block tree to bytes (imported on first use; PDF is the DOCX writer's output
#: converted by ``pdf.convert_to_pdf``)
WRITERS = LazyTable("output format", {
    "docx": "docgen.writers.docx:docx_bytes",
    "html": "docgen.writers.html:html_bytes",
    "md": "docgen.writers.markdown:markdown_bytes",
})

#: what is written for each output format before any conversion: the writer and its options. A PDF
#: starts as the DOCX writer's output set in the faces LibreOffice has installed.
SOURCES: dict[str, tuple[str, dict[str, Any]]] = {
    "docx": ("docx", {}),
    "pdf": ("docx", {"font_set": "pdf"}),
    "html": ("html", {}),
    "md": ("md", {}),
}
#: writers that lay out pages, and so take a reference DOCX (pandoc's reference-doc: layout apart from content)
PAGED = frozenset({"docx"})


def write_source(doc: Any, fmt: str, *, reference: Any = None) -> bytes:
    """The bytes written for ``fmt`` (for ``pdf``: the DOCX that LibreOffice converts)."""
    writer, options = SOURCES[fmt]
    if writer in PAGED:
        options = {**options, "reference": reference}
    return WRITERS[writer](doc, **options)
