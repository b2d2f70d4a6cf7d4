"""Redaction of texts and DOCX documents for publication (政府信息公开条例 15, 37): 身份证号, phone
numbers, bank account numbers and the personal addresses of natural persons are masked; passages
marked as trade secrets (between the markers of ``publication.yaml``) are removed.

What is personal comes from two places: patterns (an 18- or 15-digit number that reads as a
公民身份号码, mobile and fixed-line numbers, a long digit run after 账号/账户/卡号 or one that passes
the Luhn check) and the case data (the addresses of obligors and agents who are natural persons,
and of anything after 住址/家庭住址). A unit's 住所 and its 统一社会信用代码 are public and stay.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from casefile.model import Case as CaseData
from ecokernel.errors import UserError
from ecokernel.identifiers import classify_identifier

ID_MASK = "（身份证号码已隐去）"
PHONE_MASK = "（电话号码已隐去）"
ACCOUNT_MASK = "（银行账号已隐去）"
ADDRESS_MASK = "（个人地址已隐去）"
SECRET_TEXT = "（此处涉及商业秘密，已删除）"

_DIGITS_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_ACCOUNT_AFTER = re.compile(r"((?:银行)?(?:账号|帐号|账户|帐户|卡号)[：:为是\s]*)(\d[\d \-]{10,32}\d)")
_LONG_DIGITS = re.compile(r"(?<![0-9A-Za-z])(\d{16,19})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}-)\d{7,8}(?:-\d{1,6})?(?!\d)")
_ADDRESS_LABEL = re.compile(r"((?:家庭住址|户籍地址|现住址|住址|现住)[：:\s]*)([^，。；;,\n\t（(：:\s][^，。；;,\n\t（(]*)")


def _luhn(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@dataclass
class Redactor:
    """Masks one case's personal data; counts what it masked (by kind, in Chinese)."""

    addresses: list[str] = field(default_factory=list)
    secret_open: str = "【商业秘密】"
    secret_close: str = "【/商业秘密】"
    counts: Counter[str] = field(default_factory=Counter)

    @classmethod
    def for_case(cls, case: CaseData | None, secret_open: str, secret_close: str) -> Redactor:
        addresses: list[str] = []
        if case is not None:
            people = [o for o in case.obligors if o.kind.value == "person"]
            addresses += [a for o in people if (a := getattr(o, "address", None))]
            addresses += [a for agent in case.agents if (a := getattr(agent, "address", None))]
        return cls(sorted(set(addresses), key=len, reverse=True), secret_open, secret_close)

    def _sub(self, pattern: re.Pattern[str], text: str, kind: str, mask: str, group: int = 0,
             keep: object = None) -> str:
        def replace(m: re.Match[str]) -> str:
            if keep is not None and keep(m):  # type: ignore[operator]
                return m.group(0)
            self.counts[kind] += 1
            if group:
                return m.group(0)[:m.start(group) - m.start(0)] + mask
            return mask
        return pattern.sub(replace, text)

    def text(self, text: str, where: str = "") -> str:
        """``text`` with secrets removed and personal data masked."""
        text = self._secrets(text, where)
        for address in self.addresses:
            if address in text:
                self.counts["住址"] += text.count(address)
                text = text.replace(address, ADDRESS_MASK)
        text = self._sub(_ADDRESS_LABEL, text, "住址", ADDRESS_MASK, group=2)
        text = self._sub(_DIGITS_ID, text, "身份证号", ID_MASK, keep=lambda m: classify_identifier(m.group(1)) != "ric")
        text = self._sub(_ACCOUNT_AFTER, text, "银行账号", ACCOUNT_MASK, group=2)
        text = self._sub(_LONG_DIGITS, text, "银行账号", ACCOUNT_MASK, keep=lambda m: not _luhn(m.group(1)))
        text = self._sub(_MOBILE, text, "电话号码", PHONE_MASK)
        return self._sub(_LANDLINE, text, "电话号码", PHONE_MASK)

    def _secrets(self, text: str, where: str) -> str:
        out, rest = [], text
        while self.secret_open in rest:
            before, _, after = rest.partition(self.secret_open)
            if self.secret_close not in after:
                raise UserError(f"商业秘密标记未闭合：“{self.secret_open}”之后没有“{self.secret_close}”"
                                + (f"（{where}）" if where else ""))
            _secret, _, rest = after.partition(self.secret_close)
            out += [before, SECRET_TEXT]
            self.counts["商业秘密"] += 1
        if self.secret_close in rest:
            raise UserError(f"商业秘密标记不成对：“{self.secret_close}”之前没有“{self.secret_open}”"
                            + (f"（{where}）" if where else ""))
        return "".join(out) + rest


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")


def redact_docx(data: bytes, redactor: Redactor, name: str) -> bytes:
    """A copy of the DOCX with every paragraph's text redacted. A changed paragraph keeps the format
    of its first run; secrets spanning paragraphs must be marked in each paragraph."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UserError(f"不是有效的 DOCX 文件：{name}") from None
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            raw = source.read(info)
            if _PARTS.fullmatch(info.filename):
                raw = _redact_part(raw, redactor, name)
            target.writestr(info, raw)
    return out.getvalue()


def _redact_part(raw: bytes, redactor: Redactor, name: str) -> bytes:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(raw, parser)
    for p in root.iter(f"{{{W}}}p"):
        texts = [t for t in p.iter(f"{{{W}}}t") if t.getparent() is not None]
        if not texts:
            continue
        before = "".join(t.text or "" for t in texts)
        after = redactor.text(before, name)
        if after != before:
            texts[0].text = after
            texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            for t in texts[1:]:
                t.text = ""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
