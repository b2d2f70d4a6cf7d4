"""PDF via PDFium (pypdfium2): the text layer page by page, lines grouped into paragraphs.

PDFium opens files encrypted only against printing or editing (an empty user password) by itself;
a file that needs a password, or that PDFium cannot repair, is refused. It finds
the lines of a page; within a line the characters are put in the order they stand on the page, so
a mark drawn in another font (the quotes of “甲方”, Ⅲ of Ⅲ类, the boxes of □一次性☑分期) comes back to
its place instead of where the content stream drew it. Pages without any text (scans) are named in
the message or warning. Page numbers and running headers repeated on most pages are kept as
header/footer blocks, so they do not interrupt the body.

PDFium inflates a compressed stream whole; a file whose Flate streams (images aside) inflate past
MAX_PDF_INFLATED_BYTES is refused before PDFium opens it; the streams of an encrypted file that opens
without a password are measured decrypted by pypdf, each within pypdf's own decompression limit. PDFium is not thread-safe: one
document is read at a time in a process (a lock).
"""

from __future__ import annotations

import ctypes
import io
import itertools
import re
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from checkers.extract.columns import tables_from_columns
from checkers.extract.errors import InputError
from checkers.extract.labels import colon_after_label, join_wrapped_values
from checkers.extract.limits import MAX_PDF_INFLATED_BYTES, MAX_PDF_PAGES, MAX_PDF_SECONDS, MB
from checkers.extract.text import clean, continues_across_pages, is_cjk, join_lines
from ecodoc.tree import Document, Location, Paragraph, Part, Source, runs_of

_ENCRYPTED = "PDF 已加密，请先解除密码保护后再审查"
_CORRUPT = "PDF 文件已损坏或不完整，无法读取；请重新导出 PDF 后再审查"
_PAGE_NUMBER = re.compile(
    r"^(?:[-—－–]\s*\d+\s*[-—－–]|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+|Page \d+( of \d+)?)$",
    re.IGNORECASE)

# PDFium puts a space where one run of glyphs ends and the next begins at a distance; between an
# ideograph and a digit that space is never in the source text ("7 号", "2025 年"), and it would
# trip the rules.
_GLYPH_RUN_GAP = re.compile(r"(?<=[0-9])[ ]+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])[ ]+(?=[0-9])")

#: PDFium is not thread-safe (pypdfium2's documentation): one document at a time per process
_PDFIUM = threading.Lock()


def read_pdf(data: bytes, file: str, *, max_pages: int | None = None,
             max_seconds: float | None = None) -> Document:
    """Read the text layer of a PDF; scanned, encrypted, damaged or oversized PDFs raise InputError."""
    texts = page_texts(data, max_pages=max_pages, max_seconds=max_seconds)
    return pages_document(texts, file)


def page_texts(data: bytes, *, max_pages: int | None = None, max_seconds: float | None = None) -> list[str]:
    """The text of each page, its lines separated by newlines; InputError for a PDF that cannot be read."""
    max_pages = MAX_PDF_PAGES if max_pages is None else max_pages
    max_seconds = MAX_PDF_SECONDS if max_seconds is None else max_seconds
    if max(_inflated(data, MAX_PDF_INFLATED_BYTES), _inflated_encrypted(data, MAX_PDF_INFLATED_BYTES)) \
            > MAX_PDF_INFLATED_BYTES:
        raise InputError(f"PDF 中的压缩数据解压后超过 {MAX_PDF_INFLATED_BYTES // MB} MB 的上限，"
                         "文件可能被恶意构造（压缩炸弹），拒绝读取")
    with _PDFIUM:
        document = _open(data)
        try:
            count = len(document)
            if count > max_pages:
                raise InputError(f"PDF 有 {count} 页，超过 {max_pages} 页的上限；请只提交需要审查的文书部分")
            started = time.monotonic()
            texts = []
            for number in range(1, count + 1):
                if time.monotonic() - started > max_seconds:
                    raise InputError(f"PDF 文字提取超过 {max_seconds:.0f} 秒仍未完成（已处理{number - 1}页），"
                                     "文件可能异常复杂或被恶意构造，已停止")
                texts.append(_page_text(document, number))
            return texts
        finally:
            document.close()


_STREAM = re.compile(rb"stream\r?\n")  # "endstream" too: told apart below (a look-behind is 30x slower)
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_CHUNK = 1 << 20


def _inflated(data: bytes, cap: int) -> int:
    """Bytes the Flate streams of ``data`` inflate to (layer on layer, images aside), counted up to
    just past ``cap``. Found by their keyword, not parsed: a stream whose data is encrypted does not
    inflate and is not counted."""
    total = 0
    for match in _STREAM.finditer(data):
        if data[match.start() - 3:match.start()] == b"end":
            continue
        opened = data.rfind(b"obj", max(0, match.start() - 4096), match.start())
        if _IMAGE.search(data, max(0, opened), match.start()):
            continue  # PDFium does not decode images to read the text
        total += _count(_inflate(_chunks(data, match.end())), cap - total)
        if total > cap:
            break
    return total


