"""A register as the tests write it: its header and the one function that writes a register file from rows.

``from registers import HEADER, write_register_file`` (``tests/`` is on the path; tests/conftest.py re-exports
``HEADER`` and ``IDS`` with its other constants, and its ``write_register`` fixture writes through
:func:`write_register_file` into the test's temporary folder). Every test that needs a register file on disk
(a CSV as an analyst exports it, a workbook as the sample is) writes it here, so the layout a test means by
"a register" is said once.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

HEADER = ["Mã số", "Năm", "Tên sáng kiến", "Tác giả", "Đơn vị", "Khối", "Lĩnh vực",
          "Kết quả", "Số tiền làm lợi", "Điểm"]
"""The register's header as the sample writes it: the Vietnamese labels, in the contract's order."""
IDS = ["ma_so", "nam", "ten_sang_kien", "tac_gia", "don_vi", "khoi", "linh_vuc",
       "ket_qua", "so_tien_lam_loi", "diem"]
"""The columns' ids, in HEADER's order (a register may be headed with them too)."""


def write_register_file(path: Path, rows: Iterable[Sequence], header: Sequence | None = None, *,
                        fmt: str | None = None, delimiter: str = ",", bom: bool = False,
                        encoding: str = "utf-8") -> Path:
    """Write ``rows`` (lists of cell values, ``None`` an empty cell) under ``header`` (HEADER unless given;
    ``[]`` writes no header row) to ``path`` and return it.

    A workbook when ``fmt`` is ``"xlsx"`` (by default, when ``path`` ends in ``.xlsx``); else a CSV as Excel
    writes one: values written with ``str``, ``None`` as an empty field, lines ending in CRLF, separated by
    ``delimiter``, in ``encoding``, after the byte order mark (U+FEFF in ``encoding``) when ``bom`` (the
    ``utf-16`` codec writes its own).
    """
    header = HEADER if header is None else header
    table = ([list(header)] if header else []) + [list(row) for row in rows]
    fmt = fmt or ("xlsx" if path.suffix == ".xlsx" else "csv")
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        for row in table:
            sheet.append(row)
        workbook.save(path)
        return path
    if fmt != "csv":
        raise ValueError(fmt)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in table])
    path.write_bytes((("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding))
    return path



TONES = "\u0300\u0301\u0303\u0309\u0323"
"""The tone marks Windows-1258 writes as combining characters after the letter (it has no ạ, ậ, ử...)."""


def windows_1258(text: str) -> str:
    r"""``text`` as Windows-1258 spells Vietnamese (what Excel's plain "CSV (Comma delimited)" writes on a
    Vietnamese Windows, once encoded ``cp1258``): letters with ă â ê ô ơ ư đ precomposed, tone marks apart.

    >>> windows_1258("Trường") == "Trư" + "ơ\u0300" + "ng"
    True
    """
    import unicodedata

    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
                   + "".join(c for c in parts if c in TONES))
    return "".join(out)
