"""Self-contained HTML: one file, inline CSS, the GB/T 9704 layout intent for print.

``@page`` gives A4 with the 37/26/35/28 mm margins and the page number ``— n —`` at the bottom
outside corner (odd right, even left); body text is 3号 (16 pt) 仿宋 with a 28.95 pt line and
character spacing for 28 characters per line; headings 黑体/楷体/仿宋; titles 小标宋. Each face is a
stack: the GB/T 9704 face first, then the Windows, macOS and Noto stand-ins.
"""

from __future__ import annotations

from ecodoc.tree import Document, PageBreak, Paragraph, Run, Table

from .common import (
    BODY_PT,
    CHAR_SPACING,
    LINE_PITCH,
    PAGE_NUMBER_PT,
    ROLES,
    TABLE_LINE,
    TABLE_PT,
    column_twips,
    table_grid,
    xml_escape,
)

HTML_MIME = "text/html; charset=utf-8"

_STACKS = {
    "fangsong": '"仿宋_GB2312", "仿宋", FangSong, STFangsong, "Noto Serif CJK SC", "Source Han Serif SC", serif',
    "kaiti": '"楷体_GB2312", "楷体", KaiTi, STKaiti, "Noto Serif CJK SC", "Source Han Serif SC", serif',
    "heiti": '"黑体", SimHei, STHeiti, "Noto Sans CJK SC", "Source Han Sans SC", sans-serif',
    "songti": '"宋体", SimSun, STSong, "Noto Serif CJK SC", "Source Han Serif SC", serif',
    "xiaobiaosong": '"方正小标宋简体", "方正小标宋_GBK", "华文中宋", STZhongsong, "Noto Serif CJK SC", serif',
}
_LINE = f"{LINE_PITCH / 20:.2f}pt"


def _css() -> str:
    rules = [
        "@page{size:A4;margin:37mm 26mm 35mm 28mm}",
        f"@page :right{{@bottom-right{{content:\"— \" counter(page) \" —\";font:{PAGE_NUMBER_PT}pt {_STACKS['songti']};"
        "margin-right:1em;vertical-align:top;padding-top:7mm}}",
        f"@page :left{{@bottom-left{{content:\"— \" counter(page) \" —\";font:{PAGE_NUMBER_PT}pt {_STACKS['songti']};"
        "margin-left:1em;vertical-align:top;padding-top:7mm}}",
        "html{background:#eee}",
        f"body{{margin:0 auto;padding:37mm 26mm 35mm 28mm;width:156mm;background:#fff;color:#000;"
        f"font:{BODY_PT}pt/{_LINE} {_STACKS['fangsong']};letter-spacing:{CHAR_SPACING / 20}pt}}",
        "@media print{html{background:none}body{padding:0;width:auto}}",
        "p{margin:0;text-align:justify;text-indent:2em}",
        ".blank{display:inline-block;border-bottom:1px solid #000;vertical-align:baseline}",
        "u{text-underline-offset:.15em}",
        ".pagebreak{break-after:page;height:0}",
        "table{border-collapse:collapse;width:100%;table-layout:fixed;margin:0 0 .5em}",
        f"td{{border:.75pt solid #000;padding:0 4pt;font-size:{TABLE_PT}pt;line-height:{TABLE_LINE / 20:.0f}pt;"
        "letter-spacing:0;vertical-align:middle}",
        "table.noborder td{border:none}",
        "td p{text-indent:0}",
    ]
    for role, style in ROLES.items():
        decl = [f"font-family:{_STACKS[style.font]}", f"text-align:{style.align}", f"text-indent:{style.indent}em"]
        if style.size_pt != BODY_PT:
            decl.append(f"font-size:{style.size_pt}pt;letter-spacing:0")
        if style.right_indent:
            decl.append(f"padding-right:{style.right_indent}em")
        if style.before:
            decl.append(f"margin-top:{style.before / 20:.2f}pt")
        if style.after:
            decl.append(f"margin-bottom:{style.after / 20:.2f}pt")
        if style.keep_next:
            decl.append("break-after:avoid")
        if role == "title":
            decl.append("font-weight:normal")
        rules.append(f".{role}{{{';'.join(decl)}}}")
    rules.append(f".f-heiti{{font-family:{_STACKS['heiti']}}}.f-kaiti{{font-family:{_STACKS['kaiti']}}}"
                 f".f-fangsong{{font-family:{_STACKS['fangsong']}}}.f-songti{{font-family:{_STACKS['songti']}}}"
                 f".f-xiaobiaosong{{font-family:{_STACKS['xiaobiaosong']}}}")
    return "".join(rules)


