"""Corpus addresses: tokenising ``guangxi:26(三)``-style paths (full-width and Chinese forms accepted)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ecokernel.cnfmt import cn_to_int, int_to_cn

_CN = "零〇一二三四五六七八九十百千两"  # characters of a Chinese numeral (article/item numbers)

# --------------------------------------------------------------------------- address tokens

_TOKEN_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("annex", re.compile(rf"附件(\d+|[{_CN}]+)?")),
    ("chapter", re.compile(rf"第(\d+|[{_CN}]+)章")),
    ("article", re.compile(rf"第(\d+|[{_CN}]+)条")),
    ("para", re.compile(rf"(?:¶|款)(\d+)|第(\d+|[{_CN}]+)款")),
    ("item", re.compile(rf"\(([{_CN}]+)\)|第\(?([{_CN}]+)\)?项")),
    ("form", re.compile(r"\[(\d+)\]")),
    ("sub", re.compile(rf"第(\d+|[{_CN}]+)目")),
    ("clause", re.compile(r"\d+(?:\.\d+)+")),
    ("num", re.compile(r"(\d+)\.?")),
    ("cn", re.compile(rf"([{_CN}]+)、?")),
]
_FULLWIDTH = str.maketrans(
    {"（": "(", "）": ")", "［": "[", "］": "]", "【": "[", "】": "]", "：": ":", "〔": "[", "〕": "]"}
)


@dataclass(frozen=True)
class _Token:
    kind: str  # annex chapter article para item form sub clause part name
    value: str  # canonical rendering

    def describe(self) -> str:
        """Chinese description used in error messages (第九十九条, 第（九）项 …)."""
        v = self.value
        if self.kind == "article":
            return f"第{int_to_cn(int(v))}条" if v.isdigit() else f"第{v}条"
        if self.kind == "item":
            return f"第（{v[1:-1]}）项"
        if self.kind == "part":
            return f"“{v}、”部分"
        if self.kind == "form":
            return f"示范文本{v}"
        if self.kind == "para":
            return f"第{int_to_cn(int(v[1:]))}款"
        if self.kind == "sub":
            return f"第{v}目"
        if self.kind == "clause":
            return f"第{v}条款"
        if self.kind == "name":
            return f"“{v}”"
        return v  # annex, chapter


def _num(text: str) -> int:
    return int(text) if text.isdigit() else cn_to_int(text)


def _tokenize(path: str, numbering: str) -> list[_Token]:
    """Split a normalised address path into canonical tokens; raise ValueError on junk."""
    tokens: list[_Token] = []
    pos = 0
    while pos < len(path):
        for kind, rx in _TOKEN_PATTERNS:
            if kind == "clause" and numbering != "clauses":
                continue
            m = rx.match(path, pos)
            if m and m.end() > pos:
                break
        else:
            raise ValueError(path[pos:])
        pos = m.end()
        groups = [g for g in m.groups() if g is not None]
        previous = tokens[-1].kind if tokens else None
        if kind == "annex":
            tokens.append(_Token("annex", "附件" + (str(_num(groups[0])) if groups else "")))
        elif kind == "chapter":
            tokens.append(_Token("chapter", f"第{int_to_cn(_num(groups[0]))}章"))
        elif kind == "article":
            tokens.append(_Token("article", str(_num(groups[0]))))
        elif kind == "para":
            tokens.append(_Token("para", f"¶{_num(groups[0])}"))
        elif kind == "item":
            tokens.append(_Token("item", f"({int_to_cn(_num(groups[0]))})"))
        elif kind == "form":
            tokens.append(_Token("form", f"[{int(groups[0])}]"))
        elif kind == "sub":
            tokens.append(_Token("sub", str(_num(groups[0]))))
        elif kind == "clause":
            tokens.append(_Token("clause", m.group(0)))
        elif kind == "num":
            if numbering == "articles" and previous in (None, "chapter"):
                tokens.append(_Token("article", str(int(groups[0]))))
            elif numbering == "clauses" and previous is None:
                tokens.append(_Token("clause", groups[0]))
            else:
                tokens.append(_Token("sub", str(int(groups[0]))))
        else:  # Chinese numeral without markers
            value = _num(groups[0])
            if numbering == "articles" and previous in (None, "chapter"):
                tokens.append(_Token("article", str(value)))
            else:
                tokens.append(_Token("part", int_to_cn(value)))
    return tokens


def _join(tokens: Iterable[_Token]) -> str:
    return "".join(t.value for t in tokens)


