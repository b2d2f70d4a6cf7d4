"""Typed values extracted once per document, each with its character span (LexNLP-style):
amounts (figures and 大写), dates (with the procedural event they date), identifiers and party
names. Rules compare these values, never raw strings.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from checkers.extract.labels import is_label
from checkers.extract.text import closed_wraps_across, original_offset
from checkers.understand.parties import is_statement, names_a_body, third_party_labels, third_party_words
from ecokernel.cnfmt import DATE_FINDER, cn_to_int, parse_cn_date, parse_figure_amount, parse_rmb_upper
from ecokernel.errors import FormatError
from ecokernel.identifiers import BARE_CODE_RX, classify_identifier
from ecokernel.memo import cached_attribute

from .limits import at_most

if TYPE_CHECKING:
    from checkers.rules.engine import Context

# the decimal point may be full-width ("３．３６万元", as typed with a Chinese input method)
# thousands separated by "," — or by a full-width "，" typed with a Chinese input method ("人民币286，400元")
FIGURE_RX = re.compile(
    r"(?<![\d.．,，])(?:[￥¥][ \t　]*(?P<a>\d{1,3}(?:(?P<sa>[,，])\d{3}(?:(?P=sa)\d{3})*)(?:[.．]\d+)?|\d+(?:[.．]\d+)?)[ \t　]*(?P<ua>万元|元|万)?"
    r"|(?P<b>\d{1,3}(?:(?P<sb>[,，])\d{3}(?:(?P=sb)\d{3})*)(?:[.．]\d+)?|\d+(?:[.．]\d+)?)[ \t　]*(?P<ub>万元|元))"
    # a table's bare figure in yuan with its words after it ("合计1,272,800.00大写：壹佰贰拾柒万…元整")
    r"|(?P<c>\d{1,3}(?:,\d{3})+\.\d{2})(?=[ \t　]*[（(]?大写)"
)
# "…元零伍角" (a 零 after 元 when the 元 digit is 0 and 角 is not: 《支付结算办法》附一 rule 四) is one amount
UPPER_RX = re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿貳陸億萬]+[元圆](?:零?[壹贰叁肆伍陆柒捌玖]角)?(?:零?[零壹贰叁肆伍陆柒捌玖]分)?[整正]?"
                      r"|[壹贰叁肆伍陆柒捌玖]角(?:[零壹贰叁肆伍陆柒捌玖]分)?")
DATE_RX = DATE_FINDER
ID_LABEL_RX = re.compile(
    r"(?P<label>统一社会信用代码|社会统一信用代码|社会信用代码|信用代码|公民身份号码|居民身份证号码|身份证号码|身份证号|身份证)"
    r"(?P<paren>[（(][^）)\n]{0,20}[）)])?[ \t　]*[：:为是]?[ \t　]*(?P<code>[0-9A-Za-z]{6,24})"
)


def near(rx: re.Pattern[str], text: str, anchor: re.Pattern[str], before: int, after: int = 0
         ) -> list[re.Match[str]]:
    """``rx.finditer(text)`` restricted to windows around ``anchor`` matches (same results when no
    match of ``rx`` can lie farther than ``before``/``after`` characters from an anchor).

    Patterns that open with a long character class (an organisation name before 有限公司, an
    agency code before 〔) would otherwise be tried at every position of the text."""
    windows: list[list[int]] = []
    for m in anchor.finditer(text):
        a, b = max(0, m.start() - before), min(len(text), m.end() + after)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    return [m for a, b in windows for m in rx.finditer(text, a, b)]


# every figure amount has ￥/¥ before or 元/万元 after its digits; every date has 年 or an ISO separator
_MONEY_MARK = re.compile(r"[￥¥元]")
_DATE_MARK = re.compile(r"年|\d[-./]\d")
_ORG_SUFFIX_RX = re.compile(r"公司|合作社|养殖场|厂|矿|个体工商户")
ORG_RX = re.compile(
    # "…矿业有限公司" does not end at 矿, nor "…厂区" at 厂
    r"[\u4e00-\u9fff（）()]{2,30}?(?:有限责任公司|股份有限公司|有限公司|集团公司|公司|合作社|养殖场|加工厂|砖厂"
    r"|厂(?![区房长])|矿(?![业产山区石])|个体工商户)"
)
PARTY_LABEL_RX = re.compile(
    r"(?P<label>赔偿义务人[一二三四五六七八九0-9]?|赔偿权利人(?:或其)?(?:指定的部门(?:或|、)机构)?|甲方|乙方|丙方"
    r"|被申请(?:执行)?人(?:名称(?:或姓名)?)?|(?<![被])申请(?:执行)?人(?:名称)?[一二1-9]?|被告知人|(?<![被])告知人)"
    r"(?P<role>[（(][^）)\n]{0,24}[）)])?[ \t　]*[：:][ \t　]*(?P<name>[^\s，,。；;：:（(_＿×]{2,40})"
)


@dataclass(frozen=True)
class Amount:
    value: Decimal
    start: int
    end: int
    kind: str  # figure | upper
    text: str


@dataclass(frozen=True)
class DateValue:
    value: dt.date | None
    start: int
    end: int
    text: str
    error: str | None = None
    event: str | None = None  # violation / assessment / notice / meeting / agreement / confirmation / ruling / enforcement / filing
    in_range: bool = False
    signed: bool = False  # the document's own date, under its seals (its event taken from the kind of document)


@dataclass(frozen=True)
class IdValue:
    code: str
    start: int
    end: int
    label: str | None
    expected: str  # uscc | ric | unknown


@dataclass(frozen=True)
class Party:
    role: str
    name: str
    start: int
    end: int


_MONTH_DAY_RX = re.compile(r"(?<![\d年.．/\-一二三四五六七八九十〇○零])(?P<same>同年|次年|今年|本年|去年|上年|前年|明年)?[ \t　]*"
                           r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})[ \t　]*月[ \t　]*"
                           r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})[ \t　]*[日号]")


def _clause_after(text: str, start: int, stop: int) -> str:
    """The text from ``start`` to the next comma, semicolon or full stop (at most to ``stop``)."""
    ends = [i for i in (text.find(mark, start, stop) for mark in "，,；;。") if i >= 0]
    return text[start:min(ends) if ends else stop]


#: a year said relative to the document's own, and how many years from it
_RELATIVE_YEAR = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}


def small_number(text: str) -> int:
    """A count, month or day written in figures or in Chinese numerals ("12", "十二", "二十九")."""
    return int(text) if text.isdigit() else cn_to_int(text)


_MONTH_MARK = re.compile(r"月")
#: a date that ends or opens a range ("2025年3月1日至2025年5月1日")
_RANGE_BEFORE = re.compile(r"[至到—\-－~～]\s*$")
_RANGE_AFTER = re.compile(r"\s*[至到—\-－~～]\s*\d{4}")


@dataclass(frozen=True)
class _Span:
    """A match-like span for a date assembled from parts (a year-less date and its year)."""

    a: int
    b: int
    text: str

    def start(self) -> int:
        return self.a

    def end(self) -> int:
        return self.b

    def group(self, _index: int = 0) -> str:
        return self.text


#: what names a document or a case rather than telling an act: a title ("《…非法采砂…协议》"), a case's name
#: after 就/对 ("就临泽县丰禾玉米淀粉有限公司淀粉废水违法排放生态环境损害赔偿案召开第一次磋商会议")
_TITLE = re.compile(r"《[^《》\n]{1,80}》|(?<=[就对])[^。；，,\n@]{2,60}?(?:赔偿)?(?:一)?案(?=[（(，,]|召开|进行|开展|组织|举行)")
_ACT_WORDS = re.compile(r"排放|倾倒|泄漏|盗伐|滥伐|非法|采砂|采挖|偷排|堆放|填埋|发生")
def _named(m: re.Match[str]) -> str:
    """A title without the acts it names; a case's name as "本案"."""
    return _ACT_WORDS.sub("", m.group(0)) if m.group(0).startswith("《") else "本案"


