"""Stage inference and which forms a case can have now (the contract used by ``generate --all``)."""

from __future__ import annotations

from datetime import date

import pytest

from corpus.forms import form_kinds
from procedure.stage import FormAllowance, Stage, allowed_forms, infer_stage

from .test_timeline_helpers import case

LATER = ("closure", "termination", "enforcement", "judicial_confirmation", "agreement", "consultation",
         "restoration", "assessment", "investigation", "claim_start", "clue", "transfer")


def _strip(*keys):
    def mutate(x):
        for key in keys:
            x.pop(key, None)
    return mutate


def _allowed(c) -> dict[str, FormAllowance]:
    return {a.kind: a for a in allowed_forms(c)}


@pytest.mark.parametrize(("prefix", "code"), [("guangxi", "performance"), ("zhangye", "enforcement"),
                                              ("hengshui", "closed")])
def test_examples(prefix, code):
    stage = infer_stage(case(prefix))
    assert isinstance(stage, Stage) and stage.code == code and stage.label
    assert bool(stage.next) is (code != "closed")  # a closed case has nothing next


def test_progression_by_removing_later_events():
    expected = {
        "judicial_confirmation": "agreement", "agreement": "consultation", "consultation": "investigation",
        "investigation": "investigation", "assessment": "claim_start", "claim_start": "clue", "clue": "new",
    }
    removed: list[str] = ["enforcement", "restoration"]
    for key, code in expected.items():
        removed.append(key)
        assert infer_stage(case("guangxi", _strip(*removed))).code == code, key


def test_since_is_the_date_the_stage_began():
    assert infer_stage(case("guangxi")).since == date(2025, 10, 24)
    assert infer_stage(case("guangxi", _strip("judicial_confirmation"))).since == date(2025, 8, 29)


def test_terminated_closed_failed_and_out_of_scope_stages():
    def terminated(x):
        x["termination"] = {"ground": "paid", "explanation": "已赔偿", "date": "2025-09-01"}
    assert infer_stage(case("guangxi", terminated)).code == "terminated"

    def closed(x):
        x["closure"] = {"date": "2026-10-30", "result": "全部履行"}
    assert infer_stage(case("guangxi", closed)).code == "closed"

    def failed(x):
        _strip("agreement", "judicial_confirmation", "enforcement")(x)
        x["consultation"]["outcome"] = "failed"
        x["consultation"]["failure_ground"] = "three_rounds"
    assert infer_stage(case("guangxi", failed)).code == "litigation"

    def marine(x):
        x["incident"]["marine"] = True
    c = case("guangxi", marine)
    assert infer_stage(c).code == "out_of_scope"
    allowed = _allowed(c)
    assert not allowed["agreement"].allowed and "适用范围" in allowed["agreement"].reason


def test_allowed_forms_covers_the_eleven_kinds_in_order():
    result = allowed_forms(case("guangxi"))
    assert [a.kind for a in result] == list(form_kinds())
    assert all(a.reason for a in result)


def test_enforcement_only_after_a_confirmation_ruling():
    no_ruling = _allowed(case("hengshui"))["enforcement"]
    assert not no_ruling.allowed and "司法确认" in no_ruling.reason
    ruling_no_application = _allowed(case("guangxi"))["enforcement"]
    assert not ruling_no_application.allowed and "enforcement" in ruling_no_application.reason
    assert _allowed(case("zhangye"))["enforcement"].allowed

    def refused(x):
        x["judicial_confirmation"]["confirmed"] = False
        x.pop("enforcement")
    assert "未予确认" in _allowed(case("zhangye", refused))["enforcement"].reason


def test_forms_that_need_their_own_data():
    gx = _allowed(case("guangxi"))
    assert not gx["claim_termination"].allowed and "termination" in gx["claim_termination"].reason
    assert not gx["closure_approval"].allowed and not gx["case_transfer"].allowed
    assert gx["power_of_attorney"].allowed and gx["consultation_minutes"].allowed
    assert _allowed(case("zhangye"))["case_transfer"].allowed

    bare = _allowed(case("guangxi", _strip("agents", "consultation", "agreement", "judicial_confirmation")))
    assert not bare["power_of_attorney"].allowed and "委托代理人" in bare["power_of_attorney"].reason
    assert not bare["consultation_minutes"].allowed and not bare["judicial_confirmation"].allowed

    def no_meetings(x):
        x["consultation"]["meetings"] = []
    assert not _allowed(case("guangxi", no_meetings))["consultation_minutes"].allowed

    def terminated(x):
        x["termination"] = {"ground": "minor", "explanation": "显著轻微", "date": "2025-09-01"}
    assert _allowed(case("guangxi", terminated))["claim_termination"].allowed

    def closed(x):
        x["closure"] = {"date": "2026-10-30", "result": "全部履行"}
    assert _allowed(case("guangxi", closed))["closure_approval"].allowed
