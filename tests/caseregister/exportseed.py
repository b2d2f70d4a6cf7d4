"""A register for the export tests (no tests here): two departments (张掖 ZY, 南宁 NN) with a user
each; the Zhangye example in ZY; in NN a Guangxi case whose obligor is a natural person with real-
looking personal data and a passage marked as a trade secret, with a generated dossier (索赔启动
登记表 and 赔偿协议, DOCX, their bytes kept) and a signed copy of the agreement (a two-page PDF)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfWriter
from sqlalchemy import Engine, select

from caseregister import accounts, documents, versions
from caseregister.casedata import submit
from caseregister.engine import write_session
from caseregister.models import Document
from docgen.dossier import generate_dossier

from ..conftest import example_path

PASSWORD = "Shengtai-2025!hz"
SECRET = "采用本公司自研的硫化钠-聚合硫酸铁两段沉淀工艺，药剂配比为3:1"
BANK = "6222021001115556661"
ADDRESS = "南宁市青秀区某小区某栋某号"
ID_NUMBER = "11010519491231002X"
MOBILE = "13900000001"


def guangxi_text() -> str:
    text = example_path("guangxi-two").read_text("utf-8")
    term = "    - 本协议一式六份，甲乙双方各执二份，报送人民法院二份。\n"
    assert term in text
    return text.replace(term, term + f"    - 乙方以【商业秘密】{SECRET}【/商业秘密】完成车间改造。\n"
                                     f"    - 乙方联系人陈国强（身份证号码{ID_NUMBER}，住址：{ADDRESS}，"
                                     f"电话{MOBILE}），付款银行账号：{BANK}。\n")


def two_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class Seeded:
    zy_case: int
    nn_case: int
    agreement_id: int


def seed(engine: Engine, tmp: Path) -> Seeded:
    with write_session(engine) as s:
        accounts.add_department(s, "张掖市自然资源局", "ZY", actor="管理员")
        accounts.add_department(s, "南宁市生态环境局", "NN", actor="管理员")
        accounts.add_user(s, "zhang", "张三", PASSWORD, "drafter", "ZY", actor="管理员")
        accounts.add_user(s, "nan", "南六", PASSWORD, "drafter", "NN", actor="管理员")
    text = guangxi_text()
    with write_session(engine) as s:
        zy = versions.create_case(s, accounts.find_department(s, "ZY"),
                                  submit(example_path("zhangye").read_text("utf-8"), "yaml"), author="张三",
                                  reason="立案登记").case_id
        nn = versions.create_case(s, accounts.find_department(s, "NN"), submit(text, "yaml"), author="南六",
                                  reason="立案登记").case_id
    case_file = tmp / "guangxi.yaml"
    case_file.write_text(text, "utf-8")
    generate_dossier(case_file, tmp / "dossier", fmt="docx", kinds=["agreement", "claim_start"])
    signed = tmp / "赔偿协议（签署件）.pdf"
    signed.write_bytes(two_page_pdf())
    with write_session(engine) as s:
        documents.record_dossier(s, tmp / "dossier" / "manifest.json", "南六")
        agreement = s.scalars(select(Document).where(Document.form == "agreement")).one()
        documents.record_signed(s, agreement.id, signed, "南六")
        agreement_id = agreement.id
    return Seeded(zy, nn, agreement_id)
