"""Thin adapters over the packages the service calls, imported lazily.

The service has no logic of its own; these functions only call ``docgen`` / ``checkers`` and shape
the result for HTTP. A package that is not installed yet (absent module) becomes a 501 problem;
any other import failure is a bug and surfaces as one.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from service.problems import ApiError

FEATURES = {
    "docgen.writers": "文书生成（DOCX/PDF/HTML/Markdown 写出）",
    "docgen.dossier": "案卷生成（多份文书与清单）",
    "procedure.stage": "办案阶段（可生成的文书）",
    "procedure.timeline": "办案期限",
    "checkers.check": "文书审查",
    "checkers.report": "审查报告（SARIF/HTML）",
    "checkers.rules": "审查规则库",
}


def require(module: str) -> ModuleType:
    """Import ``module``; a 501 problem if it (or its package) is not there yet."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            feature = next((v for k, v in FEATURES.items() if module.startswith(k)), module)
            raise ApiError(501, "not-implemented", "功能尚未提供",
                           f"{feature}功能尚未安装（缺少模块 {module}）") from None
        raise


def available(module: str) -> bool:
    try:
        require(module)
    except ApiError:
        return False
    return True
