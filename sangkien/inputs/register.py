"""Reading and validating the register of initiatives (contract section 2).

``read_register(path, blocks)`` returns a :class:`Register` or raises :class:`DataError` listing
every problem, one line each, naming the file, the row as Excel numbers it, the column as written
in the file, the value and what was expected. The user's file is only ever opened for reading.
"""
from __future__ import annotations

import csv
import gc
import io
import math
import pickle
import re
import unicodedata
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Iterable

from sangkien.errors import DataError
from sangkien.files import sha256_bytes
from sangkien.inputs import encodings as legacy
from sangkien.inputs import schema

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_VN_GROUPED = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_PLAIN = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_SUSPECT_RE = re.compile("[\u00a1-\u00bf" + "".join(sorted(legacy._NON_VIETNAMESE_LETTERS)) + "]")


FRAME_COLUMNS = ("row", "ma_so", "ten_sang_kien", "tac_gia", "don_vi", "khoi", "linh_vuc", "ket_qua",
                 "nam", "so_tien_lam_loi", "diem")


@dataclass
class Register:
    """A validated register: one row per initiative, canonical columns, Excel row numbers in ``row``.

    ``columns`` holds each column as a list (this layer never imports pandas: the frame is made by
    :func:`sangkien.figures.frame`). ``sha256`` is the digest of the very bytes that were validated.
    """

    path: Path
    columns: dict[str, list]
    headers: dict[str, str] = field(default_factory=dict)
    """Column id -> the header as written in the file."""
    sha256: str = ""
    cache: dict = field(default_factory=dict, repr=False, compare=False)
    """What later layers derive from the register once (the pandas frame)."""

    def __len__(self) -> int:
        return len(self.columns["row"])

    @property
    def years(self) -> list[int]:
        return sorted(set(self.columns["nam"]))



@dataclass(order=True)
class Problem:
    row: int
    column: int
    text: str = field(compare=False)


def _show(value) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    if len(text) > 60:
        text = text[:57] + "..."
    return f'"{text}"'


# --------------------------------------------------------------------------- reading

def _read_csv(path: Path, data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        guess = legacy.detect_bytes(data)
        where = f"byte {exc.start + 1}"
        if guess == legacy.WINDOWS_1258:
            raise DataError(
                f"{path}: tệp CSV không phải mã UTF-8 mà là mã Windows-1258 ({where}); hãy mở tệp bằng Excel "
                'và lưu lại dưới dạng "CSV UTF-8 (Comma delimited)"'
            ) from None
        if guess:
            raise DataError(
                f"{path}: tệp không phải UTF-8 mà có vẻ được gõ bằng mã {guess} ({where}); "
                + legacy.HINT.format(encoding=guess) + " dưới dạng CSV UTF-8"
            ) from None
        raise DataError(
            f"{path}: tệp CSV không phải mã UTF-8 ({where}); hãy lưu lại bằng Excel "
            '"CSV UTF-8 (Comma delimited)"'
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)]
    except csv.Error as exc:
        raise DataError(f"{path}: tệp CSV hỏng, không đọc được ({exc})") from None


def _read_excel(path: Path, data: bytes) -> list[list]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise DataError(f"{path}: tệp Excel không có trang tính nào")
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except DataError:
        raise
    except Exception as exc:  # calamine raises several kinds for a file that is not a workbook
        raise DataError(
            f"{path}: không đọc được tệp như một bảng tính Excel (.xlsx) — tệp hỏng hoặc không phải Excel "
            f"({type(exc).__name__})"
        ) from None


def read_bytes(path: Path) -> bytes:
    """The register file's bytes, read once (everything after works on these). DataError when unreadable."""
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{path}: là một thư mục, không phải tệp sổ đăng ký")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: không tìm thấy tệp sổ đăng ký") from None
    except OSError as exc:
        raise DataError(f"{path}: không đọc được tệp sổ đăng ký ({exc.strerror or type(exc).__name__})") from None
    if not data:
        raise DataError(f"{path}: tệp rỗng (0 byte), không có dòng tiêu đề và không có dữ liệu")
    return data


