"""``finditer`` that gives exactly the matches of ``re.finditer``, trying only near the literals every
match must contain.

Python's regex engine tries a pattern at every position of the text. A rule pattern that opens with a
character class (``[^。；，,\\s]{2,20}(?:公司|厂)…委托…``) costs about 1 ms on a 5,000-character
document, though it can only match where one of its words (委托, 聘请, 邀请) stands. This module reads
the pattern once (``re._parser``, the parser ``re.compile`` uses) and finds *anchors*: a run of
literal text that every match contains (one string of a small set: ``委托|聘请|邀请``) at a bounded
distance from the match's start. On a text it finds the anchor's occurrences with ``str.find`` and
runs the compiled pattern only from the positions a match could start at, each search bounded to
what a match starting there can read. A text without any occurrence has no match at all.

Why the matches are the same as ``re.finditer``'s: a match attempt at a position reads only the
characters it consumes (at most the pattern's maximal width) and those its lookaheads read beyond
them; lookbehinds, ``\\b`` and ``^`` read before the search's start position in the whole string, as
they do in a whole-text scan (``pattern.search(text, pos)`` is not a slice). A position that no anchor
occurrence allows cannot start a match, and the positions that can are tried in order, each resuming
after the previous match as ``finditer`` does. Patterns this cannot reason about (back-references,
case-insensitive parts, a match that may be empty, no anchor) are scanned as they always were.
``tests/ecokernel/test_rxscan.py`` compares both on generated texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import product
from re import _compiler
from re import _constants as C  # the names re.compile's parser uses
from re import _parser as P

#: at most this many strings in an anchor's set (``(?:修复)?效果(?:后)?评估`` has 4)
_MAX_STRINGS = 64
#: costs in nanoseconds, measured on the rule patterns and agreements (CPython 3.11; medians), that
#: decide between one scan of the whole text and a search from each anchor: a str.find pass, per
#: character; a str.find call; a search call (each range of start positions); a scan, per character, of a pattern whose first characters the engine
#: knows (it skips to them), of one that opens with a run of "anything but" (at every position it
#: reads the run, then backtracks) and of any other
_FIND_NS = 0.5
_CALL_NS = 300.0
_SEARCH_NS = 1500.0
_SCAN_NS_CHARSET = 4.0
_SCAN_NS_GREEDY = 130.0
_SCAN_NS_OTHER = 20.0
_UNBOUNDED = int(C.MAXREPEAT)
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


@dataclass(frozen=True)
class _Way:
    """One way a match contains an anchor: one of ``strings`` starts between ``lo`` and ``hi``
    (None: unbounded) characters after the match's start."""

    strings: tuple[str, ...]
    lo: int
    hi: int | None


#: an anchor: every match satisfies at least one of its ways
_Anchor = tuple[_Way, ...]


