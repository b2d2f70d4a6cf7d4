"""The product's version, as installed (pyproject.toml's ``version``): one lookup for the CLI's
``--version``, the service's ``health`` and OpenAPI, and the dossier manifests."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache
def product_version() -> str:
    try:
        return version("ecoclaim")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