def _chunks(data: bytes, start: int) -> Iterator[memoryview]:
    """The file from ``start`` on in 64 KB views (a stream is mostly far shorter than the file)."""
    view = memoryview(data)
    for at in range(start, len(data), 1 << 16):
        yield view[at:at + (1 << 16)]


def _inflate(chunks: Iterator[bytes] | Iterator[memoryview]) -> Iterator[bytes]:
    """The inflated data of a zlib stream arriving in ``chunks``, in pieces of at most 1 MB; nothing
    once the data is not (or no longer) zlib."""
    inflater = zlib.decompressobj()
    try:
        for chunk in chunks:
            while chunk and not inflater.eof:
                out = inflater.decompress(chunk, _CHUNK)
                chunk = inflater.unconsumed_tail
                if out:
                    yield out
            if inflater.eof:
                return
    except zlib.error:
        return


def _count(pieces: Iterator[bytes], cap: int, depth: int = 0) -> int:
    """Bytes in ``pieces`` and, where they are themselves zlib data (a stream compressed twice), in
    what they inflate to, up to just past ``cap``."""
    first = next(pieces, b"")
    counted = 0

    def tally() -> Iterator[bytes]:
        nonlocal counted
        for piece in itertools.chain([first], pieces):
            counted += len(piece)
            yield piece
            if counted > cap:
                return

    source = tally()
    inner = 0
    if depth < 8 and len(first) > 1 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0:
        inner = _count(_inflate(source), cap, depth + 1)
    for _piece in source:  # what the inner layer did not take
        if counted + inner > cap:
            break
    return counted + inner


def _inflated_encrypted(data: bytes, cap: int) -> int:
    """For an encrypted PDF that opens without a password (PDFium decrypts it by itself): what its
    streams (images aside) inflate to, decrypted by pypdf, each stream within pypdf's own decompression
    limit, counted up to just past ``cap``; 0 for any other file (``_inflated`` counts those)."""
    if b"/Encrypt" not in data:
        return 0
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError
    from pypdf.generic import IndirectObject, StreamObject

    try:
        reader = PdfReader(io.BytesIO(data))
        if not reader.is_encrypted or not reader.decrypt(""):
            return 0  # not encrypted after all, or it needs a password: PDFium refuses it
        total = 0
        numbers = {(num, gen) for gen, objects in reader.xref.items() for num in objects}
        numbers |= {(num, 0) for num in reader.xref_objStm}
        for num, gen in sorted(numbers):
            obj = reader.get_object(IndirectObject(num, gen, reader))
            if isinstance(obj, StreamObject) and obj.get("/Subtype") != "/Image":
                total += len(obj.get_data())
                if total > cap:
                    break
        return total
    except LimitReachedError:
        return cap + 1  # a stream past pypdf's own decompression limit
    except Exception:  # pypdf raises many types on damaged files; PDFium decides
        return 0


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError(_ENCRYPTED) from None
        if error.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise InputError(f"{_ENCRYPTED}（文件使用的加密方式无法识别）") from None
        if error.err_code == pdfium_c.FPDF_ERR_SUCCESS:  # it opened, and has no page
            raise InputError("PDF 文件没有任何页面，无法审查") from None
        raise InputError(_CORRUPT) from None


def _page_text(document: pdfium.PdfDocument, number: int) -> str:
    try:
        page = document[number - 1]
        textpage = page.get_textpage()
    except pdfium.PdfiumError:  # a page that cannot be read is a damaged file
        raise InputError(f"PDF 第{number}页无法读取，文件可能已损坏；请重新导出 PDF 后再审查") from None
    try:
        return "\n".join(_lines(textpage.raw))
    finally:
        textpage.close()
        page.close()


class _Char(NamedTuple):
    left: float
    right: float
    bottom: float
    top: float
    text: str
    generated: bool  # a space or line break PDFium put in where it saw a gap or a new line


def _lines(textpage: pdfium_c.FPDF_TEXTPAGE) -> list[str]:
    """The page's lines as PDFium finds them, each line's characters in their order on the page."""
    unicode, box, generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetLooseCharBox, \
        pdfium_c.FPDFText_IsGenerated
    rect = pdfium_c.FS_RECTF()  # the character's advance and its font's height: glyphs side by side touch
    at = ctypes.byref(rect)
    lines: list[str] = []
    line: list[_Char] = []
    for i in range(pdfium_c.FPDFText_CountChars(textpage)):
        code = unicode(textpage, i)
        if code in (0x0A, 0x0D):  # PDFium ends a line with "\r\n"
            if line:
                lines.append(_line_text(line))
                line = []
            continue
        if code == 0 or not box(textpage, i, at):
            continue
        line.append(_Char(rect.left, rect.right, rect.bottom, rect.top, chr(code),
                          code == 0x20 and bool(generated(textpage, i))))
    if line:
        lines.append(_line_text(line))
    return lines


