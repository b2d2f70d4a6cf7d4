"""Stored deadlines follow the data they are computed with: the fingerprint of the profiles, rules and
holiday calendar (caseregister.knowledge) changes exactly when that data does, and a recompute
(caseregister.recompute) changes exactly the due dates the new data moves — on both databases.

The data is changed the ways the program offers: a holiday schedule file (``ECOCLAIM_HOLIDAYS``, the
setting a department uses for a year the bundled calendar does not know) and a knowledge loaded from
an edited copy of the profile folder or the rule file (``knowledge.load``)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, and_, select

from casefile.model import Case as CaseData
from caseregister import accounts, deadlines, knowledge, recompute, versions
from caseregister.casedata import submit
from caseregister.engine import read_session, write_session
from caseregister.models import AuditEntry, Case, CaseVersion, TimelineStep
from caseregister.settings import HOLIDAYS_ENV, RECOMPUTE_ON_START_ENV, recompute_on_start
from caseregister.transfer import import_folder
from caseregister.views import deadline_board
from corpus.profiles import profile_dir
from ecokernel.errors import UserError
from procedure.timeline.rules import rules_file

from ..conftest import TEST_TODAY
from .conftest import example_text

TODAY = date.fromisoformat(TEST_TODAY)
#: a 2027 schedule (the bundled calendar knows up to 2026) — test data, not the State Council's:
#: it makes two due dates of the examples rest days (zhangye 2027-08-31, hengshui 2027-05-31)
SCHEDULE_2027 = """\
source: 测试用的虚构安排（不是国务院办公厅的通知）
example: true
years:
  2027:
    holidays:
      - 2027-01-01
      - {from: 2027-05-01, to: 2027-05-05, name: 劳动节}
      - {date: 2027-05-31, name: 测试}
      - {date: 2027-08-31, name: 测试}
      - {from: 2027-10-01, to: 2027-10-07, name: 国庆节}
"""
MOVED = {("zhangye", "EFFECT-ASSESSMENT"): ("2027-08-31", "2027-09-01"),
         ("hengshui", "ENFORCEMENT-APPLICATION-RESTORATION"): ("2027-05-31", "2027-06-01")}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def _profiles_copy(tmp_path: Path, key: str | None = None, old: str = "", new: str = "") -> Path:
    """A copy of the bundled profile folder, with one replacement in ``key``'s file."""
    folder = tmp_path / "jurisdictions"
    shutil.copytree(profile_dir(), folder)
    if key is not None:
        path = folder / f"{key}.yaml"
        text = path.read_text("utf-8")
        assert text.count(old) == 1
        path.write_text(text.replace(old, new), "utf-8")
    return folder


GUANGXI_60_DAYS = ("guangxi", "  consultation_period:\n    value: 90\n", "  consultation_period:\n    value: 60\n")


# ---- the fingerprint ---------------------------------------------------------------------------


def test_the_fingerprint_follows_the_data_files(tmp_path: Path):
    bundled = knowledge.current().fingerprints
    assert set(bundled) == {"guangxi", "hengshui", "nantong", "national", "xinzhou", "zhangye"}
    assert knowledge.load(profiles=_profiles_copy(tmp_path / "same")).fingerprints == bundled

    guangxi = knowledge.load(profiles=_profiles_copy(tmp_path / "gx", *GUANGXI_60_DAYS)).fingerprints
    assert {k for k in bundled if guangxi[k] != bundled[k]} == {"guangxi"}
    national = knowledge.load(profiles=_profiles_copy(tmp_path / "nat", "national", "name: 全国（国家基线）\n",
                                                      "name: 全国（国家基线）\n# 一行注释\n")).fingerprints
    assert all(national[k] != bundled[k] for k in bundled)  # every profile falls back to it

    rules = _write(tmp_path / "deadlines.yaml", rules_file().read_text("utf-8") + "\n# 改动\n")
    assert all(f != bundled[k] for k, f in knowledge.load(rules=rules).fingerprints.items())

    schedule = knowledge.load(holidays=_write(tmp_path / "h.yaml", SCHEDULE_2027)).fingerprints
    assert all(f != bundled[k] for k, f in schedule.items())
    reworded = _write(tmp_path / "h2.yaml", SCHEDULE_2027.replace("测试用的虚构安排", "另一种说法") + "note: 说明\n")
    assert knowledge.load(holidays=reworded).fingerprints == schedule  # only the days count


