"""PDF via pypdf: the text layer page by page, lines grouped into paragraphs.

Encrypted files are tried with the empty user password first (many PDFs are "encrypted" only to
restrict printing or editing); pages without any text (scans) are named in the message or warning.
Page numbers and running headers repeated on most pages are kept as header/footer blocks, so they
do not interrupt the body.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections import Counter

from pypdf import PdfReader
from pypdf.errors import DependencyError

from checkers.extract.errors import InputError
from checkers.extract.labels import colon_after_label, join_wrapped_values
from checkers.extract.limits import MAX_PDF_PAGES, MAX_PDF_SECONDS
from checkers.extract.text import clean, continues_across_pages, join_lines
from ecodoc.tree import Document, Location, Paragraph, Part, Source, runs_of

# pypdf reports recoverable damage through logging; a reader must not print to the user's terminal.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_ENCRYPTED = "PDF 已加密，请先解除密码保护后再审查"
_CORRUPT = "PDF 文件已损坏或不完整，无法读取；请重新导出 PDF 后再审查"
_PAGE_NUMBER = re.compile(
    r"^(?:[-—－–]\s*\d+\s*[-—－–]|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+|Page \d+( of \d+)?)$",
    re.IGNORECASE)


# pypdf puts a space where one run of glyphs ends and the next begins; between an ideograph and
# a digit that space is never in the source text ("7 号", "2025 年"), and it would trip the rules.
_GLYPH_RUN_GAP = re.compile(r"(?<=[0-9])[ ]+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])[ ]+(?=[0-9])")


def read_pdf(data: bytes, file: str, *, max_pages: int | None = None,
             max_seconds: float | None = None) -> Document:
    """Read the text layer of a PDF; scanned, encrypted, damaged or oversized PDFs raise InputError."""
    max_pages = MAX_PDF_PAGES if max_pages is None else max_pages
    max_seconds = MAX_PDF_SECONDS if max_seconds is None else max_seconds
    reader = _open(data)
    try:
        count = len(reader.pages)
    except Exception:  # pypdf raises many types on damaged files
        raise InputError(_CORRUPT) from None
    if count == 0:
        raise InputError("PDF 文件没有任何页面，无法审查")
    if count > max_pages:
        raise InputError(f"PDF 有 {count} 页，超过 {max_pages} 页的上限；请只提交需要审查的文书部分")
    started = time.monotonic()
    pages: list[list[str]] = []
    for number in range(1, count + 1):
        if time.monotonic() - started > max_seconds:
            raise InputError(f"PDF 文字提取超过 {max_seconds:.0f} 秒仍未完成（已处理{number - 1}页），"
                             "文件可能异常复杂或被恶意构造，已停止")
        try:
            text = reader.pages[number - 1].extract_text() or ""
        except Exception:  # a page that cannot be read is a damaged file
            raise InputError(f"PDF 第{number}页无法读取，文件可能已损坏；请重新导出 PDF 后再审查") from None
        text = _GLYPH_RUN_GAP.sub("", text)
        # a table row "统一社会信用代码 9145…" comes out without its column border: restore the colon
        lines = [colon_after_label(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        pages.append(join_wrapped_values(lines))
    empty = [n for n, lines in enumerate(pages, start=1) if not any(clean(line) for line in lines)]
    if len(empty) == count:
        raise InputError(f"PDF 没有文字层（可能是扫描件），请先进行文字识别（OCR）后再审查（无文字的页：{_pages(empty)}）")
    warnings = []
    if empty:
        warnings.append(f"PDF 第{_pages(empty)}页没有文字层（可能是扫描页），这些页的内容未能审查")
    return Document(blocks=_paragraphs(pages), source=Source(file=file, format="pdf", pages=count, warnings=warnings))


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception:  # pypdf raises many types on damaged files
        raise InputError(_CORRUPT) from None
    if encrypted:
        try:
            opened = reader.decrypt("")
        except DependencyError:
            raise InputError(f"{_ENCRYPTED}（文件使用 AES 加密，当前环境缺少解密组件 cryptography）") from None
        except Exception:
            raise InputError(_ENCRYPTED) from None
        if not opened:
            raise InputError(_ENCRYPTED)
    return reader


def _paragraphs(pages: list[list[str]]) -> list[Paragraph]:
    """Body paragraphs per page; running headers, footers and page numbers as header and footer lines."""
    repeated = _repeated_edges(pages)
    found: list[tuple[Part, str, int, int]] = []  # (part, text, page, line)
    last: int | None = None  # the last body paragraph, which a page break may have cut
    for page, lines in enumerate(pages, start=1):
        numbered = [(n, line) for n, line in enumerate(lines, start=1) if clean(line)]
        head: list[tuple[int, str]] = []
        foot: list[tuple[int, str]] = []
        while numbered and _is_edge(numbered[0][1], repeated):
            head.append(numbered.pop(0))
        while numbered and _is_edge(numbered[-1][1], repeated):
            foot.insert(0, numbered.pop())
        found += [("header", text, page, line) for line, text in head]
        for k, (line, text) in enumerate(join_lines(numbered)):
            if k == 0 and last is not None and continues_across_pages(found[last][1], text):
                # the page break cut a sentence: it goes on in the paragraph it started in
                part, before, *where = found[last]
                found[last] = (part, before.rstrip() + clean(text), *where)
                continue
            if clean(text):
                last = len(found)
                found.append(("body", clean(text), page, line))
        found += [("footer", text, page, line) for line, text in foot]
    return [Paragraph(runs=runs_of(text), part=part, location=Location(page=page, line=line))
            for part, text, page, line in found]


def _repeated_edges(pages: list[list[str]]) -> set[str]:
    """First and last lines that recur on most pages (running headers and footers)."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        kept = [clean(line) for line in lines if clean(line)]
        counts.update(set(kept[:1] + kept[-1:]))
    return {line for line, n in counts.items() if n >= max(3, 0.6 * len(pages))}


def _is_edge(line: str, repeated: set[str]) -> bool:
    text = clean(line)
    return bool(_PAGE_NUMBER.match(text)) or text in repeated


def _pages(numbers: list[int]) -> str:
    """``[1, 2, 3, 5]`` → ``"1—3、5"``."""
    ranges: list[str] = []
    start = previous = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == previous + 1:
            previous = n
            continue
        ranges.append(str(start) if start == previous else f"{start}—{previous}")
        if n is not None:
            start = previous = n
    return "、".join(ranges)
