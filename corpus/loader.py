"""Regulation corpus: parse the raw regulation texts into addressable units and look them up.

Findings, profiles and documents cite regulations by *address*; :func:`load_corpus` parses
every source once (cached) and :meth:`Corpus.get` resolves an address to the exact clean text.

Sources are declared in ``corpus/sources.yaml``; local texts live in ``corpus/texts/*.txt`` and
are parsed according to the ``layout`` block of their entry (regions, fixes, numbering), so a new
city's text is added as data. The national baseline is ``corpus/texts/national.yaml``.

Address scheme
--------------
An address is ``<source>:<path>``. Full-width ``（）［］【】：`` are accepted and normalised to
ASCII ``( ) [ ] :``; article numbers may be Arabic or Chinese (``guangxi:二十一``,
``guangxi:第二十一条`` → ``guangxi:21``); Chinese citation forms such as ``第二十六条第三项``
and ``第十三条第二款`` are accepted too. The canonical forms are:

Article-structured texts (guangxi, zhangye, hengshui; national laws):
  ``guangxi:21``          article 第二十一条
  ``guangxi:26(三)``      item 第（三）项 of an article
  ``guangxi:26(三)1``     numbered sub-item 1. of an item (第1目)
  ``guangxi:第一章``       chapter (its text contains all its articles)
  ``guangxi:13¶2``        paragraph 第二款 (computed on request; not listed by ``units()``)
  ``guanli_guiding:18¶1(三)``  item of a paragraph, where a source is only known to that depth

Section-structured texts (nantong, xinzhou; "一、" parts, "（一）" items, "1." sub-items):
  ``xinzhou:三``          part 三、
  ``xinzhou:三(三)``      item （三） of part 三
  ``xinzhou:三(一)1``     sub-item 1. of that item
  ``nantong:(六)``        nantong numbers （一）…（十六） continuously across its parts, so the
                          item alone is canonical (``nantong:三(六)`` is accepted as an alias);
                          nantong has no （十）: its text jumps from （九） to （十一）, and the
                          unnumbered paragraph after （九） is kept inside ``nantong:(九)``

Annexes:
  ``guangxi:附件1``       annex 1 (parsed as sections: ``guangxi:附件1一``, ``guangxi:附件1二(三)``;
                          ``guangxi:附件1(三)`` is ambiguous — both parts have a （三） — and is refused)
  ``guangxi:附件2``       annex 2 with its table of contents; ``guangxi:附件2[5]`` = model form [5]
  ``zhangye:附件``        the one annex of zhangye; ``zhangye:附件[4]`` = model form [4]
                          (numbered "4." in the body and "[4]" in the table of contents)
  ``xinzhou:附件``        the task table (rows rebuilt as ``cell | cell | …``)

Named parts (declared as ``named`` regions in sources.yaml):
  ``zhangye:印发``, ``hengshui:印发``   the issuing notice (主送, text, signatories, 成文日期;
                                      hengshui's also the 发文字号 and notice title)
  ``zhangye:版记``, ``hengshui:版记``   the 抄送 / 印发机关和印发日期 lines
  ``nantong:序言``, ``xinzhou:序言``    the opening paragraph before part 一、
  ``nantong:附则``                     the final unnumbered paragraph (effective period)

National sources (``national.yaml``): articles as above (``minsufa:250``, ``spc_eco:20``,
``minfadian:1235(一)``); standards by clause (``gbt9704:7.3.5.4``); GB 32100 / GB 11643 by
topic (``gb32100:校验码``, ``gb11643:号码结构``); ``rmb_upper:四(一)`` for the PBoC rules.

Text conventions
----------------
``Unit.text`` is the clean text of the unit *including* its sub-units; the unit's own number
marker (第X条, （X）, X、, N., [N], 附件N) is not repeated in it (the label carries it), while the
markers of its sub-units are kept. Paragraphs are separated by ``"\\n"``. Conversion artefacts
(``[bookmark: …]``, HTML tags, markdown ``**``/``#``/``---``/list bullets, page numbers, tabs)
are removed; body paragraphs broken mid-sentence are re-joined where the layout says so; spaces
between Chinese characters and digits are removed in prose ("自 2021 年" → "自2021年"). Model
forms keep their line structure; in guangxi's forms a blank line marks space to fill in.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from corpus.address import _FULLWIDTH, _join, _Token, _tokenize
from corpus.models import Hit, Repealed, Source, SourceStatusCode, Unit, UnitKind
from corpus.parse import _Builder, _parse_text
from ecokernel import datafile
from ecokernel.cnfmt import cn_to_int, int_to_cn
from ecokernel.cnfmt import format_date as _fmt_date
from ecokernel.errors import CorpusError

_CN = "零〇一二三四五六七八九十百千两"  # characters of a Chinese numeral (article/item numbers)

__all__ = ["Corpus", "Hit", "Source", "Unit", "cn_to_int", "int_to_cn", "load_corpus"]

CORPUS_DIR = Path(__file__).resolve().parent

# --------------------------------------------------------------------------- the corpus


class Corpus:
    """All regulation sources, parsed into addressable units.

    Use :func:`load_corpus` to get the (cached) instance.
    """

    def __init__(self, sources: dict[str, Source]) -> None:
        self._sources = sources
        self._units: dict[str, Unit] = {}
        self._rows: dict[str, list[tuple[str, str]]] = {}
        self._aliases: dict[str, str] = {}
        self._virtual: dict[str, Unit] = {}
        self._key_aliases: dict[str, str] = {}
        #: laws repealed since, which documents still cite (sources.yaml ``repealed:``)
        self.repealed: list[Repealed] = []
        for key, source in sources.items():
            self._key_aliases[source.short] = key
            self._key_aliases[source.title] = key

    # ---- building

    def _add_tree(self, builder: _Builder) -> None:
        source = builder.source
        key = source.key
        for node in builder.nodes:
            address = f"{key}:{node.path}"
            rows = builder.rows_of(node)
            self._rows[address] = [(text, f"{key}:{owner.path}") for text, owner in rows]
            self._units[address] = Unit(
                address=address,
                source=key,
                kind=node.kind,
                label=node.label,
                title=node.title,
                text="\n".join(text for text, _ in rows),
                parent=f"{key}:{node.parent.path}" if node.parent else None,
                children=[f"{key}:{child.path}" for child in node.children],
                verbatim=source.verbatim,
            )
            if node.kind == "item" and source.layout.items_unique and node.parent is not None:
                self._aliases[f"{key}:{node.parent.path}{node.path}"] = address

    def _add_national(self, data: dict[str, Any]) -> None:
        for key, block in data.items():
            source = self._sources.get(key)
            if source is None or not source.is_national:
                raise CorpusError(
                    f"语料数据有误：national.yaml 中的“{key}”未在 sources.yaml 中声明为国家层面来源"
                )
            default_status = block.get("status")
            default_read_at = block.get("read_at")
            for entry in block["units"]:
                self._add_national_unit(source, entry, default_status, default_read_at)
        for key, source in self._sources.items():
            if source.is_national and not any(u.source == key for u in self._units.values()):
                raise CorpusError(f"语料数据有误：国家层面来源“{key}”在 national.yaml 中没有任何条文")

    def _add_national_unit(
        self, source: Source, entry: dict[str, Any], default_status: str | None, default_read_at: str | None
    ) -> None:
        key = source.key
        at = str(entry["at"])
        numbering = source.layout.numbering
        if numbering != "named":
            try:
                canonical = _join(_tokenize(at, numbering))
            except ValueError as exc:
                raise CorpusError(f"语料数据有误：national.yaml 中“{key}:{at}”不是有效地址") from exc
            if canonical != at:
                raise CorpusError(f"语料数据有误：national.yaml 中“{key}:{at}”应写作“{key}:{canonical}”")
            tokens = _tokenize(at, numbering)
        else:
            tokens = [_Token("name", at)]
        address = f"{key}:{at}"
        label = entry.get("label") or self._label(source, tokens)
        status = entry.get("status", default_status)
        read_at = entry.get("read_at", default_read_at)
        kind: UnitKind = {"articles": "article", "clauses": "clause", "sections": "part", "named": "named"}[
            numbering
        ]
        if tokens and tokens[-1].kind == "item":
            kind = "item"
        elif tokens and tokens[-1].kind == "para":
            kind = "paragraph"
        parent = None
        for cut in range(len(tokens) - 1, 0, -1):
            candidate = f"{key}:{_join(tokens[:cut])}"
            if candidate in self._units:
                parent = candidate
                break
        rows: list[tuple[str, str]] = [(line, address) for line in str(entry["text"]).split("\n")]
        children: list[str] = []
        items = entry.get("items") or []
        for item in items:
            numeral = str(item["n"])
            child = f"{address}({numeral})"
            children.append(child)
            child_text = str(item["text"])
            rows.append((f"（{numeral}）{child_text}", child))
            self._rows[child] = [(child_text, child)]
            self._units[child] = Unit(
                address=child,
                source=key,
                kind="item",
                label=f"{label}第（{numeral}）项",
                title=item.get("title"),
                text=child_text,
                parent=address,
                verbatim=bool(item["verbatim"]),
                status=item.get("status", status),
                read_at=item.get("read_at", read_at),
            )
        if entry.get("after"):
            rows.extend((line, address) for line in str(entry["after"]).split("\n"))
        self._rows[address] = rows
        unit = Unit(
            address=address,
            source=key,
            kind=kind,
            label=label,
            title=entry.get("title"),
            text="\n".join(text for text, _ in rows),
            parent=parent,
            children=children,
            verbatim=bool(entry["verbatim"]),
            status=status,
            read_at=read_at,
        )
        # keep document order: the parent first, then its items
        item_units = {c: self._units.pop(c) for c in children}
        self._units[address] = unit
        self._units.update(item_units)
        if parent is not None:
            parent_unit = self._units[parent]
            self._units[parent] = parent_unit.model_copy(
                update={"children": [*parent_unit.children, address]}
            )

    def _label(self, source: Source, tokens: list[_Token]) -> str:
        """Human label built from address tokens (national units)."""
        out = ""
        for token in tokens:
            if token.kind == "part":
                out += source.layout.part_label.format(n=token.value)
            elif token.kind == "item" and source.layout.numbering == "sections":
                out += f"（{token.value[1:-1]}）"
            elif token.kind in ("clause", "name"):
                out += token.value
            else:
                out += token.describe()
        return out

    def _check(self) -> None:
        for source in self._sources.values():
            if source.status_basis:
                self.get(source.status_basis)
        for law in self.repealed:
            self.get(law.basis)

    # ---- public API

    @property
    def sources(self) -> dict[str, Source]:
        """All sources by key (sources.yaml order)."""
        return dict(self._sources)

    def source(self, key: str) -> Source:
        """The source with this key (or short name); CorpusError if unknown."""
        resolved = self._source_key(key)
        if resolved is None:
            raise CorpusError(f"没有名为“{key}”的法规来源。{self._known_sources(key)}")
        return self._sources[resolved]

    def units(self, source: str | None = None) -> list[Unit]:
        """All units in document order (sources in sources.yaml order), or those of one source."""
        if source is None:
            return list(self._units.values())
        key = self.source(source).key
        return [u for u in self._units.values() if u.source == key]

    def get(self, address: str) -> Unit:
        """Resolve an address to its unit; CorpusError with a Chinese explanation if it fails."""
        canonical = self.resolve(address)
        return self._units.get(canonical) or self._virtual[canonical]

    def __contains__(self, address: object) -> bool:
        if not isinstance(address, str):
            return False
        try:
            self.resolve(address)
        except CorpusError:
            return False
        return True

    def cite(self, address: str) -> str:
        """A citation string: 《广西壮族自治区…（征求意见稿）》第二十一条."""
        unit = self.get(address)
        source = self._sources[unit.source]
        if source.doc_number and source.doc_number.startswith("GB"):
            return f"{source.doc_number}《{source.title}》{unit.label}"
        return f"《{source.title}》{unit.label}"

    def search(self, term: str, source: str | None = None) -> list[Hit]:
        """Find the smallest units whose own text contains ``term``.

        Whitespace is ignored and full-/half-width brackets and punctuation match each other.
        A unit is reported once (first occurrence); an occurrence inside a sub-unit is reported
        for the sub-unit only, not again for its parents.
        """
        rx = _term_regex(term)
        hits: list[Hit] = []
        for unit in self.units(source):
            for text, owner in self._rows[unit.address]:
                if owner != unit.address:
                    continue
                m = rx.search(text)
                if m:
                    hits.append(Hit(unit=unit, snippet=_snippet(text, m.start(), m.end())))
                    break
        return hits

    def source_status(self, key: str, on: dt.date) -> tuple[SourceStatusCode, str]:
        """Whether a source can be cited as in force on a date: (code, Chinese explanation)."""
        source = self.source(key)
        if isinstance(on, dt.datetime):
            on = on.date()
        name = f"《{source.title}》"
        day = _fmt_date(on)
        basis = ""
        if source.status_basis:
            basis = f"（见{self.get(source.status_basis).label}）"
        if source.status == "draft":
            return (
                "draft",
                f"{name}是征求意见稿，尚未印发施行，不具有效力；引用时须注明“征求意见稿”，"
                "并以现行有效的规定为准。",
            )
        if source.status == "plan":
            return (
                "plan",
                f"{name}是改革实施方案，未规定施行日期和有效期；属于政策性文件，"
                "引用时宜核实其是否已被后续规定替代。",
            )
        if source.effective_from is not None and on < source.effective_from:
            return ("not_yet_effective", f"{name}自{_fmt_date(source.effective_from)}起施行，{day}尚未施行。")
        if source.effective_from is None and source.issued is not None and on < source.issued:
            return (
                "not_yet_effective",
                f"{name}（本语料收录的文本）于{_fmt_date(source.issued)}通过或公布，"
                f"{day}尚未施行；此前适用的文本条文序号可能不同。",
            )
        term = f"试行期{source.term}，" if source.term else ""
        since = f"自{_fmt_date(source.effective_from)}起施行，" if source.effective_from else ""
        if source.effective_to is not None and on > source.effective_to:
            until = "" if term else f"有效期至{_fmt_date(source.effective_to)}，"
            return (
                "expired",
                f"{name}{since}{term}{until}已于{_fmt_date(source.effective_to)}届满{basis}；"
                f"除非已经延期或者另有新的规定，{day}不应再作为现行有效的依据引用。",
            )
        if source.effective_to is not None:
            return (
                "in_force",
                f"{name}{since}{term}有效期至{_fmt_date(source.effective_to)}{basis}，{day}在有效期内。",
            )
        if source.effective_from is None:
            return ("in_force", f"{name}现行有效（施行日期未收录）。")
        return ("in_force", f"{name}{since}未规定有效期限{basis}，{day}现行有效。")

    # ---- address resolution

    def resolve(self, address: str) -> str:
        """The canonical form of an address; CorpusError (Chinese message) if it does not resolve."""
        original = address
        text = re.sub(r"\s+", "", str(address)).translate(_FULLWIDTH)
        if ":" not in text:
            raise CorpusError(
                f"无法解析法规地址“{original}”：地址应写作“来源:条款”，例如 guangxi:21、nantong:(六)"
            )
        key_text, path = text.split(":", 1)
        key = self._source_key(key_text)
        if key is None:
            raise CorpusError(
                f"无法解析法规地址“{original}”：没有名为“{key_text}”的法规来源。"
                f"{self._known_sources(key_text)}"
            )
        source = self._sources[key]
        if not path:
            raise CorpusError(f"无法解析法规地址“{original}”：缺少条款部分，例如 {self._example(key)}")
        full = f"{key}:{path}"
        if full in self._units or full in self._virtual:
            return full
        if full in self._aliases:
            return self._aliases[full]
        if source.layout.numbering == "named":
            raise self._error(original, key, [], _Token("name", path))
        path = self._annex_numeral(key, path)
        try:
            tokens = _tokenize(path, source.layout.numbering)
        except ValueError as exc:
            raise CorpusError(
                f"无法解析法规地址“{original}”：无法识别“{exc.args[0]}”。{self._grammar_hint(key)}"
            ) from exc
        canonical = f"{key}:{_join(tokens)}"
        if canonical in self._units or canonical in self._virtual:
            return canonical
        if canonical in self._aliases:
            return self._aliases[canonical]
        paras = [i for i, t in enumerate(tokens) if t.kind == "para"]
        if paras:
            return self._resolve_paragraph(original, key, tokens, paras[0])
        raise self._diagnose(original, key, tokens)

    def _resolve_paragraph(self, original: str, key: str, tokens: list[_Token], index: int) -> str:
        base = f"{key}:{_join(tokens[:index])}"
        if index == 0 or (base not in self._units and base not in self._aliases):
            if index == 0:
                raise CorpusError(f"无法解析法规地址“{original}”：“款”前须写明条文，例如 {key}:13¶2")
            raise self._diagnose(original, key, tokens[:index])
        base = self._aliases.get(base, base)
        unit = self._units[base]
        number = int(tokens[index].value[1:])
        paragraphs = self._paragraphs(base)
        if unit.kind in ("form", "annex") or not paragraphs:
            raise CorpusError(f"无法解析法规地址“{original}”：{unit.label}不分款")
        if not 1 <= number <= len(paragraphs):
            raise CorpusError(
                f"无法解析法规地址“{original}”：{self._sources[key].short}{unit.label}"
                f"没有第{int_to_cn(number)}款（共{len(paragraphs)}款）"
            )
        rows = paragraphs[number - 1]
        if index + 1 < len(tokens):  # e.g. 14¶1(三): the item must lie in that paragraph
            rest = f"{key}:{_join([*tokens[:index], *tokens[index + 1 :]])}"
            target = self._aliases.get(rest, rest)
            if target not in self._units:
                raise self._diagnose(original, key, [*tokens[:index], *tokens[index + 1 :]])
            if not any(owner == target or owner.startswith(target) for _, owner in rows):
                raise CorpusError(
                    f"无法解析法规地址“{original}”：{self._units[target].label}"
                    f"不在{unit.label}第{int_to_cn(number)}款中"
                )
            return target
        address = f"{base}¶{number}"
        if address not in self._virtual:
            children = []
            for _, owner in rows:
                if (
                    owner != base
                    and owner in self._units
                    and self._units[owner].parent == base
                    and owner not in children
                ):
                    children.append(owner)
            self._virtual[address] = Unit(
                address=address,
                source=key,
                kind="paragraph",
                label=f"{unit.label}第{int_to_cn(number)}款",
                text="\n".join(text for text, _ in rows),
                parent=base,
                children=children,
                verbatim=unit.verbatim,
                status=unit.status,
                read_at=unit.read_at,
            )
            self._rows[address] = rows
        return address

    def _paragraphs(self, address: str) -> list[list[tuple[str, str]]]:
        """Split a unit's rows into 款: each own line starts one; sub-units stay in theirs."""
        unit = self._units[address]
        rows = self._rows[address]
        if rows and unit.title and rows[0][0] == unit.title and len(rows) > 1:
            rows = rows[1:]  # a bare heading line is not a paragraph
        paragraphs: list[list[tuple[str, str]]] = []
        for text, owner in rows:
            if owner == address or not paragraphs:
                paragraphs.append([(text, owner)])
            else:
                paragraphs[-1].append((text, owner))
        return paragraphs

    def _source_key(self, text: str) -> str | None:
        if text in self._sources:
            return text
        lowered = text.lower()
        if lowered in self._sources:
            return lowered
        named = self._key_aliases.get(text) or self._key_aliases.get(text.strip("《》"))
        if named or not text:
            return named
        # a unique part of a short name or title: "广西" (广西细则), "张掖", "民诉法解释"
        found = {key for alias, key in self._key_aliases.items() if text.strip("《》") in alias}
        return found.pop() if len(found) == 1 else None

    def _known_sources(self, text: str) -> str:
        close = difflib.get_close_matches(text.lower(), list(self._sources), n=1, cutoff=0.6)
        hint = f"是否是“{close[0]}”？" if close else ""
        listing = "、".join(f"{k}（{s.short}）" for k, s in self._sources.items())
        return f"{hint}可用的来源：{listing}"

    def _example(self, key: str) -> str:
        for unit in self._units.values():
            if unit.source == key and unit.kind not in ("chapter", "annex", "named"):
                return unit.address
        return next(u.address for u in self._units.values() if u.source == key)

    def _grammar_hint(self, key: str) -> str:
        numbering = self._sources[key].layout.numbering
        if numbering == "articles":
            return f"条文地址形如 {key}:21、{key}:26(三)、{key}:13¶2，附件形如 {key}:附件1、{key}:附件2[5]。"
        if numbering == "sections":
            return f"地址形如 {key}:三、{key}:三(三)、{key}:三(一)1。"
        if numbering == "clauses":
            return f"条款地址形如 {key}:7.5。"
        return f"可用的地址：{'、'.join(u.address for u in self.units(key))}。"

    def _annex_numeral(self, key: str, path: str) -> str:
        """附件一 → 附件1 when the source numbers its annexes."""
        m = re.match(rf"附件([{_CN}]+)", path)
        if m and f"{key}:附件{cn_to_int(m.group(1))}" in self._units:
            return f"附件{cn_to_int(m.group(1))}{path[m.end() :]}"
        return path

    def _diagnose(self, original: str, key: str, tokens: list[_Token]) -> CorpusError:
        """Explain which part of an address failed and suggest near addresses."""
        cut = 0
        prefix: str | None = None
        for j in range(len(tokens) - 1, 0, -1):
            candidate = f"{key}:{_join(tokens[:j])}"
            candidate = self._aliases.get(candidate, candidate)
            if candidate in self._units:
                cut, prefix = j, candidate
                break
        return self._error(original, key, tokens[:cut], tokens[cut], prefix, tokens[cut:])

    def _error(
        self,
        original: str,
        key: str,
        head: list[_Token],
        failing: _Token,
        prefix: str | None = None,
        rest: list[_Token] | None = None,
    ) -> CorpusError:
        source = self._sources[key]
        lead = f"无法解析法规地址“{original}”："
        missing_key = _join([*head, failing]) if not source.layout.items_unique else failing.value
        if missing_key in source.layout.missing:
            return CorpusError(lead + source.layout.missing[missing_key])
        where = f"{source.short}{self._units[prefix].label}" if prefix else source.short
        # the same path elsewhere in the source: ambiguous or misplaced
        tail = _join(rest or [failing])
        scope = f"{prefix}" if prefix else f"{key}:"
        elsewhere = [
            a
            for a, u in self._units.items()
            if u.source == key and a.startswith(scope) and a.endswith(tail) and a != scope
        ]
        if len(elsewhere) > 1:
            return CorpusError(
                f"{lead}{where}中有{len(elsewhere)}处{failing.describe()}，地址有歧义，"
                f"请写明所属部分：{'、'.join(elsewhere[:8])}"
            )
        if len(elsewhere) == 1:
            return CorpusError(f"{lead}{where}没有直接下属的{failing.describe()}；是否是 {elsewhere[0]}？")
        # a unit known only in part (national: 第十八条 only as 18¶1(三))
        canon = f"{key}:{_join([*head, failing])}"
        deeper = [
            a
            for a, u in self._units.items()
            if u.source == key and a.startswith(canon) and a[len(canon) :][:1] in ("(", "¶", "[")
        ]
        if deeper:
            return CorpusError(f"{lead}{where}的{failing.describe()}只收录了：{_listing(deeper)}")
        kind = self._kind_of(failing)
        if prefix:
            siblings = list(self._units[prefix].children)
            if not siblings:
                return CorpusError(
                    f"{lead}{where}没有{failing.describe()}：{self._units[prefix].label}下没有再细分的项目。"
                )
            container = f"{self._units[prefix].label}下的地址"
        else:
            siblings = [a for a, u in self._units.items() if u.source == key and u.kind == kind] or [
                a for a, u in self._units.items() if u.source == key and u.parent is None
            ]
            if source.is_national:
                return CorpusError(
                    f"{lead}本语料未收录{where}{failing.describe()}（只收录经核实的条文：{_listing(siblings)}）"
                )
            if kind == "article" and siblings and self._units[siblings[0]].kind == "article":
                return CorpusError(
                    f"{lead}{where}没有{failing.describe()}（共{len(siblings)}条：{siblings[0]} 至 {siblings[-1]}）"
                )
            container = "可用的地址"
        same_kind = [a for a in siblings if self._units[a].kind == kind] or siblings
        return CorpusError(f"{lead}{where}没有{failing.describe()}（{container}：{_listing(same_kind)}）")

    @staticmethod
    def _kind_of(token: _Token) -> str:
        return {
            "article": "article",
            "item": "item",
            "part": "part",
            "form": "form",
            "annex": "annex",
            "sub": "subitem",
            "chapter": "chapter",
            "clause": "clause",
            "name": "named",
        }.get(token.kind, "")


