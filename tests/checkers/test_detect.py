"""Kind and jurisdiction detection: the model texts of the corpus, documents written in other styles,
and tricky negatives. Accuracy over the labelled set is printed (``-s``) and must be perfect."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checkers.detect import CHECKABLE, detect_doc_type, detect_jurisdiction, place_data
from checkers.document import Document, from_text
from checkers.extract import read_document
from corpus.loader import load_corpus
from tests.fixtures.extract.builders import docx, p

ROOT = Path(__file__).resolve().parents[2]

# -- a labelled set: (label, expected kind, text) -------------------------------------------------

AGREEMENT_PROSE = """甲方：某市生态环境局
乙方：某某建材有限公司，统一社会信用代码91320600MA1X000000
经双方友好协商，就乙方超标排放造成大气污染一事达成如下协议：
一、乙方承认于2024年4月至6月间超标排放颗粒物的事实。
二、乙方于2025年10月31日前一次性支付赔偿金人民币三十万元，缴入市级国库。
三、如乙方逾期未付，应按日支付未付金额万分之五的违约金。
四、因地震、洪水等不能预见、不能避免且不能克服的情况致使本协议不能履行的，双方协商处理。
五、本协议一式四份，双方各执两份，自双方签字盖章之日起生效。
甲方（盖章）            乙方（盖章）
2025年9月1日"""

AGREEMENT_NUMBERED = """关于某某公司非法倾倒危险废物造成生态环境损害的赔偿协议书
赔偿权利人指定的部门：某县自然资源局
赔偿义务人：王某某，身份证号码110101199003071234
第一条 事实情况。2023年11月，赔偿义务人在某村林地倾倒废矿物油约12吨。
第二条 相关证据。现场勘验笔录、鉴定评估报告。
第三条 赔偿义务人应承担修复费用人民币四十二万元。
第四条 违约责任。赔偿义务人未按期履行的，赔偿权利人可以依法申请人民法院强制执行。
第五条 争议解决。双方因本协议发生争议的，应协商解决；协商不成的，依法向人民法院起诉。
签订地点：某县自然资源局会议室"""

AGREEMENT_DRAFT = """生态环境损害赔偿磋商协议（草案）
赔偿权利人：某市人民政府指定的某市水利局
赔偿义务人：某某水产养殖有限公司
双方经磋商达成以下协议：
一、赔偿义务人在某河道非法采砂，致河床结构破坏。
二、修复目标和方案：恢复河床原貌，补植护岸植被。
三、本协议自双方签字盖章之日起生效，双方共同向某市中级人民法院申请司法确认。"""

JC_MODEL_STYLE = """司法确认申请书
（确认赔偿协议效力）
申请人：某市生态环境局，统一社会信用代码11320600000000000X
法定代表人：张某
申请人：某某化工有限公司，统一社会信用代码91320600MA1X000000
请求事项：
确认申请人某市生态环境局与某某化工有限公司于2025年8月29日达成的生态环境损害赔偿协议有效。
事实和理由：
2025年8月29日，申请人经磋商达成了如下协议：……
申请人为实现受损生态环境的修复和赔偿自愿达成协议，没有恶意串通、规避法律的行为。
此致
某市中级人民法院
附：赔偿协议及证明材料
申请人（签名或者盖章）"""

JC_GENERIC_TITLE = """申请书
申请人一：某县林业局，住所地某县某路8号。
申请人二：李某某，男，1975年3月4日出生，住某县某镇。
申请事项：请求依法确认两申请人于2025年6月3日签订的《生态环境损害赔偿协议》合法有效。
理由：申请人二在未取得采伐许可证的情况下采伐林木……双方平等协商，意思表示真实，不存在恶意串通损害他人利益的情形。
此致
某县人民法院"""

JC_ABOUT = """关于确认生态环境损害赔偿协议效力的申请
某市中级人民法院：
我局与某某公司于2025年5月6日就某河水污染生态环境损害赔偿达成协议。现请求贵院确认该协议有效。
特此申请。"""

ENF_MODEL_STYLE = """强制执行申请书
（经司法确认的赔偿协议）
申请人名称：某市生态环境局
法定代表人：张某
委托代理人：李某，某市生态环境局法规科科长
被申请人名称：某某化工有限公司
对某某化工有限公司水污染生态环境损害赔偿一案，某市中级人民法院作出（2025）苏06民特12号民事裁定，确认赔偿协议有效。
被申请人未按照协议约定期限支付赔偿金。因此申请法院强制执行已生效的（2025）苏06民特12号司法确认文书。
此致
某市中级人民法院"""

ENF_EXECUTION_TERMS = """申请执行书
申请执行人：某县自然资源局
被执行人：赵某某，男，汉族，住某县某乡。
执行依据：某县人民法院（2024）晋0922民特5号民事裁定书。
执行标的：修复费用人民币十八万元及逾期违约金。
事实与理由：被执行人至今未依照协议履行修复义务。
此致
某县人民法院"""

ENF_NO_TITLE = """某市生态环境局（以下简称我局）就某某公司非法排污一案，与该公司于2025年3月达成赔偿协议，
并经某市中级人民法院以（2025）甘07民特3号裁定予以司法确认。该公司在协议规定期限内未履行赔偿义务，
我局依法申请强制执行上述司法确认裁定。
被申请人：某某公司，法定代表人：钱某。
此致
张掖市中级人民法院"""

NOTICE_MODEL_STYLE = """生态环境损害赔偿磋商告知书
告知人：某市生态环境局
被告知人：某某化工有限公司
法定代表人：王某
一、生态环境损害赔偿事由
二、生态环境损害调查情况
三、磋商小组人员组成
四、磋商会议时间和地点：2025年7月10日上午9时，某市生态环境局3楼会议室"""

NOTICE_LETTER = """关于开展生态环境损害赔偿磋商的函
某某矿业有限公司：
你公司在某山区域越界开采，造成植被破坏。经调查和鉴定评估，我局拟与你公司就生态环境损害赔偿进行磋商。
请于收到本函之日起五个工作日内书面回复是否同意参加磋商。逾期未回复的，视为不同意磋商。
拟定磋商时间：2025年8月12日，地点：某市自然资源局。
某市自然资源局
2025年7月30日"""

NOTICE_NOTIFICATION = """生态环境损害赔偿磋商通知书
某某养殖场：
根据调查结果，你单位需承担生态环境损害赔偿责任。
磋商小组由市生态环境局、市农业农村局组成，邀请市人民检察院参与。
请你单位派员参加磋商。"""

POWER_OF_ATTORNEY = """授权委托书
委托人：某某化工有限公司
受托人：刘某，公司法务
委托事项：代为参加生态环境损害赔偿磋商并签署赔偿协议。
代理权限：特别授权。"""

MINUTES = """生态环境损害赔偿磋商会议记录
时间：2025年7月10日
主持人：张某   记录人：李某
参会人员：赔偿权利人代表、赔偿义务人代表
会议内容：双方就赔偿金额和履行期限进行了磋商，赔偿义务人同意承担违约责任条款。"""

RULING = """某市中级人民法院
民事裁定书
（2025）甘07民特12号
申请人：某市生态环境局。
本院经审查认为，双方达成的生态环境损害赔偿协议符合司法确认条件。
依照《中华人民共和国民事诉讼法》规定，裁定如下：确认协议有效。"""

NEWS = """本报讯 近年来，我市持续推进生态环境损害赔偿制度改革，
全年共办理案件12件，涉及赔偿金额300余万元。专家表示，制度改革有助于落实损害担责原则。"""

LABELLED: list[tuple[str, str | None, str]] = [
    ("agreement, no title, 甲方乙方 prose", "agreement", AGREEMENT_PROSE),
    ("agreement, 第X条, mentions 强制执行", "agreement", AGREEMENT_NUMBERED),
    ("agreement draft, mentions 司法确认", "agreement", AGREEMENT_DRAFT),
    ("judicial confirmation, model style", "judicial_confirmation", JC_MODEL_STYLE),
    ("judicial confirmation, generic title", "judicial_confirmation", JC_GENERIC_TITLE),
    ("judicial confirmation, letter style", "judicial_confirmation", JC_ABOUT),
    ("enforcement, model style", "enforcement", ENF_MODEL_STYLE),
    ("enforcement, 申请执行人/被执行人", "enforcement", ENF_EXECUTION_TERMS),
    ("enforcement, no title", "enforcement", ENF_NO_TITLE),
    ("notice, model style", "consultation_notice", NOTICE_MODEL_STYLE),
    ("notice as a letter (函)", "consultation_notice", NOTICE_LETTER),
    ("notice as 通知书", "consultation_notice", NOTICE_NOTIFICATION),
    ("power of attorney", None, POWER_OF_ATTORNEY),
    ("consultation minutes", None, MINUTES),
    ("court ruling quoting the agreement", None, RULING),
    ("news report", None, NEWS),
    ("almost nothing", None, "你好"),
]


def _model_texts() -> list[tuple[str, str | None, str]]:
    corpus = load_corpus()
    expected = {"guangxi:附件2[4]": "consultation_notice", "guangxi:附件2[5]": "agreement",
                "guangxi:附件2[6]": "judicial_confirmation", "guangxi:附件2[7]": "enforcement",
                "zhangye:附件[4]": "consultation_notice", "zhangye:附件[7]": "agreement",
                "zhangye:附件[8]": "judicial_confirmation", "zhangye:附件[11]": "enforcement"}
    cases = []
    for address in [*(f"guangxi:附件2[{n}]" for n in range(1, 8)), *(f"zhangye:附件[{n}]" for n in range(1, 12))]:
        cases.append((address, expected.get(address), corpus.get(address).text))
    return cases


ALL_CASES = LABELLED + _model_texts()


@pytest.mark.parametrize(("label", "kind", "text"), ALL_CASES, ids=[c[0] for c in ALL_CASES])
def test_kind_detected(label: str, kind: str | None, text: str) -> None:
    detection = detect_doc_type(from_text(text))
    assert detection.kind == kind, (label, detection.scores, detection.reasons)
    assert detection.reasons and all(any("\u4e00" <= ch <= "\u9fff" for ch in r) for r in detection.reasons)
    if kind is not None:
        assert detection.confidence >= 0.5, detection


def test_detection_accuracy_over_the_labelled_set(capsys: pytest.CaptureFixture[str]) -> None:
    correct = sum(detect_doc_type(from_text(text)).kind == kind for _, kind, text in ALL_CASES)
    with capsys.disabled():
        print(f"\nkind detection: {correct}/{len(ALL_CASES)} correct")
    assert correct == len(ALL_CASES)


def test_non_checkable_kind_is_named() -> None:
    detection = detect_doc_type(from_text(POWER_OF_ATTORNEY))
    assert detection.label == "授权委托书" and "不属于可审查的四类文书" in detection.reasons[0]


def test_nothing_fits_says_how_to_override() -> None:
    detection = detect_doc_type(from_text(NEWS))
    assert detection.kind is None and detection.confidence == 0
    assert "--type" in detection.reasons[0]


def test_reasons_quote_the_title_and_vocabulary() -> None:
    detection = detect_doc_type(from_text(JC_MODEL_STYLE))
    assert detection.reasons[0] == "标题“司法确认申请书”表明是司法确认申请书"
    assert "“请求事项”" in detection.reasons[1]


def test_headers_do_not_count_as_the_title() -> None:
    data = docx(p("生态环境损害赔偿磋商告知书") + p("被告知人：某某公司") + p("磋商会议时间：2025年7月10日"),
                headers=[p("某某公司与某局赔偿协议")])
    assert detect_doc_type(read_document(data, filename="n.docx")).kind == "consultation_notice"


def test_detects_every_checkable_kind_from_a_docx_heading() -> None:
    for kind, text in (("agreement", AGREEMENT_NUMBERED), ("enforcement", ENF_MODEL_STYLE)):
        lines = text.split("\n")
        body = p(lines[0], "1") + "".join(p(line) for line in lines[1:])
        assert detect_doc_type(read_document(docx(body), filename="d.docx")).kind == kind
    assert set(CHECKABLE) == {"agreement", "judicial_confirmation", "enforcement", "consultation_notice"}


# -- jurisdiction ------------------------------------------------------------------------------------

JURISDICTION_CASES: list[tuple[str, str | None, str]] = [
    ("zhangye body", "zhangye", "赔偿权利人指定的部门：张掖市生态环境局"),
    ("zhangye court code only", "zhangye", "经（2024）甘0702民特12号民事裁定确认"),
    ("zhangye county and measure", "zhangye", "根据《张掖市生态环境损害赔偿工作机制（试行）》，临泽县某企业"),
    ("guangxi court and city", "guangxi", "南宁市中级人民法院（2024）桂01民特3号"),
    ("guangxi body", "guangxi", "自治区生态环境厅指定某局开展磋商"),
    ("guangxi county", "guangxi", "地点：阳朔县某镇、荔浦市某村"),
    ("hengshui", "hengshui", "衡水市桃城区某化工厂超标排放"),
    ("hengshui measure", "hengshui", "依据《衡水市生态环境损害赔偿管理办法（试行）》（衡环规范〔2021〕1号）第十三条"),
    ("nantong", "nantong", "南通市生态环境局与如皋市某公司"),
    ("nantong court code", "nantong", "（2025）苏06民特12号"),
    ("xinzhou", "xinzhou", "忻州市五台县某煤矿"),
    ("xinzhou counties", "xinzhou", "原平市、代县交界处"),
    ("national, no place", "national", "某市生态环境局与某公司"),
    ("national, Beijing Tongzhou", "national", "北京市通州区某河道"),
    ("national, 北海公园 and 30天等", "national", "北京北海公园；三十天等"),
    ("national, 故城/河曲 as words", "national", "古老的故城遗址，河曲地貌"),
    ("ambiguous", None, "张掖市生态环境局与南通市生态环境局联合"),
]


@pytest.mark.parametrize(("label", "key", "text"), JURISDICTION_CASES, ids=[c[0] for c in JURISDICTION_CASES])
def test_jurisdiction_guessed(label: str, key: str | None, text: str) -> None:
    guess = detect_jurisdiction(from_text(text))
    assert guess.key == key, (label, guess.scores, guess.reasons)
    assert guess.reasons
    assert guess.resolved == (key or "national")


def test_jurisdiction_reasons_quote_what_was_found() -> None:
    guess = detect_jurisdiction(from_text("张掖市生态环境局；（2024）甘07民特12号"))
    assert "“张掖市生态环境局”（机关）" in guess.reasons[0] and "（法院案号代码）" in guess.reasons[0]
    assert "--jurisdiction" in detect_jurisdiction(from_text("张掖市与南通市")).reasons[-1]


def test_jurisdiction_from_header_of_a_docx() -> None:
    data = docx(p("赔偿协议") + p("甲方：某局"), headers=[p("忻州市生态环境局")])
    assert detect_jurisdiction(read_document(data, filename="h.docx")).key == "xinzhou"


def test_place_keys_are_profiles() -> None:
    profiles = {yaml.safe_load(path.read_text("utf-8"))["key"]
                for path in (ROOT / "corpus" / "jurisdictions").glob("*.yaml") if not path.name.startswith("_")}
    assert set(place_data().jurisdictions) <= profiles
    assert "national" in profiles


def _patterns(node: object) -> list[str]:
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in ([value] if key == "pattern" else _patterns(value))]
    if isinstance(node, list):
        return [p for item in node for p in ([item] if isinstance(item, str) else _patterns(item))]
    return []


def test_patterns_compile_and_do_not_use_word_boundaries() -> None:
    import re
    for name in ("doc_types.yaml", "jurisdiction_places.yaml"):
        patterns = _patterns(yaml.safe_load((ROOT / "checkers" / "data" / name).read_text("utf-8")))
        assert len(patterns) > 20
        for pattern in patterns:
            assert "\\b" not in pattern, pattern
            re.compile(pattern)


def test_detection_of_an_empty_document() -> None:
    doc = Document(file="x", format="txt", blocks=[])
    assert detect_doc_type(doc).kind is None
    assert detect_jurisdiction(doc).key == "national"


def _code(first17: str) -> str:
    from ecokernel.identifiers import uscc_check_char
    return first17 + uscc_check_char(first17)


def test_a_cited_measure_does_not_make_a_case_local_when_its_bodies_sit_elsewhere() -> None:
    # wE-J04: a Hubei county bureau citing the Guangxi draft (the region names inside the cited title
    # count as the measure, not as places named)
    text = (f"秭归县人民法院：申请人秭归县自然资源和规划局，统一社会信用代码{_code('11420527MB1D05745')}。"
            "根据《广西壮族自治区生态环境损害赔偿工作细则》第二十四条的规定提出申请。")
    guess = detect_jurisdiction(from_text(text))
    assert guess.key == "national", guess
    assert "420527" in guess.reasons[-1] and "国家基线" in guess.reasons[-1]
    # the same bureau's code inside Guangxi (450323, 灵川县) makes it local
    assert detect_jurisdiction(from_text(text.replace(_code("11420527MB1D05745"),
                                                      _code("11450323MB1D05745")))).key == "guangxi"
    # an invalid code (a typo) is not evidence
    assert detect_jurisdiction(from_text(text.replace(_code("11420527MB1D05745"),
                                                      "11420527MB1D057450"))).key == "guangxi"


def test_a_company_or_person_registered_in_the_area_is_a_hint_like_a_county() -> None:
    from ecokernel.identifiers import ric_check_char
    person = "14092919800101123"
    person += ric_check_char(person)
    # 岢岚县 alone is a county-level hint (weight 1, below the threshold); the respondent's 身份证号
    # from 140929 (岢岚县) adds the second
    assert detect_jurisdiction(from_text("被申请人刘某，住岢岚县某村。")).key == "national"
    assert detect_jurisdiction(from_text(f"被申请人刘某，身份证号{person}，住岢岚县某村。")).key == "xinzhou"
    company = _code("91140981MA0K12345")  # 原平市
    assert detect_jurisdiction(from_text(f"被申请人某公司，统一社会信用代码{company}，住所原平市。")).key == "xinzhou"
