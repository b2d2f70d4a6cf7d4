"""Generated documents (from a dossier manifest) and reviews in the register: each document knows
the case version it came from and whether a signed copy came back; a review keeps its findings and
the findings people accepted, with their reasons."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from caseregister import audit
from caseregister.documents import accept_finding, record_dossier, record_review, record_signed
from caseregister.engine import read_session, write_session
from caseregister.models import Document, Review
from caseregister.versions import find_case
from checkers.check import check_file
from docgen.dossier import generate_dossier
from ecokernel.errors import UserError

from ..conftest import example_path
from .conftest import example_text, save_new_case, save_next

FORMS = ["agreement", "consultation_notice"]


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    """A Markdown dossier of the Zhangye example; returns its manifest."""
    result = generate_dossier(example_path("zhangye"), tmp_path / "out", fmt="md", kinds=FORMS)
    assert result.manifest is not None
    return result.manifest


def test_a_dossier_is_linked_to_the_version_it_came_from(engine: Engine, dossier: Path):
    text = example_text("zhangye")
    case_id = save_new_case(engine, text).case_id
    save_next(engine, case_id, text.replace("个体运输户", "个体户"), base=1)  # the dossier is of version 1
    with write_session(engine) as session:
        rows = record_dossier(session, dossier, "张三")
        assert [(r.form, r.format, r.version_id) for r in rows] == [(f, "md", rows[0].version_id) for f in FORMS]
        again = record_dossier(session, dossier, "张三")
    assert again == []
    manifest = json.loads(dossier.read_text("utf-8"))
    with read_session(engine) as session:
        docs = list(session.scalars(select(Document).order_by(Document.id)))
        assert {(d.file_name, d.sha256) for d in docs} == {(m["file"], m["sha256"]) for m in manifest["documents"]}
        assert {d.manifest_sha256 for d in docs} == {hashlib.sha256(dossier.read_bytes()).hexdigest()}
        version = session.get_one(Document, docs[0].id)
        assert [v.number for v in find_case(session, str(case_id)).versions if v.id == version.version_id] == [1]
        assert [e.action for e in audit.entries(session, case_id)][-2:] == ["document.record"] * 2


def test_a_manifest_of_data_not_in_the_register_is_refused(engine: Engine, dossier: Path):
    save_new_case(engine, example_text("zhangye").replace("个体运输户", "个体户"))
    with pytest.raises(UserError, match="与台账中任何一版都不一致"), write_session(engine) as session:
        record_dossier(session, dossier, "张三")
    not_a_manifest = dossier.parent / "x.json"
    not_a_manifest.write_text("[]", "utf-8")
    with pytest.raises(UserError, match="不是 ecoclaim generate 写出的清单"), write_session(engine) as session:
        record_dossier(session, not_a_manifest, "张三")


def test_signed_copy_review_and_accepted_findings(engine: Engine, dossier: Path, tmp_path: Path):
    case_id = save_new_case(engine, example_text("zhangye")).case_id
    with write_session(engine) as session:
        agreement = record_dossier(session, dossier, "张三")[0]
    signed = tmp_path / "签署件.pdf"
    signed.write_bytes(b"%PDF-1.4 signed")
    with write_session(engine) as session:
        doc = record_signed(session, agreement.id, signed, "李四")
        assert (doc.signed_name, doc.signed_by) == ("签署件.pdf", "李四")
        assert doc.signed_sha256 == hashlib.sha256(b"%PDF-1.4 signed").hexdigest()

    checked = dossier.parent / agreement.file_name
    report = check_file(checked).to_dict()
    report["findings"] = report["findings"] or [{"rule": "TEST-RULE", "severity": "warning", "message": "示例"}]
    with write_session(engine) as session:
        case = find_case(session, str(case_id))
        review = record_review(session, case, report, file_name=checked.name, author="王五",
                               file_sha256=hashlib.sha256(checked.read_bytes()).hexdigest())
        assert review.document_id == agreement.id and review.version_id == agreement.version_id
        accepted = accept_finding(session, review.id, 0, "本案义务人已书面说明，不需修改", "王五")
        assert accepted.rule == report["findings"][0]["rule"]
        with pytest.raises(UserError, match="须注明理由"):
            accept_finding(session, review.id, 0, "  ", "王五")
        with pytest.raises(UserError, match="已被接受"):
            accept_finding(session, review.id, 0, "再次", "王五")
        with pytest.raises(UserError, match="没有第"):
            accept_finding(session, review.id, len(report["findings"]), "越界", "王五")
    with read_session(engine) as session:
        stored = session.scalars(select(Review)).one()
        assert stored.report == report
        assert [(a.finding_index, a.reason) for a in stored.accepted] == [(0, "本案义务人已书面说明，不需修改")]
        actions = [e.action for e in audit.entries(session, case_id)]
    assert actions[-3:] == ["document.signed", "review.record", "finding.accept"]
