"""The one source of "today".

Every computation that depends on the current date (deadlines still open, whether a regulation is
in force, a birth date not in the future, a document dated after today) asks ``today()`` here,
never ``date.today()`` directly. Setting ``ECOCLAIM_TODAY=YYYY-MM-DD`` pins it for a whole process
and its children: the test suite pins it (``tests/conftest.py``) so no result depends on the day
the tests run, and a user can reproduce yesterday's report.

Generated documentation is not "today" at all: it is written as of ``DOCS_AS_OF``, a constant
stated in the documents themselves, so regenerating them gives the same bytes on any day.
"""

from __future__ import annotations

import os
from datetime import date

from ecokernel.errors import UserError

ENV = "ECOCLAIM_TODAY"
#: The date generated documentation (docs/rules/*.md) states the status of its bases on.
DOCS_AS_OF = date(2026, 12, 6)


def today() -> date:
    """The current date, or the date ``ECOCLAIM_TODAY`` pins."""
    raw = os.environ.get(ENV)
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise UserError(f"环境变量 {ENV} 不是有效日期（应写作 2026-01-31）：{raw}") from None
