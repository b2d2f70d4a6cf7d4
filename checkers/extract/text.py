"""Whitespace normalisation and line joining shared by the readers and the flat view.

Only whitespace is normalised: layout spaces (no-break, ideographic, en/em…) become one space, runs
collapse, lines are stripped, blank lines dropped, zero-width characters removed, and letter-spaced
words ("甲　方", "此 致") closed up. A space after a longer run ("第一条 事实情况") is kept: it separates.
Full-width punctuation (（）：，) and every other character is kept as written (NFC only, never
NFKC, which would turn （） into ()).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable

from checkers.extract.labels import role_labels

# Spaces that are layout only: no-break, ideographic, the en/em/thin family, narrow no-break.
_SPACES = "\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_SPACE_RUN = re.compile(f"[{_SPACES}]+")
# Invisible characters that only get in the way of matching.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# Ideographs and CJK / full-width punctuation.
_CJK = "\u2e80-\u2fdf\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Letter-spaced words ("甲 方", "此 致", "赔 偿 协 议"): single ideographs separated by spaces are
# one word spaced out for layout. A space after a longer run ("第一条 事实") is kept: it separates.
_LETTER_SPACED = re.compile(f"(?<![{_HAN}])[{_HAN}](?: [{_HAN}])+(?![{_HAN}])")
_SPACED_DIGITS = re.compile(r"(?<=\d) (?=[,，.]\d{2,3}(?!\d))|(?<=\d[,，]) (?=\d{3}(?!\d))")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


#: full-width digits and Latin letters (an office system's export: "２０２５年３月１２日", "９１１４０９…")
#: read as their ASCII forms, one character for one; full-width punctuation stays (it is Chinese text's own)
_HALF_WIDTH = {**{0xFF10 + i: 0x30 + i for i in range(10)}, **{0xFF21 + i: 0x41 + i for i in range(26)},
               **{0xFF41 + i: 0x61 + i for i in range(26)}}
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
#: a full-width point between digits is a decimal point ("１２．５万元"), not a list mark ("1．")
_WIDE_POINT = re.compile(r"(?<=\d)．(?=\d)")


def clean(text: str) -> str:
    """Normalise one block's text: NFC, full-width digits and letters as ASCII, layout spaces
    collapsed, lines stripped, no blank lines.

    Newlines inside a block (a line break in a DOCX paragraph, a PDF line) are kept.
    """
    text = unicodedata.normalize("NFC", text)
    if _FULL_WIDTH_ALNUM.search(text):
        text = _WIDE_POINT.sub(".", text.translate(_HALF_WIDTH))
    text = _INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = []
    for line in text.split("\n"):
        line = _SPACE_RUN.sub(" ", line).strip()
        if " " in line:
            line = _SPACED_DIGITS.sub("", line)  # "142 ,000.00元": a stray space inside a number (OCR)
        if line:
            lines.append(_LETTER_SPACED.sub(lambda m: m.group().replace(" ", ""), line) if " " in line else line)
    return "\n".join(lines)


def is_cjk(char: str) -> bool:
    """True for an ideograph or a CJK / full-width punctuation mark."""
    return bool(re.match(f"[{_CJK}]", char))


# -- lines → paragraphs (plain text and PDF) ----------------------------------------------------

# A line that starts a new paragraph whatever precedes it: numbering and party labels.
_STARTS = re.compile(
    r"\s*(?:第[一二三四五六七八九十百零〇\d]+[条章节款项部分]"
    r"|[一二三四五六七八九十]+[、．.]"
    r"|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d+(?:\.\d+)*[、．.](?!\d)"
    r"|[①-⑳]"
    r"|[甲乙丙丁]方[：:（(]"
    r"|附件?[：:\d一二三四五六七八九十]"
    r"|【|此致"
    # a party or field label opens a line only as a label (with its colon, parenthesis or a gap), not
    # as the subject of a wrapped sentence ("申请人四经磋商，达成了如下协议")
    r"|(?:申请人|被申请人|委托代理人|告知人|被告知人|法定代表人|统一社会信用代码|身份证|地址|住址|住所"
    r"|联系|工作单位|职业)[^，。；,\n]{0,12}?[：:（(\s]"
    r"|请求事项|事实和理由|[\d一二三四五六七八九十〇○]{1,4}\s*年\s*[\d一二三四五六七八九十]{0,2}\s*月"
    r"|年\s+月\s+日"
    r")"
)
_ENDS = tuple("。！？；：:!?;…”’」』）)")


#: a line that is only a page number ("— 3 —", "- 3 -", "第3页 共5页", "3/5")
PAGE_MARK = re.compile(r"^[ \t　]*(?:[—－\-]{1,2}[ \t　\xa0]*\d{1,4}[ \t　\xa0]*[—－\-]{1,2}"
                       r"|第[ \t　]*\d{1,4}[ \t　]*页(?:[ \t　，,]*共[ \t　]*\d{1,4}[ \t　]*页)?"
                       r"|\d{1,4}[ \t　]*/[ \t　]*\d{1,4})[ \t　]*$")


#: the longest line that may be a running header (a title or department repeated atop each page)
_RUNNING_HEADER_MAX = 30


def _without_page_marks(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines without page-number lines copied out of a paginated document, and without the blank
    lines around them: the sentence cut by the page break goes on after it."""
    marks = [i for i, (_n, text) in enumerate(lines) if PAGE_MARK.match(text)]
    if not marks:
        return lines
    # a running header: a short line next to a page mark that the document repeats word for word
    # (the title or the department atop every scanned page, "…壹拾肆万零" / "第 1 页" / "司法确认申请书")
    # on two pages or more: two signature columns read one after the other ("2025年4月21日" twice above
    # the last page's number) are not a running header
    keys = [_header_key(text) for _n, text in lines]
    pages: dict[str, set[int]] = {}
    page = 0
    for i, key in enumerate(keys):
        if page < len(marks) and i > marks[page]:
            page += 1
        if 0 < len(key) <= (_FAX_STAMP_MAX if _FAX_STAMP.search(key) else _RUNNING_HEADER_MAX):
            pages.setdefault(key, set()).add(page)
    drop: set[int] = set()
    for i in marks:
        drop.add(i)
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and (not lines[j][1].strip() or len(pages.get(keys[j], ())) >= 2):
                drop.add(j)
                j += step
    # a fax machine's stamp atop every page ("2025-07-14 16:05 FAX:0318-2136057 衡水市生态环境局 P.002/003"),
    # the first page's too, which no page mark precedes
    drop |= {i for i, (_n, text) in enumerate(lines) if _FAX_STAMP.search(text) and len(pages.get(keys[i], ())) >= 2}
    return [line for i, line in enumerate(lines) if i not in drop]


