"""Excel's quirks named, never guessed (issue 10): error values and uncomputed formulas by row and column,
amounts typed as text by one rule, over-long cells, and CSV files as Excel writes them, diagnosed by their
bytes."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import BLOCKS
from officebooks import clean_rows, edit_cells, error_cell, office_workbook
from registers import write_register_file

from sangkien.errors import DataError
from sangkien.figures import frame as frame_of
from sangkien.inputs.cells import parse_amount, parse_number
from sangkien.inputs.register import read_register
from sangkien.inputs.workbook import NOT_COMPUTED, scan_quirks

ERRORS = ["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]


def problems_of(path) -> list[str]:
    with pytest.raises(DataError) as caught:
        read_register(path, BLOCKS)
    return caught.value.problems


@pytest.fixture
def workbook(tmp_path, write_register):
    """A clean register (.xlsx, header on row 1, amounts in I) whose cells a test rewrites as Excel saves them."""
    return write_register(clean_rows(), fmt="xlsx")


# --------------------------------------------------------------------------- error values, formulas

@pytest.mark.parametrize("error", ERRORS)
def test_an_error_value_in_an_amount_is_named_not_taken_as_empty(workbook, error):
    edit_cells(workbook, "xl/worksheets/sheet1.xml", {"I3": error_cell("I3", error)})
    assert problems_of(workbook) == [
        f'{workbook}: dòng 3, cột "Số tiền làm lợi": ô có lỗi công thức {error}; hãy sửa công thức (hoặc gõ giá trị) '
        "rồi lưu lại"]


def test_error_values_in_required_cells_are_named_not_empty(workbook):
    edit_cells(workbook, "xl/worksheets/sheet1.xml", {"E4": '<c r="E4" t="e"><f>VLOOKUP(A4,X!A:B,2,0)</f><v>#N/A</v></c>',
                                                     "A5": '<c r="A5" t="e"><v>#REF!</v></c>'})
    assert problems_of(workbook) == [
        f'{workbook}: dòng 4, cột "Đơn vị": ô có lỗi công thức #N/A; hãy sửa công thức (hoặc gõ giá trị) rồi lưu lại',
        f'{workbook}: dòng 5, cột "Mã số": ô có lỗi công thức #REF!; hãy sửa công thức (hoặc gõ giá trị) rồi lưu lại']


def test_a_formula_without_its_value_says_to_save_the_file_in_excel(tmp_path, write_register):
    rows = clean_rows()
    rows[2][8] = "=1500000*2"  # openpyxl writes a formula without computing it
    rows[3][9] = "=AVERAGE(70,80)"
    path = write_register(rows, fmt="xlsx")
    lines = problems_of(path)
    assert [line.split(": ô ")[0] for line in lines] == [
        f'{path}: dòng 4, cột "Số tiền làm lợi"', f'{path}: dòng 5, cột "Điểm"']
    assert all("công thức chưa được tính" in line and "mở tệp bằng Excel rồi lưu lại" in line for line in lines)


def test_a_formula_with_its_value_is_read(workbook):
    edit_cells(workbook, "xl/worksheets/sheet1.xml", {"I3": '<c r="I3"><f>1500000*2</f><v>3000000</v></c>'})
    assert read_register(workbook, BLOCKS).columns["so_tien_lam_loi"][1] == 3_000_000


def test_quirks_under_the_table_are_not_the_registers(tmp_path):
    path = office_workbook(tmp_path / "office.xlsx", {"Sổ": clean_rows()}, hidden_lists=False)
    # the =SUM of the totals row (row 20) was never computed, and its neighbour holds an error: left out
    edit_cells(path, "xl/worksheets/sheet2.xml", {"K20": error_cell("K20", "#DIV/0!")})
    assert len(read_register(path, BLOCKS)) == 12


def test_an_error_under_a_merged_cell_is_named_on_every_row(tmp_path):
    path = office_workbook(tmp_path / "office.xlsx", {"Sổ": clean_rows()}, hidden_lists=False)
    edit_cells(path, "xl/worksheets/sheet2.xml", {"E8": error_cell("E8", "#N/A")})  # merged over E8:E10
    lines = problems_of(path)
    assert [line.split(":")[1] for line in lines] == [" dòng 8, cột \"Đơn vị\"", " dòng 9, cột \"Đơn vị\"",
                                                     " dòng 10, cột \"Đơn vị\""]


def test_error_values_written_into_a_csv_are_named(write_register):
    rows = clean_rows()
    rows[1][8] = "#DIV/0!"
    rows[2][4] = "#N/A"
    path = write_register(rows)
    assert problems_of(path) == [
        f'{path}: dòng 3, cột "Số tiền làm lợi": ô có lỗi công thức #DIV/0!; hãy sửa công thức (hoặc gõ giá trị) '
        "rồi lưu lại",
        f'{path}: dòng 4, cột "Đơn vị": ô có lỗi công thức #N/A; hãy sửa công thức (hoặc gõ giá trị) rồi lưu lại']


def test_scan_quirks_reads_the_sheets_xml_as_writers_save_it():
    xml = (b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
           b'<x:row r="2"><x:c r="A2" s="1"/><x:c r="B2" t="e"><x:v>#NUM!</x:v></x:c>'
           b'<x:c r="C2"><x:f t="shared" si="0"/></x:c><x:c r="D2"><x:f>A1</x:f><x:v>4</x:v></x:c>'
           b'<x:c r="E2" t="str"><x:f>""</x:f><x:v></x:v></x:c><x:c r="AA2"><x:f>A1</x:f><x:v/></x:c></x:row>'
           b"</x:sheetData></x:worksheet>")
    assert scan_quirks(xml) == {(1, 1): "#NUM!", (1, 2): NOT_COMPUTED, (1, 26): NOT_COMPUTED}
    assert scan_quirks(b'<worksheet xmlns="x"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                       b"</sheetData></worksheet>") == {}


# --------------------------------------------------------------------------- invisible characters

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u00ad", "\u200e", "\u2060"])
def test_codes_that_differ_only_by_an_invisible_character_are_one_code(write_register, fmt, invisible):
    rows = clean_rows()
    rows[3][0] = rows[1][0] + invisible
    rows[5][4] = rows[4][4].replace(" ", "\u00a0" + invisible, 1)  # the same unit, with odd spaces
    path = write_register(rows, fmt=fmt)
    (line,) = problems_of(path)
    assert line.startswith(f'{path}: dòng 5, cột "Mã số", giá trị "SK-02": mã số trùng với dòng 3')


# --------------------------------------------------------------------------- amounts typed as text

@pytest.mark.parametrize("typed, amount", [
    ("1.500.000", 1_500_000), ("1 500 000", 1_500_000), ("1\u00a0500\u00a0000", 1_500_000),
    ("1.500.000 đ", 1_500_000), ("1.500.000đ", 1_500_000), ("1.500.000 đồng", 1_500_000),
    ("1.500.000 VNĐ", 1_500_000), ("1,5 tỷ", 1_500_000_000), ("1,5 triệu", 1_500_000),
    ("1,5 triệu đồng", 1_500_000), ("2 tỉ", 2_000_000_000), ("250 nghìn đồng", 250_000),
    ("1.500.000,5", 1_500_000.5), ("12,5", 12.5), ("1500000", 1_500_000),
])
def test_amounts_typed_as_text(write_register, typed, amount):
    rows = clean_rows()
    rows[0][8] = typed
    register = read_register(write_register(rows), BLOCKS)
    assert register.columns["so_tien_lam_loi"][0] == amount
    assert parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["89,000", "1,500", "53,000,000", "1,500,000.50", "1,500 tỷ"])
def test_a_comma_that_may_group_thousands_is_refused(typed):
    with pytest.raises(ValueError):
        parse_number(typed.split()[0])
    with pytest.raises(ValueError):
        parse_amount(typed)


# --------------------------------------------------------------------------- CSV files as Excel writes them

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_text_utf16_tab_separated_is_read(tmp_path, write_register, encoding):
    path = write_register_file(tmp_path / "unicode-text.csv", clean_rows(), delimiter="\t", encoding=encoding,
                               bom=encoding != "utf-16")  # the utf-16 codec writes its byte order mark itself
    reference = frame_of(read_register(write_register(clean_rows(), fmt="xlsx"), BLOCKS))
    pd.testing.assert_frame_equal(frame_of(read_register(path, BLOCKS)), reference)


@pytest.mark.parametrize("delimiter", ["\t", ";", ","])
def test_a_sep_line_names_the_separator_and_excel_hides_it(tmp_path, delimiter):
    rows = clean_rows()
    rows[1][2] = "Tên, có dấu phẩy; và chấm phẩy"
    path = write_register_file(tmp_path / "sep.csv", rows, delimiter=delimiter)
    path.write_bytes(f"sep={delimiter}\r\n".encode() + path.read_bytes())
    register = read_register(path, BLOCKS)
    assert register.columns["ten_sang_kien"][1] == "Tên, có dấu phẩy; và chấm phẩy"
    assert register.columns["row"][:2] == [2, 3]  # the header is row 1, as Excel shows the file


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_tab_and_semicolon_separators(tmp_path, delimiter):
    rows = clean_rows()
    rows[0][5] = "Quận, huyện, sở, ngành"
    path = write_register_file(tmp_path / "so.csv", rows, delimiter=delimiter, bom=True)
    assert read_register(path, BLOCKS).columns["khoi"][0] == "Quận, huyện, sở, ngành"


@pytest.mark.parametrize("suffix, start", [(".xlsx", b"PK\x03\x04"), (".xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")])
def test_a_workbook_renamed_csv_is_named_as_one(tmp_path, suffix, start):
    path = tmp_path / "so.csv"
    path.write_bytes(start + bytes(range(256)) * 4)
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: đây là tệp Excel bị đổi tên thành .csv")
    assert suffix in line and "TCVN3" not in line and "VNI" not in line


def test_utf16_without_a_bom_is_not_called_a_legacy_encoding(tmp_path):
    path = write_register_file(tmp_path / "so.csv", clean_rows(), delimiter="\t", encoding="utf-16-le")
    (line,) = problems_of(path)
    assert "UTF-16" in line and "TCVN3" not in line and "VNI" not in line


def test_an_over_long_cell_is_named_by_row_and_column(write_register):
    rows = clean_rows()
    rows[4][2] = "x" * 1_048_576  # 1 MB in one cell
    path = write_register(rows)
    assert problems_of(path) == [
        f"{path}: dòng 6, cột C: ô dài 1.048.576 ký tự, quá giới hạn 32.767 ký tự một ô của Excel; có thể một dấu "
        'ngoặc kép (") mở mà không đóng']


def test_a_quote_left_open_is_named_by_its_row(tmp_path):
    rows = [row for row in clean_rows() if "," not in row[5]] * 400  # no other quote in the file
    path = write_register_file(tmp_path / "so.csv", [[f"SK-{i}"] + row[1:] for i, row in enumerate(rows)])
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    lines[3] = lines[3].replace(",Giải pháp", ',"Giải pháp', 1)  # the quote is never closed: the rest is one cell
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: dòng 4, cột C: ô dài ")
