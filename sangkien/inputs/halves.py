"""A large worksheet read on two cores: the rows before a cut near the middle of its XML by this process, the
rows after by a forked one, each with python-calamine, then joined.

python-calamine reads a sheet on one core, and reading is most of what ``check`` spends on a national register
(a million rows: about ten seconds). The sheet's XML is cut at the first ``<row`` after a little over half of
its rows (:data:`FIRST_SHARE`); each half becomes a workbook of its own (the same package, that sheet holding
its half of the rows; every other part as it was: shared strings, styles, dates), read as the whole would be.
The child hands its rows back through an unnamed temporary file (marshal, or pickle when a cell is a date), and
ends without running anything of ours.

The joined rows are the rows of the whole sheet or nothing: a sheet that cannot be cut safely (an XML comment,
CDATA, a DOCTYPE or processing instruction that could hide a ``<row``; a row without its number) is not cut; a
half whose cells fall outside its own rows (rows out of order, a cell numbered in another row), a child that
fails or is killed, any error in either half: ``None``, and the caller reads the sheet whole as before (the same
result, the same messages, a little later). Only where forking is sound: Linux, two or more cores for this
process, no other thread running.
"""
from __future__ import annotations

import io
import marshal
import os
import pickle
import re
import signal
import sys
import tempfile
import threading
from dataclasses import dataclass

from sangkien.files import stored_with
from sangkien.inputs.xmlsearch import contains

SPLIT_FROM = 64 << 20
"""A sheet whose XML inflates to this many bytes or more (about 180,000 rows of ten cells) is read in two halves;
a smaller one is read whole, quicker than a fork."""

FIRST_SHARE = 0.56
"""How much of the rows this process reads: a little more than half, as the child's rows still have to be
handed over (written by the child, read back here)."""

_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
_ROW = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=[\"'](\d+)[\"']")


def can_fork(alone: bool = True) -> bool:
    """Whether a forked reader is sound and worth it here: Linux, two cores or more for this process, and no
    other thread (a fork copies only the calling thread; a lock another holds would stay held); ``alone``
    False: whatever the other threads (the caller has looked at them)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    if os.environ.get("SANGKIEN_ONE_CORE"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except OSError:
        cores = os.cpu_count() or 1
    return cores >= 2 and (not alone or threading.active_count() == 1)


@dataclass(frozen=True)
class Cut:
    """Where a sheet's XML is cut: its rows run from ``rows_start`` to ``rows_end`` (the ``sheetData``
    element's content), the second half from ``at``, whose row is numbered ``row`` (from 1)."""

    rows_start: int
    at: int
    rows_end: int
    row: int

    def first(self, xml: bytes) -> tuple:
        """The sheet's XML with the rows before the cut only, in pieces (not copied)."""
        view = memoryview(xml)
        return view[:self.at], view[self.rows_end:]

    def second(self, xml: bytes) -> tuple:
        """The sheet's XML with the rows from the cut only, in pieces (not copied)."""
        view = memoryview(xml)
        return view[:self.rows_start], view[self.at:]


def cut(xml: bytes) -> Cut | None:
    """Where to cut a sheet's XML in two (the first numbered ``<row`` after :data:`FIRST_SHARE` of its rows), or None
    when it cannot be cut safely: ``<!`` anywhere (a comment, CDATA, a DOCTYPE: where a ``<row`` might be text),
    a processing instruction after the XML declaration, no rows, no numbered row after that.

    >>> x = b'<worksheet><sheetData>' + b''.join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i)
    ...                                     for i in range(1, 5)) + b'</sheetData></worksheet>'
    >>> c = cut(x); c.row, b"".join(c.first(x)).count(b"<row"), b"".join(c.second(x)).count(b"<row")
    (4, 3, 1)
    >>> cut(x.replace(b"<sheetData>", b"<sheetData><!-- <row r='9'> -->")) is None
    True
    """
    if contains(xml, b"<!", 0) or contains(xml, b"<?", 2):
        return None
    data = _SHEET_DATA.search(xml)
    if data is None or data[2]:
        return None
    prefix = data[1] or b""
    rows_end = xml.rfind(b"</" + prefix + b"sheetData>")
    if rows_end < data.end():
        return None
    row = _ROW.search(xml, data.end() + int((rows_end - data.end()) * FIRST_SHARE), rows_end)
    if row is None or not row[0].startswith(b"<" + prefix + b"row"):
        return None
    return Cut(data.end(), row.start(), rows_end, int(row[1]))


