"""Adding an agreement element touches three product files: its catalogue entry (corpus/forms.yaml),
its line in the template and its rule (checkers/rules/data). Shown with a throw-away element on a copy
of the packages: the copy loads (the registry holds rules and catalogue to each other), the generated
agreement prints the element and checks clean, and the agreement without it gets the element's finding.

(The suite asks more of a real element: its rule's passing and failing fixtures and doc page, and the
SPEC §2 list in tests/checkers/test_rules.py, which mirrors the specification.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..conftest import ROOT, TEST_TODAY

PACKAGES = ["ecokernel", "ecodoc", "corpus", "casefile", "procedure", "checkers", "docgen", "templates"]

CATALOGUE_LINE = "    - {id: force_majeure, rule: AGR-FORCE-MAJEURE, heading: 不可抗力因素的处理, field: agreement.force_majeure}\n"
NEW_CATALOGUE_LINE = "    - {id: confidentiality, rule: AGR-CONFIDENTIALITY, heading: 保密约定, model_text: true}\n"
TEMPLATE_ANCHOR = "<h2>（四）其他事项</h2>"
NEW_TEMPLATE_LINES = "<h2>（四）保密约定</h2>\n<p>双方对磋商中知悉的商业秘密负有保密义务。</p>\n"
NEW_RULE = """
  - code: AGR-CONFIDENTIALITY
    title: 保密约定
    element: agreement.confidentiality
    basis: ['guangxi:21']
    headings: ['保密约定']
    patterns: ['保密义务']
    message: 协议未约定保密义务
    suggestion: 约定双方对磋商中知悉的商业秘密负有保密义务。
    doc: 试验用的要素（tests/e2e/test_new_element.py）。
"""

SCRIPT = """
import json, sys
from pathlib import Path
from casefile.validation import load_case
from checkers.check import check_text
from checkers.rules.registry import load_rules
from corpus.forms import elements
from docgen.render.render import render_form

case = load_case(Path(sys.argv[1]))
text = render_form(case, "agreement").plain_text()
cut = text.replace("保密约定", "其他").replace("双方对磋商中知悉的商业秘密负有保密义务。", "")
found = lambda t: [f.rule for f in check_text(t, kind="agreement", jurisdiction=case.jurisdiction).findings
                   if f.severity == "error"]
print(json.dumps({"catalogued": "agreement.confidentiality" in elements(),
                  "rule": load_rules()["AGR-CONFIDENTIALITY"].element,
                  "printed": "保密约定" in text, "whole": found(text), "cut": found(cut)}, ensure_ascii=False))
"""


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{path}: anchor {old!r}"
    path.write_text(text.replace(old, new), "utf-8")


def test_a_new_agreement_element_needs_the_catalogue_the_template_and_the_rule(tmp_path: Path):
    copy = tmp_path / "src"
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    _edit(copy / "corpus" / "forms.yaml", CATALOGUE_LINE, CATALOGUE_LINE + NEW_CATALOGUE_LINE)
    _edit(copy / "templates" / "common" / "forms" / "agreement.xml.j2", TEMPLATE_ANCHOR,
          NEW_TEMPLATE_LINES + TEMPLATE_ANCHOR)
    rules = copy / "checkers" / "rules" / "data" / "10-agreement.yaml"
    rules.write_text(rules.read_text("utf-8").rstrip("\n") + "\n" + NEW_RULE, "utf-8")
    example = ROOT / "examples" / "guangxi-cadmium-unit-installments.yaml"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "PYTHONPATH": str(copy),
           "ECOCLAIM_TODAY": TEST_TODAY, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(example)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["catalogued"] and result["rule"] == "agreement.confidentiality" and result["printed"]
    assert "AGR-CONFIDENTIALITY" not in result["whole"]
    assert "AGR-CONFIDENTIALITY" in result["cut"]
