"""Reading the materials a case file supplies (PDF, JPG, PNG) as hostile input.

A file is read once, within a size limit, and recognised by its content, not its name. A PDF must
open without a password, have pages within the limit and every page a usable size; an image must
have a sane header and pixel count. Every problem of every material is collected and reported in
one Chinese message naming the material (``materials[i]``, its name and path) — never a traceback.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from casefile.model import Material
from corpus.filing import FilingLimits, filing
from ecokernel.errors import UserError
from ecokernel.sourcefile import os_error_text

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: JPEG start-of-frame markers that carry the image size (not DHT C4, JPG C8, DAC CC)
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class MaterialError(UserError):
    """One or more supplied materials cannot be used (the message lists every one)."""


@dataclass(frozen=True)
class Loaded:
    """A supplied file, read and checked: its bytes, what it is and how many pages it makes."""

    index: int
    material: Material
    path: Path
    data: bytes
    kind: Literal["pdf", "jpeg", "png"]
    pages: int
    size: tuple[int, int] = (0, 0)  # image width and height in pixels


class _Bad(Exception):
    """A problem with one file (its Chinese description)."""


def _read(path: Path, limits: FilingLimits) -> bytes:
    try:
        if not path.is_file():
            raise _Bad("找不到文件" if not path.exists() else "不是普通文件")
        with path.open("rb") as fh:
            data = fh.read(limits.file_bytes + 1)
    except OSError as exc:
        raise _Bad(f"无法读取：{os_error_text(exc)}") from None
    if len(data) > limits.file_bytes:
        raise _Bad(f"文件超过 {limits.file_bytes // 1_000_000} MB 的上限，请压缩或分拆后再提供")
    if not data:
        raise _Bad("文件是空的")
    return data


def _pdf_pages(data: bytes, limits: FilingLimits) -> int:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _Bad("PDF 已加密（设有密码或权限限制），请提供未加密的文件")
        count = len(reader.pages)
        if count == 0:
            raise _Bad("PDF 没有页面")
        if count > limits.pdf_pages:
            raise _Bad(f"PDF 有 {count} 页，超过 {limits.pdf_pages} 页的上限")
        for number, page in enumerate(reader.pages, 1):
            box = page.cropbox
            if not (0 < float(box.width) < 15000 and 0 < float(box.height) < 15000):
                raise _Bad(f"PDF 第{number}页的页面尺寸无效")
        return count
    except _Bad:
        raise
    except Exception as exc:  # a hostile file can break pypdf in any of its code paths
        raise _Bad(f"PDF 已损坏或格式无效，无法读取（{type(exc).__name__}）") from None


def _png_size(data: bytes) -> tuple[int, int]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise _Bad("PNG 图片已损坏（缺少文件头）")
    return struct.unpack(">II", data[16:24])


def _jpeg_size(data: bytes) -> tuple[int, int]:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise _Bad("JPG 图片已损坏（标记错误）")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if marker in _SOF:
            if pos + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return width, height
        if length < 2:
            break
        pos += 2 + length
    raise _Bad("JPG 图片已损坏（找不到图像尺寸）")


def _sniff(data: bytes, limits: FilingLimits) -> tuple[Literal["pdf", "jpeg", "png"], int, tuple[int, int]]:
    if b"%PDF-" in data[:1024]:
        return "pdf", _pdf_pages(data, limits), (0, 0)
    if data.startswith(PNG_MAGIC) or data[:3] == b"\xff\xd8\xff":
        kind: Literal["jpeg", "png"] = "png" if data.startswith(PNG_MAGIC) else "jpeg"
        width, height = _png_size(data) if kind == "png" else _jpeg_size(data)
        if width <= 0 or height <= 0:
            raise _Bad("图片尺寸无效")
        if width * height > limits.image_pixels:
            raise _Bad(f"图片有 {width}×{height} 像素，超过上限（{limits.image_pixels // 1_000_000} 百万像素）")
        return kind, 1, (width, height)
    raise _Bad("文件内容不是 PDF、JPG 或 PNG（可能是改了扩展名的其他文件）")


def load_materials(case_dir: Path, materials: list[tuple[int, Material]]) -> list[Loaded]:
    """Read and check each supplied material; raises MaterialError listing every unusable one."""
    limits = filing().limits
    loaded: list[Loaded] = []
    problems: list[str] = []
    total = 0
    for index, material in materials:
        path = case_dir / material.path
        try:
            data = _read(path, limits)
            kind, pages, size = _sniff(data, limits)
        except _Bad as bad:
            problems.append(f"材料“{material.name}”（materials[{index}]，{material.path}）：{bad}")
            continue
        total += len(data)
        loaded.append(Loaded(index, material, path, data, kind, pages, size))
    if total > limits.pack_bytes:
        problems.append(f"所附材料共 {total // 1_000_000} MB，超过一次提交 {limits.pack_bytes // 1_000_000} MB 的上限")
    if problems:
        raise MaterialError("以下材料无法使用，请更换后重试：\n" + "\n".join(f"  {p}" for p in problems))
    return loaded


def reader(data: bytes) -> Any:
    """A pypdf reader of bytes already checked by :func:`load_materials`."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data), strict=False)