def read_table(path: Path, data: bytes | None = None) -> list[list]:
    """The raw cells of the file's first sheet, row 1 first. Raises DataError for an unreadable file."""
    path = Path(path)
    data = read_bytes(path) if data is None else data
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, data)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, data)
    raise DataError(f"{path}: định dạng {suffix or '(không có phần mở rộng)'} không được hỗ trợ; cần .xlsx hoặc .csv")


# --------------------------------------------------------------------------- cell values

def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value)
    )


def cell_text(value) -> str:
    """A cell as text: trimmed, NFC, whole floats without '.0'."""
    if _is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    return schema.nfc(str(value))


def parse_number(value) -> float | None:
    """A number from a cell: Excel numbers, '1500000', '1.500.000', '1.500.000,5', '12,5', '12.5'.

    Empty gives ``None``; anything else raises ValueError.
    """
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(value)
        return float(value)
    text = "".join(str(value).split())
    if _VN_GROUPED.match(text):
        return float(text.replace(".", "").replace(",", "."))
    if _PLAIN.match(text):
        return float(text.replace(",", "."))
    raise ValueError(value)


def parse_year(value) -> int:
    number = parse_number(value)
    if number is None or not float(number).is_integer() or not 1000 <= number <= 9999:
        raise ValueError(value)
    return int(number)


# --------------------------------------------------------------------------- validation

def _map_headers(path: Path, header_row: list) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Column id -> position and -> header as written; problems with the header row."""
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    problems: list[str] = []
    for i, raw in enumerate(header_row):
        text = cell_text(raw)
        if not text:
            continue
        column_id = schema.HEADER_KEYS.get(schema.header_key(text))
        if column_id is None:
            continue
        if column_id in positions:
            problems.append(
                f'{path}: dòng 1: cột "{text}" và cột "{written[column_id]}" cùng là '
                f'"{schema.BY_ID[column_id].label}"; hãy giữ một cột'
            )
            continue
        positions[column_id] = i
        written[column_id] = text
    missing = [c for c in schema.REQUIRED if c not in positions]
    if missing:
        headers_text = " ".join(cell_text(h) for h in header_row)
        encoding = legacy.detect(headers_text)
        for column_id in missing:
            c = schema.BY_ID[column_id]
            problems.append(f'{path}: dòng 1: thiếu cột bắt buộc "{c.label}" (hoặc "{c.id}")')
        if encoding:
            problems.append(
                f"{path}: dòng 1: tiêu đề có vẻ được gõ bằng mã {encoding}; " + legacy.HINT.format(encoding=encoding)
            )
        elif not positions:
            found = ", ".join(f'"{cell_text(h)}"' for h in header_row if cell_text(h)) or "(trống)"
            problems.append(f"{path}: dòng 1 phải là dòng tiêu đề; các cột tìm thấy: {found}")
    return positions, written, problems


_BAD = object()
"""What a parser gave for a value it could not parse."""
_SEP = "\x00"
"""Joins a column's cells into one string, so that the work is done at C speed: it is not white space,
Unicode normalisation never crosses it, and cells do not hold it (XML cannot; should a cell hold it
after all, the column is done cell by cell)."""
_ODD_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""White space other than ' ' (with ' ', exactly what ``str.split()`` splits on)."""
_ODD_SPACE_RE = re.compile(f"[{_ODD_SPACE}]")
_ODD_RE = re.compile(f"[{_ODD_SPACE}" + _SUSPECT_RE.pattern[1:])
"""Either: one search tells whether a column needs a closer look."""


