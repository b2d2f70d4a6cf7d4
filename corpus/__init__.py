"""The regulation corpus: addressable, clean texts of the local and national rules.

Public API (see :mod:`corpus.loader` for the address scheme)::

    from corpus import load_corpus
    c = load_corpus()
    c.get("guangxi:26(三)").text
"""

from corpus.loader import Corpus, Hit, Source, Unit, cn_to_int, int_to_cn, load_corpus

__all__ = ["Corpus", "Hit", "Source", "Unit", "cn_to_int", "int_to_cn", "load_corpus"]
