"""Checking is linear in the size of the document (RELIABILITY-REVIEW D2): for every hostile shape
(repeated party labels with identifiers, identifier lines, dates, amounts, numbered headings,
organisation names, one long line) checking 4× the text costs at most 5× the work. Work is counted,
not timed: the number of function calls the profiler sees (Python and built-in), the same on every
machine and under any load. A regular expression that backtracks does its work inside one call, so a
coarse CPU-time ratio (at most 10×, where quadratic work gives 16×) guards that, each size measured
interleaved with the other and the least of several runs kept. Beyond the hard caps a document is
refused with a Chinese message."""

from __future__ import annotations

import gc
import sys
import time

import pytest

from checkers.check import check_text
from checkers.rules.limits import MAX_FINDINGS_PER_RULE, MAX_TEXT_CHARS, MAX_VALUES, DocumentTooComplex
from ecokernel.identifiers import validate_ric

TITLE = "生态环境损害赔偿协议\n"
SHAPES = {
    "party_ids": "甲方：南通某某化工有限公司\n统一社会信用代码：91320600MA1XXXXX0X\n乙方：王某某\n身份证号码：320602198001011234\n",
    "party_names": "甲方：南通某某化工有限公司{i}\n乙方：南通某某化工有限责任公司{i}\n",
    "id_lines": "身份证号码：320602198001011234\n",
    "dates": "2025年2月14日召开磋商会议，2024年十二月二十七日送达告知书。\n",
    "amounts": "赔偿金额1,286,400.00元（大写：人民币壹佰贰拾捌万陆仟肆佰元整），其中￥12.5万元。\n",
    "orgs": "南通市某某环保科技有限公司、某某养殖场、某某砖厂、",
    "single_line": "甲方乙方赔偿协议生态环境损害",
    "numbering": "第一条 一、（一）1.（1）赔偿义务人应当于2025年3月1日前支付。\n",
    "bare_ids": "91320600MA1XXXXX0X 与说明文字 320602198001011234 及其他文字内容，",
}
BASE_CHARS = 20_000  # 4x stays under every cap (5,000 dates, amounts, identifiers)


def _text(unit: str, chars: int) -> str:
    n = max(1, chars // len(unit))
    return TITLE + "".join(unit.replace("{i}", str(i % 150)) for i in range(n))


def _calls(text: str) -> int:
    """Function calls (Python and built-in) made by one check of ``text``."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    check_text(text, kind="agreement", jurisdiction="national")  # warm caches (compiled patterns, rules)
    sys.setprofile(profile)
    try:
        check_text(text, kind="agreement", jurisdiction="national")
    finally:
        sys.setprofile(None)
    return count


def _cpu_pair(small: str, large: str) -> tuple[float, float]:
    """Least CPU time of five checks of each text, the two measured in turn, with the cyclic garbage
    collector paused (its passes depend on what else the process holds, not on the document)."""
    best = [float("inf"), float("inf")]
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            for i, text in enumerate((small, large)):
                start = time.process_time()
                check_text(text, kind="agreement", jurisdiction="national")
                best[i] = min(best[i], time.process_time() - start)
    finally:
        gc.enable()
    return best[0], best[1]


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES)
def test_four_times_the_text_costs_at_most_five_times_the_work(shape):
    small, large = _text(SHAPES[shape], BASE_CHARS), _text(SHAPES[shape], 4 * BASE_CHARS)
    calls_small, calls_large = _calls(small), _calls(large)
    assert calls_large <= 5 * calls_small, f"{shape}: {calls_small} → {calls_large} calls"
    cpu_small, cpu_large = _cpu_pair(small, large)
    assert cpu_large <= 10 * max(cpu_small, 0.01), f"{shape}: {cpu_small:.3f}s → {cpu_large:.3f}s"


def test_too_much_text_is_refused_in_chinese():
    with pytest.raises(DocumentTooComplex, match="超过审查上限"):
        check_text(TITLE + "甲" * (MAX_TEXT_CHARS + 1), kind="agreement")


def test_too_many_identifiers_are_refused_in_chinese():
    limit = MAX_VALUES["identifiers"][0]
    with pytest.raises(DocumentTooComplex, match="证件号码超过"):
        check_text(_text(SHAPES["id_lines"], len(SHAPES["id_lines"]) * (limit + 10)), kind="agreement")


def test_findings_of_one_rule_are_capped_with_a_note():
    wrong = "320602198001011239"
    assert validate_ric(wrong) is not None
    report = check_text(_text(f"身份证号码：{wrong}\n", 4_000), kind="agreement")
    invalid = [f for f in report.findings if f.rule == "ID-RIC"]
    assert len(invalid) == MAX_FINDINGS_PER_RULE
    assert any("ID-RIC" in note and f"前 {MAX_FINDINGS_PER_RULE} 处" in note for note in report.notes)
