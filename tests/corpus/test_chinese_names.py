"""Users name kinds, jurisdictions and law sources in Chinese (issue 12 §7): ``--form 赔偿协议``,
``--jurisdiction 张掖``, ``corpus show 广西:21``."""

from __future__ import annotations

import pytest

import cli
from corpus import load_corpus
from corpus.forms import checkable_kinds, kind_code
from corpus.profiles import jurisdiction_key
from ecokernel.errors import UserError

from ..conftest import example_path


@pytest.mark.parametrize(("text", "code"), [
    ("agreement", "agreement"),
    ("赔偿协议", "agreement"),
    ("生态环境损害赔偿协议", "agreement"),
    ("磋商告知书", "consultation_notice"),
    ("强制执行申请书", "enforcement"),
    ("司法确认", "judicial_confirmation"),
    ("申请书", None),          # 司法确认申请书 or 强制执行申请书: ambiguous
    ("起诉状", None),
])
def test_kind_by_code_or_name(text, code):
    assert kind_code(text, checkable_kinds()) == code


def test_kind_names_of_the_variants_count():
    assert kind_code("生态环境损害调查报告") == "investigation"          # zhangye's title
    assert kind_code("生态环境损害调查情况登记表") == "investigation"    # guangxi's title


@pytest.mark.parametrize(("text", "key"), [("张掖", "zhangye"), ("广西", "guangxi"), ("nantong", "nantong")])
def test_jurisdiction_by_key_or_name(text, key):
    assert jurisdiction_key(text) == key


def test_unknown_jurisdiction_lists_the_choices():
    with pytest.raises(UserError, match="张掖"):
        jurisdiction_key("北京")


@pytest.mark.parametrize(("address", "canonical"), [("广西:21", "guangxi:21"), ("张掖:23", "zhangye:23"),
                                                    ("民法典:1234", "minfadian:1234")])
def test_corpus_source_by_a_part_of_its_name(address, canonical):
    assert load_corpus().resolve(address) == canonical


def test_cli_takes_chinese_option_values(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["generate", str(example_path("guangxi")), "--form", "赔偿协议", "--format", "md",
                     "-o", str(out)]) == 0
    agreement = next(out.glob("*.md"))
    assert "赔偿协议" in agreement.name
    assert cli.main(["check", str(agreement), "--type", "赔偿协议", "--jurisdiction", "广西"]) == 0
    capsys.readouterr()
    assert cli.main(["check", str(agreement), "--type", "申请书"]) == 2
    assert "未知文书种类“申请书”" in capsys.readouterr().err
