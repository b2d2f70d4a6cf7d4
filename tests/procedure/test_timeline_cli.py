"""``ecoclaim timeline`` as a user runs it: text, JSON and ICS output, --on, --holidays, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import yaml

from procedure.timeline.render import _fold, to_ics

from ..conftest import ROOT, cli_env
from .test_timeline_helpers import EXAMPLE_FILES, SCHEDULE_2027, case, timeline, unperformed

CLI = [sys.executable, str(ROOT / "cli.py")]
GUANGXI = str(EXAMPLE_FILES["guangxi"])


def run(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*CLI, "timeline", *args], capture_output=True, text=True, cwd=ROOT, timeout=60,
                            env=cli_env(COLUMNS="200"))
    assert "Traceback" not in result.stdout + result.stderr
    return result


def _late_agreement_copy(tmp_path: Path) -> Path:
    """The guangxi example with the agreement signed 20 working days after the last meeting."""
    data = yaml.safe_load(EXAMPLE_FILES["guangxi"].read_text("utf-8"))
    data["agreement"]["date"] = date(2025, 9, 16)
    jc = data["judicial_confirmation"]
    jc.update(applied=date(2025, 9, 22), notice_from=date(2025, 9, 29), notice_to=date(2025, 10, 29),
              ruling_date=date(2025, 11, 10))
    path = tmp_path / "late.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# -- a strict RFC 5545 reader for the tests ---------------------------------------------------------

_NAME = re.compile(r"^[A-Z][A-Z0-9-]*$")


def parse_ics(raw: bytes) -> list[dict[str, str]]:
    """Check line ends, folding, nesting and required properties; return the VEVENTs' properties."""
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    physical = raw.decode("utf-8").split("\r\n")[:-1]
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack: list[str] = []
    events: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in logical:
        head, sep, value = line.partition(":")
        assert sep, line
        name = head.split(";")[0]
        assert _NAME.match(name), line
        if name == "BEGIN":
            stack.append(value)
            current = {}
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                events.append(current)
        else:
            assert stack, line
            if name in ("SUMMARY", "DESCRIPTION"):
                assert not re.search(r"(?<!\\)[;,]", value), f"unescaped TEXT: {line}"
            current[head] = value
    assert stack == []
    assert logical[0] == "BEGIN:VCALENDAR" and "VERSION:2.0" in logical and any(x.startswith("PRODID:") for x in logical)
    for ev in events:
        for key in ("UID", "DTSTAMP", "DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "SUMMARY"):
            assert key in ev, (key, ev)
        assert re.fullmatch(r"\d{8}T\d{6}Z", ev["DTSTAMP"])
        start, end = (date(int(v[:4]), int(v[4:6]), int(v[6:])) for v in
                      (ev["DTSTART;VALUE=DATE"], ev["DTEND;VALUE=DATE"]))
        assert (end - start).days == 1
    return events


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] in "nN" else m[1], text)


# -- text ---------------------------------------------------------------------------------------------


def _unperformed_copy(tmp_path: Path) -> str:
    path = tmp_path / "unperformed.yaml"
    path.write_text(yaml.safe_dump(unperformed(yaml.safe_load(Path(GUANGXI).read_text("utf-8"))),
                                   allow_unicode=True), encoding="utf-8")
    return str(path)


def test_text_shows_every_step_with_due_done_status_and_basis(tmp_path):
    result = run(_unperformed_copy(tmp_path), "--on", "2025-12-01")
    assert result.returncode == 1  # the first instalment is unpaid and overdue on that day
    out = result.stdout
    for text in ("线索初步核查", "损害调查完成", "磋商期限", "磋商会议后签署赔偿协议", "司法确认公告期间",
                 "分期赔付第1期", "申请强制执行期间", "guangxi:21", "guangxi:13", "spc_eco:20", "minsufa:250",
                 "当前阶段：协议履行（已司法确认）", "下一步", "按期", "2025-09-09", "征求意见稿"):
        assert text in out, text
    assert "已逾期" in out and "还有" in out


def test_late_agreement_is_reported_with_guangxi_21(tmp_path):
    result = run(str(_late_agreement_copy(tmp_path)), "--on", "2025-09-20", "--format", "json")
    payload = json.loads(result.stdout)
    [sign] = [s for s in payload["steps"] if s["code"] == "AGREEMENT-SIGN"]
    assert sign["status"] == "late" and sign["days"] == 5 and sign["day_unit"] == "工作日"
    assert sign["status_label"] == "逾期5个工作日" and [b["address"] for b in sign["basis"]] == ["guangxi:21"]
    assert result.returncode == 1
    text = run(str(_late_agreement_copy(tmp_path)), "--on", "2025-09-20").stdout
    assert "逾期5个工作日" in text and "guangxi:21" in text


def test_cite_prints_article_text():
    out = run(GUANGXI, "--cite").stdout
    assert "【guangxi:21】" in out and "磋商会议后15个工作日内签署" in out


