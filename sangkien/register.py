"""Reading and validating the register of initiatives (contract section 2).

``read_register(path, blocks)`` returns a :class:`Register` or raises :class:`DataError` listing
every problem, one line each, naming the file, the row as Excel numbers it, the column as written
in the file, the value and what was expected. The user's file is only ever opened for reading.
"""
from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import legacy, schema
from .errors import DataError

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_VN_GROUPED = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_PLAIN = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_SUSPECT_RE = re.compile("[\u00a1-\u00bf" + "".join(sorted(legacy._NON_VIETNAMESE_LETTERS)) + "]")


@dataclass
class Register:
    """A validated register: one row per initiative, canonical columns, Excel row numbers in ``row``."""

    path: Path
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    """Column id -> the header as written in the file."""

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.frame["nam"].unique())


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

def _read_csv(path: Path) -> list[list]:
    data = path.read_bytes()
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


def _read_excel(path: Path) -> list[list]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
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


def read_table(path: Path) -> list[list]:
    """The raw cells of the file's first sheet, row 1 first. Raises DataError for an unreadable file."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: không tìm thấy tệp sổ đăng ký")
    if path.is_dir():
        raise DataError(f"{path}: là một thư mục, không phải tệp sổ đăng ký")
    if path.stat().st_size == 0:
        raise DataError(f"{path}: tệp rỗng (0 byte), không có dòng tiêu đề và không có dữ liệu")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path)
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


def validate(path: Path, rows: list[list], blocks: Iterable[str]) -> Register:
    """Check every row; return the register or raise DataError with every problem found."""
    path = Path(path)
    blocks = list(blocks)
    if not rows or all(all(_is_blank(v) for v in row) for row in rows):
        raise DataError(f"{path}: tệp không có dữ liệu (không có cả dòng tiêu đề)")
    positions, written, header_problems = _map_headers(path, rows[0])
    if header_problems:
        raise DataError(header_problems)

    width = max(positions.values()) + 1
    body = []
    numbers = []
    for n, row in enumerate(rows[1:], start=2):
        if all(_is_blank(v) for v in row):
            continue  # Excel's empty formatted rows
        body.append(list(row[:width]) + [None] * (width - len(row)))
        numbers.append(n)
    if not body:
        raise DataError(f"{path}: chỉ có dòng tiêu đề, không có dòng dữ liệu nào")

    order = {c.id: i for i, c in enumerate(schema.COLUMNS)}
    problems: list[Problem] = []

    def problem(row: int, column_id: str, value, what: str) -> None:
        problems.append(
            Problem(row, order[column_id], f'{path}: dòng {row}, cột "{written[column_id]}", giá trị {_show(value)}: {what}')
        )

    raw = {cid: [r[pos] for r in body] for cid, pos in positions.items()}
    frame = pd.DataFrame({"row": numbers})

    # text columns: trimmed NFC, not empty, no legacy encoding
    for cid in ("ma_so", "ten_sang_kien", "tac_gia", "don_vi", "khoi", "linh_vuc", "ket_qua"):
        texts = [cell_text(v) for v in raw[cid]]
        for row, value, text in zip(numbers, raw[cid], texts):
            if not text:
                problems.append(
                    Problem(row, order[cid], f'{path}: dòng {row}, cột "{written[cid]}": ô trống; cần {schema.BY_ID[cid].meaning}')
                )
            elif _SUSPECT_RE.search(text):
                encoding = legacy.detect(text)
                if encoding:
                    problem(row, cid, value, f"chữ có vẻ được gõ bằng mã {encoding}; " + legacy.HINT.format(encoding=encoding))
        frame[cid] = texts

    # authors: at least one name once the separators are taken out
    authors = []
    for row, text in zip(numbers, frame["tac_gia"]):
        names = [schema.nfc(n) for n in text.split(schema.AUTHOR_SEPARATOR) if n.strip()]
        if text and not names:
            problem(row, "tac_gia", text, "không có tên tác giả nào giữa các dấu ;")
        authors.append("; ".join(names))
    frame["tac_gia"] = authors

    # unique codes
    first_seen: dict[str, int] = {}
    for row, code in zip(numbers, frame["ma_so"]):
        if not code:
            continue
        if code in first_seen:
            problem(row, "ma_so", code, f"mã số trùng với dòng {first_seen[code]}; mỗi sáng kiến cần một mã số riêng")
        else:
            first_seen[code] = row

    # year
    years = []
    for row, value in zip(numbers, raw["nam"]):
        if _is_blank(value):
            problems.append(Problem(row, order["nam"], f'{path}: dòng {row}, cột "{written["nam"]}": ô trống; cần năm (số nguyên, ví dụ 2023)'))
            years.append(0)
            continue
        try:
            years.append(parse_year(value))
        except ValueError:
            problem(row, "nam", cell_text(value), "năm không hợp lệ; cần một số nguyên có 4 chữ số, ví dụ 2023")
            years.append(0)
    frame["nam"] = years

    # block and result: case-insensitive after normalisation, canonical spelling kept
    block_keys = {schema.fold(b): b for b in blocks}
    expected_blocks = "; ".join(f'"{b}"' for b in blocks)
    canonical = []
    for row, text in zip(numbers, frame["khoi"]):
        if text and schema.fold(text) not in block_keys:
            problem(row, "khoi", text, f"khối không có trong tham số; cần một trong: {expected_blocks}")
        canonical.append(block_keys.get(schema.fold(text), text))
    frame["khoi"] = canonical

    result_keys = {schema.fold(r): r for r in schema.RESULTS}
    expected_results = "; ".join(f'"{r}"' for r in schema.RESULTS)
    canonical = []
    for row, text in zip(numbers, frame["ket_qua"]):
        if text and schema.fold(text) not in result_keys:
            problem(row, "ket_qua", text, f"kết quả không hợp lệ; cần một trong: {expected_results}")
        canonical.append(result_keys.get(schema.fold(text), text))
    frame["ket_qua"] = canonical

    # units and fields: one spelling per unit (the first seen), one block per unit
    for cid in ("don_vi", "linh_vuc"):
        spelling: dict[str, str] = {}
        frame[cid] = [spelling.setdefault(schema.fold(t), t) for t in frame[cid]]
    unit_block: dict[str, tuple[str, int]] = {}
    for row, unit, block in zip(numbers, frame["don_vi"], frame["khoi"]):
        if not unit or block not in blocks:
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
            frame[cid] = math.nan
            continue
        values = []
        for row, value in zip(numbers, raw[cid]):
            try:
                number = parse_number(value)
            except ValueError:
                problem(row, cid, cell_text(value), "không phải là số; " + what)
                values.append(math.nan)
                continue
            if number is not None and not low <= number <= high:
                problem(row, cid, cell_text(value), "ngoài khoảng cho phép; " + what)
            values.append(math.nan if number is None else number)
        frame[cid] = pd.Series(values, dtype="float64")

    if problems:
        problems.sort()
        raise DataError([p.text for p in problems])
    frame["nam"] = frame["nam"].astype("int64")
    return Register(path=path, frame=frame, headers=written)


def read_register(path: str | Path, blocks: Iterable[str]) -> Register:
    """Read and validate a register file (.xlsx or .csv)."""
    path = Path(path)
    return validate(path, read_table(path), blocks)
