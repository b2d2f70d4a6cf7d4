"""Parsing a raw regulation text into a tree of units, driven by its source's ``layout``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from corpus.models import Region, Source, UnitKind
from ecokernel.cnfmt import cn_to_int, int_to_cn
from ecokernel.errors import CorpusError

_CN = "零〇一二三四五六七八九十百千两"  # characters of a Chinese numeral (article/item numbers)

# --------------------------------------------------------------------------- line cleaning

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_HTML = re.compile(r"</?[A-Za-z][^>]*>")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_MD_BULLET = re.compile(r"^\s*[-*]\s+(?=\S)")
_TAB_RUN = re.compile(r"[ \u3000]*\t[\t \u3000]*")
_DEFAULT_DROP = (r"^-{3,}$", r"^—\s*\d+\s*—$")
_CJK = "\u4e00-\u9fff"
_SPACE_CJK_DIGIT = re.compile(rf"(?<=[{_CJK}])[ \u3000]+(?=\d)")
_SPACE_DIGIT_CJK = re.compile(rf"(?<=\d)[ \u3000]+(?=[{_CJK}])")
_TERMINAL = re.compile(r"[。；;：:！？!?…][”’\"」）)]?$")

_CHAPTER = re.compile(rf"^第([{_CN}]+)章\s*(.*)$")
_ARTICLE = re.compile(rf"^第([{_CN}]+)条\s*(.*)$")
_PART = re.compile(r"^([一二三四五六七八九十]+)、\s*(.*)$")
_ITEM = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(.*)$")
_SUB = re.compile(r"^(\d{1,2})[.．、](?!\d)\s*(.*)$")
_INLINE_TITLE = re.compile(r"^([^，。；：、,;:（）()“”]{2,20})。")
_SUB_TITLE = re.compile(r"^([^，。；：,;:（）()“”]{2,20})[：:]")


@dataclass
class _Line:
    """A raw line after artefact removal: ``text`` is clean, ``cells`` keeps the tabs."""

    text: str
    cells: str
    tab: bool
    lead_ws: bool

    @property
    def blank(self) -> bool:
        return not self.text


def _clean(raw: str) -> _Line:
    """Remove conversion artefacts from one raw line; tab runs become two spaces in ``text``."""
    s = _BOOKMARK.sub("", raw)
    s = _HTML.sub("", s)
    s = s.replace("**", "").replace("\xa0", " ").rstrip("\r\n")
    s = _MD_HEADING.sub("", s)
    s = _MD_BULLET.sub("", s)
    lead_ws = bool(s) and s[0] in " \t\u3000"
    text = _TAB_RUN.sub("  ", s.strip(" \t\u3000")).rstrip()
    return _Line(text=text, cells=s, tab="\t" in s, lead_ws=lead_ws)


def _prose(text: str) -> str:
    """Normalise prose spacing: no spaces between Chinese characters and digits."""
    return _SPACE_DIGIT_CJK.sub("", _SPACE_CJK_DIGIT.sub("", text))


def _despace(text: str) -> str:
    """Remove typographic spacing inside a heading ("总 则" → "总则")."""
    return re.sub(r"\s+", "", text)


def _starts_unit(text: str) -> bool:
    """Whether a line begins a chapter, article, part, item or numbered sub-item."""
    return any(p.match(text) for p in (_CHAPTER, _ARTICLE, _PART, _ITEM, _SUB))


def _join_split(lines: list[str]) -> list[str]:
    """Re-join paragraphs broken mid-sentence (no terminal punctuation, next is no new unit)."""
    out: list[str] = []
    for line in lines:
        if (
            out
            and not _TERMINAL.search(out[-1])
            and not _CHAPTER.match(out[-1])
            and not _PART.match(out[-1])
            and not _starts_unit(line)
        ):
            out[-1] += line
        else:
            out.append(line)
    return out


def _item_title(rest: str, heading_allowed: bool) -> str | None:
    """The heading of an item: "劳务代偿。…" → 劳务代偿; a bare heading line in sections."""
    m = _INLINE_TITLE.match(rest)
    if m and len(rest) > m.end():
        return m.group(1)
    if heading_allowed and rest and len(rest) <= 30 and not re.search(r"[，。；：,;:]", rest):
        return rest
    return None


# --------------------------------------------------------------------------- tree building


@dataclass(eq=False)
class _Node:
    """A unit while parsing: its rows are ``builder.rows[start:end]`` (first row = its heading)."""

    path: str
    kind: UnitKind
    label: str
    title: str | None
    parent: _Node | None
    first: str
    start: int
    has_heading: bool
    end: int = 0
    number: int | None = None
    children: list[_Node] = field(default_factory=list)


@dataclass
class _Row:
    """One display line of a source and the (smallest) node it belongs to."""

    text: str
    owner: _Node


class _Builder:
    """Collects the rows (display lines) of one source and the nodes that own them."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.rows: list[_Row] = []
        self.nodes: list[_Node] = []
        self.paths: set[str] = set()

    def open(
        self,
        path: str,
        kind: UnitKind,
        label: str,
        *,
        parent: _Node | None,
        heading: str | None,
        first: str = "",
        title: str | None = None,
        number: int | None = None,
    ) -> _Node:
        """Start a node; ``heading`` is its full first line as its parent shows it."""
        if path in self.paths:
            raise CorpusError(f"语料数据有误：{self.source.short}中地址“{self.source.key}:{path}”出现了两次")
        self.paths.add(path)
        node = _Node(
            path=path,
            kind=kind,
            label=label,
            title=title,
            parent=parent,
            first=first,
            start=len(self.rows),
            has_heading=heading is not None,
            number=number,
        )
        self.nodes.append(node)
        if parent is not None:
            parent.children.append(node)
        if heading is not None:
            self.add(heading, node)
        else:
            self._extend(node)
        return node

    def add(self, text: str, owner: _Node) -> None:
        self.rows.append(_Row(text, owner))
        self._extend(owner)

    def _extend(self, node: _Node | None) -> None:
        end = len(self.rows)
        while node is not None:
            node.end = end
            node = node.parent

    def rows_of(self, node: _Node) -> list[tuple[str, _Node]]:
        """The node's rows: its own first line (marker stripped), then everything below it."""
        out: list[tuple[str, _Node]] = []
        body = self.rows[node.start + (1 if node.has_heading else 0) : node.end]
        if node.first:
            out.append((node.first, node))
        out.extend((r.text, r.owner) for r in body)
        while out and not out[-1][0]:
            out.pop()
        return out


