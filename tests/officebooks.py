"""Registers shaped as offices keep them, made in code (issue 10): a title block of merged rows above the
header, an STT column and a row numbering the columns, the unit merged down over its initiatives, a
"Tổng cộng" row with =SUM, the signature lines under the table, one sheet per block, a hidden sheet of
drop-down choices, amounts in millions; and Excel's quirks written as Excel saves them (error values,
``t="e"``) by editing the saved package.

``from officebooks import office_workbook, clean_rows, ...`` (``tests/`` is on the path); the same rows as one
clean register (the header on row 1, nothing else) are ``registers.write_register_file(path, clean_rows())``.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from conftest import EDU, HEADER, OTHER

OFFICE_HEADER = ["STT", "Mã số", "Tên sáng kiến/giải pháp", "Tác giả", "Đơn vị", "Khối", "Lĩnh vực áp dụng",
                 "Kết quả", "Năm", "Số tiền làm lợi (triệu đồng)", "Điểm (thang 100)"]
"""A header as an office writes it: another order, an STT column, a unit in brackets, longer names."""
TITLE = [["UBND THÀNH PHỐ HẢI PHÒNG", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
         ["SỞ KHOA HỌC VÀ CÔNG NGHỆ", None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
         [],
         ["DANH SÁCH SÁNG KIẾN ĐỀ NGHỊ CÔNG NHẬN NĂM 2023"],
         ["(Kèm theo Tờ trình số 12/TTr-SKHCN ngày 05/01/2024 của Sở Khoa học và Công nghệ)"]]
SIGNATURE = [[], [None, None, None, None, None, None, None, "Hải Phòng, ngày 05 tháng 01 năm 2024"],
             [None, "NGƯỜI LẬP BIỂU", None, None, None, None, None, "KT. GIÁM ĐỐC"],
             [None, None, None, None, None, None, None, "PHÓ GIÁM ĐỐC"], [], [],
             [None, "Nguyễn Thị Lan", None, None, None, None, None, "Trần Văn Hùng"]]


def clean_rows() -> list[list]:
    """Twelve initiatives in the register's own layout (HEADER order), over two blocks and 2022-2023."""
    units = [("Sở Y tế", OTHER), ("Trường THPT Ngô Quyền", EDU), ("Sở Tài chính", OTHER),
             ("Trường THCS Trần Phú", EDU)]
    results = ["Công nhận", "Không công nhận", "Công nhận", "Đang xét"]
    rows = []
    for i in range(12):
        unit, block = units[i // 3]
        amount = None if i % 4 == 3 else (i + 1) * 1_500_000
        rows.append([f"SK-{i + 1:02d}", 2023 if i % 5 else 2022, f"Giải pháp số {i + 1}", f"Tác giả {i + 1}; Đồng tác giả",
                     unit, block, "Y tế" if block == OTHER else "Giáo dục", results[i % 4], amount, 70 + i])
    return rows


def office_row(number: int, row: list) -> list:
    """A clean row in OFFICE_HEADER's order: STT first, the amount in millions."""
    values = dict(zip(HEADER, row))
    amount = values["Số tiền làm lợi"]
    return [number, values["Mã số"], values["Tên sáng kiến"], values["Tác giả"], values["Đơn vị"], values["Khối"],
            values["Lĩnh vực"], values["Kết quả"], values["Năm"], None if amount is None else amount / 1e6,
            values["Điểm"]]


def _office_sheet(sheet, rows: list[list], numbering: bool = True) -> None:
    """One office table: title block, header (row 6), numbering row, rows with each unit merged down over
    its consecutive rows, a totals row with =SUM, the signature lines."""
    for line in TITLE:
        sheet.append(line)
    sheet.merge_cells("A1:E1")
    sheet.merge_cells("F1:K1")
    sheet.merge_cells("A4:K4")
    sheet.merge_cells("A5:K5")
    sheet.append(OFFICE_HEADER)
    if numbering:
        sheet.append([f"({i})" for i in range(1, len(OFFICE_HEADER) + 1)])
    first = sheet.max_row + 1
    for number, row in enumerate(rows, start=1):
        values = office_row(number, row)
        if number > 1 and values[4] == rows[number - 2][4]:
            values[4] = None  # the unit is written once, merged down
        sheet.append(values)
    _merge_units(sheet, first, rows)
    last = sheet.max_row
    sheet.append(["Tổng cộng", None, None, None, None, None, None, None, None, f"=SUM(J{first}:J{last})"])
    sheet.merge_cells(f"A{last + 1}:I{last + 1}")
    for line in SIGNATURE:
        sheet.append(line)


def _merge_units(sheet, first: int, rows: list[list]) -> None:
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i][4] != rows[start][4]:
            if i - start > 1:
                sheet.merge_cells(f"E{first + start}:E{first + i - 1}")
            start = i


def office_workbook(path: Path, sheets: dict[str, list[list]], hidden_lists: bool = True,
                    numbering: bool = True) -> Path:
    """A workbook with one office table per sheet (sheet name -> clean rows) and, first, a hidden sheet of
    drop-down choices."""
    from openpyxl import Workbook

    workbook = Workbook()
    lists = workbook.active
    lists.title = "DM"
    for row in [["Khối", "Kết quả"], [EDU, "Công nhận"], [OTHER, "Không công nhận"], [None, "Đang xét"]]:
        lists.append(row)
    if hidden_lists:
        lists.sheet_state = "hidden"
    for name, rows in sheets.items():
        _office_sheet(workbook.create_sheet(name), rows, numbering=numbering)
    if hidden_lists:
        workbook.active = 1
    workbook.save(path)
    return path


def edit_cells(path: Path, sheet_part: str, cells: dict[str, str]) -> Path:
    """Rewrite cells of a saved workbook as Excel writes them: ``{"J9": '<c r="J9" t="e"><v>#DIV/0!</v></c>'}``
    (the cell's whole XML) in ``xl/worksheets/sheetN.xml``."""
    data = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == sheet_part:
                text = content.decode("utf-8")
                for ref, xml in cells.items():
                    cell = re.compile(rf'<c r="{ref}"(?: [^>]*)?(?:/>|>.*?</c>)')
                    if cell.search(text):
                        text = cell.sub(xml, text, count=1)
                    else:  # an empty cell openpyxl did not write: add it to its row
                        row = re.search(r"\d+", ref)[0]
                        text = re.sub(rf'(<row r="{row}"[^>]*>)(.*?)(</row>)', lambda m, x=xml: m[1] + m[2] + x + m[3],
                                      text, count=1, flags=re.S)
                content = text.encode("utf-8")
            target.writestr(info, content)
    path.write_bytes(out.getvalue())
    return path


def error_cell(ref: str, error: str) -> str:
    """A cell holding an error value, as Excel saves it (a formula that failed, and its value)."""
    return f'<c r="{ref}" t="e"><f>1/0</f><v>{error}</v></c>'
