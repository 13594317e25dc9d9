"""Reading the register file: its bytes, once, and the raw cells of its first sheet (.xlsx or .csv).

Every failure is a DataError naming the file; the file is only ever opened for reading.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from sangkien.errors import DataError
from sangkien.inputs import encodings as legacy

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


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
