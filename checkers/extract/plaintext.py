"""Plain text: decoded by :func:`decode_text`, lines grouped into paragraphs, line numbers kept."""

from __future__ import annotations

from checkers.document import Document
from checkers.extract.encoding import decode_text
from checkers.extract.text import BlockList, join_lines


def read_text(data: bytes, file: str) -> Document:
    """Read a plain-text document; each paragraph block records the line it starts on."""
    text, encoding = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    blocks = BlockList()
    for line, paragraph in join_lines(enumerate(text.split("\n"), start=1)):
        blocks.add(paragraph, line=line)
    return Document(file=file, format="txt", blocks=blocks.blocks, encoding=encoding)
