"""Writers: every output format is written from the block tree (``ecodoc.tree``).

``docx`` (GB/T 9704 WordprocessingML, written directly), ``pdf`` (LibreOffice headless + text check),
``html`` (self-contained, print CSS) and ``markdown``; ``common`` holds the layout numbers and helpers.
"""

from ecokernel.lazy import LazyTable

#: format → writer of a block tree to bytes (imported on first use; PDF is the DOCX writer's output
#: converted by ``pdf.convert_to_pdf``)
WRITERS = LazyTable("output format", {
    "docx": "docgen.writers.docx:docx_bytes",
    "html": "docgen.writers.html:html_bytes",
    "md": "docgen.writers.markdown:markdown_bytes",
})
