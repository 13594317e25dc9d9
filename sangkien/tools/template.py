"""The register template ``data/template/so-dang-ky-mau.xlsx``, generated from :mod:`sangkien.inputs.schema`
(the columns, their limits and choices, as the validator reads them) and the blocks of
``params/defaults.yaml``, so the two cannot drift.

``python -m sangkien.tools.template [--out FILE]`` (``make template``) writes it. The bytes are the same on
every run: fixed workbook dates, fixed ZIP entry dates.

Sheets: "Sổ đăng ký" (first; the reader reads every visible sheet with a register's header) with the header row only, drop-down
lists for Khối and Kết quả, number formats and limits for the numbers; "Hướng dẫn", one line per
column; "Danh mục", the lists the drop-downs read.
"""
from __future__ import annotations

import argparse
import datetime
import io
import sys
from pathlib import Path

from sangkien import paths
from sangkien.errors import problems_of
from sangkien.files import deterministic_zip, write_atomic
from sangkien.inputs import schema
from sangkien.inputs.params import default_blocks

DATA_SHEET = "Sổ đăng ký"
GUIDE_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
FIXED_TIME = datetime.datetime(2024, 1, 1, 0, 0, 0)
"""The workbook's 'created' and 'modified' dates: the bytes depend on the schema only."""

WIDTHS = {"ma_so": 14, "nam": 8, "ten_sang_kien": 50, "tac_gia": 32, "don_vi": 32, "khoi": 26,
          "linh_vuc": 18, "ket_qua": 17, "so_tien_lam_loi": 18, "diem": 9}
NUMBER_FORMATS = {"nam": "0", "so_tien_lam_loi": "#,##0", "diem": "0.0"}
"""Years are never grouped; amounts in whole đồng with a thousands separator (shown as a dot where
Excel runs with Vietnamese regional settings); scores with one decimal. Other columns are text ('@')."""
LAST_ROW = 1048576
_LISTS = tuple(c.id for c in schema.COLUMNS if c.kind == schema.CHOICE)
"""The choice columns, in the order of their lists on the lists sheet (columns A, B, ...)."""
INTRO = [
    "HƯỚNG DẪN GHI SỔ ĐĂNG KÝ SÁNG KIẾN",
    f"Mỗi dòng của trang \"{DATA_SHEET}\" là một sáng kiến được đề nghị công nhận cấp thành phố. Dòng 1 là dòng "
    "tiêu đề: không đổi tên, không xóa. Chương trình đọc mọi trang đang hiện có dòng tiêu đề của sổ (trang ẩn "
    "không được đọc).",
    "Cột nền xanh là cột bắt buộc, cột nền xám có thể để trống. Một tệp có thể chứa nhiều năm; các cột thêm vào "
    "sau cột cuối được giữ nguyên và bỏ qua.",
    "Kiểm tra trước khi dựng báo cáo: python -m sangkien check TÊN_TỆP.xlsx",
    "",
]
"""The instructions sheet's first lines."""


def _letters() -> dict[str, str]:
    from openpyxl.utils import get_column_letter

    return {c.id: get_column_letter(i) for i, c in enumerate(schema.COLUMNS, start=1)}


def _number(limit: int | float) -> str:
    return str(int(limit)) if float(limit).is_integer() else str(limit)


def _rule(column: schema.Column, blocks: tuple[str, ...]) -> dict:
    """What the schema allows in the column, as DataValidation arguments (none for free text)."""
    if column.kind == schema.CHOICE:
        from openpyxl.utils import get_column_letter

        column_letter = get_column_letter(_LISTS.index(column.id) + 1)
        last = len(schema.choices(column, blocks)) + 1
        return dict(type="list", formula1=f"'{LISTS_SHEET}'!${column_letter}$2:${column_letter}${last}",
                    error=f"Chọn một giá trị trong danh sách (trang {LISTS_SHEET}).")
    if column.kind not in (schema.YEAR, schema.NUMBER) or (column.low, column.high) == (None, None):
        return {}
    limits = [_number(x) for x in (column.low, column.high) if x is not None]
    if column.low is None:
        operator = "lessThanOrEqual"
    else:
        operator = "between" if column.high is not None else "greaterThanOrEqual"
    return dict(type="whole" if column.kind == schema.YEAR else "decimal", operator=operator,
                formula1=limits[0], formula2=limits[1] if len(limits) > 1 else None,
                error=column.need[0].upper() + column.need[1:] + ".")


def _validations(blocks: tuple[str, ...]):
    """One DataValidation per column: drop-downs, number limits, and an input message for every column."""
    from openpyxl.worksheet.datavalidation import DataValidation

    letters = _letters()
    result = []
    for column in schema.COLUMNS:
        kwargs = _rule(column, blocks)
        validation = DataValidation(
            allow_blank=True, showInputMessage=True, promptTitle=column.label[:32], prompt=column.meaning[:255],
            showErrorMessage="error" in kwargs, errorTitle=column.label[:32] if "error" in kwargs else None, **kwargs)
        letter = letters[column.id]
        validation.add(f"{letter}2:{letter}{LAST_ROW}")
        result.append(validation)
    return result


