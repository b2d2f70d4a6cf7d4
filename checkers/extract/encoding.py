"""Decode text files: BOMs first, then strict UTF-8, then UTF-16 by its NUL pattern, then GBK/GB18030.

The order matters: a UTF-16 file without BOM is valid UTF-8 when it is mostly ASCII (``a\\0b\\0``),
so text with NUL bytes is never taken as UTF-8; GB18030 accepts almost any byte pairs, so it comes
last, and what it yields is checked for control characters (binary data decodes "successfully").
"""

from __future__ import annotations

import codecs

from checkers.extract.errors import InputError
from checkers.extract.limits import MAX_CONTROL_SHARE

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)


def decode_text(data: bytes, *, what: str = "文本文件") -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding name)``; refuse binary data with InputError."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{what}以 {name.upper()} 字节顺序标记开头，但内容不是有效的 {name.upper()} 编码"
                                 f"（第{exc.start + len(bom)}字节处出错），文件可能已损坏") from None
            return _checked(text, what), name
    if b"\0" not in data:
        try:
            return _checked(data.decode("utf-8"), what), "utf-8"
        except UnicodeDecodeError:
            pass
    else:
        utf16 = _utf16_by_nuls(data)
        if utf16:
            try:
                return _checked(data.decode(utf16), what), utf16
            except UnicodeDecodeError:
                pass
        raise _binary(what)
    for codec in ("gbk", "gb18030"):
        try:
            return _checked(data.decode(codec), what), codec
        except UnicodeDecodeError:
            continue
    raise InputError(f"无法识别{what}的字符编码（支持 UTF-8、UTF-16、GBK、GB18030），"
                     "内容也可能不是文本；请另存为 UTF-8 编码后再审查")


def _utf16_by_nuls(data: bytes) -> str | None:
    """UTF-16 without BOM: ASCII characters (digits, newlines) put their NUL byte on one side."""
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    total = even + odd
    if total == 0:
        return None
    if odd >= 0.95 * total:
        return "utf-16-le"
    if even >= 0.95 * total:
        return "utf-16-be"
    return None


def _checked(text: str, what: str) -> str:
    """Refuse "text" that is mostly control characters: binary data that happened to decode."""
    if not text:
        return text
    controls = sum(1 for ch in text if (ch < " " and ch not in "\t\n\r\f") or ch == "\x7f")
    if controls > MAX_CONTROL_SHARE * len(text) + 1:
        raise _binary(what)
    return text


def _binary(what: str) -> InputError:
    return InputError(f"{what}的内容不是文字，而是二进制数据（可能是图片、压缩包或已损坏的文件），无法审查")
