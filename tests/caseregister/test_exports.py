"""The register's exports on SQLite and PostgreSQL, each opened after it is written: the 台账 XLSX
(openpyxl), the clue list and the work report in the profile's rhythm, the case file (ZIP: PDF page
counts against the 卷内目录, manifest hashes), the publication pack (redacted documents, the check
against the profile's items) — and redaction on real-looking data."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import Engine

from casefile.validation import load_case
from caseregister import accounts
from caseregister.engine import read_session, write_session
from caseregister.exports import archive, ledger, publication, reports
from caseregister.exports.redaction import (
    ACCOUNT_MASK,
    ADDRESS_MASK,
    ID_MASK,
    PHONE_MASK,
    SECRET_TEXT,
    Redactor,
)
from caseregister.models import Case, User
from caseregister.views import CaseFilter
from corpus.profiles import get_profile, load_profiles
from ecokernel.errors import UserError

from ..conftest import example_path
from .exportseed import ADDRESS, BANK, ID_NUMBER, MOBILE, SECRET, Seeded, seed

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
JOINER = "\u2060"  # the document writer keeps numbers on one line with word joiners
TODAY = date(2026, 12, 6)


def docx_paragraphs(data: bytes) -> list[str]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")).replace(JOINER, "") for p in root.iter(f"{W}p")]


def docx_tables(data: bytes) -> list[list[list[str]]]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return [[["".join(t.text or "" for t in tc.iter(f"{W}t")).replace(JOINER, "") for tc in tr.iter(f"{W}tc")]
             for tr in tbl.iter(f"{W}tr")]
            for tbl in root.iter(f"{W}tbl")]


@pytest.fixture
def seeded(engine: Engine, tmp_path: Path) -> Seeded:
    return seed(engine, tmp_path)


def user(engine: Engine, username: str) -> User:
    with read_session(engine) as s:
        found = accounts.find_user(s, username)
        _ = found.department.name
        return found


# ---- 台账 XLSX ---------------------------------------------------------------------------------

def test_ledger_workbook_lists_only_the_users_cases_with_real_cells(engine: Engine, seeded: Seeded):
    with read_session(engine) as s:
        data, count = ledger.ledger_xlsx(s, accounts.find_user(s, "zhang"), CaseFilter(), TODAY)
    assert count == 1
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "案件台账" and "张掖市自然资源局" in ws["A1"].value
    header = [c.value for c in ws[3]]
    assert header[:9] == ["台账编号", "部门", "立案号", "案件名称", "辖区", "阶段", "下一期限", "下一期限事项", "是否逾期"]
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["D"].width == 34
    row = {h: c.value for h, c in zip(header, ws[4], strict=True)}
    assert ws.max_row == 4
    assert row["台账编号"] == seeded.zy_case and row["立案号"] == "甘G环赔〔2025〕3号"
    assert row["辖区"] == "甘肃省张掖市" and row["赔偿义务人"] == "王建军"
    assert isinstance(row["下一期限"], datetime) and ws.cell(4, 7).number_format == "yyyy-mm-dd"
    assert row["是否逾期"] == ("已逾期" if row["下一期限"].date() < TODAY else "")
    assert row["协议赔偿总额（元）"] == 186500 and row["损害数额（元）"] == 174500
    assert "南宁" not in json.dumps([[c.value for c in r] for r in ws.iter_rows()], ensure_ascii=False, default=str)


# ---- periodic reports ------------------------------------------------------------------------

def test_every_profile_states_its_rhythm_or_says_it_states_none():
    for profile in load_profiles().values():
        for rhythm in reports.rhythm(profile):
            text = rhythm.text(profile)
            assert ("未规定报送周期和日期" in text) != rhythm.stated, text
    zhangye = {r.report: r for r in reports.rhythm(get_profile("zhangye"))}
    assert zhangye["clue_list"].period == "季度" and "25日" in (zhangye["clue_list"].due or "")
    assert zhangye["clue_list"].basis == ["zhangye:12", "zhangye:7"]
    assert zhangye["work_report"].period == "半年" and "1月10日" in zhangye["work_report"].text(get_profile("zhangye"))
    guangxi = {r.report: r for r in reports.rhythm(get_profile("guangxi"))}
    assert guangxi["clue_list"].period == "季度" and guangxi["clue_list"].due is None
    assert "未规定报送日期" in guangxi["clue_list"].text(get_profile("guangxi"))
    assert not guangxi["work_report"].stated


def test_periods_and_due_dates():
    assert reports.parse_period("2025q3").label == "2025年第三季度"
    assert reports.parse_period("2025H2").start == date(2025, 7, 1)
    assert reports.parse_period("2024").end == date(2024, 12, 31)
    assert reports.parse_period("2025-02").end == date(2025, 2, 28)
    with pytest.raises(UserError, match="2025Q3"):
        reports.parse_period("2025年三季度")
    assert reports.due_date(get_profile("zhangye"), "clue_list", reports.parse_period("2025Q3")) == date(2025, 9, 25)
    assert reports.due_date(get_profile("zhangye"), "work_report", reports.parse_period("2025")) == date(2026, 1, 10)
    assert reports.due_date(get_profile("guangxi"), "clue_list", reports.parse_period("2025Q3")) is None


def test_clue_list_holds_new_and_still_open_clues(engine: Engine, seeded: Seeded):
    zhang = user(engine, "zhang")
    with read_session(engine) as s:
        second, n2 = reports.clue_list_xlsx(s, zhang, None, reports.parse_period("2025Q2"))
        third, n3 = reports.clue_list_xlsx(s, zhang, None, reports.parse_period("2025Q3"))
        _before, n1 = reports.clue_list_xlsx(s, zhang, None, reports.parse_period("2025Q1"))
    assert (n1, n2, n3) == (0, 1, 1)
    ws = load_workbook(io.BytesIO(second)).active
    lines = [ws.cell(r, 1).value for r in range(1, 4)]
    assert "2025年第二季度" in lines[0] and "张掖工作机制第十二条" in lines[1] and "2025年6月25日前报送" in lines[2]
    assert ws.freeze_panes == "A6"
    row = [c.value for c in ws[6]]
    assert row[1] == "日常监管、执法巡查、专项行动发现" and row[2] == datetime(2025, 4, 25) and row[-1] == "是"
    assert load_workbook(io.BytesIO(third)).active.cell(6, 12).value is None  # listed, not new


def test_work_report_counts_the_period_and_cites_the_rhythm(engine: Engine, seeded: Seeded):
    with read_session(engine) as s:
        data, listed = reports.work_report_docx(s, user(engine, "zhang"), None, reports.parse_period("2025H2"))
    text = "\n".join(docx_paragraphs(data))
    assert "张掖市自然资源局2025年下半年生态环境损害赔偿工作开展情况" in text and "每半年报送" in text
    figures = {row[0]: row[1:] for row in docx_tables(data)[0]}
    assert figures["签署赔偿协议"] == ["1", "186,500.00"]
    assert figures["取得司法确认裁定"][0] == "1" and figures["启动索赔"][0] == "0"
    assert listed == 1
    with read_session(engine) as s:
        guangxi, _n = reports.work_report_docx(s, user(engine, "nan"), None, reports.parse_period("2025"))
    assert "未规定报送周期和日期" in "\n".join(docx_paragraphs(guangxi))


def test_a_report_needs_one_jurisdiction(engine: Engine, seeded: Seeded):
    with write_session(engine) as s:
        accounts.add_department(s, "上级", "UP", actor="管理员")
        for code in ("ZY", "NN"):
            accounts.find_department(s, code).parent_id = accounts.find_department(s, "UP").id
        accounts.add_user(s, "boss", "上级", "Shengtai-2025!hz", "reader", "UP", actor="管理员")
    with read_session(engine) as s, pytest.raises(UserError, match="多个辖区"):
        reports.clue_list_xlsx(s, accounts.find_user(s, "boss"), None, reports.parse_period("2025Q3"))


# ---- 一案一卷 ----------------------------------------------------------------------------------

def test_archive_numbers_pages_from_the_pdfs_and_hashes_every_file(engine: Engine, seeded: Seeded):
    with read_session(engine) as s:
        assert archive.archive_zip(s, accounts.find_user(s, "zhang"), seeded.nn_case) is None
        data, name = archive.archive_zip(s, accounts.find_user(s, "nan"), seeded.nn_case)
    assert name.endswith("-案卷.zip")
    zf = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(zf.read("manifest.json"))
    for f in manifest["files"]:
        assert hashlib.sha256(zf.read(f["name"])).hexdigest() == f["sha256"]
    docs = manifest["documents"]
    assert [d["form"] for d in docs] == ["claim_start", "agreement", "agreement"]  # stage order, signed copy last
    assert docs[2]["signed_copy"] and docs[2]["pages"] == 2
    volume = PdfReader(io.BytesIO(zf.read("全卷.pdf")))
    assert len(volume.pages) == sum(d["pages"] for d in docs)
    assert [d["first_page"] for d in docs] == [1, 1 + docs[0]["pages"], 1 + docs[0]["pages"] + docs[1]["pages"]]
    for d in docs[:2]:  # the DOCX as stored, its pages counted from its PDF
        assert hashlib.sha256(zf.read(d["file"])).hexdigest() == d["sha256"]
    rows = docx_tables(zf.read("卷内目录.docx"))[0]
    assert rows[0] == ["序号", "文书名称", "日期", "页号", "备注"]
    last = docs[2]["first_page"] + 1
    assert rows[3][1] == "生态环境损害赔偿协议（签署件）" and rows[3][3] == f"{docs[2]['first_page']}-{last}" and rows[3][4] == "签署件"
    assert "索赔启动登记表" in rows[1][1]
    printed = "".join(page.extract_text() for page in PdfReader(io.BytesIO(zf.read("卷内目录.pdf"))).pages)
    assert "卷内目录" in printed and f"{docs[2]['first_page']}-{last}" in printed  # the 目录 to print, as converted
    case_text = zf.read(next(n for n in zf.namelist() if n.startswith("案件数据"))).decode("utf-8")
    assert SECRET in case_text  # the file is the department's own record: nothing is redacted in it


def test_archive_lists_a_document_whose_bytes_are_not_held(engine: Engine, seeded: Seeded, tmp_path: Path):
    from sqlalchemy import select

    from caseregister import documents
    from caseregister.casedata import text_sha256
    from caseregister.models import CaseVersion

    with write_session(engine) as s:
        text = s.scalars(select(CaseVersion.text).where(CaseVersion.case_id == seeded.zy_case)).one()
        manifest = tmp_path / "elsewhere" / "manifest.json"
        manifest.parent.mkdir()
        manifest.write_text(json.dumps({"format": "docx", "case": {"sha256": text_sha256(text)}, "documents": [
            {"form": "closure_approval", "title": "结案审批表", "file": "11-结案审批表.docx", "sha256": "b" * 64,
             "template_version": "1"}]}), "utf-8")
        documents.record_dossier(s, manifest, "张三")
    with read_session(engine) as s:
        data, _name = archive.archive_zip(s, accounts.find_user(s, "zhang"), seeded.zy_case)
    zf = zipfile.ZipFile(io.BytesIO(data))
    assert "全卷.pdf" not in zf.namelist() and "卷内目录.pdf" not in zf.namelist()
    rows = docx_tables(zf.read("卷内目录.docx"))[0]
    assert rows[1][1] == "结案审批表" and rows[1][3] == "—" and rows[1][4] == "台账未保存该文件"
    assert json.loads(zf.read("manifest.json"))["documents"][0]["held"] is False


# ---- publication -----------------------------------------------------------------------------

def test_every_publication_item_a_profile_names_is_in_the_catalogue():
    for profile in load_profiles().values():
        param = profile.param("publication_items")
        if param is not None:
            assert set(param.value) <= set(publication.catalogue().items), profile.key
    assert get_profile("zhangye").param("publication_items") is None


def test_publication_check_reports_what_is_missing(engine: Engine, seeded: Seeded):
    nan = user(engine, "nan")
    with read_session(engine) as s:
        first = publication.case_check(s, nan, seeded.nn_case)
        assert publication.case_check(s, accounts.find_user(s, "zhang"), seeded.nn_case) is None
    assert first.missing == ["生态环境损害赔偿协议", "生效裁判文书", "赔偿资金使用情况", "生态环境修复效果"]
    assert first.basis == ["guangxi:36¶2"] and "第三十六条第二款" in first.basis_text
    with write_session(engine) as s:
        case = s.get_one(Case, seeded.nn_case)
        publication.record(s, case, "agreement", date(2025, 9, 1), url="https://sthjt.gxzf.gov.cn/a/1", note=None,
                           author="南六")
        publication.record(s, case, "ruling", date(2025, 11, 1), url=None, note="法院公告栏", author="南六")
        with pytest.raises(UserError, match="未知的公开项目"):
            publication.record(s, case, "minutes", date(2025, 11, 1), url=None, note=None, author="南六")
    with read_session(engine) as s:
        after = publication.case_check(s, nan, seeded.nn_case)
        zhangye = publication.case_check(s, accounts.find_user(s, "zhang"), seeded.zy_case)
    assert after.missing == ["赔偿资金使用情况", "生态环境修复效果"]
    assert after.items[0].records[0].url == "https://sthjt.gxzf.gov.cn/a/1"
    assert zhangye.items == [] and "未列明" in zhangye.message


def test_publication_pack_is_redacted(engine: Engine, seeded: Seeded):
    with read_session(engine) as s:
        data, _name, result = publication.publication_pack(s, accounts.find_user(s, "nan"), seeded.nn_case)
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    assert "公开信息表.docx" in names and "核对结果.json" in names
    published = [n for n in names if n.startswith("文书/")]
    assert published == ["文书/赔偿协议（签署件）（公开版）.docx"]  # the signed copy, its text redacted
    everything = "\n".join(docx_paragraphs(zf.read("公开信息表.docx")))
    assert "依《广西壮族自治区生态环境损害赔偿工作细则（征求意见稿）》第三十六条第二款" in everything
    assert "《中华人民共和国政府信息公开条例》第十五条" in everything and "第十六条第二款" in everything
    assert "磋商告知书" in everything
    assert json.loads(zf.read("核对结果.json"))["missing"] == result.missing


def test_publication_pack_redacts_the_generated_agreement(engine: Engine, seeded: Seeded):
    from caseregister.models import Document

    with write_session(engine) as s:  # without the signed copy the generated DOCX is published
        doc = s.get_one(Document, seeded.agreement_id)
        doc.signed_sha256 = doc.signed_name = None
    with read_session(engine) as s:
        data, _name, _result = publication.publication_pack(s, accounts.find_user(s, "nan"), seeded.nn_case)
    zf = zipfile.ZipFile(io.BytesIO(data))
    agreement = next(n for n in zf.namelist() if n.startswith("文书/"))
    text = "\n".join(docx_paragraphs(zf.read(agreement)))
    assert "赔偿协议" in text and "广西桂南冶炼有限公司" in text and "91450100MA5KQ3RT2R" in text  # a unit stays
    for personal in (ID_NUMBER, ADDRESS, MOBILE, BANK, SECRET, "【商业秘密】"):
        assert personal not in text, personal
    assert ID_MASK in text and ADDRESS_MASK in text and PHONE_MASK in text and ACCOUNT_MASK in text
    assert SECRET_TEXT in text
    assert "南宁市江南区那马镇工业园某号" in text  # the company's registered address is not personal
    check = json.loads(zf.read("核对结果.json"))
    assert check["redacted"]["身份证号"] >= 1 and check["redacted"]["商业秘密"] == 1


# ---- redaction on its own --------------------------------------------------------------------

def redactor() -> Redactor:
    return Redactor.for_case(load_case(example_path("zhangye")), "【商业秘密】", "【/商业秘密】")


@pytest.mark.parametrize(("text", "gone", "kept"), [
    ("乙方王建军，公民身份号码620702197805122135，男。", "620702197805122135", "王建军"),
    ("旧身份证620702780512213。", "620702780512213", "旧身份证"),
    ("住址：张掖市甘州区党寨镇某村某社某号", "党寨镇", "住址："),
    ("家庭住址 兰州市城关区庆阳路8号3单元", "庆阳路", "家庭住址"),
    ("联系电话：139 0936 1234，座机(0936)8213456", "0936 1234", "联系电话"),
    ("手机+86-13909361234", "13909361234", "手机"),
    ("电话0936-8213456转801", "8213456", "电话"),
    ("开户行：中国农业银行张掖分行，账号：6228 4800 1234 5678 919", "5678", "中国农业银行张掖分行"),
    ("银行卡4111111111111111已冻结", "4111111111111111", "已冻结"),
    ("工艺为【商业秘密】两段沉淀，配比3:1【/商业秘密】。", "配比", "工艺为"),
])
def test_redaction_masks_personal_data(text: str, gone: str, kept: str):
    out = redactor().text(text)
    assert gone not in out and kept in out, out


@pytest.mark.parametrize("text", [
    "统一社会信用代码116207000139264718",
    "统一社会信用代码91450100MA5KQ3RT2R",
    "赔偿总额186500.00元，于2025年11月30日前支付",
    "立案号甘G环赔〔2025〕3号，裁定书（2025）甘07民特12号",
    "住所：南宁市江南区那马镇工业园某号",
    "采砂约4800立方米，面积12000平方米",
])
def test_redaction_leaves_public_facts(text: str):
    assert redactor().text(text) == text


def test_an_unclosed_trade_secret_marker_is_an_error():
    with pytest.raises(UserError, match="商业秘密标记未闭合"):
        redactor().text("【商业秘密】没有结束", "赔偿协议.docx")
    with pytest.raises(UserError, match="不成对"):
        redactor().text("多余的【/商业秘密】", "赔偿协议.docx")
