"""Reporters: JSON = SPEC §4, SARIF 2.1.0 structure, HTML self-contained and escaped, text grouped."""

from __future__ import annotations

import json
import re

from checkers.check import check_text
from checkers.report import render

HOSTILE = """生态环境损害赔偿协议
甲方：<script>alert("x")</script>南宁市生态环境局
乙方：某&某"公司'<b>
违约责任另行约定。
赔偿费用共计人民币1,286,400元（大写：人民币壹佰贰拾捌万陆仟元整）。
"""


def _report():
    return check_text(HOSTILE, file="<协议>&.txt", kind="agreement", jurisdiction="guangxi")


def test_json_single_and_list():
    r = _report()
    one = json.loads(render([r], "json"))
    assert one["file"] == "<协议>&.txt" and one["findings"]
    many = json.loads(render([r, r], "json"))
    assert isinstance(many, list) and len(many) == 2


def test_sarif_structure():
    r = _report()
    log = json.loads(render([r], "sarif"))
    assert log["version"] == "2.1.0" and "sarif" in log["$schema"]
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [d["id"] for d in rules]
    assert run["tool"]["driver"]["name"] == "ecoclaim" and len(ids) == len(set(ids))
    assert run["results"]
    for res in run["results"]:
        assert res["ruleId"] in ids and ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        assert res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "<协议>&.txt"
        if "region" in loc:
            assert loc["region"]["startLine"] >= 1
    for d in rules:
        assert d["shortDescription"]["text"] and d["defaultConfiguration"]["level"] in ("error", "warning", "note")


def test_html_escapes_everything_and_is_self_contained():
    page = render([_report()], "html")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "&lt;协议&gt;&amp;.txt" in page
    assert not re.search(r"<(?:link|script|img)\b", page)  # no external resources, no scripts
    assert '<mark class="error"' in page  # findings highlighted in the document
    assert page.count("<mark") >= 2


def test_text_grouped_with_quote_and_basis():
    text = render([_report()], "text")
    assert "错误（" in text and "AGR-BREACH" in text and "依据：" in text and "建议：" in text
    assert "“违约责任另行约定。”" in text
    assert text.index("错误（") < text.index("警告（") if "警告（" in text else True


def test_html_report_of_several_files_has_contents_and_collapses_clean_files():
    from checkers.check import check_text
    from checkers.report import render

    clean = check_text("生态环境损害赔偿协议\n金额1,000元（大写：人民币壹仟元整）。\n", file="clean.txt", kind="agreement",
                       jurisdiction="national", only={"AMT-WORDS"})
    wrong = check_text("生态环境损害赔偿协议\n金额1,000元（大写：人民币壹仟伍佰元整）。\n", file="wrong.txt", kind="agreement",
                       jurisdiction="national", only={"AMT-WORDS"})
    html = render([clean, wrong], "html")
    assert '<nav class="toc">' in html and 'href="#file-0"' in html and 'href="#file-1"' in html
    assert '<details id="file-0">' in html and '<details id="file-1" open>' in html
