"""Writes versions of one case in a loop, printing the number of each committed version, until it
is killed (run by test_crash.py): ``python crash_writer.py URL CASE_ID CASE_FILE``."""

from __future__ import annotations

import sys
from pathlib import Path

from caseregister import versions
from caseregister.casedata import submit
from caseregister.engine import make_engine, write_session
from caseregister.models import Case


def main() -> None:
    url, case_id, text = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]).read_text("utf-8")
    engine = make_engine(url)
    i = 0
    while True:
        i += 1
        with write_session(engine) as session:  # validation and deadlines inside the transaction too
            base = session.get_one(Case, case_id).current_version
            sub = submit(text.replace("个体运输户", f"个体运输户{i}"), "yaml")
            result = versions.save_version(session, case_id, sub, base=base, author="写入进程", reason=f"第{i}次")
        print(result.version, flush=True)


if __name__ == "__main__":
    main()
