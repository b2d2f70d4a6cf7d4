"""The court pack (``ecoclaim pack CASE --for STEP -o DIR``; issue 11 §4): what a court filing desk
checks, as separate PDFs and one merged PDF with bookmarks, a 目录 and continuous page numbers.

- ``plan``: which items the step requires (corpus/filing.yaml) and which the case supplies or misses;
- ``supplied``: reading the supplied files as hostile input (limits, encrypted or broken PDFs);
- ``imagepage``: a JPG/PNG scan as a one-page DOCX that LibreOffice turns into a PDF page;
- ``stamp``: merging, bookmarks, page-number stamps and slicing (pypdf);
- ``build``: render, convert, count pages, render the indexes with the numbers, write atomically;
- ``report``: the one complete list of what is missing (text and JSON).
"""
