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


def is_label(text: str) -> bool:
    """A table cell that is a field label: short, one line, starting with a known label, no colon."""
    text = text.strip().rstrip("：:")
    return (0 < len(text) <= _MAX_LABEL and "\n" not in text and not any(c in text for c in "：:")
            and text.startswith(_labels()))


def pair_cells(cells: list[str]) -> list[tuple[int, str]]:
    """A table row's cells → the texts to emit, as (index of the first cell, text).

    A row that alternates label and value cells (label | value [| label | value]) becomes
    "label：value" texts; any other row is returned cell by cell."""
    if len(cells) >= 2 and len(cells) % 2 == 0 and all(
            is_label(cells[i]) and cells[i + 1].strip() and not is_label(cells[i + 1])
            for i in range(0, len(cells), 2)):
        return [(i, f"{cells[i].strip().rstrip('：:')}：{cells[i + 1].strip()}") for i in range(0, len(cells), 2)]
    return list(enumerate(cells))


def colon_after_label(line: str) -> str:
    """"统一社会信用代码 91450100…" → "统一社会信用代码：91450100…" (a PDF table row's text)."""
    m = _spaced_line().match(line.strip())
    return f"{m['label']}：{m['value']}" if m else line
