"""Who the parties of a document are, whatever its layout.

Offices lay the parties out in several ways: ``label：value`` lines, a ``label | value`` table whose
cells a reader returns line by line ("名称" then "南宁市生态环境局"), a role line with the side in
a parenthetical on the next line ("申请人一" / "（赔偿权利人指定部门）"), one prose sentence per
party ("申请人张德胜，男，公民身份号码…，住…"), or a letter's salutation ("××有限公司：").
This module finds each party's block, decides its side (the claimant side: the 赔偿权利人, its
designated department, the 申请执行人, the 告知人; the obligor side: the 赔偿义务人, 被申请人,
被执行人, 被告知人) and reads its fields. Element rules with a ``party:`` detector ask it instead
of matching one layout. The vocabulary is data: ``checkers/data/parties.yaml``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from checkers.document import Block, Document
from checkers.extract.labels import is_label, role_labels
from checkers.extract.text import close_wraps, open_bracket
from ecokernel.identifiers import BARE_CODE_RX, classify_identifier
from ecokernel.sourcefile import packaged_data

#: how a field is named in messages
FIELD_NAMES = {"name": "名称或姓名", "uscc": "统一社会信用代码", "id_number": "身份证号码",
               "legal_rep": "法定代表人（负责人）", "address": "地址", "contact": "联系方式",
               "address_or_contact": "地址或联系方式", "occupation": "工作单位或职业"}
_MAX_BLOCK_LINES = 12
# a signing date on a line of its own, under the sender's name
_DATE_LINE = re.compile(r"^[ \t　]*(?:\d{4}|[〇○零一二三四五六七八九]{4})[ \t　]*年[^\n]{1,8}[日号][ \t　]*$")
# a line that ends inside a field (a label, a code or an address cut by the page width)
_WRAPPED = re.compile(r"(?:统一社会信用代码|信用代码|身份号码|身份证号码?|地址|住所地?|住址|电话|联系方式)[：:]?[ \t　]*$|[0-9A-Za-z－\-]$")
_MAX_NAME = 40


@dataclass
class Party:
    side: str  # claimant | obligor | third (a restorer or guarantor who is a party to the agreement)
    label: str  # the role label as written, with its parentheticals
    start: int  # offset of the block in the text
    end: int
    name: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        if name == "name":
            return self.name is not None
        if name == "address_or_contact":
            return "address" in self.fields or "contact" in self.fields
        return name in self.fields


@dataclass(frozen=True)
class _Vocabulary:
    opener: re.Pattern[str]
    salutation: re.Pattern[str]
    sender: re.Pattern[str]
    seal: re.Pattern[str]
    field_line: re.Pattern[str]
    fields: dict[str, re.Pattern[str]]
    obligor_labels: re.Pattern[str]
    claimant_labels: re.Pattern[str]
    third_party_words: re.Pattern[str]
    obligor_words: re.Pattern[str]
    claimant_words: re.Pattern[str]
    public_body: re.Pattern[str]
    private_body: re.Pattern[str]
    person_name: re.Pattern[str]


@functools.cache
def _vocabulary() -> _Vocabulary:
    data: dict[str, Any] = packaged_data("checkers.data", "parties.yaml")
    openers = data["openers"]
    label = role_labels()
    opener = re.compile(
        rf"^[ \t　]*(?P<open>【)?(?P<label>(?:{label})[一二三四五六七八九1-9]?)(?:名称或姓名|姓名或名称|单位名称|名称|姓名)?"
        r"(?P<paren>(?:[ \t　]*[（(][^）)\n]{0,40}[）)])*)[ \t　]*(?(open)(?P<close>】))"
        # "赔偿义务人是X（…）" / "申请人为X公司": 是 or 为 in the colon's place, in running prose
        r"[ \t　]*(?P<colon>[：:]|是(?=[\u4e00-\u9fff]{4})|为(?=[^，,。；\n]{2,40}?(?:公司|合作社|厂|局|人民政府|委员会|中心)[（(，,。；]))?"
        r"[ \t　]*(?P<rest>.*)$")
    private = data["private_body"]
    field_words = ("名称|单位名称|姓名|统一社会信用代码|社会统一信用代码|社会信用代码|信用代码|公民身份号码|"
                   "居民身份证号码|身份证号码|身份证号|身份证|法定代表人|主要负责人|企业负责人|负责人|经营者|"
                   "执行事务合伙人|投资人|地址|住所|住址|注册地址|经营地址|经营场所|联系电话|电话|联系方式|"
                   "手机|联系人|工作单位|职业|职务|性别|民族|出生|企业类型|企业性质|经济类型|单位性质|国籍|护照|"
                   "(?:主体|当事人|单位)?类型|家庭住址|户籍地")
    return _Vocabulary(
        opener=opener,
        salutation=re.compile(rf"^[ \t　]*(?P<name>[^\s：:，,。（(]{{2,{_MAX_NAME}}}?{private.rstrip('$')})"
                              r"[ \t　]*(?:[（(][^）)\n]{0,160}[）)])?[ \t　]*[：:][ \t　]*$"),
        sender=re.compile(rf"^[ \t　]*(?P<name>[^\s：:，,。（(]{{2,{_MAX_NAME}}}?{data['public_body'].rstrip('$')})"
                          rf"[ \t　]*(?P<seal>{data['seal']})?[ \t　]*$"),
        seal=re.compile(rf"^[ \t　]*{data['seal']}[ \t　]*$"),
        field_line=re.compile(rf"^[ \t　]*(?:{field_words})"),
        fields={k: re.compile(v) for k, v in data["fields"].items()},
        obligor_labels=re.compile("|".join(f"(?:{p})" for p in openers["obligor"])),
        claimant_labels=re.compile("|".join(f"(?:{p})" for p in openers["claimant"])),
        third_party_words=re.compile(data["third_party_words"]),
        obligor_words=re.compile(data["obligor_words"]),
        claimant_words=re.compile(data["claimant_words"]),
        public_body=re.compile(data["public_body"]),
        private_body=re.compile(private),
        person_name=re.compile(data["person_name"]),
    )


def third_party_words() -> re.Pattern[str]:
    """Words that make a party label a third party's ("受托修复单位", "保证人")."""
    return _vocabulary().third_party_words


