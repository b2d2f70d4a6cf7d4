"""The bundled example cases (``examples/*.yaml``): served to the web page and used as OpenAPI examples."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from ecokernel.sourcefile import json_ready, parse_yaml

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"


@functools.cache
def example_files() -> dict[str, Path]:
    if not EXAMPLES_DIR.is_dir():
        return {}
    return {p.name: p for p in sorted(EXAMPLES_DIR.glob("*.yaml"))}


def example_text(name: str) -> str | None:
    path = example_files().get(name)
    return path.read_text("utf-8") if path else None


def example_title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#"):
            return line.lstrip("# ").removeprefix("示例案件（虚构）：")
        if line:
            break
    return ""


@functools.cache
def example_json(name: str) -> dict[str, Any] | None:
    """The example as JSON-compatible data (dates as ISO strings, amounts as decimal strings)."""
    text = example_text(name)
    if text is None:
        return None
    data, _ = parse_yaml(text)
    return json.loads(json.dumps(json_ready(data), ensure_ascii=False))


def openapi_case_body(description: str) -> dict[str, Any]:
    """The OpenAPI requestBody of endpoints that take a case file (JSON or YAML)."""
    json_examples = {}
    yaml_examples = {}
    for name in example_files():
        key = name.removesuffix(".yaml")
        text = example_text(name) or ""
        summary = example_title(text) or key
        json_examples[key] = {"summary": summary, "value": example_json(name)}
        yaml_examples[key] = {"summary": summary, "value": text}
    return {"requestBody": {
        "required": True,
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Case"}, "examples": json_examples},
            "application/yaml": {"schema": {"type": "string", "description": "YAML 案件数据文件"},
                                 "examples": yaml_examples},
        },
    }}
