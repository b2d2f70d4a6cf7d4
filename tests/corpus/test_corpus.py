"""Tests for the regulation corpus: parsing, addresses, search, citations and source status."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from corpus import Corpus, Hit, Source, Unit, cn_to_int, int_to_cn, load_corpus
from corpus.loader import CORPUS_DIR
from ecokernel.errors import CorpusError

D = dt.date


@pytest.fixture(scope="module")
def c() -> Corpus:
    return load_corpus()


def text(c: Corpus, address: str) -> str:
    return c.get(address).text


# --------------------------------------------------------------------------- loading


def test_load_is_cached(c: Corpus) -> None:
    # no timed assertion here (it failed under load): speed is measured in bench/, not asserted in tests
    assert load_corpus() is c
    fresh = load_corpus.__wrapped__()
    assert fresh is not c
    assert len(fresh.units()) == len(c.units())


def test_public_types(c: Corpus) -> None:
    unit = c.get("guangxi:21")
    assert isinstance(unit, Unit)
    assert isinstance(c.sources["guangxi"], Source)
    assert all(isinstance(h, Hit) for h in c.search("违约责任"))


def test_all_sources_declared(c: Corpus) -> None:
    local = {"guangxi", "zhangye", "hengshui", "nantong", "xinzhou"}
    national = {
        "minfadian",
        "minsufa",
        "minsufa_jieshi",
        "spc_eco",
        "spc_enforcement",
        "guanli_guiding",
        "gbt9704",
        "gb32100",
        "gb11643",
        "piaoju",
        "susong_fee",
        "rmb_upper",
        "ogi",
    }
    assert set(c.sources) == local | national
    for key in local:
        assert (CORPUS_DIR / "texts" / c.sources[key].file).is_file()
        assert c.sources[key].verbatim is True
    for key in national:
        assert c.sources[key].file == "national.yaml"
        assert c.units(key), key


def test_source_metadata(c: Corpus) -> None:
    s = c.sources
    assert s["guangxi"].status == "draft" and s["guangxi"].effective_from is None
    assert s["guangxi"].title == "广西壮族自治区生态环境损害赔偿工作细则（征求意见稿）"
    assert s["zhangye"].status == "trial"
    assert (s["zhangye"].issued, s["zhangye"].effective_to) == (D(2024, 10, 9), D(2026, 10, 8))
    assert s["hengshui"].doc_number == "衡环规范〔2021〕1号"
    assert s["hengshui"].effective_from == D(2021, 4, 10) and s["hengshui"].effective_to is None
    assert (s["nantong"].effective_from, s["nantong"].effective_to) == (D(2023, 5, 1), D(2028, 4, 30))
    assert s["xinzhou"].status == "plan" and s["xinzhou"].effective_to is None
    assert s["guanli_guiding"].doc_number == "环法规〔2022〕31号"
    for source in s.values():
        if source.status_basis:
            c.get(source.status_basis)


# --------------------------------------------------------------------------- clean text


def test_no_artefacts_in_any_unit(c: Corpus) -> None:
    for unit in c.units():
        for bad in ("[bookmark", "<p", "</", "**", "\t", "\r"):
            assert bad not in unit.text, (unit.address, bad)
        assert unit.text == unit.text.strip(), unit.address
        assert unit.text, unit.address
        assert not any(line.startswith(("# ", "- ", "---")) for line in unit.text.split("\n")), unit.address


@pytest.mark.parametrize(("key", "count"), [("guangxi", 43), ("zhangye", 32), ("hengshui", 15)])
def test_articles_complete_and_in_sequence(c: Corpus, key: str, count: int) -> None:
    articles = [u for u in c.units(key) if u.kind == "article"]
    assert [u.address for u in articles] == [f"{key}:{n}" for n in range(1, count + 1)]
    assert [u.label for u in articles][:3] == ["第一条", "第二条", "第三条"]
    assert articles[-1].label == f"第{int_to_cn(count)}条"
    for unit in articles:  # no article swallowed another one
        assert not any(re.match(r"第[一二三四五六七八九十百]+条", line) for line in unit.text.split("\n"))


def test_tree_is_consistent(c: Corpus) -> None:
    units = {u.address: u for u in c.units()}
    for unit in units.values():
        assert unit.address.startswith(unit.source + ":")
        if unit.parent is not None:
            assert unit.address in units[unit.parent].children
        for child in unit.children:
            assert units[child].parent == unit.address
            first = units[child].text.split("\n")[0]
            assert first in unit.text, (unit.address, child)


def test_split_lines_rejoined(c: Corpus) -> None:
    assert "持续一周以上超过排放标准或者超过总量控制指标排放大气、水污染物的；" in text(c, "hengshui:3(一)")
    assert "实行跟踪管理并推进生态环境损害索赔工作" in text(c, "hengshui:4")
    assert "应委托开展修复效果评估" in text(c, "hengshui:12")
    assert "建立完善生态环境损害赔偿制度和相关机制" in text(c, "zhangye:4")
    assert "开展环境健康问题调查研究、环境与健康" in text(c, "zhangye:5")
    assert "做到一案一卷" in text(c, "zhangye:29")
    assert "公安局、司法局、财政局" in text(c, "hengshui:印发")
    assert "向XX人民法院申请司法确认" in text(c, "zhangye:附件[11]")


def test_prose_spacing_normalised(c: Corpus) -> None:
    assert text(c, "hengshui:15") == "本办法自2021年4月10日起施行。"
    assert "最后一个月25日之前" in text(c, "zhangye:12")
    assert "试行期2年" in text(c, "zhangye:32")
    assert "市生态环境局等11部门" in text(c, "hengshui:印发")


# --------------------------------------------------------------------------- pinned texts


def test_guangxi_pins(c: Corpus) -> None:
    assert "违约责任的承担" in text(c, "guangxi:21")
    assert "15个工作日内签署" in text(c, "guangxi:21")
    assert "50%" in text(c, "guangxi:26(三)")
    assert "最长不得超过3年" in text(c, "guangxi:26(四)")
    assert "履约保证金" in text(c, "guangxi:26(四)")
    t13 = text(c, "guangxi:13")
    assert "60日" in t13 and "延长30日" in t13 and "鉴定评估时间不计入调查期限" in t13
    assert c.get("guangxi:14").children == [f"guangxi:14({n})" for n in "一二三四五六"]
    assert "显著轻微" in text(c, "guangxi:14(三)")
    assert "三次磋商" in text(c, "guangxi:22(五)")
    assert text(c, "guangxi:42") == "本工作细则中的期限按自然日计算，明确注明为工作日的除外。"
    assert "5个工作日" in text(c, "guangxi:12")
    assert "不超过30万元" in text(c, "guangxi:15") and "不少于3人" in text(c, "guangxi:15")
    assert "不得由生态环境损害修复方案的编制单位实施" in text(c, "guangxi:25")
    assert "缴入同级国库" in text(c, "guangxi:35")
    assert "海洋" in text(c, "guangxi:5(二)")


def test_guangxi_annexes(c: Corpus) -> None:
    annex1 = c.get("guangxi:附件1")
    assert annex1.title == "广西壮族自治区生态环境损害赔偿职责分工"
    assert annex1.children == ["guangxi:附件1一", "guangxi:附件1二"]
    assert "水利主管部门" in text(c, "guangxi:附件1一(四)")
    assert "自治区科技厅" in text(c, "guangxi:附件1二(三)")
    forms = c.get("guangxi:附件2").children
    assert forms == [f"guangxi:附件2[{n}]" for n in range(1, 8)]
    agreement = c.get("guangxi:附件2[5]")
    assert agreement.kind == "form"
    assert agreement.title == "生态环境损害赔偿协议"
    assert agreement.label == "附件2[5] 生态环境损害赔偿协议"
    for needle in (
        "签订时间：",
        "签订地点：",
        "一、生态环境损害事实、相关证据和法律依据",
        "（三）相关法律依据及规定",
        "二、生态环境损害责任认定",
        "四、其他约定",
        "法定代表人（签字）",
    ):
        assert needle in agreement.text, needle
    assert agreement.text.startswith("生态环境损害赔偿协议\n（封  面）")
    assert "\n\n" in agreement.text  # blank space to fill in is kept (collapsed)
    assert "\n\n\n" not in agreement.text
    notice = text(c, "guangxi:附件2[4]")
    assert "（二）受邀参与磋商的单位或部门：\n四、磋商会议时间和地点：" in notice  # merged line split back
    assert "此致\n××人民法院" in text(c, "guangxi:附件2[6]")
    assert "司法确认文书号" in text(c, "guangxi:附件2[7]")
    start_form = text(c, "guangxi:附件2[1]")
    assert "案件来源" in start_form and "机构负责人" in start_form and "年    月    日" in start_form


def test_zhangye_pins(c: Corpus) -> None:
    assert "三十日内" in text(c, "zhangye:9")
    assert "每季度最后一个月25日之前" in text(c, "zhangye:12")
    assert "每年1月10日前" in text(c, "zhangye:28")
    assert text(c, "zhangye:31") == "本工作机制中的期限按自然日计算。"
    assert "自印发之日起施行,试行期2年" in text(c, "zhangye:32")
    assert "缴纳赔偿金至本级国库" in text(c, "zhangye:22")
    assert c.get("zhangye:第七章").title == "附则"


def test_zhangye_forms(c: Corpus) -> None:
    annex = c.get("zhangye:附件")
    assert annex.title == "生态环境损害赔偿文书示范文本"
    assert annex.children == [f"zhangye:附件[{n}]" for n in range(1, 12)]
    notice = c.get("zhangye:附件[4]")
    assert notice.title == "生态环境损害赔偿磋商告知书"
    assert "5个工作日" in notice.text
    assert "逾期未提交或答复不同意磋商的" in notice.text
    assert c.get("zhangye:附件[9]").title == "案件移送函"  # TOC title; the body heading says 移送函
    assert text(c, "zhangye:附件[9]").startswith("生态环境损害赔偿移送函")
    assert "甘X环赔〔202X〕号" in text(c, "zhangye:附件[1]")
    assert "<p" not in text(c, "zhangye:附件[1]") and "经办人: 年 月 日" in text(c, "zhangye:附件[1]")
    assert "经过X轮磋商" in text(c, "zhangye:附件[11]")
    assert "抄送" not in text(c, "zhangye:附件[11]")  # 版记 is not part of the last form


def test_zhangye_preamble_and_colophon(c: Corpus) -> None:
    notice = text(c, "zhangye:印发")
    assert "印发你们" in notice and notice.endswith("2024年10月9日")
    assert "张掖市市场监督管理局" in notice
    colophon = text(c, "zhangye:版记")
    assert colophon.startswith("抄送：") and "2024年10月9日印发" in colophon


def test_hengshui_pins(c: Corpus) -> None:
    assert "损害行为发生地周边" in text(c, "hengshui:10")
    assert "另有商定的，按商定执行" in text(c, "hengshui:10")
    t12 = text(c, "hengshui:12")
    assert "替代修复的价值量应当与损害价值量相当" in t12 and "应当在协议中载明" in t12
    assert "政府非税收入全额上缴市财政" in text(c, "hengshui:13")
    assert "不适用本办法" in text(c, "hengshui:2")
    notice = text(c, "hengshui:印发")
    assert notice.startswith(
        "衡环规范〔2021〕1号\n衡水市生态环境局等十一部门关于印发《衡水市生态环境损害赔偿管理办法(试行)》的通知"
    )
    assert notice.endswith("2021年4月8日")
    assert text(c, "hengshui:版记").endswith("2021年4月8日印")


def test_nantong_pins(c: Corpus) -> None:
    six = c.get("nantong:(六)")
    assert six.title == "积极探索简易快速评估程序"
    assert "低于五十万元" in six.text and "不包括鉴定评估费用、监测及检验费用等" in six.text
    assert six.label == "（六）" and six.parent == "nantong:三"
    nine = c.get("nantong:(九)")
    assert nine.title == "坚持修复优先理念"
    assert "劳务代偿工作价值量核算" in nine.text
    assert "在赔偿义务人提供有效担保的情况下，可以采取分期赔付" in nine.text
    assert "全额缴入赔偿权利人同级国库" in text(c, "nantong:(十一)")
    assert "三十日内" in text(c, "nantong:(二)")
    assert text(c, "nantong:附则") == "本文件自2023年5月1日起施行，有效期至2028年4月30日。"
    assert "本文件自" not in text(c, "nantong:(十六)")
    assert "县（市、区）人民政府、开发区管理委员会受市政府指定" in text(c, "nantong:(一)")
    items = [u.address for u in c.units("nantong") if u.kind == "item"]
    expected = [f"nantong:({int_to_cn(n)})" for n in range(1, 17) if n != 10]
    assert items == expected
    assert c.get("nantong:三").title == "工作重点"


def test_xinzhou_pins(c: Corpus) -> None:
    start = c.get("xinzhou:三(三)")
    assert start.title == "启动条件"
    assert start.children == [f"xinzhou:三(三){n}" for n in range(1, 5)]
    for needle in ("完成生态环境损害调查", "完成生态环境损害鉴定或者评估", "完成生态修复方案"):
        assert needle in start.text
    assert text(c, "xinzhou:三(一)1") == "发生较大及以上突发环境事件的；"
    money = c.get("xinzhou:四(八)")
    assert money.title == "加强生态环境损害赔偿资金管理"
    assert "作为政府非税收入，全额上缴同级财政" in money.text
    assert "人身伤害" in text(c, "xinzhou:三(二)")
    assert text(c, "xinzhou:序言").startswith("为全面贯彻落实")
    table = text(c, "xinzhou:附件").split("\n")
    assert table[0] == "生态环境损害赔偿制度改革试点工作任务分工表"
    assert table[1] == "序号 | 工作任务 | 牵头单位 | 完成时限 | 参与单位"
    assert table[-1].startswith("3 | 研究制定") and "市中级人民法院 | 2019.12" in table[-1]


def test_titles_and_labels(c: Corpus) -> None:
    assert c.get("guangxi:26(一)").title == "劳务代偿"
    assert c.get("guangxi:26(三)").label == "第二十六条第（三）项"
    assert c.get("guangxi:21").title is None
    assert c.get("guangxi:第五章").title == "生态环境损害赔偿磋商"
    assert c.get("guangxi:21").parent == "guangxi:第五章"
    assert c.get("xinzhou:四(八)").label == "第四部分（八）"
    assert c.get("minsufa:250").label == "第二百五十条"
    assert c.get("minfadian:1235(一)").label == "第一千二百三十五条第（一）项"


# --------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("guangxi：26（三）", "guangxi:26(三)"),
        ("guangxi:二十一", "guangxi:21"),
        ("guangxi:第二十一条", "guangxi:21"),
        ("guangxi:第二十六条第三项", "guangxi:26(三)"),
        ("guangxi:第二十六条第（三）项", "guangxi:26(三)"),
        ("guangxi: 22 (五)", "guangxi:22(五)"),
        ("zhangye:附件［4］", "zhangye:附件[4]"),
        ("zhangye:附件【4】", "zhangye:附件[4]"),
        ("guangxi:附件一", "guangxi:附件1"),
        ("guangxi:附件2［5］", "guangxi:附件2[5]"),
        ("nantong:（六）", "nantong:(六)"),
        ("nantong:三(六)", "nantong:(六)"),
        ("xinzhou:四（八）", "xinzhou:四(八)"),
        ("xinzhou:三、(一)1.", "xinzhou:三(一)1"),
        ("minsufa:二百五十", "minsufa:250"),
        ("minsufa:第250条", "minsufa:250"),
        ("guanli_guiding:第十八条第一款第三项", "guanli_guiding:18¶1(三)"),
        ("广西细则:21", "guangxi:21"),
        ("GUANGXI:21", "guangxi:21"),
        ("guangxi:14¶1(三)", "guangxi:14(三)"),
    ],
)
def test_address_aliases(c: Corpus, alias: str, canonical: str) -> None:
    assert c.get(alias).address == canonical
    assert c.resolve(alias) == canonical
    assert alias in c


@pytest.mark.parametrize(
    ("address", "needles"),
    [
        ("guangxi:99", ["guangxi:99", "广西细则没有第九十九条", "共43条", "guangxi:43"]),
        ("hengshui:16", ["衡水管理办法没有第十六条", "hengshui:15"]),
        ("guangxi:26(九)", ["第二十六条没有第（九）项", "guangxi:26(五)"]),
        ("guangxi:21(一)", ["第二十一条没有第（一）项"]),
        ("guangxi:附件1(三)", ["歧义", "guangxi:附件1一(三)", "guangxi:附件1二(三)"]),
        ("guangxi:附件3", ["没有附件3", "guangxi:附件2"]),
        ("zhangye:附件[12]", ["没有示范文本[12]", "zhangye:附件[11]"]),
        ("nantong:(十)", ["缺少（十）", "nantong:(九)"]),
        ("xinzhou:(八)", ["xinzhou:四(八)"]),
        ("xinzhou:(三)", ["歧义", "xinzhou:三(三)", "xinzhou:六(三)"]),
        ("guanli_guiding:18", ["第十八条只收录了", "guanli_guiding:18¶1(三)"]),
        ("guangxi:14¶3", ["没有第三款", "共2款"]),
        ("guangxi:14¶2(三)", ["不在第十四条第二款中"]),
        ("gbt9704:7.9", ["未收录GB/T 9704第7.9条款", "gbt9704:7.5"]),
        ("minsufa:1", ["本语料未收录民事诉讼法第一条", "minsufa:250"]),
        ("foo:1", ["没有名为“foo”的法规来源", "guangxi（广西细则）"]),
        ("guangxii:21", ["是否是“guangxi”"]),
        ("guangxi", ["来源:条款"]),
        ("guangxi:", ["缺少条款部分"]),
        ("guangxi:abc", ["无法识别“abc”"]),
    ],
)
def test_bad_addresses_explained(c: Corpus, address: str, needles: list[str]) -> None:
    with pytest.raises(CorpusError) as info:
        c.get(address)
    message = str(info.value)
    assert message.startswith(f"无法解析法规地址“{address}”")
    for needle in needles:
        assert needle in message, (needle, message)
    assert address not in c
    assert isinstance(info.value, KeyError)  # CorpusError is a KeyError too


def test_paragraphs(c: Corpus) -> None:
    second = c.get("guangxi:13¶2")
    assert second.kind == "paragraph" and second.parent == "guangxi:13"
    assert second.label == "第十三条第二款"
    assert second.text == "对未及时启动索赔的，赔偿权利人应当要求具体开展索赔工作的部门或机构及时启动索赔。"
    assert c.get("guangxi:第十三条第二款").address == "guangxi:13¶2"
    first = c.get("guangxi:14¶1")
    assert first.children == [f"guangxi:14({n})" for n in "一二三四五六"]
    assert "（六）其他可以不启动索赔程序的情形。" in first.text
    assert c.get("guangxi:14¶2").text.startswith("赔偿权利人及其指定的部门或机构在启动索赔程序后")
    assert "探索多样化的赔偿方式" in c.get("nantong:(九)¶5").text
    assert "guangxi:13¶2" not in {u.address for u in c.units()}  # computed on request only
    assert c.cite("guangxi:13¶2").endswith("第十三条第二款")


# --------------------------------------------------------------------------- search


def addresses(hits: list[Hit]) -> list[str]:
    return [h.unit.address for h in hits]


def test_search_finds_smallest_units(c: Corpus) -> None:
    assert addresses(c.search("违约责任的承担")) == ["guangxi:21"]
    assert addresses(c.search("技改抵扣")) == ["guangxi:26(三)"]  # not guangxi:26 as well
    assert addresses(c.search("五十万元")) == ["nantong:(六)"]
    assert addresses(c.search("5个工作日", "zhangye")) == ["zhangye:附件[4]"]
    assert "guangxi:21" not in addresses(c.search("5个工作日"))  # 15个工作日 is not 5个工作日
    money = addresses(c.search("非税收入"))
    for expected in ("guangxi:35", "hengshui:13", "nantong:(十一)", "xinzhou:四(八)"):
        assert expected in money
    assert addresses(c.search("自然日")) == ["guangxi:42", "zhangye:31"]
    hit = c.search("违约责任的承担")[0]
    assert "违约责任的承担" in hit.snippet and len(hit.snippet) <= 2 * 20 + len("违约责任的承担") + 2


def test_search_is_lenient_about_spacing_and_width(c: Corpus) -> None:
    assert addresses(c.search("试行期 2 年")) == ["zhangye:32"]
    assert "zhangye:1" in addresses(c.search("工作机制（试行）", "zhangye"))  # text has ASCII (试行)
    with pytest.raises(CorpusError):
        c.search("  ")
    with pytest.raises(CorpusError):
        c.search("x", "nowhere")


# --------------------------------------------------------------------------- cite and status


def test_cite(c: Corpus) -> None:
    assert c.cite("guangxi:21") == "《广西壮族自治区生态环境损害赔偿工作细则（征求意见稿）》第二十一条"
    assert (
        c.cite("guangxi:26(三)")
        == "《广西壮族自治区生态环境损害赔偿工作细则（征求意见稿）》第二十六条第（三）项"
    )
    assert c.cite("hengshui:13") == "《衡水市生态环境损害赔偿管理办法（试行）》第十三条"
    assert c.cite("nantong:(九)") == "《南通市关于贯彻落实生态环境损害赔偿管理规定的实施意见》（九）"
    assert c.cite("zhangye:附件[4]").endswith("附件[4] 生态环境损害赔偿磋商告知书")
    assert c.cite("gbt9704:7.5") == "GB/T 9704-2012《党政机关公文格式》7.5"
    assert c.cite("spc_eco:20") == "《最高人民法院关于审理生态环境损害赔偿案件的若干规定（试行）》第二十条"


@pytest.mark.parametrize(
    ("key", "day", "code", "needles"),
    [
        ("zhangye", D(2025, 6, 1), "in_force", ["试行期2年"]),
        ("zhangye", D(2026, 10, 8), "in_force", []),
        ("zhangye", D(2026, 10, 9), "expired", ["试行期2年，已于2026年10月8日届满"]),
        ("zhangye", D(2026, 11, 23), "expired", ["试行期2年，已于2026年10月8日届满", "2026年11月23日"]),
        ("zhangye", D(2024, 10, 8), "not_yet_effective", ["2024年10月9日"]),
        ("nantong", D(2028, 4, 30), "in_force", []),
        ("nantong", D(2028, 5, 1), "expired", ["2028年4月30日"]),
        ("nantong", D(2023, 4, 30), "not_yet_effective", ["2023年5月1日"]),
        ("guangxi", D(2025, 1, 1), "draft", ["征求意见稿"]),
        ("guangxi", D(2030, 1, 1), "draft", []),
        ("hengshui", D(2021, 4, 9), "not_yet_effective", ["2021年4月10日"]),
        ("hengshui", D(2030, 1, 1), "in_force", []),
        ("xinzhou", D(2025, 1, 1), "plan", ["实施方案"]),
        ("spc_eco", D(2025, 1, 1), "in_force", []),
    ],
)
def test_source_status(c: Corpus, key: str, day: dt.date, code: str, needles: list[str]) -> None:
    got, explanation = c.source_status(key, day)
    assert got == code, explanation
    assert explanation.startswith(f"《{c.sources[key].title}》")
    for needle in needles:
        assert needle in explanation


def test_source_status_unknown_source(c: Corpus) -> None:
    with pytest.raises(CorpusError, match="没有名为"):
        c.source_status("nowhere", D(2025, 1, 1))


# --------------------------------------------------------------------------- national baseline

NATIONAL_REQUIRED = [
    *(f"minfadian:{n}" for n in (201, 202, 203, 1229, 1230, 1231, 1232, 1233, 1234, 1235)),
    *(f"minsufa:{n}" for n in (85, 205, 206, 235, 247, 250)),
    *(f"minsufa_jieshi:{n}" for n in (351, 353, 354, 358, 372, 460, 461, 481)),
    *(f"spc_eco:{n}" for n in (1, 2, 3, 5, 12, 14, 20, 21, 22)),
    *(f"spc_enforcement:{n}" for n in (16, 18, 20, 22)),
    "guanli_guiding:4",
    "guanli_guiding:18¶1(三)",
    "guanli_guiding:20¶2",
    *(f"gbt9704:{n}" for n in ("5.2.1", "7.2.5", "7.3.1", "7.3.3", "7.3.5.4", "7.5")),
    "gb32100:校验码",
    "gb11643:校验码",
    "piaoju:8",
    *(f"rmb_upper:{n}" for n in "一二三四五"),
    "rmb_upper:四(四)",
]


@pytest.mark.parametrize("address", NATIONAL_REQUIRED)
def test_national_units_present(c: Corpus, address: str) -> None:
    unit = c.get(address)
    assert unit.status in ("V", "S")
    assert unit.read_at


def test_national_units_carry_provenance(c: Corpus) -> None:
    for unit in c.units():
        if c.sources[unit.source].file == "national.yaml":
            assert unit.status in ("V", "S"), unit.address
            assert unit.read_at, unit.address
        else:
            assert unit.status is None and unit.read_at is None


def test_national_verbatim_flags(c: Corpus) -> None:
    assert c.get("minfadian:1232").verbatim is True
    assert (
        text(c, "minfadian:1232")
        == "侵权人违反法律规定故意污染环境、破坏生态造成严重后果的，被侵权人有权请求相应的惩罚性赔偿。"
    )
    assert c.get("piaoju:8").verbatim is True
    assert "二者不一致的，票据无效" in text(c, "piaoju:8")
    assert c.get("gbt9704:7.5").verbatim is True and "7mm" in text(c, "gbt9704:7.5")
    assert c.get("gbt9704:7.3.5.4").verbatim is True
    assert c.get("minfadian:1235").verbatim is False  # lead-in summarised …
    assert c.get("minfadian:1235(一)").verbatim is True  # … items quoted
    assert c.get("spc_eco:20").verbatim is False
    assert c.get("minsufa:250").verbatim is False


def test_national_facts(c: Corpus) -> None:
    assert "公告期间不少于三十日" in text(c, "spc_eco:20")
    assert "裁定确认协议有效" in text(c, "spc_eco:20")
    assert "申请执行的期间为二年" in text(c, "minsufa:250")
    assert "最后一期履行期限届满之日" in text(c, "minsufa:250")
    assert "十五日内" in text(c, "minsufa_jieshi:372")
    assert "执行标的" in text(c, "spc_enforcement:18(一)") and "财产状况" in text(c, "spc_enforcement:18(一)")
    assert "海洋" in text(c, "spc_eco:2(二)")
    assert "显著轻微，且不需要赔偿的" in text(c, "guanli_guiding:18¶1(三)")
    assert "1、3、9、27、19、26、16、17、20、29、25、13、8、24、10、30、28" in text(c, "gb32100:校验码")
    assert "7、9、10、5、8、4、2、1、6、3、7、9、10、5、8、4、2" in text(c, "gb11643:校验码")
    assert "壹仟肆佰零玖元伍角" in text(c, "rmb_upper:四(一)")
    # only what LEGAL-FACTS confirms for the 管理规定 (the rest of its articles is [U])
    assert [u.address for u in c.units("guanli_guiding")] == [
        "guanli_guiding:4",
        "guanli_guiding:18¶1(三)",
        "guanli_guiding:20¶2",
    ]


# --------------------------------------------------------------------------- profiles' bases

PROFILE_BASES = [
    "guangxi:12",
    "guangxi:13",
    "guangxi:15",
    "guangxi:16",
    "guangxi:20",
    "guangxi:21",
    "guangxi:25",
    "guangxi:26",
    "guangxi:26(三)",
    "guangxi:26(四)",
    "guangxi:35",
    "guangxi:42",
    "guangxi:5",
    *(f"guangxi:附件2[{n}]" for n in range(1, 8)),
    "zhangye:9",
    "zhangye:12",
    "zhangye:28",
    "zhangye:31",
    *(f"zhangye:附件[{n}]" for n in range(1, 12)),
    "hengshui:2",
    "hengshui:10",
    "hengshui:12",
    "hengshui:13",
    "nantong:(二)",
    "nantong:(六)",
    "nantong:(九)",
    "nantong:(十一)",
    "xinzhou:三(二)",
    "xinzhou:三(三)",
    "xinzhou:四(八)",
    "spc_eco:2",
    "spc_eco:20",
    "minsufa:85",
    "minsufa:250",
    "minsufa_jieshi:372",
    "minfadian:201",
    "minfadian:203",
]


@pytest.mark.parametrize("address", PROFILE_BASES)
def test_profile_bases_resolve(c: Corpus, address: str) -> None:
    assert c.get(address).address == address


# --------------------------------------------------------------------------- numerals


def test_chinese_numerals_round_trip() -> None:
    for n in range(1, 2000):
        assert cn_to_int(int_to_cn(n)) == n
    assert int_to_cn(10) == "十" and int_to_cn(21) == "二十一" and int_to_cn(201) == "二百零一"
    assert (
        int_to_cn(110) == "一百一十" and int_to_cn(1235) == "一千二百三十五" and int_to_cn(1005) == "一千零五"
    )
    assert cn_to_int("两") == 2 and cn_to_int("二〇二") == 202
    with pytest.raises(ValueError):
        cn_to_int("甲")


# --------------------------------------------------------------------------- data-driven layout

CITY_TEXT = """某市生态环境损害赔偿办法

