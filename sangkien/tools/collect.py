"""``sangkien collect FOLDER --out FILE`` (contract section 1): the workbooks the units sent, each laid out its
own way, merged into one register.

Every ``.xlsx``/``.xls``/``.csv`` of the folder is read as ``check`` reads a register
(:mod:`~sangkien.inputs.layout`: the header under a title block, every visible sheet, merged cells, totals
and signature lines left out, amounts in millions scaled), all their rows are checked together (a code in
two files is a duplicate, named with both places), and the register is written in the template's layout
(:mod:`~sangkien.tools.template`) with three more columns naming the source file, sheet and row of each
line. Any problem in any file: every problem listed (file, sheet, row, column), exit 3, nothing written.
A source file is only ever read; the register is written in one step and never over an existing file
unless asked (``force``).
"""
from __future__ import annotations

import io
import math
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from sangkien.errors import DataError, ParamsError
from sangkien.files import deterministic_zip, write_atomic
from sangkien.inputs import layout, schema
from sangkien.inputs.reading import read_bytes, read_sources
from sangkien.inputs.rules import problems
from sangkien.inputs.sheet import Sheet, sheet_of_tables
from sangkien.tools.template import DATA_SHEET, FIXED_TIME, NUMBER_FORMATS, build_workbook

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
SOURCE_HEADERS = ("Tệp nguồn", "Trang nguồn", "Dòng nguồn")
"""The three columns after the register's, naming where each line was read (``check`` ignores them)."""


@dataclass
class Source:
    """One file of the folder: what was read from it."""

    path: Path
    found: layout.Tables | None = None
    """Its tables (None: it could not be read, or its header is wrong)."""
    reading: list[str] = field(default_factory=list)
    """What was read and left out, in words (:func:`~sangkien.inputs.layout.report`)."""
    units: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def tables(self) -> list[layout.Table]:
        return self.found.tables if self.found else []

    @property
    def sheets(self) -> list[str]:
        return [t.name for t in self.tables if t.name is not None]

    @property
    def left_out(self) -> int:
        return sum(1 for t in self.tables for _, why, _ in t.left_out if why)


@dataclass
class Collected:
    """The register written, and each source file's share of it."""

    out: Path
    rows: int
    sources: list[Source]


def source_files(folder: Path, out: Path | None = None) -> list[Path]:
    """The folder's registers, by name: Excel and CSV files, not Excel's lock files (``~$...``), not hidden
    files, not the register being written."""
    target = out.resolve() if out is not None else None
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                  and not p.name.startswith(("~$", ".")) and p.resolve() != target)


def _check_target(folder: Path, out: Path, force: bool) -> None:
    if not folder.is_dir():
        raise DataError(f"{folder}: không tìm thấy thư mục" if not folder.exists() else f"{folder}: không phải thư mục")
    if out.suffix.lower() != ".xlsx":
        raise ParamsError(f"{out}: tệp ghi ra cần phần mở rộng .xlsx")
    if out.exists() and not force:
        raise ParamsError(f"{out}: tệp đã có; chọn tên khác cho --out, hoặc thêm --force để ghi đè")
    if not out.parent.is_dir():
        raise ParamsError(f"{out.parent}: không có thư mục này để ghi tệp gộp")


def read_folder(folder: Path, out: Path | None = None) -> tuple[list[Source], list[str]]:
    """Every register of the folder, its tables found (sheets named in every problem); problems of files
    that cannot be read or have no proper header."""
    sources, found_problems = [], []
    for path in source_files(folder, out):
        source = Source(path)
        try:
            found = layout.tables_of(path, read_sources(path, read_bytes(path)), name_sheets=True)
        except DataError as exc:
            found_problems += exc.problems
            continue
        found_problems += found.problems
        if not found.problems:
            source.found = found
        sources.append(source)
    return sources, found_problems


