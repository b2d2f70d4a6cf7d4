"""Writing a file atomically: a temporary file in the same folder, synced, then renamed over the
target, so a reader never sees half a file and a failure leaves nothing behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from ecokernel.errors import UserError
from ecokernel.sourcefile import os_error_text


def check_target(path: Path, force: bool) -> None:
    if path.is_dir():
        raise UserError(f"这是一个目录，不能写入：{path}")
    if path.exists() and not force:
        raise UserError(f"文件已存在：{path}（如要覆盖，请加 --force）")


def write_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Create ``path`` with what ``write`` writes to a binary file object."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise UserError(f"无法写入 {path}：{os_error_text(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise UserError(f"无法写入 {path}：{os_error_text(exc)}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
