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
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checkers.check import check_file, read_file  # noqa: E402
from docgen.writers.pdf import convert_to_pdf  # noqa: E402

PARTS = ("dev", "test")
FORMATS = (".txt", ".docx", ".pdf", ".md", ".html")


def wrapped(text: str, width: int, blank_lines: bool) -> str:
    """``text`` with every paragraph cut every ``width`` characters."""
    paragraphs = [line for line in text.split("\n") if line.strip()]
    cut = ["\n".join(p[i:i + width] for i in range(0, len(p), width)) for p in paragraphs]
    return ("\n\n" if blank_lines else "\n").join(cut)


def findings(path: Path, **kwargs: str | None) -> set[tuple[str, str]]:
    return {(f.rule, f.severity) for f in check_file(path, **kwargs).findings}


@dataclass
class Tally:
    """How many documents kept their findings under one variant, and which rules changed."""

    label: str
    documents: int = 0
    changed: list[str] = field(default_factory=list)
    lost: Counter[str] = field(default_factory=Counter)
    gained: Counter[str] = field(default_factory=Counter)

    def add(self, name: str, before: set[tuple[str, str]], after: set[tuple[str, str]]) -> None:
        self.documents += 1
        if after != before:
            self.lost.update(rule for rule, _s in before - after)
            self.gained.update(rule for rule, _s in after - before)
            self.changed.append(f"     {name}: 少 {sorted(before - after)} 多 {sorted(after - before)}")

    def print(self, details: bool) -> None:
        same = self.documents - len(self.changed)
        print(f"== {self.label}：结果不变 {same}/{self.documents}（{same / max(self.documents, 1):.3f}）")
        print(f"   多报：{dict(self.gained.most_common(8))}")
        print(f"   漏报：{dict(self.lost.most_common(8))}")
        if details:
            print("\n".join(self.changed))


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
            tally = Tally(f"每行{width}字，{'段间空行' if blank else '段间无空行'}，{encoding.upper()}")
            for path, (kind, jurisdiction, before, text) in originals.items():
                target = Path(tmp) / f"{path.stem}.txt"
                cut = wrapped(text, width, blank)
                try:
                    target.write_bytes(cut.encode(encoding))
                except UnicodeEncodeError:
                    target.write_bytes(cut.encode("gb18030"))
                tally.add(path.name, before, findings(target, kind=kind, jurisdiction=jurisdiction))
            tally.print(args.details)
        if args.pdf:
            compare_pdf(originals, Path(tmp), args.pdf, args.details)
    return 0


def compare_pdf(originals: dict, tmp: Path, every: int, details: bool) -> None:
    """Every ``every``-th DOCX converted to PDF (LibreOffice headless), findings compared with the DOCX's."""
    sample = [p for p in originals if p.suffix == ".docx"][::every]
    pdfs = convert_to_pdf(sample, tmp, timeout=1800)  # the product's own conversion (locked-down profile)
    tally = Tally(f"DOCX 转 PDF（LibreOffice，每{every}份取1份）")
    for path, pdf in zip(sample, pdfs, strict=True):
        kind, jurisdiction, before, _text = originals[path]
        tally.add(path.name, before, findings(pdf, kind=kind, jurisdiction=jurisdiction))
    tally.print(details)


if __name__ == "__main__":
    raise SystemExit(main())
