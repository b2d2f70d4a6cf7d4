"""Parties: the claimant side, obligors (units or natural persons), people and agents."""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator, model_validator

from corpus.filing import filing_steps
from ecokernel.identifiers import ric_birth_date, validate_ric, validate_uscc

from .base import Model
from .choices import AgentPrincipal, MaterialKind, ObligorKind
from .types import Day, Line, Text, labeled


def _uscc(value: str) -> str:
    problem = validate_uscc(value)
    if problem:
        raise ValueError(problem)
    return value


def _ric(value: str) -> str:
    problem = validate_ric(value)
    if problem:
        raise ValueError(problem)
    return value


USCC = Annotated[str, AfterValidator(_uscc), Field(description="统一社会信用代码（18位，含校验位，GB 32100-2015）")]
RIC = Annotated[str, AfterValidator(_ric), Field(description="公民身份号码（18位，含校验位，GB 11643-1999）")]


class Person(Model):
    """A named person in a role (panel member, attendee, investigator, signer)."""

    name: Line = Field(title="姓名")
    unit: Line | None = Field(None, title="工作单位")
    position: Line | None = Field(None, title="职务")
    phone: Line | None = Field(None, title="联系电话")


class Organization(Model):
    """A body with legal standing: the claimant's designated department, a court, an institution."""

    name: Line = Field(title="名称")
    uscc: USCC | None = Field(None, title="统一社会信用代码")
    legal_rep: Line | None = Field(None, title="法定代表人（负责人）")
    legal_rep_title: Line | None = Field(None, title="法定代表人职务")
    address: Line | None = Field(None, title="地址")
    phone: Line | None = Field(None, title="联系电话")
    postcode: Annotated[str, Field(pattern=r"^\d{6}$")] | None = Field(None, title="邮政编码")
    contact: Person | None = Field(None, title="联系人")


class Claimant(Model):
    """赔偿权利人 and the department or body it designated (guangxi:7)."""

    government: Line = Field(title="赔偿权利人", description="如：张掖市人民政府")
    department: Organization = Field(title="指定的部门或机构", description="具体承担索赔工作的部门，如某市生态环境局")
    office: Line | None = Field(None, title="内设承办机构", description="如：法规处（登记表“机构负责人意见”栏）")


class Obligor(Model):
    """赔偿义务人: a unit (name, 统一社会信用代码, 法定代表人) or a natural person (name, 身份证号, 工作单位或职业)."""

    kind: labeled(ObligorKind) = Field(title="类型")  # type: ignore[valid-type]
    name: Line = Field(title="名称（姓名）")
    uscc: USCC | None = Field(None, title="统一社会信用代码", description="单位必填")
    legal_rep: Line | None = Field(None, title="法定代表人（负责人）", description="单位必填")
    legal_rep_title: Line | None = Field(None, title="职务")
    id_number: RIC | None = Field(None, title="身份证号码", description="自然人必填")
    work_unit: Line | None = Field(None, title="工作单位或职业", description="自然人")
    ethnicity: Line | None = Field(None, title="民族", description="自然人，如：汉族（司法确认、强制执行申请书写明当事人的民族）")
    address: Line = Field(title="地址（住址）")
    phone: Line | None = Field(None, title="联系方式")

    @model_validator(mode="after")
    def _kind_fields(self) -> Obligor:
        if self.kind is ObligorKind.UNIT:
            missing = [f for f in ("uscc", "legal_rep") if getattr(self, f) is None]
            if missing:
                names = {"uscc": "统一社会信用代码（uscc）", "legal_rep": "法定代表人（legal_rep）"}
                raise ValueError("单位赔偿义务人必须填写" + "、".join(names[m] for m in missing))
            if self.id_number is not None:
                raise ValueError("单位赔偿义务人不应填写身份证号码（id_number），请填写统一社会信用代码（uscc）")
        else:
            if self.id_number is None:
                raise ValueError("自然人赔偿义务人必须填写身份证号码（id_number）")
            if self.uscc is not None:
                raise ValueError("自然人赔偿义务人不应填写统一社会信用代码（uscc）")
        if self.ethnicity is not None and self.kind is ObligorKind.UNIT:
            raise ValueError("单位赔偿义务人不应填写民族（ethnicity）")
        return self

    @property
    def birth_date(self) -> date | None:
        """A natural person's birth date, read from the 身份证号码 (GB 11643-1999 出生日期码)."""
        return ric_birth_date(self.id_number) if self.id_number else None

    @property
    def sex(self) -> str | None:
        """男 or 女 from the 身份证号码 顺序码 (odd: 男; GB 11643-1999)."""
        if not self.id_number or len(self.id_number) != 18:
            return None
        return "男" if int(self.id_number[16]) % 2 else "女"

    @property
    def identifier(self) -> str:
        """The identifier a document prints for this obligor."""
        return (self.uscc if self.kind is ObligorKind.UNIT else self.id_number) or ""


