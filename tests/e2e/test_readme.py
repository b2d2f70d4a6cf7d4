"""The README stays true: its Python example runs, and every command it lists exists."""

from __future__ import annotations

import re
import subprocess
import sys

from ..conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_interface_example_runs():
    [block] = re.findall(r"### Python 接口\n\n```python\n(.*?)```", README, re.S)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["report"].doc_type == "agreement"


def test_every_listed_command_has_help():
    commands = sorted(set(re.findall(r"^\| `ecoclaim ([a-z]+)", README, re.M)))
    assert {"validate", "generate", "check", "explain", "timeline", "serve", "schema", "corpus", "jurisdictions",
            "forms"} <= set(commands)
    for command in commands:
        result = subprocess.run([sys.executable, str(ROOT / "cli.py"), command, "--help"], capture_output=True,
                                text=True, cwd=ROOT, timeout=60)
        assert result.returncode == 0, (command, result.stderr)


def test_the_rule_count_the_readme_gives_is_the_registry_s():
    from checkers.rules.registry import load_rules

    [count] = re.findall(r"规则共(\d+)条", README)
    assert int(count) == len(load_rules())
