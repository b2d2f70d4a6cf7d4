"""Decide a file's format from its content first (magic bytes) and its extension second.

Binary formats are recognised by content whatever the extension says (a PDF named .txt is read
as PDF); a file whose extension promises a binary format it does not have is refused with a
message naming both, because a renamed file is a sign the user picked the wrong one.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Literal

from checkers.extract.errors import InputError

Format = Literal["docx", "pdf", "txt", "md", "html"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Binary formats that are not documents we read: magic → what to call it.
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"BM", "BMP 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"RIFF", "RIFF 媒体文件（如 WebP 图片、WAV 音频）"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"\x7fELF", "可执行程序"),
    (b"MZ", "Windows 可执行程序"),
    (b"{\\rtf", "RTF 文档"),
    (b"%!PS", "PostScript 文件"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000 图片"),
)
_EXTENSIONS: dict[str, Format] = {
    ".docx": "docx", ".docm": "docx", ".dotx": "docx",
    ".pdf": "pdf",
    ".txt": "txt", ".text": "txt", ".csv": "txt", ".log": "txt",
    ".md": "md", ".markdown": "md", ".mdown": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}
_UNSUPPORTED = {
    ".doc": "这是旧版 Word（.doc）文件，请另存为 .docx 后再审查",
    ".wps": "这是 WPS 文字的旧格式（.wps），请另存为 .docx 后再审查",
    ".rtf": "这是 RTF 文档，请另存为 .docx 后再审查",
    ".odt": "这是 OpenDocument 文档（.odt），请另存为 .docx 后再审查",
    ".ofd": "这是 OFD 版式文件，暂不支持；请导出为 PDF 或 DOCX 后再审查",
    ".xls": "这是 Excel 表格，不是文书；请把文书另存为 .docx 后再审查",
    ".xlsx": "这是 Excel 表格，不是文书；请把文书另存为 .docx 后再审查",
    ".ppt": "这是 PowerPoint 演示文稿，不是文书；请把文书另存为 .docx 后再审查",
    ".pptx": "这是 PowerPoint 演示文稿，不是文书；请把文书另存为 .docx 后再审查",
}
_SUPPORTED = "支持的格式：.docx、.pdf、.txt、.md、.html"
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                         re.IGNORECASE | re.DOTALL)


def sniff(data: bytes, name: str) -> Format:
    """The format to read ``data`` as; raises InputError for formats we do not read."""
    extension = PurePath(name).suffix.lower()
    head = data[:1024].lstrip(b"\xef\xbb\xbf")
    if data.startswith(_OLE2):
        raise InputError(_ole2_message(data, extension))
    if data.startswith(_ZIP):
        if extension in _UNSUPPORTED and extension not in (".doc", ".rtf", ".wps", ".xls", ".ppt"):
            raise InputError(_UNSUPPORTED[extension])
        return "docx"  # the DOCX reader names other zip-based formats (xlsx, pptx, odt, OFD)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    for magic, what in _OTHER_MAGIC:
        if data.startswith(magic) and (len(magic) > 2 or _looks_binary(head)):
            if magic == b"{\\rtf":
                raise InputError(_UNSUPPORTED[".rtf"])
            raise InputError(f"文件内容是{what}，不是可审查的文书（{_SUPPORTED}）")
    expected = _EXTENSIONS.get(extension)
    if expected in ("docx", "pdf"):
        label = "DOCX" if expected == "docx" else "PDF"
        why = "文件已损坏，或是改了扩展名的其他文件" if _looks_binary(head) else "内容是纯文本，可能是改了扩展名的文本文件"
        raise InputError(f"文件扩展名是 {extension}，但内容不是 {label} 格式（{why}）；请确认选择了正确的文件")
    if extension in _UNSUPPORTED:
        raise InputError(_UNSUPPORTED[extension])
    if expected is not None:
        return expected
    if _HTML_START.match(head):
        return "html"
    if extension and _looks_binary(head):
        raise InputError(f"不支持的文件格式（{extension}）；{_SUPPORTED}")
    return "txt"  # no or unknown extension: read as text; the decoder refuses binary data


def _ole2_message(data: bytes, extension: str) -> str:
    """OLE2 compound files: old Office formats, or an encrypted (password-protected) OOXML file."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "文件已设置打开密码（加密的 Office 文档），请先解除密码保护并另存为 .docx 后再审查"
    if extension in (".xls", ".ppt"):
        return _UNSUPPORTED[extension]
    if extension == ".wps":
        return _UNSUPPORTED[".wps"]
    return "这是旧版 Word（.doc）文件，请另存为 .docx 后再审查"


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return controls > 0.05 * len(head)
