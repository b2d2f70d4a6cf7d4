"""The template sandbox (RELIABILITY-REVIEW D1): a department's template reads case data and
nothing else. Every escape is tried through every object a form template can reach, and each ends
as a located template error — never as execution, a file read or "内部错误"."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jinja2.exceptions import SecurityError, TemplateError
from pydantic import BaseModel

from casefile.validation import load_case
from docgen.render.environment import environment
from docgen.render.render import RenderError, render_context, render_form

from ..conftest import ROOT, example_path

PICKLE = "cos\\nsystem\\n(S'touch {marker}'\\ntR."
# every pydantic class-level entry point that reads files, unpickles, or hands out the class
PYDANTIC_ESCAPES = [
    "parse_raw", "parse_file", "parse_obj", "construct", "copy", "json", "dict", "schema", "schema_json",
    "validate", "from_orm", "update_forward_refs", "model_dump", "model_dump_json", "model_validate",
    "model_validate_json", "model_construct", "model_copy", "model_fields", "model_config",
    "model_json_schema", "model_rebuild", "model_post_init",
]
CHAINS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ self.__init__.__globals__ }}",
    "{{ namespace().__init__ }}",
    "{{ ''|attr('__class__') }}",
    "{{ '{0.__class__}'.format(case) }}",
    "{{ '{0.parse_file}'.format(case) }}",
    "{{ case|attr('parse_file') }}",
    "{{ case['parse_file']('/etc/passwd') }}",
    "{{ case.claimant|attr('model_fields') }}",
    "{{ range(10**9)|length }}",
    "{{ range(10**30)|length }}",
    "{{ ('a' * 10**7)|length }}",
    "{{ 10 ** 100000000 }}",
]


def _objects(value: Any, path: str, depth: int = 0) -> Iterator[tuple[str, Any]]:
    """(expression, object) for every pydantic model reachable from ``value`` through fields."""
    if isinstance(value, BaseModel):
        yield path, value
        if depth > 6:
            return
        for name in type(value).model_fields:
            yield from _objects(getattr(value, name), f"{path}.{name}", depth + 1)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value[:2]):
            yield from _objects(item, f"{path}[{i}]", depth + 1)
    elif isinstance(value, dict):
        for key, item in list(value.items())[:3]:
            yield from _objects(item, f"{path}[{key!r}]", depth + 1)


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    case = load_case(example_path("zhangye"))
    return render_context(case, "agreement", today=date(2026, 1, 5))


def _reachable(context: dict[str, Any]) -> list[tuple[str, Any]]:
    seen: dict[int, tuple[str, Any]] = {}
    for name, value in context.items():
        for expr, obj in _objects(value, name):
            seen.setdefault(id(obj), (expr, obj))
    return list(seen.values())


def test_the_context_reaches_many_models(context):
    # the walk below must really cover the case, the profile and the form
    roots = {expr.split(".")[0].split("[")[0] for expr, _ in _reachable(context)}
    assert {"case", "profile", "form"} <= roots
    assert len(_reachable(context)) > 20


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_no_pydantic_entry_point_is_reachable_through_any_object(context, tmp_path):
    env = environment()
    marker = tmp_path / "PWNED"
    reachable = _reachable(context)
    for expr, _obj in reachable:
        for attr in PYDANTIC_ESCAPES:
            source = f"{{{{ {expr}.{attr} }}}}"
            with pytest.raises(SecurityError, match="模板只能读取案件数据"):
                env.from_string(source).render(context)
                pytest.fail(f"{source} was rendered")
        payload = PICKLE.format(marker=marker)
        source = f"{{{{ {expr}.parse_raw(\"{payload}\", proto='pickle', allow_pickle=True) }}}}"
        with pytest.raises(SecurityError):
            env.from_string(source).render(context)
    assert not marker.exists()


def test_fields_and_project_methods_stay_readable(context):
    env = environment()
    out = env.from_string("{{ case.case_name }}|{{ profile.param('sign_deadline_workdays') is not none }}"
                          "|{{ form.title_for(variant) }}").render(context)
    assert out.split("|")[0] == context["case"].case_name
    assert out.split("|")[2] == context["title"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("source", CHAINS)
def test_internal_chains_and_resource_bombs_are_refused(context, source):
    env = environment()
    with pytest.raises(TemplateError):  # SecurityError, or an undefined attribute of a Jinja helper
        env.from_string(source).render(context)


def _override(tmp_path: Path, body: str) -> Path:
    """A department template directory replacing zhangye's 索赔启动登记表 with ``body``."""
    folder = tmp_path / "overrides" / "zhangye"
    folder.mkdir(parents=True)
    (folder / "claim_start.xml.j2").write_text('<document title="x">\n<p>正文</p>\n' + body + "\n</document>\n",
                                                "utf-8")
    return tmp_path / "overrides"


@pytest.mark.parametrize("body", [
    "{{ form.parse_raw(\"" + PICKLE.format(marker="{marker}") + "\", proto='pickle', allow_pickle=True) }}",
    "{{ profile.parse_raw(\"" + PICKLE.format(marker="{marker}") + "\", proto='pickle', allow_pickle=True) }}",
    "{{ form.parse_file('/etc/passwd') }}",
    "{{ range(10**9)|length }}",
])
def test_render_form_reports_the_template_and_line(tmp_path, body):
    marker = tmp_path / "PWNED"
    overrides = _override(tmp_path, body.replace("{marker}", str(marker)))
    case = load_case(example_path("zhangye"))
    with pytest.raises(RenderError) as info:
        render_form(case, "claim_start", template_dirs=[overrides])
    assert "claim_start.xml.j2 第3行" in str(info.value)
    assert not marker.exists()


@pytest.mark.slow
def test_cli_pickle_payload_is_a_located_user_error(tmp_path):
    marker = tmp_path / "PWNED-cli"
    payload = PICKLE.format(marker=marker)
    overrides = _override(tmp_path, f"{{{{ case.claimant.parse_raw(\"{payload}\", proto='pickle', "
                                    "allow_pickle=True) }}")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "generate", str(example_path("zhangye")), "--form", "claim_start",
         "--format", "md", "-o", str(tmp_path / "out"), "--template-dir", str(overrides)],
        capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert result.returncode == 2, result.stderr
    assert "claim_start.xml.j2 第3行" in result.stderr + result.stdout
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr
    assert not marker.exists()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
