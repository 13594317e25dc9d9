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

import errno
import io
import math
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from sangkien.errors import DataError, ParamsError, writing_into
from sangkien.files import deterministic_zip, printable, write_atomic, write_new
from sangkien.inputs import Validity, layout, schema
from sangkien.inputs.cells import cell_text
from sangkien.inputs.reading import read_bytes, read_sources
from sangkien.inputs.register import sheet_problems
from sangkien.inputs.renames import Reorganisation
from sangkien.inputs.sheet import Sheet, sheet_of_tables
from sangkien.report import annex_rows
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
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    """The folder's entries not read, each with the reason (:func:`folder_entries`)."""
    history: Source | None = None
    """The multi-year register the rows were added to (``--into``), if any."""
    kept: int = 0
    """Its rows, written first."""
    added: dict[tuple[str, object], int] = field(default_factory=dict)
    """(unit, year) -> the rows collected (today's names)."""
    checked_with: str = ""
    """Which parameters the rows were checked against, in words."""


NOT_READ = {".ods": "bảng tính OpenDocument (.ods): mở bằng LibreOffice hoặc Excel rồi lưu thành .xlsx",
            ".xlsb": "sổ Excel nhị phân (.xlsb): mở bằng Excel rồi lưu thành .xlsx (Excel Workbook)",
            ".numbers": "bảng tính Numbers: xuất ra .xlsx rồi gửi lại"}
"""Spreadsheet formats an office may send that are not read, and what to do with them."""


def _why_not_read(path: Path, target: Path | None) -> str | None:
    """Why an entry of the folder is not read as a register (None: it is read)."""
    if path.is_symlink() and not path.exists():
        try:
            path.stat()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "liên kết tượng trưng vòng quanh (trỏ về chính nó): bỏ qua"
        return "liên kết tượng trưng tới tệp không còn: bỏ qua"
    if path.is_dir():
        return "thư mục con: chỉ đọc các tệp nằm ngay trong thư mục đã chỉ"
    if not path.is_file():
        return "không phải tệp thường: bỏ qua"
    if target is not None and path.resolve() == target:
        return "tệp đang được ghi ra (--out): không đọc lại"
    if path.name.startswith("~$"):
        return "tệp khóa Excel tạo ra khi sổ đang mở: bỏ qua"
    if path.name.startswith("."):
        return "tệp ẩn: bỏ qua"
    if path.suffix.lower() not in SUFFIXES:
        return NOT_READ.get(path.suffix.lower(), "không phải tệp .xlsx, .xls hay .csv: bỏ qua")
    return None


def folder_entries(folder: Path, out: Path | None = None) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The folder's registers, by name (Excel and CSV files), and every other entry with the reason it is
    not read (Excel's lock files ``~$...``, hidden files, the register being written, subfolders, links to
    nothing, other formats)."""
    target = out.resolve() if out is not None else None
    read, skipped = [], []
    for path in sorted(folder.iterdir()):
        why = _why_not_read(path, target)
        if why is None:
            read.append(path)
        else:
            skipped.append((path, why))
    return read, skipped


def _check_target(folder: Path, out: Path, force: bool, history: Path | None = None) -> None:
    if not folder.is_dir():
        raise DataError(f"{folder}: không tìm thấy thư mục" if not folder.exists() else f"{folder}: không phải thư mục")
    if out.suffix.lower() != ".xlsx":
        raise ParamsError(f"{out}: tệp ghi ra cần phần mở rộng .xlsx")
    if out.is_dir():
        raise ParamsError(f"{printable(out)}: là một thư mục, không phải tệp; chọn tên tệp .xlsx khác cho --out")
    if history is not None and history.resolve() == out.resolve():
        raise ParamsError(f"{printable(out)}: --out trùng với sổ --into; sổ không bao giờ bị ghi đè: chọn tên "
                          "khác cho --out (ví dụ sổ của năm nay)")
    if history is not None and not history.is_file():
        raise DataError(f"{printable(history)}: không tìm thấy sổ đăng ký (--into)")
    if out.exists() and not force:
        raise ParamsError(f"{printable(out)}: tệp đã có; chọn tên khác cho --out, hoặc thêm --force để ghi đè")
    if not out.parent.is_dir():
        raise ParamsError(f"{out.parent}: không có thư mục này để ghi tệp gộp")


def read_folder(folder: Path, out: Path | None = None,
                paths: list[Path] | None = None) -> tuple[list[Source], list[str]]:
    """Every register of the folder (or ``paths`` of it), its tables found (sheets named in every problem);
    problems of files that cannot be read or have no proper header."""
    sources, found_problems = [], []
    for path in folder_entries(folder, out)[0] if paths is None else paths:
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


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A text starting so is written with Excel's quote prefix: a unit's cell never becomes a live formula."""