@functools.lru_cache(maxsize=8)
def third_party_labels(text: str) -> frozenset[str]:
    """The contract labels (丙方, 丁方) ``text`` defines as a third party ("受托修复单位（丙方）：…",
    "丙方（保证人）：…"): a bare "丙方：X" then names neither side. (Asked by the party layer and by the
    rules' values of one document: worked out once per text.)"""
    if "方" not in text:
        return frozenset()
    return frozenset(m["a"] or m["b"] for m in _third_party_rx().finditer(text))


@functools.cache
def _third_party_rx() -> re.Pattern[str]:
    words = _vocabulary().third_party_words.pattern
    return re.compile(rf"(?:{words})[^，,。；;：:\n（(]{{0,6}}[（(](?P<a>[丙丁戊]方)[）)]"
                      rf"|(?P<b>[丙丁戊]方)[（(][^）)\n]{{0,8}}(?:{words})")


def is_public_body(name: str) -> bool:
    """Whether ``name`` ends as a public body's name does (局, 人民政府, 委员会, …: the claimant side)."""
    return bool(_vocabulary().public_body.search(name))


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def names_a_body(text: str) -> bool:
    """Whether ``text`` names an organisation: a run of Chinese characters in it ends as a public or a
    private body's name does."""
    v = _vocabulary()
    return any(v.public_body.search(m.group()) or v.private_body.search(m.group()) for m in _CJK_RUN.finditer(text))


def _lines(text: str) -> list[tuple[int, str]]:
    """The lines of ``text`` with their offsets; a line of running prose is cut after each 。 whose
    next sentence opens with a role label ("…具体办理。赔偿义务人是X公司（…）。"), so that a party
    introduced mid-paragraph opens a block as it would on a line of its own."""
    out, at = [], 0
    for line in text.split("\n"):
        start = 0
        for m in _PROSE_ROLE.finditer(line):
            out.append((at + start, line[start:m.start()]))
            start = m.start()
        out.append((at + start, line[start:]))
        at += len(line) + 1
    return out


#: a sentence of running prose that opens with a party's role label
_PROSE_ROLE = re.compile(r"(?<=。)(?=(?:赔偿义务人|赔偿权利人|申请人|被申请人|被告知人|甲方|乙方)(?:是|为|：|:))")


def is_statement(rest: str) -> bool:
    """What follows a party's label and colon is a sentence it says ("乙方：对鉴定评估结论及修复方案无
    异议。") or a box it ticks ("乙方：☑无异议"), not its name: one sentence to its full stop that is
    neither a body's nor a person's name."""
    v = _vocabulary()
    if _TICK_BOX.match(rest):
        return True  # "乙方：☑无异议 ☐有异议": the box it ticked
    said = re.split(r"[，,；;（(\s]", rest.strip(), maxsplit=1)[0].rstrip("。")
    return rest.rstrip().endswith("。") and len(said) > 4 and not _complete_body(said, v) \
        and not v.person_name.fullmatch(said)


#: a tick box, ticked or not, opening a choice ("☑无异议", "□有异议", "（√）同意")
_TICK_BOX = re.compile(r"[ \t　]*(?:[☑☐□■☒✓✔√]|[（(][ \t　]*[√✓✔×xX]?[ \t　]*[)）])")