#: what the date alone on its line under a document's seals records, by kind of document
_SIGNED_EVENT = {"judicial_confirmation": "confirmation", "enforcement": "enforcement", "consultation_notice": "notice",
                 "agreement": "agreement"}
STAGES = ["violation", "assessment", "notice", "meeting", "agreement", "confirmation", "ruling", "enforcement"]
STAGE_NAMES = {"violation": "损害行为发生", "assessment": "鉴定评估", "notice": "磋商告知", "meeting": "磋商会议",
               "agreement": "协议签订", "confirmation": "申请司法确认", "ruling": "司法确认裁定",
               "enforcement": "申请强制执行"}
_D = r"@@"  # stands for the date in the event patterns below
#: right after a date: it is a time limit ("…日前", "…日之前", "…日以前"), not when something happened
#: right after a date: it is a time limit ("…日前", "…日之前"), not a day something was done
DEADLINE_AFTER = re.compile(r"[ \t　]*(?:之前|以前|前)")
#: text after the date that does not run over another full date (that date would be the event's):
#: "（1月25日、3月8日）协商一致，于3月22日达成协议" makes 3月22日 the agreement's, not 1月25日
_GAP = r"(?:(?!\d{4}[ \t　]*年|[〇○零一二三四五六七八九]{4}年)[^。；])"
#: a month and day without the year, in figures or in Chinese numerals ("11月12日", "十一月十二日")
_MD = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})日"

#: right after a date: the parties, then their agreeing ("，申请人X局与Y有限公司经磋商，就…一案达成如下协议")
_PARTIES_AGREED = re.compile(r"[，,][ \t　]*[^。；]{0,70}?(?:与|和|同)[^。；]{0,100}?(?:达成|签订|签署|订立)(?P<object>[^。；]{0,30}?)协议")

#: an aside in brackets
_ASIDE = re.compile(r"[（(][^（()）\n]*[）)]")

