"""Parse XML from untrusted files (DOCX parts to check, reference DOCX parts): no DTD, no entities, no
network, no huge trees; one parser per thread (lxml parsers must not be shared between threads)."""

from __future__ import annotations

import threading

from lxml import etree

from ecokernel.errors import InputError

_DOCTYPE_MARKERS = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True)


_LOCAL = threading.local()  # lxml parser objects must not be shared between threads


def thread_parser() -> etree.XMLParser:
    """This thread's safe parser (no DTD, entities, network, comments or processing instructions)."""
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = _parser()
    return parser


def parse_xml(data: bytes, part: str, what: str = "DOCX 文件") -> etree._Element:
    """Parse one XML part; a DOCTYPE (entity bombs, external entities) is refused outright."""
    head = data[:4096]
    if any(marker in head for marker in _DOCTYPE_MARKERS) or b"<!ENTITY" in data:
        raise _doctype(part, what)
    try:
        root = etree.fromstring(data, parser=thread_parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{what}中的部件 {part} 不是有效的 XML（{_reason(exc)}），文件可能已损坏，"
                         "请重新保存后再审查") from None
    if root.getroottree().docinfo.doctype:
        raise _doctype(part, what)
    return root


def _doctype(part: str, what: str) -> InputError:
    return InputError(f"{what}中的部件 {part} 含有文档类型（DTD）或实体声明，正常的文书不会有，"
                      "可能是恶意构造的文件（实体炸弹或外部实体），拒绝读取")


def _reason(exc: etree.XMLSyntaxError) -> str:
    line = getattr(exc, "lineno", None)
    return f"第{line}行附近出错" if line else "语法错误"
