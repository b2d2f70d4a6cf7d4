"""Benchmark: DOCX generation against docxtpl in the same run, dossier and PDF times.

    .venv/bin/pip install -e '.[bench]'      # docxtpl + python-docx
    .venv/bin/python bench/generate.py [--case examples/zhangye-sand-mining-person.yaml] [--repeat 5]

For every form of the case: the same block tree is also laid down as a docxtpl template (built here
with python-docx: the same paragraphs and tables, merged cells included, each text a Jinja tag), and
docxtpl renders it from a context holding the texts. Times are medians. Not a test: numbers depend
on the machine and its load.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from casefile.validation import load_case  # noqa: E402
from corpus.forms import form_kinds  # noqa: E402
from docgen.render.render import render_form  # noqa: E402
from docgen.writers.common import table_grid  # noqa: E402
from docgen.writers.docx import docx_bytes  # noqa: E402
from ecodoc.tree import Document, Paragraph, Table  # noqa: E402


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def docxtpl_template(doc: Document, path: Path) -> dict[str, str]:
    """A docxtpl template with the paragraphs and tables of ``doc``; returns the render context."""
    import docx

    template = docx.Document()
    context: dict[str, str] = {}

    def tag(text: str) -> str:
        key = f"t{len(context)}"
        context[key] = text
        return "{{ " + key + " }}"

    for block in doc.blocks:
        if isinstance(block, Paragraph):
            template.add_paragraph(tag(block.text))
        elif isinstance(block, Table):
            columns, grid = table_grid(block)
            table = template.add_table(rows=len(grid), cols=columns)
            table.style = "Table Grid"
            for r, slots in enumerate(grid):
                for slot in slots:
                    if slot.continued:
                        continue
                    cell = table.cell(r, slot.column)
                    end = table.cell(min(r + slot.cell.rowspan, len(grid)) - 1, slot.column + slot.colspan - 1)
                    if end._tc is not cell._tc:
                        cell = cell.merge(end)
                    cell.text = tag("\n".join(p.text for p in slot.cell.blocks))
        else:
            template.add_page_break()
    template.save(str(path))
    return context


def docxtpl_render(path: Path, context: dict[str, str]) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(path))
    tpl.render(context, autoescape=True)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()


def cached_environment() -> Callable[[], None]:
    """What-if: one Jinja environment per process (render.py builds a new one per form). Returns undo."""
    import docgen.render.render as render_module

    original_env, original_lint = render_module.environment, render_module.lint_template
    cache = functools.lru_cache(maxsize=8)(lambda dirs: original_env(list(dirs) or None))
    render_module.environment = lambda template_dirs=None: cache(tuple(template_dirs or ()))
    render_module.lint_template = functools.lru_cache(maxsize=128)(original_lint)

    def undo() -> None:
        render_module.environment, render_module.lint_template = original_env, original_lint

    return undo


def cli_wall(args: list[str], repeat: int) -> float:
    def run() -> None:
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([sys.executable, str(ROOT / "cli.py"), *args, "-o", out], check=True,
                           capture_output=True, cwd=ROOT)

    run()  # warm the page cache and the LibreOffice profile cache
    return median_time(run, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=Path, default=ROOT / "examples" / "zhangye-sand-mining-person.yaml")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-pdf", action="store_true")
    opts = parser.parse_args()
    case = load_case(opts.case)
    kinds = list(form_kinds())
    print(f"案件 {opts.case.name}；{os.cpu_count()} 核；负载 {os.getloadavg()[0]:.2f}；每项取 {opts.repeat} 次中位数\n")
    print(f"{'文书':<22}{'docxtpl':>10}{'写出':>9}{'渲染+写出':>11}{'（环境缓存）':>12}{'写出比':>9}{'全程比':>9}{'缓存比':>9}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            doc = render_form(case, kind)
            template = Path(tmp) / f"{kind}.docx"
            context = docxtpl_template(doc, template)
            t_tpl = median_time(lambda: docxtpl_render(template, context), opts.repeat)  # noqa: B023
            t_write = median_time(lambda: docx_bytes(doc), opts.repeat)  # noqa: B023
            t_full = median_time(lambda: docx_bytes(render_form(case, kind)), opts.repeat)  # noqa: B023
            undo = cached_environment()
            render_form(case, kind)
            t_cached = median_time(lambda: docx_bytes(render_form(case, kind)), opts.repeat)  # noqa: B023
            undo()
            rows.append((t_tpl, t_write, t_full, t_cached))
            print(f"{kind:<24}{t_tpl * 1000:>9.1f}ms{t_write * 1000:>7.2f}ms{t_full * 1000:>9.1f}ms"
                  f"{t_cached * 1000:>10.1f}ms{t_write / t_tpl:>9.3f}{t_full / t_tpl:>9.2f}{t_cached / t_tpl:>9.2f}")
    tpl, write, full, cached = (statistics.median(col) for col in zip(*rows, strict=True))
    print(f"{'中位数':<22}{tpl * 1000:>9.1f}ms{write * 1000:>7.2f}ms{full * 1000:>9.1f}ms{cached * 1000:>10.1f}ms"
          f"{write / tpl:>9.3f}{full / tpl:>9.2f}{cached / tpl:>9.2f}   （目标 ≤ 0.2）\n")

    every_form = [arg for kind in kinds for arg in ("--form", kind)]
    t_docx = cli_wall(["generate", str(opts.case), *every_form, "--format", "docx"], opts.repeat)
    print(f"CLI generate：11 份 DOCX 的案卷  {t_docx:.2f} s（目标 ≤ 0.5 s）")
    t_all = cli_wall(["generate", str(opts.case), "--all", "--format", "docx"], opts.repeat)
    print(f"CLI generate --all --format docx（阶段允许的文书）  {t_all:.2f} s")
    if not opts.no_pdf:
        t_pdf = cli_wall(["generate", str(opts.case), *every_form, "--format", "pdf"], max(1, opts.repeat // 2))
        print(f"CLI generate：11 份 PDF 的案卷（含 LibreOffice 转换和文字核对）  {t_pdf:.2f} s（目标 ≤ 2 s）")


if __name__ == "__main__":
    main()
