"""Reading the register file: its bytes, once, and its sheets (a CSV file is one; a workbook has one per
worksheet, see :mod:`~sangkien.inputs.workbook`).

A CSV file is read as Excel writes one: UTF-8 with or without a byte-order mark, or UTF-16 ("Unicode Text",
tab separated); comma, semicolon or tab separated, or as a ``sep=`` first line says. Its encoding is
diagnosed by its bytes: a workbook renamed ``.csv`` is named as one, and TCVN3/VNI are only named when the
bytes are text that looks like them.

Every failure is a DataError naming the file; the file is only ever opened for reading.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from sangkien.errors import DataError
from sangkien.inputs import encodings as legacy
from sangkien.inputs.shown import thousands

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
MAX_CELL = 32_767
"""The most characters one cell may hold: Excel's own limit."""
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an .xlsx (a zip package) and an .xls (an OLE compound file) begin."""
_DELIMITERS = (",", ";", "\t")
DECODED_AS_READ = 32 << 20
"""From this size (bytes) a UTF-8 CSV file is decoded as it is read, each distinct cell one object: a third
of the memory at a million rows, for about a tenth more time; a smaller one is decoded whole, the quickest."""


class RowsSource:
    """A sheet whose cells are already read (a CSV file, or rows handed over by a caller)."""

    hidden = False
    encoding: str | None = None
    """A CSV file read in an 8-bit encoding (Windows-1258), said in what was read."""

    def __init__(self, rows: list[list], name: str | None = None):
        self._rows, self.name = rows, name

    def head(self, n: int) -> list[list]:
        return self._rows[:n]

    def rows(self) -> list[list]:
        return self._rows

    def merged(self) -> list:
        return []

    def quirks(self) -> dict:
        return {}


def _not_utf8(path: Path, data: bytes, exc: UnicodeDecodeError) -> DataError:
    """What the bytes of a CSV file that is not UTF-8 are, as far as they say."""
    where = f"byte {exc.start + 1}"
    if b"\x00" in data[:4096]:
        return DataError(f"{path}: tệp không phải tệp văn bản CSV (có byte 0, {where}): có thể là tệp UTF-16 không "
                         'có dấu BOM hoặc một tệp nhị phân; hãy mở bằng Excel và lưu lại "CSV UTF-8 (Comma delimited)"')
    guess = legacy.detect_bytes(data)
    if guess == legacy.WINDOWS_1258:
        return DataError(
            f"{path}: tệp CSV không phải mã UTF-8 mà là mã Windows-1258 ({where}); hãy mở tệp bằng Excel "
            'và lưu lại dưới dạng "CSV UTF-8 (Comma delimited)"')
    if guess:
        return DataError(
            f"{path}: tệp không phải UTF-8 mà có vẻ được gõ bằng mã {guess} ({where}); "
            + legacy.HINT.format(encoding=guess) + " dưới dạng CSV UTF-8")
    return DataError(
        f"{path}: tệp CSV không phải mã UTF-8 ({where}); hãy lưu lại bằng Excel "
        '"CSV UTF-8 (Comma delimited)"')


def csv_text(path: Path, data: bytes) -> str:
    """The text of a CSV file, by what its bytes say: a workbook renamed .csv is refused as one; UTF-16 with
    its byte-order mark (Excel's "Unicode Text"); UTF-8 with or without one."""
    if data.startswith(ZIP) or data.startswith(OLE):
        kind = ".xlsx" if data.startswith(ZIP) else ".xls"
        raise DataError(f"{path}: đây là tệp Excel bị đổi tên thành .csv, không phải tệp CSV; hãy đổi lại phần mở "
                        f"rộng thành {kind} (hoặc mở bằng Excel và lưu lại dưới dạng CSV UTF-8)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DataError(f"{path}: tệp bắt đầu như tệp UTF-16 (Unicode Text) nhưng hỏng, không đọc được") from None
    return decoded(path, data)[0]


def decoded(path: Path, data: bytes) -> tuple[str, str | None]:
    """The text of a CSV file that is not UTF-16, and the 8-bit encoding it was read in (None: UTF-8): a file
    Excel saved as plain "CSV (Comma delimited)" on a Vietnamese Windows is Windows-1258 (its tones as
    combining marks, composed here); TCVN3, VNI and anything else are refused, naming what they seem to be."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        if legacy.detect_bytes(data) == legacy.WINDOWS_1258:
            try:
                return unicodedata.normalize("NFC", data.decode("cp1258")), legacy.WINDOWS_1258
            except UnicodeDecodeError:
                pass
        raise _not_utf8(path, data, exc) from None


def _delimiter(lines: list[str]) -> str:
    """The separator that splits the first lines (quotes respected) into the most cells; a comma on a tie."""
    def widest(delimiter: str) -> int:
        try:
            return max((len(row) for row in csv.reader(lines, delimiter=delimiter)), default=0)
        except csv.Error:
            return 0

    return max(_DELIMITERS, key=widest)


def column_letter(number: int) -> str:
    """Excel's name of a column, from 1.

    >>> column_letter(1), column_letter(28)
    ('A', 'AB')
    """
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _too_long(path: Path, text: str, delimiter: str) -> DataError:
    """The first cell longer than MAX_CELL, named by row and column."""
    limit = csv.field_size_limit()
    csv.field_size_limit(1 << 30)
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            for column, cell in enumerate(row, start=1):
                if len(cell) > MAX_CELL:
                    return DataError(
                        f"{path}: dòng {number}, cột {column_letter(column)}: ô dài {thousands(len(cell))} ký tự, "
                        f"quá giới hạn {thousands(MAX_CELL)} ký tự một ô của Excel; có thể một dấu ngoặc kép (\") mở "
                        "mà không đóng")
    except csv.Error:
        pass
    finally:
        csv.field_size_limit(limit)
    return DataError(f"{path}: tệp CSV có một ô dài quá {thousands(MAX_CELL)} ký tự")


def read_csv(path: Path, data: bytes) -> list[list]:
    """The rows of a CSV file. A first line ``sep=;`` names the separator (Excel hides it: the next line is
    row 1); otherwise the separator is the one that splits the first lines into the most cells.

    A large UTF-8 file (:data:`DECODED_AS_READ`) is decoded as it is read (its text never sits in memory
    whole) and each distinct cell is made once; anything else, or a file that turns out not to be UTF-8,
    is read whole."""
    if len(data) >= DECODED_AS_READ and not data.startswith((ZIP, OLE, b"\xff\xfe", b"\xfe\xff")):
        head = data[:1 << 18].decode("utf-8-sig", "ignore")[:65536].splitlines()[:30]
        if not (head and head[0].lstrip(" ").lower().startswith("sep=")):
            try:
                return _read_utf8(path, data, _delimiter(head))
            except UnicodeDecodeError:
                pass  # said as a file that is not UTF-8 is, below
    return _read_text(path, data)


def _read_utf8(path: Path, data: bytes, delimiter: str) -> list[list]:
    """The rows of a UTF-8 CSV file without a ``sep=`` line, decoded a piece at a time."""
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    return _parsed(path, stream, delimiter, lambda: csv_text(path, data), interned=True)


class CsvRows(list):
    """A CSV file's rows, and the 8-bit encoding the file was read in (None: UTF-8 or UTF-16)."""

    encoding: str | None = None


def _read_text(path: Path, data: bytes) -> list[list]:
    """The rows of a CSV file decoded whole (UTF-16, a ``sep=`` line, Windows-1258), or the DataError of one
    that is not text."""
    encoding = None
    if data.startswith((ZIP, OLE, b"\xff\xfe", b"\xfe\xff")):
        text = csv_text(path, data)
    else:
        text, encoding = decoded(path, data)
    head = text[:65536].splitlines()[:30]
    delimiter = None
    first = head[0].lstrip(" ").lower() if head else ""
    if first.startswith("sep=") and len(first.rstrip(" ")) == 5:
        delimiter = first[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
        head = head[1:]
    delimiter = delimiter or _delimiter(head)
    rows = CsvRows(_parsed(path, io.StringIO(text, newline=""), delimiter, lambda: text))
    rows.encoding = encoding
    return rows


def _parsed(path: Path, lines, delimiter: str, text_of, interned: bool = False) -> list[list]:
    """The rows of ``lines`` (``interned``: each distinct cell one object); a DataError naming the line of a
    broken file (``text_of()``: the file's text, to find an overlong cell in)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    memo: dict[str, str] = {}
    keep = memo.setdefault
    try:
        return [list(map(keep, row, row)) for row in reader] if interned else list(reader)
    except csv.Error as exc:
        text = text_of()  # a file that is not UTF-8 after all is said as such, as when read whole
        if "field larger than field limit" in str(exc):
            raise _too_long(path, text, delimiter) from None
        raise DataError(f"{path}: tệp CSV hỏng, không đọc được (dòng {reader.line_num}: {exc})") from None
    finally:
        csv.field_size_limit(limit)


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


def read_sources(path: Path, data: bytes | None = None) -> list:
    """The file's sheets, in order: one :class:`RowsSource` for a CSV file, an
    :class:`~sangkien.inputs.workbook.ExcelSheet` per worksheet of a workbook (hidden ones included, marked)."""
    from sangkien.inputs.workbook import ExcelBook

    path = Path(path)
    data = read_bytes(path) if data is None else data
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = read_csv(path, data)
        source = RowsSource(rows)
        source.encoding = getattr(rows, "encoding", None)
        return [source]
    if suffix in EXCEL_SUFFIXES:
        return ExcelBook(path, data).sheets()
    raise DataError(f"{path}: định dạng {suffix or '(không có phần mở rộng)'} không được hỗ trợ; cần .xlsx hoặc .csv")
