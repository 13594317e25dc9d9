"""Parameters of a yearly report (contract section 3), loaded once and validated into one typed object.

``params/defaults.yaml`` holds what does not change from year to year; ``params/YEAR.yaml`` (or any
file given with ``--params``) overrides it key by key.
"""
from __future__ import annotations

import dataclasses
import datetime
import difflib
import errno
import functools
import hashlib
import os
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sangkien import paths
from sangkien.errors import ParamsError
from sangkien.inputs import schema

DEFAULT_BLOCKS = ("Giáo dục", "Quận, huyện, sở, ngành")
DEFAULT_PERIOD_START = 2016


def _field(meaning: str, default: Any = dataclasses.MISSING, *, factory: Any = dataclasses.MISSING,
           note: str = "", hint: str = ""):
    """A field with what it means to an analyst (Vietnamese): the one place from which ``sangkien params``
    lists the parameters, the validator names a missing key, and ``new-year`` prompts for a section.

    ``meaning`` is a short noun phrase; ``note`` adds detail for the listing; ``hint`` (sections only)
    says what to write."""
    return field(default=default, default_factory=factory, metadata={"meaning": meaning, "note": note, "hint": hint})


@dataclass(frozen=True)
class Signer:
    authority: str = _field("thẩm quyền ký", "KT. GIÁM ĐỐC",
                            note="dòng trên chức vụ, ví dụ KT. GIÁM ĐỐC (ký thay); để trống khi người đứng đầu ký")
    """The line above the title, e.g. 'KT. GIÁM ĐỐC' (signing on behalf); empty when the head signs."""
    title: str = _field("chức vụ người ký", "PHÓ GIÁM ĐỐC")
    name: str = _field("họ và tên người ký", "")


@dataclass(frozen=True)
class Sections:
    """The analyst-written parts of the report (Markdown: paragraphs, lists, emphasis)."""

    context: str = _field(
        "phần I. Đặc điểm tình hình, công tác chỉ đạo", "",
        hint="tình hình chung của năm; văn bản chỉ đạo, hướng dẫn của thành phố và của Sở; công tác tuyên "
             "truyền; cách tiếp nhận hồ sơ và tổ chức Hội đồng Sáng kiến.")
    """I. Đặc điểm tình hình, công tác chỉ đạo."""
    assessment: str = _field(
        "phần III. Đánh giá chung (ưu điểm, hạn chế, nguyên nhân)", "",
        hint="ưu điểm, hạn chế và nguyên nhân. Các nhận xét rút từ số liệu được in sẵn phía trên phần "
             "này; ở đây viết điều số liệu không tự nói lên.")
    """III. Đánh giá chung: strengths, shortcomings, causes."""
    direction: str = _field(
        "phần IV. Phương hướng, nhiệm vụ năm tới", "",
        hint="các nhiệm vụ chính của năm tới, mỗi nhiệm vụ một gạch đầu dòng (- ...).")
    """IV. Phương hướng, nhiệm vụ năm tới."""
    recommendations: str = _field(
        "phần V. Kiến nghị", "",
        hint="kiến nghị với UBND thành phố và các cơ quan liên quan (kinh phí, cơ chế, khen thưởng...).")
    """V. Kiến nghị."""


@dataclass(frozen=True)
class Reorganisation:
    """Earlier names mapped onto today's, for comparisons across a reorganisation (contract section 3):
    every row of every year is counted under today's block and unit.

    As loaded, both mappings are resolved: names NFC and trimmed, a name mapped to itself left out, chains
    followed (``a → b`` and ``b → c`` count ``a`` under ``c``), and every block mapped onto the spelling
    ``blocks`` gives it. The register matches an old name with :func:`sangkien.inputs.schema.fold` (case,
    spaces, NFC/NFD and invisible characters do not matter)."""

    blocks: dict[str, str] = _field(
        "khối cũ → khối hiện nay", factory=dict,
        note="mỗi dòng 'khối cũ: khối hiện nay'; khối hiện nay phải có trong blocks, khối cũ thì không")
    units: dict[str, str] = _field(
        "đơn vị cũ → đơn vị hiện nay", factory=dict,
        note="mỗi dòng 'đơn vị cũ: đơn vị hiện nay'; nhiều đơn vị cũ có thể cùng về một đơn vị (sáp nhập)")

    def __bool__(self) -> bool:
        """True when some name is mapped."""
        return bool(self.blocks or self.units)


