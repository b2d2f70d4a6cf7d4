"""Benchmark: checking documents — throughput per format, cold single-file CLI time, peak memory.

    .venv/bin/pip install -e '.[bench]'      # python-docx, the reading peer
    .venv/bin/python bench/check.py [--seconds 3]

The documents are the guangxi example's agreement as this tool writes it (about 5,000 characters),
as DOCX, PDF (one LibreOffice conversion) and UTF-8 text. Peers measured in the same run: python-docx
reading the DOCX's paragraph and table text, and pypdf extracting the PDF's text — i.e. only the
reading that our check also does, before it segments and runs 69 rules. The tool and its peer take
turns (``--rounds`` slices each), so that a change of load on a shared machine falls on both; the
rates are the medians of the rounds, the ratio is given per round. Not a test: numbers depend on the
machine and its load.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
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
from checkers.check import check_document  # noqa: E402
from checkers.extract import read_document  # noqa: E402
from docgen.render.render import render_form  # noqa: E402
from docgen.writers.docx import docx_bytes  # noqa: E402

CASE = ROOT / "examples" / "guangxi-cadmium-unit-installments.yaml"


def rate(fn: Callable[[], object], seconds: float) -> float:
    """Calls per second of ``fn`` over about ``seconds``."""
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        n += 1
    return n / (time.perf_counter() - start)


def rates(fns: list[Callable[[], object]], seconds: float, rounds: int) -> list[list[float]]:
    """Calls per second of each of ``fns`` in each of ``rounds`` rounds, the functions taking turns
    for ``seconds / rounds`` each (after two warm-up calls each: caches filled, the rule patterns
    read): on a machine shared with other work, a change of load falls on all of them alike."""
    for fn in fns:
        fn()
        fn()
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for k, fn in enumerate(fns):
            out[k].append(rate(fn, seconds / rounds))
    return out


EXTRA_TERMS = [
    "乙方应于每季度结束后10日内向甲方书面报告修复工程进度、资金使用和环境监测情况，并附监理单位意见及现场影像资料。",
    "修复期间，乙方应按照修复方案确定的频次对受损河段底泥和水体开展监测，监测数据同步报送甲方和属地生态环境分局。",
    "甲方有权随时对修复现场进行检查，发现修复工程不符合修复方案要求的，可以书面要求乙方限期整改，乙方应当按期整改到位。",
    "修复工程涉及的施工许可、临时占地、废物转移等手续由乙方依法办理，因此产生的费用由乙方承担，不计入本协议赔偿金额。",
    "本协议履行期间，乙方发生合并、分立、破产或者主要资产转让等重大事项的，应当提前30日书面告知甲方，并落实本协议义务的承继。",
    "甲方可以邀请人民检察院、相关行业专家和公众代表参与修复工程的监督和验收，乙方应当提供必要的便利。",
]


def documents(folder: Path) -> dict[str, Path]:
    case = load_case(CASE)
    agreement = case.agreement
    assert agreement is not None
    longer = agreement.model_copy(update={"other_terms": [*agreement.other_terms, *EXTRA_TERMS * 5]})
    tree = render_form(case.model_copy(update={"agreement": longer}), "agreement")  # about 5,000 characters
    docx = folder / "agreement.docx"
    docx.write_bytes(docx_bytes(tree))
    text = folder / "agreement.txt"
    text.write_text(tree.plain_text(), encoding="utf-8")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder / 'lo'}",
                    "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
                   check=True, capture_output=True, timeout=120)
    return {"docx": docx, "pdf": folder / "agreement.pdf", "txt": text}


def python_docx_read(path: Path) -> str:
    import docx  # python-docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pypdf_read(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def cold_cli(path: Path, repeat: int) -> tuple[float, int]:
    """Median wall time of ``cli.py check FILE`` (interpreter start included) and its peak RSS (KB)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", str(path), "--format", "json"],
                       capture_output=True, check=False, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per item")
    parser.add_argument("--rounds", type=int, default=6, help="turns the tool and its peer take within that time")
    parser.add_argument("--repeat", type=int, default=5, help="cold CLI runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        docs = documents(Path(tmp))
        chars = len(docs["txt"].read_text("utf-8"))
        load = os.getloadavg()[0]
        print(f"文书：广西示例的赔偿协议（{chars} 字）；{os.cpu_count()} 核；负载 {load:.2f}；单进程（即每核）\n")
        print(f"{'格式':<6}{'本工具：读取+审查':>16}{'对照：仅读取':>16}{'对照库':>14}    本工具为对照的（各轮）")
        peers = {"docx": ("python-docx", python_docx_read), "pdf": ("pypdf", pypdf_read), "txt": (None, None)}
        for fmt, path in docs.items():
            name, peer = peers[fmt]
            fns: list[Callable[[], object]] = [lambda p=path: check_document(read_document(p), "agreement", "guangxi")]
            if peer:
                fns.append(lambda p=path, f=peer: f(p))
            measured = rates(fns, args.seconds, args.rounds)
            ours = statistics.median(measured[0])
            theirs, times = "—", ""
            if peer:
                theirs = f"{statistics.median(measured[1]):>10.0f} 份/秒"
                ratios = sorted(a / b for a, b in zip(measured[0], measured[1], strict=True))
                times = f"    {statistics.median(ratios):.2f} 倍（{ratios[0]:.2f}—{ratios[-1]:.2f}）"
            print(f"{fmt:<6}{ours:>12.0f} 份/秒{theirs:>16}{name or '':>14}{times}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"\n本进程峰值内存（读取并审查以上全部文书数千次后）：{peak / 1024:.0f} MB")
        for fmt in ("txt", "docx"):
            wall, rss = cold_cli(docs[fmt], args.repeat)
            print(f"冷启动 `cli.py check` 单个 {fmt} 文件（含解释器启动，{args.repeat} 次中位数）：{wall:.2f} s"
                  f"（目标 ≤ 0.8 s）；子进程峰值内存 {rss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
