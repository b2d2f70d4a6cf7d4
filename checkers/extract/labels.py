"""Field labels laid out as tables or spaced lines, turned back into "label：value".

Offices often put the parties' details in a two-column table (label | value); a DOCX reader then
sees the label and the value as separate cells, and a PDF's text shows "label value" with no colon.
The rules read "label：value". The label list is data: ``checkers/data/field_labels.yaml``.
"""

from __future__ import annotations

import functools
import re

from ecokernel.sourcefile import packaged_data

_MAX_LABEL = 24


@functools.cache
def _labels() -> tuple[str, ...]:
    data = packaged_data("checkers.data", "field_labels.yaml")
    return tuple(sorted(data["labels"], key=len, reverse=True))


@functools.cache
def _spaced_line() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(label) for label in _labels())
    # a known label (with an optional parenthetical) then spaces then the value, no colon between
    # (or, where glyph runs were closed up, the digits of an identifier right after the label)
    return re.compile(rf"^(?P<label>(?:{alternatives})(?:[（(][^）)\n]{{0,16}}[）)])?)(?:[ \t　]+|(?=[0-9A-Z]{{6}}))"
                      rf"(?P<value>[^\s：:].*)$")


@functools.cache
def role_labels() -> str:
    """A regular-expression alternation of every party role label ("赔偿义务人", "被告知单位", "甲方", …),
    longest first: the openers of ``checkers/data/parties.yaml``, the one list of them."""
    openers = packaged_data("checkers.data", "parties.yaml")["openers"]
    every = [*openers["obligor"], *openers["claimant"], *openers["either"]]
    return "|".join(f"(?:{p})" for p in sorted(every, key=len, reverse=True))


#: the mark a form puts before a required field's label ("*统一社会信用代码", "※姓名")
REQUIRED_MARK = re.compile(r"^[ \t　]*[*＊※]+[ \t　]*(?=[\u4e00-\u9fff（(])")


def is_label(text: str) -> bool:
    """A table cell that is a field label: short, one line, starting with a known label, no colon (a
    form's required-field mark before it aside)."""
    text = REQUIRED_MARK.sub("", text.strip()).rstrip("：:")
    return (0 < len(text) <= _MAX_LABEL and "\n" not in text and not any(c in text for c in "：:，,。；;")
            and text.startswith(_labels()))