@dataclass(frozen=True)
class Params:
    year: int = _field("năm báo cáo", note="tệp params/NĂM.yaml phải ghi đúng năm trong tên tệp")
    data: Path = _field(
        "tệp sổ đăng ký",
        note=".xlsx (trang tính đầu tiên) hoặc .csv; đường dẫn tương đối tính từ thư mục gốc của dự án; "
             "có thể thay bằng --data khi dựng")
    blocks: tuple[str, ...] = _field("các khối, theo thứ tự trình bày trong báo cáo", DEFAULT_BLOCKS)
    period_start: int = _field("năm đầu của giai đoạn so sánh", DEFAULT_PERIOD_START,
                               note="giai đoạn kết thúc ở năm liền trước năm báo cáo")
    reorganisation: Reorganisation = _field(
        "tên khối, đơn vị trước đây → tên hiện nay, để so sánh qua một đợt sắp xếp tổ chức", factory=Reorganisation,
        note="hai khóa con blocks và units; mọi dòng của mọi năm được tính theo tên hiện nay và báo cáo nói rõ "
             "những tên đã chuyển; tên được so khớp không phân biệt chữ hoa, dấu cách, NFC/NFD; a → b và b → c "
             "thì a được tính vào c")
    sample_data: bool = _field("sổ đăng ký là số liệu minh họa", False,
                               note="true: mọi trang của báo cáo ghi rõ đây là số liệu minh họa")
    parent_body: str = _field("cơ quan chủ quản", "UBND THÀNH PHỐ HẢI PHÒNG",
                              note="dòng đầu bên trái của văn bản, chữ in hoa")
    level: str = _field("cấp công nhận sáng kiến", "",
                        note='"thành phố", "tỉnh" hoặc "bộ"...: in trong "sáng kiến cấp thành phố", "tỷ lệ chung của '
                             'thành phố"; để trống thì suy từ parent_body (UBND TỈNH ... là "tỉnh")')
    issuing_body: str = _field("cơ quan ban hành", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
                               note="dưới cơ quan chủ quản, chữ in hoa đậm")
    doc_number: str = _field("số văn bản", "", note="ví dụ \"45\" (nên đặt trong ngoặc kép); để trống thì "
                                                   "để chỗ trống cho văn thư điền")
    """The number of the document ('45'); empty leaves a blank for the office to fill in."""
    doc_symbol: str = _field("ký hiệu văn bản", "BC-SKHCN", note="in sau số: Số: 45/BC-SKHCN")
    place: str = _field("địa danh", "Hải Phòng", note="in trước ngày ban hành: Hải Phòng, ngày 05 tháng 01 năm 2024")
    issue_date: datetime.date | None = _field("ngày ban hành", None,
                                              note="để trống thì để chỗ trống cho văn thư điền")
    subject: str = _field("trích yếu dưới chữ BÁO CÁO", "",
                          note="để trống thì dùng trích yếu chuẩn: Kết quả phong trào thi đua ... năm NĂM "
                               "và phương hướng, nhiệm vụ năm NĂM+1")
    """The subject line under 'BÁO CÁO'; empty gives the standard one for the year."""
    signer: Signer = _field("người ký", factory=Signer)
    timezone: str = _field("múi giờ của cơ quan", "Asia/Ho_Chi_Minh",
                           note="giờ ký số (trên dấu chữ ký và trong manifest.json) tính theo múi giờ này, dù máy "
                                "đặt múi giờ nào; tên múi giờ IANA")
    recipients: tuple[str, ...] = _field("nơi nhận", (),
                                         note="mỗi dòng một nơi nhận; dòng cuối thường là \"Lưu: VT, ...\"")
    sections: Sections = _field("các phần do chuyên viên viết", factory=Sections,
                                note="Markdown: đoạn văn cách nhau một dòng trống, gạch đầu dòng, **đậm**, *nghiêng*")
    files: tuple[Path, ...] = ()
    """The parameters files read, defaults first."""

    @property
    def recognition_level(self) -> str:
        """The level at which initiatives are recognised, for the wording: ``level``, or else what
        ``parent_body`` says ('UBND TỈNH QUẢNG NINH' gives 'tỉnh').

        >>> Params(2023, Path("x")).recognition_level, Params(2023, Path("x"), parent_body="UBND TỈNH QUẢNG NINH").recognition_level
        ('thành phố', 'tỉnh')
        """
        if self.level.strip():
            return " ".join(self.level.split())
        body = schema.fold(self.parent_body)
        for council in ("ubnd ", "ủy ban nhân dân ", "uỷ ban nhân dân "):
            body = body.removeprefix(council)
        return next((word for word in ("thành phố", "tỉnh", "bộ") if body.startswith(word + " ")), "thành phố")

    @property
    def period_end(self) -> int:
        return self.year - 1

    @property
    def subject_line(self) -> str:
        return self.subject or (
            "Kết quả phong trào thi đua nghiên cứu, phát huy sáng kiến, cải tiến kỹ thuật "
            f"năm {self.year} và phương hướng, nhiệm vụ năm {self.year + 1}"
        )

    @property
    def params_file(self) -> Path:
        return self.files[-1]

    def sha256(self) -> str:
        """One digest over every parameters file read, in order."""
        digest = hashlib.sha256()
        for f in self.files:
            digest.update(f.read_bytes())
        return digest.hexdigest()


