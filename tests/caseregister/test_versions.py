"""Cases and versions: every version kept with its text, data, author and reason; listing fields
copied from the current version and its timeline steps stored; optimistic locking; the same
validation as the CLI."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from casefile.validation import CaseError, validate_text
from caseregister import versions
from caseregister.casedata import submit
from caseregister.engine import read_session, write_session
from caseregister.models import CaseVersion, TimelineStep
from caseregister.versions import StaleVersionError
from ecokernel.errors import UserError

from ..conftest import TEST_TODAY
from .conftest import example_text, save_new_case, save_next

ZHANGYE = "zhangye"


def test_a_new_case_keeps_its_text_data_and_listing_fields(engine: Engine):
    text = example_text(ZHANGYE)
    result = save_new_case(engine, text)
    assert (result.version, result.created, result.new_case) == (1, True, True)
    with read_session(engine) as session:
        case = versions.find_case(session, str(result.case_id))
        summary = versions.case_summary(session, case, date.fromisoformat(TEST_TODAY))
        version = versions.version_row(session, case, 1)
        assert version.text == text and version.text_format == "yaml" and version.author == "张三"
        assert version.data["obligors"][0]["name"] == "王建军"
        assert version.computed_on.isoformat() == TEST_TODAY
        deadlines = versions.current_deadlines(session, case, date.fromisoformat(TEST_TODAY))
    assert summary.case_number == "甘G环赔〔2025〕3号"
    assert summary.title == "王建军非法采砂生态环境损害赔偿案"
    assert (summary.jurisdiction, summary.stage, summary.obligor_names) == ("zhangye", "enforcement", "王建军")
    assert summary.next_deadline is not None and summary.next_deadline_title
    assert [d for d in deadlines if d.due == summary.next_deadline and d.title == summary.next_deadline_title]
    assert len(deadlines) >= 5


def test_every_version_is_kept_and_the_diff_names_field_paths(engine: Engine):
    text = example_text(ZHANGYE)
    case_id = save_new_case(engine, text).case_id
    changed = text.replace("phone: \"13909361234\"", "phone: \"13909360000\"").replace(
        "case_name: 王建军非法采砂", "case_name: 王某非法采砂")
    result = save_next(engine, case_id, changed, base=1, reason="更正电话")
    assert (result.version, result.created) == (2, True)
    with read_session(engine) as session:
        case = versions.find_case(session, str(case_id))
        assert case.title == "王某非法采砂生态环境损害赔偿案" and case.current_version == 2
        history = versions.history(session, case)
        diff = versions.diff(session, case, 1, 2)
    assert [(v.number, v.base_number, v.author, v.reason) for v in history] == [
        (1, None, "张三", "新建"), (2, 1, "李四", "更正电话")]
    assert [(c.path, c.kind, c.old, c.new) for c in diff.changes] == [  # in the order of the file
        ("case_name", "changed", "王建军非法采砂生态环境损害赔偿案", "王某非法采砂生态环境损害赔偿案"),
        ("obligors[0].phone", "changed", "13909361234", "13909360000")]
    assert "-case_name: 王建军非法采砂生态环境损害赔偿案\n+case_name: 王某非法采砂生态环境损害赔偿案\n" in diff.text_diff


def test_added_and_removed_fields_are_diffed(engine: Engine):
    text = example_text(ZHANGYE)
    case_id = save_new_case(engine, text).case_id
    assert "    work_unit: 个体运输户\n" in text
    save_next(engine, case_id, text.replace("    work_unit: 个体运输户\n", ""), base=1)
    with read_session(engine) as session:
        diff = versions.diff(session, versions.find_case(session, str(case_id)), 1, 2)
    assert [(c.path, c.kind, c.old) for c in diff.changes] == [("obligors[0].work_unit", "removed", "个体运输户")]


def test_a_stale_save_is_refused_with_the_diff_and_overwrites_nothing(engine: Engine):
    text = example_text(ZHANGYE)
    case_id = save_new_case(engine, text).case_id
    save_next(engine, case_id, text.replace("王建军非法采砂", "王某非法采砂"), base=1, author="李四")
    with pytest.raises(StaleVersionError) as caught:
        save_next(engine, case_id, text.replace("个体运输户", "个体户"), base=1, author="王五")
    error = caught.value
    assert (error.base, error.current) == (1, 2)
    assert [c.path for c in error.diff.changes] == ["case_name"]
    assert "已由李四保存为第2版" in str(error) and "基于第1版" in str(error) and "case_name" in str(error)
    with read_session(engine) as session:
        case = versions.find_case(session, str(case_id))
        assert case.current_version == 2
        assert "个体户" not in versions.version_row(session, case, 2).text.replace("个体运输户", "")


def test_saving_the_current_text_again_saves_nothing(engine: Engine):
    text = example_text(ZHANGYE)
    case_id = save_new_case(engine, text).case_id
    result = save_next(engine, case_id, text, base=1)
    assert (result.version, result.created) == (1, False)


def test_a_base_that_never_existed_is_a_clear_error(engine: Engine):
    case_id = save_new_case(engine, example_text(ZHANGYE)).case_id
    with pytest.raises(UserError, match="没有第5版"):
        save_next(engine, case_id, example_text(ZHANGYE) + "\n", base=5)


def test_invalid_data_is_refused_with_the_clis_chinese_field_paths(engine: Engine):
    text = example_text(ZHANGYE).replace('id_number: "620702197805122135"', 'id_number: "620702197805122136"')
    text = text.replace("\ncause: ", "\ncuase: ")
    _case, expected = validate_text(text)
    with pytest.raises(CaseError) as caught:
        submit(text, "yaml")
    assert caught.value.problems == expected
    paths = {p.path for p in caught.value.problems if p.severity == "error"}
    assert {"obligors[0].id_number", "cuase"} <= paths
    assert all(p.line for p in caught.value.problems)
    assert "是否应为“cause”" in str(caught.value)
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(CaseVersion)) == 0


def test_a_case_is_found_by_register_number_case_number_or_name(engine: Engine):
    case_id = save_new_case(engine, example_text(ZHANGYE)).case_id
    with read_session(engine) as session:
        for ref in (str(case_id), "甘G环赔〔2025〕3号", "王建军非法采砂生态环境损害赔偿案"):
            assert versions.find_case(session, ref).id == case_id
        with pytest.raises(UserError, match="台账中没有案件“不存在”"):
            versions.find_case(session, "不存在")


def test_the_same_case_number_twice_in_a_department_is_refused(engine: Engine):
    save_new_case(engine, example_text(ZHANGYE))
    with pytest.raises(UserError, match="已有立案号为甘G环赔〔2025〕3号的案件"):
        save_new_case(engine, example_text(ZHANGYE))


def test_the_listing_puts_the_nearest_deadline_first(engine: Engine):
    for prefix in ("guangxi-cadmium", "zhangye", "hengshui"):
        save_new_case(engine, example_text(prefix))
    with read_session(engine) as session:
        cases = versions.list_cases(session, date.fromisoformat(TEST_TODAY))
        assert versions.list_cases(session, date.fromisoformat(TEST_TODAY), "别的部门") == []
    dated = [c.next_deadline for c in cases if c.next_deadline]
    assert dated == sorted(dated) and cases[0].next_deadline is not None
    assert [c.next_deadline for c in cases[len(dated):]] == [None] * (len(cases) - len(dated))


def test_timeline_steps_are_stored_per_version(engine: Engine):
    text = example_text(ZHANGYE)
    case_id = save_new_case(engine, text).case_id
    save_next(engine, case_id, text.replace("王建军非法采砂", "王某非法采砂"), base=1)
    with read_session(engine) as session:
        per_version = session.execute(select(TimelineStep.version, func.count(TimelineStep.id))
                                      .where(TimelineStep.case_id == case_id)
                                      .group_by(TimelineStep.version).order_by(TimelineStep.version)).all()
    assert [n for n, _ in per_version] == [1, 2] and per_version[0][1] == per_version[1][1] > 0


@pytest.mark.realclock
def test_two_writers_on_the_same_base_one_wins_the_other_is_told(engine: Engine):
    """The second writer waits for the first one's lock, then sees the newer version: stale."""
    text = example_text(ZHANGYE)
    case_id = save_new_case(engine, text).case_id
    outcome: dict[str, object] = {}
    inside = threading.Event()

    def second() -> None:
        inside.wait(10)
        try:
            save_next(engine, case_id, text.replace("个体运输户", "个体户"), base=1, author="王五")
            outcome["second"] = "saved"
        except StaleVersionError as exc:
            outcome["second"] = exc

    thread = threading.Thread(target=second)
    thread.start()
    with write_session(engine) as session:
        versions.save_version(session, case_id, submit(text.replace("王建军非法采砂", "王某非法采砂"), "yaml"),
                              base=1, author="李四", reason="先保存")
        inside.set()
        thread.join(0.5)  # the second writer is now waiting for our lock
        assert thread.is_alive()
    thread.join(30)
    assert isinstance(outcome["second"], StaleVersionError)
    assert outcome["second"].current == 2
