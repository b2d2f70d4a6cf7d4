"""Limits on what a reader accepts: every hostile input is refused before it costs much.

The numbers are deliberately generous for real documents (a 200-page agreement with
attachments is a few MB) and small against attacks. They are documented in the README.
"""

from __future__ import annotations

MB = 1024 * 1024

#: Largest input file accepted at all (bytes on disk).
MAX_INPUT_BYTES = 20 * MB

# -- DOCX (zip) ---------------------------------------------------------------
#: Most members a DOCX zip may have (real documents have 10–200).
MAX_ZIP_MEMBERS = 1000
#: Sum of the uncompressed sizes declared in the zip directory.
MAX_ZIP_TOTAL_BYTES = 50 * MB
#: Largest single XML part we read (document.xml of a very long document is a few MB).
MAX_XML_PART_BYTES = 30 * MB
#: Highest compression ratio accepted for a member above ``RATIO_MIN_BYTES`` uncompressed.
MAX_COMPRESSION_RATIO = 100
#: Below this uncompressed size a high ratio is harmless (small repetitive XML parts).
RATIO_MIN_BYTES = 1 * MB
#: Deepest member path accepted (``a/b/c`` has depth 3).
MAX_PATH_DEPTH = 12

# -- PDF ----------------------------------------------------------------------
#: Most pages a PDF may have.
MAX_PDF_PAGES = 500
#: Wall-clock budget for extracting the text of one PDF (checked between pages).
MAX_PDF_SECONDS = 30.0

# -- text ---------------------------------------------------------------------
#: Share of control characters above which decoded "text" is treated as binary data.
MAX_CONTROL_SHARE = 0.01
