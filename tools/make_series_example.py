"""Write the series example workbook: examples/series/heihe-sand-mining-11.xlsx, eleven sand-mining
companies (fictitious) on the template of examples/series/heihe-sand-mining-base.yaml.

Deterministic: the same base gives byte-identical output. Run from the repository root:
    .venv/bin/python tools/make_series_example.py
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casefile.series import fill_workbook, read_base, template_workbook  # noqa: E402
from ecokernel.identifiers import uscc_check_char  # noqa: E402

BASE = ROOT / "examples" / "series" / "heihe-sand-mining-base.yaml"
OUTPUT = ROOT / "examples" / "series" / "heihe-sand-mining-11.xlsx"

#: (company, legal representative, title, village, damage in yuan)
COMPANIES = [
    ("张掖市甘州区宏达砂石有限公司", "刘宏达", "执行董事", "党寨镇", 158000),
    ("张掖市甘州区鑫源建材有限公司", "王鑫", "执行董事", "小满镇", 96500),
    ("张掖市甘州区黑河砂场", "陈立军", "负责人", "沙井镇", 43200),
    ("张掖市恒通建筑材料有限公司", "赵恒通", "董事长", "乌江镇", 212800),
    ("张掖市甘州区顺达运输有限公司", "孙顺", "执行董事", "靖安乡", 67400),
    ("张掖市祁连石料有限公司", "周祁", "总经理", "甘浚镇", 128900),
    ("张掖市甘州区金沙河砂石厂", "吴金沙", "负责人", "明永镇", 38600),
    ("张掖市丰源商砼有限公司", "郑丰", "董事长", "梁家墩镇", 184300),
    ("张掖市甘州区大成砂石料有限公司", "冯大成", "执行董事", "上秦镇", 75200),
    ("张掖市绿洲建材有限公司", "何绿洲", "总经理", "碱滩镇", 101700),
    ("张掖市甘州区永固砂石有限公司", "马永固", "执行董事", "三闸镇", 54900),
]
#: assessment, survey and expert costs each company bears on top of its damage
COSTS = Decimal("12000.00")


def uscc(n: int) -> str:
    """A syntactically valid, fictitious 统一社会信用代码 (9 = 工商, 1 = 企业, 620702 = 甘州区)."""
    first17 = f"91620702MA7HD2K0{'0123456789ABCDEFGHJ'[n]}"
    return first17 + uscc_check_char(first17)


def rows() -> list[dict[str, Any]]:
    out = []
    for i, (name, rep, title, town, damage) in enumerate(COMPANIES):
        total = Decimal(damage) + COSTS
        row: dict[str, Any] = {
            "立案号（编号）": f"甘G环赔〔2025〕{11 + i}号",
            "赔偿义务人类型": "单位",
            "赔偿义务人名称（姓名）": name,
            "统一社会信用代码": uscc(i + 1),
            "法定代表人（负责人）": rep,
            "法定代表人职务": title,
            "地址（住址）": f"张掖市甘州区{town}某村某号",
            "联系方式": f"0936-81010{i + 1:02d}",
            "生态环境损害数额（元）": float(damage),
            "协议编号": f"张自然资赔协〔2025〕{11 + i}号",
            "赔偿总额（元）": float(total),
        }
        if total < 100000:  # smaller sums at once, larger ones in three instalments
            row["一次性支付金额（元）"] = float(total)
            row["一次性支付期限"] = date(2025, 10, 31)
        else:
            row["履约担保方式"] = "履约保证金"
            row["履约担保金额（元）"] = float((total * Decimal("0.1")).quantize(Decimal("1")))
            first = (total * Decimal("0.4")).quantize(Decimal("1"))
            second = ((total - first) / 2).quantize(Decimal("1"))
            third = total - first - second
            for k, (amount, due) in enumerate(((first, date(2025, 10, 31)), (second, date(2026, 4, 30)),
                                               (third, date(2026, 10, 31))), start=1):
                row[f"第{k}期金额（元）"] = float(amount)
                row[f"第{k}期支付期限"] = due
        out.append(row)
    return out


def main() -> None:
    data = fill_workbook(template_workbook(read_base(BASE)), rows())
    OUTPUT.write_bytes(data)
    print(f"已写入 {OUTPUT.relative_to(ROOT)}（{len(COMPANIES)}个赔偿义务人）")


if __name__ == "__main__":
    main()
