"""Safe loading of YAML and JSON data files, with a map from field paths to line numbers.

YAML is parsed with PyYAML's safe loader and then checked before anything is built from it:
only the standard scalar/collection tags are allowed, an alias that expands into more than
``MAX_NODES`` nodes (a "billion laughs" bomb) is refused, duplicate keys are errors, and floats
become ``Decimal`` so money never passes through binary floating point. JSON is parsed with the
standard library (also with ``Decimal`` floats and duplicate-key detection); its line map comes
from reading the same text as YAML, of which JSON is (for our purposes) a subset.

Numbers Python cannot turn into ``int`` (more than ``sys.get_int_max_str_digits()`` digits) stay
``Decimal`` and YAML's ``.inf``/``.nan`` become the infinite/NaN ``Decimal``: the case model then
refuses them with its own located message ("金额过大", "不是有效数字") instead of the parser
failing with Python's English text.
"""

from __future__ import annotations

import errno
import json
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ecokernel.errors import UserError

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:merge",
}


class DataFileError(UserError):
    """The file cannot be read as data at all (syntax, encoding, size, hostile structure)."""


@dataclass
class LineMap:
    """Where each field path (``obligors[0].uscc``) starts in the source text (1-based)."""

    positions: dict[str, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: str) -> tuple[int, int] | None:
        """The position of ``path`` or, failing that, of its nearest ancestor that has one."""
        while True:
            if path in self.positions:
                return self.positions[path]
            if not path:
                return None
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""


_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: same rules, faster


class _Loader(_SafeBase):  # type: ignore[misc, valid-type]
    """Safe loader whose floats are Decimal."""


_SPECIAL_FLOATS = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}


def _scalar_error(node: ScalarNode, message: str) -> DataFileError:
    return DataFileError(message, line=node.start_mark.line + 1, column=node.start_mark.column + 1)


