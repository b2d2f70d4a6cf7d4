"""The 台账 as an XLSX workbook: the cases a user sees (with the 台账 page's filters), one row each,
with stage, next deadline and whether it is overdue, obligors, amounts and jurisdiction; Chinese
headers, the header row frozen, column widths set, dates and amounts as real cells."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from sqlalchemy.orm import Session

from caseregister.exports.common import (
    DATE_FORMAT,
    MONEY_FORMAT,
    Column,
    agreed_total,
    current_data,
    damage_amount,
    jurisdiction_name,
    local,
    paid_total,
    sheet,
    workbook_bytes,
)
from caseregister.models import User
from caseregister.views import CaseFilter, case_rows

COLUMNS = [
    Column("台账编号", 9),
    Column("部门", 18),
    Column("立案号", 20),
    Column("案件名称", 34),
    Column("辖区", 14),
    Column("阶段", 14),
    Column("下一期限", 12, DATE_FORMAT),
    Column("下一期限事项", 26),
    Column("是否逾期", 9),
    Column("赔偿义务人", 26),
    Column("损害数额（元）", 15, MONEY_FORMAT),
    Column("协议赔偿总额（元）", 17, MONEY_FORMAT),
    Column("已支付（元）", 15, MONEY_FORMAT),
    Column("当前版本", 9),
    Column("最近修改", 17, "yyyy-mm-dd hh:mm"),
]
OVERDUE = "已逾期"


def ledger_xlsx(session: Session, user: User, filters: CaseFilter, today: date) -> tuple[bytes, int]:
    """The workbook and how many cases it lists."""
    rows = case_rows(session, user, filters, today)
    data = current_data(session, [r.id for r in rows])
    values = []
    for r in rows:
        case = data[r.id]
        values.append([r.id, r.department, r.case_number or "", r.title, jurisdiction_name(r.jurisdiction),
                       r.stage_label, r.next_deadline, r.next_deadline_title or "", OVERDUE if r.overdue else "",
                       r.obligor_names, damage_amount(case), agreed_total(case),
                       paid_total(case) if case.agreement else None, r.current_version, local(r.updated_at)])
    wb = Workbook()
    sheet(wb, "案件台账", COLUMNS, values, first=True,
          heading=[f"生态环境损害赔偿案件台账（{user.department.name}）",
                   f"导出日期：{today:%Y-%m-%d}；共{len(rows)}个案件；下一期限早于导出日期的标为“{OVERDUE}”"])
    return workbook_bytes(wb), len(rows)