NESTED = {"signer": Signer, "sections": Sections, "reorganisation": Reorganisation}
"""Keys holding keys of their own, and the dataclass that lists them."""
INTERNAL = {"files"}
"""Fields that are not parameters (no key in a file)."""


@functools.cache
def field_types(cls=Params) -> dict[str, Any]:
    """Field name -> its type (the class, not the annotation's text)."""
    return typing.get_type_hints(cls)


def meaning(key: str, cls=Params) -> str:
    """The short Vietnamese meaning of a parameter ('year', 'signer.name')."""
    head, _, rest = key.partition(".")
    spec = {f.name: f for f in dataclasses.fields(cls)}[head]
    return meaning(rest, NESTED[head]) if rest else spec.metadata["meaning"]


def known_keys(cls=Params) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if f.name not in INTERNAL]


# --------------------------------------------------------------------------- reading a file

MAX_FILE_BYTES = 1 << 20
"""The largest parameters file read (a year's file is a few kilobytes): a larger one is refused unread."""
MAX_NODES = 100_000
"""The most values a parameters file may hold once its YAML aliases (``*name``) are expanded: a year's
file holds a few hundred; a nested-alias "bomb" would expand to billions."""
MAX_DEPTH = 50
"""The deepest nesting of lists and mappings read (a year's file nests three deep)."""
SHOWN_CHARS = 60
"""How much of a wrong value an error message shows."""


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
            None, None, f"ngày không tồn tại {_shown(node.value)}", node.start_mark) from None


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
        raise _Refused(f"dòng {node.start_mark.line + 1}: giá trị này có hơn {MAX_NODES:,} phần tử khi các bí danh "
                       "YAML (*tên) được mở ra; hãy viết các giá trị ra trực tiếp".replace(",", "."))
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
            raise _Refused(f'khóa "{_shown(key, quoted=False)}" được viết hai lần, ở dòng {seen.start_mark.line + 1} '
                           f"và dòng {key_node.start_mark.line + 1}; hãy giữ một")


