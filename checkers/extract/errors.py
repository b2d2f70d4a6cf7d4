"""The one error type readers raise: the input cannot be read, with a complete Chinese message."""

from __future__ import annotations

from ecokernel.errors import UserError


class InputError(UserError):
    """A document that cannot be read: empty, oversized, corrupt, encrypted, hostile or unknown.

    Readers raise it instead of returning a partial result; the CLI turns it into exit code 2.
    """
