"""Series cases from a workbook (issue 12 §6): a series workbook with 11 obligors yields 11 validated
case files (and, in the slow test, dossiers); bad rows are named by sheet, row and column; hostile
workbooks are refused in Chinese before openpyxl reads them."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from casefile.model import Obligor
from casefile.series import (
    MAX_WORKBOOK_BYTES,
    NOTES_SHEET,
    SHEET,
    SeriesError,
    columns,
    fill_workbook,
    load_series,
    read_base,
    template_workbook,
)
from casefile.validation import validate_file
from cli import main
from docgen.series import import_series
from ecokernel.errors import InputError, UserError

from ..conftest import ROOT

BASE = ROOT / "examples" / "series" / "heihe-sand-mining-base.yaml"
WORKBOOK = ROOT / "examples" / "series" / "heihe-sand-mining-11.xlsx"


def _row(name: str, uscc: str, **more: object) -> dict[str, object]:
    return {"赔偿义务人名称（姓名）": name, "统一社会信用代码": uscc, "法定代表人（负责人）": "张三",
            "地址（住址）": "张掖市甘州区某镇某号", **more}


#: valid, fictitious 统一社会信用代码 (check characters computed with ecokernel.identifiers)
USCCS = ["91620702MA7HD2K01H", "91620702MA7HD2K02L", "91620702MA7HD2K03P", "91620702MA7HD2K04T",
         "91620702MA7HD2K05X", "91620702MA7HD2K061", "91620702MA7HD2K074"]


@pytest.fixture(scope="module")
def template() -> bytes:
    return template_workbook(read_base(BASE))


def _workbook(tmp_path: Path, template: bytes, rows: list[dict[str, object]], name: str = "系列.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(fill_workbook(template, rows))
    return path


def test_uscc_fixtures_are_valid():
    from ecokernel.identifiers import validate_uscc

    assert [validate_uscc(u) for u in USCCS] == [None] * len(USCCS)


# -- the example: 11 obligors → 11 valid case files --------------------------------------------


def test_the_example_workbook_yields_eleven_validated_case_files(tmp_path, capsys):
    code = main(["series", "import", str(BASE), str(WORKBOOK), "-o", str(tmp_path / "out")])
    assert code == 0, capsys.readouterr()
    files = sorted((tmp_path / "out").glob("*.yaml"))
    assert len(files) == 11
    names = set()
    for path in files:
        case, problems = validate_file(path)  # exactly what `ecoclaim validate` runs
        assert case is not None, [str(p) for p in problems]
        assert len(case.obligors) == 1
        obligor = case.obligors[0]
        assert path.name == f"{path.name[:3]}-{obligor.name}.yaml"
        assert obligor.name in case.case_name and obligor.name in case.incident.name
        names.add(obligor.name)
        assert case.agreement is not None and case.agreement.number and case.case_number
        if case.agreement.performance.installments:  # instalments come with a security
            assert case.agreement.performance.security is not None
    assert len(names) == 11
    assert "共11行：写出11个案件" in capsys.readouterr().out
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]  # no temporary files left


def test_the_example_workbook_is_what_the_tool_writes():
    """tools/make_series_example.py is deterministic and the committed workbook is its output."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_series_example", ROOT / "tools" / "make_series_example.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = fill_workbook(template_workbook(read_base(BASE)), module.rows())
    assert data == fill_workbook(template_workbook(read_base(BASE)), module.rows())
    assert data == WORKBOOK.read_bytes()


# -- the template: columns from the model -------------------------------------------------------