def test_the_fingerprint_follows_the_code_that_counts(tmp_path: Path):
    """A release that changes how deadlines are counted (the timeline package or the calendar) changes
    every fingerprint, so stored steps are recomputed at its first start."""
    import ecokernel.calendar
    import procedure.timeline

    package = Path(procedure.timeline.__file__).parent
    files = [*sorted(package.glob("*.py")), Path(ecokernel.calendar.__file__)]
    assert knowledge.source_digest(files) == knowledge.code_digest()
    copies = []
    for path in files:
        copies.append(_write(tmp_path / path.name, path.read_text("utf-8")))
    assert knowledge.source_digest(copies) == knowledge.code_digest()
    steps = next(c for c in copies if c.name == "steps.py")
    steps.write_text(steps.read_text("utf-8") + "\n# 计算方法改动\n", "utf-8")
    changed = knowledge.source_digest(copies)
    assert changed != knowledge.code_digest()

    now = knowledge.current()
    other = knowledge.fingerprints(profile_dir(), now.profiles, rules_file(), now.calendar, code=changed)
    assert all(other[k] != f for k, f in now.fingerprints.items())
    assert knowledge.fingerprints(profile_dir(), now.profiles, rules_file(), now.calendar) == dict(now.fingerprints)


def test_the_settings_schedule_file_is_read_again_when_it_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    bundled = knowledge.current()
    path = _write(tmp_path / "holidays.yaml", SCHEDULE_2027)
    monkeypatch.setenv(HOLIDAYS_ENV, str(path))
    first = knowledge.current()
    assert first.fingerprints != bundled.fingerprints and knowledge.current() is first
    assert first.calendar.is_rest_day(date(2027, 8, 31)) and not bundled.calendar.is_rest_day(date(2027, 8, 31))
    _write(path, SCHEDULE_2027.replace("      - {date: 2027-05-31, name: 测试}\n", ""))
    second = knowledge.current()
    assert second.fingerprints != first.fingerprints and not second.calendar.is_rest_day(date(2027, 5, 31))
    monkeypatch.setenv(HOLIDAYS_ENV, str(tmp_path / "missing.yaml"))
    with pytest.raises(UserError, match="无法读取节假日安排文件"):
        knowledge.current()


def test_recompute_on_start_setting():
    assert recompute_on_start({}) and recompute_on_start({RECOMPUTE_ON_START_ENV: "1"})
    assert not recompute_on_start({RECOMPUTE_ON_START_ENV: "0"})
    with pytest.raises(UserError, match=RECOMPUTE_ON_START_ENV):
        recompute_on_start({RECOMPUTE_ON_START_ENV: "no"})


# ---- recomputing stored steps ------------------------------------------------------------------


@pytest.fixture
def register(engine: Engine, case_folder: Path) -> Engine:
    """Every example in 张掖市自然资源局 (user zhang), and the zhangye one again in another department."""
    with write_session(engine) as s:
        accounts.add_department(s, "张掖市自然资源局", "ZY", actor="管理员")
        accounts.add_department(s, "南宁市生态环境局", "NN", actor="管理员")
        accounts.add_user(s, "zhang", "张三", "Shengtai-2025!hz", "drafter", "ZY", actor="管理员")
        import_folder(s, case_folder, "张掖市自然资源局", "张三")
        versions.create_case(s, accounts.find_department(s, "NN"), submit(example_text("zhangye"), "yaml"),
                             author="南六", reason="另一部门")
    return engine


def _stored(engine: Engine) -> dict[int, list[dict[str, Any]]]:
    """Each case's current steps as stored (without row ids)."""
    columns = [c for c in TimelineStep.__table__.columns if c.key != "id"]
    out: dict[int, list[dict[str, Any]]] = {}
    with read_session(engine) as s:
        for row in s.execute(select(*columns).join(Case, deadlines.of_current_version())
                             .order_by(TimelineStep.case_id, TimelineStep.position)).mappings():
            out.setdefault(row["case_id"], []).append(dict(row))
    return out