#: a verb or preposition that opens the words after a role in prose: the party acting, not its name
_VERB_LEAD = re.compile(r"(?:委托|由|向|将|与|应|已|按|经|对|在|自|同意|承诺|负责|支付|缴纳|承担|聘请|邀请|会同|联合)")


def _plausible_name(candidate: str, after: str, v: _Vocabulary) -> bool:
    """A name in prose ("申请人张德胜，男，…", "申请人南通市生态环境局，统一社会信用代码…")."""
    if not candidate or len(candidate) > _MAX_NAME or _VERB_LEAD.match(candidate):
        return False  # "乙方委托甘肃祁连…有限公司（统一社会信用代码…）实施修复": what a party does, not its name
    if _complete_body(candidate, v):
        return True
    return bool(v.person_name.match(candidate)) and bool(re.match(r"[，,][ \t　]*(?:男|女|公民|身份|住|汉族|\d{4}年)", after))


def _side(label: str, paren: str, name: str | None, v: _Vocabulary) -> str | None:
    words = label + paren
    if v.third_party_words.search(words):
        return "third"  # "丙方（受托修复单位）", "保证人（丙方）": neither side
    if v.obligor_words.search(words):
        return "obligor"
    if v.claimant_words.search(words):
        return "claimant"
    if v.obligor_labels.fullmatch(label.rstrip("一二三四五六七八九123456789")):
        return "obligor"
    if v.claimant_labels.fullmatch(label.rstrip("一二三四五六七八九123456789")):
        return "claimant"
    if name:  # 申请人 without a side: a public body applies for the claimant, anyone else is the obligor
        return "claimant" if v.public_body.search(name) else "obligor"
    return None


#: the name field's label between a role and the name ("乙方一 名称 X")
_NAME_LEAD = re.compile(r"(?:单位名称|名称|姓名)(?:[ \t　]*[：:][ \t　]*|[ \t　]+)(?=\S)")

#: the name field's label alone after a role's colon
_BARE_NAME_LABEL = re.compile(r"(?:单位名称|名称|姓名|名称（姓名）|姓名（名称）|名称或姓名|姓名或名称|名称/姓名|姓名/名称)[ \t　]*[：:]?")

#: a line that names a party and defines what it is called: "X（以下简称“赔偿义务人”），男，…"
_DEFINED = re.compile(r"^[ \t　]*(?P<name>[^\s：:，,。（(“”]{2,40}?)[ \t　]*[（(]以下(?:简称|称)[ \t　]*[“\"「]?"
                      r"(?P<alias>[^”\"」）)]{1,12})[”\"」]?[ \t　]*[）)]")
#: what follows a party's name on its own line: identity fields, not the facts of the case
_IDENTITY = re.compile(r"[，,][ \t　]*(?:男|女)[，,]|统一社会信用代码|社会信用代码|公民身份|身份证|住所|法定代表人|出生")


#: a parenthetical right after a label's colon ("申请人：（赔偿义务人）…"), which names the side
_LEAD_PAREN = re.compile(r"[（(][^）)\n]{2,20}[）)][ \t　]*")


