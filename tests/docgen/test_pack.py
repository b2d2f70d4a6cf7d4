"""The court pack without LibreOffice (issue 11 §4): the requirement data, the plan of each example's
pack, the case model's `materials`, hostile supplied files, and merging/stamping with pypdf."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from casefile.model import MaterialKind
from casefile.validation import CaseError, load_case, validate_file
from corpus.filing import FilingLimits, filing_steps
from corpus.forms import all_kinds, filing_kinds, form_kinds
from docgen.pack.build import PackResult
from docgen.pack.plan import plan_pack
from docgen.pack.report import render_text, to_dict
from docgen.pack.stamp import Part, merge, page_label, slice_pdf
from docgen.pack.supplied import MaterialError, _jpeg_size, _png_size, _read, load_materials
from docgen.render.render import render_form

from ..conftest import example_data, example_path
from .packdata import case_with_materials, jpeg_bytes, pdf_bytes, png_bytes


def test_catalogue_keeps_eleven_model_forms_and_adds_the_filing_forms():
    assert len(form_kinds()) == 11
    assert set(filing_kinds()) == {"legal_rep_certificate", "service_address", "evidence_index", "materials_list",
                                   "pack_contents"}
    assert set(all_kinds()) == set(form_kinds()) | set(filing_kinds())


def test_filing_data_names_known_forms_and_material_kinds_with_a_status():
    codes = {k.value for k in MaterialKind}
    for step in filing_steps().values():
        for item in step.items:
            assert item.form in all_kinds() if item.form else item.material in codes, item.id
            assert item.status in "VSU" and item.basis
        # the 证据目录's basis is cited exactly as FILING.md §3.2 states it
        [index] = [i for i in step.items if i.form == "evidence_index"]
        assert index.basis == "《最高人民法院关于民事诉讼证据的若干规定》第十九条" and index.status == "V"


def test_judicial_confirmation_plan_of_the_guangxi_example():
    plan = plan_pack(load_case(example_path("guangxi")), "judicial_confirmation")
    names = [s.name for s in plan.slots]
    assert names[0] == "司法确认申请书"
    # both applicants are units: a 法定代表人身份证明书 and a 送达地址确认书 each
    assert "法定代表人身份证明书（南宁市生态环境局）" in names and "法定代表人身份证明书（广西桂南冶炼有限公司）" in names
    assert "送达地址确认书（南宁市生态环境局）" in names and "送达地址确认书（广西桂南冶炼有限公司）" in names
    assert "授权委托书（刘海涛）" in names  # the obligor's agent, scope includes judicial_confirmation
    missing = {s.item.id for s in plan.missing}
    assert {"agreement", "assessment", "business_license", "designation"} <= missing
    assert plan.court == "南宁市中级人民法院" and plan.submitter == "南宁市生态环境局、广西桂南冶炼有限公司"
    assert not plan.warnings


def test_enforcement_plan_of_the_zhangye_example():
    plan = plan_pack(load_case(example_path("zhangye")), "enforcement")
    names = [s.name for s in plan.slots]
    assert names[0] == "强制执行申请书"
    assert "法定代表人身份证明书（张掖市自然资源局）" in names
    assert not any("王建军" in n for n in names)  # the respondent files nothing
    assert [n for n in names if n.startswith("授权委托书")] == ["授权委托书（马志远）"]  # not the obligor's agent
    ruling = next(s for s in plan.slots if s.item.id == "ruling")
    assert ruling.status == "missing" and ruling.copies == 2  # one for the court, one per respondent (EVID 19)
    assert next(s for s in plan.slots if s.item.id == "effect_certificate").status == "optional"


def test_an_agent_receiving_money_without_special_authority_is_warned(tmp_path):
    data = example_data("zhangye")
    data["agents"][1]["powers"] = "代为申请强制执行，代为收取执行款"
    path = case_with_materials(tmp_path, "zhangye", data=data)
    [warning] = plan_pack(load_case(path), "enforcement").warnings
    assert "马志远" in warning and "特别授权" in warning and "第二十条" in warning
    data["agents"][1]["special_authorization"] = True
    path = case_with_materials(tmp_path, "zhangye", data=data)
    assert not plan_pack(load_case(path), "enforcement").warnings


def test_supplied_materials_fill_their_items_and_generic_evidence_joins_the_index(tmp_path):
    extra = [{"name": "无人机航拍影像", "kind": "evidence", "path": "materials/m00.pdf"},
             {"name": "执行裁定", "kind": "ruling", "path": "materials/m00.pdf"}]
    path = case_with_materials(tmp_path, "guangxi", extra=extra)
    plan = plan_pack(load_case(path), "judicial_confirmation")
    assert not plan.missing
    evidence = [s.name for s in plan.slots if s.evidence]
    assert evidence[0] == "生态环境损害赔偿协议（南环赔协〔2025〕7号）" and evidence[-1] == "无人机航拍影像"
    assert any("无人机航拍影像" in w and "证明对象" in w for w in plan.warnings)
    assert any("执行裁定" in n and "不是申请司法确认所需的材料" in n for n in plan.notices)


def test_report_lists_every_missing_item_once_with_its_basis():
    plan = plan_pack(load_case(example_path("zhangye")), "enforcement")
    result = PackResult(plan=plan, out_dir=None)
    text = render_text(result)
    assert "待补材料（共5项" in text and "登记立案若干问题的规定》第七条" in text
    assert "民事裁定书（司法确认）副本——依据：《最高人民法院关于人民法院执行工作若干问题的规定（试行）》第十八条第（二）项" in text
    assert text.count("（依据未经核实）") >= 3
    payload = to_dict(result)
    assert payload["complete"] is False and len(payload["missing"]) == 5


@pytest.mark.parametrize(("entry", "message"), [
    ({"name": "x", "kind": "other", "path": "/etc/passwd.pdf"}, "绝对路径"),
    ({"name": "x", "kind": "other", "path": "scan.docx"}, "不是 PDF 或图片"),
    ({"name": "x", "kind": "id_card", "path": "a.pdf"}, "须写明属于哪一方"),
    ({"name": "x", "kind": "id_card", "path": "a.pdf", "party": "李四"}, "不是本案的当事人"),
    ({"name": "x", "kind": "agent_credential", "path": "a.pdf", "party": "王建军"}, "不是本案的委托代理人"),
    ({"name": "x", "kind": "身份证", "path": "a.pdf", "party": "王建军", "steps": ["appeal"]}, "不是可选值"),
    ({"name": "x", "kind": "scan", "path": "a.pdf"}, "不是可选值"),
])
def test_materials_are_validated_with_field_paths(write_case, entry, message):
    data = example_data("zhangye")
    data["materials"] = [entry]
    case, problems = validate_file(write_case(data))
    assert case is None
    assert any(p.path.startswith("materials[0]") or p.message.startswith("materials[0]") for p in problems), problems
    assert any(message in p.message for p in problems), problems


def test_hostile_files_are_all_named_in_one_chinese_error(tmp_path):
    (tmp_path / "enc.pdf").write_bytes(pdf_bytes(password="secret"))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer<<>>")
    (tmp_path / "fake.pdf").write_bytes(b"MZ\x90\x00 not a pdf")
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8\xff\x00garbage")
    path = case_with_materials(tmp_path, "zhangye", extra=[
        {"name": name, "kind": "other", "path": file} for name, file in
        [("加密件", "enc.pdf"), ("损坏件", "broken.pdf"), ("伪装件", "fake.pdf"), ("空图", "empty.png"),
         ("坏图", "bad.jpg"), ("缺失件", "nowhere.pdf")]])
    case = load_case(path)
    with pytest.raises(MaterialError) as info:
        load_materials(path.parent, list(enumerate(case.materials)))
    text = str(info.value)
    for name, words in [("加密件", "已加密"), ("损坏件", "已损坏"), ("伪装件", "不是 PDF、JPG 或 PNG"),
                        ("空图", "空的"), ("坏图", "JPG 图片已损坏"), ("缺失件", "找不到文件")]:
        assert re.search(f"材料“{name}”（materials\\[\\d+\\]，[^）]+）：[^\\n]*{words}", text), (name, text)
    assert "Traceback" not in text


def test_size_limit_is_checked_before_the_file_is_read_whole(tmp_path):
    big = tmp_path / "big.pdf"
    big.write_bytes(pdf_bytes(1) + b"\n" * 200)
    limits = FilingLimits(file_bytes=100, pack_bytes=1000, pdf_pages=5, image_pixels=100)
    with pytest.raises(Exception, match="超过"):
        _read(big, limits)


def test_image_headers():
    assert _png_size(png_bytes(40, 30)) == (40, 30)
    assert _jpeg_size(jpeg_bytes()) == (8, 8)


def test_merge_stamps_every_page_upright_and_bookmarks_each_part():
    parts = [Part("甲", None, pdf_bytes(2)), Part("乙", "证据", pdf_bytes(1, rotate=90)),
             Part("丙", "证据", pdf_bytes(3, rotate=180))]
    merged, ranges = merge(parts)
    assert ranges == [(0, 1), (2, 2), (3, 5)]
    reader = PdfReader(io.BytesIO(merged))
    for index, page in enumerate(reader.pages):
        assert page.extract_text().strip().endswith(page_label(index + 1))
    top = reader.outline
    assert [o.title for o in top if not isinstance(o, list)] == ["甲", "证据"]
    children = next(o for o in top if isinstance(o, list))
    assert [(c.title, reader.get_destination_page_number(c)) for c in children] == [("乙", 2), ("丙", 3)]
    part = PdfReader(io.BytesIO(slice_pdf(merged, 3, 5)))
    assert len(part.pages) == 3 and page_label(4) in part.pages[0].extract_text()


def test_filing_forms_render_from_case_data():
    case = load_case(example_path("zhangye"))
    dept = case.claimant.department
    doc = render_form(case, "legal_rep_certificate", extra={"party": dept, "day": None})
    text = doc.plain_text()
    assert "赵永福同志，在我单位任局长职务，系我单位法定代表人（负责人）。" in text and "特此证明。" in text
    assert "张掖市自然资源局（盖章）" in text and doc.variant == "court" and doc.note is None
    doc = render_form(case, "service_address", extra={
        "party": case.obligors[0], "person": True, "recipient": "王建军", "phone": "13909361234",
        "postcode": None, "matter": "申请强制执行", "court": "张掖市中级人民法院", "day": None})
    text = doc.plain_text()
    assert "王建军" in text and "是否同意电子送达" in text and "受送达人（签名）" in text


def test_invalid_case_is_a_case_error(write_case):
    data = example_data("zhangye")
    data["materials"] = [{"name": "x", "kind": "other"}]
    with pytest.raises(CaseError):
        load_case(write_case(data))


# --- the court from the profile (issue 11 §4) -----------------------------------------------------

def _without_court(prefix: str, *steps: str):
    from casefile.model import Case

    data = example_data(prefix)
    for step in steps:
        data[step].pop("court")
    return Case.model_validate(data)


def test_confirmation_court_comes_from_the_profile_when_the_case_names_none():
    plan = plan_pack(_without_court("zhangye", "judicial_confirmation"), "judicial_confirmation")
    assert plan.court == "张掖市中级人民法院" == plan.case.judicial_confirmation.court
    [note] = [n for n in plan.notices if "未写明受理法院" in n]
    assert "zhangye:21、zhangye:5" in note and "推断" in note
    assert "张掖市中级人民法院" in render_form(plan.case, "judicial_confirmation").plain_text()
    # the case's own court wins
    assert plan_pack(load_case(example_path("zhangye")), "judicial_confirmation").notices == []


def test_enforcement_court_is_the_court_that_made_the_ruling():
    plan = plan_pack(_without_court("zhangye", "enforcement"), "enforcement")
    assert plan.court == "张掖市中级人民法院"
    assert any("作出司法确认裁定" in n and "minsufa_jieshi:460" in n for n in plan.notices)


def test_without_a_court_anywhere_the_application_leaves_it_blank_and_says_which_level():
    plan = plan_pack(_without_court("guangxi", "judicial_confirmation"), "judicial_confirmation")
    assert plan.court is None
    assert any("留空" in w and "中级人民法院" in w and "guangxi:附件1二(一)" in w for w in plan.warnings)
    text = render_form(plan.case, "judicial_confirmation").plain_text()
    assert "None" not in text
    assert "法院未写明" in render_text(PackResult(plan=plan, out_dir=None))
