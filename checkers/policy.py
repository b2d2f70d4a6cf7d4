"""A department's playbook for the checker, and findings it has accepted.

The playbook is found the way ruff finds its settings: walking up from the checked file, the first
``ecoclaim.toml`` (or ``pyproject.toml`` with a ``[tool.ecoclaim]`` table) wins::

    jurisdiction = "nantong"              # default when the document does not say
    select = ["AGR-", "AMT-WORDS"]        # only these rules (codes or code prefixes); default: all
    ignore = ["REG-STATUS"]               # never these
    [severity]
    AGR-ALLOCATION = "error"              # a department's own weight for a rule

Accepted findings live beside the documents in ``.ecoclaim-accepted.yaml``: each entry names the
document by its SHA-256, the rule, the reason, who accepted it and when. A finding so accepted is
reported as 已接受 with its reason (in SARIF as a suppression), not as a problem; a changed document
has another hash, so its findings come back.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checkers.findings import AcceptedFinding, Finding, Report
from checkers.rules.registry import Rule, load_rules
from corpus.profiles import load_profiles
from ecokernel import datafile
from ecokernel.errors import UserError
from ecokernel.files import write_atomically

CONFIG_NAMES = ("ecoclaim.toml", "pyproject.toml")
ACCEPTED_NAME = ".ecoclaim-accepted.yaml"


class Policy(BaseModel):
    """Which rules run, at what severity, and the default jurisdiction."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    jurisdiction: str | None = Field(None, description="默认辖区")
    select: tuple[str, ...] = Field((), description="只运行这些规则（代码或代码前缀）；空为全部")
    ignore: tuple[str, ...] = Field((), description="不运行这些规则（代码或代码前缀）")
    severity: dict[str, Literal["error", "warning", "info"]] = Field(default_factory=dict,
                                                                     description="规则代码 → 严重程度")
    rules: tuple[str, ...] = Field((), description="本单位自定规则文件（与内置规则同一 YAML 格式），相对于配置文件")
    source: str | None = Field(None, description="the file it came from")
    own_rules: tuple[Rule, ...] = Field((), description="the department's rules, loaded from ``rules``")

    def runs(self, code: str) -> bool:
        """Whether rule ``code`` runs under this playbook."""
        if any(code == p or (p.endswith("-") and code.startswith(p)) for p in self.ignore):
            return False
        return not self.select or any(code == p or (p.endswith("-") and code.startswith(p)) for p in self.select)

    def with_options(self, select: list[str] | None, ignore: list[str] | None) -> Policy:
        """The playbook with the command line's --select/--ignore in place of its own lists."""
        update: dict[str, tuple[str, ...]] = {}
        if select:
            update["select"] = tuple(select)
        if ignore:
            update["ignore"] = (*self.ignore, *ignore)
        return self.model_copy(update=update)


class Acceptance(BaseModel):
    """One accepted finding: the document (hash), the rule, the reason, who and when."""

    model_config = ConfigDict(extra="forbid")

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    file: str | None = Field(None, description="the file name when accepted (for people; the hash decides)")
    rule: str
    reason: str = Field(min_length=2)
    by: str | None = None
    date: dt.date | None = None


class AcceptedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accepted: list[Acceptance] = Field(default_factory=list)


def _problem(path: Path, exc: ValidationError) -> UserError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return UserError(f"{path}：{where or '（文件）'}：{first['msg']}")


@functools.cache
def _policy_in(folder: Path) -> Policy | None:
    for name in CONFIG_NAMES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UserError(f"无法读取审查配置 {path}：{exc}") from None
        if name == "pyproject.toml":
            data = data.get("tool", {}).get("ecoclaim")
            if data is None:
                continue
        try:
            policy = Policy.model_validate({**data, "source": str(path)})
        except ValidationError as exc:
            raise _problem(path, exc) from None
        if policy.jurisdiction and policy.jurisdiction not in load_profiles():
            raise UserError(f"{path}：jurisdiction：未知辖区“{policy.jurisdiction}”，可选：{'、'.join(load_profiles())}")
        if policy.rules:
            policy = policy.model_copy(update={"own_rules": tuple(own_rules(path.parent, policy.rules))})
        return policy
    return None


#: a department's rule code: its own prefix, so it never takes a built-in rule's code
OWN_CODE = r"^DEPT(?:-[A-Z0-9]+)+$"