def test_template_columns_come_from_the_case_model(template):
    wb = load_workbook(io.BytesIO(template))
    assert wb.sheetnames == [SHEET, NOTES_SHEET]
    headers = [c.value for c in wb[SHEET][1]]
    cols = columns(read_base(BASE))
    assert headers == [c.header for c in cols]
    # every obligor field of the model has a column, titled from the model
    obligor_cols = {c.path[-1]: c.header for c in cols if c.path[0] == "obligors"}
    assert set(obligor_cols) == set(Obligor.model_fields)
    assert obligor_cols["uscc"] == Obligor.model_fields["uscc"].title == "统一社会信用代码"
    assert obligor_cols["id_number"] == Obligor.model_fields["id_number"].title
    assert {"立案号（编号）", "案件名称", "赔偿总额（元）", "第1期金额（元）", "第3期支付期限", "履约担保方式"} <= set(headers)
    # each header carries a Chinese comment; required columns say so
    comments = {c.value: c.comment.text for c in wb[SHEET][1]}
    assert comments["赔偿义务人名称（姓名）"].startswith("必填")
    assert "单位必填" in comments["统一社会信用代码"]
    # the 说明 sheet explains every column with its field path
    notes = {row[0]: row for row in wb[NOTES_SHEET].iter_rows(values_only=True) if row[0]}
    for col in cols:
        assert notes[col.header][3] == col.field_path
        assert notes[col.header][1] in ("必填", "选填")


def test_template_command_writes_a_workbook_and_never_overwrites(tmp_path, capsys):
    target = tmp_path / "系列.xlsx"
    assert main(["series", "template", str(BASE), "-o", str(target), "--installments", "5"]) == 0
    headers = [c.value for c in load_workbook(target)[SHEET][1]]
    assert "第5期金额（元）" in headers and "第6期金额（元）" not in headers
    assert main(["series", "template", str(BASE), "-o", str(target)]) == 2
    assert "已存在" in capsys.readouterr().err


def test_a_base_with_two_obligors_is_refused(tmp_path, write_case):
    data = yaml.safe_load(BASE.read_text("utf-8"))
    data["obligors"].append({**data["obligors"][0], "name": "另一公司"})
    with pytest.raises(SeriesError, match="只有一个赔偿义务人"):
        read_base(write_case(data))


# -- round trip: template → rows → cases --------------------------------------------------------


def test_round_trip_template_to_cases(tmp_path, template):
    rows = [
        _row("张掖市甲砂石有限公司", USCCS[0], **{"立案号（编号）": "甘G环赔〔2025〕31号", "赔偿总额（元）": 120000,
                                          "履约担保方式": "履约保证金", "履约担保金额（元）": 12000,
                                          "第1期金额（元）": 60000, "第1期支付期限": date(2025, 10, 31),
                                          "第2期金额（元）": 60000, "第2期支付期限": "2026年4月30日"}),
        _row("张掖市乙砂石有限公司", USCCS[1], **{"赔偿总额（元）": "8.5万元", "一次性支付金额（元）": 85000,
                                          "一次性支付期限": date(2025, 11, 30), "案件名称": "乙公司非法采砂案"}),
        {"赔偿义务人名称（姓名）": "李四", "身份证号码": "620702197805122135", "地址（住址）": "张掖市甘州区某村",
         "赔偿总额（元）": 170000},
    ]
    result = import_series(BASE, _workbook(tmp_path, template, rows), tmp_path / "out")
    assert [o.ok for o in result.outcomes] == [True, True, True], [str(p) for o in result.outcomes for p in o.problems]
    first, second, third = (yaml.safe_load(o.case_file.read_text("utf-8")) for o in result.outcomes)
    assert result.outcomes[0].case_file.name == "002-张掖市甲砂石有限公司.yaml"
    assert first["case_number"] == "甘G环赔〔2025〕31号"
    assert first["obligors"] == [{"kind": "unit", "name": "张掖市甲砂石有限公司", "uscc": USCCS[0], "legal_rep": "张三",
                                  "address": "张掖市甘州区某镇某号"}]
    perf = first["agreement"]["performance"]
    assert "payments" not in perf and [i["due"] for i in perf["installments"]] == [date(2025, 10, 31), date(2026, 4, 30)]
    assert perf["security"] == {"kind": "履约保证金", "amount": 12000}
    # the base's number, agreement number and obligor never leak into a row's case
    assert "case_number" not in second and "number" not in second["agreement"]
    assert second["case_name"] == "乙公司非法采砂案"
    assert second["agreement"]["performance"]["payments"] == [{"amount": 85000, "due": date(2025, 11, 30)}]
    for text in (first, second, third):
        dumped = yaml.safe_dump(text, allow_unicode=True)
        assert "宏达" not in dumped and "刘宏达" not in dumped
    # a natural person: kind from the identifier; same total as the base keeps the base's payment
    assert third["obligors"][0]["kind"] == "person"
    assert third["agreement"]["performance"]["payments"][0]["amount"] == 170000
    assert third["consultation"]["meetings"][0]["obligor_attendees"][0]["unit"] == "李四"


