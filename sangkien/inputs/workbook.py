"""An Excel workbook's sheets as the reader needs them: which are hidden, their cells (python-calamine), the
cells merged over several rows, and what calamine does not tell: the cells holding an error value
(``#DIV/0!``, ``#REF!``, ``#N/A``...) and the formulas saved without a computed value. Both come out of
calamine as empty cells; they are found in the sheet's XML (.xlsx), with a few searches at C speed.
"""
from __future__ import annotations

import io
import re
import struct
import threading
import zipfile
import zlib
from collections import deque
from itertools import islice
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from sangkien.errors import DataError
from sangkien.inputs.shown import thousands
from sangkien.inputs.xmlsearch import contains

NOT_COMPUTED = "formula"
"""A quirk: a formula saved without its value (a file written by a program, never opened in Excel)."""

_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?\bt=[\"']e[\"'][^>]*?)(?<!/)>")
_FORMULA_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?<!/)>\s*<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_REF = re.compile(rb"\br=[\"']([A-Z]{1,3})(\d+)[\"']")
_TEXT_RESULT = re.compile(rb"\bt=[\"'](?:str|e)[\"']")
_ROOT = re.compile(rb"<(\w+:)?worksheet\b[^>]*?=\s*(['\"])")


def _position(attributes: bytes) -> tuple[int, int] | None:
    """(row, column) from 0 of a cell's ``r="B12"`` attribute."""
    found = _REF.search(attributes)
    if not found:
        return None
    column = 0
    for letter in found[1]:
        column = column * 26 + letter - 64
    return int(found[2]) - 1, column - 1


def _needles(xml: bytes) -> tuple[bytes, bytes, int]:
    """What an error cell and a formula hold in this sheet's XML ('t="e', '<f', with the document's prefix
    and quotes), and where its root element ends."""
    root = _ROOT.search(xml, 0, 4096)
    prefix, quote = (root[1] or b"", root[2]) if root else (b"", b'"')
    return b"t=" + quote + b"e", b"<" + prefix + b"f", root.end() if root else 0


def may_have_quirks(pieces) -> bool:
    """Whether a sheet's XML, inflated piece by piece, may hold an error value or a formula (then
    :func:`scan_quirks` reads it whole); a few megabytes at a time, never the whole sheet at once."""
    needles, tail, start = None, b"", 0
    for piece in pieces:
        window = tail + piece
        if needles is None:
            *needles, start = _needles(window)
        if any(contains(window, needle, start) for needle in needles):
            return True
        tail, start = window[-32:], 0
    return False


def scan_quirks(xml: bytes) -> dict[tuple[int, int], str]:
    """The cells of a sheet's XML that hold an error value (the value, '#DIV/0!') or a formula without a
    computed value (:data:`NOT_COMPUTED`), by (row, column) from 0.

    >>> scan_quirks(b'<c r="B3" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="C3"><f>A1</f><v/></c><c r="D3"><f>A1</f><v>2</v></c>')
    {(2, 1): '#DIV/0!', (2, 2): 'formula'}
    """
    found: dict[tuple[int, int], str] = {}
    error, formula, start = _needles(xml)
    if contains(xml, error, start):  # most sheets have no error, no formula
        for cell in _ERROR_CELL.finditer(xml):
            end = _CELL_END.search(xml, cell.end())
            value = _VALUE.search(xml, cell.end(), end.start() if end else len(xml))
            position = _position(cell[1])
            if position is not None:
                found[position] = value[1].decode("utf-8", "replace") if value and value[1] else "#N/A"
    if contains(xml, formula, start):
        for cell in _FORMULA_CELL.finditer(xml):
            end = _CELL_END.search(xml, cell.end())
            value = _VALUE.search(xml, cell.end(), end.start() if end else len(xml))
            position = _position(cell[1])
            if position is not None and position not in found and not (value and value[1]) and not (
                    value is not None and _TEXT_RESULT.search(cell[1])):  # a computed empty text is a value
                found[position] = NOT_COMPUTED
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sheet_parts(package: zipfile.ZipFile, visible_only: bool = False) -> dict[str, str]:
    """Sheet name -> the part holding its cells ('xl/worksheets/sheet1.xml'); empty when not found. With
    ``visible_only``, the sheets Excel shows only (not ``state="hidden"`` or ``"veryHidden"``)."""
    try:
        book = ElementTree.fromstring(package.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels if _local(r.tag) == "Relationship"}
    parts = {}
    for sheet in book.iter():
        if _local(sheet.tag) != "sheet" or (visible_only and sheet.get("state", "visible") != "visible"):
            continue
        rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rid, "")
        if target:
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            parts[sheet.get("name", "")] = path
    return parts


