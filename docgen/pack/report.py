"""What ``ecoclaim pack`` reports: the files written and, as one complete list (the filing desk's
one-time notice of everything to supplement), the required items still missing (待补), the ones
worth adding (建议提供), and warnings — in Chinese text or JSON."""

from __future__ import annotations

import json
from typing import Any

from corpus.filing import filing, item_line, missing_lines

from .build import PackResult, slot_json
from .plan import Slot


def _line(slot: Slot) -> str:
    return item_line(slot.name, slot.item.basis, slot.item.status)


def render_text(result: PackResult) -> str:
    plan = result.plan
    out = [f"{plan.step.title}：{plan.case.case_name}（{plan.court or '法院未写明'}）"]
    if result.merged and result.out_dir is not None:
        out.append(f"已生成 {result.out_dir / result.merged}（合并，共{result.total_pages}页，含书签和目录）")
        out += [f"  {name}（第{entry.page_range}页）" for name, entry in result.files]
    missing = plan.missing
    optional = [s for s in plan.slots if s.status == "optional"]
    present = [s for s in plan.slots if s.present]
    out.append(f"材料共{len(plan.slots)}项：已附{len(present)}项，待补{len(missing)}项，建议提供{len(optional)}项")
    out += missing_lines([(s.name, s.item.basis, s.item.status) for s in missing])
    if optional:
        out.append("建议提供：")
        out += [f"  {n}. {_line(s)}" for n, s in enumerate(optional, 1)]
    out += [f"警告：{w}" for w in plan.warnings]
    out += [f"注意：{n}" for n in result.notices]
    return "\n".join(out) + "\n"


def to_dict(result: PackResult) -> dict[str, Any]:
    plan = result.plan
    return {
        "step": plan.step.code, "court": plan.court, "case_name": plan.case.case_name,
        "complete": not plan.missing,
        "merged": result.merged, "pages": result.total_pages or None,
        "files": [{"file": name, "title": e.title, "first_page": e.start, "last_page": e.start + e.pages - 1}
                  for name, e in result.files],
        "items": [slot_json(s) for s in plan.slots],
        "missing": [slot_json(s) for s in plan.missing],
        "notice_basis": filing().notice_basis,
        "warnings": plan.warnings, "notices": result.notices,
    }


def render_json(result: PackResult) -> str:
    return json.dumps(to_dict(result), ensure_ascii=False, indent=2) + "\n"
