"""Registers as offices keep them (contract section 2): the table in each sheet, found and read as it is.

- the header row is looked for among a sheet's first rows, under a title block (:mod:`~sangkien.inputs.headers`);
- every visible sheet whose header is a register's is read (hidden sheets never), and the tables combined;
- a cell merged down over several rows gives its value to each of them;
- rows under the header that are not initiatives are left out and said: a row numbering the columns, a
  group's heading, a totals row ("Tổng cộng", "Cộng"), the signature lines under the table;
- what was read and what was left out is said in one line each (:func:`report`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sangkien.errors import DataError
from sangkien.inputs import encodings as legacy
from sangkien.inputs import schema
from sangkien.inputs.cells import cell_text, is_blank
from sangkien.inputs.headers import HEAD_ROWS, Header, find_header, read_header

_TOTALS = re.compile(r"^(?:tổng cộng|tổng số|tổng|cộng)(?!\s*(?:hòa|hoà))\b")
_COLUMN_NUMBER = re.compile(r"^\(?\s*(?:\d{1,2}|[a-zA-Z])\s*\)?$")
LEADING, GROUP, TOTALS, TRAILING, NUMBERING = (
    "dưới tiêu đề", "tiêu đề nhóm", "dòng tổng cộng", "dưới bảng", "đánh số cột")
"""Why a row was left out (said in the reading's line)."""
SPAN = 10_000_000
"""Rows of a sheet combined from several tables are numbered ``table index * SPAN + Excel row``."""


@dataclass(eq=False)
class Origin:
    """Where a table's rows come from: the file, and the sheet when problems name it."""

    path: Path
    sheet: str | None = None
    """Named in every problem (when the file has several tables, or for ``collect``)."""
    written: dict[str, str] = field(default_factory=dict)
    """Column id -> the header as written in this table."""

    def place(self, row: int) -> str:
        """'FILE: dòng 7' or 'FILE: trang "B", dòng 7'."""
        return f'{self.path}: trang "{self.sheet}", dòng {row}' if self.sheet else f"{self.path}: dòng {row}"

    def mention(self, row: int, seen_from: "Origin") -> str:
        """A row named from a problem about ``seen_from``'s rows: 'dòng 5', 'trang "A", dòng 5', or with the file."""
        text = f'trang "{self.sheet}", dòng {row}' if self.sheet else f"dòng {row}"
        return text if self.path == seen_from.path else f"tệp {self.path}, {text}"


@dataclass
class Table:
    """A register's table in one sheet: its rows (merged cells given to each row), its header, and the cells
    Excel left an error value or an uncomputed formula in."""

    origin: Origin
    name: str | None
    """The sheet's name (None: a CSV file)."""
    rows: list[list]
    header: Header
    quirks: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: int = 0
    """How many cells merged down a column gave their value to each row."""
    kept: int = 0
    left_out: list[tuple[int, str, str]] = field(default_factory=list)
    """(Excel row, why, what it holds) of every row under the header that is not an initiative (why is empty
    for a blank row, left out without a word)."""


@dataclass
class Tables:
    """What a file holds: its tables, the problems of their headers, and the sheets not read (and why)."""

    tables: list[Table]
    problems: list[str]
    not_read: list[tuple[str, str]]
    """(sheet, why) of the sheets not read."""
    encoding: str | None = None
    """The 8-bit encoding a CSV file was read in (Windows-1258), None for Unicode."""


def fill_merged(rows: list[list], merged, below: int, quirks: dict) -> int:
    """Give the value of each cell merged down over several rows (under row ``below``) to every row it
    covers, in its first column; an error value or uncomputed formula goes with it. Returns how many."""
    filled = 0
    for (first, column), (last, _) in merged:
        if last == first or first <= below or first >= len(rows) or column >= len(rows[first]):
            continue
        value, quirk = rows[first][column], quirks.get((first, column))
        if is_blank(value) and quirk is None:
            continue
        for r in range(first + 1, min(last, len(rows) - 1) + 1):
            row = rows[r]
            if column < len(row) and is_blank(row[column]):
                row[column] = value
                if quirk is not None:
                    quirks[(r, column)] = quirk
        filled += 1
    return filled


def _shown(row: list, cells: int = 3) -> str:
    texts = [cell_text(v) for v in row if not is_blank(v)][:cells]
    return ", ".join(f'"{t[:40]}"' for t in texts)


def _legacy_row(head: list[list]) -> str:
    """'; dòng 1 có vẻ được gõ bằng mã TCVN3; ...' for the first of ``head`` that looks legacy-encoded."""
    for number, row in enumerate(head, start=1):
        encoding = legacy.detect(" ".join(cell_text(v) for v in row))
        if encoding:
            return f"; dòng {number} có vẻ được gõ bằng mã {encoding}; " + legacy.HINT.format(encoding=encoding)
    return ""


def no_header_line(path: Path, heads: list[tuple[object, list[list]]]) -> str:
    """The one line said when no sheet has a register's header: what the first rows of each sheet hold."""
    parts = []
    for source, head in heads:
        if head is None:
            parts.append(f'trang "{source.name}" — trang ẩn, không đọc')
            continue
        found = [(i + 1, _shown(row)) for i, row in enumerate(head) if any(not is_blank(v) for v in row)][:3]
        text = "; ".join(f"dòng {n}: {cells}" for n, cells in found) or "trống"
        text += _legacy_row(head)
        parts.append(f'trang "{source.name}" — {text}' if source.name is not None else text)
    needed = ", ".join(f'"{schema.BY_ID[c].label}"' for c in schema.REQUIRED)
    sheets = " của trang nào" if any(source.name is not None for source, _ in heads) else ""
    return (f"{path}: không tìm thấy dòng tiêu đề của sổ đăng ký (các cột {needed}) trong {HEAD_ROWS} dòng "
            f"đầu{sheets}; " + " | ".join(parts or ["tệp không có trang tính nào hiện"]))


def _header_problems(header: Header, rows: list[list], origin: Origin, several: bool) -> list[str]:
    problems = list(header.problems)
    if any("thiếu cột bắt buộc" in p for p in problems):
        encoding = legacy.detect(" ".join(cell_text(h) for h in rows[header.index]))
        if encoding:
            problems.append(f"{origin.place(header.index + 1)}: tiêu đề có vẻ được gõ bằng mã {encoding}; "
                            + legacy.HINT.format(encoding=encoding))
        elif several and origin.sheet:
            problems.append(f"{origin.place(header.index + 1)}: nếu trang này không phải sổ đăng ký (ví dụ một "
                            "bảng tổng hợp), hãy ẩn trang (chuột phải vào tên trang ▸ Hide): trang ẩn không được đọc")
    return problems


def tables_of(path: Path, sources: list, name_sheets: bool = False) -> Tables:
    """The register's tables in the file's sheets; DataError (one line) when no sheet has a register's header.
    Problems name the sheet when the file has several tables, or always with ``name_sheets``."""
    heads, not_read = [], []
    for source in sources:
        if source.hidden:
            not_read.append((source.name, "trang ẩn"))
            heads.append((source, None, None))
            continue
        head = source.head(HEAD_ROWS)
        heads.append((source, head, find_header(head)))
    found = [(source, index) for source, _, index in heads if index is not None]
    if not found:
        if all(is_blank(v) for _, head, _ in heads for row in head or () for v in row):
            raise DataError(f"{path}: tệp không có dữ liệu (không có cả dòng tiêu đề)")
        raise DataError(no_header_line(path, [(source, head) for source, head, _ in heads]))
    not_read += [(source.name, "không có dòng tiêu đề của sổ") for source, head, index in heads
                 if index is None and head is not None]
    several = name_sheets or len(found) > 1
    result = Tables([], [], not_read, next((s.encoding for s in sources if getattr(s, "encoding", None)), None))
    for source, index in found:
        origin = Origin(path, source.name if several else None)
        rows, quirks = source.rows(), dict(source.quirks())
        merged = fill_merged(rows, source.merged(), index, quirks)
        header = read_header(rows, index, origin.place)
        origin.written = header.written
        result.problems += _header_problems(header, rows, origin, len(found) > 1)
        result.tables.append(Table(origin, source.name, rows, header, quirks, merged))
    return result


# --------------------------------------------------------------------------- rows that are not initiatives

def _filled(sheet, i: int, required: list[str]) -> int:
    """How many required cells of row ``i`` hold something (an error value or formula counts)."""
    row = sheet.numbers[i]
    count = sum(1 for cid in required if sheet.texts[cid][i] or (row, cid) in sheet.quirks)
    if "nam" in sheet.raw and (not is_blank(sheet.raw["nam"][i]) or (row, "nam") in sheet.quirks):
        count += 1
    return count


def _numbering(row: list) -> bool:
    """A row numbering the columns under the header: '(1) (2) (3)...' or '1 2 3', 'A B C'."""
    cells = [cell_text(v) for v in row if not is_blank(v)]
    return len(cells) >= 3 and all(_COLUMN_NUMBER.match(c) for c in cells)


def _totals(row: list) -> bool:
    return any(isinstance(v, str) and _TOTALS.match(schema.fold(v)) for v in row)


def _segment(sheet, bodies: list[list], start: int, end: int, candidates: list[int], required: list[str]) -> dict:
    """Row index -> why it is left out ('' for a blank row, left out silently), within one table."""
    out: dict[int, str] = {}
    weak = set()
    for i in candidates:
        filled = _filled(sheet, i, required)
        if filled == 0 and all(is_blank(v) for v in bodies[i]):
            out[i] = ""
        elif filled <= 2:
            weak.add(i)
    first = start
    while first < end and (first in out or first in weak):
        out[first] = out.get(first, LEADING)
        first += 1
    if first < end and first not in out and _numbering(bodies[first]):
        out[first] = NUMBERING
        first += 1
        while first < end and (first in out or first in weak):
            out[first] = out.get(first, LEADING)
            first += 1
    last = end - 1
    while last >= first and (last in out or last in weak):
        if last not in out:
            out[last] = TOTALS if _totals(bodies[last]) else TRAILING
        last -= 1
    for i in weak:
        if first <= i <= last:
            if _totals(bodies[i]):
                out[i] = TOTALS
            elif _filled(sheet, i, required) <= 1:
                out[i] = GROUP
    return out


def leave_out(sheet, bodies: list[list], segments: list[tuple[int, int, Table]]) -> set[int]:
    """The rows (indexes) of ``sheet`` that are not initiatives; each table's ``left_out`` says the non-blank
    ones. Only rows with an empty required cell are looked at (a clean register costs one search per column)."""
    required = [cid for cid in schema.REQUIRED if cid in sheet.texts]
    candidates: set[int] = set()
    for cid in required:
        texts = sheet.texts[cid]
        if "" in texts:
            candidates.update(i for i, text in enumerate(texts) if not text)
    dropped: set[int] = set()
    for start, end, table in segments:
        table.kept = end - start
        if start < end and not _numbering(bodies[start]) and not candidates:
            continue
        out = _segment(sheet, bodies, start, end, sorted(i for i in candidates if start <= i < end), required)
        dropped.update(out)
        table.kept -= len(out)
        table.left_out = [(sheet.numbers[i] % SPAN, why, _shown(bodies[i], 2) if why else "")
                          for i, why in sorted(out.items())]
    return dropped


# --------------------------------------------------------------------------- what was read, in words

def _ranges(rows: list[tuple[int, str, str]]) -> str:
    """'dòng 6 (đánh số cột), dòng 126–133 (dưới bảng: "NGƯỜI LẬP BIỂU", "GIÁM ĐỐC")': runs of rows left out
    for one reason (blank rows between them taken in), with what the first of them hold."""
    groups: list[list] = []
    blank_to = None
    for row, why, shown in rows:
        if not why:
            blank_to = row if groups and (blank_to or groups[-1][1]) == row - 1 else None
            continue
        if groups and groups[-1][2] == why and (blank_to or groups[-1][1]) == row - 1:
            groups[-1][1] = row
            if len(groups[-1][3]) < 2 and shown:
                groups[-1][3].append(shown)
        else:
            groups.append([row, row, why, [shown] if shown else []])
        blank_to = None
    parts = []
    for first, last, why, shown in groups:
        span = f"dòng {first}" if first == last else f"dòng {first}–{last}"
        parts.append(f"{span} ({why}" + (": " + ", ".join(shown) if shown else "") + ")")
    return ", ".join(parts)


def report(found: Tables, is_csv: bool) -> list[str]:
    """What was read (each sheet, its header row, its rows) and what was left out, one line each; nothing
    for a CSV file read whole from row 1."""
    lines = [f"đọc theo mã {found.encoding} (tệp CSV Excel lưu trên Windows tiếng Việt), đã chuyển sang Unicode; "
             'lần sau nên lưu "CSV UTF-8 (Comma delimited)"'] if found.encoding else []
    read = []
    for table in found.tables:
        where = f'trang "{table.name}" ' if table.name is not None else "bảng "
        header = table.header.index + 1
        header_rows = f"{header}–{header + 1}" if table.header.span == 2 else f"{header}"
        merged = f", {table.merged} ô gộp chia cho từng dòng" if table.merged else ""
        read.append(f"{where}(tiêu đề ở dòng {header_rows}, {table.kept} dòng{merged})")
    not_read = [f'trang "{name}" ({why})' for name, why in found.not_read]
    plain = is_csv and len(found.tables) == 1 and found.tables[0].header.index == 0 and found.tables[0].header.span == 1
    if not plain or not_read:
        lines.append("đã đọc " + ", ".join(read) + ("; không đọc " + ", ".join(not_read) if not_read else ""))
    left_out = [(t, _ranges(t.left_out)) for t in found.tables if any(why for _, why, _ in t.left_out)]
    if left_out:
        lines.append("bỏ qua " + "; ".join((f'trang "{t.name}": ' if t.name is not None and len(found.tables) > 1
                                            else "") + text for t, text in left_out))
    notes = [note for t in found.tables for note in t.header.notes]
    if notes:
        lines.append("cột: " + "; ".join(dict.fromkeys(notes)))
    return lines
