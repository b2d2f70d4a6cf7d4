"""The court pack end to end (LibreOffice, CLI subprocesses): both examples build; the merged PDF's
bookmarks, stamped page numbers, 目录 and 证据目录 agree; missing items are 待补; exit codes 0/1/2;
nothing is written when the build fails."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.pack.build import build_pack
from docgen.pack.stamp import page_label
from docgen.writers.common import ConverterError

from ..conftest import ROOT
from .packdata import case_with_materials, guangxi_enforcement_data, pdf_bytes

pytestmark = pytest.mark.slow
CLI = [sys.executable, str(ROOT / "cli.py"), "pack"]
RANGE = r"(\d+)(?:—(\d+))?"


def _bookmarks(reader: PdfReader) -> dict[str, int]:
    found: dict[str, int] = {}

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found[item.title] = reader.get_destination_page_number(item)

    walk(reader.outline)
    return found


def _page_column(pages: list) -> list[tuple[int, int, int]]:
    """(序号, first, last) of each row of an index table, read by position: the 页码 cell is centred
    on the same line as the row's 序号 (cells of other columns may wrap)."""
    rows = []
    for page in pages:
        frags: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, _font, _size, frags=frags):
            if text.strip():
                frags.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5],
                              text.strip()))

        page.extract_text(visitor_text=visit)
        headers = [x for x, _y, t in frags if t.startswith("序")], [x for x, _y, t in frags if t == "页码"]
        if not all(headers):  # a page of the index without its table (the signature)
            continue
        number_x, pages_x = headers[0][0], headers[1][0]
        for x, y, text in frags:
            if abs(x - number_x) < 12 and text.isdigit():
                [cell] = [t for cx, cy, t in frags if cx > pages_x - 20 and abs(cy - y) < 2]
                match = re.fullmatch(RANGE, cell)
                assert match, cell
                rows.append((int(text), int(match[1]), int(match[2] or match[1])))
    return rows


def _assert_numbers_agree(out_dir: Path) -> PdfReader:
    manifest = json.loads((out_dir / "manifest.json").read_text("utf-8"))
    reader = PdfReader(str(out_dir / manifest["merged"]["file"]))
    assert len(reader.pages) == manifest["merged"]["pages"]
    # every page carries its number
    for index, page in enumerate(reader.pages):
        assert page.extract_text().rstrip().endswith(page_label(index + 1)), index
    marks = _bookmarks(reader)
    documents = manifest["documents"]
    listed = _page_column([reader.pages[0]])
    assert [n for n, _f, _l in listed] == list(range(1, len(documents) + 1))
    for doc, (_n, *pages) in zip(documents, listed, strict=True):
        first = doc["first_page"]
        assert marks[doc["title"]] == first - 1  # bookmark → page index
        assert page_label(first) in reader.pages[first - 1].extract_text()  # the number printed there
        assert pages == [first, doc["last_page"]], doc["title"]  # the 目录
        part = PdfReader(str(out_dir / doc["file"]))  # the separate file is exactly those pages
        assert len(part.pages) == doc["last_page"] - first + 1
    index_doc = next(d for d in documents if d["title"] == "证据目录")
    rows = _page_column(reader.pages[index_doc["first_page"] - 1:index_doc["last_page"]])
    evidence = [i["name"] for i in manifest["items"] if i["section"] == "证据" and i["status"] == "supplied"]
    assert evidence and [n for n, _f, _l in rows] == list(range(1, len(evidence) + 1))
    by_title = {d["title"]: d for d in documents}
    for name, (_n, first, last) in zip(evidence, rows, strict=True):  # the 证据目录's 页码
        assert (first, last) == (by_title[name]["first_page"], by_title[name]["last_page"]), name
        assert name.replace(" ", "")[:6] in re.sub(r"\s+", "", "".join(
            reader.pages[i].extract_text() for i in range(index_doc["first_page"] - 1, index_doc["last_page"])))
    return reader


def test_judicial_confirmation_pack_of_the_guangxi_example(tmp_path):
    case = case_with_materials(tmp_path, "guangxi")
    started = time.monotonic()
    result = build_pack(case, "judicial_confirmation", tmp_path / "out")
    elapsed = time.monotonic() - started
    print(f"judicial_confirmation pack: {elapsed:.2f} s, {result.total_pages} pages")
    assert not result.plan.missing  # the time is printed (speed is measured in bench/, not asserted)
    reader = _assert_numbers_agree(tmp_path / "out")
    # the JPEG and the PNG scan became one page each (the PNG is wider than high: landscape)
    scans = {e.title: e for _n, e in result.files}
    png = scans["陈国强身份证复印件"]
    box = reader.pages[png.start - 1].mediabox
    assert png.pages == 1 and box.width > box.height
    assert scans["黄志明身份证复印件"].pages == 1