@dataclass
class Half:
    """What calamine read of one half: the first and last cell's (row, column) from 0 (None: no cell), the
    rows from the first cell's row, from column A, the merged ranges."""

    start: tuple[int, int] | None
    end: tuple[int, int] | None
    rows: list[list]
    merged: list


def read_half(held: list[bytes], index: int, rows_of) -> Half:
    """Sheet ``index`` of the workbook ``held`` (``[package]``, let go of once calamine has it), its rows from
    its first cell's row as ``rows_of(sheet, from_row, at_a_time)`` gives them. Calamine's copy of the package
    and its shared strings are let go before the rows are made."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(held.pop()))
    sheet = workbook.get_sheet_by_index(index)
    del workbook
    merged = list(sheet.merged_cell_ranges or ())
    if sheet.start is None or sheet.end is None:
        return Half(None, None, [], merged)
    start, end = tuple(sheet.start), tuple(sheet.end)
    return Half(start, end, rows_of(sheet, start[0], True), merged)


def joined(first: Half, second: Half, row: int) -> list[list] | None:
    """The rows of the whole sheet, from A1 (each from column A to the last column of either half), when each
    half's cells lie on its own side of the cut (``row``, from 1); otherwise None."""
    if first.end is not None and first.end[0] >= row - 1:
        return None
    if second.start is not None and second.start[0] < row - 1:
        return None
    halves = [h for h in (first, second) if h.start is not None]
    if not halves:
        return []
    width = max(h.end[1] for h in halves) + 1
    rows: list[list] = []
    for half in halves:
        rows.extend([""] * width for _ in range(half.start[0] - len(rows)))
        if half.end[1] + 1 < width:
            pad = [""] * (width - half.end[1] - 1)
            rows.extend(r + pad for r in half.rows)
        else:
            rows.extend(half.rows)
    return rows


def _send(out, rows: list[list]) -> None:
    try:
        body = b"M" + marshal.dumps(rows)
    except ValueError:  # a date or time cell: marshal knows only plain values
        body = b"P" + pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(body)
    out.flush()


def _received(out) -> list[list]:
    out.seek(0)
    body = out.read()
    return marshal.loads(memoryview(body)[1:]) if body[:1] == b"M" else pickle.loads(memoryview(body)[1:])


def read(data: bytes, part: str, index: int, held: list[bytes], scan, rows_of):
    """The rows (from A1, each half's as ``rows_of`` gives them: :func:`~sangkien.inputs.workbook.sheet_rows`;
    None when the sheet was not read in two: then read it whole) and merged ranges of sheet ``index``, held in
    ``part`` of the workbook ``data``, and ``scan(xml)`` worked out while the child reads. ``held`` is
    ``[xml]``, the sheet's XML, let go of here as soon as it is not needed (hundreds of megabytes)."""
    xml = held.pop()
    where = cut(xml)
    if where is None:
        return None, [], scan(xml)
    with tempfile.TemporaryFile(prefix="sangkien-") as out:
        child = os.fork()
        if child == 0:  # the second half, then gone: no clean-up, no buffer, nothing of the parent's runs
            status = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                package = [stored_with(data, part, where.second(xml))]
                del xml, data
                half = read_half(package, index, rows_of)
                _send(out, [list(half.start or ()), list(half.end or ())] + half.rows)
                status = 0
            finally:
                os._exit(status)
        reaped = False
        try:
            package = [stored_with(data, part, where.first(xml))]
            scanned = scan(xml)
            del xml
            try:
                first = read_half(package, index, rows_of)
            except Exception:  # the whole read says what is wrong with the file
                return None, [], scanned
            _, status = os.waitpid(child, 0)
            reaped = True
            if status != 0:
                return None, [], scanned
            rows = _received(out)
            second = Half(tuple(rows[0]) or None, tuple(rows[1]) or None, rows, [])
            del rows[:2]
            return joined(first, second, where.row), first.merged, scanned
        finally:
            if not reaped:
                try:
                    os.kill(child, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.waitpid(child, 0)
