"""Writers: every output format is written from the block tree (``docgen.render.blocks``).

``docx`` (GB/T 9704 WordprocessingML, written directly), ``pdf`` (LibreOffice headless + text check),
``html`` (self-contained, print CSS) and ``markdown``; ``common`` holds the layout numbers and helpers.
"""