def _open(lines: list[tuple[int, str]], i: int, v: _Vocabulary) -> tuple[Party, int] | None:
    """The party whose block opens at line ``i`` and the index of its last line, or None."""
    at, line = lines[i]
    m = v.opener.match(line)
    last = i
    if m is not None and not m["paren"] and not m["colon"]:
        # "申请人（赔偿权" / "利人指定的部" / "门）": a label wrapped in a narrow table column
        k, joined = i, line.rstrip()
        # ("申请人" / "（赔偿权利人" / "指定的部门）": the parenthetical itself wrapped)
        while ((open_bracket(joined)
                or (k == i and lines[k + 1:k + 2] and lines[k + 1][1].lstrip().startswith(("（", "("))))
               and k + 1 < len(lines) and k - i < 3 and len(lines[k + 1][1].strip()) <= 10):
            k += 1
            joined += lines[k][1].strip()
        if k > i and (rejoined := v.opener.match(joined)) is not None and rejoined["paren"]:
            m, last = rejoined, k
    if m is None and "以下" in line and (d := _DEFINED.match(line)) is not None \
            and _IDENTITY.search(line[d.end():d.end() + 60]):
        # "郭福林（以下简称“赔偿义务人”），男，汉族，…公民身份号码…": the party named first, its role defined
        name, alias = d["name"], d["alias"]
        side = _side(alias, "", None, v) or _side("申请人", "", name, v) or ""
        party = Party(side, f"{name}（以下简称“{alias}”）", at, at + len(line), name=name)
        return party, i
    if m is None:
        # (a salutation ends with its colon)
        s = v.salutation.match(line) if line.rstrip(" \t　").endswith(("：", ":")) else None
        if s is not None:
            return Party("obligor", "", at, at + len(line), name=s["name"]), i
        sender = v.sender.match(line)
        if sender is None:
            return None
        closing = i + 1 < len(lines) and (v.seal.match(lines[i + 1][1]) or _DATE_LINE.match(lines[i + 1][1]))
        if sender["seal"] or closing:
            return Party("claimant", "", at, at + len(line), name=sender["name"]), i
        return None
    label, paren, rest = m["label"], m["paren"] or "", m["rest"].strip()
    if m["colon"] and (lead := _LEAD_PAREN.match(rest)) is not None and _side(label, lead.group(), None, v):
        paren, rest = paren + lead.group().strip(), rest[lead.end():]  # "申请人：（赔偿义务人）X"
    name: str | None = None
    named = _NAME_LEAD.match(rest)
    if named:  # "乙方一 名称 融安县鑫磊矿业有限公司", "乙方二 姓名 覃永福，男，…": the field's label, then the name
        rest = rest[named.end():]
    elif _BARE_NAME_LABEL.fullmatch(rest):
        rest = ""  # "赔偿义务人：姓名" / "赵永刚": the name field's label alone, its value on the next line
    if rest:
        candidate = re.split(r"[，,；;（(\s]", rest, maxsplit=1)[0]
        if m["colon"] and not named and is_statement(rest):
            return None  # "乙方：对鉴定评估结论及修复方案无异议。": what a party says, not its block
        if m["colon"] or m["close"] or named:  # "申请人：X" / "【申请人（赔偿义务人）】X"
            name = candidate or None
        elif _plausible_name(candidate, rest[len(candidate):], v):
            name = candidate
        else:
            return None  # prose that merely starts with a role word ("申请人根据…", "乙方应于…")
    elif last + 1 < len(lines) and re.fullmatch(r"[ \t　]*[（(][^）)\n]{1,40}[）)][ \t　]*", lines[last + 1][1]):
        paren += lines[last + 1][1].strip()  # "申请人一" / "（赔偿权利人指定部门）"
        last += 1
    end = lines[last][0] + len(lines[last][1]) if last > i else at + len(line)
    party = Party(_side(label, paren, name, v) or "", label + paren, at, end, name=name)
    return party, last


def _extend(party: Party, lines: list[tuple[int, str]], last: int, v: _Vocabulary) -> int:
    """The index of the block's last line: the field lines that follow the opener, a bare value line
    after a label-only line ("名称" / "南宁市生态环境局"), and the name line after a role line
    without one ("赔偿义务人（以下简称“乙方”）" / "合浦县宏林木业有限公司")."""
    j = last + 1
    after_opener = party.name is None
    want_value = after_opener
    name_label = False  # the line before is the name's own label ("名称" / "九江市生态环境局")
    while j < len(lines) and j - last <= _MAX_BLOCK_LINES:
        at, line = lines[j]
        text = line.strip()
        if not text or _open(lines, j, v) is not None:
            break
        previous = lines[j - 1][1].rstrip()
        if v.field_line.match(line):
            # a label alone ("统一社会信用代码", "社会统一信用代码（身份证号）"): its value is on the next line
            want_value = (len(re.sub(r"[（(][^）)\n]{0,12}[）)]", "", text)) <= 12
                          and not re.search(r"[：:][ \t　]*\S", text))
            name_label = want_value and bool(_NAME_LABEL.fullmatch(text))
        elif j + 1 < len(lines) and len(text) <= 12 and v.field_line.match(text + lines[j + 1][1].strip()):
            # "统一社会信用代" / "码": a label wrapped in a narrow column
            party.end = lines[j + 1][0] + len(lines[j + 1][1])
            want_value, after_opener = True, False
            j += 2
            continue
        elif (party.name and len(text) <= 10 and not _complete_body(party.name, v)
                and _complete_body(party.name + text, v)):
            party.name += text  # "大竹县恒昌造纸" / "有限公司": the name wrapped in its cell
        elif party.name and not _complete_body(party.name, v) and (tail := _name_tail(party.name, text, v)):
            party.name += tail  # "…精细化工有限公" / "司（以下简称“宏泰公司”）": the wrap cut the name
        elif ((cut := _NAME_FIELD.match(previous)) and not _complete_body(cut["v"], v)
              and _name_tail(cut["v"], text, v)):
            pass  # "名称：…精细化工有限公" / "司（以下简称…）": the name field's value wrapped
        elif previous.endswith(("：", ":")) or _WRAPPED.search(previous):
            pass  # a value or a sentence the page wrapped onto the next line
        elif _ANOTHER_PERSON.match(text):
            pass  # "被申请人姓名：张二旦（公民身份号码…）；" / "王拴柱（公民身份号码…）": the next of several persons
        elif (tail := _last_label(previous)) is not None and (
                tail == "" or (len(text) <= 4 and v.field_line.match(tail + text))):
            # "法定代表人：X 地址（联系方式）" / "Y": the value of a label that ends the line before;
            # "衡水市生态环境局 统一社会信用代" / "码": a label a four-column table's cell wrapped
            want_value = tail != ""
        elif _PHONE_LINE.fullmatch(text) and _CONTACT_LABEL.search(previous):
            pass  # "地址（联系方式）：…隆畅路12号；" / "0936-6121583": the phone number the cell wrapped
        elif want_value and len(text) <= 2 * _MAX_NAME:
            if (after_opener or name_label) and party.name is None:
                party.name = re.split(r"[，,；;（(\s]", text, maxsplit=1)[0]
            want_value = name_label = False
        else:
            break
        after_opener = False
        party.end = at + len(line)
        j += 1
    return j - 1


