"""Orchestration: read → detect kind and jurisdiction → segment → rules → Report.

``check_document`` works on a :class:`~checkers.document.Document` (tests build one with
``from_text``); ``check_file`` reads a file with ``checkers.extract.read_document`` when that
package is available and falls back to a plain-text reader otherwise; ``check_files`` checks
several files in parallel (a process pool).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from checkers.document import Document, from_text
from checkers.findings import Report
from docgen.errors import UserError

KINDS = ("agreement", "judicial_confirmation", "enforcement", "consultation_notice")
JURISDICTION_KEYS = ("guangxi", "zhangye", "hengshui", "nantong", "xinzhou", "national")
TODAY = None  # tests may pin "today"; None = date.today()

_KIND_TITLES = [
    ("judicial_confirmation", r"司法确认申请书|确认[^\n]{0,12}协议[^\n]{0,4}效力"),
    ("enforcement", r"强制执行申请书|申请强制执行|执行申请书"),
    ("consultation_notice", r"磋商告知书|告知如下|被告知人"),
    ("agreement", r"赔偿协议|协议书|甲方|乙方|赔偿义务人"),
]
_JUR_WORDS = [
    ("guangxi", r"广西|南宁|柳州|桂林|梧州|北海|防城港|钦州|贵港|玉林|百色|贺州|河池|来宾|崇左|桂\d{2}"),
    ("zhangye", r"张掖|甘肃|甘\d{2}|甘[A-Z]环赔"),
    ("hengshui", r"衡水|河北|冀\d{2}"),
    ("nantong", r"南通|江苏|苏\d{2}"),
    ("xinzhou", r"忻州|山西|晋\d{2}"),
]


def guess_kind(doc: Document) -> tuple[str | None, list[str]]:
    try:
        from checkers.detect import detect_doc_type  # type: ignore[import-not-found]

        d = detect_doc_type(doc)
        if d.kind in KINDS:
            return d.kind, list(d.reasons)
    except ImportError:
        pass
    head = "\n".join(b.text for b in doc.blocks[:6])
    for kind, rx in _KIND_TITLES:
        if re.search(rx, head):
            return kind, [f"标题或开头含“{re.search(rx, head).group(0)}”"]  # type: ignore[union-attr]
    for kind, rx in _KIND_TITLES:
        if re.search(rx, doc.text):
            return kind, [f"正文含“{re.search(rx, doc.text).group(0)}”"]  # type: ignore[union-attr]
    return None, ["无法判断文书种类"]


def guess_jurisdiction(doc: Document) -> tuple[str, list[str]]:
    try:
        from checkers.detect import detect_jurisdiction  # type: ignore[import-not-found]

        g = detect_jurisdiction(doc)
        if g.key in JURISDICTION_KEYS:
            return g.key, list(g.reasons)
    except ImportError:
        pass
    text = doc.text
    scores = [(len(re.findall(rx, text)), key) for key, rx in _JUR_WORDS]
    n, key = max(scores)
    if n:
        return key, [f"文中与{key}相关的地名或机关出现{n}次"]
    return "national", ["未识别出辖区，适用国家层面规定"]


def document_date(doc: Document) -> dt.date:
    """The date the rules' bases are judged on: the latest valid date in the text, else today."""
    from docgen.cnfmt import parse_cn_date
    from docgen.errors import FormatError

    latest = None
    for m in re.finditer(r"\d{4}[ \t　]*年[ \t　]*\d{1,2}[ \t　]*月[ \t　]*\d{1,2}[ \t　]*日", doc.text):
        try:
            d = parse_cn_date(m.group(0))
        except FormatError:
            continue
        latest = d if latest is None or d > latest else latest
    today = TODAY or dt.date.today()
    if latest is None or latest > today:
        return today
    return latest


def check_document(doc: Document, kind: str | None = None, jurisdiction: str | None = None,
                   on: dt.date | None = None, only: set[str] | None = None) -> Report:
    from checkers.rules.engine import run_rules

    notes: list[str] = list(doc.warnings)
    if kind is None:
        kind, why = guess_kind(doc)
        notes.append(f"文书种类：{kind or '未识别'}（{'；'.join(why)}）")
    elif kind not in KINDS:
        raise UserError(f"不支持的文书种类“{kind}”，可用：{'、'.join(KINDS)}")
    if jurisdiction is None:
        jurisdiction, why = guess_jurisdiction(doc)
        notes.append(f"辖区：{jurisdiction}（{'；'.join(why)}）")
    elif jurisdiction not in JURISDICTION_KEYS:
        raise UserError(f"不支持的辖区“{jurisdiction}”，可用：{'、'.join(JURISDICTION_KEYS)}")
    findings, _ctx = run_rules(doc, kind, jurisdiction, on or document_date(doc), only)
    return Report(file=doc.file, doc_type=kind, jurisdiction=jurisdiction, findings=findings,
                  notes=notes, text=doc.text)


def check_text(text: str, file: str = "<text>", **kwargs: object) -> Report:
    return check_document(from_text(text, file), **kwargs)  # type: ignore[arg-type]


_TEXT_ENCODINGS = ("utf-8-sig", "gb18030", "utf-16")


def read_file(path: Path) -> Document:
    try:
        from checkers.extract import read_document  # type: ignore[attr-defined]
    except ImportError:
        read_document = None
    if read_document is not None:
        return read_document(path)
    if not path.exists():
        raise UserError(f"找不到文件：{path}")
    if path.suffix.lower() not in (".txt", ".md", ""):
        raise UserError(f"暂不能读取“{path.suffix}”文件（文档读取模块尚未就绪），请先转换为 .txt")
    data = path.read_bytes()
    if not data.strip():
        raise UserError(f"文件为空：{path}")
    for encoding in _TEXT_ENCODINGS:
        try:
            return from_text(data.decode(encoding), str(path))
        except UnicodeDecodeError:
            continue
    raise UserError(f"无法识别文件编码：{path}")


def check_file(path: str | Path, kind: str | None = None, jurisdiction: str | None = None) -> Report:
    doc = read_file(Path(path))
    doc.file = str(path)
    return check_document(doc, kind, jurisdiction)


def _check_one(args: tuple[str, str | None, str | None]) -> Report | str:
    path, kind, jurisdiction = args
    try:
        return check_file(path, kind, jurisdiction)
    except UserError as exc:
        return f"{path}: {exc}"


def check_files(paths: Iterable[str | Path], kind: str | None = None, jurisdiction: str | None = None,
                workers: int | None = None, progress: Callable[[], None] | None = None) -> list[Report | str]:
    """Check several files; an unreadable file gives its error message (str) in place of a Report."""
    import os

    items = [(str(p), kind, jurisdiction) for p in paths]
    if len(items) <= 1 or workers == 1:
        results = []
        for it in items:
            results.append(_check_one(it))
            if progress:
                progress()
        return results
    from concurrent.futures import ProcessPoolExecutor

    n = workers or min(len(items), os.cpu_count() or 1)
    results = []
    with ProcessPoolExecutor(max_workers=n) as pool:
        for result in pool.map(_check_one, items, chunksize=max(1, len(items) // (n * 4))):
            results.append(result)
            if progress:
                progress()
    return results
