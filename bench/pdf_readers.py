"""Benchmark: PDF text extraction — pypdf against PDFium (pypdfium2), speed and text side by side.

    .venv/bin/python bench/pdf_readers.py [--seconds 5] [--no-generate] [--show 8]

The PDFs: every PDF of the blind benchmark's dev part (bench/blind/dev; never test/), the PDFs under
tests/fixtures, and forms this tool writes (each example case × four forms, plus one agreement set
in two columns), converted by LibreOffice in one run (skip with --no-generate). For the generated
forms the source text is known, so their text is also compared with it.

Readers, in the same run:

- ``pypdf``: ``PdfReader(...).pages[i].extract_text()`` (the checker's reader before PDFium);
- ``pdfium``: PDFium's own text (``PdfTextPage.get_text_range``), lines as PDFium finds them;
- ``ours``: the checker's page texts (``checkers.extract.pdf.page_texts``): PDFium's lines with each
  line's characters in page order.

Speed: documents (and pages) per second of each raw extraction, and of the whole PDF read
(page texts → the document tree with paragraphs, headers and footers: the same
``pages_document`` after either extraction). Text, pypdf against ours (and each against the
source for generated forms), after whitespace is removed: the character agreement
(2·matched / total, matched in order), the agreement of the characters ignoring their order, the
share of the common ideographs that come in the same order, the agreement of the lines and of the
paragraphs (as multisets of whitespace-free texts), and page counts. Then the hostile inputs
(encrypted, damaged, huge, without text layer…), each read by each reader in its own process
(a crash or a runaway cannot take the benchmark down; its peak memory is its own).

Not a test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checkers.extract.errors import InputError  # noqa: E402
from checkers.extract.limits import MAX_PDF_PAGES  # noqa: E402
from checkers.extract.pdf import page_texts, pages_document  # noqa: E402
from tests.fixtures.extract.builders import pdf_bytes, pdf_page, with_xref  # noqa: E402

logging.getLogger("pypdf").setLevel(logging.ERROR)

DEV = ROOT / "bench" / "blind" / "dev"
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"
FORMS = ("agreement", "judicial_confirmation", "enforcement", "consultation_notice")
_SPACE = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Pdf:
    name: str
    group: str  # dev | fixtures | generated
    data: bytes
    truth: str | None = None  # the source text, for generated forms


# -- the readers ------------------------------------------------------------------------------------

def pypdf_texts(data: bytes) -> list[str]:
    """The page texts as pypdf gives them, opened as the checker's pypdf reader did (an empty user
    password tried)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise InputError("PDF 已加密")
    if len(reader.pages) > MAX_PDF_PAGES:
        raise InputError(f"PDF 有 {len(reader.pages)} 页，超过 {MAX_PDF_PAGES} 页的上限")
    return [page.extract_text() or "" for page in reader.pages]


