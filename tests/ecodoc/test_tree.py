"""The document tree's own helpers: text as runs and back, heading levels as roles, reading order."""

from __future__ import annotations

import pytest

from ecodoc.ooxml import role_of_style
from ecodoc.tree import Cell, Document, Paragraph, Row, Table, heading_role, runs_of


@pytest.mark.parametrize("text", ["", "一行", "第一行\n第二行", "\n前有换行", "后有换行\n", "空行\n\n之后"])
def test_text_as_runs_gives_the_text_back(text):
    assert Paragraph(runs=runs_of(text)).text == text


def test_heading_levels_become_roles_down_to_h4():
    assert [heading_role(n) for n in range(7)] == ["title", "h1", "h2", "h3", "h4", "h4", "h4"]


def test_word_style_names_map_back_to_roles():
    assert (role_of_style("heading 2"), role_of_style("Signature"), role_of_style("TITLE")) == ("h2", "signature", "title")
    assert role_of_style("Normal") == "body" and role_of_style("某单位正文") is None and role_of_style(None) is None


def test_paragraphs_are_in_reading_order_cells_included():
    doc = Document(blocks=[
        Paragraph(runs=runs_of("前")),
        Table(rows=[Row(cells=[Cell(blocks=[Paragraph(runs=runs_of("甲"))]),
                               Cell(blocks=[Paragraph(runs=runs_of("乙"))], rowspan=2)])]),
        Paragraph(runs=runs_of("后"), part="footer"),
    ])
    assert [p.text for p in doc.paragraphs()] == ["前", "甲", "乙", "后"]
    assert doc.plain_text() == "前\n甲\n乙\n后"