def cell_label(text: str) -> str | None:
    """A table cell as a field label, or None. A narrow label cell may wrap or space out its words
    ("地址（联" / "系方式）", "委托" / "代理人", "名    称"): the label is the lines joined, the spaces out."""
    if is_label(text):
        return REQUIRED_MARK.sub("", text.strip()).rstrip("：:")
    lines = [line.strip() for line in text.strip().split("\n")]
    if len(lines) > 3 or any(len(line) > _MAX_LABEL // 2 for line in lines):
        return None
    joined = re.sub(r"[ \t　]+", "", "".join(lines))
    return joined.rstrip("：:") if is_label(joined) else None


#: a row's first cell that heads the rows it spans ("申 请 人" over 名称, 地址, 法定代表人…): a short word
_GROUP = re.compile(r"[\u4e00-\u9fff（）()]{2,10}")


def pair_cells(cells: list[str]) -> list[tuple[int, str]]:
    """A table row's cells → the texts to emit, as (index of the first cell, text).

    A row that alternates label and value cells (label | value [| label | value]) becomes
    "label：value" texts, after a first cell that heads a group of rows, if any ("申请人 | 名称 |
    张掖市水务局" → "申请人", "名称：张掖市水务局"); any other row is returned cell by cell."""
    original, group = cells, None
    if len(cells) >= 3 and len(cells) % 2 == 1:
        head = re.sub(r"[ \t　\n]+", "", cells[0])
        if _GROUP.fullmatch(head):
            group, cells = head, cells[1:]
    labels = [cell_label(cells[i]) for i in range(0, len(cells), 2)] if len(cells) % 2 == 0 else []
    if len(cells) >= 2 and labels and all(
            label is not None and cells[i + 1].strip() and cell_label(cells[i + 1]) is None
            for label, i in zip(labels, range(0, len(cells), 2), strict=True)):
        offset = 1 if group is not None else 0
        paired = [(i + offset, f"{label}：{cells[i + 1].strip()}")
                  for label, i in zip(labels, range(0, len(cells), 2), strict=True)]
        return [(0, group), *paired] if group is not None else paired
    return list(enumerate(original))


#: a label's parenthetical ("（负责人）", "（姓名）") at the head of what follows the label
_LABEL_PAREN = re.compile(r"(?P<paren>[（(](?:负责人|姓名|名称|住所|住址|职务|联系方式)[）)])[ \t　]*")
#: a short label spaced out to the cell's width, its value run on after it ("名 称张掖市林业和草原局")
_SPACED_OUT = re.compile(r"^[ \t　]*(?P<chars>[\u4e00-\u9fff](?:[ \t　]+[\u4e00-\u9fff]){1,2})[ \t　]*(?P<value>[^\s：:].*)$")


def colon_after_label(line: str) -> str:
    """"统一社会信用代码 91450100…" → "统一社会信用代码：91450100…", "名 称张掖市…" → "名称：张掖市…" (a PDF
    table row's text)."""
    m = _spaced_line().match(line.strip())
    if m:
        label, value = m["label"], m["value"]
        # "法定代表人 （负责人）安国栋": the label's own parenthetical, wrapped in its cell, before the value
        paren = _LABEL_PAREN.match(value)
        if paren and paren.end() < len(value):
            label, value = label + paren["paren"], value[paren.end():]
        return f"{label}：{value}"
    spaced = _SPACED_OUT.match(line)
    if spaced:
        label = re.sub(r"[ \t　]+", "", spaced["chars"])
        if label in _labels():
            return f"{label}：{spaced['value']}"
    return line


#: "【被告知人】X" — a label in lenticular brackets instead of followed by a colon
_BRACKET_LABEL = re.compile(r"^[ \t　]*【(?P<label>[^】\n]{1,16})】[ \t　]*(?P<value>[^\s【].*)$")
#: decorative bullets before a line's own numbering or text ("▲一、…", "◆ 损害事实：…"); boxes
#: (□ ☐ ☑) are choices, not decoration, and stay — and so does a filled box ■ in a line of choices
#: ("■自然人 □法人 □其他组织": the one ticked)
_BULLET = re.compile(r"^[ \t　]*[▲△◆◇●■★☆▶►•▪][ \t　]*(?=\S)(?![^\n]*[□☐])")


#: a blank filled in on the line: with a number ("请于__2025__年__4__月__8__日", "上午__9:00__"), or the
#: whole value of a label ("地点：__…会议室__"); "姓名____年龄____" is two empty blanks, not a value
_FILLED_BLANK = re.compile(r"[_＿]+(?P<n>\d{1,4}(?:[:：.]\d{1,2})?)[_＿]+"
                           r"|(?<=[：:])(?P<lead>[ \t　]*)[_＿]+(?P<v>[^_＿\n]{1,60}?)[_＿]+(?=[ \t　]*$|[，,。；;（(])")


#: a whole line written into a blank ("＿宜昌市中级人民法院＿" under 此致)
_FILLED_LINE = re.compile(r"^[ \t　]*[_＿]+(?P<v>[^_＿\n]{2,60}?)[_＿]+[ \t　]*$")


def _unblank(m: re.Match[str]) -> str:
    return m["n"] if m["n"] is not None else m["lead"] + m["v"]


#: a bilingual line's English translation after the Chinese ("衡水市中级人民法院 Hengshui Intermediate People's
#: Court", "第五条 违约责任 Article 5 Liability for Breach"): the Chinese text prevails, the rules read it alone
_ENGLISH_TAIL = re.compile(r"(?<=[\u4e00-\u9fff）)】])[ \t　]+(?=[A-Za-z])(?P<tail>[A-Za-z0-9 ,.'’()\-&/:;]*)$")


def _without_translation(line: str) -> str:
    if " " not in line and "\t" not in line and "　" not in line:
        return line  # (the tail starts after a space: most Chinese lines have none)
    m = _ENGLISH_TAIL.search(line)
    if m and m["tail"].count(" ") >= 2 and re.search(r"[A-Za-z]{3,}", m["tail"]):
        return line[:m.start()]
    return line


def tidy_line(line: str) -> str:
    """A line as the rules read it: "【label】value" → "label：value", a leading bullet or a form's
    required-field mark ("*申请人") dropped, the
    underscores around a filled-in blank dropped (an empty blank stays), an English translation after
    the Chinese dropped."""
    line = REQUIRED_MARK.sub("", _BULLET.sub("", line))
    line = _without_translation(line)
    if "_" in line or "＿" in line:
        line = _FILLED_BLANK.sub(_unblank, line)
        line = _FILLED_LINE.sub(r"\g<v>", line)
    m = _BRACKET_LABEL.match(line)
    return f"{m['label']}：{m['value']}" if m else line


_WRAP_WIDTH = 14  # a table cell's wrapped line in a PDF: short, never a sentence
_WRAP_TAIL = 6  # the end of a value that filled its cell and wrapped ("…MA5P0H" / "4D79", "…化工大道" / "9号")
_LABEL_VALUE = re.compile(r"^(?P<label>[^：:\n]{1,24})[：:](?P<value>[^：:\n]+)$")


_DATE_LINE = re.compile(r"^[ \t　]*(?:\d{4}|[〇○零一二三四五六七八九]{4})[ \t　]*年.{1,8}[日号][ \t　]*$")


def _value_line(line: str) -> bool:
    """A line that can be (part of) a wrapped value: not empty, no label, no colon."""
    text = line.strip()
    return bool(text) and not is_label(text) and not any(c in text for c in "：:")


def join_wrapped_values(lines: list[str]) -> list[str]:
    """A PDF's table rows whose label stands alone on its line and whose value the cell wrapped over
    the next lines ("地址（联系方式）" / "河池市金城江区金城" / "中路128号；0778-" / "2281564") become one
    "label：value" line. A label wrapped inside its bracket ("法定代表人（负责" / "人）") is closed first.
    The first value line may be long; the lines after it are joined only while they are as short as
    a wrapped cell's lines; a label, a line with a colon or a date line ends the value. A row read as
    "label：value" whose value filled its cell keeps the few characters the cell wrapped onto the next
    line ("统一社会信用代码：91451221MA5P0H" / "4D79")."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line, j = lines[i].strip(), i + 1
        while line.count("（") > line.count("）") and j < len(lines) and "）" in lines[j][:4] and j - i <= 2:
            line += lines[j].strip()
            j += 1
        # "统一社会" / "信用代码": a label its narrow cell wrapped without a bracket
        if 0 < len(line) <= _MAX_LABEL // 2 and j < len(lines) and not is_label(line) \
                and is_label(joined := line + lines[j].strip()) and len(joined) <= _MAX_LABEL:
            line, j = joined, j + 1
        # "法定代表人" / "（负责人）": the label's parenthetical on a line of its own
        if is_label(line) and j < len(lines) and _LABEL_PAREN.fullmatch(lines[j].strip()):
            line, j = line + lines[j].strip(), j + 1
        if is_label(line) and not line.endswith(("：", ":")) and j < len(lines) and _value_line(lines[j]):
            parts = [lines[j].strip()]
            j += 1
            while j < len(lines) and _value_line(lines[j]) and len(lines[j].strip()) <= _WRAP_WIDTH \
                    and len(parts[-1]) <= _WRAP_WIDTH and len(parts) < 6 and not _DATE_LINE.match(lines[j]):
                parts.append(lines[j].strip())
                j += 1
            out.append(f"{line}：{''.join(parts)}")
            i = j
            continue
        m = _LABEL_VALUE.match(line)
        if m and is_label(m["label"]) and len(m["value"].strip()) >= _WRAP_WIDTH:
            # a row whose value filled its cell and wrapped: its last few characters on the next line
            tails = []
            while j < len(lines) and _value_line(lines[j]) and len(lines[j].strip()) <= _WRAP_TAIL \
                    and not _DATE_LINE.match(lines[j]) and len(tails) < 2:
                tails.append(lines[j].strip())
                j += 1
            if tails:
                out.append(line + "".join(tails))
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out