#: another day named between a date and the act of its sentence
_ANOTHER_DAY = re.compile(r"\d{1,2}[ \t　]*月[ \t　]*\d{1,2}[ \t　]*日|[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日")

#: the meetings the parties went through on the way to agreeing ("经2025年9月5日磋商", "经6月10日、6月24日两次磋商")
_MEETINGS_PASSED = re.compile(r"经(?:过)?[ \t　]*(?:(?:\d{4}[ \t　]*年)?[ \t　]*\d{1,2}[ \t　]*月[ \t　]*\d{1,2}[ \t　]*日[、和及与]?)+"
                              r"[^。；，,]{0,8}磋商")

#: right after a date: the contract signed that day, by its title (after a comma, whoever signed it:
#: "二〇二五年六月十六日，申请人双方签订《…协议》")
_SIGNED_TITLE = re.compile(r"[ \t　]*(?:[，,][ \t　]*(?:[^。；，,《》\d\n]{0,10}?)?[ \t　]*|在[^。；，,]{0,10})?"
                           r"(?:签订|签署|订立|达成)(?:了|的)?[ \t　]*(?:[^。；，,《]{0,8}的)?《(?P<title>[^》\n]{1,60})》")

EVENT_PATTERNS: list[tuple[str, str]] = [
    # a date that names the meeting itself ("根据2025年4月10日磋商会议达成的一致意见签订") is the
    # meeting's, whatever verb follows
    ("meeting", rf"{_D}[ \t　]*(?:的|召开的|举行的)?[ \t　]*(?:磋商会议|磋商会)"),
    # "…与…经2025年9月5日磋商，达成了如下协议": the day of the consultation, not of the agreement
    ("meeting", rf"经(?:过)?[ \t　]*{_D}[ \t　]*(?:的)?磋商"),
    ("confirmation", rf"{_D}{_GAP}{{0,40}}申请[^。；]{{0,6}}司法确认|申请司法确认[^。；]{{0,10}}{_D}"),
    ("ruling", rf"{_D}{_GAP}{{0,40}}(?:作出|出具|下达)[^。；]{{0,30}}裁定|(?:裁定|民特)[^。；]{{0,12}}于?{_D}"),
    ("enforcement", rf"{_D}{_GAP}{{0,30}}申请(?:强制)?执行(?!人)"),
    ("notice", rf"{_D}[，,]?[ \t　]*[^。；，,]{{0,30}}(?:送达|通知|告知)[^。；]{{0,30}}磋商|(?:告知书|送达)[^。；]{{0,10}}{_D}"),
    # "签订日期：…", a form's label cell over its value ("协议达成日期" / "2025.07.16"); not a contract
    # signed with someone else ("于2024年9月3日签订鉴定评估委托合同")
    ("agreement", rf"{_D}[ \t　]*达成|(?:签订|签署|订立|达成)(?:时间|日期)[^：:\n]{{0,4}}?[：:为是]?[ \t　]*\n?[ \t　]*{_D}|{_D}[^。；，,]{{0,16}}(?:签订|签署|订立)(?![^。；，,]{{0,12}}(?:委托|合同))|于{_D}达成|{_D}[，,]?{_GAP}{{0,30}}达成了?(?:如下|以下)?[^。；]{{0,20}}协议|(?:签订|签署)于{_D}"),
    # several meeting dates may be listed before the verb ("9月22日、10月16日先后进行两次磋商")
    # "经2025年3月6日、3月27日两轮磋商": listed meeting dates counted by the rounds after them
    ("meeting", rf"{_D}(?:[、和及与][^。；，,]{{0,4}}(?:\d{{4}}年|同年)?{_MD})*[^。；，,]{{0,4}}"
                rf"(?:[一二两三四五六七八九十\d]+[ \t　]*(?:轮|次))[^。；，,]{{0,4}}磋商"),
    ("meeting", rf"{_D}(?:[、和及与][^。；，,]{{0,4}}(?:\d{{4}}年|同年)?{_MD})*[^。；，,]{{0,12}}(?:召开|进行|举行|组织)[^。；，,]{{0,12}}磋商|(?:磋商会议|第[一二三四五六七八九十\d]+次磋商)(?:时间)?[^。；，,]{{0,10}}{_D}"),
    # "2025年6月24日，权利人方组织召开民乐县…非法开垦天然草原案生态环境损害赔偿磋商会议": the case's name
    # between the verb and the meeting is long and may name the damage
    # "2025年9月26日，广西壮族自治区生态环境厅在南宁市主持召开…第三次磋商会议": who convened it and where
    ("meeting", rf"{_D}[，,]?[ \t　]*[^。；，,]{{0,30}}(?:召开|举行)[^。；，,]{{0,48}}磋商(?:会议|会)"),
    # "2026年4月8日，双方在山丹县人民检察院派员参加下进行磋商": who took part and where, after a comma
    ("meeting", rf"{_D}[，,][ \t　]*[^。；，,]{{0,30}}(?:进行|开展|组织)了?[^。；，,]{{0,4}}磋商(?!意见|告知|通知|小组)"),
    # "四、磋商会议时间和地点" / "时间：2025年5月16日（星期五）上午9:30"
    ("meeting", rf"磋商(?:会议)?(?:的)?时间(?:(?:和|及|、)地点)?[ \t　。．：:]{{0,2}}\n?[ \t　]*(?:时间[ \t　]*[：:])?[ \t　]*{_D}"),
    # "定于2025年4月10日下午2时30分，在…会议室召开磋商会议": a meeting announced for that day
    ("meeting", rf"(?:定于|拟于|将于|订于)[ \t　]*{_D}[^。；]{{0,60}}(?:召开|举行|进行|组织)[^。；]{{0,10}}磋商"),
    # "请被告知人于2025年8月21日上午9:00准时到会参加磋商": the day the party is asked to attend (not a
    # reply deadline: "于…日前书面答复是否参加磋商")
    ("meeting", rf"{_D}(?![ \t　]*(?:前|以前|之前))[^。；，,答]{{0,16}}(?:准时|按时)?(?<!是否)(?:到会|出席|参加)(?:参加)?[^。；，,是否]{{0,6}}磋商(?!意见)"),
    ("assessment", rf"{_D}[，,]?[ \t　]*[^。；，,]{{0,30}}(?:出具|作出)[^。；]{{0,30}}(?:鉴定|(?<!效果)评估|专家意见)|(?:鉴定|(?<!效果)评估)[^。；]{{0,30}}于{_D}(?:出具|作出)"
                   rf"|《[^》]{{0,60}}(?:鉴定|(?<!效果)评估|专家意见)[^》]{{0,20}}》[^。；，,]{{0,30}}[（(][^）)]{{0,20}}{_D}"
                   rf"|(?:鉴定|(?<!效果)评估|报告|专家意见)[^。；，,]{{0,12}}(?:出具|落款|作出)(?:日期|时间)?[为是：:]?[ \t　]*{_D}"
                   # "专家意见（2025年11月5日出具）", "鉴定评估报告（2025年3月14日）": the date in brackets after it
                   rf"|(?:鉴定评估报告|评估报告|鉴定报告|专家意见|评估意见|鉴定意见)[ \t　]*[（(][^）)，,]{{0,10}}?{_D}[ \t　]*(?:出具|作出)?[）)]"
                   # "《…鉴定评估报告》，出具日期2024年7月5日"
                   rf"|(?:鉴定|(?<!效果)评估|报告|专家意见)》?[，,][ \t　]*(?:出具|落款|作出)(?:日期|时间)[为是：:]?[ \t　]*{_D}"),
    # "2025年9月26日，…人民法院作出（2025）苏0602刑初318号刑事判决，以非法捕捞水产品罪…": a criminal
    # judgment's day, which has no place in the compensation procedure's order
    ("criminal_judgment", rf"{_D}{_GAP}{{0,40}}(?:作出|下达|宣判)[^。；]{{0,30}}(?:刑事)?判决"),
    ("violation", rf"{_D}{_GAP}{{0,40}}(?:排放|倾倒|泄漏|盗伐|滥伐|非法|采砂|偷排|堆放|填埋|发生[^。；]{{0,10}}(?:事件|事故|泄漏|污染))"),
]


