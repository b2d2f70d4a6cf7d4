"""The one place where the product defers imports for start-up time.

A check of one text file should not pay for lxml, PDFium or the DOCX writer; so readers, writers and
reporters are tables of ``"module:function"`` names, imported on first use. Everywhere else imports
at the top of the module, so the import graph stays readable (tests/e2e/test_layers.py)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any


class LazyTable(Mapping[str, Callable[..., Any]]):
    """A read-only mapping of names to functions given as ``"package.module:function"``."""

    def __init__(self, what: str, entries: dict[str, str]) -> None:
        self.what = what
        self._entries = dict(entries)
        self._loaded: dict[str, Callable[..., Any]] = {}

    def __getitem__(self, name: str) -> Callable[..., Any]:
        if name not in self._loaded:
            if name not in self._entries:
                raise KeyError(f"unknown {self.what} {name!r} (known: {', '.join(self._entries)})")
            module, _, function = self._entries[name].partition(":")
            self._loaded[name] = getattr(importlib.import_module(module), function)
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