def _start_of(value, budget: int) -> tuple[str, bool]:
    """``repr(value)`` up to about ``budget`` characters, and whether that is all of it; never builds more
    than it shows (a value may share its parts many times over: a YAML alias)."""
    if isinstance(value, (list, dict)):
        opening, closing = ("[", "]") if isinstance(value, list) else ("{", "}")
        shown = opening
        for n, item in enumerate(value.items() if isinstance(value, dict) else value):
            if len(shown) >= budget:
                return shown + "…", False
            part, whole = (_start_of(item, budget - len(shown)) if isinstance(value, list) else
                           _start_of_pair(item, budget - len(shown)))
            shown += (", " if n else "") + part
            if not whole:
                return shown, False
        return shown + closing, True
    if isinstance(value, str) and len(value) > budget:
        return repr(value[:budget])[:-1] + "…", False
    text = repr(value)
    return (text, True) if len(text) <= budget else (text[:budget] + "…", False)


def _start_of_pair(pair, budget: int) -> tuple[str, bool]:
    key, whole = _start_of(pair[0], budget)
    if not whole:
        return key, False
    value, whole = _start_of(pair[1], budget - len(key) - 2)
    return f"{key}: {value}", whole


_KIND_WORDS = {list: ("một danh sách", "mục"), dict: ("các khóa con", "khóa"), str: ("một đoạn chữ", "ký tự")}


def _shown(value, quoted: bool = True) -> str:
    """A value as an error message shows it: whole when short (``repr``, or the text itself when not
    ``quoted``), else its kind, its size and its start.

    >>> _shown(["UBND", 5])
    "['UBND', 5]"
    >>> _shown("x" * 500)
    "một đoạn chữ 500 ký tự, bắt đầu bằng 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"
    """
    if not quoted and isinstance(value, str) and len(value) <= SHOWN_CHARS:
        return value
    text, whole = _start_of(value, SHOWN_CHARS)
    if whole:
        return text
    kind, unit = _KIND_WORDS.get(type(value), (type(value).__name__, ""))
    size = f" {len(value):,} {unit}".replace(",", ".") if unit else ""
    return f"{kind}{size}, bắt đầu bằng {text}"


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
        raise ParamsError(f"{path}: tệp tham số lớn hơn {MAX_FILE_BYTES // 1024:,} KB; một tệp tham số chỉ cần vài KB"
                          .replace(",", "."))
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
    path = Path(path)
    try:
        text = _param_bytes(path).decode("utf-8-sig")
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
        return {}
    if not isinstance(content, dict):
        raise ParamsError(f"{path}: tệp tham số phải là các cặp 'khóa: giá trị' (YAML mapping)")
    return content


def check_keys(path: Path, mapping: dict, cls=Params, prefix: str = "") -> None:
    """ParamsError for the first key ``cls`` does not know, naming the nearest known one."""
    allowed = known_keys(cls)
    for key in mapping:
        if not isinstance(key, str) or key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.5)
            hint = f'; có phải ý bạn là "{prefix}{close[0]}"?' if close else f"; các khóa hợp lệ: {', '.join(allowed)}"
            raise ParamsError(f'{path}: khóa không hợp lệ "{prefix}{_shown(key, quoted=False)}"{hint}')
        if key in NESTED and isinstance(mapping[key], dict):
            check_keys(path, mapping[key], NESTED[key], prefix=f"{key}.")


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if key in NESTED and value is None and key in base:
            continue  # 'signer:' with nothing under it changes nothing
        if key in NESTED and isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = {**base[key], **value}
        else:
            merged[key] = value
    return merged


# --------------------------------------------------------------------------- values by type

def _to_int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(value)
    return value


def _to_bool(value) -> bool:
    if not isinstance(value, bool):
        raise ValueError(value)
    return value


def _to_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ValueError(value)
    return value


def _resolve(text: str) -> Path:
    """A path written in a parameters file: relative to the project's root."""
    path = Path(text).expanduser()
    return path if path.is_absolute() else paths.ROOT / path


def _to_path(value) -> Path:
    return _resolve(_to_text(value))


