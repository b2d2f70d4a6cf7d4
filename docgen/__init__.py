"""Drafting: case file → block tree (``render``) → DOCX, PDF, HTML, Markdown (``writers``), and
the dossier of several forms with its manifest (``dossier``)."""