def _meaning(column: schema.Column, blocks: tuple[str, ...]) -> str:
    if column.id == "khoi":
        return f"{column.meaning}; theo params/defaults.yaml: " + "; ".join(blocks)
    return column.meaning


def _data_sheet(workbook, blocks: tuple[str, ...], styles: dict) -> None:
    """The first sheet: the header row, column widths and formats, the validations; printed landscape."""
    from openpyxl.styles import Alignment

    letters = _letters()
    data = workbook.active
    data.title = DATA_SHEET
    data.append([c.label for c in schema.COLUMNS])
    for column in schema.COLUMNS:
        cell = data[f"{letters[column.id]}1"]
        cell.font = styles["bold"]
        cell.fill = styles["required"] if column.required else styles["optional"]
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        dimension = data.column_dimensions[letters[column.id]]
        dimension.width = WIDTHS.get(column.id, 16)
        dimension.number_format = NUMBER_FORMATS.get(column.id, "@")
    data.row_dimensions[1].height = 30
    data.freeze_panes = "A2"
    data.page_setup.orientation = "landscape"
    data.page_setup.paperSize = data.PAPERSIZE_A4
    data.print_title_rows = "1:1"
    for validation in _validations(blocks):
        data.add_data_validation(validation)


def _guide_sheet(workbook, blocks: tuple[str, ...], styles: dict) -> None:
    """The instructions: a few lines, then one line per column."""
    from openpyxl.styles import Alignment, Font

    guide = workbook.create_sheet(GUIDE_SHEET)
    for line in INTRO:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=13)
    guide.append(["Cột", "Mã cột", "Bắt buộc", "Ý nghĩa", "Ví dụ"])
    for cell in guide[len(INTRO) + 1]:
        cell.font = styles["bold"]
        cell.fill = styles["required"]
    for column in schema.COLUMNS:
        example = blocks[0] if column.id == "khoi" and blocks else column.example
        guide.append([column.label, column.id, "có" if column.required else "không", _meaning(column, blocks), example])
        row = guide.max_row
        for cell in guide[row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.id in NUMBER_FORMATS:
            guide.cell(row=row, column=5).number_format = NUMBER_FORMATS[column.id]
    for letter, width in zip("ABCDE", (18, 16, 10, 70, 42)):
        guide.column_dimensions[letter].width = width


def _lists_sheet(workbook, blocks: tuple[str, ...], styles: dict) -> None:
    """The values the drop-downs offer, one column per choice column."""
    lists = workbook.create_sheet(LISTS_SHEET)
    columns = [schema.BY_ID[cid] for cid in _LISTS]
    values = [schema.choices(c, blocks) for c in columns]
    lists.append([c.label for c in columns])
    for i in range(max(map(len, values))):
        lists.append([v[i] if i < len(v) else None for v in values])
    for cell in lists[1]:
        cell.font = styles["bold"]
    lists.column_dimensions["A"].width = 30
    lists.column_dimensions["B"].width = 20
    lists.append([])
    lists.append(["Danh sách khối lấy từ params/defaults.yaml; tạo lại mẫu bằng: make template"])


def build_workbook(blocks: tuple[str, ...] | None = None):
    """The template as an openpyxl Workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    blocks = default_blocks() if blocks is None else tuple(blocks)
    styles = {"bold": Font(bold=True), "required": PatternFill("solid", fgColor="FFD9E1F2"),
              "optional": PatternFill("solid", fgColor="FFEDEDED")}
    workbook = Workbook()
    workbook.properties.creator = "sangkien"
    workbook.properties.lastModifiedBy = "sangkien"
    workbook.properties.title = "Sổ đăng ký sáng kiến (mẫu)"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    _data_sheet(workbook, blocks, styles)
    _guide_sheet(workbook, blocks, styles)
    _lists_sheet(workbook, blocks, styles)
    workbook.active = 0
    return workbook


def template_bytes(blocks: tuple[str, ...] | None = None) -> bytes:
    """The template file's bytes (deterministic)."""
    buffer = io.BytesIO()
    build_workbook(blocks).save(buffer)
    return deterministic_zip(buffer.getvalue(), FIXED_TIME, entry_time=(1980, 1, 1, 0, 0, 0), compresslevel=9)


def write_template(path: str | Path | None = None, blocks: tuple[str, ...] | None = None) -> Path:
    """Write the template (atomically) to ``path`` (default data/template/so-dang-ky-mau.xlsx)."""
    path = Path(path) if path is not None else paths.REGISTER_TEMPLATE
    content = template_bytes(blocks)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, content)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sangkien.tools.template",
        description="Tạo mẫu sổ đăng ký sáng kiến (.xlsx) từ danh sách cột của chương trình.")
    parser.add_argument("--out", type=Path, default=None, help=f"tệp ghi ra (mặc định: {paths.REGISTER_TEMPLATE})")
    args = parser.parse_args(argv)
    try:
        path = write_template(args.out)
    except Exception as exc:  # every error is reported as the command line reports it: lines and a status
        lines, status = problems_of(exc)
        print("\n".join(lines), file=sys.stderr)
        return status
    print(f"{path}: đã tạo mẫu sổ đăng ký")
    return 0


if __name__ == "__main__":
    sys.exit(main())