def _said(sheet: Sheet, sources: list[Source]) -> None:
    """Each source's rows, units (in the order first met) and reading, once its rows are known."""
    owner = {id(t.origin): source for source in sources for t in source.tables}
    units: dict[int, dict[str, None]] = {id(source): {} for source in sources}
    for number, unit in zip(sheet.numbers, sheet.values("don_vi")):
        units[id(owner[id(sheet.origin(number)[0])])][unit] = None
    for source in sources:
        source.units = list(units[id(source)])
        source.rows = sum(t.kept for t in source.tables)
        source.reading = layout.report(source.found, is_csv=source.path.suffix.lower() == ".csv")


def _workbook_bytes(sheet: Sheet, blocks: tuple[str, ...], files: int) -> bytes:
    """The register in the template's layout, with the source columns, as deterministic bytes."""
    workbook = build_workbook(blocks)
    workbook.properties.title = f"Sổ đăng ký sáng kiến (gộp từ {files} tệp)"
    data = workbook[DATA_SHEET]
    width = len(schema.COLUMNS)
    last = data.cell(row=1, column=width)
    for offset, title in enumerate(SOURCE_HEADERS, start=1):
        cell = data.cell(row=1, column=width + offset, value=title)
        cell.font, cell.fill, cell.alignment = copy(last.font), copy(last.fill), copy(last.alignment)
        data.column_dimensions[cell.column_letter].width = 24 if offset == 1 else 14
    columns = sheet.columns()
    formats = [NUMBER_FORMATS.get(c.id) for c in schema.COLUMNS]
    for i, number in enumerate(sheet.numbers):
        origin, excel_row = sheet.origin(number)
        values = [_cell(columns[c.id][i]) for c in schema.COLUMNS]
        data.append(values + [origin.path.name, origin.sheet or "", excel_row])
        for cell, number_format in zip(data[data.max_row], formats):
            if number_format:
                cell.number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return deterministic_zip(buffer.getvalue(), FIXED_TIME, entry_time=(1980, 1, 1, 0, 0, 0))


def _cell(value):
    """A register value as a cell: no NaN (an empty cell), whole numbers without '.0'."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
    return value


def collect(folder: str | Path, out: str | Path, blocks: tuple[str, ...], force: bool = False) -> Collected:
    """Merge the folder's registers into ``out`` (an .xlsx in the template's layout, with each line's source
    file, sheet and row). DataError listing every problem of every file (nothing written); ParamsError when
    ``out`` exists (unless ``force``) or cannot be written there."""
    folder, out = Path(folder), Path(out)
    _check_target(folder, out, force)
    sources, found = read_folder(folder, out)
    if not sources and not found:
        raise DataError(f"{folder}: không có tệp .xlsx, .xls hay .csv nào trong thư mục")
    readable = [s for s in sources if s.tables]
    sheet = None
    if readable:
        try:
            sheet = sheet_of_tables([t for s in readable for t in s.tables], tuple(blocks))
            found += problems(sheet)
        except DataError as exc:
            found += exc.problems
    if found or sheet is None:
        raise DataError(found)
    _said(sheet, readable)
    write_atomic(out, _workbook_bytes(sheet, tuple(blocks), len(readable)))
    return Collected(out, len(sheet.numbers), sources)


def summary(collected: Collected) -> list[str]:
    """The table printed after collecting: each file, its units, its rows, the sheets read, the rows left out;
    then what was read of each file (sheets, rows left out, columns read by resemblance or scaled)."""
    header = ("tệp", "đơn vị", "sáng kiến", "trang đã đọc", "dòng bỏ qua")
    lines = []
    for source in collected.sources:
        units = source.units[0] if source.units else "—"
        if len(source.units) > 1:
            units += f" (và {len(source.units) - 1} đơn vị khác)"
        lines.append((source.path.name, units, str(source.rows), ", ".join(source.sheets) or "—",
                      str(source.left_out)))
    widths = [max(len(row[i]) for row in [header] + lines) for i in range(len(header))]
    table = ["  ".join(cell.rjust(w) if i in (2, 4) else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             .rstrip() for row in [header] + lines]
    notes = [f"{s.path.name}: {line}" for s in collected.sources for line in s.reading]
    return ([f"{collected.out}: đã gộp {collected.rows} sáng kiến từ {len(collected.sources)} tệp", ""] + table
            + ([""] + notes if notes else []))
