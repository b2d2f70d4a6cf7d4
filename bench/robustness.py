"""Robustness of the checker to how a document reaches it: the same text hard-wrapped as mail or an
office system exports it, with and without blank lines between paragraphs, in UTF-8 and in GBK.

    .venv/bin/python bench/robustness.py                    # the dev part, wrapped at 30 and 36 characters
    .venv/bin/python bench/robustness.py --width 40 --details
    .venv/bin/python bench/robustness.py --pdf 4            # also every 4th DOCX converted to PDF by LibreOffice

For every document of the part, the checker's findings on the file itself (kind and jurisdiction
detected) are compared with its findings on the document's own text written out as a plain-text file,
every paragraph cut every ``width`` characters (inside words, numbers and codes alike). A reader that
understands hard-wrapped text gives the same findings; each difference is a rule the wrapping made fire
or fall silent. Documents laid out in tables lose their structure in plain text, so some differences
there are expected; prose documents should have none. With ``--pdf N`` every N-th DOCX is also converted
to PDF by LibreOffice (headless) and its findings compared with the DOCX's.

Measures the dev part by default: a difference is looked at to improve the reader, and a test document
looked at stops being blind (see bench/blind/README.md). Not a test: it measures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checkers.check import check_file, read_file  # noqa: E402

PARTS = ("dev", "test")
FORMATS = (".txt", ".docx", ".pdf", ".md", ".html")


def wrapped(text: str, width: int, blank_lines: bool) -> str:
    """``text`` with every paragraph cut every ``width`` characters."""
    paragraphs = [line for line in text.split("\n") if line.strip()]
    cut = ["\n".join(p[i:i + width] for i in range(0, len(p), width)) for p in paragraphs]
    return ("\n\n" if blank_lines else "\n").join(cut)


def findings(path: Path, **kwargs: str | None) -> set[tuple[str, str]]:
    return {(f.rule, f.severity) for f in check_file(path, **kwargs).findings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=PARTS, default="dev")
    parser.add_argument("--width", type=int, action="append", help="characters per line (default 30 and 36)")
    parser.add_argument("--details", action="store_true", help="list each document whose findings changed")
    parser.add_argument("--pdf", type=int, metavar="N", help="also convert every N-th DOCX to PDF and compare")
    args = parser.parse_args()
    widths = args.width or [30, 36]
    files = sorted(p for p in (ROOT / "bench" / "blind" / args.part).glob("*/*") if p.suffix in FORMATS)
    variants = [(w, blank, encoding) for w in widths for blank in (True, False)
                for encoding in (("utf-8", "gbk") if w == widths[0] and blank else ("utf-8",))]
    print(f"{args.part}：{len(files)} 份；每份的文字按每行 N 字硬换行后另存为纯文本，与原文件的审查结果比较")
    with tempfile.TemporaryDirectory() as tmp:
        originals = {}
        for path in files:
            report = check_file(path)
            originals[path] = (report.doc_type, report.jurisdiction,
                               {(f.rule, f.severity) for f in report.findings}, read_file(path).text)
        for width, blank, encoding in variants:
            changed, lost, gained = 0, Counter(), Counter()
            lines = []
            for path, (kind, jurisdiction, before, text) in originals.items():
                target = Path(tmp) / f"{path.stem}.txt"
                try:
                    target.write_bytes(wrapped(text, width, blank).encode(encoding))
                except UnicodeEncodeError:
                    target.write_bytes(wrapped(text, width, blank).encode("gb18030"))
                after = findings(target, kind=kind, jurisdiction=jurisdiction)
                if after != before:
                    changed += 1
                    lost.update(rule for rule, _s in before - after)
                    gained.update(rule for rule, _s in after - before)
                    lines.append(f"     {path.name}: 少 {sorted(before - after)} 多 {sorted(after - before)}")
            label = f"每行{width}字，{'段间空行' if blank else '段间无空行'}，{encoding.upper()}"
            print(f"== {label}：结果不变 {len(files) - changed}/{len(files)}（{(len(files) - changed) / len(files):.3f}）")
            print(f"   多报：{dict(gained.most_common(8))}")
            print(f"   漏报：{dict(lost.most_common(8))}")
            if args.details:
                print("\n".join(lines))
        if args.pdf:
            compare_pdf(originals, Path(tmp), args.pdf, args.details)
    return 0


def compare_pdf(originals: dict, tmp: Path, every: int, details: bool) -> None:
    """Every ``every``-th DOCX converted to PDF (LibreOffice headless), findings compared with the DOCX's."""
    sample = [p for p in originals if p.suffix == ".docx"][::every]
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp / 'lo'}", "--convert-to", "pdf",
                    "--outdir", str(tmp), *map(str, sample)], check=True, capture_output=True, timeout=1800)
    changed, lost, gained, lines = 0, Counter(), Counter(), []
    for path in sample:
        kind, jurisdiction, before, _text = originals[path]
        after = findings(tmp / f"{path.stem}.pdf", kind=kind, jurisdiction=jurisdiction)
        if after != before:
            changed += 1
            lost.update(rule for rule, _s in before - after)
            gained.update(rule for rule, _s in after - before)
            lines.append(f"     {path.name}: 少 {sorted(before - after)} 多 {sorted(after - before)}")
    print(f"== DOCX 转 PDF（LibreOffice，每{every}份取1份）：结果不变 {len(sample) - changed}/{len(sample)}")
    print(f"   多报：{dict(gained.most_common(8))}")
    print(f"   漏报：{dict(lost.most_common(8))}")
    if details:
        print("\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
