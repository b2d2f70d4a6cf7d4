"""The form catalogue's element sources are paths of the case model (issue 9 §3)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from casefile.model.paths import catalogue_errors, resolves, value_at
from casefile.validation import load_case
from corpus.forms import Element

from ..conftest import example_path


def test_every_catalogue_field_is_a_case_model_path():
    assert catalogue_errors() == []


@pytest.mark.parametrize(("path", "expected"), [
    ("agreement.performance.destination", True),
    ("obligors.name", True),                      # through a list
    ("consultation.panel.claimant_members.name", True),
    ("agreement.breech", False),                  # a typo in the catalogue would be caught
    ("obligors.destination", False),
    ("cause.name", False),                        # a plain field has no parts
])
def test_paths_resolve_through_models_and_lists(path, expected):
    assert resolves(path) is expected


def test_values_are_read_through_lists():
    case = load_case(example_path("guangxi"))
    assert value_at(case, "obligors.name") == [o.name for o in case.obligors]
    assert value_at(case, "termination.ground") is None


def test_an_element_names_exactly_one_source():
    with pytest.raises(ValidationError):
        Element(id="x", rule="AGR-X")
    with pytest.raises(ValidationError):
        Element(id="x", rule="AGR-X", field="agreement.breach", model_text=True)
