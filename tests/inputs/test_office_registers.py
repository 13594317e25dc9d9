"""Registers as offices keep them (issue 10, contract section 2): each shape read with the figures of the same
data laid out cleanly, and what was read and left out said; what cannot be read refused with the reason."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import BLOCKS, EDU, HEADER, OTHER
from officebooks import OFFICE_HEADER, clean_rows, office_row, office_workbook
from registers import write_register_file

from sangkien.errors import DataError
from sangkien.figures import frame as frame_of
from sangkien.figures import manifest_figures
from sangkien.inputs.register import read_register


def figures(path, year=2023) -> dict:
    return manifest_figures(frame_of(read_register(path, BLOCKS)), year, 2016, BLOCKS)


def problems_of(path) -> list[str]:
    with pytest.raises(DataError) as caught:
        read_register(path, BLOCKS)
    return caught.value.problems


def comparable(path) -> pd.DataFrame:
    """The register's frame without Excel's row numbers, by code."""
    frame = frame_of(read_register(path, BLOCKS)).drop(columns="row")
    return frame.sort_values("ma_so").reset_index(drop=True)


@pytest.fixture
def clean(tmp_path):
    return write_register_file(tmp_path / "clean.xlsx", clean_rows())


def by_block(rows: list[list]) -> dict[str, list[list]]:
    return {"Giáo dục": [r for r in rows if r[5] == EDU], "Quận huyện": [r for r in rows if r[5] == OTHER]}


# --------------------------------------------------------------------------- shapes read as they are

def test_an_office_workbook_gives_the_figures_of_the_clean_register(tmp_path, clean):
    # title block, STT, a row numbering the columns, units merged down, =SUM totals, signature lines, one
    # sheet per block, a hidden first sheet of choices, amounts in millions
    office = office_workbook(tmp_path / "office.xlsx", by_block(clean_rows()))
    assert figures(office) == figures(clean)
    pd.testing.assert_frame_equal(comparable(office), comparable(clean))
    reading = read_register(office, BLOCKS).reading
    assert reading[0].startswith('đã đọc trang "Giáo dục" (tiêu đề ở dòng 6, 6 dòng, 2 ô gộp chia cho từng dòng), '
                                 'trang "Quận huyện" (tiêu đề ở dòng 6, 6 dòng')
    assert reading[0].endswith('không đọc trang "DM" (trang ẩn)')
    assert reading[1].startswith('bỏ qua trang "Giáo dục": dòng 7 (đánh số cột: "(1)", "(2)"), '
                                 'dòng 14 (dòng tổng cộng: "Tổng cộng"), dòng 16–21 (dưới bảng: ')
    assert '"NGƯỜI LẬP BIỂU"' in reading[1] and "Nguyễn Thị Lan" not in reading[1]  # the first rows shown
    assert '"Số tiền làm lợi (triệu đồng)": số tiền nhân 1.000.000 thành đồng' in reading[2]
    assert '"Tên sáng kiến/giải pháp" đọc là "Tên sáng kiến"' in reading[2]


def test_rows_keep_the_numbers_excel_shows(tmp_path):
    rows = clean_rows()
    office = office_workbook(tmp_path / "office.xlsx", {"Sổ": rows})
    register = read_register(office, BLOCKS)
    assert register.columns["row"] == list(range(8, 8 + len(rows)))  # header on 6, numbering on 7


def test_a_unit_merged_down_is_every_rows_unit(tmp_path):
    rows = clean_rows()
    register = read_register(office_workbook(tmp_path / "office.xlsx", {"Sổ": rows}), BLOCKS)
    assert register.columns["don_vi"] == [r[4] for r in rows]


def test_problems_in_a_workbook_of_several_sheets_name_the_sheet(tmp_path):
    sheets = by_block(clean_rows())
    sheets["Quận huyện"][3][0] = sheets["Giáo dục"][1][0]  # the same code on two sheets
    sheets["Quận huyện"][4][5] = "Khối lạ"
    office = office_workbook(tmp_path / "office.xlsx", sheets)
    assert problems_of(office) == [
        f'{office}: trang "Quận huyện", dòng 11, cột "Mã số", giá trị "SK-05": mã số trùng với trang "Giáo dục", '
        "dòng 9; mỗi sáng kiến cần một mã số riêng",
        f'{office}: trang "Quận huyện", dòng 12, cột "Khối", giá trị "Khối lạ": khối không có trong tham số; '
        f'cần một trong: "{EDU}"; "{OTHER}"',
    ]


def test_a_hidden_sheet_is_never_read(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    old = workbook.active
    old.title = "Năm trước"
    old.append(HEADER)
    old.append(clean_rows()[0])  # a register's header and a row: hidden, so not read
    old.sheet_state = "hidden"
    current = workbook.create_sheet("Năm nay")
    current.append(HEADER)
    for row in clean_rows()[1:]:
        current.append(row)
    workbook.active = 1
    workbook.save(tmp_path / "so.xlsx")
    register = read_register(tmp_path / "so.xlsx", BLOCKS)
    assert len(register) == 11
    assert register.reading == ['đã đọc trang "Năm nay" (tiêu đề ở dòng 1, 11 dòng); không đọc trang "Năm trước" '
                                "(trang ẩn)"]


def test_no_sheet_with_a_header_is_one_line_saying_what_each_holds(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Bìa"
    workbook.active.append(["BÁO CÁO SÁNG KIẾN NĂM 2023"])
    notes = workbook.create_sheet("Ghi chú")
    notes.append([])
    notes.append(["Số liệu", "gửi sau"])
    workbook.create_sheet("Trống")
    hidden = workbook.create_sheet("Sổ cũ")
    hidden.append(HEADER)  # a register's header, on a hidden sheet: never read
    hidden.sheet_state = "hidden"
    workbook.save(tmp_path / "so.xlsx")
    (line,) = problems_of(tmp_path / "so.xlsx")
    assert line.startswith(f"{tmp_path / 'so.xlsx'}: không tìm thấy dòng tiêu đề của sổ đăng ký (các cột \"Mã số\", ")
    assert line.endswith('trong 30 dòng đầu của trang nào; trang "Bìa" — dòng 1: "BÁO CÁO SÁNG KIẾN NĂM 2023" | '
                         'trang "Ghi chú" — dòng 2: "Số liệu", "gửi sau" | trang "Trống" — trống | '
                         'trang "Sổ cũ" — trang ẩn, không đọc')


def test_a_header_of_two_rows(tmp_path):
    second = [None] * 9 + ["Số tiền làm lợi (đồng)", "Điểm"]
    numbered = [[number] + row for number, row in enumerate(clean_rows(), start=1)]
    path = write_register_file(tmp_path / "so.xlsx", [second] + numbered, ["STT"] + HEADER[:8] + ["Hiệu quả", None])
    register = read_register(path, BLOCKS)
    assert register.columns["so_tien_lam_loi"][0] == clean_rows()[0][8]
    assert register.reading[0] == 'đã đọc trang "Sheet" (tiêu đề ở dòng 1–2, 12 dòng)'


def test_a_groups_heading_inside_the_table_is_left_out_and_said(write_register):
    rows = clean_rows()
    table = [["A. KHỐI GIÁO DỤC"] + [None] * 9] + rows[:6] + [[None, None, "B. KHỐI KHÁC"] + [None] * 7] + rows[6:]
    register = read_register(write_register(table, fmt="xlsx"), BLOCKS)
    assert len(register) == 12
    assert register.reading[-1] == 'bỏ qua dòng 2 (dưới tiêu đề: "A. KHỐI GIÁO DỤC"), dòng 9 (tiêu đề nhóm: "B. KHỐI KHÁC")'


def test_a_row_half_typed_inside_the_table_is_still_an_initiative(write_register):
    rows = clean_rows()
    half = ["SK-99", 2023, "Giải pháp dở dang"] + [None] * 7
    path = write_register(rows[:6] + [half] + rows[6:], fmt="xlsx")
    lines = problems_of(path)
    assert len(lines) == 5 and all(f"{path}: dòng 8, cột " in line and ": ô trống;" in line for line in lines)


def test_a_csv_with_its_header_under_a_title(write_register):
    rows = clean_rows()
    path = write_register([["DANH SÁCH SÁNG KIẾN NĂM 2023"], [], HEADER] + rows + [[], ["NGƯỜI LẬP BIỂU"]],
                          header=[])
    register = read_register(path, BLOCKS)
    assert len(register) == 12 and register.columns["row"][0] == 4
    assert register.reading == [
        "đã đọc bảng (tiêu đề ở dòng 3, 12 dòng)", 'bỏ qua dòng 17 (dưới bảng: "NGƯỜI LẬP BIỂU")']


# --------------------------------------------------------------------------- headers

@pytest.mark.parametrize("unit, factor", [("đồng", 1), ("VNĐ", 1), ("nghìn đồng", 1e3), ("triệu đồng", 1e6),
                                          ("tỷ đồng", 1e9), ("Triệu Đồng", 1e6)])
def test_an_amounts_header_gives_its_unit(write_register, unit, factor):
    header = HEADER[:8] + [f"Số tiền làm lợi ({unit})", "Điểm (thang 100)"]
    row = clean_rows()[0][:8] + [1.5, 80]
    register = read_register(write_register([row], header=header, fmt="xlsx"), BLOCKS)
    assert register.columns["so_tien_lam_loi"] == [1.5 * factor]


def test_an_amount_typed_with_its_unit_keeps_it_under_any_header(write_register):
    header = HEADER[:8] + ["Số tiền làm lợi (triệu đồng)"]
    rows = [clean_rows()[0][:8] + ["1,5 tỷ"]] + [[f"SK-{i}"] + clean_rows()[0][1:8] + [v]
                                                 for i, v in ((2, "250.000 đ"), (3, "2,5"))]
    register = read_register(write_register(rows, header=header), BLOCKS)
    assert register.columns["so_tien_lam_loi"] == [1.5e9, 250_000, 2.5e6]


@pytest.mark.parametrize("header, reason", [
    ("Số tiền làm lợi (USD)", 'không đọc được đơn vị "(USD)"; cần một trong: (đồng), (nghìn đồng), (triệu đồng), '
                              "(tỷ đồng)"),
    ("Điểm (thang 10)", 'không đọc được đơn vị "(thang 10)"; cần một trong: (thang 100)'),
])
def test_a_unit_that_cannot_be_read_is_refused(write_register, header, reason):
    path = write_register([clean_rows()[0][:8] + [5]], header=HEADER[:8] + [header], fmt="xlsx")
    assert problems_of(path) == [f'{path}: dòng 1: cột "{header}": {reason}']


def test_headers_that_resemble_a_column_are_used_and_said(write_register):
    header = ["STT", "Mã sáng kiến", "Năm", "Tên sáng kến", "Tác giả (họ và tên)", "Đơn vị công tác", "Khối",
              "Lĩnh vực áp dụng", "Kết quả xét", "Số tiền làm lợi", "Năm sinh tác giả"]
    row = [1] + clean_rows()[0][:9] + [1980]
    register = read_register(write_register([row], header=header, fmt="xlsx"), BLOCKS)
    assert register.columns["don_vi"] == ["Sở Y tế"] and register.columns["nam"] == [2022]
    (notes,) = [line for line in register.reading if line.startswith("cột: ")]
    for said in ('"Tên sáng kến" đọc là "Tên sáng kiến" (viết gần giống)',
                 '"Tác giả (họ và tên)" đọc là "Tác giả" (phần trong ngoặc "(họ và tên)" là ghi chú)',
                 '"Đơn vị công tác" đọc là "Đơn vị" (có tên cột trong đó)',
                 '"Kết quả xét" đọc là "Kết quả"', 'bỏ qua "Năm sinh tác giả" (đã có cột "Năm")'):
        assert said in notes


def test_headers_that_resemble_a_column_twice_are_refused(write_register):
    row = clean_rows()[0]
    header = HEADER[:4] + ["Đơn vị công tác", "Đơn vị chủ quản"] + HEADER[5:]
    path = write_register([row[:5] + ["Sở Nội vụ"] + row[5:]], header=header)
    assert problems_of(path) == [
        f'{path}: dòng 1: các cột "Đơn vị công tác" và "Đơn vị chủ quản" đều giống cột "Đơn vị"; hãy đặt tên cột cần '
        'đọc là "Đơn vị"']


def test_a_header_that_resembles_two_free_columns_is_refused(write_register):
    header = [h for h in HEADER if h not in ("Năm", "Kết quả")] + ["Kết quả / Năm"]
    path = write_register([["SK-1", "Tên", "A", "Sở Y tế", OTHER, "Y tế", 5, 80, "Công nhận 2023"]], header=header)
    assert problems_of(path) == [
        f'{path}: dòng 1: cột "Kết quả / Năm" giống cả cột "Năm" và "Kết quả"; hãy đặt lại tên cột đúng tên một cột '
        "của sổ"]


@pytest.mark.parametrize("spelled", ["\ufeffMã số", "Mã\u200b số", "Mã\u00a0số", " Mã số\u200e"])
def test_a_header_with_invisible_characters_is_recognised(write_register, spelled):
    header = [spelled] + HEADER[1:]
    register = read_register(write_register(clean_rows(), header=header), BLOCKS)
    assert register.columns["ma_so"][0] == "SK-01"


def test_the_office_header_is_read_whatever_its_order(tmp_path):
    office = [office_row(number, row) for number, row in enumerate(clean_rows(), start=1)]
    path = write_register_file(tmp_path / "so.xlsx", office, OFFICE_HEADER)
    assert figures(path) == figures(write_register_file(tmp_path / "clean.xlsx", clean_rows()))


def test_a_summary_sheet_beside_the_register_is_not_read(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    register = workbook.active
    register.title = "Sổ"
    register.append(HEADER)
    for row in clean_rows():
        register.append(row)
    summary = workbook.create_sheet("Tổng hợp")
    summary.append(["STT", "Đơn vị", "Khối", "Số sáng kiến", "Số tiền làm lợi (đồng)"])
    summary.append([1, "Sở Y tế", OTHER, 3, 9_000_000])
    workbook.save(tmp_path / "so.xlsx")
    assert read_register(tmp_path / "so.xlsx", BLOCKS).reading == [
        'đã đọc trang "Sổ" (tiêu đề ở dòng 1, 12 dòng); không đọc trang "Tổng hợp" (không có dòng tiêu đề của sổ)']


def test_a_second_sheet_like_a_register_but_short_of_columns_is_named(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Sổ"
    workbook.active.append(HEADER)
    workbook.active.append(clean_rows()[0])
    listing = workbook.create_sheet("Công nhận")
    listing.append(["STT", "Mã số", "Tên sáng kiến", "Tác giả", "Đơn vị"])
    workbook.save(tmp_path / "so.xlsx")
    lines = problems_of(tmp_path / "so.xlsx")
    assert lines[0] == f'{tmp_path / "so.xlsx"}: trang "Công nhận", dòng 1: thiếu cột bắt buộc "Năm" (hoặc "nam")'
    assert lines[-1].startswith(f'{tmp_path / "so.xlsx"}: trang "Công nhận", dòng 1: nếu trang này không phải sổ '
                                "đăng ký (ví dụ một bảng tổng hợp), hãy ẩn trang")


@pytest.mark.parametrize("header, factor", [("Số tiền làm lợi dự kiến (triệu đồng)", 1e6),
                                            ("Tổng số tiền làm lợi, triệu đồng", 1e6),
                                            ("Tổng số tiền làm lợi (nghìn đ)", 1e3), ("Số tiền làm lợi dự kiến", 1)])
def test_a_resembling_amounts_header_keeps_its_unit(write_register, header, factor):
    register = read_register(write_register([clean_rows()[0][:8] + [2]], header=HEADER[:8] + [header]), BLOCKS)
    assert register.columns["so_tien_lam_loi"] == [2 * factor]
    (notes,) = [line for line in register.reading if line.startswith("cột: ")]
    assert notes.startswith(f'cột: "{header}" đọc là "Số tiền làm lợi" (có tên cột trong đó)')
    assert ("số tiền nhân" in notes) == (factor != 1)


@pytest.mark.parametrize("line, factor", [("ĐVT: triệu đồng", 1e6), ("Đơn vị tính: nghìn đồng", 1e3),
                                          ("Đơn vị tính: đồng", 1)])
def test_a_unit_said_above_the_table(write_register, line, factor):
    rows = [["DANH SÁCH SÁNG KIẾN"], [None] * 7 + [line], HEADER] + [clean_rows()[0][:8] + [2.5, 80]]
    register = read_register(write_register(rows, header=[], fmt="xlsx"), BLOCKS)
    assert register.columns["so_tien_lam_loi"] == [2.5 * factor]
    assert any(f'theo "{line}" ở dòng 2' in note for note in register.reading) == (factor != 1)


def test_a_unit_in_the_header_wins_over_the_one_above(write_register):
    rows = [["ĐVT: triệu đồng"], HEADER[:8] + ["Số tiền làm lợi (đồng)"], clean_rows()[0][:8] + [2_500_000]]
    assert read_register(write_register(rows, header=[], fmt="xlsx"), BLOCKS).columns["so_tien_lam_loi"] == [2.5e6]


def test_a_unit_above_the_table_that_cannot_be_read_is_refused(write_register):
    path = write_register([["ĐVT: triệu USD"], HEADER, clean_rows()[0]], header=[], fmt="xlsx")
    (line,) = problems_of(path)
    assert line.startswith(f'{path}: dòng 1: "ĐVT: triệu USD": không đọc được đơn vị')


def test_a_header_of_two_rows_under_a_group(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["STT", "Mã số", "Năm", "Tên sáng kiến", "Tác giả", None, "Khối", "Lĩnh vực", "Kết quả"])
    sheet.append([None, None, None, None, "Họ và tên", "Đơn vị công tác"])
    sheet.merge_cells("E1:F1")
    for number, row in enumerate(clean_rows(), start=1):
        sheet.append([number] + row[:8])
    workbook.save(tmp_path / "so.xlsx")
    register = read_register(tmp_path / "so.xlsx", BLOCKS)
    assert register.columns["don_vi"] == [r[4] for r in clean_rows()]
    assert register.reading[0] == 'đã đọc trang "Sheet" (tiêu đề ở dòng 1–2, 12 dòng)'
    assert '"Đơn vị công tác" đọc là "Đơn vị"' in register.reading[1]
