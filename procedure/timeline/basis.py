"""Citations: which articles apply to a case's jurisdiction, and their text on request."""

from __future__ import annotations

from collections.abc import Iterable

from corpus import load_corpus
from corpus.profiles import Profile, get_profile
from procedure.timeline.result import Basis


def profile_chain(profile: Profile) -> list[Profile]:
    """The profile and the profiles it falls back to, nearest first."""
    chain = [profile]
    seen = {profile.key}
    while chain[-1].falls_back_to and chain[-1].falls_back_to not in seen:
        parent = get_profile(chain[-1].falls_back_to)
        chain.append(parent)
        seen.add(parent.key)
    return chain


class Citer:
    """Builds :class:`Basis` lists for one jurisdiction.

    ``cite=True`` adds each article's text. :meth:`local` keeps only the addresses whose source
    is one of the jurisdiction's own or inherited sources (so guangxi:22 is not cited for zhangye).
    """

    def __init__(self, profile: Profile, *, cite: bool = False) -> None:
        self.corpus = load_corpus()
        self.cite = cite
        self.sources = {s for p in profile_chain(profile) for s in p.sources}
        self.used: list[str] = []

    def source_of(self, address: str) -> str:
        return self.corpus.get(address).source

    def applies(self, address: str) -> bool:
        return self.source_of(address) in self.sources

    def local(self, addresses: Iterable[str]) -> list[str]:
        return [a for a in addresses if self.applies(a)]

    def make(self, addresses: Iterable[str]) -> list[Basis]:
        out: list[Basis] = []
        seen: set[str] = set()
        for address in addresses:
            unit = self.corpus.get(address)
            if unit.address in seen:
                continue
            seen.add(unit.address)
            if unit.source not in self.used:
                self.used.append(unit.source)
            out.append(Basis(address=unit.address, citation=self.corpus.cite(unit.address),
                             text=unit.text if self.cite else None))
        return out