def _search_start(lines: list[_Line], pattern: str, begin: int, source: Source) -> int:
    rx = re.compile(pattern)
    for i in range(begin, len(lines)):
        if not lines[i].blank and rx.search(lines[i].text):
            return i
    raise CorpusError(f"语料数据有误：{source.short}（{source.file}）中找不到区段起点“{pattern}”")


def _parse_text(source: Source, raw: str) -> _Builder:
    """Parse one local text according to its layout."""
    layout = source.layout
    for fix in layout.fixes:
        count = raw.count(fix.find)
        if count != 1:
            raise CorpusError(
                f"语料数据有误：{source.file} 的修正项“{fix.find[:30]}”应恰好出现一次，实际出现{count}次"
            )
        raw = raw.replace(fix.find, fix.replace)
    drops = [re.compile(p) for p in (*_DEFAULT_DROP, *layout.drop_lines)]
    lines = [line for line in map(_clean, raw.split("\n")) if not any(p.search(line.text) for p in drops)]

    starts: list[int] = []
    for index, region in enumerate(layout.regions):
        if region.start is None:
            if index:
                raise CorpusError(f"语料数据有误：{source.key} 的第{index + 1}个区段缺少 start")
            starts.append(0)
        else:
            starts.append(_search_start(lines, region.start, starts[-1] + 1 if starts else 0, source))
    starts.append(len(lines))

    builder = _Builder(source)
    for region, begin, end in zip(layout.regions, starts, starts[1:], strict=False):
        chunk = lines[begin:end]
        if region.kind == "skip":
            continue
        if region.kind == "named":
            _parse_named(builder, region, chunk)
        elif region.kind == "body":
            texts = [_prose(line.text) for line in chunk if not line.blank]
            if layout.join_split_lines:
                texts = _join_split(texts)
            if layout.numbering == "articles":
                _parse_articles(builder, texts)
            else:
                _parse_sections(builder, texts, prefix="", parent=None, unique=layout.items_unique)
        elif region.kind == "annex":
            _parse_annex(builder, region, chunk)
        else:
            _parse_forms(builder, region, chunk)
    _validate(builder)
    return builder


def _region_name(region: Region, builder: _Builder) -> str:
    if not region.name:
        raise CorpusError(f"语料数据有误：{builder.source.key} 的 {region.kind} 区段缺少 name")
    return region.name


def _parse_named(builder: _Builder, region: Region, chunk: list[_Line]) -> None:
    name = _region_name(region, builder)
    node = builder.open(name, "named", region.label or name, parent=None, heading=None)
    for line in chunk:
        if not line.blank:
            builder.add(_prose(line.text), node)


