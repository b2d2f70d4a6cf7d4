"""Read a document file (DOCX, PDF, text, Markdown, HTML) into a document tree and its flat view.

:func:`read_tree` reads a file into the document tree (``ecodoc.tree``: roles, tables with spans,
header and footer lines…); :func:`read_document`, the checker's entry point, returns the flat
:class:`~checkers.document.Document` the rules consume, derived from that tree by
:func:`checkers.extract.view.flat_view`. The format is decided from the content (magic bytes) first
and the file extension second; either a complete result is returned or :class:`InputError` is raised
with a Chinese message — never a partial result, never a traceback.

Limits (:mod:`checkers.extract.limits`): input ≤ 20 MB; DOCX zip ≤ 1000 members, ≤ 50 MB declared
and read uncompressed in total, ≤ 30 MB per XML part, compression ratio ≤ 100:1 for members over
1 MB, member paths relative, without "..", at most 12 levels deep; no DOCTYPE in any XML part;
PDF ≤ 500 pages, ≤ 30 s of text extraction and ≤ 256 MB of inflated streams.

Block order: body (paragraphs, headings, table cells, text boxes after their anchor paragraph),
then footnotes/endnotes, then headers and footers. ``Location.paragraph`` numbers body blocks;
``page`` is set for PDF, and for DOCX only where page breaks are recorded; ``line`` for text,
Markdown, HTML (source line) and PDF (line on the page).
"""

from __future__ import annotations

from pathlib import Path

from checkers.document import Document
from checkers.extract.errors import InputError
from checkers.extract.limits import MAX_INPUT_BYTES, MB
from checkers.extract.sniff import sniff
from checkers.extract.view import flat_view
from ecodoc import tree
from ecokernel.lazy import LazyTable

__all__ = ["MAX_INPUT_BYTES", "InputError", "read_document", "read_tree"]


def read_document(source: str | Path | bytes, *, filename: str | None = None,
                  max_bytes: int = MAX_INPUT_BYTES) -> Document:
    """Read ``source`` (a path, or the file's bytes with an optional ``filename`` for its extension)
    into the flat view the rules consume.

    Raises :class:`InputError` as :func:`read_tree` does, and for a file without any readable text.
    """
    document = flat_view(read_tree(source, filename=filename, max_bytes=max_bytes))
    if not document.blocks:
        raise InputError("文件中没有可审查的文字", path=document.file)
    return document


def read_tree(source: str | Path | bytes, *, filename: str | None = None,
                  max_bytes: int = MAX_INPUT_BYTES) -> tree.Document:
    """Read ``source`` (a path, or the file's bytes with an optional ``filename`` for its extension)
    into its document tree.

    Raises :class:`InputError` for a file that is missing, empty, too large, of an unknown or
    unsupported format, damaged, encrypted, hostile (zip bombs, XML entities) or without text
    (scanned PDF).
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        name = filename or "<输入>"
    else:
        path = Path(source)
        name = filename or str(path)
        data = _read_file(path, max_bytes)
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes, name)
    if not data.strip():
        raise InputError("文件是空的（没有任何内容）", path=name)
    try:
        return READERS[sniff(data, name)](data, name)
    except InputError as error:
        if error.path is None:
            error.path = name
        raise
    except RecursionError:
        raise InputError("文件结构嵌套过深，可能是恶意构造的文件，拒绝读取", path=name) from None


#: format → reader of (bytes, file name) to a document tree; a text check does not pay for lxml or PDFium
READERS = LazyTable("document format", {
    "docx": "checkers.extract.docx:read_docx",
    "pdf": "checkers.extract.pdf:read_pdf",
    "html": "checkers.extract.html:read_html",
    "md": "checkers.extract.markdown:read_markdown",
    "txt": "checkers.extract.plaintext:read_text",
})


def _read_file(path: Path, max_bytes: int) -> bytes:
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError("这是一个文件夹，不是文件", path=name)
        if size > max_bytes:
            raise _too_large(size, max_bytes, name)
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)  # the size can change between stat and read
    except FileNotFoundError:
        raise InputError("文件不存在", path=name) from None
    except PermissionError:
        raise InputError("没有读取该文件的权限", path=name) from None
    except IsADirectoryError:
        raise InputError("这是一个文件夹，不是文件", path=name) from None
    except OSError as exc:
        raise InputError(f"文件无法读取（{exc.strerror or '系统错误'}）", path=name) from None


def _too_large(size: int, limit: int, name: str) -> InputError:
    return InputError(f"文件有 {_size(size)}，超过 {_size(limit)} 的上限；请只提交需要审查的文书", path=name)


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{max(1, round(n / 1024))} KB"