def part_pieces(package: zipfile.ZipFile, data: bytes, name: str, size: int = 1 << 18):
    """A part of the package inflated a piece at a time (from ``size`` compressed bytes), without the CRC
    pass zipfile makes: a large sheet's XML is tens of megabytes. zipfile itself for anything but a plain
    deflated entry."""
    info = package.getinfo(name)
    start = info.header_offset
    if info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 0x1 and data[start:start + 4] == b"PK\x03\x04":
        name_length, extra_length = struct.unpack("<HH", data[start + 26:start + 30])
        begin = start + 30 + name_length + extra_length
        end, view, inflater = begin + info.compress_size, memoryview(data), zlib.decompressobj(-15)
        for at in range(begin, end, size):
            yield inflater.decompress(view[at:min(at + size, end)])
        yield inflater.flush()
        return
    yield package.read(name)


def part_xml(package: zipfile.ZipFile, data: bytes, name: str) -> bytes:
    """A part of the package inflated whole (:func:`part_pieces` joined)."""
    return b"".join(part_pieces(package, data, name))


ROW_AT_A_TIME = 200_000
"""From this many rows a sheet is read a row at a time, each distinct value one object (about 40 % less
memory at a million rows, for about 10 % more time); a smaller one at once, the quickest way."""


def interned(rows) -> list[list] | None:
    """The rows, each equal value one object (the cells of a row in one call at C speed); ``None`` when a
    True or False cell met a number equal to it (then they must stay apart: only one is a number)."""
    memo: dict = {}
    keep = memo.setdefault
    found = [list(map(keep, row, row)) for row in rows]
    if True in memo or False in memo:
        if any(key.__class__ is bool for key in memo):
            return None
    return found


def sheet_rows(sheet, from_row: int = 0, at_a_time: bool | None = None) -> list[list]:
    """A calamine sheet's rows from row ``from_row`` (from 0) to its last cell, each from column A to its last
    column, as ``to_python(skip_empty_area=False)`` gives them (empty cells ''). A large sheet (``at_a_time``;
    by default from :data:`ROW_AT_A_TIME` rows) is read a row at a time, each equal value one object
    (:func:`interned`)."""
    start, end = sheet.start, sheet.end
    if at_a_time is None:
        at_a_time = start is not None and sheet.height >= ROW_AT_A_TIME
    if start is None or end is None or not at_a_time:
        rows = sheet.to_python(skip_empty_area=False)
        return rows[from_row:] if from_row else rows
    cells = sheet.iter_rows()
    if from_row:  # calamine 0.9 begins at row 0, with the empty rows above the first cell: skipped unread
        deque(islice(cells, from_row), maxlen=0)
    rows = interned(cells)
    if rows is None:  # a True beside a 1: each cell made on its own, as calamine gives it
        rows = sheet.to_python(skip_empty_area=False)
        return rows[from_row:] if from_row else rows
    if from_row and len(rows) != end[0] + 1 - from_row:
        raise ValueError("python-calamine no longer gives the rows above a sheet's first cell")
    width = end[1] + 1
    if start[1]:  # calamine leaves out the empty columns before the first cell
        rows = [[""] * start[1] + row if len(row) < width else row for row in rows]
    first = end[0] + 1 - len(rows)  # calamine 0.9 gives the empty rows above the first cell too
    if first > from_row:
        rows[0:0] = [[""] * width for _ in range(first - from_row)]
    elif first < from_row:
        del rows[:from_row - first]
    return rows