def pdfium_texts(data: bytes) -> list[str]:
    """The page texts as PDFium gives them (its line breaks, its order)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        texts = []
        for i in range(len(document)):
            page = document[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range().replace("\r\n", "\n"))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def ours_texts(data: bytes) -> list[str]:
    return page_texts(data)


READERS: dict[str, Callable[[bytes], list[str]]] = {"pypdf": pypdf_texts, "pdfium": pdfium_texts, "ours": ours_texts}


# -- the PDFs ---------------------------------------------------------------------------------------

def collected(generate: bool, tmp: Path) -> list[Pdf]:
    pdfs = [Pdf(str(p.relative_to(ROOT)), "dev", p.read_bytes()) for p in sorted(DEV.rglob("*.pdf"))]
    pdfs += [Pdf(str(p.relative_to(ROOT)), "fixtures", p.read_bytes()) for p in sorted(FIXTURES.rglob("*.pdf"))]
    if generate:
        pdfs += generated(tmp)
    return pdfs


def generated(folder: Path) -> list[Pdf]:
    """Each example case's four forms as this tool writes them, and the first example's agreement set
    in two columns, converted to PDF by LibreOffice in one run."""
    import docx  # python-docx (the bench extra)
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from casefile.validation import load_case
    from docgen.render.render import render_form
    from docgen.writers.docx import docx_bytes
    from ecokernel.errors import UserError

    sources: dict[str, str] = {}
    for example in sorted(EXAMPLES.glob("*.yaml")):
        case = load_case(example)
        for form in FORMS:
            try:
                tree = render_form(case, form)
            except UserError:
                continue  # a form this case has no data for
            stem = f"{example.stem}.{form}"
            (folder / f"{stem}.docx").write_bytes(docx_bytes(tree))
            sources[stem] = tree.plain_text()
            if not any(s.endswith(".two-columns") for s in sources) and form == "agreement":
                two = docx.Document(io.BytesIO(docx_bytes(tree)))
                for section in two.sections:
                    cols = OxmlElement("w:cols")
                    cols.set(qn("w:num"), "2")
                    cols.set(qn("w:space"), "425")
                    section._sectPr.append(cols)
                two.save(str(folder / f"{stem}.two-columns.docx"))
                sources[f"{stem}.two-columns"] = tree.plain_text()
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{folder / 'lo'}",
                    "--convert-to", "pdf", "--outdir", str(folder), *(str(folder / f"{s}.docx") for s in sources)],
                   check=True, capture_output=True, timeout=600)
    return [Pdf(f"generated/{stem}.pdf", "generated", (folder / f"{stem}.pdf").read_bytes(), truth)
            for stem, truth in sources.items() if (folder / f"{stem}.pdf").exists()]


# -- speed ------------------------------------------------------------------------------------------

def speeds(pdfs: list[Pdf], seconds: float) -> dict[str, tuple[float, float]]:
    """Documents and pages per second of each reader over all ``pdfs``, in interleaved rounds (so
    the machine's load falls on all alike), each reader for about ``seconds`` in all."""
    pages = sum(len(page_texts(p.data)) for p in pdfs)
    work: dict[str, Callable[[bytes], object]] = dict(READERS)
    work["pypdf→tree"] = lambda data: pages_document(pypdf_texts(data), "x.pdf")
    work["ours→tree"] = lambda data: pages_document(page_texts(data), "x.pdf")
    spent = dict.fromkeys(work, 0.0)
    rounds = dict.fromkeys(work, 0)
    for fn in work.values():  # warm-up: imports, caches
        fn(pdfs[0].data)
    while min(spent.values()) < seconds:
        for name, fn in work.items():
            if spent[name] >= seconds:
                continue
            start = time.perf_counter()
            for pdf in pdfs:
                with contextlib.suppress(InputError):
                    fn(pdf.data)
            spent[name] += time.perf_counter() - start
            rounds[name] += 1
    return {name: (len(pdfs) * rounds[name] / spent[name], pages * rounds[name] / spent[name]) for name in work}


# -- text -------------------------------------------------------------------------------------------

def matched(a: str, b: str) -> int:
    """Characters of ``a`` and ``b`` matched in order (difflib's matching blocks, no junk heuristic)."""
    return sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def common(a: str, b: str) -> int:
    """Characters ``a`` and ``b`` have in common, whatever their order."""
    return sum((Counter(a) & Counter(b)).values())


def multiset_common(a: list[str], b: list[str]) -> int:
    return sum((Counter(a) & Counter(b)).values())


def bare(text: str) -> str:
    return _SPACE.sub("", text)


def paragraphs(texts: list[str]) -> tuple[list[str], list[str]]:
    """Body paragraphs and header/footer lines of the checker's tree over ``texts``, whitespace removed."""
    try:
        tree = pages_document(texts, "x.pdf")
    except InputError:
        return [], []
    body = [bare(b.text) for b in tree.blocks if b.part == "body"]
    edges = [bare(b.text) for b in tree.blocks if b.part != "body"]
    return body, edges


@dataclass
class Sums:
    """Sums over documents: (matched, total) pairs, so agreements are weighted by size."""
    docs: int = 0
    identical: int = 0
    same_pages: int = 0
    chars: tuple[int, int] = (0, 0)
    unordered: tuple[int, int] = (0, 0)
    han_order: tuple[int, int] = (0, 0)
    lines: tuple[int, int] = (0, 0)
    paragraphs: tuple[int, int] = (0, 0)
    edges: tuple[int, int] = (0, 0)

    def add(self, field: str, hit: int, total: int) -> None:
        h, t = getattr(self, field)
        setattr(self, field, (h + hit, t + total))

    @staticmethod
    def share(pair: tuple[int, int]) -> str:
        return f"{pair[0] / pair[1]:.4f}" if pair[1] else "—"


def compare(a_texts: list[str], b_texts: list[str], sums: Sums) -> list[tuple[str, str]]:
    """Add the agreement of two readers' page texts to ``sums``; the differing pieces (a, b)."""
    a, b = bare("".join(a_texts)), bare("".join(b_texts))
    sums.docs += 1
    sums.identical += a == b
    sums.same_pages += len(a_texts) == len(b_texts)
    sums.add("chars", 2 * matched(a, b), len(a) + len(b))
    sums.add("unordered", 2 * common(a, b), len(a) + len(b))
    ha, hb = "".join(_HAN.findall(a)), "".join(_HAN.findall(b))
    sums.add("han_order", matched(ha, hb), common(ha, hb))
    la = [bare(line) for t in a_texts for line in t.splitlines() if line.strip()]
    lb = [bare(line) for t in b_texts for line in t.splitlines() if line.strip()]
    sums.add("lines", 2 * multiset_common(la, lb), len(la) + len(lb))
    (pa, ea), (pb, eb) = paragraphs(a_texts), paragraphs(b_texts)
    sums.add("paragraphs", 2 * multiset_common(pa, pb), len(pa) + len(pb))
    sums.add("edges", 2 * multiset_common(ea, eb), len(ea) + len(eb))
    return [(a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
            if op != "equal"]


def against_truth(texts: list[str], truth: str, sums: Sums) -> None:
    """Add the agreement of a reader's body text and paragraphs with the source text to ``sums``."""
    body, _edges = paragraphs(texts)
    a, b = "".join(body), bare(truth)
    sums.docs += 1
    sums.identical += a == b
    sums.add("chars", 2 * matched(a, b), len(a) + len(b))
    sums.add("unordered", 2 * common(a, b), len(a) + len(b))
    ha, hb = "".join(_HAN.findall(a)), "".join(_HAN.findall(b))
    sums.add("han_order", matched(ha, hb), common(ha, hb))
    lines = [bare(line) for line in truth.splitlines() if line.strip()]
    sums.add("paragraphs", 2 * multiset_common(body, lines), len(body) + len(lines))


def text_report(pdfs: list[Pdf], show: int) -> None:
    print("\n## 文字对比（去掉空白后；按字数加权）")
    header = (f"{'文件组':<10}{'份':>4}{'全同':>6}{'页数同':>7}{'字符一致':>9}{'不计顺序':>9}{'汉字顺序':>9}"
              f"{'行一致':>8}{'段落一致':>9}{'页眉页脚':>9}")
    rows: list[str] = []
    pieces: Counter[tuple[str, str]] = Counter()
    worst: list[tuple[float, str, list[tuple[str, str]]]] = []
    pairs = [("pypdf", "ours"), ("pypdf", "pdfium"), ("pdfium", "ours")]
    truth_sums = {name: Sums() for name in READERS}
    texts = {(name, pdf.name): fn(pdf.data) for name, fn in READERS.items() for pdf in pdfs}
    for left, right in pairs:
        for group in ("dev", "fixtures", "generated", "全部"):
            chosen = [p for p in pdfs if group in (p.group, "全部")]
            if not chosen:
                continue
            sums = Sums()
            for pdf in chosen:
                before = sums.chars
                diffs = compare(texts[left, pdf.name], texts[right, pdf.name], sums)
                if (left, right) == ("pypdf", "ours") and group != "全部":
                    pieces.update(diffs)
                    hit, total = sums.chars[0] - before[0], sums.chars[1] - before[1]
                    worst.append((hit / total if total else 1.0, pdf.name, diffs))
            rows.append(f"{left + '↔' + right:<14}{group:<10}{sums.docs:>4}{sums.identical:>6}{sums.same_pages:>7}"
                        f"{Sums.share(sums.chars):>10}{Sums.share(sums.unordered):>10}{Sums.share(sums.han_order):>10}"
                        f"{Sums.share(sums.lines):>9}{Sums.share(sums.paragraphs):>10}{Sums.share(sums.edges):>10}")
    print(f"{'读取器':<14}{header}")
    print("\n".join(rows))
    for pdf in pdfs:
        if pdf.truth is not None:
            for name in READERS:
                against_truth(texts[name, pdf.name], pdf.truth, truth_sums[name])
    if any(s.docs for s in truth_sums.values()):
        print("\n生成的文书与源文本对比（正文段落，去掉空白后）：")
        print(f"{'读取器':<10}{'份':>4}{'全同':>6}{'字符一致':>10}{'不计顺序':>10}{'汉字顺序':>10}{'段落一致':>10}")
        for name, s in truth_sums.items():
            print(f"{name:<10}{s.docs:>4}{s.identical:>6}{Sums.share(s.chars):>10}{Sums.share(s.unordered):>10}"
                  f"{Sums.share(s.han_order):>10}{Sums.share(s.paragraphs):>10}")
    print("\npypdf 与本工具（PDFium）文字不同之处，按次数（pypdf 的 → 本工具的）：")
    for (a, b), n in pieces.most_common(25):
        print(f"  {n:>4} × {a!r} → {b!r}")
    worst.sort()
    for share, name, diffs in worst[:show]:
        print(f"\n  {name}（字符一致 {share:.4f}）")
        for a, b in diffs[:8]:
            print(f"    {a!r} → {b!r}")


# -- hostile inputs ---------------------------------------------------------------------------------

def _encrypted(user: str, algorithm: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["Secret text"]))))
    writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _bomb(size: int) -> bytes:
    """A content stream that inflates to about ``size`` bytes, compressed piece by piece."""
    deflater = zlib.compressobj(9)
    parts = [deflater.compress(b"BT /F1 14 Tf 72 720 Td (Bomb) Tj ET\n")]
    parts += [deflater.compress(b" " * 10 ** 7) for _ in range(size // 10 ** 7)]
    return b"".join([*parts, deflater.flush()])


def _page_tree_loop() -> bytes:
    data = pdf_bytes(["Loop"])
    return with_xref(data.replace(b"/Kids [3 0 R]", b"/Kids [3 0 R 2 0 R]").replace(b"/Count 1", b"/Count 2"))


def hostile_cases() -> dict[str, tuple[str, Callable[[], bytes]]]:
    """name → (what a reader should do, the bytes)."""
    three = pdf_bytes(["Page one text", "Page two text", "Page three text"])
    glyphs = b"BT /F1 1 Tf " + b"".join(b"%d %d Td (a) Tj " % (1, 0) for _ in range(200_000)) + b"ET"
    return {
        "加密（RC4，需密码）": ("拒绝：已加密", lambda: _encrypted("secret", "RC4-128")),
        "加密（AES-256，需密码）": ("拒绝：已加密", lambda: _encrypted("secret", "AES-256")),
        "加密（RC4，空用户密码）": ("读出", lambda: _encrypted("", "RC4-128")),
        "加密（AES-256，空用户密码）": ("读出", lambda: _encrypted("", "AES-256")),
        "截断（前60字节）": ("拒绝：已损坏", lambda: three[:60]),
        "截断（后30%丢失）": ("读出可读部分或拒绝", lambda: three[: int(len(three) * 0.7)]),
        "乱码（PDF头＋随机字节）": ("拒绝：已损坏", lambda: b"%PDF-1.4\n" + os.urandom(2000)),
        "无文字层（3页）": ("拒绝：无文字层", lambda: pdf_bytes(["", "", ""], draw_only=True)),
        "超大页面（20万点见方）": ("读出", lambda: pdf_page(b"BT /F1 14 Tf 72 720 Td (Huge page) Tj ET",
                                                   media_box="0 0 200000 200000")),
        "600页": ("拒绝：超过页数上限", lambda: pdf_bytes(["p"] * 600)),
        "页面树自环": ("读出或拒绝", _page_tree_loop),
        "20万个文字对象的一页": ("读出或超时拒绝", lambda: pdf_page(glyphs)),
        "解压炸弹（1 GB 内容流，约 1 MB）": ("拒绝，内存有界", lambda: pdf_page(_bomb(10 ** 9), filters="/FlateDecode")),
        "双层解压炸弹（300 MB，约 1 KB）": ("拒绝，内存有界", lambda: pdf_page(
            zlib.compress(_bomb(3 * 10 ** 8), 9), filters="[/FlateDecode /FlateDecode]")),
    }


def hostile_one(path: Path, reader: str) -> dict[str, object]:
    """Read one hostile case with one reader (run in a process of its own)."""
    data = path.read_bytes()
    start = time.perf_counter()
    try:
        tree = pages_document(READERS[reader](data), "x.pdf")
        outcome = f"读出 {sum(len(b.text) for b in tree.blocks)} 字（{tree.source.pages} 页）"
    except InputError as error:
        outcome = f"InputError：{error}"
    except Exception as error:  # what a reader let through (the pypdf reader turned any into a message)
        outcome = f"{type(error).__name__}：{str(error)[:80]}"
    return {"outcome": outcome, "seconds": time.perf_counter() - start,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def hostile_report(timeout: float, folder: Path) -> None:
    print("\n## 恶意与异常输入（每项在单独进程中读取：提取＋段落；峰值内存含进程本身约 120 MB）")
    for n, (case, (expected, make)) in enumerate(hostile_cases().items()):
        print(f"\n{case}（应：{expected}）")
        try:
            data = make()
        except Exception as error:  # e.g. pypdf cannot write AES without the cryptography package
            print(f"  无法生成：{type(error).__name__}：{str(error)[:80]}")
            continue
        path = folder / f"hostile-{n}.pdf"
        path.write_bytes(data)
        for reader in ("pypdf", "ours"):
            command = [sys.executable, __file__, "--hostile-file", str(path), "--reader", reader]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
            except subprocess.TimeoutExpired:
                print(f"  {reader:<6} 超过 {timeout:.0f} 秒未结束（已停止）")
                continue
            if done.returncode != 0:
                print(f"  {reader:<6} 进程异常退出（退出码 {done.returncode}）：{done.stderr.strip()[-120:]}")
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"  {reader:<6} {result['outcome']}；{result['seconds']:.2f} s；峰值内存 {result['rss_mb']:.0f} MB")


# -- main -------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per reader")
    parser.add_argument("--no-generate", action="store_true", help="without the LibreOffice-converted forms")
    parser.add_argument("--show", type=int, default=6, help="documents with the most differences to show")
    parser.add_argument("--hostile-timeout", type=float, default=120.0, help="seconds per hostile case and reader")
    parser.add_argument("--hostile-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--reader", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.hostile_file:
        print(json.dumps(hostile_one(args.hostile_file, args.reader), ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory() as tmp:
        report(args, collected(not args.no_generate, Path(tmp)), Path(tmp))


def report(args: argparse.Namespace, pdfs: list[Pdf], folder: Path) -> None:
    """Speed, text and hostile inputs, printed."""
    import pypdf
    import pypdfium2

    groups = Counter(p.group for p in pdfs)
    print(f"PDF：{len(pdfs)} 份（{'，'.join(f'{g} {n}' for g, n in groups.items())}）；pypdf {pypdf.__version__}，"
          f"pypdfium2 {pypdfium2.PYPDFIUM_INFO}（PDFium {pypdfium2.PDFIUM_INFO}）；{os.cpu_count()} 核；"
          f"负载 {os.getloadavg()[0]:.2f}；单进程")
    print(f"\n## 速度（全部 {len(pdfs)} 份轮流计时，每个读取器约 {args.seconds:.0f} 秒）")
    for name, (docs, pages) in speeds(pdfs, args.seconds).items():
        print(f"  {name:<12}{docs:>8.1f} 份/秒{pages:>9.1f} 页/秒")
    text_report(pdfs, args.show)
    hostile_report(args.hostile_timeout, folder)


if __name__ == "__main__":
    main()