#: how long a fax stamp compared as a running header may be (other running headers: _RUNNING_HEADER_MAX)
_FAX_STAMP_MAX = 80
#: a fax machine's or printer's stamp: a time of day, a fax number or a page counter ("P.002/003")
_FAX_STAMP = re.compile(r"FAX|Fax|传真|P\.[ \t]*\d{1,3}[ \t]*/[ \t]*\d{1,3}|\d{4}-\d{1,2}-\d{1,2}[ \t]+\d{1,2}:\d{2}")


def _header_key(text: str) -> str:
    """A line as a running header is compared: word for word, but a fax stamp's changing figures (its page
    counter, its time) aside."""
    key = clean(text)
    return re.sub(r"\d+", "#", key) if _FAX_STAMP.search(key) else key



#: the characters a number is cut between: digits and their separators
_NUMBER_CHARS = frozenset("0123456789,.")
_ALNUM = re.compile(r"[0-9A-Za-z]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2}")
_CODE_TAIL = re.compile(r"(?<![0-9A-Za-z])[0-9A-Z]{4,17}$")
_CODE_HEAD = re.compile(r"[0-9A-Z]{1,14}(?![0-9A-Za-z])")


def code_cut(previous: str, line: str) -> bool:
    """Whether ``previous`` ends and ``line`` begins the two halves of one 18-character code (a 统一社会
    信用代码 or 身份证号码 cut by a narrow cell or the line's end: "91320684MA1W8H" / "5C8G")."""
    tail, head = _CODE_TAIL.search(previous.rstrip()), _CODE_HEAD.match(line.lstrip())
    return bool(tail and head and len(tail.group()) + len(head.group()) == 18
                and any(ch.isdigit() for ch in tail.group()))


