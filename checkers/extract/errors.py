"""The one error type readers raise: the input cannot be read, with a complete Chinese message.

It is the kernel's ``InputError`` (the hardened zip and XML layer in ``ecokernel`` raises it too)."""

from __future__ import annotations

from ecokernel.errors import InputError

__all__ = ["InputError"]
