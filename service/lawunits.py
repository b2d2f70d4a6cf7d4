"""One corpus unit (an article, a paragraph) as the API returns it, for the corpus routes and for a
rule's basis in the rule detail."""

from __future__ import annotations

from corpus import load_corpus
from ecokernel.errors import CorpusError
from service.models import CorpusUnitOut
from service.problems import ApiError


def unit_out(address: str) -> CorpusUnitOut:
    corpus = load_corpus()
    try:
        unit = corpus.get(address)
    except CorpusError as exc:
        raise ApiError(404, "not-found", "未找到条文", exc.message,
                       errors=[{"path": "address", "message": exc.message}]) from None
    return CorpusUnitOut(address=unit.address, source=unit.source, kind=unit.kind, label=unit.label,
                         title=unit.title, citation=corpus.cite(unit.address), text=unit.text,
                         parent=unit.parent, children=list(unit.children), verbatim=unit.verbatim,
                         source_status=corpus.sources[unit.source].status)
