"""ecokernel.files.write_atomically: all or nothing, and a check that can refuse the written file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecokernel.errors import UserError
from ecokernel.files import write_atomically


def test_writes_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "案件.yaml"
    write_atomically(target, lambda handle: handle.write(b"a: 1\n"))
    assert target.read_text("utf-8") == "a: 1\n"
    assert [p.name for p in target.parent.iterdir()] == ["案件.yaml"]


def test_a_refusing_check_keeps_the_old_file_and_sees_the_target_suffix(tmp_path: Path) -> None:
    target = tmp_path / "案件.yaml"
    target.write_text("old\n", "utf-8")
    seen: list[str] = []

    def refuse(written: Path) -> None:
        seen.append(written.suffix)
        raise UserError("写出的案件文件未通过校验")

    with pytest.raises(UserError, match="未通过校验"):
        write_atomically(target, lambda handle: handle.write(b"new\n"), check=refuse)
    assert seen == [".yaml"]
    assert target.read_text("utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["案件.yaml"]
