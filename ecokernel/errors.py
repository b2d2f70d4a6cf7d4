"""Errors that carry a message for the user (in Chinese).

Anything raised to the user boundary (CLI, HTTP) that is not a ``UserError`` is a bug.
"""

from __future__ import annotations


class UserError(Exception):
    """An error whose ``str()`` is a complete Chinese message for the user."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = []
        if self.path:
            where.append(self.path)
        if self.line is not None:
            where.append(f"第{self.line}行" + (f"第{self.column}列" if self.column is not None else ""))
        return (" ".join(where) + "：" if where else "") + self.message


class FormatError(UserError, ValueError):
    """A value (amount in words, date, document number, identifier…) is malformed."""


class CorpusError(UserError, KeyError):
    """A corpus address does not resolve, or the corpus data is inconsistent."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return UserError.__str__(self)


class CalendarError(UserError):
    """A holiday schedule file is malformed."""


class InputError(UserError):
    """A file that cannot be read: empty, oversized, corrupt, encrypted, hostile or unknown.

    Readers raise it instead of returning a partial result; the CLI turns it into exit code 2.
    """
