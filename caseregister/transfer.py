"""Case files in and out of the register: import a folder of case files, export any version back to
a file that ``ecoclaim validate`` accepts (the stored text, byte for byte as UTF-8)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from casefile.validation import CaseError
from caseregister.casedata import SUFFIXES, Submission, read_case_text, submit, text_format_of
from caseregister.files import check_target, write_atomically
from caseregister.models import Case, CaseVersion, Department
from caseregister.schemas import ImportItem
from caseregister.versions import (
    create_case,
    department,
    find_case,
    require_author,
    save_version,
    version_row,
)
from ecokernel.errors import UserError


@dataclass(frozen=True)
class FileFailure:
    file: Path
    error: UserError

    @property
    def unreadable(self) -> bool:
        return not isinstance(self.error, CaseError)


class ImportRefused(UserError):
    """Some files of the folder are invalid or unreadable: nothing was imported."""

    def __init__(self, failures: list[FileFailure]) -> None:
        self.failures = failures
        super().__init__(f"{len(failures)}个文件有错误，未导入任何案件")


def case_files(folder: Path) -> list[Path]:
    """The case data files in ``folder`` (not in its subfolders; hidden files skipped)."""
    if not folder.exists():
        raise UserError(f"找不到文件夹：{folder}")
    if not folder.is_dir():
        raise UserError(f"不是文件夹：{folder}")
    files = [p for p in folder.iterdir()
             if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and p.is_file()]
    if not files:
        raise UserError(f"文件夹中没有案件数据文件（.yaml .yml .json）：{folder}")
    return sorted(files, key=lambda p: p.name)


def _matching_case(session: Session, dept: Department, sub: Submission) -> Case | None:
    """The department's case this data belongs to: same 立案号, or (without one) the same name."""
    number = sub.case.case_number
    query = select(Case).where(Case.department_id == dept.id)
    query = query.where(Case.case_number == number) if number is not None else query.where(
        Case.case_number.is_(None), Case.title == sub.case.case_name)
    return session.scalars(query.order_by(Case.id)).first()


def import_folder(session: Session, folder: Path, department_name: str, author: str) -> list[ImportItem]:
    """Import every case file in ``folder`` into the department, all or nothing.

    A file whose case (same 立案号, or same name when it has none) is already in the department
    becomes that case's next version (nothing if the text is unchanged); any other file a new case.
    Every file is validated first; if any fails, :class:`ImportRefused` lists them all.
    """
    author = require_author(author)
    files = case_files(folder)
    subs: list[tuple[Path, Submission]] = []
    failures: list[FileFailure] = []
    for path in files:
        try:
            subs.append((path, submit(read_case_text(path), text_format_of(path))))
        except UserError as exc:
            failures.append(FileFailure(path, exc))
    if failures:
        raise ImportRefused(failures)
    dept = department(session, department_name, author)
    items: list[ImportItem] = []
    for path, sub in subs:
        name = path.name
        reason = f"导入 {name}"
        case = _matching_case(session, dept, sub)
        if case is None:
            result = create_case(session, dept, sub, author=author, reason=reason, source_name=name)
        else:
            result = save_version(session, case.id, sub, base=case.current_version, author=author, reason=reason,
                                  source_name=name)
        status = "new_case" if result.new_case else "new_version" if result.created else "unchanged"
        items.append(ImportItem(file=name, case_id=result.case_id, version=result.version, status=status))
    return items


def export_version(session: Session, ref: str, number: int | None, target: Path, *, force: bool = False) -> CaseVersion:
    """Write one version's text (the current one by default) to ``target``, exactly as stored."""
    case = find_case(session, ref)
    version = version_row(session, case, case.current_version if number is None else number)
    suffix = target.suffix.lower()
    if SUFFIXES.get(suffix) != version.text_format:
        wanted = ".yaml 或 .yml" if version.text_format == "yaml" else ".json"
        raise UserError(f"第{version.number}版的原文是 {version.text_format.upper()} 格式，导出文件名应以 {wanted} 结尾：{target}")
    check_target(target, force)
    data = version.text.encode("utf-8")
    write_atomically(target, lambda handle: handle.write(data))
    return version
