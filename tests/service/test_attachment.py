"""Content-Disposition for downloads whose names come from users (uploaded reviews, signed copies): the
Chinese name survives in ``filename*``, and nothing in a name can end the parameter, add a header or
name a folder."""

from __future__ import annotations

import pytest

from service.routers.cases import attachment


@pytest.mark.parametrize(("name", "header"), [
    ("协议草稿.md", "attachment; filename=\"download.md\"; filename*=UTF-8''%E5%8D%8F%E8%AE%AE%E8%8D%89%E7%A8%BF.md"),
    ("timeline.ics", "attachment; filename=\"timeline.ics\"; filename*=UTF-8''timeline.ics"),
    ("2026 final.docx", "attachment; filename=\"2026_final.docx\"; filename*=UTF-8''2026%20final.docx"),
    ('a"b;c.docx', "attachment; filename=\"abc.docx\"; filename*=UTF-8''a%22b%3Bc.docx"),
    ("..\\..\\审查/协议.pdf", "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E5%8D%8F%E8%AE%AE.pdf"),
    ("x\r\nSet-Cookie: a=b.md", "attachment; filename=\"xSet-Cookie_ab.md\"; filename*=UTF-8''xSet-Cookie%3A%20a%3Db.md"),
    ("", "attachment; filename=\"download\"; filename*=UTF-8''download"),
])
def test_a_users_file_name_makes_a_safe_header(name: str, header: str):
    assert attachment(name) == header
    assert header.isascii() and "\r" not in header and "\n" not in header