def own_rules(folder: Path, patterns: tuple[str, ...]) -> list[Rule]:
    """A department's rules from the files ``patterns`` name (globs relative to its config's folder),
    in the built-in rule format; presence rules only (headings, patterns, hollow), each with a basis
    text and passing and failing examples."""

    builtin = load_rules()
    found: list[Rule] = []
    files = sorted({p for pattern in patterns for p in folder.glob(pattern) if p.is_file()})
    if not files:
        raise UserError(f"{folder}：审查配置的 rules 没有找到规则文件（{'、'.join(patterns)}）")
    for path in files:
        try:
            data = datafile.safe_load(path.read_text("utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise UserError(f"无法读取本单位规则文件 {path}：{exc}") from None
        for i, raw in enumerate(data.get("rules") or []):
            where = f"{path}：rules[{i}]"
            try:
                rule = Rule.model_validate({**(data.get("defaults") or {}), **raw, "source_file": path.name})
            except ValidationError as exc:
                raise _problem(Path(where), exc) from None
            if not re.match(OWN_CODE, rule.code) or rule.code in builtin or any(r.code == rule.code for r in found):
                raise UserError(f"{where}：code：本单位规则的代码须以 DEPT- 开头且不重复（如 DEPT-DEPOSIT），实为“{rule.code}”")
            if rule.type != "element" or not (rule.patterns or rule.headings):
                raise UserError(f"{where}：本单位规则须是要素规则（写 headings 或 patterns），计算规则不能在配置中定义")
            if not rule.basis_text or not rule.fixtures.get("pass") or not rule.fixtures.get("fail"):
                raise UserError(f"{where}：须写明 basis_text（依据）和 fixtures 的 pass、fail 示例")
            found.append(rule)
    return found


def find_policy(start: Path) -> Policy:
    """The playbook for a file or folder: the nearest ecoclaim.toml / [tool.ecoclaim] above it."""
    folder = start.resolve()
    folder = folder if folder.is_dir() else folder.parent
    for candidate in (folder, *folder.parents):
        found = _policy_in(candidate)
        if found is not None:
            return found
    return Policy()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def accepted_for(path: Path) -> list[Acceptance]:
    """The acceptances recorded beside ``path`` (in its folder's .ecoclaim-accepted.yaml)."""
    sidecar = path.resolve().parent / ACCEPTED_NAME
    if not sidecar.is_file():
        return []
    try:
        data = datafile.safe_load(sidecar.read_text("utf-8")) or {}
        return AcceptedFile.model_validate(data).accepted
    except yaml.YAMLError as exc:
        raise UserError(f"无法读取已接受问题的记录 {sidecar}：{exc}") from None
    except ValidationError as exc:
        raise _problem(sidecar, exc) from None


def apply_accepted(report: Report, entries: list[Acceptance], digest: str) -> None:
    """Move the findings accepted for this version of the document into ``report.accepted``."""
    mine = {e.rule: e for e in entries if e.sha256 == digest}
    if not mine:
        return
    kept: list[Finding] = []
    for finding in report.findings:
        entry = mine.get(finding.rule)
        if entry is None:
            kept.append(finding)
        else:
            report.accepted.append(AcceptedFinding(finding=finding, reason=entry.reason, by=entry.by,
                                                   date=entry.date.isoformat() if entry.date else None))
    moved = {a.finding.rule for a in report.accepted} - {f.rule for f in kept}
    report.findings = kept
    report.coverage.failed -= len(moved)
    report.coverage.accepted += len(moved)


def accept(path: Path, rule: str, reason: str, by: str | None, day: dt.date) -> Path:
    """Record that ``rule``'s findings on this version of ``path`` are accepted; returns the sidecar."""
    sidecar = path.resolve().parent / ACCEPTED_NAME
    entries = accepted_for(path)
    digest = sha256_of(path)
    entries = [e for e in entries if not (e.sha256 == digest and e.rule == rule)]
    entries.append(Acceptance(sha256=digest, file=path.name, rule=rule, reason=reason, by=by, date=day))
    text = yaml.safe_dump(AcceptedFile(accepted=entries).model_dump(mode="json", exclude_none=True),
                          allow_unicode=True, sort_keys=False)
    write_atomically(sidecar, lambda handle: handle.write(text.encode("utf-8")))
    return sidecar