def test_a_base_without_an_example_obligor_and_the_words_people_type(tmp_path, write_case):
    data = yaml.safe_load(BASE.read_text("utf-8"))
    del data["obligors"]
    base = write_case(data, "base.yaml")
    template = template_workbook(read_base(base))
    rows = [{"赔偿义务人类型": "个人", "赔偿义务人名称（姓名）": "李四", "身份证号码": "620702197805122135",
             "地址（住址）": "张掖市甘州区某村"},
            {"赔偿义务人类型": "企业", **_row("张掖市甲砂石有限公司", USCCS[0])}]
    path = tmp_path / "系列.xlsx"
    path.write_bytes(fill_workbook(template, rows))
    _sheet, merged = load_series(base, path)
    # without an example obligor to replace, the base's case name would be every row's: said at the later row
    assert merged[1].data is None and "第3行「案件名称」：" in str(merged[1].errors[0])
    rows[1]["案件名称"] = "张掖市甲砂石有限公司非法采砂生态环境损害赔偿案"
    path.write_bytes(fill_workbook(template, rows))
    _sheet, merged = load_series(base, path)
    assert [r.data["obligors"][0]["kind"] for r in merged if r.data] == ["person", "unit"]


# -- bad rows: named by sheet, row and column; the others go on ---------------------------------


