"""The checker's flat view of every fixture and benchmark document is what it was before the readers
produced a document tree (issue 9, hinge 2): the rules and the benchmark must not see a difference.

``tests/fixtures/extract/flat_views.json`` holds, per file, a digest of its flat view (format,
encoding, pages, warnings, and every block's index, kind, text, location and style), first written
by the readers of commit ded18f1, which built the flat blocks directly. The rule fixtures run in the
fast layer, the benchmark's documents in the slow one. A deliberate change of how a
document is read changes digests; then compare the benchmark (``bench/accuracy.py``) before and
after, and rewrite the file with ``python -m tests.checkers.test_flat_view``.
"""

from __future__ import annotations

import hashlib
import json
import sys

import pytest

from checkers.document import Document
from checkers.extract import read_document

from ..conftest import ROOT

GOLDEN = ROOT / "tests" / "fixtures" / "extract" / "flat_views.json"
SOURCES = ("tests/fixtures/rules", "bench/blind")
SUFFIXES = {".docx", ".pdf", ".txt", ".md", ".html"}


def digest(doc: Document) -> str:
    """A digest of everything the rules can see of a read document."""
    view = [doc.format, doc.encoding, doc.pages, doc.warnings,
            [[b.index, b.kind, b.text, b.location.model_dump(), b.style] for b in doc.blocks]]
    return hashlib.sha256(json.dumps(view, ensure_ascii=False).encode()).hexdigest()


def documents() -> list[str]:
    """The documents under the sources (not the notes beside them: bench/blind/RESULTS.md, README.md)."""
    return sorted(str(p.relative_to(ROOT)) for source in SOURCES for p in (ROOT / source).rglob("*")
                  if p.suffix.lower() in SUFFIXES and p.parent != ROOT / source)


GOLDEN_DIGESTS: dict[str, str] = json.loads(GOLDEN.read_text("utf-8")) if GOLDEN.exists() else {}


def test_the_golden_file_covers_the_fixtures():
    assert len(GOLDEN_DIGESTS) >= 400
    assert set(GOLDEN_DIGESTS) <= set(documents())


@pytest.mark.parametrize("path", [
    pytest.param(path, marks=pytest.mark.slow) if path.startswith("bench/") else path  # 400 files: ~10 s
    for path in sorted(GOLDEN_DIGESTS)])
def test_the_flat_view_is_unchanged(path):
    assert digest(read_document(ROOT / path, filename=path)) == GOLDEN_DIGESTS[path]


if __name__ == "__main__":  # rewrite the golden file from the readers as they are
    digests = {path: digest(read_document(ROOT / path, filename=path)) for path in documents()}
    GOLDEN.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", "utf-8")
    sys.stdout.write(f"{len(digests)} digests → {GOLDEN.relative_to(ROOT)}\n")
