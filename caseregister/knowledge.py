"""What the register's stored deadlines are computed with, and its fingerprint.

A version's timeline steps (:func:`procedure.timeline.engine.standing_steps`, stored by
:mod:`caseregister.deadlines`) follow from its case data and from data that changes between
releases, or by a department's own decision:

- the jurisdiction profiles (``corpus/jurisdictions/``): ``_parameters.yaml`` (how each number is
  typed) and the case's profile with the profiles it falls back to (``guangxi.yaml`` →
  ``national.yaml``) — each deadline's number, unit and basis;
- the timeline rules (``procedure/data/deadlines.yaml``) — what each step measures;
- the work calendar: the State Council's yearly holiday schedules carried by the pinned
  ``chinesecalendar`` package, and the schedule file the settings name (``ECOCLAIM_HOLIDAYS``, for
  a year published after that release) — the days they declare
  (:meth:`ecokernel.calendar.WorkCalendar.data_digest`).

:class:`Knowledge` holds them as loaded, with one fingerprint per jurisdiction: the SHA-256 over the
bytes of its profile files and of the rule file, and the calendar's digest. The case row keeps the
fingerprint its current version's steps were computed with (``cases.steps_fingerprint``; the audit
entry of each saved version and of each recompute records it too). A case whose fingerprint is not
the program's has steps computed with other data; :mod:`caseregister.recompute` computes them again. The
fingerprint is the data itself, not a number kept by hand: any edit of one of these files changes
it (an edit that changes no due date is found so by the recompute, which then only records the new
fingerprint). The code that counts the deadlines is in it the same way: the source of the timeline
package (:mod:`procedure.timeline`) and of the work calendar (:mod:`ecokernel.calendar`), so that a
release that changes how deadlines are counted recomputes them at its first start, with no version
number for anyone to remember to raise.

:func:`current` is the program's knowledge: the bundled profiles and rules, the library calendar and
the settings' schedule file (read again when that file changes). :func:`load` builds one from other
files: a copy a department or a test edits.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import ecokernel.calendar as calendar_module
import procedure.timeline as timeline_package
from casefile.model import Case as CaseData
from caseregister.settings import HOLIDAYS_ENV, holidays_file
from corpus.profiles import Profile, ProfileError, load_profiles, load_profiles_from, profile_dir
from ecokernel.calendar import WorkCalendar, load_schedule
from ecokernel.errors import UserError
from ecokernel.sourcefile import os_error_text
from procedure.timeline.daily import StandingStep
from procedure.timeline.engine import standing_steps
from procedure.timeline.rules import RuleSet, load_rules, parse_rules, rules_file

PARAMETERS_FILE = "_parameters.yaml"


@dataclass(frozen=True)
class Knowledge:
    """Profiles, rules and calendar as loaded, and the fingerprint of each jurisdiction's share of them."""

    profiles: Mapping[str, Profile]
    rules: RuleSet
    calendar: WorkCalendar
    #: jurisdiction key → SHA-256 (hex) of what its cases' steps are computed with
    fingerprints: Mapping[str, str]

    def steps(self, case: CaseData) -> list[StandingStep]:
        """The case's steps as far as they do not depend on the day, computed with this knowledge."""
        profile = self.profiles.get(case.jurisdiction)
        if profile is None:
            raise ProfileError(f"未知辖区“{case.jurisdiction}”，可选：{'、'.join(self.profiles)}")
        return standing_steps(case, self.calendar, profile=profile, rules=self.rules)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _chain(profiles: Mapping[str, Profile], key: str) -> list[str]:
    """The profile and those it falls back to, nearest first."""
    chain = [key]
    while (parent := profiles[chain[-1]].falls_back_to) and parent not in chain and parent in profiles:
        chain.append(parent)
    return chain


def source_digest(files: list[Path]) -> str:
    """SHA-256 over the names and bytes of ``files``, in the order given."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def code_digest() -> str:
    """The digest of the code that counts deadlines: the timeline package's modules and the calendar's."""
    package = Path(timeline_package.__file__).parent
    return source_digest([*sorted(package.glob("*.py")), Path(calendar_module.__file__)])


def fingerprints(folder: Path, profiles: Mapping[str, Profile], rules: Path,
                 calendar: WorkCalendar, code: str | None = None) -> dict[str, str]:
    """Each jurisdiction's fingerprint: its profile files (in ``folder``), the rule file, the calendar
    and the code that counts (``code``: its digest, by default this program's)."""
    shared = {"parameters": _sha256(folder / PARAMETERS_FILE), "rules": _sha256(rules),
              "calendar": calendar.data_digest(), "code": code or code_digest()}
    out: dict[str, str] = {}
    for key in profiles:
        parts = {**shared, "profiles": [[k, _sha256(folder / f"{k}.yaml")] for k in _chain(profiles, key)]}
        out[key] = hashlib.sha256(json.dumps(parts, sort_keys=True).encode("ascii")).hexdigest()
    return out


def load(profiles: Path | None = None, rules: Path | None = None, holidays: Path | None = None) -> Knowledge:
    """Knowledge from a profile folder, a rule file and a holiday schedule file (each defaulting to
    the bundled data; no schedule file: the library calendar alone)."""
    folder = profiles or profile_dir()
    rule_path = rules or rules_file()
    calendar = WorkCalendar(load_schedule(holidays) if holidays is not None else None)
    loaded = load_profiles() if profiles is None else load_profiles_from(folder)
    rule_set = load_rules() if rules is None else parse_rules(rule_path.read_text("utf-8"))
    return Knowledge(profiles=loaded, rules=rule_set, calendar=calendar,
                     fingerprints=fingerprints(folder, loaded, rule_path, calendar))


@functools.lru_cache(maxsize=4)
def _loaded(holidays: Path | None, _stamp: tuple[int, int] | None) -> Knowledge:
    return load(holidays=holidays)


def current() -> Knowledge:
    """The program's knowledge: bundled profiles and rules, the calendar with the settings' schedule
    file (loaded again once that file has changed)."""
    holidays = holidays_file()
    stamp = None
    if holidays is not None:
        try:
            info = holidays.stat()
        except OSError as exc:
            raise UserError(f"无法读取节假日安排文件 {holidays}（环境变量 {HOLIDAYS_ENV}）：{os_error_text(exc)}") from None
        stamp = (info.st_mtime_ns, info.st_size)
    return _loaded(holidays, stamp)
