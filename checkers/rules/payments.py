"""Where the agreed money goes: a sum paid into the department's own account instead of the treasury.

AGR-PAYMENT-DEST (data) asks whether the agreement says the money goes to the treasury at all; an
agreement can say so for one sum and route another into the department's own bank account "由甲方
统筹使用". That is read here, clause by clause, from the account the money is paid into.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from checkers.findings import Finding
from checkers.rules.computed import rule

if TYPE_CHECKING:
    from checkers.rules.engine import Context
    from checkers.rules.registry import Rule

#: paying a sum into an account ("转入甲方单位账户", "汇入玉林市自然资源局账户", "支付至X局生态环境损害赔偿资金专户")
#: the verb of paying into an account, and what may stand between it and the account
_PAYING = r"(?:转入|汇入|存入|缴入|缴至|支付至|付至|打入|划入|转账至|汇至)[^。；\n]{0,30}?"
#: how a public body's name ends (the department, its branch)
_BODY_END = r"(?:局|分局|委员会|中心)"
_INTO = re.compile(_PAYING + r"(?P<account>(?:甲方|赔偿权利人|权利人|[^\s，,。；：:（(]{2,16}?" + _BODY_END + r")"
                   r"(?:的)?(?:单位|本单位|机关|自有|基本|[\u4e00-\u9fff]{0,12}?资金)?(?:银行)?(?:专户|账户|帐户))")
#: paying into an account the department designates, whose holder (户名) is the department itself:
#: "转入甲方指定账户（户名：忻州市生态环境局代县分局；开户行：…）"
_DESIGNATED = re.compile(_PAYING + r"(?:甲方|赔偿权利人|权利人)指定的?(?:银行)?(?:专户|账户|帐户)[ \t　]*[（(]?[^。；）)]{0,10}?"
                         r"户名[ \t　]*[：:][ \t　]*(?P<holder>[^；;，,。）)\s]{2,30})")
#: the department spending the money as its own budget ("作为甲方工作经费"); "由甲方统筹使用" alone is not
#: enough: the treasury's restoration money is spent by the department through procurement
_OWN_USE = re.compile(r"(?:作为|用于|充作)(?:甲方|[^\s，,。；：:]{2,16}?局)[^。；]{0,6}(?:工作|办公)经费")
#: the treasury or a fiscal collection account: where the money should go
_FISCAL = re.compile(r"国库|财政|非税收入|汇缴结算户|一般公共预算")
#: a deposit or a guarantee is held, not paid over (its own rules apply)
_DEPOSIT = re.compile(r"保证金|保函|押金")


@rule("AGR-PAYMENT-ACCOUNT")
def payment_account(ctx: Context, rule: Rule) -> list[Finding]:
    out: list[Finding] = []
    designated = [m for m in _DESIGNATED.finditer(ctx.text)
                  if re.search(_BODY_END + "$", m["holder"]) and not _FISCAL.search(m["holder"])]
    for m in [*_INTO.finditer(ctx.text), *designated, *_OWN_USE.finditer(ctx.text)]:
        s0, s1 = ctx.seg.sentence_at(m.start())
        clause = ctx.text[s0:s1]
        if _DEPOSIT.search(clause) or _FISCAL.search(m.group(0)):
            continue
        if "account" in m.groupdict() and _FISCAL.search(ctx.text, s0, m.start()):
            continue  # "缴入同级国库，…汇入财政局账户": the treasury is the destination of this clause
        if re.search(r"(?:不得|严禁|禁止|不应)[^。；]{0,10}$", ctx.text[max(s0, m.start() - 16):m.start()]):
            continue
        out.append(ctx.finding(rule, span=(m.start(), m.end()),
                               message=f"约定款项进入行政机关自己的账户或由其自行使用（“{m.group(0)}”），"
                                       f"而不是作为政府非税收入缴入国库"))
        break
    return out
