"""Files the register writes (backups, exports): refuse to overwrite unless asked, then write
atomically through the kernel's :func:`ecokernel.files.write_atomically`."""

from __future__ import annotations

from pathlib import Path

from ecokernel.errors import UserError
from ecokernel.files import write_atomically

__all__ = ["check_target", "write_atomically"]


def check_target(path: Path, force: bool) -> None:
    if path.is_dir():
        raise UserError(f"这是一个目录，不能写入：{path}")
    if path.exists() and not force:
        raise UserError(f"文件已存在：{path}（如要覆盖，请加 --force）")