_EVENT_RX = [(event, re.compile(pattern)) for event, pattern in EVENT_PATTERNS]

#: a table cell that is an amount ("186,200.00", "¥30,000.00", "12.5万元")
_ROW_AMOUNT = re.compile(r"[￥¥]?[ \t　]*\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?(?:[ \t　]*万?元)?|\d+(?:\.\d{1,2})?[ \t　]*万?元")

#: documents served that are not the consultation notice
_OTHER_NOTICE = re.compile(r"催告|催缴|缴款通知|执行通知|裁定书|判决书")

#: the words before a number that make it a bank account or card number (no check character)
#: the label of another kind of number just before a bare code: a bank account, a 联单/合同/批/流水 number
_OTHER_NUMBER_LEAD = re.compile(r"(?:账号|帐号|账户|帐户|卡号|户号|编号|单号|流水号|票号|批号|合同号|订单号)"
                                r"[ \t　]*[：:]?[ \t　]*$")


#: the meetings' days listed in brackets after the consultation ("经过5次磋商（2024年11月20日、12月18日，2025年1月15日",
#: "召开了三次磋商会议（分别为2025年3月1日、"): what comes before a date inside that bracket
_MEETINGS_LISTED = re.compile(r"(?:[\d一二两三四五六七八九十]+[ \t　]*(?:次|轮)磋商(?:会议)?|磋商会议(?:记录|纪要|笔录)?|磋商(?:记录|笔录|纪要))[ \t　]*[（(]"
                              r"(?:分别为|分别是|即)?[^（()）。；\n]*$")