def join_lines(lines: Iterable[tuple[int, str]], *, ragged: bool = False) -> list[tuple[int, str]]:
    """Group consecutive non-blank lines into paragraphs: ``(first line number, text)``.

    A blank line always ends a paragraph. Within a run of lines, a line is joined to the previous
    one only when it looks like a hard wrap: the previous line is about as long as the longest line
    of the run, does not end a sentence, and this line does not start with numbering, a party
    label or indentation. Wrapped Chinese is joined without a space, other text with one.

    ``ragged``: the lines may have been broken by hand or by OCR (plain text), so a run whose lines
    mostly stop mid-sentence wraps at lines of uneven length. A PDF's lines are laid out to the page
    width, and its short lines that stop without punctuation are labels, headings and table rows.
    """
    paragraphs: list[tuple[int, str]] = []
    run: list[tuple[int, str]] = []

    def flush() -> None:
        if not run:
            return
        width = max(_width(text) for _, text in run)
        chars = max(len(clean(text)) for _, text in run) if ragged else 0
        # OCR of a scan or text typed with hard returns: lines of uneven length (25–40 characters)
        # that mostly stop in mid-sentence; a wrap there need not reach the longest line's width
        open_lines = sum(1 for _n, t in run[:-1] if _width(t) >= _RAGGED_MIN and not t.rstrip().endswith(_ENDS)
                         and not _LABEL_START.match(t))
        uneven = ragged and len(run) >= 4 and open_lines >= 0.5 * (len(run) - 1)
        number, current = run[0]
        previous = current
        for i, (line_number, text) in enumerate(run[1:], start=1):
            if (open_bracket(current) and not _STRUCTURE.match(text)
                    and any(re.search(r"[）)]", later) for _, later in run[i:i + 3])):
                # "××有限公司（统一社会信用代码：" / "9162…；住所：…镇" / "…路9号）：": a bracket left open
                # goes on to the line that closes it
                current = current.rstrip() + text.strip()
            elif _inline_item_goes_on(current, previous, text, width):
                current = current.rstrip() + text.strip()
            elif _continues(previous, text, width, first=current == previous, uneven=uneven, chars=chars):
                tail, head = previous.rstrip()[-1:] or " ", text.lstrip()[:1] or " "
                # a number cut by the line end ("鉴定评估费用56,00" / "0.00元") is one number
                # and so is a code cut inside Chinese text ("统一社会信用代码91140925MA0" / "L8E6T3G，地址…")
                glue = "" if (is_cjk(tail) or is_cjk(head) or ((tail in _NUMBER_CHARS or tail.isdigit()) and head.isdigit())
                              or (_ALNUM.match(tail) and _ALNUM.match(head)
                                  and (_CJK_RUN.search(previous) or code_cut(previous, text)))) else " "
                current = current.rstrip() + glue + text.strip()
            else:
                paragraphs.append((number, current))
                number, current = line_number, text
            previous = text
        paragraphs.append((number, current))
        run.clear()

    for number, text in _without_page_marks(list(lines)):
        if text.strip():
            run.append((number, text))
        else:
            flush()
    flush()
    return _close_open_titles(paragraphs)


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _inline_item_goes_on(paragraph: str, previous: str, line: str, width: int) -> bool:
    """An enumeration inside a sentence ("包括：①…；②…；③…") that the wrap cut at an item's start:
    the line opens with the next circled number, the paragraph already holds the one before it, and
    the line before is full (a wrap, not the writer's break)."""
    head = line.lstrip()[:1]
    k = _CIRCLED.find(head)
    before = _CIRCLED[k - 1] if k > 0 else ""
    # (a list of one item per line opens its paragraph with the item: "①…；" / "②…；" stay apart)
    return bool(before) and before in paragraph and not paragraph.lstrip().startswith(before) \
        and width >= 24 and _width(previous.rstrip()) >= _FILL * width


def continues_across_pages(previous: str, first: str) -> bool:
    """Whether the first paragraph of a page goes on with the last one of the page before: a
    sentence of prose cut by the page break ("…可抵扣赔偿金" / "45.00万元（大写：…）。")."""
    prev = previous.rstrip()
    if not prev or prev.endswith(_ENDS) or _STRUCTURE.match(first):
        return False
    if prev.endswith(_OPEN_ENDS):
        return True
    # prose (a clause already closed inside it, and long), never a table row or a heading
    return len(prev) >= 12 and bool(re.search(r"[，,、]", prev)) and not _STARTS.match(first)


