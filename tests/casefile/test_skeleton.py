"""ecoclaim init: a commented skeleton written from the case model (issue 12 §6)."""

from __future__ import annotations

import pytest
import yaml

from casefile.model import Case
from casefile.skeleton import obligor_kind, skeleton
from casefile.validation import validate_data, validate_file
from cli import main
from corpus.profiles import jurisdiction_key
from ecokernel.errors import UserError

FILLED = {
    "case_name": "王某某非法采砂生态环境损害赔偿案", "cause": "非法采砂破坏河道生态",
    "incident": {"name": "王某某非法采砂事件", "conduct": "未经许可采挖砂石", "place": "黑河甘州段",
                 "occurred_from": "2025-02-10", "consequence": "破坏河床及植被"},
    "claimant": {"government": "张掖市人民政府", "department": {"name": "张掖市水务局"}},
    "clue": {"received": "2025-04-20", "channel": "日常监管、执法巡查、专项行动发现"},
    "claim_start": {"date": "2025-05-20", "reason": "应当承担生态环境损害赔偿责任"},
}


@pytest.mark.parametrize(("kind", "identity"), [("unit", {"uscc": "91450100MA5KQ3RT2R", "legal_rep": "陈国强"}),
                                                 ("person", {"id_number": "620702197805122135"})])
def test_the_skeleton_asks_for_exactly_the_required_fields_and_validates_once_filled(kind, identity):
    text = skeleton("zhangye", kind)
    data = yaml.safe_load(text)
    _case, problems = validate_data(data)
    paths = {p.path for p in problems}
    assert {"case_name", "incident.occurred_from", "clue.channel", "claim_start.reason", "obligors[0].name"} <= paths
    assert all(p.severity == "error" for p in problems)
    for key, value in FILLED.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) and isinstance(data.get(key), dict) else value
    data["claimant"]["department"] = {"name": "张掖市水务局"}
    data["obligors"][0].update({"name": "王某某", "address": "张掖市甘州区某村", **identity})
    case, problems = validate_data(data)
    assert case is not None, [str(p) for p in problems]


def test_every_field_of_the_model_is_explained():
    text = skeleton("guangxi", "unit")
    for name, info in Case.model_fields.items():
        assert f"# {info.title}" in text, name
    assert "可选：unit（单位）、person（自然人）" in text and "# investigation:" in text  # later stages commented


def test_chinese_names_for_the_jurisdiction_and_obligor():
    assert jurisdiction_key("张掖") == "zhangye" and jurisdiction_key("广西") == "guangxi"
    assert obligor_kind("个人") == "person" and obligor_kind("单位") == "unit"
    with pytest.raises(UserError, match="无法确定辖区"):
        jurisdiction_key("北京")


def test_cli_init_writes_a_new_file_and_never_overwrites(tmp_path):
    target = tmp_path / "新案件.yaml"
    assert main(["init", "--jurisdiction", "南通", "--obligor", "单位", "-o", str(target)]) == 0
    _case, problems = validate_file(target)
    assert problems and all(p.line for p in problems)  # each empty field located by its line
    assert main(["init", "--jurisdiction", "南通", "-o", str(target)]) == 2