#: an annex's heading line ("附表2 分期缴纳计划表", "附件1：", "附件："); dates after it belong to the annex
_ANNEX_HEADING = re.compile(r"(?m)^[ \t　]*附(?:件|表)[ \t　]*[0-9一二三四五六七八九十]*(?:[ \t　：:]|$)")
#: a line that is not a signer's name or a date under a seal: a sentence, a label, an annex or heading
_NOT_SIGNER_LINE = re.compile(r"[。；;：:，,]|^(?:附|此致|[一二三四五六七八九十]+、)")


class Values:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.text = ctx.text

    # ---- amounts

    @cached_attribute
    def amounts(self) -> list[Amount]:
        out: list[Amount] = []
        for m in near(FIGURE_RX, self.text, _MONEY_MARK, 40, 30):
            number = (m["a"] or m["b"] or m["c"]).replace("，", ",")
            unit = m["ua"] or m["ub"] or ""
            try:
                value = parse_figure_amount(number + unit)
            except FormatError:
                continue
            out.append(Amount(value, m.start(), m.end(), "figure", m.group(0)))
        for m in UPPER_RX.finditer(self.text):
            if len(m.group(0)) < 2:
                continue
            try:
                value = parse_rmb_upper(m.group(0))
            except FormatError:
                continue
            out.append(Amount(value, m.start(), m.end(), "upper", m.group(0)))
        out.sort(key=lambda a: a.start)
        return at_most(out, "amounts")

    def figures(self) -> list[Amount]:
        return [a for a in self.amounts if a.kind == "figure"]

    # ---- dates

    @cached_attribute
    def dates(self) -> list[DateValue]:
        raw: list[tuple[Any, dt.date | None, str | None]] = []
        for m in near(DATE_RX, self.text, _DATE_MARK, 12, 12):
            try:
                value, error = parse_cn_date(m.group(0)), None
            except FormatError as exc:
                value, error = None, str(exc)
            raw.append((m, value, error))
        raw = self._with_yearless(raw)
        out = []
        signed_at = self._signature_area()
        for i, (m, value, error) in enumerate(raw):
            in_range = self._in_range(raw, i)
            event = None if value is None else self._event(m.start(), m.end(), in_range)
            signed = False
            if event is None and value is not None and signed_at is not None and m.start() >= signed_at \
                    and self._on_own_line(m.start(), m.end()) and not self._in_schedule_row(m.start()) \
                    and not DEADLINE_AFTER.match(self.text, m.end()) \
                    and not _ANNEX_HEADING.search(self.text, self.text.find("\n", signed_at) + 1, m.start()):
                # not "2025年4月30日前" (a schedule's time limit), nor a date in an annex after the signatures
                # ("附表2 分期缴纳计划 / 第8期 / 2029.6.30": its cells read as lines)
                # the date under the seals is when the document was made: a 司法确认 application is
                # dated by its application, an enforcement application by the application to enforce,
                # an agreement by its signing
                event, signed = _SIGNED_EVENT.get(self.ctx.kind or ""), True
            if (event is None and value is not None and out and out[-1].event is not None
                    and re.fullmatch(r"[ \t　]*[、和及与][ \t　]*", self.text[out[-1].end:m.start()])):
                event = out[-1].event  # "磋商会议记录（2025年3月6日、3月18日）": the list shares its role
            out.append(DateValue(value, m.start(), m.end(), m.group(0), error, event, in_range, signed))
        return at_most(out, "dates")

    def _with_yearless(self, raw: list[tuple[Any, dt.date | None, str | None]]
                       ) -> list[tuple[Any, dt.date | None, str | None]]:
        """``raw`` plus the dates written without a year after a full one ("2025年3月6日、3月27日",
        "同年5月10日", "次年1月"), which take the year of the full date before them."""
        full = [(m.start(), m.end(), value) for m, value, _e in raw if value is not None]
        starts = [a for a, _b, _v in full]
        anchor = self._own_year(full)
        # the full dates' spans, in text order and disjoint: the one that may hold a position is found by bisection
        taken_starts = [m.start() for m, _v, _e in raw]
        taken_ends = [m.end() for m, _v, _e in raw]
        extra = []
        for m in near(_MONTH_DAY_RX, self.text, _MONTH_MARK, 4, 12):
            k = bisect_right(taken_starts, m.start()) - 1  # the last span starting at or before m
            if k >= 0 and m.start() < taken_ends[k]:
                continue
            k = bisect_left(taken_starts, m.end()) - 1  # the last span starting before m's end
            if k >= 0 and m.end() <= taken_ends[k]:
                continue
            if m["same"] in _RELATIVE_YEAR:
                # "去年5月8日", "今年3月6日": the year counted from the document's own (its signing)
                if anchor is None:
                    continue
                year = anchor + _RELATIVE_YEAR[m["same"]]
            else:
                i = bisect_right(starts, m.start()) - 1
                if i < 0 or m.start() - full[i][1] > 120:
                    continue
                year = full[i][2].year + (1 if m["same"] == "次年" else 0)
            try:
                value, error = parse_cn_date(f"{year}年{small_number(m['m'])}月{small_number(m['d'])}日"), None
            except FormatError as exc:
                value, error = None, str(exc)
            extra.append((_Span(m.start(), m.end(), m.group(0)), value, error))
            if value is not None:
                # a date told so gives its year to the yearless ones after it ("从去年5月20日到9月12日")
                i = bisect_right(starts, m.start())
                starts.insert(i, m.start())
                full.insert(i, (m.start(), m.end(), value))
        return sorted([*raw, *extra], key=lambda r: r[0].start())

    def _own_year(self, full: list[tuple[int, int, dt.date]]) -> int | None:
        """The year of the document's own date — the last full date under its signatures — that
        "今年", "去年" and "明年" count from; None when it has none."""
        signed_at = self._signature_area()
        if signed_at is None:
            return None
        own = [v for a, _b, v in full if a >= signed_at]
        return own[-1].year if own else None

    def _on_own_line(self, start: int, end: int) -> bool:
        """A date that is (almost) the whole of its line, as under a signature, or that shares it only
        with the dates of signers beside it ("2026年7月21日2026年7月21日" under two seals)."""
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        line = self.text[line_start:len(self.text) if line_end < 0 else line_end]
        return len(line.strip()) - (end - start) <= 8 or len(DATE_RX.sub("", line).strip()) <= 8

    def _in_schedule_row(self, at: int) -> bool:
        """A date in a table row that also holds an amount (a cost table or a payment schedule in an
        annex after the signatures): a due or payment date, not the date under the seals."""
        block = self.ctx.doc.block_at(at)
        loc = block.location
        if block.kind != "table_cell" or loc.table is None or loc.row is None:
            return False
        row = self._table_rows.get((loc.table, loc.row), [])
        return any(_ROW_AMOUNT.fullmatch(text.strip()) for text in row)

    @cached_attribute
    def _table_rows(self) -> dict[tuple[int, int], list[str]]:
        rows: dict[tuple[int, int], list[str]] = {}
        for table, cells in self.ctx.doc.tables().items():
            for b in cells:
                if b.location.row is not None:
                    rows.setdefault((table, b.location.row), []).append(b.text)
        return rows

    def _signature_area(self) -> int | None:
        """Where a document's closing lines begin (after its last 此致 / 附 / 特此告知 / 申请人（盖章） / a seal,
        "（印章）" or "（赔偿权利人指定的部门印章）"), or None."""
        if self.ctx.kind not in _SIGNED_EVENT:
            return None
        marks = list(re.finditer(r"(?m)^[ \t　]*(?:此致|(?P<annex>附[：:件])|特此(?:告知|通知)|申请人[^：:\n]{0,12}(?:盖章|签名|签字)"
                                 r"|[^\n]{0,30}[（(][^）)\n]{0,16}(?:印章|盖章|公章)[）)])", self.text))
        # an annex list after the date ("此致 / …（公章） / 2025年2月17日 / 附件清单：…") does not move the
        # closing lines below the date: the last seal or 此致 decides; an annex line only when there is none
        closing = [m for m in marks if not m["annex"]] or marks
        if not closing:
            return None
        start = closing[-1].start()
        if closing[-1].group(0).rstrip().endswith(("章）", "章)")):
            # a seal's note under the signer and the date ("崇左市林业局 / 2025年3月5日 / （…部门印章）"):
            # the block of short lines just above it is part of the closing lines
            for _ in range(3):
                above = self.text.rfind("\n", 0, max(0, start - 1)) + 1
                line = self.text[above:start].strip()
                if not line or len(line) > 30 or _NOT_SIGNER_LINE.search(line) or above == start:
                    break
                start = above
        return start

    def _in_range(self, raw: list, i: int) -> bool:
        m = raw[i][0]
        before = self.text[max(0, m.start() - 3):m.start()]
        after = self.text[m.end():m.end() + 3]
        return bool(_RANGE_BEFORE.search(before) and i > 0) or bool(
            _RANGE_AFTER.match(self.text[m.end():m.end() + 8])) or after.startswith("至")

    def _event(self, start: int, end: int, in_range: bool) -> str | None:
        if _MEETINGS_LISTED.search(self.text, max(0, start - 60), start):
            return "meeting"  # "经过5次磋商（2024年11月20日、12月18日，2025年1月15日、…）", "磋商会议记录（2025年4月22日、5月13日）"
        s0, s1 = self.ctx.seg.sentence_at(start)
        s0 = max(s0, start - 60)
        if s0 > 0 and self.text[s0 - 1] == "\n":
            # a line under a short heading ("四、磋商会议时间和地点" / "时间：2025年5月16日"): the heading
            # says what the date is
            h0 = self.text.rfind("\n", 0, s0 - 1) + 1
            if len(self.text[h0:s0 - 1].strip()) <= 20:
                s0 = h0
        s1 = min(max(s1, end), end + 60)
        # a title (《…非法采砂…协议》) names a document: the acts it mentions are not the clause's act
        window = _TITLE.sub(_named, self.text[s0:start] + "@@" + self.text[end:s1])
        if in_range:
            # "3月1日至3月20日进行磋商": a range is the consultation's when its own clause says so
            # ("…至四月二十六日开展损害调查，…，六月十八日制作磋商告知书"
            # is not); a range that ends its clause ("从5月20日到9月12日，双方进行了五轮磋商") is told by the next
            own = _clause_after(self.text, end, s1)
            if not own.strip(" \t　，,"):
                own = _clause_after(self.text, end + len(own) + 1, s1)
            return "meeting" if "磋商" in own else None
        if DEADLINE_AFTER.match(self.text, end):
            return None  # "于2026年9月30日前出具评估意见": a time limit, not the day the act was done
        # the date's own clause first ("…送达磋商告知书，双方于@@召开磋商会议": a meeting, whatever the
        # clause before says), then the whole sentence
        at = window.index("@@")
        agreed = _PARTIES_AGREED.match(self.text, end)
        if agreed is not None and _ANOTHER_DAY.search(_ASIDE.sub("", _MEETINGS_PASSED.sub("", agreed.group(0)))):
            # "X日，…送达磋商告知书，经…两次磋商，Y日，…与…达成了如下协议": Y is the agreement's; days in
            # an aside ("X日，…经磋商（告知书于…送达，…召开磋商会议），达成了如下协议") leave X the agreement's
            agreed = None
        if agreed is not None and ("《" not in agreed["object"] or re.search(r"赔偿|生态", agreed["object"])):
            return "agreement"  # "2024年12月28日，申请人X局与Y有限公司经两次磋商，就…一案达成了…协议"
        signed = _SIGNED_TITLE.match(window, at + 2)
        if signed is not None:
            # "于@@签订的《…赔偿协议》有效" is the agreement's day whatever the sentence says around it;
            # "于@@签订的《场地平整工程施工合同》" is another contract's
            return "agreement" if "协议" in signed["title"] else None
        c0 = max(window.rfind(mark, 0, at) for mark in "，,；;") + 1
        after = [i for i in (window.find(mark, at) for mark in "，,；;") if i >= 0]
        clause = window[c0:min(after) if after else len(window)]
        for text in (clause, window):
            for event, rx in _EVENT_RX:
                if rx.search(text):
                    if event == "notice" and _OTHER_NOTICE.search(text[:text.index("@@")]):
                        continue  # "履行催告书及送达回证（2025-09-03）": a demand's service, not the notice's
                    return event
        return None

    def typed(self, event: str) -> list[DateValue]:
        return [d for d in self.dates if d.event == event and d.value is not None]

    def meeting_dates(self) -> list[DateValue]:
        return [d for d in self.dates if d.value is not None and (d.event == "meeting")]

    # ---- identifiers

    @cached_attribute
    def identifiers(self) -> list[IdValue]:
        out: list[IdValue] = []
        taken_starts: list[int] = []  # labelled codes, in text order and disjoint
        taken_ends: list[int] = []
        for m in ID_LABEL_RX.finditer(self.text):
            label = m["label"] + (m["paren"] or "")
            if "身份" in m["label"] and "信用" not in label:
                expected = "ric"
            elif "身份" in label:
                expected = "unknown"  # 统一社会信用代码（身份证号）
            else:
                expected = "uscc"
            out.append(IdValue(m["code"], m.start("code"), m.end("code"), m["label"], expected))
            taken_starts.append(m.start("code"))
            taken_ends.append(m.end("code"))
        for m in BARE_CODE_RX.finditer(self.text):
            i = bisect_right(taken_starts, m.start()) - 1
            if i >= 0 and m.start() < taken_ends[i]:
                continue  # already read with its label
            if _OTHER_NUMBER_LEAD.search(self.text, max(0, m.start() - 12), m.start()):
                continue  # "账号：0302120000…", "联单编号320623…": another number, not a code to check
            out.append(IdValue(m.group(0), m.start(), m.end(), None, "unknown"))
        out.sort(key=lambda v: v.start)
        return at_most(out, "identifiers")

    # ---- parties

    @cached_attribute
    def parties(self) -> list[Party]:
        out = []
        third = third_party_labels(self.text)
        for m in PARTY_LABEL_RX.finditer(self.text):
            name = m["name"].strip()
            line_end = self.text.find("\n", m.start("name"))
            if re.fullmatch(r"[_＿×ＸXx\-—…]+", name) or is_label(name) \
                    or is_statement(self.text[m.start("name"):line_end if line_end >= 0 else len(self.text)]):
                continue  # a blank, the next field's label ("甲方：名称") read as the name, a party's statement
            role = _role_key(m["label"], m["role"] or "", third)
            out.append(Party(role, name, m.start("name"), m.end("name")))
        # the parties the understanding layer read from blocks a label regex cannot (a table's "申请人
        # （赔偿义务人）| 名称 | X", a salutation, a letterhead sender)
        seen = {(p.start, p.name) for p in out}
        for block in self.ctx.text_parties:
            if not block.name or not block.label or not _CLEAN_NAME.fullmatch(block.name) or is_label(block.name):
                continue
            at = self.text.find(block.name, block.start, block.end + len(block.name))
            if at < 0 or any(p.start <= at < p.end or (at, block.name) in seen for p in out):
                continue
            label, _, paren = block.label.partition("（")
            out.append(Party("third" if block.side == "third" else _role_key(label, paren, third), block.name, at,
                             at + len(block.name)))
        out.sort(key=lambda p: p.start)
        return at_most(out, "parties")

    @cached_attribute
    def party_identifiers(self) -> dict[str, set[str]]:
        """Each named party's identifiers: a labelled 统一社会信用代码/身份证号 that follows the name
        before any other party is named (and within 160 characters)."""
        bound: dict[str, set[str]] = {}
        ordered = sorted(self.parties, key=lambda q: q.start)
        starts = [q.start for q in ordered]
        # next_other[j]: the first index >= j whose name differs from ordered[j]'s
        next_other = [len(ordered)] * (len(ordered) + 1)
        for j in range(len(ordered) - 2, -1, -1):
            next_other[j] = j + 1 if ordered[j + 1].name != ordered[j].name else next_other[j + 1]
        labelled = [v for v in self.identifiers if v.label]
        id_starts = [v.start for v in labelled]
        for p in ordered:
            limit = p.end + 160
            j = bisect_left(starts, p.end)  # the parties named after p
            if j < len(ordered) and ordered[j].name == p.name:
                j = next_other[j]
            if j < len(ordered):
                limit = min(limit, ordered[j].start)
            k = bisect_left(id_starts, p.end)
            if k < len(labelled) and labelled[k].start <= limit:
                code_at = labelled[k].start
                head = self.text[max(p.end, self.text.rfind("\n", 0, code_at) + 1):code_at]
                if names_a_body(head) and p.name not in head:
                    continue  # "如东县人民政府（…），统一社会信用代码…": the code of the body named on its own line
                code = labelled[k].code.upper()
                if (_PERSON.fullmatch(p.name) and not names_a_body(p.name) and _ORGAN_CODE.match(code)
                        and classify_identifier(code) == "uscc"):
                    continue  # a person has no organ's code (USCC 1…): the code of the body named next
                bound.setdefault(p.name, set()).add(code)
        return bound

    @cached_attribute
    def organisations(self) -> list[tuple[str, int, int]]:
        found = [(m.group(0), m.start(), m.end()) for m in near(ORG_RX, self.text, _ORG_SUFFIX_RX, 32, 6)]
        if self.ctx.doc.format == "pdf":  # a name a narrow cell wrapped ("…再生物资" / "回收有限公司")
            closed, closed_at = closed_wraps_across(self.text)
            for m in near(ORG_RX, closed, _ORG_SUFFIX_RX, 32, 6):
                k = bisect_right(closed_at, m.start())
                if k < len(closed_at) and closed_at[k] < m.end():
                    found.append((m.group(0), original_offset(closed_at, m.start()),
                                  original_offset(closed_at, m.end() - 1) + 1))
            found.sort(key=lambda f: f[1])
        return at_most(found, "organisations")