class ExcelSheet:
    """One sheet of a workbook, read when asked: its first rows, then all of them; its merged cells; its
    error values and uncomputed formulas (.xlsx only)."""

    def __init__(self, book: "ExcelBook", index: int, name: str, hidden: bool):
        self.book, self.index, self.name, self.hidden = book, index, name, hidden
        self._sheet = None
        self._merged: list | None = None
        self._halves: tuple | None = None

    def _calamine(self):
        if self._sheet is None:
            self._sheet = self.book.call(self.book.workbook.get_sheet_by_index, self.index)
        return self._sheet

    def head(self, n: int) -> list[list]:
        read = self._in_halves()
        if read is not None:
            return read[0][:n]
        return self.book.call(self._calamine().to_python, skip_empty_area=False, nrows=n)

    def _in_halves(self) -> tuple[list[list], list] | None:
        """The sheet read on two cores, once (calamine reads a whole sheet even for its first rows)."""
        if self._halves is None:
            self._halves = self.book.in_halves(self.index, self.name) or ()
        return self._halves or None

    def rows(self) -> list[list]:
        """Every row, as ``to_python(skip_empty_area=False)`` gives them (from A1, empty cells ''); a large
        sheet read a row at a time with each text, number and date made once however often it recurs
        (:func:`interned`): a national register repeats its units, blocks and years a million times.
        Calamine's own copy of the cells is let go once they are Python's. A very large sheet is read on two cores
        (:mod:`~sangkien.inputs.halves`)."""
        read = self._in_halves()
        if read is not None:
            rows, self._merged = read
            return rows
        sheet = self._calamine()
        self._merged = list(sheet.merged_cell_ranges or ())
        rows = self.book.call(sheet_rows, sheet)
        self._sheet = None
        return rows

    def merged(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged ranges, ((first row, first column), (last row, last column)) from 0."""
        if self._merged is None:
            self._merged = list(self._calamine().merged_cell_ranges or ())
        return self._merged

    def quirks(self) -> dict[tuple[int, int], str]:
        return self.book.quirks(self.name)


UNPACKED_FLOOR = 256 << 20
UNPACKED_RATIO = 50
"""A workbook whose parts unpack to more than this many times its own size, and to more than
:data:`UNPACKED_FLOOR` bytes, is refused before it is read: Excel's own files unpack to 5-15 times their
size (a register of a million rows too), a "zip bomb" to hundreds."""
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def refuse_unreadable(path: Path, data: bytes) -> None:
    """DataError, in one line, for a workbook that is protected by a password (Excel then saves an .xlsx as
    an encrypted OLE file) or whose parts would unpack to far more than any register."""
    if data.startswith(_OLE) and _ENCRYPTED in data:
        raise DataError(f"{path}: tệp có mật khẩu, không đọc được; mở bằng Excel, bỏ mật khẩu (Tệp > Thông tin > "
                        "Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu: để trống), lưu lại rồi chạy lại")
    if not data.startswith(b"PK\x03\x04"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # calamine says it is not a workbook
    if unpacked > max(UNPACKED_FLOOR, UNPACKED_RATIO * len(data)):
        raise DataError(f"{path}: tệp {thousands(len(data))} byte nhưng giải nén ra {thousands(unpacked)} byte, gấp "
                        f"{thousands(unpacked // len(data))} lần (sổ Excel thật chỉ gấp 5–15 lần): không đọc; hãy mở "
                        "bằng Excel kiểm tra rồi lưu lại")


class ExcelBook:
    """A workbook opened with python-calamine from its bytes; every calamine failure becomes a DataError."""

    def __init__(self, path: Path, data: bytes):
        from python_calamine import CalamineWorkbook

        refuse_unreadable(path, data)
        self.path, self.data = path, data
        self._parts: dict[str, str] | None = None
        self._scanned: dict[str, dict[tuple[int, int], str]] = {}
        self._inflating = self._inflate_largest()
        self._workbook = self.call(CalamineWorkbook.from_filelike, io.BytesIO(data))

    @property
    def workbook(self):
        """The workbook as calamine opened it (again, if it was let go of while a sheet was read in two)."""
        if self._workbook is None:
            from python_calamine import CalamineWorkbook

            self._workbook = self.call(CalamineWorkbook.from_filelike, io.BytesIO(self.data))
        return self._workbook

    def _inflate_largest(self) -> tuple[str, threading.Thread, list] | None:
        """A thread inflating the XML of the workbook's largest visible sheet when it is to be read in two
        (:meth:`in_halves`), while calamine opens the workbook (it lets go of the interpreter meanwhile)."""
        from sangkien.inputs import halves

        if not self.data.startswith(b"PK\x03\x04") or not halves.can_fork():
            return None
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as package:  # a hidden sheet is never read
                sizes = {part: package.getinfo(part).file_size
                         for part in sheet_parts(package, visible_only=True).values() if part in package.NameToInfo}
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        part = max(sizes, key=sizes.get, default=None)
        if part is None or sizes[part] < halves.SPLIT_FROM:
            return None
        held: list = []

        def inflate() -> None:
            try:
                with zipfile.ZipFile(io.BytesIO(self.data)) as package:
                    held.append(part_xml(package, self.data, part))
            except Exception:  # noqa: BLE001 (inflated again, and said, by whoever reads it next)
                pass

        thread = threading.Thread(target=inflate, name="sangkien-inflate", daemon=True)
        thread.start()
        return part, thread, held

    def call(self, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception as exc:  # calamine raises several kinds for a file that is not a workbook
            raise DataError(
                f"{self.path}: không đọc được tệp như một bảng tính Excel (.xlsx) — tệp hỏng hoặc không phải Excel "
                f"({type(exc).__name__})"
            ) from None

    def sheets(self) -> list[ExcelSheet]:
        """The worksheets (not chart sheets), in the workbook's order."""
        from python_calamine import SheetTypeEnum, SheetVisibleEnum

        metadata = self.workbook.sheets_metadata
        if not metadata:
            raise DataError(f"{self.path}: tệp Excel không có trang tính nào")
        return [ExcelSheet(self, i, m.name, m.visible != SheetVisibleEnum.Visible)
                for i, m in enumerate(metadata) if m.typ == SheetTypeEnum.WorkSheet]

    def quirks(self, name: str) -> dict[tuple[int, int], str]:
        if not self.data.startswith(b"PK\x03\x04"):  # .xls: calamine alone (as before)
            return {}
        if name in self._scanned:
            return self._scanned[name]
        return self.call(self._quirks, name)

    def in_halves(self, index: int, name: str) -> tuple[list[list], list] | None:
        """The rows and merged ranges of a sheet whose XML is :data:`~sangkien.inputs.halves.SPLIT_FROM` bytes or
        more, read on two cores (its quirks found in the XML meanwhile); None: read it whole."""
        from sangkien.inputs import halves

        if not self.data.startswith(b"PK\x03\x04"):
            return None
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as package:
                if self._parts is None:
                    self._parts = sheet_parts(package)
                part = self._parts.get(name)
                if part not in package.NameToInfo or package.getinfo(part).file_size < halves.SPLIT_FROM:
                    return None
                held: list = []
                if self._inflating is not None and self._inflating[0] == part:
                    _, thread, held = self._inflating
                    thread.join()
                    self._inflating = None
                if not halves.can_fork():
                    return None
                if not held:
                    held.append(part_xml(package, self.data, part))
        except (zipfile.BadZipFile, ValueError, OSError, zlib.error):
            return None  # the whole read says what is wrong with the file
        self._workbook = None  # its copy of the file and its shared strings, while each half has its own
        rows, merged, self._scanned[name] = halves.read(self.data, part, index, held,
                                                         lambda xml: self.call(scan_quirks, xml), sheet_rows)
        if rows is None:
            return None
        return rows, merged

    def _quirks(self, name: str) -> dict[tuple[int, int], str]:
        with zipfile.ZipFile(io.BytesIO(self.data)) as package:
            if self._parts is None:
                self._parts = sheet_parts(package)
            part = self._parts.get(name)
            if part is None or part not in package.NameToInfo:
                return {}
            if not may_have_quirks(part_pieces(package, self.data, part)):
                return {}
            return scan_quirks(part_xml(package, self.data, part))