#: a line that is a telephone number alone, and the labels whose value it may end
_PHONE_LINE = re.compile(r"[ \t　]*(?:\d{3,4}[-－—]?)?\d{7,8}(?:[-－—]\d{1,4})?[；;。]?[ \t　]*|[ \t　]*1\d{10}[；;。]?[ \t　]*")
_CONTACT_LABEL = re.compile(r"地址|住所|住址|联系方式|电话")


#: one more natural person of the same side, with an identification number in brackets
_ANOTHER_PERSON = re.compile(r"^[ \t　]*[\u4e00-\u9fff]{2,4}[（(](?:公民身份号码|身份证号码|身份证号|身份证)[：:]?[ \t　]*\d{17}[\dXx][）)][；;，,。]?[ \t　]*$")


def _last_label(line: str) -> str | None:
    """After a line of a party block whose last word is a field label without its value: "" when the
    label is whole ("…贾卫民 地址（联系方式）"), else the last word, which may be a label a cell wrapped
    ("…局 统一社会信用代"); None when the last word cannot be either."""
    words = line.split()
    if len(words) < 2 or re.search(r"[：:]", words[-1]):
        return None
    tail = words[-1]
    if len(re.sub(r"[（(][^）)\n]{0,12}[）)]", "", tail)) > 12 or not re.search(r"[\u4e00-\u9fff]$|[）)]$", tail):
        return None
    return "" if _FIELD_LABEL.fullmatch(tail) else tail


#: a whole field label, alone ("地址（联系方式）", "统一社会信用代码", "法定代表人（负责人）")
_FIELD_LABEL = re.compile(r"(?:统一社会信用代码|社会信用代码|公民身份号码|身份证号码|身份证号|法定代表人|负责人|地址|住所|住址|"
                          r"联系方式|联系电话|电话)(?:[（(][^）)\n]{0,12}[）)])?")


#: the label of the name field standing alone in its cell
_NAME_LABEL = re.compile(r"(?:单位)?名称(?:[（(]姓名[）)])?|姓名|名称或姓名|名称/姓名")

#: a name field line ("名称：江苏宏泰精细化工有限公")
_NAME_FIELD = re.compile(r"[ \t　]*(?:名称|单位名称|名称（姓名）)[ \t　]*[：:][ \t　]*(?P<v>[^\s：:]+)[ \t　]*$")


def _name_tail(name: str, line: str, v: _Vocabulary) -> str:
    """The first characters of ``line`` that complete a name cut by a wrap, when a parenthesis or
    a comma follows them ("司（以下简称…）"), else ""."""
    head = line.strip().lstrip("“”\"'")
    for k in range(1, 5):
        if k <= len(head) and _complete_body(name + head[:k], v) and (k == len(head) or head[k] in "（(，,；;"):
            return head[:k]
    return ""


def _complete_body(name: str, v: _Vocabulary) -> bool:
    """The name ends like a public body (…局) or a private one (…有限公司)."""
    return bool(v.public_body.search(name) or v.private_body.search(name))


#: a line break inside a word (a PDF table cell's wrap): closed up before the fields are read
def _fields(v: _Vocabulary, *texts: str) -> dict[str, str]:
    """The party fields (name, codes, representative, address…) found in the first of ``texts`` that has
    each, by the vocabulary's field patterns."""
    out = {}
    for key, rx in v.fields.items():
        m = next((m for t in texts if (m := rx.search(t)) is not None), None)
        if m:
            after_label = (m.groupdict().get("v") or "").strip()
            if key != "name" and after_label and is_label(after_label):
                continue  # a form's empty field: the next field's label below it is no value
            out[key] = (after_label or m.groupdict().get("w") or "").strip()
    return out


def _bare_code(party: Party, block: str) -> None:
    """A party block whose code has no label (a table row read across its cells: "赔偿义务人（乙方）南通
    瑞丰纺织印染有限公司91320612MA1MQ7R44M周瑞丰（执行董事）"): the first 18-character code in it is the
    party's 身份证号码 or 统一社会信用代码, whichever it is shaped as."""
    m = BARE_CODE_RX.search(block)
    if m is None:
        return
    kind = classify_identifier(m.group())
    if kind != "unknown":
        party.fields["id_number" if kind == "ric" else "uscc"] = m.group()