def test_a_bad_row_is_named_by_row_and_column_and_the_others_are_written(tmp_path, template, capsys):
    rows = [_row(f"张掖市第{i}砂石有限公司", USCCS[i]) for i in range(5)]
    rows.append(_row("张掖市坏号码有限公司", "91620702MA7HD2K01X"))  # row 7: wrong check character
    rows.append(_row("张掖市第六砂石有限公司", USCCS[6]))
    book = _workbook(tmp_path, template, rows)
    out = tmp_path / "out"
    code = main(["series", "import", str(BASE), str(book), "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert "工作表「赔偿义务人」第7行「统一社会信用代码」：统一社会信用代码校验位错误" in captured.err
    assert "Traceback" not in captured.err + captured.out
    written = sorted(p.name for p in out.glob("*.yaml"))
    assert len(written) == 6 and not any(n.startswith("007-") for n in written)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert "共7行：写出6个案件，1行有错误未写出" in captured.out


@pytest.mark.parametrize(("cells", "header", "words"), [
    ({"统一社会信用代码": None, "身份证号码": 620702197805122135}, "身份证号码", "存成了数字"),
    ({"赔偿总额（元）": "很多"}, "赔偿总额（元）", "不是有效金额"),
    ({"赔偿总额（元）": 99999, "一次性支付金额（元）": 99999, "一次性支付期限": 20251031}, "一次性支付期限", "不是日期"),
    ({"第1期金额（元）": 1000}, "第1期支付期限", "缺少必填字段"),
    ({"赔偿总额（元）": 99999}, "赔偿总额（元）", "未填写本行的付款安排"),
    ({"地址（住址）": None}, "地址（住址）", "缺少必填字段"),
    ({"立案号（编号）": "甘G环赔[2025]3号"}, "立案号（编号）", ""),
    ({"法定代表人（负责人）": None}, "赔偿义务人", "法定代表人"),
])
def test_cell_problems_name_the_column(tmp_path, template, cells, header, words):
    row = {**_row("张掖市甲砂石有限公司", USCCS[0]), **cells}
    _sheet, rows = load_series(BASE, _workbook(tmp_path, template, [row]))
    assert rows[0].data is None
    messages = [str(p) for p in rows[0].errors]
    assert any(m.startswith(f"工作表「赔偿义务人」第2行「{header}」：") and words in m for m in messages), messages


def test_the_same_obligor_twice_is_an_error_of_the_later_row(tmp_path, template):
    rows = [_row("张掖市甲砂石有限公司", USCCS[0]), _row("张掖市乙砂石有限公司", USCCS[0])]
    _sheet, merged = load_series(BASE, _workbook(tmp_path, template, rows))
    assert merged[0].data is not None and merged[1].data is None
    assert "与第2行相同" in str(merged[1].errors[0]) and "「统一社会信用代码」" in str(merged[1].errors[0])


def test_cell_text_is_printed_as_it_is_not_as_console_markup(tmp_path, template, capsys):
    rows = [_row("[/red]公司[bold]", USCCS[0]), _row("[/red]公司[bold]", USCCS[1])]
    assert main(["series", "import", str(BASE), str(_workbook(tmp_path, template, rows)), "-o", str(tmp_path / "o")]) == 1
    captured = capsys.readouterr()
    assert "“[/red]公司[bold]”与第2行相同" in captured.err and "内部错误" not in captured.err


def test_headers_of_another_template_are_refused(tmp_path, template):
    wb = load_workbook(io.BytesIO(template))
    wb[SHEET].cell(row=1, column=2, value="罚款金额")
    path = tmp_path / "改过.xlsx"
    wb.save(path)
    with pytest.raises(SeriesError, match="第2列「罚款金额」不是本基础案件模板中的列"):
        load_series(BASE, path)


def test_a_header_that_looks_like_console_markup_is_said_as_it_is(tmp_path, template, capsys):
    wb = load_workbook(io.BytesIO(template))
    wb[SHEET].cell(row=1, column=2, value="[/red]坏列")
    path = tmp_path / "改过.xlsx"
    wb.save(path)
    assert main(["series", "import", str(BASE), str(path), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "第2列「[/red]坏列」不是本基础案件模板中的列" in err and "Traceback" not in err


def test_an_empty_workbook_says_so(tmp_path, template):
    path = tmp_path / "空.xlsx"
    path.write_bytes(template)
    with pytest.raises(UserError, match="没有填写任何赔偿义务人"):
        import_series(BASE, path, tmp_path / "out")


def test_reimport_is_idempotent_and_a_hand_edited_case_is_not_overwritten(tmp_path, template):
    book = _workbook(tmp_path, template, [_row("张掖市甲砂石有限公司", USCCS[0])])
    out = tmp_path / "out"
    first = import_series(BASE, book, out)
    assert first.outcomes[0].ok
    path = first.outcomes[0].case_file
    assert import_series(BASE, book, out).outcomes[0].ok  # same content: fine
    path.write_text(path.read_text("utf-8") + "# 手工修改\n", encoding="utf-8")
    again = import_series(BASE, book, out)
    assert not again.outcomes[0].ok and "已存在且内容不同" in str(again.outcomes[0].problems[0])
    assert path.read_text("utf-8").endswith("# 手工修改\n")
    assert import_series(BASE, book, out, force=True).outcomes[0].ok


def test_a_row_whose_dossier_cannot_be_written_leaves_nothing_behind(tmp_path, template):
    book = _workbook(tmp_path, template, [_row("张掖市甲砂石有限公司", USCCS[0]), _row("张掖市乙砂石有限公司", USCCS[1])])
    out = tmp_path / "out"
    blocked = out / "002-张掖市甲砂石有限公司"
    blocked.mkdir(parents=True)
    (blocked / "01-索赔启动登记表.md").write_bytes(b"someone else's file")  # not generated by us: never replaced
    result = import_series(BASE, book, out, generate="md")
    bad, good = result.outcomes
    assert not bad.ok and "文书未生成" in str(bad.problems[0]) and "第2行" in str(bad.problems[0])
    assert not (out / "002-张掖市甲砂石有限公司.yaml").exists()
    assert sorted(p.name for p in blocked.iterdir()) == ["01-索赔启动登记表.md"]
    assert good.ok and good.dossier is not None and (out / "003-张掖市乙砂石有限公司" / "manifest.json").is_file()


# -- hostile workbooks --------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _members(template: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(template)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_a_zip_bomb_is_refused_in_chinese(tmp_path, template, capsys):
    members = _members(template)
    members["xl/media/bomb.bin"] = b"\0" * (4 * 1024 * 1024)  # compresses over 1000:1
    path = tmp_path / "炸弹.xlsx"
    path.write_bytes(_zip(members))
    with pytest.raises(InputError, match="压缩炸弹"):
        load_series(BASE, path)
    assert main(["series", "import", str(BASE), str(path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "压缩比" in err and "拒绝读取" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_an_oversized_workbook_is_refused_before_reading(tmp_path):
    path = tmp_path / "大.xlsx"
    with path.open("wb") as fh:
        fh.write(b"PK")
        fh.truncate(MAX_WORKBOOK_BYTES + 1)
    with pytest.raises(InputError, match="超过 20 MB 的上限"):
        load_series(BASE, path)


def test_too_many_parts_are_refused(tmp_path, template):
    members = _members(template)
    members.update({f"xl/extra/{i}.xml": b"<a/>" for i in range(1001)})
    path = tmp_path / "部件.xlsx"
    path.write_bytes(_zip(members))
    with pytest.raises(InputError, match="超过 1000 个的上限"):
        load_series(BASE, path)


@pytest.mark.parametrize(("name", "change", "words"), [
    ("宏.xlsm", {}, "含宏的工作簿"),
    ("宏.xlsx", {"xl/vbaProject.bin": b"\0" * 64}, "含有宏"),
    ("实体.xlsx", {"xl/worksheets/sheet1.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'},
     "实体声明"),
    ("旧.xls", {}, "旧版 Excel"),
    ("表.csv", {}, "不是 Excel 工作簿"),
])
def test_macros_entities_and_other_formats_are_refused(tmp_path, template, name, change, words):
    members = _members(template)
    members.update(change)
    path = tmp_path / name
    path.write_bytes(_zip(members))
    with pytest.raises(InputError, match=words):
        load_series(BASE, path)


def test_a_renamed_or_broken_file_is_refused(tmp_path, template):
    path = tmp_path / "假.xlsx"
    path.write_bytes("赔偿义务人名称\n某公司\n".encode())
    with pytest.raises(InputError, match="不是有效的 Excel 工作簿"):
        load_series(BASE, path)
    members = _members(template)
    members["xl/workbook.xml"] = b"<not a workbook"
    path.write_bytes(_zip(members))
    with pytest.raises(InputError, match="无法作为 Excel 工作簿读取"):
        load_series(BASE, path)


# -- dossiers (slow: eleven dossiers and a review of each agreement) ----------------------------


@pytest.mark.slow
def test_the_example_workbook_yields_eleven_dossiers(tmp_path, capsys):
    from checkers.check import check_file

    out = tmp_path / "out"
    code = main(["series", "import", str(BASE), str(WORKBOOK), "-o", str(out), "--generate"])
    assert code == 0, capsys.readouterr()
    dossiers = sorted(p for p in out.iterdir() if p.is_dir())
    assert len(dossiers) == 11
    for folder in dossiers:
        case_file = out / f"{folder.name}.yaml"
        assert case_file.is_file()
        manifest = (folder / "manifest.json").read_text("utf-8")
        assert case_file.name in manifest
        agreement = folder / "07-生态环境损害赔偿协议.docx"
        report = check_file(agreement)
        assert report.errors == 0, [f.message for f in report.findings]
