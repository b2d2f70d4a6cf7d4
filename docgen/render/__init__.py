"""Rendering: case + template → block tree (``blocks``) → writers (docx, pdf, html, md)."""