def test_recurring_duties_on_request_only():
    zhangye = str(EXAMPLE_FILES["zhangye"])
    assert "定期工作" not in run(zhangye).stdout
    out = run(zhangye, "--recurring", "--on", "2026-11-23").stdout
    assert "2026-12-25前" in out and "2027-01-10前" in out and "zhangye:12" in out and "zhangye:28" in out
    assert "已于2026年10月8日届满" in out


# -- JSON ---------------------------------------------------------------------------------------------


def test_json_shape_is_stable():
    payload = json.loads(run(GUANGXI, "--on", "2026-11-23", "--format", "json").stdout)
    assert list(payload) == ["schema_version", "case_name", "case_number", "jurisdiction", "jurisdiction_name",
                             "on", "stage", "next", "steps", "checks", "recurring", "calendar_warnings", "sources",
                             "fees"]
    assert payload["schema_version"] == 1 and payload["on"] == "2026-11-23"
    assert payload["stage"] == {"code": "performance", "label": "协议履行（已司法确认）", "since": "2025-10-24"}
    step = payload["steps"][0]
    assert set(step) == {"code", "title", "kind", "start", "limit", "due", "moved_from", "done", "status",
                         "status_label", "days", "day_unit", "category", "notes", "basis", "warnings", "estimated"}
    assert step["basis"][0] == {"address": "guangxi:12", "text": None,
                                "citation": "《广西壮族自治区生态环境损害赔偿工作细则（征求意见稿）》第十二条"}
    enforcement = next(s for s in payload["steps"] if s["code"] == "ENFORCEMENT-APPLICATION")
    assert enforcement["estimated"] is True and enforcement["warnings"][0]["code"] == "unknown_year"
    assert [w["year"] for w in payload["calendar_warnings"]] == [2028]
    assert {"source": "guangxi", "status": "draft"}.items() <= payload["sources"][0].items()


def test_json_with_cite_includes_texts():
    payload = json.loads(run(GUANGXI, "--format", "json", "--cite").stdout)
    assert "5个工作日内" in payload["steps"][0]["basis"][0]["text"]


# -- ICS ----------------------------------------------------------------------------------------------


def test_ics_exports_open_deadlines_and_parses(tmp_path):
    # the example with nothing performed yet: instalments, restoration and effect assessment open
    result = subprocess.run([*CLI, "timeline", _unperformed_copy(tmp_path), "--on", "2026-11-23", "--format", "ics"],
                            capture_output=True, cwd=ROOT, timeout=60,
                            env=cli_env())
    events = parse_ics(result.stdout)
    summaries = [_unescape(e["SUMMARY"]) for e in events]
    # the overdue instalments, restoration and effect assessment, and the enforcement periods (money, restoration)
    assert len(events) == 7 and any("申请强制执行期间（赔偿金）（估算）" in s for s in summaries)
    assert any("申请强制执行期间（修复义务）（估算）" in s for s in summaries)
    assert all(e["UID"].endswith("@ecoclaim") for e in events) and len({e["UID"] for e in events}) == 7
    desc = _unescape(events[-1]["DESCRIPTION"])
    assert "依据：《中华人民共和国民事诉讼法》第二百五十条（minsufa:250）" in desc and "日历提示" in desc


def test_ics_of_a_case_with_nothing_open_is_an_empty_calendar():
    def paid(x):
        for inst in x["agreement"]["performance"]["installments"]:
            inst["paid"] = inst["due"]
        x["restoration"]["completed"] = "2026-06-01"
        x["restoration"]["effect_assessed"] = "2026-09-01"
    events = parse_ics(to_ics(timeline(case("guangxi", paid))).encode("utf-8"))
    assert events == []


def test_fold_never_splits_characters_or_escapes():
    line = "DESCRIPTION:" + "中文\\n" * 40 + "末"
    chunks = _fold(line)
    assert "".join(c[1:] if i else c for i, c in enumerate(chunks)) == line
    assert all(len(c.encode("utf-8")) <= 75 for c in chunks)
    assert not any(c.endswith("\\") for c in chunks)


# -- holidays, errors -----------------------------------------------------------------------------------


def test_holidays_file_replaces_the_estimate_for_2027(tmp_path):
    data = yaml.safe_load(EXAMPLE_FILES["zhangye"].read_text("utf-8"))
    path = tmp_path / "z.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    plain = json.loads(run(str(path), "--format", "json").stdout)
    assert [w["code"] for w in plain["calendar_warnings"]] == ["unknown_year"]
    with_file = json.loads(run(str(path), "--format", "json", "--holidays", str(SCHEDULE_2027)).stdout)
    assert [w["code"] for w in with_file["calendar_warnings"]] == ["user_schedule"]
    assert not any(s["estimated"] for s in with_file["steps"])


def test_usage_errors_exit_2_in_chinese(tmp_path):
    result = run(GUANGXI, "--format", "xml")
    assert result.returncode == 2 and "不支持的输出格式" in result.stderr
    result = run(str(tmp_path / "none.yaml"))
    assert result.returncode == 2 and "找不到文件" in result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("years: {2027: {holidays: ['2027-02-30']}}\nsource: x\n", encoding="utf-8")
    result = run(GUANGXI, "--holidays", str(bad))
    assert result.returncode == 2 and "不存在" in result.stderr