def _normalise_all(strings: list[str]) -> tuple[list[str], bool]:
    """``schema.nfc`` of every string, done on the column at once; and whether any may be legacy text."""
    joined = _SEP.join(strings)
    if joined.count(_SEP) != len(strings) - 1:  # a cell holds the separator after all: one by one
        texts = [schema.nfc(v) for v in strings]
        return texts, any(map(_SUSPECT_RE.search, texts))
    if not joined.isascii():
        joined = unicodedata.normalize("NFC", joined)
    odd = _ODD_RE.search(joined) is not None
    if (odd and _ODD_SPACE_RE.search(joined)) or "  " in joined:
        joined = " ".join(joined.split())  # the separator is not white space: it stays, maybe beside a space
    if " " + _SEP in joined or _SEP + " " in joined:
        joined = joined.replace(" " + _SEP, _SEP).replace(_SEP + " ", _SEP)
    return joined.strip(" ").split(_SEP), odd and _SUSPECT_RE.search(joined) is not None


def _texts(values: list, repeats: bool = True) -> tuple[list[str], bool]:
    """``cell_text`` of every cell of a column (trimmed, inner white space collapsed, NFC), and whether
    any text may be in a legacy encoding. A column that ``repeats`` its values is worked on once per value."""
    if repeats:
        distinct = list(dict.fromkeys(values))
        # all text (no True == 1 to merge two cells), and values that do repeat
        if set(map(type, distinct)) == {str} and 2 * len(distinct) <= len(values):
            texts, suspect = _normalise_all(distinct)
            return list(map(dict(zip(distinct, texts)).__getitem__, values)), suspect
    try:
        return _normalise_all(values)
    except TypeError:  # not all text: numbers, dates, empty cells
        return _normalise_all([v if v.__class__ is str else cell_text(v) for v in values])  # cell_text is final


def _parse_column(values: list, parse) -> list:
    """``parse`` of every cell of a column, once per distinct value; ``_BAD`` where it raised ValueError."""
    try:
        if bool in set(map(type, values)):
            raise TypeError("True == 1, but only one is a number")
        results = {}
        for value in set(values):
            try:
                results[value] = parse(value)
            except ValueError:
                results[value] = _BAD
        return list(map(results.__getitem__, values))
    except TypeError:  # bool cells, or unhashable ones: one by one
        out = []
        for value in values:
            try:
                out.append(parse(value))
            except ValueError:
                out.append(_BAD)
        return out


def _year_or_none(value) -> int | None:
    return None if _is_blank(value) else parse_year(value)


def _names(text: str) -> str:
    """The authors of a 'Tác giả' cell (already through ``_texts``) as 'A; B', empty names dropped."""
    names = [n.strip() for n in text.split(schema.AUTHOR_SEPARATOR)]
    return "; ".join(n for n in names if n)


def _authors(texts: list[str]) -> list[str]:
    """``_names`` of every cell; nothing to do when every cell is already written 'A; B; C'."""
    joined = _SEP.join(texts)
    if joined.count(";") == joined.count("; ") and not any(
            bad in joined for bad in (" ;", _SEP + "; ", "; " + _SEP)) and not (
            joined.startswith("; ") or joined.endswith("; ")):
        return texts
    return [_names(t) if schema.AUTHOR_SEPARATOR in t else t for t in texts]