def _listing(addresses: list[str]) -> str:
    if not addresses:
        return "（无）"
    if len(addresses) <= 8:
        return "、".join(addresses)
    return f"{'、'.join(addresses[:3])} … {addresses[-1]}（共{len(addresses)}个）"


_EQUIVALENT = [
    ("（", "("),
    ("）", ")"),
    ("，", ","),
    ("：", ":"),
    ("；", ";"),
    ("！", "!"),
    ("？", "?"),
    ("〔", "["),
    ("〕", "]"),
]


def _term_regex(term: str) -> re.Pattern[str]:
    """Whitespace-insensitive pattern; full/half-width punctuation alike; "5日" ≠ "15日"."""
    chars = [c for c in term if not c.isspace()]
    if not chars:
        raise CorpusError("检索词不能为空")
    parts = []
    for char in chars:
        group = next((pair for pair in _EQUIVALENT if char in pair), None)
        parts.append("[" + "".join(re.escape(c) for c in group) + "]" if group else re.escape(char))
    pattern = r"[ \t\u3000]*".join(parts)
    if chars[0].isdigit():
        pattern = r"(?<![0-9])" + pattern
    if chars[-1].isdigit():
        pattern += r"(?![0-9])"
    return re.compile(pattern)


def _snippet(text: str, start: int, end: int, context: int = 20) -> str:
    left = max(0, start - context)
    right = min(len(text), end + context)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


