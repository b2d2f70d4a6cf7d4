"""One document tree (issue 9, hinge 2): what the writers put in a DOCX or HTML file, the readers give
back as the same tree — the title, subtitle and heading roles, the closing's signature and date, the
document number, and tables with their merged cells — and the checker's flat view sees those headings
as headings."""

from __future__ import annotations

from datetime import date
from typing import get_args

import pytest

from casefile.validation import load_case
from checkers.extract import read_document, read_tree
from checkers.extract.text import clean
from corpus.forms import form_kinds
from docgen.render.render import render_form
from docgen.writers import WRITERS
from docgen.writers.common import ROLES
from ecodoc.ooxml import ROLE_STYLES
from ecodoc.tree import HEADING_ROLES, Cell, Document, Paragraph, Role, Row, Run, Table

from ..conftest import EXAMPLES

#: the formats whose files carry every role (Markdown has headings only, one level down from the title)
ROLE_FORMATS = {"docx": "docx", "html": "html"}
#: what a format gives back in place of a role: HTML writes the subtitle as <p class="subtitle">, and
#: a class never makes a paragraph a heading (HTML from elsewhere reads as it did before the tree)
LOST = {"html": {"subtitle": "body"}}


def para(text: str, role: Role = "body") -> Paragraph:
    return Paragraph(runs=[Run(text=text)], role=role)


def sample() -> Document:
    """Every role once, and a table whose first column merges two rows and whose first row spans."""
    roles = [r for r in get_args(Role) if r != "body"]
    return Document(kind="agreement", variant="guangxi", title="样例", blocks=[
        *[para(f"{role}文字", role) for role in roles],
        para("正文段落。"),
        Table(widths=[2, 3, 3], rows=[
            Row(cells=[Cell(blocks=[para("案件名称")]), Cell(blocks=[para("某某案")], colspan=2)]),
            Row(cells=[Cell(blocks=[para("意见")], rowspan=2), Cell(blocks=[para("同意")]),
                       Cell(blocks=[para("张三")])]),
            Row(cells=[Cell(blocks=[para("不同意")]), Cell(blocks=[para("李四")])]),
        ]),
    ])


def outline(doc: Document, fmt: str | None = None) -> list[tuple]:
    """The body's roles (with the text of headings) and its tables' shape: spans and cell texts; with
    ``fmt``, the roles as that format gives them back."""
    out: list[tuple] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph) and block.part == "body" and clean(block.text.replace("＿", "")):
            role = LOST.get(fmt or "", {}).get(block.role, block.role)
            out.append((role, _text([block]) if role in HEADING_ROLES else ""))
        elif isinstance(block, Table):
            out.append(("table", [[(c.colspan, c.rowspan, _text(c.blocks)) for c in row.cells] for row in block.rows]))
    return out


def _text(paragraphs: list[Paragraph]) -> str:
    """Text as the checker reads it, without spaces: a fill-in line is written as underlined spaces."""
    return clean("\n".join(p.text.replace("＿", "") for p in paragraphs)).replace(" ", "")


def test_every_role_has_one_word_style_and_one_layout():
    assert set(ROLE_STYLES) == set(ROLES) == set(get_args(Role))


@pytest.mark.parametrize("fmt", ROLE_FORMATS)
def test_a_written_tree_reads_back_as_the_same_tree(fmt):
    doc = sample()
    back = read_tree(WRITERS[fmt](doc), filename=f"样例.{ROLE_FORMATS[fmt]}")
    assert outline(back) == outline(doc, fmt)
    table = next(b for b in back.blocks if isinstance(b, Table))
    # a DOCX cell is numbered by its grid column; an HTML cell by its place among the row's <td>s
    columns = {"docx": [[1, 2], [1, 2, 3], [2, 3]], "html": [[1, 2], [1, 2, 3], [1, 2]]}[fmt]
    assert [[c.location.cell for c in row.cells] for row in table.rows] == columns


@pytest.mark.parametrize("fmt", ROLE_FORMATS)
def test_the_flat_view_sees_the_written_headings(fmt):
    view = read_document(WRITERS[fmt](sample()), filename=f"样例.{ROLE_FORMATS[fmt]}")
    headings = [b.text for b in view.blocks if b.kind == "heading"]
    assert headings == [f"{role}文字" for role in get_args(Role)
                        if LOST.get(fmt, {}).get(role, role) in HEADING_ROLES]
    cells = [(b.text, b.location.row, b.location.cell) for b in view.blocks if b.kind == "table_cell"]
    assert cells[:3] == [("案件名称", 1, 1), ("某某案", 1, 2), ("意见", 2, 1)]


def test_markdown_keeps_the_heading_levels_one_down_from_the_title():
    back = read_tree(WRITERS["md"](sample()), filename="样例.md")
    roles = [b.role for b in back.blocks if isinstance(b, Paragraph) and b.role in HEADING_ROLES]
    assert roles == ["h1", "h2", "h3", "h4", "h4"]  # title, h1, h2, h3, h4 written as # … #####


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_generated_form_reads_back_with_its_roles_and_tables(example):
    case = load_case(example)
    for kind in form_kinds():
        doc = render_form(case, kind, today=date(2026, 11, 23))
        for fmt, ext in ROLE_FORMATS.items():
            back = read_tree(WRITERS[fmt](doc), filename=f"{kind}.{ext}")
            assert outline(back) == outline(doc, fmt), (kind, fmt)
