"""Import a folder of case files and export any version back: byte for byte what was imported,
accepted by ``ecoclaim validate``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from casefile.validation import CaseError, validate_file
from caseregister.engine import read_session, write_session
from caseregister.models import Case
from caseregister.transfer import ImportRefused, export_version, import_folder
from ecokernel.errors import UserError

from ..conftest import EXAMPLES, example_data
from .conftest import DEPARTMENT


def _import(engine: Engine, folder: Path, author: str = "张三"):
    with write_session(engine) as session:
        return import_folder(session, folder, DEPARTMENT, author)


def _export(engine: Engine, ref: str, target: Path, version: int | None = None, *, force: bool = False):
    with read_session(engine) as session:
        return export_version(session, ref, version, target, force=force)


@pytest.fixture
def examples(case_folder: Path) -> Path:
    folder = case_folder
    (folder / "notes.txt").write_text("不是案件", "utf-8")
    (folder / ".hidden.yaml").write_text("x: 1", "utf-8")
    return folder


def test_import_then_export_gives_back_the_same_bytes(engine: Engine, examples: Path, tmp_path: Path):
    items = _import(engine, examples)
    assert [(i.file, i.status, i.version) for i in items] == [(p.name, "new_case", 1) for p in EXAMPLES]
    for item in items:
        target = tmp_path / "out" / item.file
        _export(engine, str(item.case_id), target)
        assert target.read_bytes() == (examples / item.file).read_bytes()
        case, problems = validate_file(target)
        assert case is not None and not [p for p in problems if p.severity == "error"]


def test_importing_again_adds_versions_only_for_changed_files(engine: Engine, examples: Path, tmp_path: Path):
    _import(engine, examples)
    changed = examples / "zhangye-sand-mining-person.yaml"
    original = changed.read_bytes()
    changed.write_bytes(original.replace("个体运输户".encode(), "个体户".encode()))
    items = _import(engine, examples, author="李四")
    assert {i.file: i.status for i in items} == {p.name: "new_version" if p.name == changed.name else "unchanged"
                                                 for p in EXAMPLES}
    ref = "甘G环赔〔2025〕3号"
    _export(engine, ref, tmp_path / "v1.yaml", version=1)
    _export(engine, ref, tmp_path / "v2.yaml")
    assert (tmp_path / "v1.yaml").read_bytes() == original
    assert (tmp_path / "v2.yaml").read_bytes() == changed.read_bytes()


def test_one_invalid_file_and_nothing_is_imported(engine: Engine, examples: Path):
    bad = examples / "zz-bad.yaml"
    bad.write_text((examples / "zhangye-sand-mining-person.yaml").read_text("utf-8")
                   .replace("jurisdiction: zhangye", "jurisdiction: zhangye\njurisdction: x"), "utf-8")
    (examples / "zz-broken.yaml").write_text("case_name: [未闭合\n", "utf-8")
    with pytest.raises(ImportRefused) as caught:
        _import(engine, examples)
    failures = {f.file.name: f for f in caught.value.failures}
    assert set(failures) == {"zz-bad.yaml", "zz-broken.yaml"}
    bad_error = failures["zz-bad.yaml"].error
    assert isinstance(bad_error, CaseError) and not failures["zz-bad.yaml"].unreadable
    assert [p.path for p in bad_error.problems] == ["jurisdction"]
    assert "未知字段“jurisdction”，是否应为“jurisdiction”" in bad_error.problems[0].message
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_gb18030_and_json_files(engine: Engine, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    text = EXAMPLES[-1].read_text("utf-8")
    (folder / "gbk.yaml").write_bytes(text.encode("gb18030"))
    json_text = json.dumps(example_data("hengshui"), ensure_ascii=False, default=str, indent=2) + "\n"
    (folder / "case.json").write_text(json_text, "utf-8")
    items = _import(engine, folder)
    assert [i.status for i in items] == ["new_case", "new_case"]
    _export(engine, str(items[0].case_id), tmp_path / "case.json")
    assert (tmp_path / "case.json").read_text("utf-8") == json_text
    _export(engine, str(items[1].case_id), tmp_path / "gbk.yaml")
    assert (tmp_path / "gbk.yaml").read_text("utf-8") == text  # stored as text: exported as UTF-8
    with pytest.raises(UserError, match=r"原文是 JSON 格式，导出文件名应以 \.json 结尾"):
        _export(engine, str(items[0].case_id), tmp_path / "case.yaml")



def test_export_does_not_overwrite_without_force(engine: Engine, examples: Path, tmp_path: Path):
    _import(engine, examples)
    target = tmp_path / "x.yaml"
    target.write_text("别的内容", "utf-8")
    with pytest.raises(UserError, match="文件已存在"):
        _export(engine, "1", target)
    assert target.read_text("utf-8") == "别的内容"
    _export(engine, "1", target, force=True)
    assert target.read_bytes() == EXAMPLES[0].read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.parametrize(("where", "message"), [("missing", "找不到文件夹"), ("empty", "文件夹中没有案件数据文件")])
def test_an_unusable_folder_is_a_clear_error(engine: Engine, tmp_path: Path, where: str, message: str):
    folder = tmp_path / where
    if where == "empty":
        folder.mkdir()
    with pytest.raises(UserError, match=message):
        _import(engine, folder)