def _parse_articles(builder: _Builder, texts: list[str]) -> None:
    chapter: _Node | None = None
    article: _Node | None = None
    item: _Node | None = None
    for text in texts:
        if m := _CHAPTER.match(text):
            title = _despace(m.group(2)) or None
            chapter = builder.open(
                f"第{m.group(1)}章",
                "chapter",
                f"第{m.group(1)}章",
                parent=None,
                heading=f"第{m.group(1)}章 {title or ''}".strip(),
                first=title or "",
                title=title,
                number=cn_to_int(m.group(1)),
            )
            article = item = None
        elif m := _ARTICLE.match(text):
            number = cn_to_int(m.group(1))
            rest = m.group(2)
            article = builder.open(
                str(number),
                "article",
                f"第{m.group(1)}条",
                parent=chapter,
                heading=f"第{m.group(1)}条 {rest}".rstrip(),
                first=rest,
                number=number,
            )
            item = None
        elif article is not None and (m := _ITEM.match(text)):
            rest = m.group(2)
            item = builder.open(
                f"{article.path}({m.group(1)})",
                "item",
                f"{article.label}第（{m.group(1)}）项",
                parent=article,
                heading=text,
                first=rest,
                title=_item_title(rest, False),
                number=cn_to_int(m.group(1)),
            )
        elif article is not None and (m := _SUB.match(text)):
            _open_subitem(builder, item or article, m, text)
        elif article is not None:
            builder.add(text, article)
            item = None
        elif chapter is not None:
            builder.add(text, chapter)
        else:
            raise CorpusError(
                f"语料数据有误：{builder.source.short}正文在第一条之前有无法归属的段落：“{text[:30]}”"
            )


def _open_subitem(builder: _Builder, owner: _Node, m: re.Match[str], text: str) -> None:
    """Open a numbered sub-item ("1." …) under an item, article or part."""
    rest = m.group(2)
    sub_title = _SUB_TITLE.match(rest)
    builder.open(
        f"{owner.path}{m.group(1)}",
        "subitem",
        f"{owner.label}第{m.group(1)}目",
        parent=owner,
        heading=text,
        first=rest,
        title=sub_title.group(1) if sub_title else None,
        number=int(m.group(1)),
    )


def _parse_sections(
    builder: _Builder, texts: list[str], *, prefix: str, parent: _Node | None, unique: bool
) -> None:
    layout = builder.source.layout
    label_prefix = parent.label if parent is not None else ""
    part: _Node | None = None
    item: _Node | None = None
    for text in texts:
        if m := _PART.match(text):
            rest = m.group(2)
            part = builder.open(
                f"{prefix}{m.group(1)}",
                "part",
                label_prefix + layout.part_label.format(n=m.group(1)),
                parent=parent,
                heading=text,
                first=rest,
                title=_item_title(rest, True) or rest or None,
                number=cn_to_int(m.group(1)),
            )
            item = None
        elif part is not None and (m := _ITEM.match(text)):
            rest = m.group(2)
            numeral = m.group(1)
            path = f"{prefix}({numeral})" if unique else f"{part.path}({numeral})"
            label = f"（{numeral}）" if unique else f"{part.label}（{numeral}）"
            item = builder.open(
                path,
                "item",
                label,
                parent=part,
                heading=text,
                first=rest,
                title=_item_title(rest, True),
                number=cn_to_int(numeral),
            )
        elif part is not None and (m := _SUB.match(text)):
            _open_subitem(builder, item or part, m, text)
        elif part is not None:
            builder.add(text, item or part)
        elif parent is not None:
            builder.add(text, parent)
        else:
            raise CorpusError(
                f"语料数据有误：{builder.source.short}正文在“一、”之前有无法归属的段落：“{text[:30]}”"
            )


def _annex_heading(name: str, text: str) -> str:
    return text[len(name) :].strip() if text.startswith(name) else text


def _parse_annex(builder: _Builder, region: Region, chunk: list[_Line]) -> None:
    name = _region_name(region, builder)
    body = [line for line in chunk if not line.blank]
    title = _annex_heading(name, body[0].text)
    if region.structure == "sections":
        annex = builder.open(
            name, "annex", name, parent=None, heading=body[0].text, first=title, title=title or None
        )
        texts = [_prose(line.text) for line in body[1:]]
        _parse_sections(builder, texts, prefix=name, parent=annex, unique=False)
        return
    # a flattened table: title lines, then blocks (rows) whose cells each start at a tab
    rest = chunk[1:]
    title_lines: list[str] = [title] if title else []
    index = 0
    while index < len(rest) and not rest[index].tab:
        if not rest[index].blank:
            title_lines.append(rest[index].text)
        index += 1
    full_title = "".join(title_lines)
    annex = builder.open(
        name, "annex", name, parent=None, heading=body[0].text, first=full_title, title=full_title or None
    )
    for row in _table_rows(rest[index:]):
        builder.add(row, annex)


