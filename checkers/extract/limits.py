"""Limits on what a reader accepts: every hostile input is refused before it costs much.

The numbers are deliberately generous for real documents (a 200-page agreement with
attachments is a few MB) and small against attacks. They are documented in the README.
"""

from __future__ import annotations

# DOCX (zip) and XML limits are declared with the hardened zip layer that enforces them
from ecokernel.safezip import (
    MAX_COMPRESSION_RATIO,
    MAX_PATH_DEPTH,
    MAX_XML_PART_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_TOTAL_BYTES,
    MB,
    RATIO_MIN_BYTES,
)

__all__ = ["MAX_COMPRESSION_RATIO", "MAX_CONTROL_SHARE", "MAX_INPUT_BYTES", "MAX_PATH_DEPTH", "MAX_PDF_INFLATED_BYTES",
           "MAX_PDF_PAGES", "MAX_PDF_SECONDS", "MAX_XML_PART_BYTES", "MAX_ZIP_MEMBERS", "MAX_ZIP_TOTAL_BYTES", "MB", "RATIO_MIN_BYTES"]

#: Largest input file accepted at all (bytes on disk).
MAX_INPUT_BYTES = 20 * MB

# -- PDF ----------------------------------------------------------------------
#: Most pages a PDF may have.
MAX_PDF_PAGES = 500
#: Wall-clock budget for extracting the text of one PDF (checked between pages).
MAX_PDF_SECONDS = 30.0
#: Most bytes the compressed (Flate) streams of one PDF, images aside, may inflate to in all: PDFium
#: inflates a stream whole, so a 1 MB file can hold a content stream of 1 GB (the dev PDFs: ≤ 0.3 MB).
MAX_PDF_INFLATED_BYTES = 256 * MB

# -- text ---------------------------------------------------------------------
#: Share of control characters above which decoded "text" is treated as binary data.
MAX_CONTROL_SHARE = 0.01