def _close_open_titles(paragraphs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A paragraph that leaves a 《 title open and one that closes it at once are one paragraph
    split by a blank line (a PDF table cell's wrap: "…赔偿协" / "议》有效。")."""
    out: list[tuple[int, str]] = []
    for number, text in paragraphs:
        if out:
            prev = out[-1][1]
            close = text.find("》")
            if (prev.count("《") > prev.count("》") and not prev.rstrip().endswith(_ENDS)
                    and 0 <= close <= 20 and "《" not in text[:close]):
                out[-1] = (out[-1][0], prev.rstrip() + text.strip())
                continue
        out.append((number, text))
    return out


#: a line break between two Chinese characters, or between a figure and the character it counts
#: ("经过2" / "轮磋商", "共" / "3次")
_WORD_WRAP = re.compile(f"(?<=[{_HAN}])\n(?=[{_HAN}])|(?<=\\d)\n(?=[次轮期个名份项年月日元万])"
                        f"|(?<=[{_HAN}])\n(?=\\d{{1,3}}[次轮期个名份项])")


def close_wraps(text: str) -> str:
    """``text`` with every line break between two Chinese characters (or a figure and a character)
    removed: a second reading of a page whose narrow cells wrapped words ("汨罗分" / "局四楼会议室",
    "时间和地" / "点", "经过2" / "轮磋商")."""
    return _WORD_WRAP.sub("", text)


def closed_wraps_across(text: str) -> tuple[str, list[int]]:
    """``close_wraps(text)`` and, for each line break it removed, the position in the closed text where
    it stood (a span of the closed text that contains one crosses a wrap; see :func:`original_offset`)."""
    removed = [m.start() for m in _WORD_WRAP.finditer(text)]
    return _WORD_WRAP.sub("", text), [r - k for k, r in enumerate(removed)]


def original_offset(closed_at: list[int], i: int) -> int:
    """Offset ``i`` of the closed text as an offset of the text it was closed from."""
    return i + bisect_right(closed_at, i)


def open_bracket(text: str) -> bool:
    """Whether ``text`` leaves a round bracket (full- or half-width) open."""
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _width(text: str) -> int:
    """Display width of the cleaned line (letter-spacing closed up): CJK counts double, so mixed
    lines compare fairly, and a justified line's stretched spaces do not make it look wider."""
    stripped = clean(text)
    return len(stripped) + sum(1 for ch in stripped if ord(ch) > 0x2e7f)


#: a line ending in the middle of a phrase (a range, a preposition, a list) goes on on the next line
_OPEN_ENDS = ("至", "到", "于", "自", "从", "向", "对", "与", "和", "及", "、", "被")
#: numbering that opens a new paragraph even after such a line
_STRUCTURE = re.compile(r"\s*(?:第[一二三四五六七八九十百零〇\d]+[条章节款项部分]|[一二三四五六七八九十]+[、．.]"
                        r"|[（(][一二三四五六七八九十\d]+[)）]|\d+(?:\.\d+)*[、．.](?!\d)|[①-⑳])")


#: the first line of a paragraph is indented by two characters (GB/T 9704), i.e. 4 width units,
#: which the extracted text does not show
_FIRST_LINE_INDENT = 4


#: a date cut after its year or month, and the line that goes on with its month or day
_DATE_HEAD = re.compile(r"(?:(?:^|[^\d])\d{4}|[〇○零一二三四五六七八九]{4})[ \t　]*年$|(?:^|年)[ \t　]*(?:\d{1,2}|[一二三四五六七八九十]{1,2})[ \t　]*月$")
#: a date that stops before its 日 at the line end ("…于2026年3月31")
_DAY_CUT = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})[ \t　]*年[ \t　]*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[ \t　]*月[ \t　]*(?:\d{1,2}|[一二三四五六七八九十]{1,3})$")
#: the characters of an amount in words, and those that may go on after a cut inside one
_UPPER_DIGITS = frozenset("零壹贰叁肆伍陆柒捌玖拾佰仟万亿")
_UPPER_TAIL = _UPPER_DIGITS | frozenset("元圆角分整")
#: a date cut before its 年 or its 月 ("…甲方于2024" / "年9月2日", "…于2024年9" / "月24日"), and the line's head then
_UNIT_CUT = re.compile(r"(?<![\d,.])\d{4}$|年[ \t　]*\d{1,2}$")
_UNIT_HEAD = re.compile(r"[ \t　]*(?:年[ \t　]*\d{1,2}[ \t　]*月|月[ \t　]*\d{1,2}[ \t　]*[日号])")
_DATE_TAIL = re.compile(r"[ \t　]*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[ \t　]*[月日号]")

#: a table row copied as text: its number, a space, then its first cell ("2 鉴定评估费用 98,000")
_TABLE_ROW = re.compile(r"\d{1,3}[ \t　]+[\u4e00-\u9fff]")

#: a line that opens with the last character or two of a word and then a sentence or clause mark
_WORD_TAIL = re.compile(r"[\u4e00-\u9fff]{1,2}[。，；！？]")


