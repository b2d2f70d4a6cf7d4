"""The party layer reads the parties of a filing in every layout offices use (checkers/understand)."""

from __future__ import annotations

import pytest

from checkers.understand.parties import assess, find_parties, third_party_labels

LAYOUTS = {
    "label lines": "赔偿义务人：南通恒源化工有限公司\n统一社会信用代码：91320612MA1P3K7QXT\n法定代表人：周立新\n",
    "table cells read line by line": ("赔偿义务人（以下简称“乙方”）\n南通恒源化工有限公司\n统一社会信用代码\n"
                                      "91320612MA1P3K7QXT\n法定代表人\n周立新\n"),
    "role line with its side below": "申请人二\n（赔偿义务人）\n名称\n南通恒源化工有限公司\n统一社会信用代码：91320612MA1P3K7QXT\n"
                                     "法定代表人：周立新，执行董事\n",
    "one prose sentence": "申请人南通恒源化工有限公司，统一社会信用代码91320612MA1P3K7QXT，住所地南通市通州区江海大道18号，"
                          "法定代表人周立新，执行董事。\n",
    "wrapped by the page": "申请人：南通恒源化工有限公司 统一社会信用代码：\n91320612MA1P3K7QXT\n法定代表人：周立新，执行董事 地址：南通市通州区江海\n大道18号\n",
    "bracketed label": "【申请人（赔偿义务人）】南通恒源化工有限公司\n统一社会信用代码：91320612MA1P3K7QXT\n法定代表人：周立新\n",
    "label wrapped in a narrow column": ("申请人（赔偿义\n务人）\n南通恒源化工有限公司\n统一社会信用代码：91320612MA1P3K7QXT\n"
                                         "法定代表人：周立新\n"),
    "name and labels wrapped in narrow cells": ("乙方（赔偿义务\n人）\n南通恒源化工\n有限公司\n法定代表人：周立新\n"
                                                 "统一社会信用代\n码\n91320612MA1P3K7QXT\n住所：南通市江海大道18号\n"),
    "a court form's 名称或姓名 row": ("被申请人名称或姓名：南通恒源化工有限公司（统一社会信用代码 91320612MA1P3K7QXT）\n"
                                   "地址（联系方式）：南通市江海大道18号\n法定代表人（负责人）：周立新\n"),
    "a four-column form read from a PDF": ("申请人：（赔偿义务人）\n南通恒源化工有限公司 统一社会信用代\n码\n91320612MA1P3K7QXT\n"
                                           "法定代表人：周立新 地址（联系方式）\n南通市江海大道18号，0513-8123456\n"),
    "a PDF table row's phone number wrapped below its address": (
        "被申请人\n名称：南通恒源化工有限公司\n统一社会信用代码：91320612MA1P3K7QXT\n地址（联系方式）：南通市江海大道18号；\n"
        "0513-8123456\n法定代表人（负责人）：周立新 执行董事\n"),
    "letter salutation": "南通恒源化工有限公司（统一社会信用代码：91320612MA1P3K7QXT；法定代表人：周立新；住所：南通市江海大道18号）：\n我局……\n",
}