class Scanner:
    """A compiled pattern whose ``finditer(text)`` tries only the positions its anchors allow.

    Reading a pattern costs about as much as compiling it again (0.3 ms): a ``lazy`` scanner reads
    it at its second use, so that a process that scans a pattern once (one check from the command
    line) does not pay for it, and scans as ``re.finditer`` until then."""

    __slots__ = ("_uses", "anchors", "pattern", "per_char", "reach", "rx", "windowed")

    def __init__(self, pattern: str, *, lazy: bool = False) -> None:
        self.pattern = pattern
        self.rx = re.compile(pattern)
        #: every match contains a string of each anchor (at the distances its ways say)
        self.anchors: list[_Anchor] = []
        self.reach: int | None = None  # how far past its start a match attempt reads (None: no bound)
        self.windowed = False  # whether finditer looks for the anchors first
        self.per_char = _SCAN_NS_OTHER
        self._uses = 0 if lazy else -1  # uses before the pattern is read (-1: read)
        if not lazy:
            self._read()

    def _read(self) -> None:
        self._uses = -1
        parsed = _parse(self.pattern)
        if parsed is None or not parsed.data:
            return
        lo, hi = parsed.getwidth()
        if lo == 0:
            return  # a pattern that may match the empty string: finditer's rules for those are subtle
        ahead = _lookahead(parsed.data)
        self.reach = None if hi >= _UNBOUNDED or ahead is None else hi + ahead
        self.anchors = _anchors(parsed.data, parsed.state)
        cost = _scan_cost(parsed)
        # a pattern tied to the text's start is tried there only; one that opens with a word is looked
        # for by the engine as fast as str.find would
        self.windowed = bool(self.anchors) and cost is not None and parsed.data[0] != (C.AT, C.AT_BEGINNING)
        self.per_char = cost or 0.0

    def _ready(self) -> bool:
        """Whether the pattern has been read (reading it at its second use)."""
        if self._uses < 0:
            return True
        self._uses += 1
        if self._uses < 2:
            return False
        self._read()
        return True

    def known_anchors(self) -> list[_Anchor] | None:
        """The anchors, or None while a lazy scanner has not read its pattern (counts as a use)."""
        return self.anchors if self._ready() else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of ``re.finditer(pattern, text)``."""
        starts = self._starts(text) if self._ready() and self.windowed else None
        if starts is None:
            return self.rx.finditer(text)
        if not starts:
            return iter(())  # an anchor does not occur: no match anywhere
        if self.reach is None:
            return self.rx.finditer(text, starts[0][0])
        return self._search_from(text, starts)

    def _search_from(self, text: str, starts: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
        n, pos = len(text), 0
        search = self.rx.search
        for a, b in starts:
            start = max(a, pos)
            while start <= b:
                m = search(text, start, min(n, b + self.reach + 2))  # type: ignore[operator]
                if m is None or m.start() > b:
                    break  # (one starting after b was found by the bounded search: not a match of the text)
                yield m
                start = pos = m.end()

    def search(self, text: str) -> re.Match[str] | None:
        """The first match (``rx.search(text)``)."""
        return next(self.finditer(text), None)

    def _starts(self, text: str) -> list[tuple[int, int]] | None:
        """The ranges of positions a match may start at (sorted, disjoint, inclusive): [] when an anchor
        does not occur; None to scan the whole text, when finding the anchors and searching from them
        would cost more than one scan (estimated with the costs above; a wrong estimate costs time,
        never a match)."""
        n = len(text)
        budget = n * self.per_char  # what one scan costs
        spent = 0.0
        for anchor in self.anchors:
            if spent + sum(len(w.strings) for w in anchor) * n * _FIND_NS * 2 > budget / 2:
                continue  # too many strings to look for (counted, then found)
            if self.reach is None:
                first, spent = self._first_start(anchor, text, spent)
                if first is None:
                    return []
                if first > 0:
                    return [(first, n)]  # (a match may read to the end: only the start is skipped)
            else:
                ranges, spent = self._ranges(anchor, text, spent, budget)
                if ranges == []:
                    return []
                if ranges is not None:
                    merged = _merge(ranges)
                    if spent + sum(b - a + 1 + self.reach for a, b in merged) * self.per_char < budget:
                        return merged
            if spent > budget / 2:
                break
        return None

    def _first_start(self, anchor: _Anchor, text: str, spent: float) -> tuple[int | None, float]:
        """The first position ``anchor`` lets a match start at (None: it does not occur; 0 as soon
        as skipping to it cannot pay), and the cost so far."""
        first = None
        for way in anchor:
            for s in way.strings:
                at = text.find(s, way.lo)
                spent += (len(text) if at < 0 else at) * _FIND_NS + _CALL_NS
                if at >= 0:
                    start = 0 if way.hi is None else max(0, at - way.hi)
                    first = start if first is None else min(first, start)
                    if first * self.per_char <= spent:
                        return 0, spent
        return first, spent

    @staticmethod
    def _ranges(anchor: _Anchor, text: str, spent: float, budget: float
                ) -> tuple[list[tuple[int, int]] | None, float]:
        """The start ranges ``anchor`` allows ([]: it does not occur; None: it occurs so often that
        searching from each would cost more than ``budget``), and the cost so far."""
        ranges: list[tuple[int, int]] = []
        spent += sum(text.count(s) for way in anchor for s in way.strings) * _SEARCH_NS
        if spent > budget:
            return None, spent
        for way in anchor:
            for s in way.strings:
                spent += len(text) * _FIND_NS
                at = text.find(s)
                while at >= 0:
                    if at >= way.lo:
                        ranges.append((0 if way.hi is None else max(0, at - way.hi), at - way.lo))
                    at = text.find(s, at + 1)
                    spent += _CALL_NS
        return ranges, spent


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    ranges.sort()
    out = [ranges[0]]
    for a, b in ranges[1:]:
        last_a, last_b = out[-1]
        if a <= last_b + 1:
            if b > last_b:
                out[-1] = (last_a, b)
        else:
            out.append((a, b))
    return out


@cache
def scanner(pattern: str) -> Scanner:
    """The (lazy) scanner of ``pattern``, built once."""
    return Scanner(pattern, lazy=True)


# ---- reading the pattern


def _parse(pattern: str) -> P.SubPattern | None:
    try:
        parsed = P.parse(pattern)  # re.compile has parsed it already: it is valid
    except Exception:  # the private parser changed: scan as before
        return None
    if parsed.state.flags & (re.IGNORECASE | re.LOCALE) or not _plain(parsed.data):
        return None
    return parsed


def _plain(seq: list) -> bool:
    """No back-references and no case-insensitive part anywhere (anchors are found with str.find)."""
    for op, av in seq:
        if op in (C.GROUPREF, C.GROUPREF_EXISTS, C.GROUPREF_IGNORE, C.GROUPREF_LOC_IGNORE,
                  C.GROUPREF_UNI_IGNORE):
            return False
        if op is C.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            if add_flags & (re.IGNORECASE | re.LOCALE) or not _plain(sub.data):
                return False
        elif op is C.BRANCH:
            if not all(_plain(alt.data) for alt in av[1]):
                return False
        elif op in _REPEATS or op in (C.ASSERT, C.ASSERT_NOT):
            if not _plain(av[-1].data):
                return False
        elif op is C.ATOMIC_GROUP and not _plain(av.data):
            return False
    return True


def _scan_cost(parsed: P.SubPattern) -> float | None:
    """What scanning a text costs per character (ns; None: as little as str.find, the pattern opens
    with a word). The compiler's own prefix analysis says whether the engine can skip ahead."""
    try:
        if _compiler._get_literal_prefix(parsed, parsed.state.flags)[0]:
            return None
        if _compiler._get_charset_prefix(parsed, parsed.state.flags) is not None:
            return _SCAN_NS_CHARSET
    except Exception:  # the private compiler changed: assume the common case
        return _SCAN_NS_OTHER
    return _SCAN_NS_GREEDY if _greedy_start(parsed.data) else _SCAN_NS_OTHER