#: the end of a line and the start of the next ("…于二|〇二三年"): the four digits of a year split
_SPLIT_YEAR = re.compile(r"(?<![\d〇○零一二三四五六七八九十])(?=[\d〇○零一二三四五六七八九]{1,3}\|)"
                         r"(?:(?:\d\|?){4}|(?:[〇○零一二三四五六七八九]\|?){4})年")


#: how full a line must be to wrap into the next: of the run's longest line, and in a ragged run
_FILL, _RAGGED_FILL = 0.85, 0.5
#: how full a hand-wrapped line cut inside a word is (its figures count single, so it falls short of the longest)
_CUT_FILL = 0.75
#: the width (CJK counts double) from which a line that stops mid-sentence counts towards a ragged run
_RAGGED_MIN = 30
#: a letter's salutation, a line of its own: the addressee's name and a colon ("三江…丹洲建材有限公司：")
_SALUTATION_LINE = re.compile(r"[ \t　]*[^\s：:，,。；;（()）]{2,40}(?:公司|厂|合作社|养殖场|经营部|个体工商户|中心|局)[：:][ \t　]*$")


@functools.cache
def _role_line() -> re.Pattern[str]:
    """A party's role alone on its line, its particulars below ("申请人二" / "被告知单位（乙方）" / "名称" / …)."""
    return re.compile(rf"[ \t　]*(?:{role_labels()})"
                      r"[一二三四五六七八九1-9]?(?:[ \t　]*[（(][^）)\n]{0,20}[）)])?[ \t　]*$")


#: a party's field label ending a line, in running prose (after a comma), its value on the next line
_FIELD_LABEL_END = re.compile(r"[，,；;][ \t　]*(?:地址|住所|住址|联系电话|电话|联系方式|统一社会信用代码|社会统一信用代码"
                              r"|身份证号码?|公民身份号码|法定代表人|负责人)[：:][ \t　]*$")
#: the width (CJK counts double) of a run of hand-wrapped prose, as opposed to a form's short field lines
_PROSE_WIDTH = 48
#: a line that opens with punctuation that closes something goes on from the line before ("污染" / "。经…")
_CLOSING_START = re.compile(r"[。，、；：！？）」』”’》〉〕】,.;:!?)\]]")
#: a number cut by the line end: the line before ends in its digits, this one goes on with its unit
_NUMBER_HEAD = re.compile(r"(?:\d[\d,]*(?:\.\d+)?[ \t　]*)?(?:万?元|%|％|[）)])|(?:万|亿)元|公顷|平方米|立方米|吨|株")
#: a numbered table's row as a PDF lays it out: its number, a gap (closed up where the glyph runs were
#: joined), its cells ("2 场地清理及微地形恢复 214,000.00", "2场地清理…"); not a figure with its unit ("3公顷")
_ROW_NUMBER = re.compile(r"[ \t　]*(\d{1,3})(?:[ \t　]+(?=[^\s\d.．,，%％])"
                         r"|(?=[\u4e00-\u9fff])(?![元万亿千百年月日号个次期条款项章节米吨克亩公斤倍人户天周公平立]))")
#: the rest of an amount after a full-width thousands separator ending the line before ("90，" / "700元")
_THOUSANDS_HEAD = re.compile(r"\d{3}(?!\d)(?:[,，]\d{3}(?!\d))*(?:\.\d+)?[ \t　]*万?元")
#: a line that opens with a field's label ("赔偿义务人：…", "签订时间：…"): its own line in uneven text
_LABEL_START = re.compile(r"[ \t　]*[\u4e00-\u9fff（）()]{2,14}[：:]")
#: a document number alone on its line, under the title ("静环赔告〔2025〕3号"): never the title's wrap
#: a document's title alone on its line ("司法确认申请书", "生态环境损害赔偿磋商告知书"): never the tail of the line
#: above (a letterhead or a file number that happens to fill its line)
_TITLE_LINE = re.compile(r"[ \t　]*(?:生态环境损害赔偿(?:磋商)?(?:协议书?|告知书|通知书)|司法确认申请书|强制执行申请书"
                         r"|磋商(?:告知|通知)书|赔偿协议书)[ \t　]*$")
_DOC_NUMBER_LINE = re.compile(r"[ \t　]*[\u4e00-\u9fff]{1,12}[〔\[［（(][ \t　]*\d{4}[ \t　]*[〕\]］）)][ \t　]*第?[ \t　]*\d{1,5}[ \t　]*号[ \t　]*$")