@pytest.mark.parametrize("text", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_every_layout_gives_the_obligor_with_name_code_and_representative(text):
    status, party, lacking = assess(find_parties(text), "obligor", [["name", "uscc", "legal_rep"]])
    assert (status, lacking) == ("present", [])
    assert party is not None and party.name == "南通恒源化工有限公司"
    assert party.fields["uscc"] == "91320612MA1P3K7QXT" and party.fields["legal_rep"] == "周立新"


def test_a_natural_person_in_prose():
    text = "申请人张德胜，男，公民身份号码320612196803020575，回收站经营者，住南通市通州区兴仁镇兴东村七组21号。\n"
    [party] = find_parties(text)
    assert (party.side, party.name) == ("obligor", "张德胜")
    assert {"id_number", "occupation", "address"} <= set(party.fields)


def test_a_person_in_a_bracketed_block_with_parenthesised_labels():
    text = ("【申请人（赔偿义务人）】王德福，男，1971年3月8日出生，汉族\n身份证号：620702197103081818\n"
            "工作单位或职业：个体经营者\n住址（联系方式）：张掖市甘州区乌江镇小湾村五社18号，13909363375\n")
    [party] = find_parties(text)
    assert (party.side, party.name) == ("obligor", "王德福")
    assert party.fields["address"] == "张掖市甘州区乌江镇小湾村五社18号"
    assert party.fields["occupation"] == "个体经营者" and "legal_rep" not in party.fields


@pytest.mark.parametrize("line", ["申请人根据有关规定，为修复受损生态环境，自愿达成上述协议。",
                                  "乙方应于2025年3月1日前支付赔偿金。", "甲乙双方经两次磋商，达成如下协议："])
def test_prose_that_starts_with_a_role_word_is_not_a_party(line):
    assert find_parties(line + "\n") == []


def test_the_side_of_a_bare_applicant_comes_from_its_name():
    sides = {p.name: p.side for p in find_parties("申请人：南宁市生态环境局\n申请人：南宁市恒鑫表面处理有限公司\n")}
    assert sides == {"南宁市生态环境局": "claimant", "南宁市恒鑫表面处理有限公司": "obligor"}


def test_the_sender_of_a_letter_is_the_claimant_side():
    text = "……特此告知。\n梧州市水利局\n2025年9月8日\n"
    status, party, _ = assess(find_parties(text), "claimant", [["name"]])
    assert status == "present" and party is not None and party.name == "梧州市水利局"


def test_an_incomplete_block_names_what_it_lacks():
    status, _party, lacking = assess(find_parties("被申请人：南通宏泰建材有限公司\n统一社会信用代码：91320612MA1P3K7QXT\n"),
                                     "obligor", [["name", "address_or_contact", "legal_rep"]])
    assert (status, lacking) == ("incomplete", ["address_or_contact", "legal_rep"])


def test_parties_in_the_columns_of_a_table():
    """A court filing's form: the first row names each column's party, each row gives one field."""
    from checkers.document import Block, Document, Location
    from checkers.understand.parties import find_column_parties

    rows = [["申请人", "赔偿权利人指定的部门", "赔偿义务人"], ["名称", "湘阴县水利局", "湘阴县海沙砂石有限公司"],
            ["统一社会信用代码", "11430624MB1290177K", "91430624MA4L8P2N6T"],
            ["法定代表人（负责人）", "黄明亮（局长）", "曾庆丰（执行董事）"], ["联系方式", "0730-2222635", "0730-2751286"]]
    blocks = [Block(index=len(rows[0]) * r + c, kind="table_cell", text=text,
                    location=Location(table=1, row=r + 1, cell=c + 1))
              for r, row in enumerate(rows) for c, text in enumerate(row)]
    parties = {p.side: p for p in find_column_parties(Document(file="x.docx", format="docx", blocks=blocks))}
    assert parties["claimant"].name == "湘阴县水利局" and parties["obligor"].name == "湘阴县海沙砂石有限公司"
    assert parties["obligor"].fields["uscc"] == "91430624MA4L8P2N6T" and parties["obligor"].fields["legal_rep"] == "曾庆丰"


def test_each_party_with_its_own_label_column_and_cells_that_carry_their_label():
    """A 要素式 form: "要素 | 权利人 | 要素 | 义务人", each row one merged cell per party whose text is
    "label：value" (blind batch 16, dev: wAU03)."""
    from checkers.document import Block, Document, Location
    from checkers.understand.parties import find_column_parties

    cells = [(1, 1, "要素"), (1, 2, "申请人（赔偿权利人指定的部门）"), (1, 3, "要素"), (1, 4, "申请人（赔偿义务人·自然人）"),
             (2, 1, "名称：钦州市生态环境局"), (2, 3, "姓名：黄德明"),
             (3, 1, "统一社会信用代码：11450700MB15239619"), (3, 3, "身份证号码：45072119710308109X"),
             (4, 1, "法定代表人：梁国栋（局长）"), (4, 3, "工作单位或职业：个体工商户"),
             (5, 1, "地址：钦州市钦南区永福西大街18号"), (5, 3, "住址：灵山县檀圩镇檀圩街福旺巷7号")]
    blocks = [Block(index=i, kind="table_cell", text=text, location=Location(table=1, row=r, cell=c))
              for i, (r, c, text) in enumerate(cells)]
    parties = {p.side: p for p in find_column_parties(Document(file="x.docx", format="docx", blocks=blocks))}
    assert parties["claimant"].name == "钦州市生态环境局" and parties["claimant"].fields["legal_rep"] == "梁国栋"
    assert parties["obligor"].name == "黄德明" and parties["obligor"].fields["id_number"] == "45072119710308109X"


def test_a_code_without_its_label_in_a_table_row_read_across_its_cells():
    """A PDF's party table row run together ("赔偿义务人（乙方）" | name | code | representative): the bare
    18-character code is the party's 统一社会信用代码, a 身份证号码 when shaped as one (robustness, PDF)."""
    [party] = find_parties("赔偿义务人：（乙方）南通瑞丰纺织印染有限公司91320612MA1MQ7R44M周瑞丰（执行董事）\n")
    assert party.side == "obligor" and party.fields["uscc"] == "91320612MA1MQ7R44M"
    [person] = find_parties("被申请人：黄德明 45072119710308109X 灵山县檀圩镇檀圩街福旺巷7号\n")
    assert person.fields["id_number"] == "45072119710308109X"


def test_several_persons_one_per_row_of_a_table():
    """A person table ("序号 | 姓名 | 公民身份号码 | 住址"), several natural-person obligors (blind batch 10, dev)."""
    from checkers.document import Block, Document, Location
    from checkers.understand.parties import find_row_parties

    rows = [["序号", "姓名", "公民身份号码", "住址"], ["1", "施卫东", "320684197302141535", "海门区三厂街道青龙港村11组"],
            ["2", "黄晓峰", "320684198508122318", "海门区海门街道东洲小区18幢"]]
    blocks = [Block(index=0, text="赔偿义务人（以下合称乙方）：", location=Location(paragraph=1))]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            blocks.append(Block(index=len(blocks), text=text, kind="table_cell", location=Location(table=1, row=r, cell=c)))
    parties = find_row_parties(Document(file="协议.docx", format="docx", blocks=blocks))
    assert [(p.side, p.name, p.fields["id_number"]) for p in parties] == [
        ("obligor", "施卫东", "320684197302141535"), ("obligor", "黄晓峰", "320684198508122318")]
    assert assess(parties, "obligor", [["name", "id_number"]])[0] == "present"


def test_several_persons_in_a_pdfs_text_layer():
    from checkers.document import from_text
    from checkers.understand.parties import find_row_parties

    text = ("赔偿义务人（以下合称乙方）：\n序\n号\n姓名：公民身份号码 住址 联系电话\n"
            "1施卫东320684197302141535江苏省南通市海门区三厂街道青龙港村11组36号\n138 1477\n"
            "2黄晓峰320684198508122318江苏省南通市海门区海门街道东洲小区18幢302室\n")
    doc = from_text(text, "协议.pdf").model_copy(update={"format": "pdf"})
    assert [p.name for p in find_row_parties(doc)] == ["施卫东", "黄晓峰"]


def test_the_next_person_of_a_block_on_a_line_of_their_own():
    text = ("被申请人姓名：张二旦（公民身份号码140925197311081530）；\n王拴柱（公民身份号码140925198002292195）\n"
            "地址（联系方式）：山西省忻州市宁武县东寨镇二马营村三组12号，13935017726\n")
    status, _party, lacking = assess(find_parties(text), "obligor", [["name", "id_number", "address_or_contact"]])
    assert (status, lacking) == ("present", [])


def test_parties_introduced_mid_paragraph_in_running_prose():
    """"…人民政府是赔偿权利人，指定X局（…）具体办理。赔偿义务人是Y公司（…）。" (blind batch 11, dev)."""
    text = ("玉林市人民政府是这起案件的赔偿权利人，指定玉林市生态环境局（统一社会信用代码11450900MB1B552145，法定代表人李振邦，"
            "地址玉林市玉州区二环北路199号）具体办理。赔偿义务人是博白县旺丰生猪养殖有限公司（统一社会信用代码91450923MA5L2QH72C，"
            "法定代表人庞国才，地址玉林市博白县亚山镇石塘村委会）。今年4月7日送达磋商告知书。\n")
    parties = find_parties(text)
    assert assess(parties, "obligor", [["name", "uscc", "legal_rep"]])[:1] == ("present",)
    assert assess(parties, "claimant", [["name", "uscc", "legal_rep"]])[:1] == ("present",)
    assert {p.name for p in parties} == {"玉林市生态环境局", "博白县旺丰生猪养殖有限公司"}


def test_a_party_table_with_the_side_in_its_first_column_merged_down_its_rows():
    """"当事人 | 名称/姓名 | 统一社会信用代码/身份证号 | 法定代表人 | 住所": the side cell is merged down the rows of
    one side, cells may carry their own label ("法定代表人：范德利", "职业：…", "身份证号：…") (blind batch 14, dev)."""
    from checkers.document import Block, Document, Location
    from checkers.understand.parties import find_row_parties

    rows = [["当事人", "名称/姓名", "法定代表人/企业负责人", "统一社会信用代码（身份证号）", "住所/住址"],
            ["赔偿权利人指定的部门", "衡水市生态环境局", "韩卫东", "1113110093857083XU", "衡水市桃城区育才南大街689号"],
            ["赔偿义务人", "景县通程汽车维修服务有限公司", "法定代表人：范德利", "91131127MA8GQ61J6A", "景县景州镇开发区路东段12号"],
            [None, "邢宝山", "职业：个体废旧物资收购", "身份证号：131127198203150538", "景县王瞳镇邢家庄村5排8号"]]
    blocks = [Block(index=0, text="生态环境损害赔偿协议", location=Location(paragraph=1))]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is not None:
                blocks.append(Block(index=len(blocks), text=text, kind="table_cell",
                                    location=Location(table=1, row=r + 1, cell=c + 1)))
    parties = find_row_parties(Document(file="协议.docx", format="docx", blocks=blocks))
    assert [(p.side, p.name) for p in parties] == [
        ("claimant", "衡水市生态环境局"), ("obligor", "景县通程汽车维修服务有限公司"), ("obligor", "邢宝山")]
    company, person = parties[1], parties[2]
    assert company.fields["uscc"] == "91131127MA8GQ61J6A" and company.fields["legal_rep"] == "范德利"
    assert person.fields["id_number"] == "131127198203150538" and "legal_rep" not in person.fields
    assert person.fields["occupation"] == "个体废旧物资收购" and person.fields["address"].startswith("景县王瞳镇")


def test_a_role_whose_colon_is_followed_by_the_name_field_label_alone():
    """"赔偿义务人：姓名" / "赵永刚" / "公民身份号码" / "1409…": a nested table read line by line; the name is
    the next line, not the word 姓名 (blind batch 15, dev: wAQ02)."""
    text = ("赔偿义务人：姓名\n赵永刚\n性别／出生日期\n男／1978年4月12日\n公民身份号码\n140922197804120316\n"
            "住址\n山西省忻州市五台县东冶镇东冶村新建街36号\n")
    status, party, _lacking = assess(find_parties(text), "obligor", [["name", "id_number", "address"]])
    assert status == "present" and party is not None and party.name == "赵永刚"


def test_a_party_table_under_a_two_row_header_with_a_long_code_header():
    """"序号 | 被告知人（赔偿义务人）" over "名称/姓名 | 法定代表人 | 统一社会信用代码（个人为身份证号） | 地址" (序号
    merged down, the title across): the second row names the columns (blind batch 20, dev: wBF07)."""
    from checkers.extract import read_document
    from checkers.understand.parties import find_row_parties
    from tests.fixtures.extract.builders import docx, p, table

    merged_down = f'<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>{p("序号")}</w:tc>'
    continued = f'<w:tc><w:tcPr><w:vMerge/></w:tcPr>{p()}</w:tc>'
    across = f'<w:tc><w:tcPr><w:gridSpan w:val="4"/></w:tcPr>{p("被告知人（赔偿义务人）")}</w:tc>'
    body = p("生态环境损害赔偿磋商告知书") + table([
        [merged_down, across],
        [continued, "名称/姓名", "法定代表人/企业负责人", "统一社会信用代码（个人为身份证号）", "地址"],
        ["1", "大新县锰源矿业有限公司", "农志坚", "91451424MA5KW3R5XB", "崇左市大新县下雷镇锰矿路28号"]])
    doc = read_document(docx(body), filename="告知书.docx")
    [party] = find_row_parties(doc)
    assert party.name == "大新县锰源矿业有限公司" and party.fields["uscc"] == "91451424MA5KW3R5XB"
    assert party.has("address_or_contact")


def test_a_company_type_line_does_not_end_the_party_block():
    """"企业类型：有限责任公司（外国法人独资）" between the name and the code, as a foreign-invested firm's block
    has it; the representative's nationality and passport too (blind batch 20, dev: wBG01)."""
    text = ("乙方（赔偿义务人）\n名称：南通联腾精细化工有限公司\n企业类型：有限责任公司（外国法人独资）\n"
            "统一社会信用代码：9132060060829174XC\n法定代表人：山田健一（YAMADA Kenichi），日本国籍，护照号码：TR8842157\n"
            "住所：南通经济技术开发区江港路28号\n")
    [party] = find_parties(text)
    assert party.fields["uscc"] == "9132060060829174XC" and party.has("address_or_contact")


@pytest.mark.parametrize("rep", ["David MILLER（大卫·米勒），美国国籍", "大卫·米勒（David MILLER）", "O’NEIL Sean"])
def test_a_foreign_representative_is_a_representative(rep):
    """A foreign-invested firm's legal representative in Latin letters or a transliteration with “·”
    (blind batch 20, dev: wBG05)."""
    text = f"申请人二（赔偿义务人）\n名称：南通美嘉涂料有限公司\n统一社会信用代码：91320600MA1NQ3L896\n法定代表人：{rep}\n"
    [party] = find_parties(text)
    assert party.has("legal_rep")


def test_a_third_party_to_the_agreement_is_neither_side():
    """The unit the obligor hires to restore, or a guarantor, is a 丙方 of neither side — by its own label's
    words or by the document's definition of the bare label; a company the obligor hires, named in prose
    after “乙方委托”, is no party at all (blind batch 21, dev: wBI02, wBI10, wBK12)."""
    text = ("赔偿义务人（乙方）：如东恒通物流有限公司\n受托修复单位（丙方）：南通绿苑园林绿化工程有限公司\n"
            "丙方：南通绿苑园林绿化工程有限公司，统一社会信用代码91320602732258648J。\n"
            "丙方（保证人）：王建华，男，汉族，公民身份号码320602198003150012。\n"
            "乙方委托甘肃祁连生态修复工程有限公司（统一社会信用代码：91620700MA72C5N046）实施修复。\n")
    sides = [(p.side, p.name) for p in find_parties(text)]
    assert sides == [("obligor", "如东恒通物流有限公司"), ("third", "南通绿苑园林绿化工程有限公司"),
                     ("third", "王建华")]
    assert third_party_labels(text) == {"丙方"}
    assert third_party_labels("甲方：某市生态环境局\n乙方：甲公司\n丙方：乙公司\n") == set()


def test_a_form_rows_type_line_does_not_end_the_party_block():
    """A form's row "类型 | ■自然人 □法人 □其他组织" between the name and the identity number (blind batch 22,
    dev: wBM12 — the block ended there, and the respondent's address and ID were lost)."""
    text = ("被申请人名称或姓名\n施卫东\n类型\n■自然人 □法人 □其他组织\n身份证号\n320681198005032792\n职业\n个体运输户\n"
            "地址（联系方式）：启东市北新镇永北村12组7号，手机：13962878416\n")
    [party] = find_parties(text)
    assert party.fields["id_number"] == "320681198005032792" and party.has("address_or_contact")


def test_a_name_label_alone_is_no_name():
    """"被申请人名称或姓名" over a numbered list of obligors: "或姓名" is the label's tail, not a name (blind batch 26,
    dev: wBZ08)."""
    text = "被申请人名称或姓名\n（一）临泽县兴达汽车修理部（个体工商户）\n统一社会信用代码：92620723MA71R8XE4B\n"
    assert all(p.name != "或姓名" and p.fields.get("name") != "或姓名" for p in find_parties(text))
