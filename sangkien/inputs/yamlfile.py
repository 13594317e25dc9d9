"""A parameters file read safely: YAML's safe loader with a key written twice refused at any depth, the
expansion of aliases and the nesting bounded before any value is built, a date that does not exist
reported like a syntax error, and a file too large refused unread. Every refusal is one line naming the
file (and the line, where there is one)."""
from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import yaml

from sangkien.errors import ParamsError
from sangkien.inputs.shown import shown, thousands

MAX_FILE_BYTES = 1 << 20
"""The largest parameters file read (a year's file is a few kilobytes): a larger one is refused unread."""
MAX_NODES = 100_000
"""The most values a parameters file may hold once its YAML aliases (``*name``) are expanded: a year's
file holds a few hundred; a nested-alias "bomb" would expand to billions."""
MAX_DEPTH = 50
"""The deepest nesting of lists and mappings read (a year's file nests three deep)."""


class _Refused(yaml.YAMLError):
    """A document the loader will not build: a key written twice, aliases expanding past MAX_NODES,
    nesting past MAX_DEPTH. The message is the analyst's line (after the file's name)."""


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, with: a date that does not exist (2024-13-01) reported like a syntax error; a
    key written twice in one mapping refused, at any depth (YAML would keep the last silently); nesting
    and the expansion of aliases bounded, checked on the composed document before any value is built."""

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Refused(f"dòng {self.peek_event().start_mark.line + 1}: các danh sách, khóa con lồng nhau "
                               f"quá {MAX_DEPTH} tầng")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def compose_document(self):
        document = super().compose_document()
        _expanded_size(document, {}, set())
        return document

    def construct_mapping(self, node, deep=False):
        _refuse_duplicates(self, node)
        return super().construct_mapping(node, deep=deep)


def _construct_timestamp(loader: _Loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        raise yaml.constructor.ConstructorError(
            None, None, f"ngày không tồn tại {shown(node.value)}", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _expanded_size(node, sizes: dict[int, int], open_nodes: set[int]) -> int:
    """How many values ``node`` holds with every alias expanded, counted once per node (the composed
    document shares an anchored node among its aliases): _Refused past MAX_NODES or for an alias inside
    its own anchor."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_nodes:
        raise _Refused(f"dòng {node.start_mark.line + 1}: một bí danh YAML (*tên) nằm bên trong chính neo (&tên) "
                       "của nó")
    open_nodes.add(key)
    total = 1 + sum(_expanded_size(child, sizes, open_nodes) for child in _children(node))
    open_nodes.discard(key)
    if total > MAX_NODES:
        raise _Refused(f"dòng {node.start_mark.line + 1}: giá trị này có hơn {thousands(MAX_NODES)} phần tử khi các bí "
                       "danh YAML (*tên) được mở ra; hãy viết các giá trị ra trực tiếp")
    sizes[key] = total
    return total


def _refuse_duplicates(loader: _Loader, node) -> None:
    """_Refused when ``node`` (a mapping) has a key written twice (keys merged in with ``<<`` may be
    overridden, as YAML means them to be)."""
    first: dict = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            seen = first.setdefault(key, key_node)
        except TypeError:  # not hashable: YAML's own error follows
            continue
        if seen is not key_node:
            raise _Refused(f'khóa "{shown(key, quoted=False)}" được viết hai lần, ở dòng {seen.start_mark.line + 1} '
                           f"và dòng {key_node.start_mark.line + 1}; hãy giữ một")


def _param_bytes(path: Path) -> bytes:
    """A parameters file's bytes; ParamsError when it is missing, a folder, a loop of symbolic links,
    unreadable or larger than MAX_FILE_BYTES."""
    try:
        if path.is_dir():
            raise ParamsError(f"{path}: là một thư mục, không phải tệp tham số; cần một tệp YAML (.yaml)")
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ParamsError(f"{path}: không tìm thấy tệp tham số") from None
    except OSError as exc:
        raise ParamsError(f"{path}: không đọc được tệp tham số ({_READ_PROBLEMS.get(exc.errno, exc.strerror)})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ParamsError(f"{path}: tệp tham số lớn hơn {thousands(MAX_FILE_BYTES // 1024)} KB; một tệp tham số chỉ "
                          "cần vài KB")
    return data


_READ_PROBLEMS = {
    errno.ELOOP: "các liên kết tượng trưng trỏ vòng quanh nhau, không dẫn tới tệp nào",
    errno.EACCES: "không có quyền đọc",
    errno.EPERM: "không được phép đọc",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.ENAMETOOLONG: "đường dẫn quá dài",
}


def load_yaml(path: Path) -> dict[str, Any]:
    """A parameters file's mapping (empty for an empty file); ParamsError naming the line of a syntax error,
    or a key written twice, or a document too large or too deep."""
    return read_mapping(path)[0]


def read_mapping(path: Path) -> tuple[dict[str, Any], bytes]:
    """A parameters file's mapping, as :func:`load_yaml`, and the bytes it was parsed from (their digest
    names the file in the manifest: the file is not read a second time)."""
    path = Path(path)
    data = _param_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParamsError(f"{path}: không đọc được tệp tham số (UnicodeDecodeError); cần tệp YAML mã UTF-8") from None
    try:
        content = yaml.load(text, Loader=_Loader)
    except _Refused as exc:
        raise ParamsError(f"{path}, {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParamsError(f"{path}{where}: lỗi cú pháp YAML: {what}") from None
    if content is None:
        return {}, data
    if not isinstance(content, dict):
        raise ParamsError(f"{path}: tệp tham số phải là các cặp 'khóa: giá trị' (YAML mapping)")
    return content, data
