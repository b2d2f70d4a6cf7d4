"""The finding model is SPEC §4 exactly."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from checkers.findings import Basis, Finding, FindingLocation, Report


def _finding(**kw):
    base = dict(rule="AGR-BREACH", element="agreement.breach", severity="error", category="missing_element",
                message="协议未约定违约责任", location=FindingLocation(paragraph=12, page=2, text="…"),
                basis=[Basis(source="guangxi", article="21", text="赔偿协议需包含：……", status="draft",
                             address="guangxi:21", citation="《…》第二十一条")],
                suggestion="增加“违约责任”条款", span=(3, 9))
    base.update(kw)
    return Finding(**base)


def test_spec_shape():
    data = _finding().to_dict()
    assert list(data) == ["rule", "element", "severity", "category", "message", "location", "basis", "suggestion"]
    assert data["location"] == {"paragraph": 12, "page": 2, "text": "…"}
    assert data["basis"] == [{"source": "guangxi", "article": "21", "text": "赔偿协议需包含：……", "status": "draft"}]
    assert "span" not in data


def test_status_omitted_when_in_force():
    b = Basis(source="hengshui", article="13", text="…")
    assert "status" not in b.model_dump(exclude_none=True)


@pytest.mark.parametrize("field,value", [("severity", "fatal"), ("category", "typo")])
def test_rejects_unknown_values(field, value):
    with pytest.raises(ValidationError):
        _finding(**{field: value})


def test_report_counts_and_json():
    r = Report(file="a.txt", doc_type="agreement", jurisdiction="guangxi",
               findings=[_finding(), _finding(severity="warning")], text="secret")
    assert r.errors == 1 and r.warnings == 1
    # SPEC §4's keys unchanged; the three-valued result is added beside them
    assert set(r.to_dict()) == {"file", "doc_type", "jurisdiction", "findings", "not_evaluated", "coverage"}
    assert "secret" not in str(r.to_dict())