def find_parties(text: str) -> list[Party]:
    """Every party block of ``text`` with its side and fields, in text order."""
    v = _vocabulary()
    lines = _lines(text)
    third = third_party_labels(text)
    out: list[Party] = []
    i = 0
    while i < len(lines):
        opened = _open(lines, i, v)
        if opened is None:
            i += 1
            continue
        party, last = opened
        last = _extend(party, lines, last, v)
        block = text[party.start:party.end]
        closed_up = close_wraps(block)
        party.fields.update(_fields(v, block, closed_up))
        if "uscc" not in party.fields and "id_number" not in party.fields:
            _bare_code(party, closed_up)
        if party.name is None and "name" in party.fields:
            party.name = party.fields["name"]
        if party.side == "obligor" and re.split(r"[（(]", party.label, maxsplit=1)[0] in third:
            party.side = "third"  # "丙方：X" where the document defines 丙方 as its restorer or guarantor
        if party.side == "" and party.name:
            party.side = _side("申请人", "", party.name, v) or ""
        if party.side:
            out.append(party)
        i = last + 1
    named = {p.name for p in out if p.side == "claimant"}
    for m in _DESIGNATED.finditer(text):
        # "…人民政府是赔偿权利人，指定X局（统一社会信用代码…，法定代表人…，地址…）具体办理"
        if m["name"] in named:
            continue
        party = Party("claimant", "指定的部门", m.start("name"), m.end(), name=m["name"])
        party.fields.update(_fields(v, m["details"]))
        out.append(party)
    _introduced_in_prose(text, out, v)
    _particulars_in_prose(text, out, v)
    out.sort(key=lambda p: p.start)
    return out


#: a party introduced in running prose, its short name defined and its particulars after it, up to the
#: next semicolon or full stop: "本协议由以下双方于…签订：衡水市生态环境局（以下简称“部门”），…统一社会信用代码…；
#: 枣强县…有限公司（以下简称“公司”），统一社会信用代码…，法定代表人…。"
_INTRODUCED = re.compile(r"(?:^|[：:；;]|(?<=[）)])[与和及])[ \t　]*(?P<name>[^\s：:，,。；;（(“”]{2,40}?)[ \t　]*"
                         r"[（(]以下(?:简称|称)[ \t　]*[“\"「]?(?P<alias>[^”\"」）)]{1,12})[”\"」]?[ \t　]*[）)]"
                         r"(?P<details>[^；;。\n]{0,300})", re.MULTILINE)


def _introduced_in_prose(text: str, parties: list[Party], v: _Vocabulary) -> None:
    """The parties a contract introduces in a sentence of its own rather than in labelled blocks, each
    with its particulars (a name without identity fields after it — an assessment body given a short
    name — is not a party). Its side: from the short name where that is a role word, else a public
    body is the claimant's side and anyone else the obligor."""
    known = {p.name for p in parties if p.name}
    for m in _INTRODUCED.finditer(text):
        name = m["name"]
        if name in known or not _IDENTITY.search(m["details"]) or not _plausible_party(name, v):
            continue
        side = _side(m["alias"], "", name, v) or ""
        party = Party(side, f"{name}（以下简称“{m['alias']}”）", m.start("name"), m.end(), name=name)
        party.fields.update(_fields(v, m["details"]))
        parties.append(party)
        known.add(name)


def _plausible_party(name: str, v: _Vocabulary) -> bool:
    """A body's complete name or a person's name."""
    return _complete_body(name, v) or bool(v.person_name.fullmatch(name))


def _particulars_in_prose(text: str, parties: list[Party], v: _Vocabulary) -> None:
    """A party's particulars written in brackets after its name elsewhere in the text ("…和南宁市金鑫
    电镀有限公司（统一社会信用代码…，法定代表人…）在…签了这份协议" when the party block is only the
    signature line): they take the place of what its block gave for the same fields."""
    by_name: dict[str, list[Party]] = {}
    for party in parties:
        if party.name and len(party.name) >= 4:
            by_name.setdefault(party.name, []).append(party)
    lengths = {len(name) for name in by_name}
    # one pass over the brackets, each looked up by the name lengths before it (linear in the text)
    for m in _PARTICULARS.finditer(text):
        if not _IDENTITY.search(m["details"]):
            continue
        named = next((by_name.pop(text[m.start() - n:m.start()]) for n in lengths
                      if text[max(0, m.start() - n):m.start()] in by_name), None)
        if named is None:
            continue
        found = _fields(v, m["details"])
        for party in named:
            party.fields.update(found)
        if not by_name:
            return