class Agent(Model):
    """委托代理人 with the powers and term of the 授权委托书 (zhangye 附件[5]; 执行工作规定 20)."""

    name: Line = Field(title="姓名")
    unit: Line | None = Field(None, title="工作单位")
    position: Line | None = Field(None, title="职务")
    id_number: RIC | None = Field(None, title="身份证号码")
    phone: Line | None = Field(None, title="联系方式")
    principal: labeled(AgentPrincipal) = Field(title="委托方")  # type: ignore[valid-type]
    principal_obligor: Line | None = Field(
        None, title="委托的赔偿义务人", description="委托方为赔偿义务人时，填写该义务人名称（须与 obligors 中一致）")
    powers: Text = Field(title="代理权限", description="如：一般授权；或特别授权：代为参加磋商、签署协议、代为收付款项")
    special_authorization: bool = Field(False, title="是否特别授权")
    term_start: Day | None = Field(None, title="委托期限起")
    term_end: Day | None = Field(None, title="委托期限止", description="不填表示“至本案办完为止”")
    signed: Day | None = Field(None, title="委托日期")
    scope: list[str] = Field(default_factory=list, title="代理阶段",
                             description="如 consultation（磋商）、enforcement（申请执行）")

    @model_validator(mode="after")
    def _principal(self) -> Agent:
        if self.principal is AgentPrincipal.OBLIGOR and not self.principal_obligor:
            raise ValueError("委托方为赔偿义务人时须填写 principal_obligor（义务人名称）")
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValueError("委托期限止（term_end）早于委托期限起（term_start）")
        return self


class Approval(Model):
    """An approval block of the registration forms: opinion, signer and date."""

    opinion: Text | None = Field(None, title="意见")
    signer: Line | None = Field(None, title="签字人")
    date: Day | None = Field(None, title="日期")


#: file types a material may be (a PDF, or a scan as JPEG or PNG)
MATERIAL_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")


def _material_path(value: str) -> str:
    if "\x00" in value:
        raise ValueError("文件路径含有空字符")
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute() or PureWindowsPath(value).drive:
        raise ValueError(f"“{value}”是绝对路径；请写相对于案件文件所在文件夹的路径，如 materials/鉴定报告.pdf")
    if not value.lower().endswith(MATERIAL_SUFFIXES):
        raise ValueError(f"“{value}”不是 PDF 或图片（JPG、PNG）文件；请提供扫描件的 PDF 或图片")
    return value


class Material(Model):
    """A material supplied for a court filing (鉴定评估报告, 营业执照, 民事裁定书…): a PDF or a scan
    (JPG/PNG) whose path is relative to the case file. ``ecoclaim pack`` merges it into the pack."""

    name: Line = Field(title="材料名称", description="如：良凤江支流镉污染生态环境损害鉴定评估报告")
    kind: labeled(MaterialKind) = Field(title="材料类别")  # type: ignore[valid-type]
    path: Annotated[Line, AfterValidator(_material_path)] = Field(
        title="文件", description="PDF 或 JPG、PNG 图片，写相对于案件文件所在文件夹的路径")
    party: Line | None = Field(
        None, title="所属当事人",
        description="身份证明类材料属于谁：单位或自然人的名称（营业执照、身份证、法定代表人身份证），"
                    "或委托代理人的姓名（委托代理人身份证明）")
    source: Line | None = Field(None, title="证据来源", description="如：广西桂环环境损害司法鉴定中心出具")
    proves: Text | None = Field(None, title="证明对象", description="证据目录中的证明对象；不填时按材料类别的通常写法")
    copies: Annotated[int, Field(ge=1, le=99)] | None = Field(None, title="份数", description="不填时按材料清单的通常份数")
    original: bool = Field(False, title="是否原件", description="true：提交原件；false：提交复印件")
    steps: list[str] = Field(
        default_factory=list, title="用于哪些申请",
        description="judicial_confirmation（申请司法确认）、enforcement（申请强制执行）；不填则凡需要此类材料的申请都用")

    @field_validator("steps")
    @classmethod
    def _known_steps(cls, value: list[str]) -> list[str]:
        steps = filing_steps()
        for step in value:
            if step not in steps:
                raise ValueError(f"“{step}”不是可选值，应为以下之一：{'、'.join(f'{k}（{s.title}）' for k, s in steps.items())}")
        return value
