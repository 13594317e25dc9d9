"""The list of recognised initiatives as files sent with the report: an Excel workbook laid out as an
official annex (:func:`recognized_workbook`) and a CSV for machines (:func:`recognized_csv`); the build
writes them through its exporters (:mod:`sangkien.pipeline.exporters`).

The report's appendix prints the list when it is short enough to read (``APPENDIX_LIMIT``); a longer
one (a province-wide register) is only referred to, and the files carry it whole.
"""
from __future__ import annotations

import csv
import datetime
import io
import math
from typing import Sequence

import pandas as pd

from sangkien import figures as fig
from sangkien import files, paths
from sangkien.inputs.params import Params
from sangkien.report import annex_rows, wording

APPENDIX_LIMIT = 300
"""Up to this many recognised initiatives the appendix lists them; beyond, it refers to the annex file."""
UNITS_SHOWN = 100
"""Up to this many units the report's table of units (II.3) lists them all; beyond, it lists those with most
recognised initiatives (:func:`sangkien.figures.units_shown`) and the annex workbook carries every unit on a
sheet of its own (:data:`UNITS_SHEET`): a national register's thousand units are forty pages no one reads."""
UNITS_SHEET = "Theo đơn vị"
UNIT_COLUMNS = [("TT", 5, "0"), ("Đơn vị", 40, "General"), ("Khối", 24, "General"), ("Đề nghị", 10, "#,##0"),
                ("Công nhận", 11, "#,##0"), ("Tỷ lệ công nhận (%)", 12, "0.0"),
                ("Số tiền làm lợi (đồng)", 20, "#,##0")]
"""The units' sheet: each column's header, width (Excel's characters) and number format."""

COLUMNS = [("ma_so", "Mã số"), ("ten_sang_kien", "Tên sáng kiến"), ("tac_gia", "Tác giả"), ("don_vi", "Đơn vị"),
           ("khoi", "Khối"), ("linh_vuc", "Lĩnh vực"), ("so_tien_lam_loi", "Số tiền làm lợi (đồng)"),
           ("diem", "Điểm")]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


file_name = paths.annex_name
"""The annex's file: the workbook the report sends and names (:func:`recognized_workbook`)."""
csv_name = paths.annex_csv_name
"""The same list as CSV, for machines (:func:`recognized_csv`)."""


