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