_PARTICULARS = re.compile(r"[（(](?P<details>[^（()）\n]{8,200})[）)]")


#: the department a government designates, named in running prose with its particulars in brackets
_DESIGNATED = re.compile(r"指定(?:由|的)?(?P<name>[\u4e00-\u9fff]{2,30}?(?:局|厅|委员会|中心))[（(](?P<details>[^）)\n]{8,160})[）)]")


def find_column_parties(doc: Document) -> list[Party]:
    """Parties laid out in columns of a table (a court filing's form): a first row naming each
    column's party ("申请人 | 赔偿权利人指定的部门 | 赔偿义务人") and rows of "label | value | value"."""
    v = _vocabulary()
    out: list[Party] = []
    for blocks in doc.tables().values():
        cells = {(b.location.row, b.location.cell): (doc.offset_of(b), b.text.strip()) for b in blocks
                 if b.location.row is not None and b.location.cell is not None}
        if not cells:
            continue
        first_row = min(r for r, _c in cells)
        header = {c: cells[(first_row, c)] for r, c in cells if r == first_row and c > 1}
        sides = {c: _side(text, "", None, v) for c, (_at, text) in header.items()}
        if len([s for s in sides.values() if s]) < 1 or len(header) < 2:
            continue
        rows = sorted({r for r, _c in cells if r > first_row})
        columns = sorted({1, *header})
        for column, side in sides.items():
            if not side:
                continue
            at, label = header[column]
            # the labels' column: the nearest header column to the left that names no party ("项目 | 权利人 |
            # 义务人" shares column 1; "要素 | 权利人 | 要素 | 义务人" gives each party its own)
            labels = max(c for c in columns if c < column and not sides.get(c))
            lines = []
            for r in rows:
                if (r, labels) in cells and (r, column) in cells:
                    lines.append(f"{cells[(r, labels)][1]}：{cells[(r, column)][1]}")
                elif (r, labels) in cells and _LABELLED_CELL.match(cells[(r, labels)][1]):
                    lines.append(cells[(r, labels)][1])  # "名称：钦州市生态环境局" across both columns
            block = "\n".join(lines)
            party = Party(side, label, at, at + len(label))
            party.fields.update(_fields(v, block))
            party.name = party.fields.get("name")
            if party.name:
                out.append(party)
    return out


#: a cell that carries its own label and value ("名称：钦州市生态环境局", "身份证号码：4507…")
_LABELLED_CELL = re.compile(r"[^：:\n]{2,12}[：:][ \t　]*\S")


#: a party table's header cells, each naming a column: the name, the identifier, the representative,
#: the address, the contact ("序号 | 姓名 | 公民身份号码 | 住址", "当事人 | 名称/姓名 | 统一社会信用代码/身份证号 |
#: 法定代表人 | 住所/住址"); a side word names the name column only where no header says 名称 or 姓名
_ROW_NAME = re.compile(r"^(?:单位名称|名称|姓名)(?:[/／、或](?:名称|姓名))?(?:[（(](?:姓名|名称)[）)])?$")
_ROW_SIDE_NAME = re.compile(r"^(?:赔偿义务人|被申请人|被告知人|义务人)$")
_ROW_COLUMNS = {"id": re.compile(r"身份证|公民身份号码|证件号码|信用代码"),
                "legal_rep": re.compile(r"^(?:法定代表人|主要负责人|企业负责人|负责人|经营者)"),
                "address": re.compile(r"^(?:住址|地址|住所|住所地|家庭住址|注册地址)"),
                "contact": re.compile(r"^(?:联系电话|电话|联系方式)")}
#: how a column's cell reads as a field line, when the cell carries no label of its own
_ROW_LABELS = {"legal_rep": "法定代表人", "address": "地址", "contact": "联系电话"}
_ID_VALUE = re.compile(r"^[0-9A-Za-z]{15,18}$")
#: a cell's own label ("法定代表人：范德利", "身份证号：1311…", "职业：个体废旧物资收购")
_CELL_LABEL = re.compile(r"^[ \t　]*[\u4e00-\u9fff（()）/／]{1,12}[：:][ \t　]*")
#: a person table's row as a PDF's text layer gives it: serial, name and identification number run together
_ROW_LINE = re.compile(r"^[ \t　]*(?:\d{1,2}[ \t　.、．]*)?(?P<name>[\u4e00-\u9fff]{2,4})[ \t　]*(?P<id>\d{17}[\dXx])"
                       r"(?![0-9A-Za-z])[ \t　]*(?P<rest>[^\n]*)$", re.M)
_ROW_HEADER = re.compile(r"姓名[^\n]{0,12}(?:身份证|公民身份号码|证件号码)")


#: the longest header cell of a party table ("统一社会信用代码（个人为身份证号）")
_MAX_HEADER = 24