def _cell(value) -> str:
    """A cell as text Excel shows literally: a text that starts like a formula gets a leading quote.

    >>> _cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> _cell(1500000.0), _cell(float("nan")), _cell(87.5)
    ('1500000', '', '87.5')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


_LAST_ORDERED: list = []
"""The last list :func:`_ordered` put in order, with what it was made from: the workbook and the CSV of
one year list the same rows, and ordering tens of thousands of codes in Vietnamese order takes seconds."""


def _ordered(rows: pd.DataFrame, blocks: Sequence[str]) -> pd.DataFrame:
    """``figures.ordered_recognized(rows, blocks)``, worked out once for the same rows and blocks."""
    if _LAST_ORDERED and _LAST_ORDERED[0] is rows and _LAST_ORDERED[1] == tuple(blocks):
        return _LAST_ORDERED[2]
    ordered = fig.ordered_recognized(rows, blocks)
    _LAST_ORDERED[:] = [rows, tuple(blocks), ordered]
    return ordered


def _records(frame: pd.DataFrame, columns: Sequence[str]):
    """The rows of ``frame``'s ``columns`` as tuples of Python values, as ``itertuples`` gives them, each column
    converted at once (``itertuples`` takes a text column's values one by one: seconds for a national list)."""
    return zip(*(frame[column].tolist() for column in columns))


def recognized_csv(rows: pd.DataFrame, blocks: Sequence[str]) -> str:
    """The annex as CSV text: a header in Vietnamese, then one line per recognised initiative (STT first)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["STT"] + [label for _, label in COLUMNS])
    for n, record in enumerate(_records(_ordered(rows, blocks), [cid for cid, _ in COLUMNS]), start=1):
        writer.writerow([str(n)] + [_cell(value) for value in record])
    return buffer.getvalue()


# --------------------------------------------------------------------------- the workbook (.xlsx)

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
HEADER_ROW = 7
"""The row of the table's column headers (the Decree 30 header, the title and the subtitle above it)."""
WIDTHS = {"STT": 5, "ma_so": 14, "ten_sang_kien": 27, "tac_gia": 19, "don_vi": 18, "khoi": 12, "linh_vuc": 12,
          "so_tien_lam_loi": 14, "diem": 6}
"""Column widths (Excel's characters: digits of the workbook's font, :data:`DIGIT_PIXELS`), by column id:
together as wide as A4 landscape's printable width
(:func:`printed_scale`), so that the list prints at 100% (12 pt text, not shrunk to fit); the code's column
holds a code of 13 characters on one line, the amount's 40.000.000.000. They also place the header's rules: the code and
the STT (A and B) as wide as the author's (D), so that C is centred under the bodies (A:D); F and G centred
under the motto (E:I)."""
BODIES, NATION_COLUMNS = ("A", "D"), ("E", "I")
"""The header's blocks: the bodies on the left, the national motto on the right."""
RULES = {"issuer": ("C", "C"), "motto": ("F", "G")}
"""The rules drawn under the issuing body and under the motto (a bottom border of row 3), as offices draw them
in a workbook: cell borders, centred under their line (the motto's about as long as it)."""
ALIGNMENTS = {"STT": "center"}
"""Body columns aligned otherwise than by their value (the number centred: it stands apart from the code)."""
PAGE_MARGINS_INCHES = (0.6, 0.4)
"""The printed page's left and right margins."""
NUMBER_FORMATS = {"STT": "0", "so_tien_lam_loi": "#,##0", "diem": "0.0"}
"""Number formats, by column id (Excel shows the separators of the reader's locale: 1.500.000 in Vietnamese)."""


def _value(value):
    """A cell's value: ``None`` for a missing number, ints for whole amounts, text as it is.

    >>> _value(float("nan")), _value(1500000.0), _value(87.5), _value("=1+1")
    (None, 1500000, 87.5, '=1+1')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value.item() if hasattr(value, "item") else value


LINE_HEIGHT_PT = 15.75
"""One line of 12 pt Times New Roman in a row."""
BODY_SIZE = 12
"""The list's text, in points."""
A4_LANDSCAPE_WIDTH_MM = 297.0
DIGIT_PIXELS = 8
"""The widest digit of the workbook's default font, the list's own (Times New Roman 12, :func:`_default_font`),
in pixels at 96 dpi: Excel's unit of a column's width (ECMA-376, 18.3.1.13). The columns are then measured in
the font they hold: a program that puts another font for it widens the columns and the text alike."""


def column_mm(width: float) -> float:
    """A column ``width`` (Excel's characters) in millimetres as printed at 100%.

    >>> round(column_mm(10), 1)
    21.2
    """
    pixels = int((256 * width + int(128 / DIGIT_PIXELS)) / 256 * DIGIT_PIXELS)
    return pixels * 25.4 / 96


def printed_scale() -> float:
    """The scale the list prints at, fitted to A4 landscape's width: 1.0 when the columns fit the printable
    width (the page less :data:`PAGE_MARGINS_INCHES`), less when they must shrink (text of
    :data:`BODY_SIZE` points prints at this times its size)."""
    printable = A4_LANDSCAPE_WIDTH_MM - 25.4 * sum(PAGE_MARGINS_INCHES)
    return min(1.0, printable / sum(column_mm(w) for w in WIDTHS.values()))



def _lines(text, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (greedy, by words): rows are
    given their height, as not every spreadsheet program fits wrapped rows on opening.

    >>> _lines("Giải pháp nâng cao hiệu quả", 10), _lines(1500000, 16), _lines(None, 8)
    (3, 1, 1)
    """
    capacity, lines, used = max(1, int(width * 1.25)), 1, 0
    for word in str(text if text is not None else "").split():
        if used and used + 1 + len(word) > capacity:
            lines, used = lines + 1, len(word)
        else:
            used += (1 if used else 0) + len(word)
    return lines


def _put_text(cell, text) -> None:
    """Text stays text: one that starts like a formula ('=', '+', '-', '@') is not read as one, in
    openpyxl (string type) nor when someone edits it in Excel (quote prefix)."""
    cell.value = text
    if isinstance(text, str):
        cell.data_type = "s"
        if text.startswith(_FORMULA_START):
            cell.quotePrefix = True


def _decree_header(sheet, params: Params, subtitle: str, last_column: str) -> None:
    """Rows 1-5: the bodies (left) and the national motto (right), each with its rule under it (row 3:
    :data:`RULES`), the title and the subtitle."""
    from openpyxl.styles import Alignment, Border, Font, Side

    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    (a, d), (e, _) = BODIES, NATION_COLUMNS
    lines = [(f"{a}1:{d}1", params.parent_body, Font(name="Times New Roman", size=12)),
             (f"{a}2:{d}2", params.issuing_body, Font(name="Times New Roman", size=12, bold=True)),
             (f"{e}1:{last_column}1", NATION, Font(name="Times New Roman", size=12, bold=True)),
             (f"{e}2:{last_column}2", MOTTO, Font(name="Times New Roman", size=13, bold=True)),
             (f"A4:{last_column}4", wording.appendix_title(params.recognition_level, params.year),
              Font(name="Times New Roman", size=14, bold=True)),
             (f"A5:{last_column}5", subtitle,
              Font(name="Times New Roman", size=13, italic=True))]
    for cells, text, font in lines:
        sheet.merge_cells(cells)
        first = sheet[cells.split(":")[0]]
        _put_text(first, text)
        first.font, first.alignment = font, centred
    rule = Border(bottom=Side(style="thin", color="000000"))
    for first, last in RULES.values():
        for row in sheet[f"{first}3:{last}3"]:
            for cell in row:
                cell.border = rule
    sheet.row_dimensions[3].height = 4  # the rules a little under their line
    sheet.row_dimensions[4].height = 30  # the title well under the rules


def _table_header(sheet) -> list[str]:
    """The column headers on ``HEADER_ROW``; returns the names of the body's column styles."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for number, label in enumerate(["STT"] + [label for _, label in COLUMNS], start=1):
        cell = sheet.cell(HEADER_ROW, number)
        _put_text(cell, label)
        cell.font = Font(name="Times New Roman", size=12, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="F0F2F5")
        cell.border = border
    return _body_styles(sheet.parent, _IDS, border)


_IDS = ["STT"] + [cid for cid, _ in COLUMNS]
STREAM_FROM = 2000
"""From this many recognised initiatives the body is written as worksheet XML (:mod:`annex_rows`), not
cell by cell through openpyxl (the same workbook, about ten times sooner)."""


def _body(ordered: pd.DataFrame):
    """(row height, cell values) of each recognised initiative, numbered from 1 (a number or an empty cell
    is one line, one word; each text's lines are counted once). Worked out a column at a time: a column of
    texts through one dict of its distinct texts, a column of numbers as one line each."""
    columns, counted = [], []
    for cid in _IDS[1:]:
        values = ordered[cid].tolist()
        kinds = set(map(type, values))
        if not kinds <= {str, int, bool, type(None)}:  # floats (NaN, whole amounts), numpy scalars, dates
            values = list(map(_value, values))
            kinds = set(map(type, values))
        columns.append(values)
        if kinds == {str}:
            lines = {text: _lines(text, WIDTHS[cid]) for text in set(values)}
            counted.append(list(map(lines.__getitem__, values)))
        elif not kinds <= {str, int, float, bool, type(None)}:  # a date, say: its words counted
            counted.append([_lines(v, WIDTHS[cid]) if type(v) not in (int, float, bool, type(None)) else 1
                            for v in values])
        elif str in kinds:
            lines = {text: _lines(text, WIDTHS[cid]) for text in set(values) if type(text) is str}
            counted.append([lines.get(v, 1) if type(v) is str else 1 for v in values])
    heights = map(max, zip(*counted)) if counted else iter(lambda: 1, None)
    for n, height, record in zip(range(1, len(ordered) + 1), heights, zip(*columns)):
        yield LINE_HEIGHT_PT * height, [n, *record]


def _table(sheet, ordered: pd.DataFrame, styles: list[str]) -> int:
    """One row per recognised initiative under the headers, cell by cell; returns the last row."""
    row = HEADER_ROW
    for row, (height, values) in enumerate(_body(ordered), start=HEADER_ROW + 1):
        for number, (style, value) in enumerate(zip(styles, values), start=1):
            cell = sheet.cell(row, number)
            cell.style = style  # before the value: a formula-like text's quote prefix stays
            _put_text(cell, value)
        sheet.row_dimensions[row].height = height
    return row


def _style_numbers(sheet, styles: list[str]) -> list[tuple[int, int]]:
    """Each column's (style, style with the quote prefix) as numbers of the workbook's stylesheet, found
    on a cell that is then taken away again (one cell each: openpyxl changes a cell's style in place, so
    a style whose number was taken is not touched again)."""
    numbers = []
    for number, style in enumerate(styles, start=1):
        found = []
        for quoted in (False, True):
            cell = sheet.cell(HEADER_ROW + 1, number)
            cell.style = style
            cell.quotePrefix = quoted
            found.append(cell.style_id)
            del sheet[cell.coordinate]
        numbers.append((found[0], found[1]))
    return numbers


def _streamed(sheet, ordered: pd.DataFrame, styles: list[str]) -> str | None:
    """The body as ``<row>`` elements, or None when it is short or holds a value that is neither text nor
    a number (then :func:`_table` writes it)."""
    if len(ordered) < STREAM_FROM:
        return None
    try:
        return annex_rows.rows_xml(_body(ordered), HEADER_ROW + 1, _style_numbers(sheet, styles), _FORMULA_START)
    except annex_rows.Unusual:
        return None


def _body_styles(workbook, ids: list[str], border) -> list[str]:
    """The name of each column's style for the body's cells (12 pt, top-aligned, wrapped, bordered, the
    column's number format), registered once: a named style is set on a cell without comparing fonts and
    borders again, which a list of tens of thousands of initiatives would otherwise spend its time on."""
    from openpyxl.styles import Alignment, Font, NamedStyle

    names = []
    for cid in ids:
        horizontal = ALIGNMENTS.get(cid)
        name = f"annex-{NUMBER_FORMATS.get(cid, 'text')}" + (f"-{horizontal}" if horizontal else "")
        if name not in workbook.named_styles:
            workbook.add_named_style(NamedStyle(
                name=name, font=Font(name="Times New Roman", size=BODY_SIZE), border=border,
                alignment=Alignment(horizontal=horizontal, vertical="top", wrap_text=True),
                number_format=NUMBER_FORMATS.get(cid, "General")))
        names.append(name)
    return names


def _print_setup(sheet, last_column: str, last_row: int) -> None:
    """A4 landscape, the header row on every page, panes frozen under it; the columns fit the page's width at
    100% (:func:`printed_scale`; fitted to the width should a program measure them wider)."""
    from openpyxl.utils import get_column_letter

    for number, cid in enumerate(["STT"] + [cid for cid, _ in COLUMNS], start=1):
        sheet.column_dimensions[get_column_letter(number)].width = WIDTHS[cid]
    sheet.row_dimensions[HEADER_ROW].height = 33
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{max(last_row, HEADER_ROW)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    setup = sheet.page_setup
    setup.paperSize, setup.orientation = sheet.PAPERSIZE_A4, "landscape"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left, sheet.page_margins.right = PAGE_MARGINS_INCHES
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "Trang &P/&N"


def _default_font(workbook) -> None:
    """The workbook's default font (its "Normal" style, which sets the unit of the columns' widths) the
    list's: Times New Roman of :data:`BODY_SIZE` points, not Calibri 11 (openpyxl 3.1 keeps it first among
    the workbook's fonts, fontId 0)."""
    from openpyxl.styles import Font

    font = Font(name="Times New Roman", size=BODY_SIZE, family=1)
    workbook._fonts = type(workbook._fonts)([font])
    workbook._named_styles["Normal"].font = font


def _units_sheet(workbook, rows: pd.DataFrame, params: Params) -> None:
    """Every unit's results (:func:`sangkien.figures.by_unit`) on a sheet of their own, when the report's table
    of units shows only some of them (more than :data:`UNITS_SHOWN`); nothing otherwise."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    table = fig.by_unit(rows, params.blocks)
    if len(table) <= UNITS_SHOWN:
        return
    sheet = workbook.create_sheet(UNITS_SHEET)
    last = get_column_letter(len(UNIT_COLUMNS))
    sheet.merge_cells(f"A1:{last}1")
    _put_text(sheet["A1"], wording.UNITS_TABLE.format(year=params.year))
    sheet["A1"].font = Font(name="Times New Roman", size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    bold = Font(name="Times New Roman", size=BODY_SIZE, bold=True)
    for number, (label, width, _) in enumerate(UNIT_COLUMNS, start=1):
        cell = sheet.cell(3, number)
        _put_text(cell, label)
        cell.font, cell.alignment = bold, Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(number)].width = width
    formats = [number_format for _, _, number_format in UNIT_COLUMNS]
    for row, r in enumerate(table.itertuples(index=False), start=4):
        values = [row - 3, r.don_vi, r.khoi, int(r.submitted), int(r.recognized), round(float(r.rate), 1),
                  _value(float(r.benefit_vnd))]
        for number, (value, number_format) in enumerate(zip(values, formats), start=1):
            cell = sheet.cell(row, number)
            _put_text(cell, value)
            cell.number_format = number_format
    sheet.freeze_panes = "A4"
    sheet.auto_filter.ref = f"A3:{last}{3 + len(table)}"
    sheet.print_title_rows = "3:3"


def recognized_workbook(rows: pd.DataFrame, params: Params, subtitle: str, made: datetime.date) -> bytes:
    """The annex as an Excel workbook (bytes, the same for the same inputs): the Decree 30 header, the
    title and ``subtitle`` (the report it goes with: :func:`sangkien.report.document.appendix_subtitle`),
    then the recognised initiatives of ``rows`` under bold headers repeated on every printed page (and every
    unit's results on a second sheet for a year of more units than the report prints: :func:`_units_sheet`); its
    files dated ``made`` (:attr:`sangkien.report.edition.Edition.made_on`)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    _default_font(workbook)
    sheet = workbook.active
    sheet.title = "Danh sách"
    last_column = get_column_letter(len(COLUMNS) + 1)
    _decree_header(sheet, params, subtitle, last_column)
    ordered, styles = _ordered(rows, params.blocks), _table_header(sheet)
    streamed = _streamed(sheet, ordered, styles)
    last_row = _table(sheet, ordered, styles) if streamed is None else HEADER_ROW + len(ordered)
    _print_setup(sheet, last_column, last_row)
    _units_sheet(workbook, rows, params)
    workbook.properties.title = wording.appendix_title(params.recognition_level, params.year)
    workbook.properties.creator = params.issuing_body
    buffer = io.BytesIO()
    workbook.save(buffer)
    package = buffer.getvalue()
    if streamed is not None:
        package = annex_rows.splice(package, "xl/worksheets/sheet1.xml", streamed, f"{last_column}{last_row}")
    return files.deterministic_zip(package, datetime.datetime.combine(made, datetime.time()))
