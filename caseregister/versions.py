"""Cases and their versions: create a case, save a new version with optimistic locking, look up,
list, history, diff, export.

Saving states the version it was based on. If the case has moved on since (someone else saved),
the save is refused with :class:`StaleVersionError`, which carries the diff between the base and
the current version; nothing is overwritten. The case row is locked for the check-and-insert
(``FOR UPDATE`` on PostgreSQL; on SQLite a writing session holds the database's write lock from
its first statement), and the unique (case, number) constraint backs it up.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casefile.model import Case as CaseData
from caseregister import audit, deadlines
from caseregister.casedata import Submission, listing, parsed_data, steps_on
from caseregister.diff import describe, field_changes, text_diff
from caseregister.models import Case, CaseVersion, Department, implicit_code, placeholder_code
from caseregister.schemas import CaseSummary, DeadlineInfo, SaveResult, VersionDiff, VersionInfo
from ecokernel import clock
from ecokernel.errors import UserError

DIFF_LINES_IN_MESSAGE = 20


class NotFoundError(UserError):
    """What the request names does not exist (a version number, a review's finding; HTTP: 404)."""


class ConflictError(UserError):
    """The change is already there (a 立案号 taken, a version approved, a finding accepted; HTTP: 409)."""


class StaleVersionError(UserError):
    """A save based on a version that is no longer the current one (HTTP: 409 Conflict)."""

    def __init__(self, case: Case, base: int, current: CaseVersion, diff: VersionDiff, *,
                 refused: str = "本次修改基于第{base}版：未保存，以免覆盖他人的修改。请在第{current}版的基础上重新修改。"
                 ) -> None:
        self.case_id = case.id
        self.base = base
        self.current = current.number
        self.diff = diff
        shown = [describe(c) for c in diff.changes[:DIFF_LINES_IN_MESSAGE]]
        if len(diff.changes) > DIFF_LINES_IN_MESSAGE:
            shown.append(f"……另有{len(diff.changes) - DIFF_LINES_IN_MESSAGE}处")
        super().__init__(
            f"案件“{case.title}”（编号{case.id}）已由{current.author}保存为第{current.number}版，而"
            + refused.format(base=base, current=current.number)
            + f"第{base}版到第{current.number}版的变化：\n" + ("\n".join(shown) or "（字段无变化，仅原文格式不同）"))


def department(session: Session, name: str, actor: str) -> Department:
    """The department of this name, created (and audited) if new."""
    name = name.strip()
    if not name:
        raise UserError("部门名称不能为空")
    found = session.scalar(select(Department).where(Department.name == name))
    if found is not None:
        return found
    dept = Department(name=name, code=placeholder_code())
    session.add(dept)
    session.flush()
    dept.code = implicit_code(dept.id)
    session.flush()
    audit.record(session, actor=actor, action="department.create", entity="departments", entity_id=dept.id,
                 detail={"name": name})
    return dept


def require_author(author: str) -> str:
    author = author.strip()
    if not author:
        raise UserError("请注明修改人（作者）")
    return author


def _add_version(session: Session, case: Case, sub: Submission, *, number: int, base: int | None, author: str,
                 reason: str, source_name: str | None) -> CaseVersion:
    version = CaseVersion(case_id=case.id, number=number, base_number=base, text=sub.text,
                          text_format=sub.text_format, text_sha256=sub.sha256, data=sub.data,
                          source_name=source_name, author=author, reason=reason, computed_on=clock.today())
    session.add(version)
    session.flush()
    case.steps_fingerprint = deadlines.store(session, case.id, number, sub.case)
    for key, value in listing(sub.case).items():
        setattr(case, key, value)
    case.current_version = number
    case.updated_at = version.created_at
    audit.record(session, actor=author, action="version.create", entity="case_versions", entity_id=version.id,
                 case_id=case.id, detail={"number": number, "base": base, "sha256": sub.sha256, "reason": reason,
                                          "steps_fingerprint": case.steps_fingerprint})
    return version


def create_case(session: Session, dept: Department, sub: Submission, *, author: str, reason: str,
                source_name: str | None = None) -> SaveResult:
    """A new case in ``dept`` whose first version is ``sub``."""
    author = require_author(author)
    number = sub.case.case_number
    if number is not None and session.scalar(
            select(Case.id).where(Case.department_id == dept.id, Case.case_number == number)) is not None:
        raise ConflictError(f"{dept.name}已有立案号为{number}的案件：请保存为该案件的新版本")
    case = Case(department_id=dept.id, current_version=1, **listing(sub.case))
    session.add(case)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # the same 立案号 saved by someone else since the check above
        raise ConflictError(f"{dept.name}已有立案号为{number}的案件：请保存为该案件的新版本") from None
    audit.record(session, actor=author, action="case.create", entity="cases", entity_id=case.id, case_id=case.id,
                 detail={"department": dept.name, "case_number": number, "title": case.title})
    _add_version(session, case, sub, number=1, base=None, author=author, reason=reason, source_name=source_name)
    return SaveResult(case_id=case.id, version=1, created=True, new_case=True)


def save_version(session: Session, case_id: int, sub: Submission, *, base: int, author: str, reason: str,
                 source_name: str | None = None) -> SaveResult:
    """Save ``sub`` as the next version of the case, if ``base`` is still its current version.

    The same text as the current version saves nothing (``created=False``). Raises
    ``StaleVersionError`` when the case has a newer version than ``base``.
    """
    author = require_author(author)
    case = session.scalar(select(Case).where(Case.id == case_id).with_for_update())
    if case is None:
        raise UserError(f"台账中没有编号为{case_id}的案件")
    if base != case.current_version:
        if not 1 <= base < case.current_version:
            raise NotFoundError(f"案件“{case.title}”没有第{base}版（现有第1至{case.current_version}版）")
        current = version_row(session, case, case.current_version)
        raise StaleVersionError(case, base, current, diff(session, case, base, case.current_version))
    current = version_row(session, case, case.current_version)
    if current.text == sub.text:
        return SaveResult(case_id=case.id, version=current.number, created=False)
    number = case.current_version + 1
    try:
        with session.begin_nested():
            _add_version(session, case, sub, number=number, base=base, author=author, reason=reason,
                         source_name=source_name)
    except IntegrityError:  # backstop: a concurrent save took this number between our check and insert
        session.expire_all()
        case = session.get_one(Case, case_id)
        if case.current_version == base:
            raise
        current = version_row(session, case, case.current_version)
        raise StaleVersionError(case, base, current, diff(session, case, base, current.number)) from None
    return SaveResult(case_id=case.id, version=number, created=True)


def find_case(session: Session, ref: str) -> Case:
    """A case by its register number (``12``), its 立案号 or its exact name."""
    ref = ref.strip()
    if ref.isdigit():
        case = session.get(Case, int(ref))
        if case is not None:
            return case
    for column in (Case.case_number, Case.title):
        found = list(session.scalars(select(Case).where(column == ref).order_by(Case.id)))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            which = "、".join(f"编号{c.id}（{c.department.name}）" for c in found)
            raise UserError(f"有{len(found)}个案件都是“{ref}”：{which}；请用编号指定")
    raise UserError(f"台账中没有案件“{ref}”（可用编号、立案号或案件名称指定）")


def version_row(session: Session, case: Case, number: int) -> CaseVersion:
    row = session.scalar(select(CaseVersion).where(CaseVersion.case_id == case.id, CaseVersion.number == number))
    if row is None:
        raise NotFoundError(f"案件“{case.title}”没有第{number}版（现有第1至{case.current_version}版）")
    return row


def summary(case: Case, nxt: tuple[date, str] | None) -> CaseSummary:
    """The case as listed, with its next deadline (due date and step title, as of the caller's day)."""
    return CaseSummary.model_validate({**{c.key: getattr(case, c.key) for c in Case.__table__.columns},
                                       "department": case.department.name,
                                       "next_deadline": nxt[0] if nxt else None,
                                       "next_deadline_title": nxt[1] if nxt else None})


def case_summary(session: Session, case: Case, today: date) -> CaseSummary:
    day = deadlines.on_day(session, today)
    return summary(*deadlines.next_deadlines(session, day, [case.id])[case.id])


def list_cases(session: Session, today: date, department_name: str | None = None) -> list[CaseSummary]:
    """Every case, the nearest deadline on ``today`` first (cases without one last), then by number."""
    query = select(Case.id).join(Department)
    if department_name is not None:
        query = query.where(Department.name == department_name)
    _total, rows = deadlines.listing(session, deadlines.on_day(session, today), query)
    return [CaseSummary.model_validate({**row, "next_deadline": row["next_due"], "next_deadline_title": row["next_title"]})
            for row in rows]


def history(session: Session, case: Case) -> list[VersionInfo]:
    rows = session.scalars(select(CaseVersion).where(CaseVersion.case_id == case.id).order_by(CaseVersion.number))
    return [VersionInfo.model_validate(v) for v in rows]


def current_deadlines(session: Session, case: Case, today: date) -> list[DeadlineInfo]:
    """The current version's timeline steps as of ``today`` (computed: one case)."""
    version = version_row(session, case, case.current_version)
    return [DeadlineInfo.model_validate(s.model_dump(exclude={"open"}))
            for s in steps_on(CaseData.model_validate(version.data), today)]


def diff(session: Session, case: Case, old: int, new: int) -> VersionDiff:
    """Field by field (from the texts parsed again, so fields come in the order of the file on either
    database: PostgreSQL's JSONB does not keep key order) and line by line."""
    a, b = version_row(session, case, old), version_row(session, case, new)
    changes = field_changes(parsed_data(a.text, a.text_format), parsed_data(b.text, b.text_format))
    return VersionDiff(case_id=case.id, old_version=old, new_version=new, changes=changes,
                       text_diff=text_diff(a.text, b.text, f"第{old}版", f"第{new}版"))
