"""Safe loading of data files: hostile structures are refused with a located Chinese message."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ecokernel.sourcefile import MAX_BYTES, DataFileError, parse_data, parse_json, parse_yaml, read_data_file

BOMB = "\n".join(
    [f"l0: &l0 [{', '.join(['x'] * 9)}]"]
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 8)]
)


def test_alias_bomb_is_refused_not_expanded():
    with pytest.raises(DataFileError, match="别名炸弹"):
        parse_yaml(BOMB)


def test_small_aliases_are_allowed():
    data, _ = parse_yaml("a: &x {name: 甲}\nb: *x\n")
    assert data["b"] == {"name": "甲"}


@pytest.mark.parametrize("text", [
    "a: !!python/object/apply:os.system [echo hi]\n",
    "a: !!binary aGVsbG8=\n",
    "a: !custom x\n",
    "a: !!set {x, y}\n",
])
def test_tags_are_refused(text):
    with pytest.raises(DataFileError, match="不支持的YAML标签") as info:
        parse_yaml(text)
    assert info.value.line == 1


def test_duplicate_keys_are_errors_with_both_lines():
    with pytest.raises(DataFileError, match="重复出现（首次在第2行）") as info:
        parse_yaml("x: 1\ncase_name: 甲\ncase_name: 乙\n")
    assert info.value.line == 3


def test_floats_are_decimal():
    data, _ = parse_yaml("amount: 1286400.10\nn: 3\n")
    assert data["amount"] == Decimal("1286400.10") and isinstance(data["amount"], Decimal)
    data, _ = parse_json('{"amount": 0.1}')
    assert data["amount"] == Decimal("0.1")


def test_yaml_syntax_error_has_line_and_column_in_chinese():
    with pytest.raises(DataFileError) as info:
        parse_yaml("case_name: 甲\nobligors:\n  - name: 乙\n   kind: unit\n")
    assert info.value.line == 4
    assert "YAML 语法错误" in str(info.value) and "第4行" in str(info.value)


def test_tab_indentation_is_explained():
    with pytest.raises(DataFileError, match="制表符"):
        parse_yaml("a:\n\tb: 1\n")


def test_json_syntax_error_has_line():
    with pytest.raises(DataFileError) as info:
        parse_json('{\n  "a": 1,\n  "b": \n}')
    assert info.value.line == 4 and "JSON 语法错误" in info.value.message


def test_json_duplicate_keys_refused():
    with pytest.raises(DataFileError, match="重复"):
        parse_json('{"a": 1, "a": 2}')


def test_line_map_points_at_keys_and_items():
    _, lines = parse_yaml("a:\n  b: 1\n  c:\n    - x\n    - y\n")
    assert lines.locate("a.b") == (2, 3)
    assert lines.locate("a.c[1]") == (5, 7)
    assert lines.locate("a.c[1].missing") == (5, 7)  # nearest ancestor


def test_json_gets_a_line_map_too():
    _, lines = parse_json('{\n  "obligors": [\n    {"uscc": "x"}\n  ]\n}')
    assert lines.locate("obligors[0].uscc")[0] == 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_common_encodings_are_read(encoding):
    data, _ = parse_data("案件名称: 某某案\n".encode(encoding))
    assert data == {"案件名称": "某某案"}


def test_binary_and_empty_and_deep_inputs_are_refused():
    with pytest.raises(DataFileError, match="二进制"):
        parse_data(b"\x00\x01\x02PK")
    with pytest.raises(DataFileError, match="空"):
        parse_yaml("# only a comment\n")
    with pytest.raises(DataFileError, match="嵌套"):
        parse_yaml("a: " + "[" * 200 + "]" * 200)


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (MAX_BYTES + 10))
    with pytest.raises(DataFileError, match="文件过大"):
        read_data_file(path)


def test_missing_file_message(tmp_path):
    with pytest.raises(DataFileError, match="找不到文件"):
        read_data_file(tmp_path / "nope.yaml")
