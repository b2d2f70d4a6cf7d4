"""A zip archive opened defensively (DOCX files to check, reference DOCX files to copy styles from):
bombs, traversal paths and lying directories are refused.

Every check that can be made from the directory is made before any member is inflated; reading
is capped anyway, because the directory can lie (zipfile stops at the declared size and then
fails the CRC check, which we report as a damaged file).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from ecokernel.errors import InputError

MB = 1024 * 1024
# Limits (generous for real documents, small against attacks; documented in the README).
#: Most members a DOCX zip may have (real documents have 10–200).
MAX_ZIP_MEMBERS = 1000
#: Sum of the uncompressed sizes declared in the zip directory.
MAX_ZIP_TOTAL_BYTES = 50 * MB
#: Largest single XML part we read (document.xml of a very long document is a few MB).
MAX_XML_PART_BYTES = 30 * MB
#: Highest compression ratio accepted for a member above ``RATIO_MIN_BYTES`` uncompressed.
MAX_COMPRESSION_RATIO = 100
#: Below this uncompressed size a high ratio is harmless (small repetitive XML parts).
RATIO_MIN_BYTES = 1 * MB
#: Deepest member path accepted (``a/b/c`` has depth 3).
MAX_PATH_DEPTH = 12


_EOCD = b"PK\x05\x06"
_DRIVE = re.compile(r"^[A-Za-z]:")
_SUPPORTED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class SafeZip:
    """Read-only access to the members of a checked zip archive held in memory."""

    def __init__(self, data: bytes, what: str = "DOCX 文件", action: str = "审查") -> None:
        """``what`` names the file in messages, ``action`` what the user does after fixing it (审查, 导入)."""
        self.what = what
        self.action = action
        _check_entry_count(data, what)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
                struct.error, UnicodeDecodeError):
            raise InputError(f"{what}已损坏或不完整（压缩包结构无法读取），请重新保存或重新导出后再{action}") from None
        _check_members(infos, what, action)
        self._infos = {info.filename: info for info in infos}
        self._read_total = 0

    def names(self) -> list[str]:
        return list(self._infos)

    def __contains__(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str, limit: int = MAX_XML_PART_BYTES) -> bytes | None:
        """The member's bytes, or None if absent; refuses more than ``limit`` bytes."""
        info = self._infos.get(name)
        if info is None:
            return None
        if info.file_size > limit:
            raise InputError(f"{self.what}中的部件 {name} 解压后有 {info.file_size / MB:.1f} MB，"
                             f"超过 {limit // MB} MB 的上限，拒绝读取")
        try:
            with self._zip.open(info) as member:
                data = member.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
            raise InputError(f"{self.what}已损坏（部件 {name} 无法解压或校验失败），请重新保存后再{self.action}") from None
        self._read_total += len(data)
        if len(data) > limit or self._read_total > MAX_ZIP_TOTAL_BYTES:
            raise InputError(f"{self.what}解压后的内容超过上限（可能是“压缩炸弹”），拒绝读取")
        return data


def _check_entry_count(data: bytes, what: str) -> None:
    """Refuse a huge member count from the end-of-directory record, before parsing the directory."""
    position = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if position < 0 or position + 22 > len(data):
        return  # zipfile will report the damage
    (entries,) = struct.unpack_from("<H", data, position + 10)
    if entries != 0xFFFF and entries > MAX_ZIP_MEMBERS:
        raise _too_many(entries, what)


def _too_many(count: int, what: str) -> InputError:
    return InputError(f"{what}的压缩包中有 {count} 个部件，超过 {MAX_ZIP_MEMBERS} 个的上限，"
                      "不像正常的文书，拒绝读取")


def _check_members(infos: list[zipfile.ZipInfo], what: str, action: str) -> None:
    if len(infos) > MAX_ZIP_MEMBERS:
        raise _too_many(len(infos), what)
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        _check_name(name, what)
        if name in seen:
            raise InputError(f"{what}的压缩包中部件 {name} 出现了两次，文件结构异常，拒绝读取")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise InputError(f"{what}的压缩包部件已加密，请先解除密码保护后再{action}")
        if info.compress_type not in _SUPPORTED_METHODS:
            raise InputError(f"{what}使用了不支持的压缩方式（部件 {name}），请用 Word 或 WPS 重新保存后再{action}")
        total += info.file_size
        if total > MAX_ZIP_TOTAL_BYTES:
            raise InputError(f"{what}解压后超过 {MAX_ZIP_TOTAL_BYTES // MB} MB 的上限（可能是“压缩炸弹”），拒绝读取")
        if (info.file_size > RATIO_MIN_BYTES
                and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
            ratio = info.file_size // max(info.compress_size, 1)
            raise InputError(f"{what}中的部件 {name} 压缩比高达 {ratio}:1，超过 {MAX_COMPRESSION_RATIO}:1 的上限"
                             "（可能是“压缩炸弹”），拒绝读取")


def _check_name(name: str, what: str) -> None:
    parts = re.split(r"[/\\]", name)
    bad = (not name or "\0" in name or name.startswith(("/", "\\")) or _DRIVE.match(name)
           or ".." in parts or len([p for p in parts if p]) > MAX_PATH_DEPTH)
    if bad:
        raise InputError(f"{what}的压缩包中有非法的部件路径（{name[:80]!r}：绝对路径、“..”或层级过深），拒绝读取")
