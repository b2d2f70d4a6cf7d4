"""``explain RULE`` and the Markdown rule docs (docs/rules/<CODE>.md) from the same data."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from checkers.rules.registry import PARAMETER_RX, Rule, load_rules
from corpus import load_corpus
from corpus.profiles import load_profiles, parameter_specs
from ecokernel import clock, datafile
from ecokernel.clock import DOCS_AS_OF
from ecokernel.cnfmt import format_date
from ecokernel.errors import UserError

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "rules"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"
_SEV = {"error": "错误", "warning": "警告", "info": "提示"}


def get_rule(code: str) -> Rule:
    rules = load_rules()
    key = code.strip().upper()
    if key in rules:
        return rules[key]
    close = difflib.get_close_matches(key, list(rules), n=3)
    hint = f"，是否指：{'、'.join(close)}" if close else ""
    raise UserError(f"没有规则“{code}”{hint}（共{len(rules)}条规则，见 docs/rules/README.md）")


def fixtures_of(code: str) -> dict[str, Any]:
    path = FIXTURES / f"{code}.yaml"
    if not path.exists():
        return {}
    return datafile.safe_load(path.read_text(encoding="utf-8")) or {}


def _gist(text: str, n: int = 90) -> str:
    one = " / ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return one if len(one) <= n else one[: n - 1] + "…"


def _readable(text: str) -> str:
    """Rule text with each ``{parameter}`` named by its label and the value each jurisdiction's
    profile gives it (the number differs by jurisdiction and is declared only there)."""
    specs = parameter_specs()
    profiles = load_profiles()

    def name(m: re.Match[str]) -> str:
        if m[1] not in specs:
            return m[0]
        values = "，".join(f"{p.name}{param.text}" for p in profiles.values() if (param := p.param(m[1])))
        return f"〔辖区参数“{specs[m[1]].label}”：{values or '各辖区均未规定'}〕"
    return PARAMETER_RX.sub(name, text)


def _scope(rule: Rule) -> str:
    kinds = "、".join(rule.doc_types) or "所有文书"
    if rule.recited_in:
        kinds += f"（{'、'.join(rule.recited_in)} 转述协议时：只报告转述中写明免除的，不要求转述写到）"
    jur = "、".join(rule.jurisdictions) or "所有辖区"
    param = f"；辖区配置须有参数 {rule.param}" if rule.param else ""
    return f"{kinds}；{jur}{param}"


def _basis_lines(rule: Rule, on: dt.date) -> list[tuple[str, str, str]]:
    corpus = load_corpus()
    lines = []
    refs = list(rule.basis) or [r for refs in rule.basis_by_jurisdiction.values() for r in refs]
    for ref in refs:
        unit = corpus.get(ref.address)
        code, why = corpus.source_status(unit.source, on)
        note = "" if code == "in_force" else f"〔{why}〕"
        if ref.unverified:
            note += f"〔未经核实：{ref.unverified}；据此报告的问题至多为警告〕"
        lines.append((f"{corpus.cite(ref.address)}（{unit.address}）{note}", ref.quote or unit.text, code))
    for jur, refs in rule.basis_by_jurisdiction.items():
        if refs and rule.basis:
            lines.append((f"{jur} 辖区改引：" + "、".join(r.address for r in refs), "", ""))
    return lines


def explain_rule(code: str) -> str:
    rule = get_rule(code)
    fx = fixtures_of(rule.code)
    out = [f"{rule.code}  {rule.title}",
           f"  要素：{rule.element or '—'}    类别：{rule.category}    严重程度：{_SEV[rule.severity]}（{rule.severity}）",
           f"  适用：{_scope(rule)}",
           f"  类型：{'数据规则（模式+否定/空泛识别）' if rule.type == 'element' else '计算规则 ' + (rule.check or '')}",
           "", "说明", f"  {_readable(rule.doc)}", "", "报告内容", f"  {_readable(rule.message)}"]
    if rule.suggestion:
        out += [f"  建议：{_readable(rule.suggestion)}"]
    if fx:
        out += ["", "示例"]
        for case in fx.get("pass", [])[:3]:
            out.append(f"  通过  {_gist(case if isinstance(case, str) else case['text'])}")
        for case in fx.get("fail", [])[:3]:
            out.append(f"  报告  {_gist(case if isinstance(case, str) else case['text'])}")
    out += ["", "依据"]
    for head, text, _code in _basis_lines(rule, clock.today()):
        out.append(f"  {head}")
        if text:
            out.append(f"    {text}")
    return "\n".join(out)


def rule_markdown(rule: Rule) -> str:
    fx = fixtures_of(rule.code)
    lines = [f"# {rule.code} — {rule.title}", "",
             "| | |", "|---|---|",
             f"| 要素 | `{rule.element or '—'}` |", f"| 类别 | `{rule.category}` |",
             f"| 严重程度 | {rule.severity} |", f"| 适用 | {_scope(rule)} |",
             f"| 定义 | `checkers/rules/data/{rule.source_file}`"
             + (f"，计算：`checkers/rules/computed.py::{rule.check}`" if rule.check else "") + " |",
             f"| 自 | {rule.since} |", "", _readable(rule.doc), "", f"**报告**：{_readable(rule.message)}", ""]
    if rule.suggestion:
        lines += [f"**建议**：{_readable(rule.suggestion)}", ""]
    if fx:
        lines += ["## 示例", ""]
        for case in fx.get("pass", [])[:2]:
            lines += ["通过：", "", "```text", (case if isinstance(case, str) else case["text"]).strip(), "```", ""]
        for case in fx.get("fail", [])[:2]:
            lines += ["报告：", "", "```text", (case if isinstance(case, str) else case["text"]).strip(), "```", ""]
    lines += ["## 依据", ""]
    lines += [f"效力状态以 {format_date(DOCS_AS_OF)} 为准（`ecoclaim explain {rule.code}` 按当日显示）。", ""]
    for head, text, _code in _basis_lines(rule, DOCS_AS_OF):
        lines.append(f"- {head}" + (f"：{text}" if text else ""))
    return "\n".join(lines).rstrip() + "\n"


def index_markdown() -> str:
    rules = load_rules()
    lines = ["# 审查规则", "", "由 `python -m checkers.rules.explain` 从 `checkers/rules/data/*.yaml` 生成，勿手改。"
             " 规则数据格式见 `checkers/rules/README.md`。", "",
             "| 代码 | 规则 | 要素 | 类别 | 严重程度 |", "|---|---|---|---|---|"]
    for r in rules.values():
        lines.append(f"| [{r.code}]({r.code}.md) | {r.title} | `{r.element or '—'}` | `{r.category}` | {r.severity} |")
    return "\n".join(lines) + "\n"


def write_docs(folder: Path = DOCS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in load_rules().values():
        path = folder / f"{rule.code}.md"
        path.write_text(rule_markdown(rule), encoding="utf-8")
        written.append(path)
    (folder / "README.md").write_text(index_markdown(), encoding="utf-8")
    return written


if __name__ == "__main__":
    print(f"{len(write_docs())} rule docs written to {DOCS}")
