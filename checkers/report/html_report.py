"""A self-contained HTML report: the document text with the findings highlighted, and the list
of findings beside it. Everything from the document or the findings is escaped."""

from __future__ import annotations

from html import escape
from itertools import pairwise

from checkers.findings import Finding, Report

_CSS = """
summary { cursor: pointer; } summary h2 { display: inline; } .toc table { border-collapse: collapse; margin: 8px 0 16px; }
.toc td, .toc th { border: 1px solid #ccc; padding: 2px 8px; }
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:0;color:#222}
header{background:#23395d;color:#fff;padding:12px 20px}
h1{font-size:18px;margin:0}h2{font-size:16px;margin:20px 0 8px}
.file{display:flex;gap:20px;padding:0 20px 30px;border-bottom:1px solid #ccc}
.doc{flex:3;white-space:pre-wrap;line-height:1.9;font-family:"Noto Serif CJK SC","FangSong",serif;
     border:1px solid #ddd;padding:16px;background:#fffef8;max-height:85vh;overflow:auto}
.list{flex:2;max-height:85vh;overflow:auto}
mark{padding:0 1px;border-radius:2px}
mark.error{background:#ffd6d6;border-bottom:2px solid #c00}
mark.warning{background:#fff1c2;border-bottom:2px solid #c90}
mark.info{background:#dcefff;border-bottom:2px solid #06c}
.f{border-left:4px solid #999;padding:6px 10px;margin:8px 0;background:#fafafa}
.f.error{border-color:#c00}.f.warning{border-color:#c90}.f.info{border-color:#06c}
.code{font-family:monospace;font-weight:bold}.q{color:#555}.basis{color:#666;font-size:13px}
.sug{color:#185c18;font-size:13px}.sum{font-weight:bold}
"""


def _marked(text: str, findings: list[tuple[int, Finding]]) -> str:
    spans = [(i, f) for i, f in findings if f.span and 0 <= f.span[0] < f.span[1] <= len(text)]
    cuts = sorted({0, len(text), *[f.span[0] for _, f in spans], *[f.span[1] for _, f in spans]})  # type: ignore[index]
    out = []
    for a, b in pairwise(cuts):
        covering = [(i, f) for i, f in spans if f.span[0] <= a and b <= f.span[1]]  # type: ignore[index]
        piece = escape(text[a:b])
        if covering:
            worst = min(covering, key=lambda x: {"error": 0, "warning": 1, "info": 2}[x[1].severity])[1]
            ids = " ".join(f"f{i}" for i, _ in covering)
            title = escape("；".join(f"{f.rule}：{f.message}" for _, f in covering), quote=True)
            first = covering[0][0]
            out.append(f'<mark class="{worst.severity}" data-f="{ids}" title="{title}">'
                       f'<a href="#f{first}" style="color:inherit;text-decoration:none">{piece}</a></mark>')
        else:
            out.append(piece)
    return "".join(out)


def _finding_html(i: int, f: Finding) -> str:
    parts = [f'<div class="f {f.severity}" id="f{i}"><span class="code">{escape(f.rule)}</span> ',
             f"{escape(f.message)}"]
    if f.location and f.location.text:
        parts.append(f'<div class="q">“{escape(f.location.text)}”</div>')
    if f.basis:
        cites = "；".join(escape(b.label) for b in f.basis)
        parts.append(f'<div class="basis">依据：{cites}</div>')
    if f.suggestion:
        parts.append(f'<div class="sug">建议：{escape(f.suggestion)}</div>')
    parts.append("</div>")
    return "".join(parts)


def render_html(reports: list[Report], *, color: bool = False, problems: list[tuple[str, str, str]] | None = None) -> str:
    """An HTML page (``color`` is a terminal's; HTML has its own)."""
    body = []
    if problems:  # the files that gave no report come first, so that none is taken for a clean one
        body.append('<section class="problems"><h2>未审查的文件</h2><ul>' + "".join(
            f"<li><strong>{'无法读取' if kind == 'unreadable' else '跳过'}</strong> {escape(file)}：{escape(reason)}</li>"
            for kind, file, reason in problems) + "</ul></section>")
    if len(reports) > 1:  # a table of contents with the counts; clean files start collapsed below
        rows = "".join(
            f'<tr><td><a href="#file-{n}">{escape(r.file)}</a></td><td>{r.errors}</td><td>{r.warnings}</td>'
            f"<td>{len(r.not_evaluated)}</td></tr>" for n, r in enumerate(reports))
        body.append('<nav class="toc"><table><thead><tr><th>文书</th><th>错误</th><th>警告</th><th>未能核对</th></tr>'
                    f"</thead><tbody>{rows}</tbody></table></nav>")
    counter = 0
    for n, report in enumerate(reports):
        numbered = []
        for f in report.findings:
            numbered.append((counter, f))
            counter += 1
        summary = f"{report.verdict}。{report.coverage.line}"
        opened = " open" if report.findings or report.not_evaluated or len(reports) == 1 else ""
        body.append(f'<details id="file-{n}"{opened}><summary>')
        body.append(f"<h2>{escape(report.file)} <small>（{escape(report.doc_type or '未识别')} · "
                    f"{escape(report.jurisdiction or '')}）</small></h2></summary>")
        body.append('<div class="file"><div class="doc">' + _marked(report.text or "", numbered) + "</div>")
        body.append(f'<div class="list"><div class="sum">{escape(summary)}</div>')
        if report.reading:
            body.append('<div class="unchecked"><strong>读取提示</strong><ul>' + "".join(
                f"<li>{escape(w)}</li>" for w in report.reading) + "</ul></div>")
        if report.accepted:
            body.append('<div class="unchecked"><strong>已接受</strong><ul>' + "".join(
                f"<li>{escape(a.finding.rule)} {escape(a.finding.message)}：理由：{escape(a.reason)}</li>"
                for a in report.accepted) + "</ul></div>")
        if report.not_evaluated:
            body.append('<div class="unchecked"><strong>未能核对</strong><ul>' + "".join(
                f"<li>{escape(u.rule)} {escape(u.title)}：{escape(u.reason)}</li>" for u in report.not_evaluated)
                + "</ul></div>")
        body.extend(_finding_html(i, f) for i, f in numbered)
        body.append("</div></div></details>")
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            "<title>ecoclaim 文书审查报告</title><style>" + _CSS + "</style></head><body>"
            "<header><h1>ecoclaim 文书审查报告</h1></header>" + "".join(body) + "</body></html>\n")
