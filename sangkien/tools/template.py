"""The register template ``data/template/so-dang-ky-mau.xlsx``, generated from :mod:`sangkien.schema`
(the columns the validator reads) and the blocks of ``params/defaults.yaml``, so the two cannot drift.

``python -m sangkien.template [--out FILE]`` (``make template``) writes it. The bytes are the same on
every run: fixed workbook dates, fixed ZIP entry dates.

Sheets: "Sổ đăng ký" (first: the validator reads the first sheet) with the header row only, drop-down
lists for Khối and Kết quả, number formats and limits for the numbers; "Hướng dẫn", one line per
column; "Danh mục", the lists the drop-downs read.
"""
from __future__ import annotations

import argparse
import datetime
import io
import os
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from sangkien import paths
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


def _letters() -> dict[str, str]:
    from openpyxl.utils import get_column_letter

    return {c.id: get_column_letter(i) for i, c in enumerate(schema.COLUMNS, start=1)}


def _validations(blocks: tuple[str, ...]):
    """One DataValidation per column: drop-downs, number limits, and an input message for every column."""
    from openpyxl.worksheet.datavalidation import DataValidation

    letters = _letters()
    lists = {
        "khoi": f"'{LISTS_SHEET}'!$A$2:$A${len(blocks) + 1}",
        "ket_qua": f"'{LISTS_SHEET}'!$B$2:$B${len(schema.RESULTS) + 1}",
    }
    result = []
    for column in schema.COLUMNS:
        kwargs = {}
        if column.id in lists:
            kwargs = dict(type="list", formula1=lists[column.id],
                          error=f"Chọn một giá trị trong danh sách (trang {LISTS_SHEET}).")
        elif column.id == "nam":
            kwargs = dict(type="whole", operator="between", formula1="2000", formula2="2100",
                          error="Năm là một số nguyên, ví dụ 2024.")
        elif column.id == "so_tien_lam_loi":
            kwargs = dict(type="decimal", operator="greaterThanOrEqual", formula1="0",
                          error="Số tiền làm lợi là một số không âm (đồng); để trống nếu không báo cáo.")
        elif column.id == "diem":
            kwargs = dict(type="decimal", operator="between", formula1="0", formula2="100",
                          error="Điểm là một số từ 0 đến 100.")
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


def build_workbook(blocks: tuple[str, ...] | None = None):
    """The template as an openpyxl Workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    blocks = default_blocks() if blocks is None else tuple(blocks)
    letters = _letters()
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFD9E1F2")
    optional_fill = PatternFill("solid", fgColor="FFEDEDED")
    wrap = Alignment(wrap_text=True, vertical="top")

    workbook = Workbook()
    workbook.properties.creator = "sangkien"
    workbook.properties.lastModifiedBy = "sangkien"
    workbook.properties.title = "Sổ đăng ký sáng kiến (mẫu)"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME

    data = workbook.active
    data.title = DATA_SHEET
    data.append([c.label for c in schema.COLUMNS])
    for column in schema.COLUMNS:
        cell = data[f"{letters[column.id]}1"]
        cell.font = bold
        cell.fill = required_fill if column.required else optional_fill
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

    guide = workbook.create_sheet(GUIDE_SHEET)
    intro = [
        "HƯỚNG DẪN GHI SỔ ĐĂNG KÝ SÁNG KIẾN",
        f"Mỗi dòng của trang \"{DATA_SHEET}\" là một sáng kiến được đề nghị công nhận cấp thành phố. Dòng 1 là dòng "
        "tiêu đề: không đổi tên, không xóa. Giữ trang này là trang đầu tiên của tệp (chương trình chỉ đọc trang đầu).",
        "Cột nền xanh là cột bắt buộc, cột nền xám có thể để trống. Một tệp có thể chứa nhiều năm; các cột thêm vào "
        "sau cột cuối được giữ nguyên và bỏ qua.",
        "Kiểm tra trước khi dựng báo cáo: python -m sangkien check TÊN_TỆP.xlsx",
        "",
    ]
    for line in intro:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=13)
    header_row = len(intro) + 1
    guide.append(["Cột", "Mã cột", "Bắt buộc", "Ý nghĩa", "Ví dụ"])
    for cell in guide[header_row]:
        cell.font = bold
        cell.fill = required_fill
    for column in schema.COLUMNS:
        example = blocks[0] if column.id == "khoi" and blocks else column.example
        guide.append([column.label, column.id, "có" if column.required else "không", _meaning(column, blocks), example])
        row = guide.max_row
        for cell in guide[row]:
            cell.alignment = wrap
        if column.id in NUMBER_FORMATS:
            guide.cell(row=row, column=5).number_format = NUMBER_FORMATS[column.id]
    for letter, width in zip("ABCDE", (18, 16, 10, 70, 42)):
        guide.column_dimensions[letter].width = width

    lists = workbook.create_sheet(LISTS_SHEET)
    lists.append(["Khối", "Kết quả"])
    for i in range(max(len(blocks), len(schema.RESULTS))):
        lists.append([blocks[i] if i < len(blocks) else None,
                      schema.RESULTS[i] if i < len(schema.RESULTS) else None])
    for cell in lists[1]:
        cell.font = bold
    lists.column_dimensions["A"].width = 30
    lists.column_dimensions["B"].width = 20
    lists.append([])
    lists.append(["Danh sách khối lấy từ params/defaults.yaml; tạo lại mẫu bằng: make template"])

    workbook.active = 0
    return workbook


_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _repack(raw: bytes) -> bytes:
    """The same ZIP with fixed entry dates and fixed workbook dates (openpyxl stamps 'modified' on save)."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content, compresslevel=9)
    return out.getvalue()


def template_bytes(blocks: tuple[str, ...] | None = None) -> bytes:
    """The template file's bytes (deterministic)."""
    buffer = io.BytesIO()
    build_workbook(blocks).save(buffer)
    return _repack(buffer.getvalue())


def write_template(path: str | Path | None = None, blocks: tuple[str, ...] | None = None) -> Path:
    """Write the template (atomically) to ``path`` (default data/template/so-dang-ky-mau.xlsx)."""
    path = Path(path) if path is not None else paths.REGISTER_TEMPLATE
    content = template_bytes(blocks)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sangkien.template",
        description="Tạo mẫu sổ đăng ký sáng kiến (.xlsx) từ danh sách cột của chương trình.")
    parser.add_argument("--out", type=Path, default=None, help=f"tệp ghi ra (mặc định: {paths.REGISTER_TEMPLATE})")
    args = parser.parse_args(argv)
    from sangkien.errors import SangkienError

    try:
        path = write_template(args.out)
    except SangkienError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return exc.exit_status
    print(f"{path}: đã tạo mẫu sổ đăng ký")
    return 0


if __name__ == "__main__":
    sys.exit(main())