def _header_columns(row: dict[int, str]) -> dict[str, int] | None:
    """The columns a table's row names as headers, or None when it names no name and identifier column."""
    columns: dict[str, int] = {}
    for cell, text in sorted(row.items()):
        if len(text) > _MAX_HEADER:
            continue
        if _ROW_NAME.match(text):
            columns["name"] = cell
        elif "side_name" not in columns and _ROW_SIDE_NAME.match(text):
            columns["side_name"] = cell
        else:
            for key, rx in _ROW_COLUMNS.items():
                if key not in columns and rx.search(text):
                    columns[key] = cell
                    break
    if "name" not in columns and "side_name" in columns:
        columns["name"] = columns["side_name"]
    return columns if "name" in columns and "id" in columns else None


def _row_party(cells: dict[int, Block], columns: dict[str, int], side: str, doc: Document,
               v: _Vocabulary) -> Party | None:
    """The party of one row of a party table, or None when the row names no one with an identifier."""
    name_cell, id_cell = cells.get(columns["name"]), cells.get(columns["id"])
    if name_cell is None or id_cell is None:
        return None
    code = _CELL_LABEL.sub("", id_cell.text.strip())
    name = name_cell.text.strip()
    if not _ID_VALUE.match(code) or not name or len(name) > _MAX_NAME:
        return None
    at = doc.offset_of(name_cell)
    party = Party(side, "表格", at, at + len(name_cell.text), name=name)
    lines = []
    for key, label in _ROW_LABELS.items():
        cell = cells.get(columns[key]) if key in columns else None
        text = cell.text.strip() if cell is not None else ""
        if text:
            lines.append(text if _CELL_LABEL.match(text) else f"{label}：{text}")
    party.fields.update({k: val for k, val in _fields(v, "\n".join(lines)).items() if k not in ("name", "uscc", "id_number")})
    party.fields["uscc" if code[:1].isalpha() or (len(code) == 18 and not code[:17].isdigit()) else "id_number"] = code
    return party


def find_row_parties(doc: Document) -> list[Party]:
    """Parties listed one per row of a table whose header names a name and an identifier column
    ("序号 | 姓名 | 公民身份号码 | 住址", several natural persons; "当事人 | 名称/姓名 | 统一社会信用代码/身份证号 |
    法定代表人 | 住所" with the side in the first column, merged down the rows of one side); in a PDF's
    text layer, the rows under such a header line ("1施卫东320684197302141535江苏省…")."""
    v = _vocabulary()
    out: list[Party] = []
    for blocks in doc.tables().values():
        rows: dict[int, dict[int, Block]] = {}
        for b in blocks:
            if b.location.row is not None and b.location.cell is not None:
                rows.setdefault(b.location.row, {})[b.location.cell] = b
        header_row, columns = None, None
        for r in sorted(rows):
            columns = _header_columns({c: b.text.strip() for c, b in rows[r].items()})
            if columns is not None:
                header_row = r
                break
        if columns is None or header_row is None:
            continue
        # the first column names each row's side ("赔偿权利人指定的部门", "赔偿义务人", merged down its rows)
        # unless it holds a field of the party
        first = min(rows[header_row])
        side_column = first if first not in {c for k, c in columns.items() if k != "side_name"} else None
        side = "obligor"  # a table of persons alone lists obligors
        for r in sorted(rows):
            if r <= header_row:
                continue
            cells = rows[r]
            if side_column is not None and (cell := cells.get(side_column)) is not None:
                side = _side(cell.text.strip(), "", None, v) or side
            party = _row_party(cells, columns, side, doc, v)
            if party is not None:
                out.append(party)
    if doc.format == "pdf" or not doc.tables():
        text = doc.text
        header = _ROW_HEADER.search(text)
        while header is not None:
            for m in _ROW_LINE.finditer(text, header.end(), min(len(text), header.end() + 1200)):
                party = Party("obligor", "表格", m.start("name"), m.end(), name=m["name"])
                party.fields["id_number"] = m["id"]
                if len(m["rest"].strip()) >= 6:
                    party.fields["address"] = m["rest"].strip()
                out.append(party)
            header = _ROW_HEADER.search(text, header.end())
    return out


def assess(parties: list[Party], side: str, require: list[list[str]]) -> tuple[str, Party | None, list[str]]:
    """(present | incomplete | missing, the best block of ``side``, the fields it lacks)."""
    best: tuple[Party, list[str]] | None = None
    for party in parties:
        if party.side != side:
            continue
        for needed in require:
            lacking = [f for f in needed if not party.has(f)]
            if best is None or len(lacking) < len(best[1]):
                best = (party, lacking)
    if best is None:
        return "missing", None, []
    party, lacking = best
    return ("present" if not lacking else "incomplete"), party, lacking
