"""Base model configuration shared by every part of the case model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Strict about unknown keys (a typo in a case file is an error, not silently ignored)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_default=True,
                              populate_by_name=True)
