"""``check`` on a court pack folder (issue 11 §4): the application is reviewed as its kind, the filing
forms and supplied materials are 跳过 with the reason, and what is missing is one complete list."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from casefile.validation import load_case
from checkers.check import Skipped
from checkers.findings import Report
from checkers.packfolder import check_pack, read_pack, split_packs
from docgen.render.render import render_form
from ecokernel.errors import UserError

from ..conftest import ROOT, cli_env, example_path

CLI = [sys.executable, str(ROOT / "cli.py"), "check"]
RULING = {"id": "ruling", "name": "民事裁定书（司法确认）副本", "section": "证据", "status": "missing", "required": True,
          "basis": "《最高人民法院关于人民法院执行工作若干问题的规定（试行）》第十八条第（二）项（生效法律文书副本）",
          "basis_status": "V"}


def _doc(folder: Path, name: str, text: str, **kind: str) -> dict:
    (folder / name).write_text(text, "utf-8")
    return {"file": name, "title": name[3:-4], "section": None, "first_page": 1, "last_page": 1,
            "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest(), **kind}


def make_pack(folder: Path) -> Path:
    """A pack folder as ``ecoclaim pack`` lays it out, its files as text (no LibreOffice needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    case = load_case(example_path("zhangye"))
    application = render_form(case, "enforcement").plain_text()
    docs = [
        _doc(folder, "01-材料清单.txt", "材料清单\n序号 材料名称 原件/复印件 份数 页数 状态\n1 强制执行申请书 原件 1 3 已附\n",
             item="materials_list", form="materials_list"),
        _doc(folder, "02-强制执行申请书.txt", application, item="application", form="enforcement"),
        _doc(folder, "03-送达地址确认书.txt", "送达地址确认书\n受送达人：张掖市自然资源局\n", item="service_address",
             form="service_address"),
        _doc(folder, "04-证据目录.txt", "证据目录\n序号 证据名称 来源 证明对象 页码\n", item="evidence_index",
             form="evidence_index"),
        _doc(folder, "05-生态环境损害赔偿协议.txt", "生态环境损害赔偿协议\n", item="agreement", material="agreement"),
    ]
    items = [{"id": d["item"], "name": d["title"], "section": "x", "status": "written", "required": True,
              "basis": "依据", "basis_status": "V"} for d in docs[1:4]]
    items += [{**items[0], "id": "agreement", "name": "生态环境损害赔偿协议", "status": "supplied", "basis_status": "U"},
              RULING]
    manifest = {"manifest_version": 1, "kind": "court_pack", "step": "enforcement",
                "case": {"file": "case.yaml", "jurisdiction": "zhangye"},
                "merged": {"file": "00-申请强制执行材料（合并）.txt", "pages": 5},
                "documents": docs, "items": items, "warnings": []}
    (folder / "00-申请强制执行材料（合并）.txt").write_text("（合并）\n" + application, "utf-8")
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return folder


def test_a_pack_reviews_its_application_as_such_and_skips_the_filing_forms(tmp_path):
    pack = read_pack(make_pack(tmp_path / "pack"))
    assert pack is not None and pack.step == "enforcement" and pack.jurisdiction == "zhangye"
    results = check_pack(pack, None)
    reports = [r for r in results if isinstance(r, Report)]
    assert [Path(r.file).name for r in reports] == ["02-强制执行申请书.txt"]
    assert reports[0].doc_type == "enforcement" and reports[0].errors == 0, [f.code for f in reports[0].findings]
    skipped = {Path(s.file).name: s.reason for s in results if isinstance(s, Skipped)}
    assert set(skipped) == {"00-申请强制执行材料（合并）.txt", "01-材料清单.txt", "03-送达地址确认书.txt", "04-证据目录.txt",
                            "05-生态环境损害赔偿协议.txt"}
    assert skipped["01-材料清单.txt"] == "法院立案材料（材料清单），不在审查范围"
    assert "--type agreement" in skipped["05-生态环境损害赔偿协议.txt"]
    assert pack.missing() == [(RULING["name"], RULING["basis"], "V")]


def test_a_removed_or_changed_file_is_reported(tmp_path):
    folder = make_pack(tmp_path / "pack")
    (folder / "03-送达地址确认书.txt").unlink()
    (folder / "04-证据目录.txt").write_text("改过", "utf-8")
    pack = read_pack(folder)
    assert [m[0] for m in pack.missing()] == [RULING["name"], "送达地址确认书"]
    assert any("04-证据目录.txt 生成后被修改过" in p for p in pack.problems)


def test_cli_lists_what_is_missing_once_and_exits_1(tmp_path):
    folder = make_pack(tmp_path / "pack")
    run = subprocess.run([*CLI, str(folder)], capture_output=True, text=True, cwd=ROOT, timeout=120, env=cli_env())
    assert run.returncode == 1, run.stdout + run.stderr
    assert "待补材料（共1项，请一次补齐；" in run.stdout and "民事裁定书（司法确认）副本" in run.stdout
    assert "跳过：" in run.stderr and "证据目录" in run.stderr and "审查1份" in run.stderr and "错误0处" in run.stderr


def test_other_folders_are_checked_as_before(tmp_path):
    other = tmp_path / "dossier"
    other.mkdir()
    (other / "manifest.json").write_text(json.dumps({"manifest_version": 1, "kind": "dossier"}), "utf-8")
    assert read_pack(other) is None and read_pack(tmp_path / "nothing") is None
    assert split_packs([other]) == ([other], [])


@pytest.mark.parametrize(("manifest", "words"), [
    (b"{not json", "无法解析"),
    (json.dumps({"kind": "court_pack", "step": "enforcement", "documents": [{"file": "../x.txt", "title": "x"}],
                 "items": []}).encode(), "不是本文件夹中的文件"),
    (json.dumps({"kind": "court_pack", "step": "enforcement", "documents": "x", "items": []}).encode(),
     "documents"),
    (json.dumps({"kind": "court_pack", "step": "enforcement", "documents": [],
                 "items": [{"name": "x", "status": 1}]}).encode(), "items[0].status"),
])
def test_a_hostile_manifest_is_a_chinese_error(tmp_path, manifest, words):
    (tmp_path / "manifest.json").write_bytes(manifest)
    with pytest.raises(UserError) as caught:
        read_pack(tmp_path)
    assert words in caught.value.message + str(caught.value.path or "")