#: a name as written in a party block: an organisation's or a person's, nothing else around it
#: a natural person's name, and the USCC of a body registered by authorities 1–8 (机构编制, 外交, 司法行政,
#: 文化, 民政, 旅游, 宗教, 工会: GB 32100), never a person's (whose businesses register under 9, 个体工商户 92)
_PERSON = re.compile(r"[\u4e00-\u9fff]{2,4}")
_ORGAN_CODE = re.compile(r"[1-8][0-9A-Z]{17}$")

_CLEAN_NAME = re.compile(r"[\u4e00-\u9fff（）()·]{2,40}?(?:有限责任公司|股份有限公司|有限公司|公司|合作社|局|分局|委员会|厂)"
                         r"|[\u4e00-\u9fff]{2,4}")


def _role_key(label: str, role: str, third: Collection[str] = ()) -> str:
    """A party's role from its label and parenthetical; ``third``: the labels the document defines as a
    third party (a restorer, a guarantor)."""
    whole = label + role
    if label in third or third_party_words().search(whole):
        return "third"
    index = re.search(r"[一二三四五六七八九0-9]$", label)
    suffix = index.group(0) if index else ""
    if "义务人" in whole and "被告知" not in label and "申请" not in label:
        return "obligor" + suffix
    if "权利人" in whole and "申请" not in label:
        return "claimant"
    if label.startswith("被"):
        return "respondent" + suffix
    if "申请" in label and "义务人" in role:
        return "applicant_obligor"
    if "申请" in label and "权利人" in role:
        return "applicant_claimant"
    return re.sub(r"名称.*$", "", label)