def _to_texts(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(value)
    return tuple(v.strip() for v in value)


def _to_date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for fmt in ("%Y-%m-%d", "%d/%m/%Y") if isinstance(value, str) else ():
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            pass
    raise ValueError(value)


def _to_mapping(value) -> dict:
    if not isinstance(value or {}, dict):
        raise ValueError(value)
    return value or {}


def _to_names(value) -> dict:
    """A mapping of names (each entry is checked by :func:`_renames`, which names the entry)."""
    if not isinstance(value or {}, dict):
        raise ValueError(value)
    return dict(value or {})


@dataclass(frozen=True)
class Kind:
    label: str
    """What a value must be, in the analyst's words (the validator's messages and ``sangkien params``)."""
    convert: Callable[[Any], Any]
    """The value as Params holds it; ValueError for a value of another kind."""


KINDS: dict[Any, Kind] = {
    int: Kind("một số nguyên", _to_int),
    Path: Kind("một đường dẫn tệp", _to_path),
    bool: Kind("true hoặc false", _to_bool),
    Signer: Kind("các khóa con (YAML mapping)", _to_mapping),
    Sections: Kind("các khóa con (YAML mapping)", _to_mapping),
    str: Kind("một đoạn chữ", _to_text),
    datetime.date | None: Kind("một ngày (2024-01-05 hoặc 05/01/2024)", _to_date),
    tuple[str, ...]: Kind("một danh sách các dòng chữ không trống", _to_texts),
    Reorganisation: Kind("các khóa con (YAML mapping)", _to_mapping),
    dict[str, str]: Kind("các cặp 'tên cũ: tên hiện nay' (YAML mapping)", _to_names),
}
"""The converter of each field's type. Keys without a check of their own are checked kind by kind in this
order (the first mistake found is the one reported)."""


def convert(where: str, key: str, value, kind_of) -> Any:
    """``value`` as a field of type ``kind_of`` holds it (a nested dataclass key by key); ParamsError otherwise."""
    kind = KINDS[kind_of]
    try:
        converted = kind.convert(value)
    except ValueError:
        raise ParamsError(f'{where}: khóa "{key}" cần {kind.label}, nhận được {_shown(value)}') from None
    if kind_of in NESTED.values():
        types = field_types(kind_of)
        return kind_of(**{k: convert(where, f"{key}.{k}", v, types[k]) for k, v in converted.items()})
    return converted


# --------------------------------------------------------------------------- the parameters of a year

def _params_file(year: int | None, params_file: str | Path | None) -> Path:
    if params_file is not None:
        return Path(params_file)
    if year is None:
        raise ParamsError("cần năm báo cáo hoặc tệp tham số")
    params_file = paths.params_file_for(year)
    if not Path(params_file).exists():
        raise ParamsError(
            f"{params_file}: không có tệp tham số cho năm {year}; tạo tệp này "
            f"(chỉ cần 'year: {year}' và 'data: ...') hoặc dùng --params"
        )
    return Path(params_file)


def _read_files(params_file: Path) -> tuple[dict[str, Any], list[Path]]:
    """The shared defaults overridden key by key by ``params_file``, and the files read."""
    files: list[Path] = []
    merged: dict[str, Any] = {}
    for path in (paths.DEFAULTS_FILE, params_file):
        if path == paths.DEFAULTS_FILE and not path.exists():
            continue
        if files and os.path.realpath(path) == os.path.realpath(files[0]):  # (a loop of links: load_yaml says so)
            continue
        content = load_yaml(path)
        check_keys(path, content, Params)
        merged = _merge(merged, content)
        files.append(path)
    return merged, files


def _year(where: str, merged: dict, year: int | None) -> int:
    if "year" not in merged:
        raise ParamsError(f'{where}: thiếu khóa bắt buộc "year" ({meaning("year")})')
    file_year = convert(where, "year", merged["year"], int)
    if year is not None and file_year != year:
        raise ParamsError(f"{where}: tệp tham số ghi year: {file_year}, nhưng lệnh yêu cầu năm {year}")
    return file_year


def _data(where: str, merged: dict, data_file: str | Path | None, require_data: bool) -> Path:
    if data_file is not None:
        data = Path(data_file).expanduser().resolve()
    elif merged.get("data"):
        data = _resolve(convert(where, "data", merged["data"], str))  # a mistake is named as text, as always
    elif require_data:
        raise ParamsError(f'{where}: thiếu khóa bắt buộc "data" ({meaning("data")}), hoặc dùng --data')
    else:
        data = Path()
    if require_data and not data.is_file():
        raise ParamsError(f"{where}: {_not_a_register(data)}")
    return data


def _not_a_register(data: Path) -> str:
    """Why ``data`` (not a file) cannot be the register, for the analyst."""
    if data.is_dir():
        return f"tệp sổ đăng ký là một thư mục, không phải tệp: {data}; cần tệp .xlsx hoặc .csv"
    if data.is_symlink():
        return f"tệp sổ đăng ký là một liên kết tượng trưng không dẫn tới tệp nào: {data}"
    return f"tệp sổ đăng ký không tồn tại: {data}"


def _blocks(where: str, value) -> tuple[str, ...]:
    blocks = tuple(schema.nfc(b) for b in convert(where, "blocks", value, tuple[str, ...]))
    if not blocks:
        raise ParamsError(f'{where}: khóa "blocks" cần ít nhất một khối')
    folded = [schema.fold(b) for b in blocks]
    if len(set(folded)) != len(folded):
        raise ParamsError(f'{where}: khóa "blocks" có khối trùng tên')
    return blocks


# --------------------------------------------------------------------------- reorganisation

def _name(where: str, key: str, value, old=None) -> str:
    """An old or today's name of ``reorganisation``, NFC and trimmed; ParamsError when it is not text or is empty."""
    if not isinstance(value, str):
        raise ParamsError(f'{where}: khóa "{key}": tên cần là chữ, nhận được {_shown(value)}')
    text = schema.nfc(value)
    if not text:
        at = f' (tên hiện nay của "{schema.nfc(str(old))}")' if old is not None else ""
        raise ParamsError(f'{where}: khóa "{key}": tên trống{at}')
    return text


def _follow(where: str, key: str, start: str, names: dict[str, str], written: dict[str, str]) -> str:
    """Today's name of the old name folded ``start``: its target, that target's, ... ParamsError on a loop."""
    seen = [start]
    target = names[start]
    while schema.fold(target) in names:
        seen.append(schema.fold(target))
        if seen[-1] in seen[:-1]:
            loop = " → ".join(f'"{written[f]}"' for f in seen)
            raise ParamsError(f'{where}: khóa "{key}": tên chuyển vòng tròn {loop}; mỗi tên cũ cần về một tên hiện nay')
        target = names[seen[-1]]
    return target


def _onto_blocks(where: str, key: str, renames: dict[str, str], blocks: tuple[str, ...]) -> dict[str, str]:
    """Each old block's today's block in the spelling of ``blocks``; ParamsError naming an old block whose
    today's block is not in ``blocks``, or an old block that still is one."""
    spelling = {schema.fold(b): b for b in blocks}
    for old, new in renames.items():
        if schema.fold(old) in spelling:
            raise ParamsError(f'{where}: khóa "{key}": khối "{old}" vẫn có trong blocks nên không là khối cũ; '
                              f'bỏ nó khỏi blocks hoặc khỏi {key}')
        if schema.fold(new) not in spelling:
            raise ParamsError(f'{where}: khóa "{key}": khối cũ "{old}" chuyển sang "{new}", nhưng "{new}" không có '
                              f"trong blocks; {schema.need_choice(blocks)}")
    return {old: spelling[schema.fold(new)] for old, new in renames.items()}


def _renames(where: str, key: str, given: dict, blocks: tuple[str, ...] | None = None) -> dict[str, str]:
    """Old name -> today's name, resolved (see :class:`Reorganisation`); ``blocks``: the blocks today's must be."""
    names: dict[str, str] = {}
    """Folded old name -> today's name as written."""
    written: dict[str, str] = {}
    for old, new in given.items():
        old_text, new_text = _name(where, key, old), _name(where, key, new, old)
        folded = schema.fold(old_text)
        if folded == schema.fold(new_text):
            continue  # a name mapped to itself changes nothing
        if folded in names and schema.fold(names[folded]) != schema.fold(new_text):
            raise ParamsError(f'{where}: khóa "{key}": tên cũ "{old_text}" được ghi hai lần, sang "{names[folded]}" '
                              f'và sang "{new_text}"')
        names[folded] = new_text
        written.setdefault(folded, old_text)
    renames = {written[f]: _follow(where, key, f, names, written) for f in names}
    return renames if blocks is None else _onto_blocks(where, key, renames, blocks)


def _reorganisation(where: str, value, blocks: tuple[str, ...]) -> Reorganisation:
    given = convert(where, "reorganisation", value, Reorganisation)
    return Reorganisation(blocks=_renames(where, "reorganisation.blocks", given.blocks, blocks),
                          units=_renames(where, "reorganisation.units", given.units))


def _period_start(where: str, value, year: int) -> int:
    """The first year of the comparison period: after ``year`` is an error; the year itself says the year
    has no earlier period, which :func:`sangkien.inputs.load` accepts only when the register has no
    earlier row (the report would otherwise say there is nothing to compare with)."""
    period_start = convert(where, "period_start", value, int)
    if period_start > year:
        raise ParamsError(f'{where}: "period_start" ({period_start}) phải không sau năm báo cáo ({year})')
    return period_start


def _the_rest(where: str, merged: dict, done: dict) -> dict[str, Any]:
    """The keys without a check of their own, converted by type in the order of KINDS."""
    order = list(KINDS)
    types = field_types(Params)
    rest = sorted((name for name in known_keys(Params) if name not in done and name in merged),
                  key=lambda name: order.index(types[name]))
    return {name: convert(where, name, merged[name], types[name]) for name in rest}


def load_params(
    year: int | None = None,
    params_file: str | Path | None = None,
    data_file: str | Path | None = None,
    *,
    require_data: bool = True,
) -> Params:
    """Read the defaults and the year's parameters file, validate them, and return one Params.

    ``params_file`` defaults to ``params/YEAR.yaml``; ``data_file`` overrides its ``data`` key
    (a relative path then counts from the current folder, as on a command line).
    """
    params_file = _params_file(year, params_file)
    merged, files = _read_files(params_file)
    where = str(params_file)
    values: dict[str, Any] = {"year": _year(where, merged, year)}
    values["data"] = _data(where, merged, data_file, require_data)
    values["blocks"] = _blocks(where, merged.get("blocks", list(DEFAULT_BLOCKS)))
    values["period_start"] = _period_start(where, merged.get("period_start", DEFAULT_PERIOD_START), values["year"])
    values["reorganisation"] = _reorganisation(where, merged.get("reorganisation"), values["blocks"])
    values.update(_the_rest(where, merged, values))
    return Params(**values, files=tuple(files))


def default_reorganisation() -> Reorganisation:
    """The ``reorganisation`` of the shared defaults file, checked against its blocks (for ``check``
    without ``--params``); empty when the file has none."""
    if paths.DEFAULTS_FILE.exists():
        content = load_yaml(paths.DEFAULTS_FILE)
        if content.get("reorganisation"):
            check_keys(paths.DEFAULTS_FILE, content, Params)
            return _reorganisation(str(paths.DEFAULTS_FILE), content["reorganisation"], default_blocks())
    return Reorganisation()


def default_blocks() -> tuple[str, ...]:
    """The blocks of the shared defaults file (for ``check`` without ``--params``)."""
    if paths.DEFAULTS_FILE.exists():
        content = load_yaml(paths.DEFAULTS_FILE)
        check_keys(paths.DEFAULTS_FILE, content, Params)
        if "blocks" in content:
            return tuple(schema.nfc(b) for b in convert(str(paths.DEFAULTS_FILE), "blocks", content["blocks"],
                                                        tuple[str, ...]))
    return DEFAULT_BLOCKS
