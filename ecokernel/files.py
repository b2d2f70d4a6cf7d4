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


def write_atomically(path: Path, write: Callable[[IO[bytes]], None], *,
                     check: Callable[[Path], None] | None = None) -> None:
    """Create or replace ``path`` with what ``write`` writes to a binary file object.

    ``check``, when given, is called with the written temporary file (it keeps the target's
    suffix) before it replaces ``path``; whatever it raises leaves ``path`` as it was."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".part{path.suffix}", dir=folder)
    except OSError as exc:
        raise UserError(f"无法写入 {path}：{os_error_text(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if check is not None:
            check(Path(temp))
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise UserError(f"无法写入 {path}：{os_error_text(exc)}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