def _expected(engine: Engine, known: knowledge.Knowledge) -> dict[int, list[dict[str, Any]]]:
    """Each case's current steps as ``known`` computes them."""
    with read_session(engine) as s:
        return {case_id: deadlines.step_rows(case_id, number, CaseData.model_validate(data), known)
                for case_id, number, data in s.execute(
                    select(Case.id, Case.current_version, CaseVersion.data).join(CaseVersion, and_(
                        CaseVersion.case_id == Case.id, CaseVersion.number == Case.current_version)))}


def _changed(before: dict[int, list[dict[str, Any]]], after: dict[int, list[dict[str, Any]]],
             jurisdictions: dict[int, str]) -> set[tuple[str, str, str, str]]:
    """(jurisdiction, step, due before, due after) of every step whose due date differs."""
    return {(jurisdictions[c], a["step"], str(a["due"]), str(b["due"]))
            for c in before for a, b in zip(before[c], after[c], strict=True) if a["due"] != b["due"]}


def _jurisdictions(engine: Engine) -> dict[int, str]:
    with read_session(engine) as s:
        return dict(s.execute(select(Case.id, Case.jurisdiction)).tuples().all())


def _audit(engine: Engine, action: str) -> list[AuditEntry]:
    with read_session(engine) as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_unchanged_data_recomputes_nothing(register: Engine):
    before = _stored(register)
    with read_session(register) as s:
        assert deadlines.stale_count(s) == 0
        fingerprints = knowledge.current().fingerprints
        assert all(c.steps_fingerprint == fingerprints[c.jurisdiction] for c in s.scalars(select(Case)))
        audited = s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "version.create"))
        assert {d["steps_fingerprint"] for d in audited} == {fingerprints[j] for j in _jurisdictions(register).values()}
    result = recompute.recompute(register, actor="管理员")
    assert (result.cases, result.changed_cases, result.due_dates, result.failures) == (0, 0, 0, [])
    assert "无须重新计算" in result.summary()
    assert _stored(register) == before and _audit(register, "timeline.recompute") == []