# --------------------------------------------------------------------------- loading


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return datafile.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"无法读取语料数据文件 {path}：{exc}") from exc


@functools.cache
def load_corpus(root: Path | None = None) -> Corpus:
    """Parse sources.yaml, every local text and national.yaml once (cached)."""
    base = Path(root) if root is not None else CORPUS_DIR
    meta = _read_yaml(base / "sources.yaml")
    try:
        entries = [Source.model_validate(entry) for entry in meta["sources"]]
    except (ValidationError, KeyError, TypeError) as exc:
        raise CorpusError(f"语料数据有误：sources.yaml 格式不正确：{exc}") from exc
    sources: dict[str, Source] = {}
    for entry in entries:
        if entry.key in sources:
            raise CorpusError(f"语料数据有误：sources.yaml 中来源“{entry.key}”重复")
        sources[entry.key] = entry
    corpus = Corpus(sources)
    try:
        corpus.repealed = [Repealed.model_validate(entry) for entry in meta.get("repealed") or []]
    except ValidationError as exc:
        raise CorpusError(f"语料数据有误：sources.yaml 的 repealed 格式不正确：{exc}") from exc
    national_loaded = False
    for source in sources.values():
        if source.is_national:
            if not national_loaded:
                corpus._add_national(_read_yaml(base / "texts" / source.file) or {})
                national_loaded = True
            continue
        path = base / "texts" / source.file
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CorpusError(f"无法读取法规文本 {path}：{exc}") from exc
        corpus._add_tree(_parse_text(source, raw))
    _reorder(corpus, sources)
    corpus._check()
    return corpus


def _reorder(corpus: Corpus, sources: dict[str, Source]) -> None:
    """Put units in sources.yaml order (national units were added in national.yaml order)."""
    ordered: dict[str, Unit] = {}
    for key in sources:
        for address, unit in corpus._units.items():
            if unit.source == key:
                ordered[address] = unit
    corpus._units = ordered

