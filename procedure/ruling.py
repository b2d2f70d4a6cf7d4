"""Reading a 民事裁定书 (the court's confirmation ruling) into the case file (issue 11 §5).

``read_ruling(text)`` finds the ruling's 案号, court, date and outcome in its text (the caller reads the
file: ``checkers.extract.read_document``, hostile-input hardened). ``apply_ruling(yaml_text, facts)``
writes them into ``judicial_confirmation`` by editing only the lines concerned, so the case file's
comments, order and layout stay as the department wrote them (the project has no YAML round-trip
library); the result is validated before anyone writes it.

The fields: ``judicial_confirmation.ruling_number`` (a 民特 number: 确认调解协议 is a special-procedure
case, 民诉法 第一百八十四条), ``court`` (the court that made the ruling, which also enforces it, 民诉法解释
第四百六十条), ``ruling_date`` (from which the objection window and, without a performance period, the
enforcement period run: 民诉法解释 第三百七十二条, 民诉法 第二百五十条) and ``confirmed``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from ecokernel.cnfmt import COURT_CASE_NUMBER_RE, DATE_FINDER, parse_cn_date
from ecokernel.errors import FormatError, UserError

SECTION = "judicial_confirmation"

_COURT = re.compile(r"^[\u4e00-\u9fff（）()]{2,40}人民法院$")
_CONFIRMED = re.compile(r"(?:协议|调解协议)[^。\n]{0,20}有效")
_DISMISSED = re.compile(r"驳回[^。\n]{0,10}申请")


class RulingError(UserError):
    """The ruling cannot be read into the case file (nothing found, or the case file cannot take it)."""


@dataclass(frozen=True)
class RulingFacts:
    """What the ruling says, each None when the text does not say it."""

    number: str | None
    court: str | None
    day: date | None
    confirmed: bool | None

    def fields(self) -> dict[str, object]:
        """The case-file fields under ``judicial_confirmation`` this ruling sets, in the model's order."""
        found = {"court": self.court, "ruling_number": self.number, "ruling_date": self.day,
                 "confirmed": self.confirmed}
        return {k: v for k, v in found.items() if v is not None}


def read_ruling(text: str) -> RulingFacts:
    """The 案号, court, date and outcome of a 民事裁定书. Raises RulingError when it finds none of the
    first three, or when the text is not a ruling."""
    lines = [re.sub(r"\s+", "", line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not any("裁定" in line for line in lines):
        raise RulingError("文件中没有“裁定”字样，不像是民事裁定书；请提供法院送达的民事裁定书（PDF）")
    numbers = [f"（{m['year']}）{m.group(0)[m.end('close') - m.start():]}" for line in lines
               for m in COURT_CASE_NUMBER_RE.finditer(line) if len(m["year"]) == 4 and m["hao"]]
    number = next((n for n in numbers if "民特" in n), numbers[0] if numbers else None)
    head = lines[:12]
    court = next((line for line in head if _COURT.match(line)), None)
    day = None
    for line in reversed(lines):  # the ruling's date stands under the judges' names, near the end
        found = [m.group(0) for m in DATE_FINDER.finditer(line)]
        if found:
            try:
                day = parse_cn_date(found[-1].replace(" ", ""))
            except FormatError:
                continue
            break
    if number is None and court is None and day is None:
        raise RulingError("未能从文件中读出案号、法院和裁定日期：文件可能是扫描件（无文字层）或不是民事裁定书。"
                          "请提供带文字层的 PDF，或在案件数据 judicial_confirmation 中手工填写 ruling_number、court、"
                          "ruling_date")
    operative = "".join(lines[next((i for i, ln in enumerate(lines) if "裁定如下" in ln), len(lines)):])
    confirmed = True if _CONFIRMED.search(operative) else False if _DISMISSED.search(operative) else None
    return RulingFacts(number=number, court=court, day=day, confirmed=confirmed)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


def apply_ruling(text: str, facts: RulingFacts) -> str:
    """``text`` (a case file in YAML) with the ruling's fields set under ``judicial_confirmation``: an
    existing key's line is replaced (its trailing comment kept), a missing key is added at the end of
    the section; every other line is left as it was."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(rf"{SECTION}:\s*(#.*)?$", line)), None)
    if start is None:
        if re.search(rf"^{SECTION}:", text, re.MULTILINE):
            raise RulingError(f"案件数据的 {SECTION} 写成了单行（流式）形式，无法逐项填入；请改为每项一行后再试",
                              path=SECTION)
        raise RulingError(f"案件数据中尚无 {SECTION}（司法确认申请：受理法院 court、申请日期 applied）；"
                          "请先记录司法确认申请，再读入裁定书", path=SECTION)
    end = start + 1
    indent: str | None = None
    while end < len(lines):
        line = lines[end]
        if line.strip() and not line.startswith((" ", "\t", "#")):
            break
        if indent is None and line.strip() and not line.lstrip().startswith("#"):
            indent = line[: len(line) - len(line.lstrip())]
        end += 1
    indent = indent or "  "
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    for key, value in facts.fields().items():
        pattern = re.compile(rf"^{re.escape(indent)}{key}:(?P<value>[^#\n]*)(?P<rest>#.*)?(?P<nl>\n?)$")
        at = next((i for i in range(start + 1, end) if pattern.match(lines[i])), None)
        if at is not None:
            m = pattern.match(lines[at])
            assert m is not None
            comment = f"  {m['rest']}" if m["rest"] else ""
            lines[at] = f"{indent}{key}: {_scalar(value)}{comment}{m['nl'] or ''}"
        else:
            if end > 0 and not lines[end - 1].endswith("\n"):
                lines[end - 1] += "\n"
            lines.insert(end, f"{indent}{key}: {_scalar(value)}\n")
            end += 1
    return "".join(lines)