def test_a_new_holiday_schedule_moves_exactly_the_due_dates_on_its_rest_days(
        register: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    before = _stored(register)
    cases = len(before)
    places = _jurisdictions(register)
    monkeypatch.setenv(HOLIDAYS_ENV, str(_write(tmp_path / "holidays.yaml", SCHEDULE_2027)))
    with read_session(register) as s:  # every case is stale now; the board tells its user of theirs
        assert deadlines.stale_count(s) == cases
        assert deadline_board(s, accounts.find_user(s, "zhang"), TODAY).stale == cases - 1

    result = recompute.recompute(register, actor="管理员", batch=2)  # several batches
    after = _stored(register)
    assert after == _expected(register, knowledge.current())
    assert _changed(before, after, places) == {(j, step, old, new) for (j, step), (old, new) in MOVED.items()}
    # three cases: the zhangye case is in both departments
    assert (result.cases, result.changed_cases, result.due_dates, result.failures) == (cases, 3, 3, [])
    assert result.summary() == f"重新计算了{cases}个案件的期限：3个案件有变化，共3个到期日改变。"
    with read_session(register) as s:
        assert deadlines.stale_count(s) == 0
        assert deadline_board(s, accounts.find_user(s, "zhang"), TODAY).stale == 0
    runs = _audit(register, "timeline.recompute")
    assert sorted(i for e in runs for i in e.detail["cases"]) == sorted(before) and len(runs) == -(-cases // 2)
    changes = _audit(register, "timeline.change")
    assert {(places[e.case_id], c["step"], c["old"], c["new"]) for e in changes for c in e.detail["due_changes"]} \
        == {(j, step, old, new) for (j, step), (old, new) in MOVED.items()}
    assert len(changes) == 3 and all(e.actor == "管理员" for e in changes)

    again = recompute.recompute(register, actor="管理员")  # idempotent
    assert (again.cases, again.due_dates) == (0, 0) and _stored(register) == after

    monkeypatch.delenv(HOLIDAYS_ENV)  # the schedule withdrawn: back to what was stored first
    back = recompute.recompute(register, actor="管理员")
    assert (back.cases, back.changed_cases, back.due_dates) == (cases, 3, 3) and _stored(register) == before


def test_a_changed_profile_recomputes_only_its_jurisdictions_cases(register: Engine, tmp_path: Path):
    before = _stored(register)
    places = _jurisdictions(register)
    guangxi = [c for c, j in places.items() if j == "guangxi"]
    shorter = knowledge.load(profiles=_profiles_copy(tmp_path, *GUANGXI_60_DAYS))
    with read_session(register) as s:
        assert deadlines.stale_count(s, shorter) == len(guangxi)

    result = recompute.recompute(register, actor="管理员", known=shorter)
    after = _stored(register)
    assert after == _expected(register, shorter)
    # notice served 2025-07-21: 90 days end on Sunday 2025-10-19 (moved to the Monday), 60 on Friday 2025-09-19
    assert _changed(before, after, places) == {("guangxi", "CONSULTATION-PERIOD", "2025-10-20", "2025-09-19")}
    assert sum(1 for c in before if before[c] != after[c]) == 2
    assert (result.cases, result.changed_cases, result.due_dates) == (len(guangxi), 2, 2)
    assert sorted(_audit(register, "timeline.recompute")[0].detail["cases"]) == sorted(guangxi)
    with read_session(register) as s:
        assert deadlines.stale_count(s, shorter) == 0
        assert deadlines.stale_count(s) == len(guangxi)  # for the program's own data they are stale now

    assert recompute.recompute(register, actor="管理员", known=shorter).cases == 0
    every = recompute.recompute(register, actor="管理员", known=shorter, everything=True)
    assert (every.cases, every.changed_cases, every.due_dates) == (len(before), 0, 0)
    recompute.recompute(register, actor="管理员")
    assert _stored(register) == before


def test_a_version_saved_meanwhile_is_not_overwritten(register: Engine, tmp_path: Path):
    """Steps are computed outside the batch's transaction: a case that has moved on since is left to
    the steps its new version stored."""
    shorter = knowledge.load(profiles=_profiles_copy(tmp_path, *GUANGXI_60_DAYS))
    rows = recompute._read_batch(register, shorter, 0, False, 100)
    computed = recompute._compute(rows, shorter, recompute.Recomputed())
    moved_on = computed[0].case_id
    with read_session(register) as s:
        case = s.get_one(Case, moved_on)
        text = s.scalar(select(CaseVersion.text).where(CaseVersion.case_id == moved_on,
                                                       CaseVersion.number == case.current_version))
    with write_session(register) as s:
        assert text is not None
        versions.save_version(s, moved_on, submit(text + "\n# 修改\n", "yaml"), base=1, author="张三", reason="修改")
    result = recompute.Recomputed()
    recompute._write_batch(register, computed, False, "管理员", shorter, result)
    assert result.cases == len(computed) - 1
    stored = _stored(register)
    assert stored[moved_on] == _expected(register, knowledge.current())[moved_on]
    with read_session(register) as s:
        assert s.get_one(Case, moved_on).steps_fingerprint == knowledge.current().fingerprints["guangxi"]


def test_a_case_that_cannot_be_computed_is_reported_and_left(register: Engine, tmp_path: Path):
    folder = tmp_path / "only-national"
    folder.mkdir()
    for name in ("_parameters.yaml", "national.yaml", "zhangye.yaml"):
        shutil.copy(profile_dir() / name, folder / name)
    narrow = knowledge.load(profiles=folder)
    before = _stored(register)
    result = recompute.recompute(register, actor="管理员", known=narrow)
    places = _jurisdictions(register)
    unknown = [c for c, j in places.items() if j not in ("zhangye", "national")]
    assert len(result.failures) == len(unknown) and "未知辖区" in result.failures[0]
    assert result.cases == 0 and _stored(register) == before  # zhangye's files are the same: not stale
    assert "个案件无法重新计算" in result.summary()