def _decimal_float(loader: _Loader, node: ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        return Decimal(_SPECIAL_FLOATS.get(text.lower(), text))
    except InvalidOperation:  # YAML 1.1 sexagesimal (1:30.5) and the like: not a number anyone means here
        raise _scalar_error(node, f"“{text[:40]}”不是有效数字") from None


def too_long_for_int(digits: str) -> bool:
    """True when ``int(digits)`` would hit Python's limit on decimal digits (CVE-2020-10735)."""
    limit = sys.get_int_max_str_digits()
    return limit > 0 and len(digits.lstrip("+-").replace("_", "")) > limit


def _int(loader: _Loader, node: ScalarNode) -> int | Decimal:
    text = str(loader.construct_scalar(node))
    if too_long_for_int(text) and text.lstrip("+-").replace("_", "").isdigit():
        return Decimal(text.replace("_", ""))  # the model says what is wrong with it, at its field
    return loader.construct_yaml_int(node)  # type: ignore[no-any-return]


def _timestamp(loader: _Loader, node: ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):  # 2024-02-30, a time zone past ±24 h
        raise _scalar_error(node, f"“{str(node.value)[:40]}”不是有效日期，应写作 YYYY-MM-DD（如 2024-08-01）") from None


def _json_int(text: str) -> int | Decimal:
    return Decimal(text) if too_long_for_int(text) else int(text)


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal_float)
_Loader.add_constructor("tag:yaml.org,2002:int", _int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def join_path(base: str, key: str | int) -> str:
    """``join_path("a", 0) == "a[0]"``, ``join_path("a", "b") == "a.b"``."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if base else str(key)


def _inspect(root: Node) -> LineMap:
    """Check tags, size, depth and duplicate keys; record where each path starts."""
    lines = LineMap()
    sizes: dict[int, int] = {}

    def size(node: Node, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise DataFileError(f"数据嵌套超过{MAX_DEPTH}层，拒绝读取", line=node.start_mark.line + 1)
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # provisional (guards against cycles)
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        if total > MAX_NODES:
            raise DataFileError(f"数据展开后超过{MAX_NODES}个节点（可能是别名炸弹），拒绝读取",
                                line=node.start_mark.line + 1)
        sizes[id(node)] = total
        return total

    size(root, 0)

    def walk(node: Node, path: str, depth: int, at: Node) -> None:
        if node.tag not in _ALLOWED_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise DataFileError(f"不支持的YAML标签“{tag}”，数据文件只能使用普通的文字、数字、列表和映射",
                                line=node.start_mark.line + 1, column=node.start_mark.column + 1)
        if depth > 8 and path in lines.positions:
            return  # an alias re-visited deep down: already checked
        # A mapping entry is located at its key (the line a person looks for), an item at itself.
        lines.positions.setdefault(path, (at.start_mark.line + 1, at.start_mark.column + 1))
        if isinstance(node, SequenceNode):
            for i, child in enumerate(node.value):
                walk(child, join_path(path, i), depth + 1, child)
        elif isinstance(node, MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if key.tag == "tag:yaml.org,2002:merge":
                    walk(value, path, depth + 1, value)
                    continue
                name = str(key.value) if isinstance(key, ScalarNode) else "?"
                if name in seen:
                    raise DataFileError(f"字段“{name}”重复出现（首次在第{seen[name]}行）",
                                        path=join_path(path, name) or None, line=key.start_mark.line + 1,
                                        column=key.start_mark.column + 1)
                seen[name] = key.start_mark.line + 1
                walk(value, join_path(path, name), depth + 1, key)

    walk(root, "", 0, root)
    return lines


def _compose(text: str) -> Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _yaml_error(exc: yaml.YAMLError) -> DataFileError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    hints = {
        "found character '\\t' that cannot start any token": "含有制表符（Tab），YAML 缩进只能用空格",
        "found character that cannot start any token": "含有不能出现在此处的字符（如制表符 Tab；YAML 缩进只能用空格）",
        "mapping values are not allowed": "此处不能出现“:”（冒号后应有空格，或整段文字应加引号）",
        "did not find expected node content": "缺少取值，或括号、引号未闭合",
        "second occurrence": "锚点（&）名称重复",
        "did not find expected '-' indicator": "缩进不一致或缺少“- ”",
        "found unexpected ':'": "此处不能出现“:”（整段文字应加引号）",
        "could not find expected ':'": "缺少“:”，或上一行的引号未闭合",
        "found undefined alias": "引用了未定义的别名（*）",
        "expected <block end>, but found": "缩进不一致",
        "did not find expected key": "缩进不一致或缺少“- ”",
        "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
        "found duplicate anchor": "锚点（&）名称重复",
        "expected the node content, but found '<stream end>'": "文件意外结束（引号或括号未闭合）",
        "while scanning a quoted scalar": "引号未闭合",
        "exceeded maximum nesting depth": f"数据嵌套过深（超过{MAX_DEPTH}层），拒绝读取",
    }
    message = next((v for k, v in hints.items() if k in problem), None)
    message = f"YAML 语法错误：{message or f'无法解析此处（解析器原文：{problem}）'}"
    if mark is None:
        return DataFileError(message)
    return DataFileError(message, line=mark.line + 1, column=mark.column + 1)


#: a key written with a full-width colon ("case_name：测试"): YAML reads the line as text, not as a field
_FULLWIDTH_KEY = re.compile(r"^(?P<indent>[ ]*)(?:-[ ]+)?(?P<key>[a-z_][a-z0-9_]*)[ ]*：")
_BLOCK_SCALAR = re.compile(r":[ ]*[|>][+-]?[0-9]?[ ]*(?:#.*)?$")


def _fullwidth_colon(text: str) -> None:
    """Refuse a field key followed by a full-width colon, with its line (outside block scalars)."""
    block_indent: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        m = _FULLWIDTH_KEY.match(line)
        if m:
            key = m["key"]
            raise DataFileError(f"字段“{key}”后用了全角冒号“：”：字段名和值之间应为半角冒号加空格（{key}: …）",
                                line=number, column=m.end())
        if _BLOCK_SCALAR.search(line):
            block_indent = indent


def parse_yaml(text: str) -> tuple[Any, LineMap]:
    """Parse YAML text safely; returns the data and its line map. Raises DataFileError."""
    _fullwidth_colon(text)
    try:
        node = _compose(text)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None
    except RecursionError:
        raise DataFileError(f"数据嵌套过深，拒绝读取（上限{MAX_DEPTH}层）") from None
    if node is None:
        raise DataFileError("文件为空，没有任何数据")
    lines = _inspect(node)
    loader = _Loader("")
    try:
        data = loader.construct_document(node)
    except (yaml.YAMLError, ArithmeticError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataFileError(f"无法读取数据：{getattr(exc, 'problem', None) or exc}",
                            line=mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()
    return data, lines


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DataFileError(f"字段“{key}”重复出现")
        out[key] = value
    return out


def parse_json(text: str) -> tuple[Any, LineMap]:
    """Parse JSON text; floats become Decimal; duplicate keys are refused."""
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=_json_int, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"JSON 语法错误：{exc.msg}", line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise DataFileError("数据嵌套过深，拒绝读取") from None
    try:
        lines = _inspect(_compose(text) or ScalarNode("tag:yaml.org,2002:null", ""))
    except (yaml.YAMLError, DataFileError, RecursionError):
        lines = LineMap()
    return data, lines


def json_ready(value: Any) -> Any:
    """Parsed data as JSON values: ``Decimal`` as its exact text, dates and times as ISO text, keys
    as text, tuples as lists."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def decode(raw: bytes) -> str:
    """Decode a data file: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if b"\x00" in raw:
        raise DataFileError("文件含有二进制内容，不是文本格式的案件数据")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise DataFileError("无法识别文件编码，请保存为 UTF-8") from None


_OS_ERRORS = {
    errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EROFS: "文件系统是只读的",
    errno.EACCES: "没有权限", errno.EPERM: "没有权限（或文件被锁定为不可修改）", errno.EEXIST: "已存在同名文件",
    errno.ENOTDIR: "路径中有一级不是目录", errno.EISDIR: "这是一个目录", errno.ENOENT: "路径不存在",
    errno.ENAMETOOLONG: "路径或文件名过长", errno.EMFILE: "打开的文件过多", errno.ENFILE: "打开的文件过多",
    errno.EIO: "读写设备出错", errno.EBUSY: "设备或文件正忙", errno.EXDEV: "不能跨文件系统移动",
}


def os_error_text(exc: OSError) -> str:
    """What went wrong with a file operation, in Chinese (the error number's name for rare ones)."""
    if exc.errno in _OS_ERRORS:
        return _OS_ERRORS[exc.errno]
    name = errno.errorcode.get(exc.errno, str(exc.errno)) if exc.errno is not None else type(exc).__name__
    return f"系统错误（{name}）"


def packaged_data(package: str, name: str) -> Any:
    """A data file shipped inside a package (``procedure.data``, ``checkers.data``), parsed safely."""

    data, _ = parse_yaml((resources.files(package) / name).read_text("utf-8"))
    return data


def read_data_file(path: str | Path, *, max_bytes: int = MAX_BYTES) -> tuple[Any, LineMap]:
    """Read a .yaml/.yml/.json data file. Raises DataFileError (Chinese message) on any problem."""
    p = Path(path)
    try:
        stat = p.stat()
    except OSError:
        raise DataFileError(f"找不到文件：{p}") from None
    if not p.is_file():
        raise DataFileError(f"不是文件：{p}")
    if stat.st_size > max_bytes:
        raise DataFileError(f"文件过大（{stat.st_size // 1024} KB），案件数据文件上限为 {max_bytes // 1024} KB")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DataFileError(f"无法读取文件：{os_error_text(exc)}") from None
    return parse_data(raw, suffix=p.suffix.lower())


def parse_data(raw: bytes | str, *, suffix: str = ".yaml") -> tuple[Any, LineMap]:
    """Parse bytes or text as JSON (``suffix == ".json"`` or text starting with ``{``) or YAML."""
    text = decode(raw) if isinstance(raw, bytes) else raw
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise DataFileError(f"数据过大，上限为 {MAX_BYTES // 1024} KB")
    if suffix == ".json" or (suffix not in (".yaml", ".yml") and text.lstrip().startswith("{")):
        return parse_json(text)
    return parse_yaml(text)