def _line_text(line: list[_Char]) -> str:
    """A horizontal line's characters left to right (a line that is not horizontal, rotated text,
    as PDFium gave it). In a justified or letter-spaced line ("期 间 服 务 、 鉴 定", "司 法 确 认") the
    spaces where Chinese characters stand less than a character apart are dropped; one such gap alone
    in its line (a table's label and value, "签订日期 2025年…") keeps its space. A quotation mark
    loses the space on its inner side, and a space PDFium put in where nothing stands apart goes."""
    glyphs = [c for c in line if c.text.strip()]
    if not glyphs:
        return "".join(c.text for c in line)
    lefts = [c.left for c in line]
    if any(a > b for a, b in itertools.pairwise(lefts)):
        centres = [(c.bottom + c.top) / 2 for c in glyphs]
        if max(centres) - min(centres) <= max(c.top - c.bottom for c in glyphs):  # one band: a horizontal line
            line = sorted(line, key=lambda c: c.left)
    if all(c.text.strip() for c in line):
        return "".join(c.text for c in line)
    runs: list[range] = []  # runs of spaces between two characters
    k = 0
    while k < len(line):
        end = k
        while end < len(line) and not line[end].text.strip():
            end += 1
        if end > k > 0 and end < len(line):
            runs.append(range(k, end))
        k = end + 1
    narrow = [run for run in runs if _narrow_gap(line[run.start - 1], line[run.stop])]
    spaced = len(narrow) >= _SPACED_LINE
    drop = {i for run in runs for i in run
            if (spaced and run in narrow)
            or (run in narrow and _QUOTES.count(line[run.start - 1].text) + _QUOTES.count(line[run.stop].text))
            or (all(line[j].generated for j in run) and _touching(line[run.start - 1], line[run.stop]))}
    return "".join(c.text for i, c in enumerate(line) if i not in drop)


#: narrow gaps between Chinese characters that make a line justified or letter-spaced
_SPACED_LINE = 3
#: quotation marks drawn in a Western font, whose advance PDFium reads as a gap
_QUOTES = "“”‘’"


def _touching(before: _Char, after: _Char) -> bool:
    """No gap to see between two characters: the space PDFium put in stood beside a mark that was
    drawn elsewhere in the content stream ("河 Ⅲ 道" → "河 道" once Ⅲ is in its place)."""
    return after.left - before.right < 0.2 * max(before.top - before.bottom, after.top - after.bottom)


def _narrow_gap(before: _Char, after: _Char) -> bool:
    """Two Chinese characters (or quotation marks) less than a character apart."""
    em = max(before.top - before.bottom, after.top - after.bottom)
    chinese = [is_cjk(c.text) or c.text in _QUOTES for c in (before, after)]
    return all(chinese) and after.left - before.right < em


def pages_document(texts: list[str], file: str) -> Document:
    """The document tree of a PDF from its page texts (lines separated by newlines)."""
    count = len(texts)
    pages: list[list[str]] = []
    for text in texts:
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
    return Document(blocks=tables_from_columns(_paragraphs(pages), 1), source=Source(file=file, format="pdf", pages=count, warnings=warnings))


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
        # footnotes at the page's foot, above its number ("1该细则为征求意见稿，尚未施行；…"): not the body,
        # which goes on from the last line above them to the next page
        notes = [k for k in range(max(0, len(numbered) - _FOOTNOTE_LINES), len(numbered))
                 if (m := _FOOTNOTE.match(clean(numbered[k][1]))) and _noted(numbered[:k], m.group())]
        if notes and notes[0] > 0:
            foot[:0] = numbered[notes[0]:]
            del numbered[notes[0]:]
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


#: a footnote's first line: its number run into the text ("1该细则为…", "2《张掖市…》第八条"), not a numbered
#: item ("1.", "1、", "（1）") nor a figure with its unit wrapped to the line's start ("0元", "12日")
_FOOTNOTE = re.compile(r"[0-9]{1,2}(?=[\u4e00-\u9fff《“])(?![0-9]*[元万亿千百年月日号个次期条款项章节米吨克亩公斤倍人户天周])")
#: how many lines at a page's foot may be footnotes
_FOOTNOTE_LINES = 4


def _noted(above: list[tuple[int, str]], number: str) -> bool:
    """The page's body above carries the note's mark: its number right after a word or a title, before
    more text ("《…工作细则（征求意见稿）》1", "第二十四条2和"), not a figure of a sum or a date."""
    mark = re.compile(rf"(?<=[\u4e00-\u9fff》）)”])[ \t]?{number}(?![0-9.．,，%％元万年月日号个次期条款项])")
    return any(mark.search(clean(line)) for _n, line in above)


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
