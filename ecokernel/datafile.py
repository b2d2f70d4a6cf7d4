"""Parsing YAML with libyaml when the machine has it: the same safe rules as ``yaml.safe_load``
(plain data only, no object construction), about ten times faster than pure-Python parsing.
Used for the product's own data (rules, vocabularies, profiles) and for user files that need no
line-level diagnostics; user case files go through ``ecokernel.sourcefile`` instead."""

from __future__ import annotations

from typing import IO, Any

import yaml

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(source: str | bytes | IO[str] | IO[bytes]) -> Any:
    """What ``yaml.safe_load(source)`` returns; raises ``yaml.YAMLError`` the same way."""
    return yaml.load(source, Loader=_SafeLoader)