def _greedy_start(seq: list) -> bool:
    """The pattern (or one of its alternatives) opens with a repeated "anything but" ([^。；]{2,20}, .*)."""
    if not seq:
        return False
    op, av = seq[0]
    if op in _REPEATS and len(av[2].data) == 1:
        sub_op, sub_av = av[2].data[0]
        return sub_op in (C.ANY, C.NOT_LITERAL) or (sub_op is C.IN and bool(sub_av) and sub_av[0][0] is C.NEGATE)
    if op is C.BRANCH:
        return any(_greedy_start(alt.data) for alt in av[1])
    if op is C.SUBPATTERN:
        return _greedy_start(av[3].data)
    return False


def _width(seq: list, state: P.State) -> tuple[int, int | None]:
    lo, hi = P.SubPattern(state, list(seq)).getwidth()
    return lo, (None if hi >= _UNBOUNDED else hi)


def _lookahead(seq: list) -> int | None:
    """How far past what it consumes a match may read through its lookaheads (None: no bound)."""
    total = 0
    for op, av in seq:
        subs: list[list] = []
        if op in (C.ASSERT, C.ASSERT_NOT):
            direction, sub = av
            if direction == 1:
                _lo, hi = sub.getwidth()
                if hi >= _UNBOUNDED:
                    return None
                total += hi
            subs = [sub.data]
        elif op is C.SUBPATTERN:
            subs = [av[3].data]
        elif op is C.BRANCH:
            subs = [alt.data for alt in av[1]]
        elif op in _REPEATS:
            subs = [av[2].data]
        elif op is C.ATOMIC_GROUP:
            subs = [av.data]
        for sub in subs:
            more = _lookahead(sub)
            if more is None:
                return None
            total += more
    return total