def _table_rows(lines: list[_Line]) -> Iterable[str]:
    """Rebuild rows of a table flattened one cell per tab: blank lines separate rows."""
    cells: list[str] = []
    for line in [*lines, _Line("", "", False, False)]:
        if line.blank and not line.tab:
            if any(cells):
                while cells and not cells[-1]:
                    cells.pop()
                yield " | ".join(cells)
            cells = []
            continue
        pieces = line.cells.split("\t")
        head = pieces[0].strip()
        if head:
            if cells:
                cells[-1] += head
            else:
                cells.append(head)
        cells.extend(piece.strip() for piece in pieces[1:])


def _parse_forms(builder: _Builder, region: Region, chunk: list[_Line]) -> None:
    name = _region_name(region, builder)
    if not region.toc or not region.heading:
        raise CorpusError(f"语料数据有误：{builder.source.key} 的 forms 区段缺少 toc 或 heading")
    toc_rx = re.compile(region.toc)
    heading_rx = re.compile(region.heading)
    first = chunk[0]
    title = _annex_heading(name, first.text)
    annex = builder.open(
        name, "annex", name, parent=None, heading=first.text, first=title, title=title or None
    )

    # table of contents
    toc: list[str] = []
    index = 1
    while index < len(chunk):
        line = chunk[index]
        m = toc_rx.match(line.text) if not line.blank else None
        if m and int(m.group(1)) == len(toc) + 1:
            toc.append(m.group(2).strip())
        elif toc and (m or not line.blank):
            break
        elif not line.blank and annex.title is None and not re.fullmatch(r"目\s*录", line.text):
            annex.title = line.text
        if not line.blank:
            builder.add(line.text, annex)
        index += 1
    if not toc:
        raise CorpusError(f"语料数据有误：{builder.source.short}{name}没有目录")

    # the forms, in TOC order
    lines = chunk[index:]
    if region.join_wrapped:
        lines = _join_wrapped(lines, heading_rx)
    form: _Node | None = None
    pending_blank = False
    for line in lines:
        expected = (form.number or 0) + 1 if form is not None else 1
        m = heading_rx.match(line.text) if not line.blank else None
        if m and int(m.group(1)) == expected and expected <= len(toc):
            toc_title = toc[expected - 1]
            form = builder.open(
                f"{name}[{expected}]",
                "form",
                f"{name}[{expected}] {toc_title}",
                parent=annex,
                heading=line.text,
                first=m.group(2).strip(),
                title=toc_title,
                number=expected,
            )
            pending_blank = False
            continue
        owner = form or annex
        if line.blank:
            pending_blank = region.blank_lines == "keep" and form is not None
            continue
        if pending_blank and builder.rows and builder.rows[-1].text:
            builder.add("", owner)
        pending_blank = False
        builder.add(line.text, owner)
    found = len(annex.children)
    if found != len(toc):
        raise CorpusError(
            f"语料数据有误：{builder.source.short}{name}目录列出{len(toc)}种示范文本，正文只找到{found}种"
        )


def _join_wrapped(lines: list[_Line], heading_rx: re.Pattern[str]) -> list[_Line]:
    """Join consecutive non-blank lines without tabs (a paragraph wrapped by the converter)."""
    out: list[_Line] = []
    previous_blank = True
    for line in lines:
        joinable = not line.blank and not line.tab and not heading_rx.match(line.text)
        if out and not previous_blank and joinable and not out[-1].tab and not heading_rx.match(out[-1].text):
            head = out[-1].text
            sep = " " if line.lead_ws or (head[-1:] in "年月" and line.text[:1] in "月日") else ""
            out[-1] = _Line(head + sep + line.text, out[-1].cells + sep + line.cells, False, out[-1].lead_ws)
        else:
            out.append(line)
        previous_blank = line.blank
    return out


def _validate(builder: _Builder) -> None:
    """Check numbering: articles 1..N once each, items consecutive except declared gaps."""
    source = builder.source
    articles = [n.number for n in builder.nodes if n.kind == "article"]
    if articles and articles != list(range(1, len(articles) + 1)):
        raise CorpusError(f"语料数据有误：{source.short}的条文编号不连续：{articles}")
    groups: dict[tuple[int, str], list[_Node]] = {}
    for node in builder.nodes:
        if node.kind in ("item", "part", "subitem", "chapter"):
            unique = node.kind == "item" and source.layout.items_unique
            groups.setdefault((0 if unique else id(node.parent), node.kind), []).append(node)
    for nodes in groups.values():
        expected = 1
        for node in nodes:
            while f"({int_to_cn(expected)})" in source.layout.missing and node.kind == "item":
                expected += 1
            if node.number != expected:
                raise CorpusError(
                    f"语料数据有误：{source.short}中{node.label}的编号不连续（应为第{expected}个）"
                )
            expected += 1