def _workbook_bytes(sheet: Sheet, blocks: tuple[str, ...], files: int, kept: int = 0, history: tuple = ()) -> bytes:
    """The register in the template's layout, with the source columns, as deterministic bytes; its rows
    written as worksheet XML (:mod:`sangkien.report.annex_rows`), not cell by cell through openpyxl."""
    from openpyxl.utils import get_column_letter

    workbook = build_workbook(blocks)
    workbook.properties.title = f"Sổ đăng ký sáng kiến (gộp từ {files} tệp)"
    data = workbook[DATA_SHEET]
    width = len(schema.COLUMNS)
    last = data.cell(row=1, column=width)
    for offset, title in enumerate(SOURCE_HEADERS, start=1):
        cell = data.cell(row=1, column=width + offset, value=title)
        cell.font, cell.fill, cell.alignment = copy(last.font), copy(last.fill), copy(last.alignment)
        data.column_dimensions[cell.column_letter].width = 24 if offset == 1 else 14
    styles = _style_numbers(data, [NUMBER_FORMATS.get(c.id) for c in schema.COLUMNS] + [None] * len(SOURCE_HEADERS))
    rows = annex_rows.rows_xml(_lines(sheet, kept, history), 2, styles, FORMULA_START)
    buffer = io.BytesIO()
    workbook.save(buffer)
    part = f"xl/worksheets/sheet{workbook.sheetnames.index(DATA_SHEET) + 1}.xml"
    last_cell = f"{get_column_letter(len(styles))}{1 + len(sheet.numbers)}"
    package = annex_rows.splice(buffer.getvalue(), part, rows, last_cell)
    return deterministic_zip(package, FIXED_TIME, entry_time=(1980, 1, 1, 0, 0, 0), compresslevel=1)


def _lines(sheet: Sheet, kept: int = 0, history: tuple = ()):
    """``(None, values)`` of every line of the register: its columns (names as the files write them, not
    today's), then its source file, sheet and row (a line of the register ``--into``: the source it names,
    else the register's own place)."""
    columns = _as_written(sheet)
    carried = _carried_sources(sheet, kept, history)
    # column by column (only a column holding a float needs :func:`_cell`), then row by row
    cells = [columns[c.id] for c in schema.COLUMNS]
    cells = [[_cell(v) for v in column] if any(type(v) is float for v in column) else column for column in cells]
    names: dict[int, str] = {}
    for i, (number, values) in enumerate(zip(sheet.numbers, zip(*cells))):
        source = carried.get(i)
        if source is None:
            origin, excel_row = sheet.origin(number)
            name = names.get(id(origin))
            if name is None:
                name = names[id(origin)] = printable(origin.path.name)
            source = (name, origin.sheet or "", excel_row)
        yield None, [*values, *source]


def _as_written(sheet: Sheet) -> dict[str, list]:
    """The sheet's columns, a name a reorganisation changed given back as the file writes it."""
    columns = sheet.columns()
    for column_id, written in sheet.renamed.items():
        columns[column_id] = [old if schema.fold(old) != schema.fold(new) else value
                              for old, new, value in zip(written, sheet.texts[column_id], columns[column_id])]
    return columns


def _carried_sources(sheet: Sheet, kept: int, history: tuple) -> dict[int, tuple]:
    """Row index -> the source file, sheet and row a line of the register names in its own source columns
    (a register made by ``collect``), for its first ``kept`` rows."""
    carried: dict[int, tuple] = {}
    tables: dict[int, tuple[list, list[int]]] = {}
    for i, number in enumerate(sheet.numbers[:kept]):
        origin, excel_row = sheet.origin(number)
        if id(origin) not in tables:
            table = next(t for t in history if t.origin is origin)
            header = [cell_text(c) for c in table.rows[table.header.index]]
            tables[id(origin)] = (table.rows, [header.index(h) if h in header else -1 for h in SOURCE_HEADERS])
        rows, at = tables[id(origin)]
        row = rows[excel_row - 1] if excel_row - 1 < len(rows) else []
        values = tuple(_cell(row[p]) if 0 <= p < len(row) else None for p in at)
        if values[0] not in (None, ""):
            carried[i] = tuple("" if v is None else v for v in values)
    return carried