#: a line with some prose in it (not a rule drawn with "──────")
_PROSE_CHAR = re.compile(r"[\u4e00-\u9fff\dA-Za-z]")


def _continues(previous: str, line: str, width: int, *, first: bool = False, uneven: bool = False,
               chars: int = 0) -> bool:
    """Whether ``line`` goes on from ``previous`` (a wrap). ``uneven``: the run's lines are of uneven
    length and mostly stop mid-sentence (OCR or hand-broken text), so a wrap need not fill the line.
    ``chars``: plain text only, the run's longest line in characters — text wrapped every N characters
    (not every N columns) fills its lines by count, however many figures a line holds."""
    prev = previous.rstrip()
    if prev and _CLOSING_START.match(line):
        return True
    if (row := _ROW_NUMBER.match(line)) and (above := _ROW_NUMBER.match(previous)) and int(row[1]) == int(above[1]) + 1:
        return False  # "1 建筑垃圾…清运处置 986,000.00" / "2 场地清理…": a numbered table's next row, however full
    if re.search(r"\d[,.]?$", prev) and _NUMBER_HEAD.match(line):
        return True  # "…鉴定评估费用56,00" / "0.00元，共计…", "…抵扣赔偿金人民币60.18" / "万元（大写…"
    if re.search(r"\d，$", prev) and _THOUSANDS_HEAD.match(line):
        return True  # "…合计人民币90，" / "700元（大写…": a full-width thousands separator before the cut
    if code_cut(prev, line):
        return True  # "91320684MA1W8H" / "5C8G": an 18-character code cut by a narrow cell
    if _DATE_HEAD.search(prev) and _DATE_TAIL.match(line):
        return True  # "2025年" / "07月" / "10日": a date laid out over lines under a signature
    if _DAY_CUT.search(prev) and line.lstrip()[:1] in ("日", "号"):
        return True  # "…第三期123,300元于2026年3月31" / "日前支付。": a date cut before its 日
    if prev[-1:] in _UPPER_DIGITS and line.lstrip()[:1] in _UPPER_TAIL:
        return True  # "…大写：壹佰贰拾柒万" / "捌仟贰佰元整": an amount in words cut by a narrow cell
    if _UNIT_CUT.search(prev) and _UNIT_HEAD.match(line):
        return True  # "…甲方于2024" / "年9月2日向乙方送达…", "…分别于2024年9" / "月24日…": cut before 年 or 月
    if uneven and _FIELD_LABEL_END.search(prev) and not _LABEL_START.match(line) and not _STRUCTURE.match(line):
        return True  # "…，地址：" / "张掖市临泽县平川镇三一村五社。": a field's value wrapped onto the next line
    if not prev or prev.endswith(_ENDS):
        return False
    if prev.endswith(_OPEN_ENDS) and not _STRUCTURE.match(line):
        return True  # "2025年3月14日至" / "2025年4月10日经过2轮磋商": a phrase cut by the page width
    if _SPLIT_YEAR.search(prev[-3:] + "|" + line[:6]):
        return True  # "…我单位于二" / "〇二三年十二月四日…": a year cut by the line end is no date line
    if line[:1] in " \t\u3000" or _STARTS.match(line) or _SALUTATION_LINE.match(line) or _role_line().match(line) \
            or _DOC_NUMBER_LINE.match(line) or _TITLE_LINE.match(line):
        return False
    if prev[-1:].isdigit() and _TABLE_ROW.match(line):
        return False  # "1 大气环境损害数额 896,800" / "2 鉴定评估费用 98,000": rows of a table

    if _WORD_TAIL.match(line):
        return True  # "…通知被申请人进行磋" / "商。2025年3月25日…": a word cut by the line end
    if uneven and _LABEL_START.match(line) and width >= _PROSE_WIDTH and _width(prev) >= _CUT_FILL * width \
            and is_cjk(prev[-1]):
        return True  # a full line of prose cut inside a word that the next line's colon ends ("…。被告" / "知人：…")
    if uneven and (_LABEL_START.match(line) or not _PROSE_CHAR.search(prev)):
        return False  # a new field's label; a rule drawn with "──────"
    fill = _RAGGED_FILL if uneven else _FILL
    # Short runs (a list of short lines: signature blocks, headings) are not wrapped prose.
    indent = _FIRST_LINE_INDENT if first else 0
    return width >= 24 and (_width(prev) + indent >= fill * width
                            or (chars > 0 and len(clean(prev)) + indent // 2 >= fill * chars))