_CSS = _css()
_TAGS = {"title": "h1", "h1": "h2", "h2": "h3", "h3": "h4", "h4": "h5"}
_HEADING_RESET = "h1,h2,h3,h4,h5{margin:0;font-size:inherit;font-weight:normal}"


def _run(run: Run) -> str:
    if run.br:
        return "<br>"
    if run.blank:
        return f'<span class="blank" style="width:{run.blank}em"></span>'
    html = xml_escape(run.text).replace("\n", "<br>")
    if run.font:
        html = f'<span class="f-{run.font}">{html}</span>'
    if run.underline:
        html = f"<u>{html}</u>"
    if run.bold:
        html = f"<b>{html}</b>"
    return html


def _paragraph(p: Paragraph, cell_align: str | None = None) -> str:
    tag = _TAGS.get(p.role, "p")
    style = []
    align = p.align or cell_align
    if align:
        style.append(f"text-align:{align}")
    if p.indent is not None:
        style.append(f"text-indent:{p.indent}em")
    attr = f' style="{";".join(style)}"' if style else ""
    return f'<{tag} class="{p.role}"{attr}>{"".join(_run(r) for r in p.runs) or "&#8203;"}</{tag}>'


def _table(t: Table) -> str:
    columns, grid = table_grid(t)
    widths = column_twips(t, columns, total=10000)
    css_class = "" if t.borders else ' class="noborder"'
    out = [f"<table{css_class}><colgroup>"]
    out += [f'<col style="width:{w / 100:.2f}%">' for w in widths]
    out.append("</colgroup>")
    for slots in grid:
        out.append("<tr>")
        for slot in slots:
            if slot.continued:
                continue
            cell = slot.cell
            attrs = []
            if slot.colspan > 1:
                attrs.append(f'colspan="{slot.colspan}"')
            if cell.rowspan > 1:
                attrs.append(f'rowspan="{cell.rowspan}"')
            style = [f"text-align:{cell.align}", f"vertical-align:{'middle' if cell.valign == 'center' else cell.valign}"]
            if cell.min_height:
                style.append(f"height:{cell.min_height * TABLE_LINE / 20:.1f}pt")
            attrs.append(f'style="{";".join(style)}"')
            body = "".join(_paragraph(p, cell.align) for p in cell.blocks)
            out.append(f"<td {' '.join(attrs)}>{body}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def html_text(doc: Document) -> str:
    """A complete HTML document for a block tree."""
    body: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            body.append(_paragraph(block))
        elif isinstance(block, Table):
            body.append(_table(block))
        elif isinstance(block, PageBreak):
            body.append('<div class="pagebreak"></div>')
    meta = "".join(f'<meta name="{name}" content="{xml_escape(value)}">' for name, value in (
        ("generator", "ecoclaim"), ("ecoclaim-form", doc.kind), ("ecoclaim-variant", doc.variant),
        ("ecoclaim-model-text", doc.model_text or "")) if value)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">{meta}'
            f"<title>{xml_escape(doc.title)}</title><style>{_HEADING_RESET}{_CSS}</style></head>\n"
            f"<body>\n{chr(10).join(body)}\n</body></html>\n")


def html_bytes(doc: Document) -> bytes:
    return html_text(doc).encode("utf-8")
