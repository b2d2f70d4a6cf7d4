"""Every command's help reads in Chinese: typer's own words (usage prefix, headings, the help option,
default and required marks) are translated whatever the locale (issue 12 §7)."""

from __future__ import annotations

import re

import pytest
import typer

import cli


def _command_paths(group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, command in getattr(group, "commands", {}).items():
        paths += _command_paths(command, (*prefix, name))
    return paths


PATHS = _command_paths(typer.main.get_command(cli.app))
ENGLISH = re.compile(r"Usage|Options|Commands|Arguments|Show this message|\[default:|\[required\]|\[OPTIONS\]")


def test_every_command_is_visited():
    assert len(PATHS) > 20 and ("check",) in PATHS and ("db", "user") in [p[:2] for p in PATHS]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "ecoclaim")
def test_help_has_no_english_frame(path, capsys):
    assert cli.main([*path, "--help"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("用法：ecoclaim")
    assert "显示本帮助并退出。" in text
    assert ENGLISH.findall(text) == []


def test_version_is_printed(capsys):
    from ecokernel.version import product_version

    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"ecoclaim {product_version()}"


def test_tables_written_to_a_pipe_are_not_squeezed_to_80_columns():
    """``ecoclaim timeline … > 期限.txt``: the step names stay whole (UX-REVIEW §1.1)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(cli.__file__).resolve().parent
    env = {k: v for k, v in __import__("os").environ.items() if k != "COLUMNS"}
    run = subprocess.run([sys.executable, "cli.py", "timeline", "examples/zhangye-sand-mining-person.yaml",
                          "--on", "2025-06-01"], cwd=root, capture_output=True, text=True, env=env, check=False)
    assert run.returncode in (0, 1), run.stderr
    assert "线索初步核查" in run.stdout