def test_enforcement_pack_of_the_zhangye_example_lists_what_is_missing(tmp_path):
    case = case_with_materials(tmp_path, "zhangye", drop=("ruling", "designation"))
    started = time.monotonic()
    result = build_pack(case, "enforcement", tmp_path / "out")
    elapsed = time.monotonic() - started
    print(f"enforcement pack: {elapsed:.2f} s, {result.total_pages} pages")
    assert result.total_pages > 0  # the time is printed, not asserted
    assert [s.item.id for s in result.plan.missing] == ["designation", "ruling"]
    reader = _assert_numbers_agree(tmp_path / "out")
    listing = re.sub(r"\s+", "", reader.pages[1].extract_text() + reader.pages[2].extract_text())
    assert re.search(r"民事裁定书（司法确认）副本复印件2—待补", listing), listing
    assert "赔偿权利人指定文件※复印件1—待补" in listing
    # check on the pack folder: the application reviewed as such, the rest 跳过, one list of what is missing
    run = subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", str(tmp_path / "out")], capture_output=True,
                         text=True, cwd=ROOT, timeout=180, env={**os.environ, "ECOCLAIM_TODAY": "2026-12-06"})
    assert run.returncode == 1, run.stdout + run.stderr
    assert "待补材料（共2项" in run.stdout and "民事裁定书（司法确认）副本" in run.stdout
    assert re.search(r"汇总：10个文件，审查1份，错误0处，警告\d+处，有问题的文书0份，跳过9份，无法读取0份", run.stderr), run.stderr


def test_enforcement_pack_of_the_guangxi_example(tmp_path):
    """Issue 11 §4: the other two combinations build complete and their numbers agree too."""
    case = case_with_materials(tmp_path, "guangxi", data=guangxi_enforcement_data(), materials_of="guangxi-enforcement")
    started = time.monotonic()
    result = build_pack(case, "enforcement", tmp_path / "out")
    elapsed = time.monotonic() - started
    print(f"guangxi enforcement pack: {elapsed:.2f} s, {result.total_pages} pages")
    assert not result.plan.missing  # the time is printed (speed is measured in bench/, not asserted)
    assert [o.name for o in result.plan.respondents] == ["广西桂南冶炼有限公司"]
    _assert_numbers_agree(tmp_path / "out")


def test_judicial_confirmation_pack_of_the_zhangye_example(tmp_path):
    case = case_with_materials(tmp_path, "zhangye", materials_of="zhangye-confirmation")
    started = time.monotonic()
    result = build_pack(case, "judicial_confirmation", tmp_path / "out")
    elapsed = time.monotonic() - started
    print(f"zhangye judicial_confirmation pack: {elapsed:.2f} s, {result.total_pages} pages")
    assert not result.plan.missing  # the time is printed (speed is measured in bench/, not asserted)
    assert [p.name for p in result.plan.applicants] == ["张掖市自然资源局", "王建军"]
    _assert_numbers_agree(tmp_path / "out")


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=180,
                          env={**os.environ, "ECOCLAIM_TODAY": "2026-12-06"})


def test_cli_exit_codes_and_chinese_messages(tmp_path):
    complete = case_with_materials(tmp_path, "zhangye")
    run = _cli(str(complete), "--for", "enforcement", "--check")
    assert run.returncode == 0 and "必需的材料已齐全" in run.stdout, run.stdout + run.stderr
    partial = case_with_materials(tmp_path / "p", "zhangye", drop=("ruling",))
    run = _cli(str(partial), "--for", "enforcement", "-o", str(tmp_path / "out"))
    assert run.returncode == 1, run.stderr
    assert "待补材料（共1项" in run.stdout and "民事裁定书（司法确认）副本" in run.stdout
    assert (tmp_path / "out" / "00-申请强制执行材料（合并）.pdf").is_file()
    run = _cli(str(partial), "--for", "enforcement", "--check", "--format", "json")
    assert run.returncode == 1 and json.loads(run.stdout)["missing"][0]["id"] == "ruling"
    # bad input: exit 2, a Chinese message, no traceback
    (tmp_path / "p" / "materials" / "m03.pdf").write_bytes(pdf_bytes(password="x"))
    broken = case_with_materials(tmp_path / "b", "zhangye")
    (tmp_path / "b" / "materials" / "m00.pdf").write_bytes(b"%PDF-1.4 truncated")
    for args, words in [((str(broken), "--for", "enforcement", "--check"), "已损坏"),
                        ((str(complete), "--for", "appeal", "--check"), "未知的申请事项"),
                        ((str(ROOT / "examples" / "guangxi-terminated-claim.yaml"), "--for", "enforcement",
                          "--check"), "案件数据中尚无 enforcement"),
                        ((str(complete), "--for", "enforcement"), "请用 -o 指定输出目录")]:
        run = _cli(*args)
        assert run.returncode == 2 and words in run.stderr and "Traceback" not in run.stderr, (args, run.stderr)


def test_a_failed_build_leaves_the_output_folder_as_it_was(tmp_path, monkeypatch):
    case = case_with_materials(tmp_path, "zhangye")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("earlier", "utf-8")
    monkeypatch.setenv("ECOCLAIM_SOFFICE", "false")  # a converter that fails
    with pytest.raises(ConverterError):
        build_pack(case, "enforcement", out)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