第一章 总 则
第一条 为规范工作，制定本办法。
第二条 赔偿义务人应当履行下列义务：
（一）开展修复
并接受监督；
（二）缴纳赔偿金。
第三条 本办法自 2030 年 1 月 1 日起施行。
抄送：各县区。
"""

CITY_SOURCES = """
sources:
  - key: somecity
    file: somecity.txt
    title: 某市生态环境损害赔偿办法
    short: 某市办法
    status: in_force
    effective_from: 2030-01-01
    layout:
      numbering: articles
      join_split_lines: true
      fixes: [{find: "第一条 为规范工作", replace: "第一条 为规范生态环境损害赔偿工作"}]
      regions:
        - {kind: skip}
        - {kind: body, start: "^第一章"}
        - {kind: named, name: 版记, label: 版记, start: "^抄送"}
"""


def test_new_city_is_data_only(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "somecity.txt").write_text(CITY_TEXT, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(CITY_SOURCES, encoding="utf-8")
    city = load_corpus(tmp_path)
    assert [u.address for u in city.units() if u.kind == "article"] == [f"somecity:{n}" for n in (1, 2, 3)]
    assert text(city, "somecity:1") == "为规范生态环境损害赔偿工作，制定本办法。"
    assert text(city, "somecity:2(一)") == "开展修复并接受监督；"
    assert text(city, "somecity:3") == "本办法自2030年1月1日起施行。"
    assert text(city, "somecity:版记") == "抄送：各县区。"
    assert city.source_status("somecity", D(2029, 12, 31))[0] == "not_yet_effective"


def test_layout_errors_are_loud(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "somecity.txt").write_text(
        CITY_TEXT.replace("第一条 为规范工作", "第一条 为了规范"), encoding="utf-8"
    )
    (tmp_path / "sources.yaml").write_text(CITY_SOURCES, encoding="utf-8")
    with pytest.raises(CorpusError, match="修正项"):
        load_corpus(tmp_path)
    (tmp_path / "texts" / "somecity.txt").write_text(CITY_TEXT.replace("第三条", "第四条"), encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        CITY_SOURCES.replace("      fixes:", "      fixes_off:"), encoding="utf-8"
    )
    with pytest.raises(CorpusError, match=r"sources\.yaml"):
        load_corpus(tmp_path)
    (tmp_path / "sources.yaml").write_text(
        CITY_SOURCES.replace(
            '      fixes: [{find: "第一条 为规范工作", replace: "第一条 为规范生态环境损害赔偿工作"}]\n', ""
        ),
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match="条文编号不连续"):
        load_corpus(tmp_path)