def _style_numbers(data, number_formats: list[str | None]) -> list[tuple[int, int]]:
    """Each column's (style, style with the quote prefix) as numbers of the workbook's stylesheet, read off
    a cell of row 2 that is taken away again."""
    numbers = []
    for column, number_format in enumerate(number_formats, start=1):
        found = []
        for quoted in (False, True):
            cell = data.cell(2, column)
            if number_format:
                cell.number_format = number_format
            cell.quotePrefix = quoted
            found.append(cell.style_id)
            del data[cell.coordinate]
        numbers.append((found[0], found[1]))
    return numbers


def _cell(value):
    """A register value as a cell: no NaN (an empty cell), whole numbers without '.0'."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
    return value


def collect(folder: str | Path, out: str | Path, rules: Validity | tuple[str, ...], force: bool = False,
            into: str | Path | None = None) -> Collected:
    """Merge the folder's registers into ``out`` (an .xlsx in the template's layout, with each line's source
    file, sheet and row), checked against ``rules`` (a :class:`~sangkien.inputs.Validity`, or the blocks alone)
    as ``check`` checks a register: the same function decides. ``into``: a multi-year register whose rows come
    first, checked with the new ones (a code it already has, a unit under another block in an earlier year, a
    unit's year sent again are problems); it is only read.
    DataError listing every problem of every file (nothing written); ParamsError when ``out`` exists (unless
    ``force``) or cannot be written there."""
    folder, out = Path(folder), Path(out)
    rules = rules if isinstance(rules, Validity) else Validity(tuple(rules), Reorganisation())
    history_path = Path(into) if into is not None else None
    _check_target(folder, out, force, history_path)
    paths, skipped = folder_entries(folder, out)
    if history_path is not None:
        paths, skipped = _without_history(paths, skipped, history_path)
    sources, found = read_folder(folder, out, paths)
    history = _history(history_path, found) if history_path is not None else None
    if not sources and not found:
        raise DataError([f"{printable(folder)}: không có tệp .xlsx, .xls hay .csv nào trong thư mục"]
                        + [f"{printable(p.name)}: {why}" for p, why in skipped])
    readable = [s for s in sources if s.tables]
    sheet, kept = _checked([history] if history else [], readable, rules, found)
    _said(sheet, readable + ([history] if history else []))
    blocks = tuple(rules.blocks) + tuple(b for b in rules.reorganisation.blocks if b not in rules.blocks)
    _write(out, _workbook_bytes(sheet, blocks, len(readable), kept, tuple(history.tables) if history else ()), force)
    return Collected(out, len(sheet.numbers) - kept, sources, skipped, history=history, kept=kept,
                     added=_added(sheet, kept), checked_with=rules.said)


def _checked(history: list[Source], readable: list[Source], rules: Validity, found: list[str]) -> tuple[Sheet, int]:
    """The register's rows then the new ones as one sheet, checked together under ``rules``, and how many rows
    are the register's; DataError with every problem (``found``: those met reading the files)."""
    tables = [t for s in history + readable for t in s.tables]
    sheet = None
    if readable:
        try:
            sheet = sheet_of_tables(tables, tuple(rules.blocks))
            found += sheet_problems(sheet, rules.reorganisation, rules.until)
        except DataError as exc:
            found += exc.problems
    if sheet is None or found:
        raise DataError(found)
    kept = _rows_of(sheet, history)
    if history:
        found += list(second_submissions(sheet, kept, history[0].path))
    if found:
        raise DataError(found)
    return sheet, kept


def _rows_of(sheet: Sheet, history: list[Source]) -> int:
    """How many of the sheet's first rows come from the register (its tables come first)."""
    origins = {id(t.origin) for s in history for t in s.tables}
    return sum(1 for number in sheet.numbers if id(sheet.origin(number)[0]) in origins)


def _without_history(paths: list[Path], skipped: list, history: Path) -> tuple[list[Path], list]:
    """The folder's files but the register given with --into (when it lies in the folder)."""
    target = history.resolve()
    inside = [p for p in paths if p.resolve() == target]
    return ([p for p in paths if p.resolve() != target],
            skipped + [(p, "sổ nhiều năm (--into): đọc làm sổ, không gộp lại như tệp của đơn vị") for p in inside])


def _history(path: Path, found: list[str]) -> Source | None:
    """The multi-year register (``--into``), its tables found; its problems added to ``found``."""
    source = Source(path)
    try:
        tables = layout.tables_of(path, read_sources(path, read_bytes(path)), name_sheets=True)
    except DataError as exc:
        found += exc.problems
        return source
    found += tables.problems
    if not tables.problems:
        source.found = tables
    return source


def second_submissions(sheet: Sheet, kept: int, history: Path):
    """A unit's rows of a year the register already holds from that unit (today's names): likely the same list
    sent twice, or a folder collected twice; one problem per file, unit and year, naming both places."""
    units, years = sheet.values("don_vi"), sheet.values("nam")
    held: dict[tuple[str, object], list[int]] = {}
    for i in range(kept):
        held.setdefault((schema.fold(units[i]), years[i]), []).append(i)
    sent: dict[tuple[Path, str, object], list[int]] = {}
    for i in range(kept, len(sheet.numbers)):
        key = (schema.fold(units[i]), years[i])
        if key in held:
            sent.setdefault((sheet.origin(sheet.numbers[i])[0].path, *key), []).append(i)
    for (_, _, year), rows in sent.items():
        first, before = sheet.numbers[rows[0]], held[(schema.fold(units[rows[0]]), year)]
        yield (f'{sheet.where(first)}: đơn vị "{units[rows[0]]}" gửi {len(rows)} sáng kiến năm {year}, nhưng sổ '
               f"{printable(history)} đã có {len(before)} sáng kiến năm {year} của đơn vị này (từ "
               f"{sheet.mention(sheet.numbers[before[0]], first)}): có vẻ là lần gửi thứ hai (hoặc thư mục đã được "
               "gộp vào sổ); bỏ tệp này khỏi thư mục, hoặc nếu là danh sách bổ sung thì gộp cả danh sách của đơn vị "
               "vào một tệp rồi bỏ các dòng cũ khỏi sổ")


def _added(sheet: Sheet, kept: int) -> dict[tuple[str, object], int]:
    """(unit, year) -> the rows added, for the new rows (today's names), in the order first met."""
    added: dict[tuple[str, object], int] = {}
    for unit, year in zip(sheet.values("don_vi")[kept:], sheet.values("nam")[kept:]):
        added[(unit, year)] = added.get((unit, year), 0) + 1
    return added


def _write(out: Path, data: bytes, force: bool) -> None:
    """The register into ``out`` in one step; without ``force``, refused if a file appeared there meanwhile
    (another ``collect`` to the same file finished first)."""
    with writing_into(out.parent):
        if force:
            write_atomic(out, data)
            return
        try:
            write_new(out, data)
        except FileExistsError:
            raise ParamsError(f"{printable(out)}: tệp vừa được ghi ra trong lúc gộp (một lệnh khác?); không ghi "
                              "đè; chọn tên khác cho --out, hoặc thêm --force") from None


def summary(collected: Collected) -> list[str]:
    """The table printed after collecting: each file, its units, its rows, the sheets read, the rows left out;
    then what was read of each file (sheets, rows left out, columns read by resemblance or scaled)."""
    header = ("tệp", "đơn vị", "sáng kiến", "trang đã đọc", "dòng bỏ qua")
    lines = []
    for source in collected.sources:
        units = source.units[0] if source.units else "—"
        if len(source.units) > 1:
            units += f" (và {len(source.units) - 1} đơn vị khác)"
        lines.append((printable(source.path.name), units, str(source.rows), ", ".join(source.sheets) or "—",
                      str(source.left_out)))
    widths = [max(len(row[i]) for row in [header] + lines) for i in range(len(header))]
    table = ["  ".join(cell.rjust(w) if i in (2, 4) else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             .rstrip() for row in [header] + lines]
    notes = [f"{printable(s.path.name)}: {line}" for s in collected.sources for line in s.reading]
    notes += [f"{printable(path.name)}: không đọc — {why}" for path, why in collected.skipped]
    return (_headline(collected) + [""] + table + ([""] + notes if notes else []) + _added_lines(collected)
            + ([f"(đã kiểm tra {collected.checked_with})"] if collected.checked_with else []))



def _headline(collected: Collected) -> list[str]:
    files = len(collected.sources)
    if collected.history is None:
        return [f"{printable(collected.out)}: đã gộp {collected.rows} sáng kiến từ {files} tệp"]
    return [f"{printable(collected.out)}: {collected.kept} dòng của sổ {printable(collected.history.path)} (giữ "
            f"nguyên thứ tự; sổ không bị thay đổi), rồi {collected.rows} sáng kiến mới từ {files} tệp"]


def _added_lines(collected: Collected) -> list[str]:
    """The rows added per unit and year (today's names), when collected into a register."""
    if collected.history is None:
        return []
    lines = ["", "Số sáng kiến thêm vào sổ theo đơn vị và năm:"]
    lines += [f"  {unit}, năm {year}: {n}" for (unit, year), n in collected.added.items()]
    return lines
