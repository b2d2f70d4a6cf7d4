"""Dossiers: manifest hashes verify, stage skips are explained, failures leave nothing half-written."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import docx as python_docx
import pytest

import docgen.dossier as dossier
from casefile.validation import CaseError
from docgen.dossier import DossierError, OutputError, generate_dossier, template_files, template_version
from docgen.render.environment import PACKAGE_TEMPLATES

from ..conftest import example_data, example_path


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def docx_dossier(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx")
    result = generate_dossier(example_path("zhangye"), out, fmt="docx", make_zip=True)
    return out, result


def test_all_writes_allowed_forms_and_explains_skips(docx_dossier):
    out, result = docx_dossier
    kinds = [g.kind for g in result.generated]
    assert "consultation_notice" in kinds and "agreement" in kinds
    skipped = {s.kind: s.reason for s in result.skipped}
    assert "closure_approval" in skipped and all(skipped.values())
    assert set(kinds).isdisjoint(skipped)
    assert (out / "04-生态环境损害赔偿磋商告知书.docx").is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging left


def test_each_power_of_attorney_is_its_own_file(docx_dossier):
    """Separate instruments for different recipients (FORMS-REVIEW 05-4): one file per agent, so each has its
    own page numbers, as the court pack writes them."""
    out, result = docx_dossier
    files = sorted(g.file for g in result.generated if g.kind == "power_of_attorney")
    assert files == ["05-授权委托书（孙丽娟）.docx", "05-授权委托书（马志远）.docx"]
    for name, agent, other in (("孙丽娟", "受委托人：孙丽娟", "马志远"), ("马志远", "受委托人：马志远", "孙丽娟")):
        body = "\n".join(p.text for p in python_docx.Document(str(out / f"05-授权委托书（{name}）.docx")).paragraphs)
        assert agent in body and other not in body and body.count("特此委托") == 1


def test_manifest_hashes_verify(docx_dossier):
    out, result = docx_dossier
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["case"]["sha256"] == sha(example_path("zhangye"))
    assert manifest["format"] == "docx" and manifest["tool"]["name"] == "ecoclaim" and manifest["generated_at"]
    assert [d["form"] for d in manifest["documents"]] == [g.kind for g in result.generated]
    for entry in manifest["documents"]:
        assert sha(out / entry["file"]) == entry["sha256"]
        assert entry["jurisdiction"] == "zhangye" and entry["variant"] == "zhangye"
        assert entry["model_text"].startswith("zhangye:附件[")
        for name, digest in entry["templates"].items():
            assert hashlib.sha256((PACKAGE_TEMPLATES / name).read_bytes()).hexdigest() == digest
        assert entry["template_version"] == template_version(entry["templates"])
        assert f"zhangye/{entry['form']}.xml.j2" in entry["templates"]
    assert {s["form"] for s in manifest["skipped"]} == {s.kind for s in result.skipped}


def test_zip_holds_outputs_and_manifest_with_chinese_names(docx_dossier):
    _out, result = docx_dossier
    with zipfile.ZipFile(result.zip_path) as zf:
        names = zf.namelist()
        assert set(names) == {g.file for g in result.generated} | {"manifest.json"}
        assert all(info.flag_bits & 0x800 for info in zf.infolist() if not info.filename.isascii())
        for g in result.generated:
            assert hashlib.sha256(zf.read(g.file)).hexdigest() == g.sha256


def test_every_docx_opens_in_python_docx(docx_dossier):
    out, result = docx_dossier
    for g in result.generated:
        opened = python_docx.Document(str(out / g.file))
        assert opened.paragraphs or opened.tables, g.file


def test_failure_midway_leaves_nothing_and_keeps_old_outputs(tmp_path, monkeypatch):
    old = tmp_path / "04-生态环境损害赔偿磋商告知书.html"
    old.write_text("旧文件", encoding="utf-8")
    calls = []
    real = dossier.write_source

    def failing(doc, fmt, *, reference=None):
        calls.append(doc.kind)
        if len(calls) == 3:
            raise OSError("磁盘已满（模拟）")
        return real(doc, fmt, reference=reference)

    monkeypatch.setattr(dossier, "write_source", failing)
    with pytest.raises(OSError):  # force: the old file is not ours, it would be refused before any writing
        generate_dossier(example_path("zhangye"), tmp_path, fmt="html", force=True)
    assert len(calls) == 3
    assert [p.name for p in tmp_path.iterdir()] == [old.name]
    assert old.read_text("utf-8") == "旧文件"


def test_template_dir_override_is_used_and_versioned(tmp_path):
    override = tmp_path / "overrides" / "zhangye"
    override.mkdir(parents=True)
    (override / "consultation_notice.xml.j2").write_text(
        "<doc><title>{{ title }}</title><p>本局特别提示：{{ case.case_name }}</p></doc>", encoding="utf-8")
    result = generate_dossier(example_path("zhangye"), tmp_path / "out", fmt="md", kinds=["consultation_notice"],
                              template_dirs=[tmp_path / "overrides"])
    [g] = result.generated
    assert "本局特别提示：王建军非法采砂生态环境损害赔偿案" in (tmp_path / "out" / g.file).read_text("utf-8")
    assert g.template_version != template_version(template_files("consultation_notice", "zhangye", None))


def test_explicit_form_outside_the_stage_is_generated_with_a_notice(tmp_path):
    result = generate_dossier(example_path("hengshui"), tmp_path, fmt="md", kinds=["enforcement"])
    assert [g.kind for g in result.generated] == ["enforcement"]
    assert result.notices and "强制执行申请书" in result.notices[0]
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert manifest["documents"][0]["stage_allowed"] is False


def test_unusable_calls_and_invalid_cases(tmp_path, write_case):
    case = example_path("zhangye")
    with pytest.raises(DossierError, match="不支持的输出格式"):
        generate_dossier(case, tmp_path, fmt="rtf")
    with pytest.raises(DossierError, match="未知文书种类"):
        generate_dossier(case, tmp_path, fmt="docx", kinds=["nonsense"])
    with pytest.raises(DossierError, match="reference-docx"):
        generate_dossier(case, tmp_path, fmt="md", reference_docx=tmp_path / "r.docx")
    bad = write_case(case.read_text("utf-8").replace("620702197805122135", "620702197805122136"))
    with pytest.raises(CaseError):
        generate_dossier(bad, tmp_path / "bad", fmt="docx")
    assert not (tmp_path / "bad").exists()


def test_hostile_party_name_renders_literally_in_every_format(tmp_path, write_case):
    hostile = "A&B<公司>\"甲\"'乙'{{ case.case_name }}"
    data = example_data("zhangye")
    data["obligors"][0]["name"] = hostile
    for agent in data["agents"]:
        if agent.get("principal_obligor"):
            agent["principal_obligor"] = hostile
    case = write_case(data)
    for fmt in ("docx", "html", "md"):
        result = generate_dossier(case, tmp_path / fmt, fmt=fmt, kinds=["consultation_notice"])
        data = (tmp_path / fmt / result.generated[0].file).read_bytes()
        if fmt == "docx":
            opened = python_docx.Document(io.BytesIO(data))
            assert any(hostile in p.text for p in opened.paragraphs)
        elif fmt == "html":
            assert "A&amp;B&lt;公司&gt;&quot;甲&quot;&apos;乙&apos;{{ case.case_name }}" in data.decode()
        else:
            assert "A\\&B\\<公司\\>\"甲\"'乙'{{ case.case\\_name }}" in data.decode()


def test_case_strings_cover_names_and_amounts():
    from casefile.validation import load_case

    strings = dossier.case_strings(load_case(example_path("zhangye")))
    assert "王建军" in strings and "张掖市自然资源局" in strings
    assert "186,500.00" in strings and "人民币壹拾捌万陆仟伍佰元整" in strings


def test_a_file_edited_after_generation_is_not_overwritten_without_force(tmp_path):
    """Issue 12 §5: a drafter's edits to a generated file are never lost silently."""
    out = tmp_path / "out"
    first = generate_dossier(example_path("zhangye"), out, fmt="md", kinds=["agreement", "enforcement"])
    edited = out / first.generated[0].file
    edited.write_text(edited.read_text("utf-8") + "\n（经办人手工补充的条款）\n", encoding="utf-8")
    with pytest.raises(OutputError, match=f"生成后被修改过.*{first.generated[0].file}.*--force"):
        generate_dossier(example_path("zhangye"), out, fmt="md", kinds=["agreement", "enforcement"])
    again = generate_dossier(example_path("zhangye"), out, fmt="md", kinds=["enforcement"])  # untouched file: fine
    assert [g.kind for g in again.generated] == ["enforcement"]
    with pytest.raises(OutputError, match="清单中没有记录"):  # the new manifest no longer lists the agreement
        generate_dossier(example_path("zhangye"), out, fmt="md", kinds=["agreement"])
    assert "手工补充的条款" in edited.read_text("utf-8")  # nothing was written
    forced = generate_dossier(example_path("zhangye"), out, fmt="md", kinds=["agreement"], force=True)
    assert forced.generated and "手工补充的条款" not in edited.read_text("utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / edited.name).write_text("别人放在这里的文件", encoding="utf-8")
    with pytest.raises(OutputError, match="清单中没有记录"):
        generate_dossier(example_path("zhangye"), other, fmt="md", kinds=["agreement"])
