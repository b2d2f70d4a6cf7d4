"""Tests for ecokernel.cnfmt: 人民币大写, figures, Chinese numerals, dates, 发文字号 and 案号."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecokernel.cnfmt import (
    COURT_CASE_NUMBER_RE,
    DOC_NUMBER_RE,
    RMB_UPPER_MAX,
    CourtCaseNumber,
    DocNumber,
    check_date_style,
    check_rmb_upper,
    cn_to_int,
    diagnose_court_case_number,
    diagnose_doc_number,
    format_date,
    int_to_cn,
    number_kind,
    parse_cn_date,
    parse_court_case_number,
    parse_doc_number,
    parse_figure_amount,
    parse_rmb_upper,
    rmb_upper,
)
from ecokernel.errors import FormatError

CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_chinese_error(excinfo: pytest.ExceptionInfo[FormatError], *fragments: str) -> None:
    """The error message is Chinese and contains every fragment."""
    message = str(excinfo.value)
    assert CJK.search(message), message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


# ---------------------------------------------------------------------------------------------
# 人民币大写: the worked examples of LEGAL-FACTS §2, both directions
# ---------------------------------------------------------------------------------------------

# (figure, canonical output, other forms the rules allow)
WORKED_EXAMPLES = [
    ("1409.50", "人民币壹仟肆佰零玖元伍角", ["人民币壹仟肆佰零玖元伍角整", "人民币壹仟肆佰零玖元伍角正"]),
    ("6007.14", "人民币陆仟零柒元壹角肆分", []),
    ("1680.32", "人民币壹仟陆佰捌拾元零叁角贰分", ["人民币壹仟陆佰捌拾元叁角贰分"]),
    (
        "107000.53",
        "人民币壹拾万柒仟元零伍角叁分",
        ["人民币壹拾万零柒仟元伍角叁分", "人民币壹拾万零柒仟元零伍角叁分", "人民币壹拾万柒仟元伍角叁分"],
    ),
    ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分", []),
    ("325.04", "人民币叁佰贰拾伍元零肆分", []),
    ("100000", "人民币壹拾万元整", ["人民币壹拾万元正", "人民币拾万元整", "壹拾万元整"]),
    ("0.5", "人民币伍角", ["人民币伍角整", "人民币零元伍角"]),
    ("0", "人民币零元整", ["零元整", "人民币零元正"]),
]


@pytest.mark.parametrize(("figure", "words", "variants"), WORKED_EXAMPLES)
def test_worked_examples_format(figure: str, words: str, variants: list[str]) -> None:
    assert rmb_upper(Decimal(figure)) == words


@pytest.mark.parametrize(("figure", "words", "variants"), WORKED_EXAMPLES)
def test_worked_examples_parse_all_variants(figure: str, words: str, variants: list[str]) -> None:
    for text in [words, words.removeprefix("人民币"), *variants]:
        assert parse_rmb_upper(text) == Decimal(figure), text


@pytest.mark.parametrize(
    "text",
    [
        "人民币壹仟陆佰捌拾元叁角贰分",
        "人民币壹拾万零柒仟元伍角叁分",
        "人民币壹拾万柒仟元零伍角叁分",
        "人民币壹仟肆佰零玖元伍角整",
        "人民币壹拾亿柒仟万元整",
        "人民币壹拾亿零柒仟万元整",
        "人民币壹亿柒仟元整",
    ],
)
def test_allowed_variants_have_no_style_problem(text: str) -> None:
    assert check_rmb_upper(text) == []


@pytest.mark.parametrize(
    ("figure", "words"),
    [
        ("10", "壹拾元整"),
        ("11", "壹拾壹元整"),
        ("110000", "壹拾壹万元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("100007000", "壹亿零柒仟元整"),
        ("100010000", "壹亿零壹万元整"),
        ("101000000", "壹亿零壹佰万元整"),
        ("1070000000", "壹拾亿柒仟万元整"),
        ("10.05", "壹拾元零伍分"),
        ("1000.05", "壹仟元零伍分"),
        ("10000.50", "壹万元零伍角"),
        ("0.05", "伍分"),
        ("0.55", "伍角伍分"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_rmb_upper_canonical_forms(figure: str, words: str) -> None:
    assert rmb_upper(Decimal(figure), prefix=False) == words
    assert parse_rmb_upper(words) == Decimal(figure)


def test_rmb_upper_accepts_int_and_extra_zeros() -> None:
    assert rmb_upper(100) == "人民币壹佰元整"
    assert rmb_upper(Decimal("1.500")) == "人民币壹元伍角"


@pytest.mark.parametrize(
    ("amount", "fragment"),
    [
        (Decimal("-1"), "负数"),
        (Decimal("1.005"), "精确到分"),
        (Decimal("NaN"), "有效的数字"),
        (Decimal("Infinity"), "有效的数字"),
        (RMB_UPPER_MAX + Decimal("0.01"), "过大"),
    ],
)
def test_rmb_upper_rejects(amount: Decimal, fragment: str) -> None:
    with pytest.raises(FormatError) as excinfo:
        rmb_upper(amount)
    assert_chinese_error(excinfo, fragment)


def test_rmb_upper_rejects_float() -> None:
    with pytest.raises(TypeError):
        rmb_upper(1.5)  # type: ignore[arg-type]


def test_parse_rmb_upper_traditional_forms() -> None:
    assert parse_rmb_upper("貳萬陸仟圓整") == Decimal("26000")
    assert parse_rmb_upper("壹億貳仟萬圆整") == Decimal("120000000")


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("壹仟二百元整", ["不得使用“二”，应写作“贰”"]),
        ("壹仟两佰元整", ["不得使用“两”"]),
        ("一千元整", ["不得使用“一”，应写作“壹”"]),
        ("壹拾叁元伍毛", ["不得使用“毛”，应写作“角”"]),
        ("壹仟另伍元整", ["不得使用“另”，应写作“零”"]),
        ("念元整", ["不得使用“念”"]),
        ("壹十元整", ["不得使用“十”，应写作“拾”"]),
        ("壹仟0伍元整", ["阿拉伯数字“0”"]),
        ("壹佰块整", ["不应出现的字符“块”"]),
        ("", ["为空"]),
        ("人民币", ["为空"]),
        ("壹仟", ["缺少“元”"]),
        ("伍角伍", ["数字“伍”后缺少单位"]),
        ("壹佰拾元整", ["“拾”前缺少数字"]),
        ("壹佰壹零元整", ["数字“壹”后缺少单位"]),
        ("壹拾壹佰元整", ["单位顺序错误"]),
        ("壹佰壹佰元整", ["单位顺序错误"]),
        ("壹万壹亿元整", ["单位顺序错误"]),
        ("壹万亿元整", ["万亿"]),
        ("壹亿万元整", ["“万”前缺少数字"]),
        ("元整", ["“元”前缺少数字"]),
        ("壹元壹元整", ["“元”出现了多次"]),
        ("壹元伍分叁角", ["单位顺序错误"]),
        ("壹元伍角拾", ["单位顺序错误"]),
        ("壹元角", ["“角”前缺少数字"]),
        ("壹佰零元整", ["“零”后缺少数字"]),
        ("壹拾零万元整", ["“零”后缺少数字"]),
        ("壹仟零贰佰元整", ["“零”的位置不当", "千位与百位"]),
        ("壹元零伍角", ["“零”的位置不当", "元位与角位"]),
        ("零壹佰元整", ["不能以“零”开头"]),
        ("零伍分", ["不能以“零”开头"]),
        ("壹佰元整伍角", ["只能写在大写金额的末尾"]),
        ("伍角元整", ["“角”应写在“元”之后"]),
    ],
)
def test_parse_rmb_upper_errors(text: str, fragments: list[str]) -> None:
    with pytest.raises(FormatError) as excinfo:
        parse_rmb_upper(text)
    assert_chinese_error(excinfo, *fragments)


def test_check_rmb_upper_raises_on_unreadable_text() -> None:
    with pytest.raises(FormatError):
        check_rmb_upper("壹仟二百元整")


@pytest.mark.parametrize(
    ("text", "value", "problem"),
    [
        ("人民币壹仟元", "1000", "缺少“整”字"),
        ("零元", "0", "缺少“整”字"),
        ("人民币叁佰贰拾伍元零肆分整", "325.04", "分后不应写“整”"),
        ("人民币叁佰贰拾伍元零肆分正", "325.04", "分后不应写“正”"),
        ("人民币壹万陆仟肆佰零玖元贰分", "16409.02", "角为零且分不为零时元后应写“零”"),
        ("人民币 壹仟元整", "1000", "人民币与金额间不应有空格"),
        ("人民币\u3000壹仟元整", "1000", "人民币与金额间不应有空格"),
        ("人民币壹仟 元整", "1000", "大写金额中不应有空格"),
        ("人民币壹仟肆佰玖元伍角", "1409.50", "十位为零，应写一个“零”"),
        ("人民币陆仟零零柒元壹角肆分", "6007.14", "连续的几个“0”只写一个“零”字"),
        ("人民币壹拾万柒佰元整", "100700", "万位至千位为零，应写一个“零”"),
        ("人民币壹亿壹元整", "100000001", "千万位至十位为零，应写一个“零”"),
        ("人民币拾万元整", "100000", "应写“壹拾”"),
    ],
)
def test_check_rmb_upper_style_problems(text: str, value: str, problem: str) -> None:
    assert parse_rmb_upper(text) == Decimal(value)  # the value is still read
    problems = check_rmb_upper(text)
    assert problem in "\n".join(problems), problems
    assert all(CJK.search(p) for p in problems)


def test_check_rmb_upper_prefix_only_when_required() -> None:
    assert check_rmb_upper("壹仟元整") == []
    assert check_rmb_upper("壹仟元整", require_prefix=True) == ["大写金额前应写“人民币”"]
    assert check_rmb_upper("人民币壹仟元整", require_prefix=True) == []


# Two decimals, 0 ≤ x < 10^12 (the range of the capitals).
AMOUNTS = st.integers(min_value=0, max_value=10**14 - 1).map(lambda cents: Decimal(cents).scaleb(-2))
# Amounts with many zeros, where the 零 rules bite.
SPARSE_AMOUNTS = st.lists(st.sampled_from([0, 0, 0, 1, 5, 9]), min_size=14, max_size=14).map(
    lambda digits: Decimal(int("".join(map(str, digits)))).scaleb(-2)
)


@given(st.one_of(AMOUNTS, SPARSE_AMOUNTS))
def test_rmb_upper_round_trip(amount: Decimal) -> None:
    words = rmb_upper(amount)
    assert parse_rmb_upper(words) == amount
    assert check_rmb_upper(words, require_prefix=True) == []


@given(st.one_of(AMOUNTS, SPARSE_AMOUNTS))
def test_rmb_upper_digits_in_order(amount: Decimal) -> None:
    """Independent of the parser: the capital digits, read left to right, are the non-zero
    digits of the amount; 零 never starts or doubles."""
    words = rmb_upper(amount, prefix=False)
    capitals = "壹贰叁肆伍陆柒捌玖"
    written = "".join(str(capitals.index(ch) + 1) for ch in words if ch in capitals)
    expected = "".join(ch for ch in f"{amount:.2f}" if ch.isdigit() and ch != "0")
    assert written == expected
    assert "零零" not in words
    assert amount == 0 or not words.startswith("零")
    assert words.endswith("整") == (amount == amount.to_integral_value())


@given(AMOUNTS)
def test_optional_zero_after_yuan_can_be_dropped(amount: Decimal) -> None:
    """Rule 四(三): the 零 after 元 before a non-zero 角 is optional."""
    words = rmb_upper(amount)
    if "元零" in words and "角" in words:
        variant = words.replace("元零", "元")
        assert parse_rmb_upper(variant) == amount
        assert check_rmb_upper(variant) == []


@given(AMOUNTS)
def test_optional_zero_after_wan_can_be_added(amount: Decimal) -> None:
    """Rule 四(三): a 万 digit of 0 before a non-zero 仟 digit may take a 零."""
    words = rmb_upper(amount)
    match = re.search(r"万([壹贰叁肆伍陆柒捌玖]仟)", words)
    if match and (amount // 10000) % 10 == 0:
        variant = words[: match.start()] + "万零" + match.group(1) + words[match.end() :]
        assert parse_rmb_upper(variant) == amount
        assert check_rmb_upper(variant) == []


PARSERS = [
    (parse_rmb_upper, "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整正人民币 二十"),
    (check_rmb_upper, "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整正人民币 "),
    (parse_figure_amount, "0123456789,.￥元万亿-人民币 "),
    (parse_cn_date, "0123456789年月日号.-/〇一二三四五六七八九十 "),
    (check_date_style, "0123456789年月日号.-/〇一二三四五六七八九十 "),
    (parse_doc_number, "〔〕（）()[]0123456789第号甘G环赔 "),
    (parse_court_case_number, "〔〕（）()[]0123456789第号甘民特执 "),
    (cn_to_int, "〇零一二三四五六七八九十百千两"),
]


@pytest.mark.parametrize(("parser", "alphabet"), PARSERS, ids=[p.__name__ for p, _ in PARSERS])
@given(data=st.data())
def test_parsers_fail_only_with_chinese_format_errors(
    parser: Callable[[str], object], alphabet: str, data: st.DataObject
) -> None:
    """Arbitrary text never raises anything but FormatError, and its message is Chinese."""
    text = data.draw(st.text(alphabet=alphabet, max_size=16))
    try:
        parser(text)
    except FormatError as exc:
        assert CJK.search(str(exc))


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("￥1,409.50", "1409.50"),
        ("¥1409.5", "1409.50"),
        ("1409.5元", "1409.50"),
        ("12.5万元", "125000"),
        ("12.5万", "125000"),
        ("3亿元", "300000000"),
        ("人民币1,234,567.00元", "1234567"),
        ("人民币￥1,234,567.00", "1234567"),
        ("  ￥ 100 ", "100"),
        ("１００元", "100"),
        ("0.01元", "0.01"),
    ],
)
def test_parse_figure_amount(text: str, value: str) -> None:
    result = parse_figure_amount(text)
    assert result == Decimal(value)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("abc", "无法识别的金额"),
        ("", "为空"),
        ("￥1,409.50元整多", "无法识别的金额"),
        ("1,23,4元", "千分位"),
        ("1234,567元", "千分位"),
        ("-5元", "负数"),
        ("￥－5", "负数"),
        ("1.005元", "两位小数"),
        ("1.2345678万元", "两位小数"),
        ("1.2.3元", "无法识别的金额"),
    ],
)
def test_parse_figure_amount_errors(text: str, fragment: str) -> None:
    with pytest.raises(FormatError) as excinfo:
        parse_figure_amount(text)
    assert_chinese_error(excinfo, fragment)


@given(AMOUNTS)
def test_figure_and_words_agree(amount: Decimal) -> None:
    figure = f"￥{amount:,.2f}"
    assert parse_figure_amount(figure) == parse_rmb_upper(rmb_upper(amount))


# ---------------------------------------------------------------------------------------------
# Chinese numerals
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "零"),
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (21, "二十一"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (201, "二百零一"),
        (1000, "一千"),
        (1010, "一千零一十"),
        (1229, "一千二百二十九"),
        (9999, "九千九百九十九"),
    ],
)
def test_int_to_cn_and_back(n: int, text: str) -> None:
    assert int_to_cn(n) == text
    assert cn_to_int(text) == n


@pytest.mark.parametrize(
    ("text", "n"),
    [("二〇二四", 2024), ("二○二四", 2024), ("二零二四", 2024), ("一十二", 12), ("两百", 200), ("〇", 0)],
)
def test_cn_to_int_other_forms(text: str, n: int) -> None:
    assert cn_to_int(text) == n


@pytest.mark.parametrize(
    "text",
    ["", "二十a", "十十", "一百零", "零十五", "一百零零五", "一百零一十", "二三十", "十百", "二〇二四〇"],
)
def test_cn_to_int_errors(text: str) -> None:
    with pytest.raises(FormatError) as excinfo:
        cn_to_int(text)
    assert_chinese_error(excinfo)


@pytest.mark.parametrize("n", [-1, 10000])
def test_int_to_cn_range(n: int) -> None:
    with pytest.raises(FormatError) as excinfo:
        int_to_cn(n)
    assert_chinese_error(excinfo, "0至9999")


@given(st.integers(min_value=0, max_value=9999))
def test_cn_numeral_round_trip(n: int) -> None:
    assert cn_to_int(int_to_cn(n)) == n


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


def test_format_date() -> None:
    assert format_date(date(2024, 8, 1)) == "2024年8月1日"
    assert format_date(date(2021, 12, 31)) == "2021年12月31日"


@pytest.mark.parametrize(
    "text",
    [
        "2024年8月1日",
        "2024年08月01日",
        "2024.8.1",
        "2024-08-01",
        "2024/8/1",
        "二〇二四年八月一日",
        "二○二四年八月一日",
        " 2024 年 8 月 1 日 ",
        "2024年8月1号",
        "２０２４年８月１日",
    ],
)
def test_parse_cn_date_forms(text: str) -> None:
    assert parse_cn_date(text) == date(2024, 8, 1)


def test_parse_cn_date_chinese_two_digit_month_day() -> None:
    assert parse_cn_date("二〇二一年十二月三十一日") == date(2021, 12, 31)
    assert parse_cn_date("二〇二一年十月二十日") == date(2021, 10, 20)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("2024年2月30日", ["2024年2月30日不存在"]),
        ("2023年2月29日", ["2023年2月29日不存在", "28天"]),
        ("2024年13月1日", ["不存在", "1至12"]),
        ("2024年4月31日", ["2024年4月31日不存在"]),
        ("2024年0月1日", ["不存在"]),
        ("24年8月1日", ["年份应标全称"]),
        ("0000年1月1日", ["年份"]),
        ("2024-8/1", ["无法识别的日期"]),
        ("八月一日", ["无法识别的日期"]),
        ("", ["日期为空"]),
        ("二〇二四年二月三十日", ["2024年2月30日不存在"]),
    ],
)
def test_parse_cn_date_errors(text: str, fragments: list[str]) -> None:
    with pytest.raises(FormatError) as excinfo:
        parse_cn_date(text)
    assert_chinese_error(excinfo, *fragments)


@given(st.dates(min_value=date(1000, 1, 1)))
def test_date_round_trip(d: date) -> None:
    text = format_date(d)
    assert parse_cn_date(text) == d
    assert check_date_style(text) == []


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("2024年8月1日", []),
        ("2024年12月31日", []),
        ("2024年08月1日", ["月、日不编虚位：应写作“8月”，不应写作“08月”"]),
        ("2024年8月01日", ["月、日不编虚位：应写作“1日”，不应写作“01日”"]),
        ("二〇二四年八月一日", ["成文日期应使用阿拉伯数字，应写作“2024年8月1日”"]),
        ("2024-08-01", ["成文日期应将年、月、日标全，应写作“2024年8月1日”，不应写作“2024-08-01”"]),
        ("24年8月1日", ["年份应标全称，不应写作“24年”"]),
        ("2024年8月1号", ["日期应写“日”，不应写“号”"]),
        ("2024年 8月1日", ["日期中不应有空格"]),
        ("２０２４年８月１日", ["日期应使用半角阿拉伯数字，不应使用全角数字"]),
    ],
)
def test_check_date_style(text: str, problems: list[str]) -> None:
    assert check_date_style(text) == problems


def test_check_date_style_unreadable() -> None:
    with pytest.raises(FormatError) as excinfo:
        check_date_style("去年夏天")
    assert_chinese_error(excinfo, "无法识别的日期")


# ---------------------------------------------------------------------------------------------
# 发文字号
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "agency", "year", "serial"),
    [
        ("衡环规范〔2021〕1号", "衡环规范", 2021, 1),
        ("甘G环赔〔2024〕3号", "甘G环赔", 2024, 3),
        ("环法规〔2022〕31号", "环法规", 2022, 31),
        ("  法释〔2019〕8号 ", "法释", 2019, 8),
    ],
)
def test_parse_doc_number(text: str, agency: str, year: int, serial: int) -> None:
    number = parse_doc_number(text)
    assert number == DocNumber(agency, year, serial)
    assert number.format() == text.strip()
    assert str(number) == text.strip()
    assert diagnose_doc_number(text) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("衡环规范（2021）1号", "发文字号年份应使用六角括号〔〕，不应使用（）"),
        ("衡环规范(2021)1号", "发文字号年份应使用六角括号〔〕，不应使用()"),
        ("衡环规范[2021]1号", "发文字号年份应使用六角括号〔〕，不应使用[]"),
        ("衡环规范【2021】1号", "发文字号年份应使用六角括号〔〕，不应使用【】"),
        ("衡环规范［2021］1号", "发文字号年份应使用六角括号〔〕，不应使用［］"),
        ("衡环规范〈2021〉1号", "发文字号年份应使用六角括号〔〕，不应使用〈〉"),
        ("衡环规范﹝2021﹞1号", "发文字号年份应使用六角括号〔〕，不应使用﹝﹞"),
        ("衡环规范〔2021）1号", "括号不配对"),
        ("衡环规范〔21〕1号", "发文字号年份应标全称（四位），不应写作“21”"),
        ("衡环规范〔202〕1号", "应为四位数字"),
        ("衡环规范〔2021〕01号", "序号不编虚位，应为1号而非01号"),
        ("衡环规范〔2021〕0号", "序号应从1开始"),
        ("衡环规范〔2021〕第1号", "发文字号序号前不加“第”"),
        ("衡环规范〔2021〕1", "发文字号应以“号”结尾"),
        ("衡环规范 〔2021〕1号", "发文字号中不应有空格"),
        ("衡环规范〔２０２１〕1号", "半角阿拉伯数字"),
        ("〔2021〕1号", "缺少发文机关代字"),
        ("（2024）甘07民特12号", "是法院案号"),
        ("衡环规范2021年1号", "无法识别的发文字号"),
    ],
)
def test_doc_number_problems(text: str, problem: str) -> None:
    problems = diagnose_doc_number(text)
    assert problem in "\n".join(problems), problems
    with pytest.raises(FormatError) as excinfo:
        parse_doc_number(text)
    assert_chinese_error(excinfo, problem)


def test_diagnose_doc_number_reports_all_problems() -> None:
    problems = diagnose_doc_number("衡环规范（21）第01")
    assert len(problems) == 5, problems
    with pytest.raises(FormatError) as excinfo:
        parse_doc_number("衡环规范（21）第01")
    assert str(excinfo.value) == "；".join(problems)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(("", 2024, 1), "发文机关代字"), (("衡环", 24, 1), "四位"), (("衡环", 2024, 0), "正整数")],
)
def test_doc_number_constructor_validates(args: tuple[str, int, int], fragment: str) -> None:
    with pytest.raises(FormatError) as excinfo:
        DocNumber(*args)
    assert_chinese_error(excinfo, fragment)


AGENCIES = st.text(alphabet="甘衡环规范赔法释国办发GX", min_size=1, max_size=6)


@given(AGENCIES, st.integers(1000, 9999), st.integers(1, 10**6))
def test_doc_number_round_trip(agency: str, year: int, serial: int) -> None:
    number = DocNumber(agency, year, serial)
    assert parse_doc_number(number.format()) == number
    assert number_kind(number.format()) == "doc_number"


def test_doc_number_re_finds_candidates_in_text() -> None:
    text = (
        "依照甘G环赔〔2024〕3号和衡环规范（2021）1号，参见环法规〔22〕31号及环发〔2020〕第05号。"
        "另见表（12）3和2024年（2024）3月的数据，以及（2024）甘07民特12号裁定。"
    )
    found = [m.group(0) for m in DOC_NUMBER_RE.finditer(text)]
    assert found == ["甘G环赔〔2024〕3号", "衡环规范（2021）1号", "环法规〔22〕31号", "环发〔2020〕第05号"]
    assert [diagnose_doc_number(f) == [] for f in found] == [True, False, False, False]


def test_doc_number_re_agency_stops_at_particles() -> None:
    match = DOC_NUMBER_RE.search("根据的衡环规范〔2021〕1号")
    assert match is not None
    assert match["agency"] == "衡环规范"
    assert match["year"] == "2021"
    assert match["serial"] == "1"


# ---------------------------------------------------------------------------------------------
# 案号
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "court", "case_type", "serial"),
    [
        ("（2024）甘07民特12号", 2024, "甘07", "民特", 12),
        ("（2024）桂0102民初3号", 2024, "桂0102", "民初", 3),
        ("（2023）最高法民申12号", 2023, "最高法", "民申", 12),
        ("（2024）京民终7号", 2024, "京", "民终", 7),
        ("（2024）甘07执恢1号", 2024, "甘07", "执恢", 1),
        ("（2024）甘07执128号", 2024, "甘07", "执", 128),
    ],
)
def test_parse_court_case_number(text: str, year: int, court: str, case_type: str, serial: int) -> None:
    number = parse_court_case_number(text)
    assert number == CourtCaseNumber(year, court, case_type, serial)
    assert number.format() == text
    assert str(number) == text
    assert diagnose_court_case_number(text) == []
    assert number_kind(text) == "court_case_number"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("〔2024〕甘07民特12号", "案号年份应使用圆括号（），不应使用〔〕"),
        ("[2024]甘07民特12号", "案号年份应使用圆括号（），不应使用[]"),
        ("【2024】甘07民特12号", "案号年份应使用圆括号（），不应使用【】"),
        ("(2024)甘07民特12号", "案号年份应使用全角圆括号（），不应使用半角()"),
        ("（2024)甘07民特12号", "括号不配对"),
        ("（2024）甘07民特12", "案号应以“号”结尾"),
        ("（24）甘07民特12号", "案号年份应标全称（四位），不应写作“24”"),
        ("（2024）甘07民特第12号", "案号序号前不加“第”"),
        ("（2010）甘民一终字第1号", "案号中不应有“字第”"),
        ("（2024）甘07民特012号", "序号不编虚位，应为12号而非012号"),
        ("（2024）甘07 民特12号", "案号中不应有空格"),
        ("甘G环赔〔2024〕3号", "是发文字号"),
        ("2024甘07民特12号", "无法识别的案号"),
    ],
)
def test_court_case_number_problems(text: str, problem: str) -> None:
    problems = diagnose_court_case_number(text)
    assert problem in "\n".join(problems), problems
    with pytest.raises(FormatError) as excinfo:
        parse_court_case_number(text)
    assert_chinese_error(excinfo, problem)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((24, "甘07", "民特", 1), "四位"),
        ((2024, "07", "民特", 1), "法院代字"),
        ((2024, "甘07", "", 1), "案件类型代字"),
        ((2024, "甘07", "民特", 0), "正整数"),
    ],
)
def test_court_case_number_constructor_validates(args: tuple[int, str, str, int], fragment: str) -> None:
    with pytest.raises(FormatError) as excinfo:
        CourtCaseNumber(*args)
    assert_chinese_error(excinfo, fragment)


COURT_CODES = st.one_of(
    st.just("最高法"),
    st.builds(
        lambda p, d: p + d,
        st.sampled_from("京津沪甘桂新兵"),
        st.sampled_from(["", "07", "0102", "73"]),
    ),
)
CASE_TYPES = st.sampled_from(["民特", "执", "民初", "民终", "执恢", "执异", "行赔初", "刑初"])


@given(st.integers(1000, 9999), COURT_CODES, CASE_TYPES, st.integers(1, 10**6))
def test_court_case_number_round_trip(year: int, court: str, case_type: str, serial: int) -> None:
    number = CourtCaseNumber(year, court, case_type, serial)
    text = number.format()
    assert parse_court_case_number(text) == number
    assert number_kind(text) == "court_case_number"
    assert [m.group(0) for m in COURT_CASE_NUMBER_RE.finditer(f"依据{text}裁定")] == [text]
    assert DOC_NUMBER_RE.search(f"依据{text}裁定") is None


def test_court_case_number_re_finds_malformed_candidates() -> None:
    text = "依据〔2024〕甘07民特12号裁定和(2023)桂0102民初3号判决，发文字号甘G环赔〔2024〕3号不是案号。"
    found = [m.group(0) for m in COURT_CASE_NUMBER_RE.finditer(text)]
    assert found == ["〔2024〕甘07民特12号", "(2023)桂0102民初3号"]
    assert diagnose_court_case_number(found[0]) == ["案号年份应使用圆括号（），不应使用〔〕"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("（2024）甘07民特12号", "court_case_number"),
        ("〔2024〕甘07民特12号", "court_case_number"),
        ("甘G环赔〔2024〕3号", "doc_number"),
        ("衡环规范（2021）1号", "doc_number"),
        ("你好", "unknown"),
        ("〔2024〕3号", "unknown"),
    ],
)
def test_number_kind(text: str, kind: str) -> None:
    assert number_kind(text) == kind


def test_a_line_break_inside_a_number_is_the_page_wrap_not_a_space() -> None:
    from ecokernel.cnfmt import diagnose_court_case_number, diagnose_doc_number
    assert diagnose_court_case_number("（2024）\n晋09民特17号") == []
    assert diagnose_court_case_number("（2024） 晋09民特17号") == ["案号中不应有空格"]
    assert diagnose_doc_number("忻环赔协〔2023〕\n  3号") == []