def validate(path: Path, rows: list[list], blocks: Iterable[str]) -> Register:
    """Check every row; return the register or raise DataError with every problem found.

    Most of the work is done once per distinct value of a column (a register repeats its units,
    blocks, results and years), and the row-by-row loops that word the problems only run for a
    column that has one.
    """
    path = Path(path)
    blocks = list(blocks)
    if not rows or all(all(_is_blank(v) for v in row) for row in rows):
        raise DataError(f"{path}: tệp không có dữ liệu (không có cả dòng tiêu đề)")
    positions, written, header_problems = _map_headers(path, rows[0])
    if header_problems:
        raise DataError(header_problems)

    width = max(positions.values()) + 1
    body = rows[1:]
    if body and min(map(len, body)) < width:
        body = [row if len(row) >= width else list(row) + [None] * (width - len(row)) for row in body]
    raw = {cid: list(map(itemgetter(pos), body)) for cid, pos in positions.items()}
    numbers = list(range(2, len(rows) + 1))

    # text columns: trimmed NFC (codes, titles and authors seldom repeat; the others mostly do)
    text_columns = ("ma_so", "ten_sang_kien", "tac_gia", "don_vi", "khoi", "linh_vuc", "ket_qua")
    columns: dict[str, list] = {}
    suspects: dict[str, bool] = {}
    for cid in text_columns:
        columns[cid], suspects[cid] = _texts(raw[cid], repeats=cid not in ("ma_so", "ten_sang_kien", "tac_gia"))

    # rows with nothing in them (Excel's empty formatted rows, blank CSV lines) are not initiatives;
    # only a row without a code can be one
    if "" in columns["ma_so"]:
        blank = {i for i, code in enumerate(columns["ma_so"]) if not code and all(_is_blank(v) for v in body[i])}
        if blank:
            def keep(values: list) -> list:
                return [v for i, v in enumerate(values) if i not in blank]

            numbers = keep(numbers)
            raw = {cid: keep(values) for cid, values in raw.items()}
            columns = {cid: keep(values) for cid, values in columns.items()}
    if not numbers:
        raise DataError(f"{path}: chỉ có dòng tiêu đề, không có dòng dữ liệu nào")

    order = {c.id: i for i, c in enumerate(schema.COLUMNS)}
    problems: list[Problem] = []

    def problem(row: int, column_id: str, value, what: str) -> None:
        problems.append(
            Problem(row, order[column_id], f'{path}: dòng {row}, cột "{written[column_id]}", giá trị {_show(value)}: {what}')
        )

    # text columns: not empty, no legacy encoding
    for cid in text_columns:
        texts = columns[cid]
        legacy_texts = {}
        if suspects[cid]:
            for text in set(texts):
                if _SUSPECT_RE.search(text):
                    encoding = legacy.detect(text)
                    if encoding:
                        legacy_texts[text] = encoding
        if "" in texts or legacy_texts:
            for row, value, text in zip(numbers, raw[cid], texts):
                if not text:
                    problems.append(Problem(
                        row, order[cid], f'{path}: dòng {row}, cột "{written[cid]}": ô trống; cần {schema.BY_ID[cid].meaning}'
                    ))
                elif text in legacy_texts:
                    encoding = legacy_texts[text]
                    problem(row, cid, value, f"chữ có vẻ được gõ bằng mã {encoding}; " + legacy.HINT.format(encoding=encoding))

    # authors: at least one name once the separators are taken out
    authors = _authors(columns["tac_gia"])
    if authors is not columns["tac_gia"]:
        for row, text, names in zip(numbers, columns["tac_gia"], authors):
            if not names and text:
                problem(row, "tac_gia", text, "không có tên tác giả nào giữa các dấu ;")
    columns["tac_gia"] = authors

    # unique codes
    codes = columns["ma_so"]
    if len(set(codes)) != len(codes):
        first_seen: dict[str, int] = {}
        for row, code in zip(numbers, codes):
            if not code:
                continue
            if code in first_seen:
                problem(row, "ma_so", code, f"mã số trùng với dòng {first_seen[code]}; mỗi sáng kiến cần một mã số riêng")
            else:
                first_seen[code] = row

    # year
    years = _parse_column(raw["nam"], _year_or_none)
    if None in years or _BAD in years:
        for i, (row, value, year) in enumerate(zip(numbers, raw["nam"], years)):
            if year is None:
                problems.append(Problem(row, order["nam"], f'{path}: dòng {row}, cột "{written["nam"]}": ô trống; cần năm (số nguyên, ví dụ 2023)'))
                years[i] = 0
            elif year is _BAD:
                problem(row, "nam", cell_text(value), "năm không hợp lệ; cần một số nguyên có 4 chữ số, ví dụ 2023")
                years[i] = 0
    columns["nam"] = years

    # block and result: case-insensitive after normalisation, canonical spelling kept
    for cid, keys, what in (
        ("khoi", {schema.fold(b): b for b in blocks}, "khối không có trong tham số; cần một trong: "
         + "; ".join(f'"{b}"' for b in blocks)),
        ("ket_qua", {schema.fold(r): r for r in schema.RESULTS}, "kết quả không hợp lệ; cần một trong: "
         + "; ".join(f'"{r}"' for r in schema.RESULTS)),
    ):
        texts = columns[cid]
        canonical = {text: keys.get(schema.fold(text), text) for text in set(texts)}
        unknown = {text for text in canonical if text and schema.fold(text) not in keys}
        if unknown:
            for row, text in zip(numbers, texts):
                if text in unknown:
                    problem(row, cid, text, what)
        columns[cid] = list(map(canonical.__getitem__, texts))

    # units and fields: one spelling per unit (the first seen), one block per unit
    for cid in ("don_vi", "linh_vuc"):
        spelling: dict[str, str] = {}
        canonical = {text: spelling.setdefault(schema.fold(text), text) for text in dict.fromkeys(columns[cid])}
        if any(k != v for k, v in canonical.items()):
            columns[cid] = list(map(canonical.__getitem__, columns[cid]))
    known_blocks = set(blocks)
    if len(set(zip(columns["don_vi"], columns["khoi"]))) != len(set(columns["don_vi"])):  # some unit, two blocks?
        unit_block: dict[str, tuple[str, int]] = {}
        for row, unit, block in zip(numbers, columns["don_vi"], columns["khoi"]):
            if not unit or block not in known_blocks:
                continue
            seen = unit_block.setdefault(unit, (block, row))
            if seen[0] != block:
                problem(row, "khoi", block, f'đơn vị "{unit}" đã thuộc khối "{seen[0]}" ở dòng {seen[1]}; một đơn vị chỉ thuộc một khối')

    # optional numbers
    for cid, low, high, what in (
        ("so_tien_lam_loi", 0.0, math.inf, "cần số tiền (đồng) là số không âm, hoặc để trống"),
        ("diem", 0.0, 100.0, "cần điểm từ 0 đến 100, hoặc để trống"),
    ):
        if cid not in raw:
            columns[cid] = [math.nan] * len(numbers)
            continue
        parsed = _parse_column(raw[cid], parse_number)
        distinct = set(parsed)
        empty = None in distinct
        distinct.discard(None)
        if _BAD in distinct or any(not low <= n <= high for n in distinct):
            for row, value, number in zip(numbers, raw[cid], parsed):
                if number is _BAD:
                    problem(row, cid, cell_text(value), "không phải là số; " + what)
                elif number is not None and not low <= number <= high:
                    problem(row, cid, cell_text(value), "ngoài khoảng cho phép; " + what)
        if empty or _BAD in distinct:
            parsed = [math.nan if n is None or n is _BAD else n for n in parsed]
        columns[cid] = parsed

    if problems:
        problems.sort()
        raise DataError([p.text for p in problems])
    columns["row"] = numbers
    return Register(path=path, columns={cid: columns[cid] for cid in FRAME_COLUMNS}, headers=written)


def save_snapshot(register: Register, target: Path) -> None:
    """Keep a validated register for a notebook's kernel (handed over as the ``register_file`` parameter),
    so that every part of one build describes the same bytes."""
    payload = {"path": str(register.path), "sha256": register.sha256, "columns": register.columns,
               "headers": register.headers}
    with open(target, "wb") as f:
        pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)


def load_snapshot(source: str | Path) -> Register:
    """The register :func:`save_snapshot` kept."""
    with open(source, "rb") as f:
        payload = pickle.load(f)
    return Register(path=Path(payload["path"]), columns=payload["columns"], headers=payload["headers"],
                    sha256=payload["sha256"])


def read_register(path: str | Path, blocks: Iterable[str]) -> Register:
    """Read and validate a register file (.xlsx or .csv)."""
    path = Path(path)
    blocks = list(blocks)
    # A large register is a million small objects and no reference cycles: the cyclic garbage
    # collector would only spend a tenth of the time walking them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        data = read_bytes(path)
        register = validate(path, read_table(path, data), blocks)
        register.sha256 = sha256_bytes(data)
        return register
    finally:
        if collecting:
            gc.enable()
