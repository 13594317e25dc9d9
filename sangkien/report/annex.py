"""The list of recognised initiatives as a file sent with the report (CSV that Excel opens as is).

The report's appendix prints the list when it is short enough to read (``APPENDIX_LIMIT``); a longer
one (a province-wide register) is only referred to, and the file carries it whole.
"""
from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Sequence

import pandas as pd

from sangkien import figures as fig

APPENDIX_LIMIT = 300
"""Up to this many recognised initiatives the appendix lists them; beyond, it refers to the annex file."""

COLUMNS = [("ma_so", "Mã số"), ("ten_sang_kien", "Tên sáng kiến"), ("tac_gia", "Tác giả"), ("don_vi", "Đơn vị"),
           ("khoi", "Khối"), ("linh_vuc", "Lĩnh vực"), ("so_tien_lam_loi", "Số tiền làm lợi (đồng)"),
           ("diem", "Điểm")]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def file_name(year: int) -> str:
    return f"danh-sach-cong-nhan-{year}.csv"


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


def recognized_csv(rows: pd.DataFrame, blocks: Sequence[str]) -> str:
    """The annex as CSV text: a header in Vietnamese, then one line per recognised initiative (STT first)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["STT"] + [label for _, label in COLUMNS])
    for n, record in enumerate(fig.ordered_recognized(rows, blocks).itertuples(index=False), start=1):
        writer.writerow([str(n)] + [_cell(getattr(record, cid)) for cid, _ in COLUMNS])
    return buffer.getvalue()


def write(rows: pd.DataFrame, blocks: Sequence[str], target: Path) -> None:
    """Write the annex as UTF-8 with a byte-order mark, so that Excel reads the Vietnamese right."""
    target.write_bytes(recognized_csv(rows, blocks).encode("utf-8-sig"))
