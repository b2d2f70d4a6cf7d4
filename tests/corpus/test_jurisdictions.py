"""Jurisdiction profiles: typed, inherited, every number citing an article that resolves."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from corpus import load_corpus
from corpus.profiles import FORM_KINDS, ProfileError, get_profile, load_profiles, load_profiles_from

PROFILE_DIR = Path(__file__).resolve().parents[2] / "corpus" / "jurisdictions"
SEED = ["guangxi", "hengshui", "nantong", "national", "xinzhou", "zhangye"]


def test_all_seed_profiles_load():
    assert sorted(load_profiles()) == SEED


@pytest.mark.parametrize("key", SEED)
def test_every_parameter_cites_a_resolving_article(key):
    corpus = load_corpus()
    profile = get_profile(key)
    for name, param in profile.parameters.items():
        assert param.basis, name
        for address in param.basis:
            assert corpus.get(address).text, (key, name, address)


def test_numbers_of_spec_section_3_are_encoded_with_their_articles():
    gx = get_profile("guangxi")
    assert (gx.value("preliminary_check"), gx.param("preliminary_check").unit) == (5, "工作日")
    assert gx.param("preliminary_check").basis == ["guangxi:12"]
    assert gx.value("investigation") == 60 and gx.value("investigation_extension") == 30
    assert gx.param("objection_answer").unit == "工作日" and gx.value("objection_answer") == 10
    assert gx.value("consultation_period") == 90 and gx.value("max_meetings") == 3
    assert (gx.value("agreement_after_meeting"), gx.param("agreement_after_meeting").unit) == (15, "工作日")
    assert gx.value("simplified_assessment_max") == 300000 and gx.param("simplified_assessment_max").inclusive
    assert gx.value("tech_offset_max_ratio") == Decimal("0.5")
    assert (gx.value("installment_normal_max"), gx.value("installment_max")) == (12, 36)
    nt = get_profile("nantong")
    assert nt.value("simplified_assessment_max") == 500000
    assert nt.param("simplified_assessment_max").inclusive is False  # 低于五十万元
    zy = get_profile("zhangye")
    assert (zy.value("notice_reply"), zy.param("notice_reply").unit) == (5, "工作日")
    assert zy.value("preliminary_check") == 30


def test_national_baseline_fills_gaps_and_records_origin():
    hs = get_profile("hengshui")
    param = hs.param("enforcement_application_period")
    assert param.value == 2 and param.origin == "national" and param.basis == ["minsufa:250"]
    assert hs.param("payment_destination").origin == "hengshui"
    assert get_profile("zhangye").param("consultation_period") is None  # nobody sets it for zhangye


def test_model_text_variants():
    gx = get_profile("guangxi")
    assert gx.variant_for("agreement") == ("guangxi", "guangxi:附件2[5]")
    assert gx.variant_for("power_of_attorney") == ("zhangye", None)
    assert get_profile("hengshui").variant_for("agreement") == ("zhangye", None)
    assert set(get_profile("zhangye").forms.model_texts) == set(FORM_KINDS)


@pytest.mark.parametrize(("key", "day", "code"), [
    ("zhangye", date(2026, 10, 8), "in_force"),
    ("zhangye", date(2026, 11, 23), "expired"),
    ("guangxi", date(2026, 11, 23), "draft"),
    ("nantong", date(2028, 5, 1), "expired"),
    ("hengshui", date(2021, 4, 9), "not_yet_effective"),
])
def test_status_on_a_date(key, day, code):
    [(_source, status, text)] = get_profile(key).status(day)
    assert status == code and text


def _copy_profiles(tmp_path: Path) -> Path:
    target = tmp_path / "profiles"
    shutil.copytree(PROFILE_DIR, target)
    return target


def test_a_new_city_is_one_data_file(tmp_path):
    folder = _copy_profiles(tmp_path)
    (folder / "newcity.yaml").write_text(
        "key: newcity\nname: 某市\ndescription: 测试\nsources: [guangxi]\nfalls_back_to: guangxi\n"
        "forms: {variant: guangxi}\nparameters:\n  max_meetings: {value: 4, unit: 次, basis: guangxi:20}\n",
        encoding="utf-8")
    profiles = load_profiles_from(folder)
    assert profiles["newcity"].value("max_meetings") == 4
    assert profiles["newcity"].value("consultation_period") == 90  # inherited from guangxi


@pytest.mark.parametrize(("snippet", "fragment"), [
    ("  max_meeting: {value: 4, unit: 次, basis: guangxi:20}\n", "未知参数"),
    ("  max_meetings: {value: 4, unit: 日, basis: guangxi:20}\n", "单位"),
    ("  max_meetings: {value: 四, unit: 次, basis: guangxi:20}\n", "类型不符"),
    ("  max_meetings: {value: 4, unit: 次, basis: guangxi:99}\n", "无法解析"),
    ("  simplified_assessment_max: {value: 1, unit: 元, basis: guangxi:15}\n", "inclusive"),
])
def test_bad_profiles_fail_loudly(tmp_path, snippet, fragment):
    folder = _copy_profiles(tmp_path)
    (folder / "badcity.yaml").write_text(
        "key: badcity\nname: 某市\ndescription: 测试\nsources: [guangxi]\nfalls_back_to: national\n"
        "forms: {variant: guangxi}\nparameters:\n" + snippet, encoding="utf-8")
    with pytest.raises(ProfileError, match=fragment):
        load_profiles_from(folder)


def test_inheritance_cycle_is_refused(tmp_path):
    folder = _copy_profiles(tmp_path)
    for a, b in (("cyca", "cycb"), ("cycb", "cyca")):
        (folder / f"{a}.yaml").write_text(
            f"key: {a}\nname: x\ndescription: x\nsources: [guangxi]\nfalls_back_to: {b}\n"
            "forms: {variant: guangxi}\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="循环"):
        load_profiles_from(folder)
