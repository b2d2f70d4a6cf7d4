"""One hardened zip/XML layer (issue 9, hinge 2): the DOCX reader and the reference-DOCX loader both
open packages with ``ecokernel.safezip`` and parse parts with ``ecokernel.safexml``, whose lxml parser
is one per thread — lxml parser objects must not be shared between threads — and no module keeps a
parser of its own at module level."""

from __future__ import annotations

import ast
import threading

import pytest

from ecokernel.errors import InputError
from ecokernel.safexml import parse_xml, thread_parser

from ..conftest import ROOT
from ..e2e.test_layers import _package_files

PARSERS = {"XMLParser", "HTMLParser", "XMLPullParser", "HTMLPullParser"}


def test_each_thread_parses_with_its_own_parser():
    seen: dict[str, list] = {}  # the parsers themselves: kept alive, their ids cannot be reused

    def run(name: str) -> None:
        seen[name] = [thread_parser(), thread_parser()]
        parse_xml(b"<a><b/></a>", "part.xml")

    threads = [threading.Thread(target=run, args=(str(n),)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = seen.values()
    assert first[0] is first[1] and second[0] is second[1]  # one parser per thread, kept
    assert first[0] is not second[0] and thread_parser() not in (first[0], second[0])


def test_a_doctype_is_refused():
    with pytest.raises(InputError, match="DTD"):
        parse_xml(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', "part.xml")


def test_no_module_keeps_a_parser_at_module_level():
    shared = []
    for paths in _package_files().values():
        for path in paths:
            for node in ast.parse(path.read_text("utf-8")).body:  # module level only
                for call in ast.walk(node):
                    if (isinstance(call, ast.Call) and isinstance(node, ast.Assign | ast.AnnAssign)
                            and getattr(call.func, "attr", getattr(call.func, "id", None)) in PARSERS):
                        shared.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert shared == []


@pytest.mark.parametrize("module", ["checkers/extract/docx.py", "docgen/writers/docx.py"])
def test_the_docx_reader_and_the_reference_loader_use_the_hardened_layer(module):
    imported = {(node.module, alias.name) for node in ast.walk(ast.parse((ROOT / module).read_text("utf-8")))
                if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert {("ecokernel.safezip", "SafeZip"), ("ecokernel.safexml", "parse_xml")} <= imported
    assert "zipfile.ZipFile(io.BytesIO(data" not in (ROOT / module).read_text("utf-8")
