"""Rendering: case + template → document tree (``ecodoc.tree``) → writers (docx, pdf, html, md)."""