def _strings(seq: list) -> set[str] | None:
    """Every string ``seq`` can match when that is a small set of literals, else None."""
    out = {""}
    for item in seq:
        options = _item_strings(item)
        if options is None:
            return None
        out = {a + b for a, b in product(out, options)}
        if len(out) > _MAX_STRINGS:
            return None
    return out


def _item_strings(item: tuple) -> set[str] | None:
    op, av = item
    if op is C.LITERAL:
        return {chr(av)}
    if op is C.IN:
        chars = set()
        for kind, value in av:
            if kind is C.LITERAL:
                chars.add(chr(value))
            elif kind is C.RANGE and value[1] - value[0] < 16:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            else:
                return None  # a negated set, a category (\d, \s), a wide range
        return chars if len(chars) <= _MAX_STRINGS else None
    if op is C.SUBPATTERN:
        return _strings(av[3].data)
    if op is C.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            strings = _strings(alt.data)
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= _MAX_STRINGS else None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, high, sub = av
        if high > 2:
            return None
        strings = _strings(sub.data)
        if strings is None:
            return None
        out = set()
        for k in range(low, high + 1):
            out |= {"".join(p) for p in product(strings, repeat=k)}
        return out if len(out) <= _MAX_STRINGS else None
    return None  # ANY, AT, lookarounds, categories…: not literal text


def _anchors(seq: list, state: P.State) -> list[_Anchor]:
    """The anchors of a sequence: each run of literal items, and the anchors found inside a group, a
    repeat that runs at least once, or a branch every alternative of which has one."""
    found: list[_Anchor] = []
    widths = [_width([item], state) for item in seq]

    def offset(i: int) -> tuple[int, int | None]:
        lo, hi = 0, 0
        for w_lo, w_hi in widths[:i]:
            lo += w_lo
            hi = None if hi is None or w_hi is None else hi + w_hi
        return lo, hi

    def shift(anchor: _Anchor, i: int) -> _Anchor:
        lo, hi = offset(i)
        return tuple(_Way(w.strings, w.lo + lo, None if hi is None or w.hi is None else w.hi + hi) for w in anchor)

    i = 0
    while i < len(seq):
        run: set[str] | None = None
        j = i
        while j < len(seq):
            options = _item_strings(seq[j])
            if options is None:
                break
            joined = {a + b for a, b in product(run or {""}, options)}
            if len(joined) > _MAX_STRINGS:
                break
            run, j = joined, j + 1
        if run is not None and min(map(len, run)) > 0:
            found.append(shift((_Way(tuple(sorted(run)), 0, 0),), i))
        if j > i:
            i = j
            continue
        op, av = seq[i]
        inner: list[_Anchor] = []
        if op is C.SUBPATTERN:
            inner = _anchors(av[3].data, state)
        elif op is C.ATOMIC_GROUP:
            inner = _anchors(av.data, state)
        elif op in _REPEATS and av[0] >= 1:
            inner = _anchors(av[2].data, state)  # its first round starts where the item does
        elif op is C.BRANCH:
            ways: list[_Way] = []
            for alt in av[1]:
                alt_anchors = _anchors(alt.data, state)
                if not alt_anchors:
                    ways = []
                    break
                ways.extend(min(alt_anchors, key=_rank))
            if ways:
                inner = [tuple(ways)]
        found.extend(shift(anchor, i) for anchor in inner)
        i += 1
    return sorted(found, key=_rank)


def _rank(anchor: _Anchor) -> tuple[int, int]:
    """Cheaper to find first (fewer strings, each a pass over the text), then rarer (longer)."""
    return (sum(len(way.strings) for way in anchor), -min(len(s) for way in anchor for s in way.strings))
