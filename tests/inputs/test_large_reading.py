"""Reading a large register compactly (issue 14, national registers): a workbook a row at a time and a
UTF-8 CSV file as it decodes, each distinct cell made once, give exactly what reading whole gives."""
from __future__ import annotations

import pytest
from conftest import BLOCKS
from openpyxl import Workbook
from registers import write_register_file

from sangkien.errors import DataError
from sangkien.inputs import reading
from sangkien.inputs import workbook as excel
from sangkien.inputs.reading import _read_text, read_bytes, read_csv, read_sources
from sangkien.inputs.register import read_register


def _calamine_rows(path):
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)


@pytest.mark.parametrize("first", ["A1", "C3", "A4", "D1"])
def test_a_sheet_read_row_by_row_is_what_calamine_gives_whole(tmp_path, first, monkeypatch):
    monkeypatch.setattr(excel, "ROW_AT_A_TIME", 0)
    workbook = Workbook()
    sheet = workbook.active
    sheet[first] = "Mã số"
    sheet["E6"], sheet["F7"], sheet["G5"] = 1.5, "Sở Y tế", "Sở Y tế"
    path = tmp_path / "lech.xlsx"
    workbook.save(path)
    rows = read_sources(path)[0].rows()
    assert rows == _calamine_rows(path)
    assert rows[6][5] is rows[4][6]  # one object for a text written twice


def test_true_beside_one_stays_a_truth_value(tmp_path, monkeypatch):
    monkeypatch.setattr(excel, "ROW_AT_A_TIME", 0)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([1, True, 1.0, False, 0])
    path = tmp_path / "dung.xlsx"
    workbook.save(path)
    row = read_sources(path)[0].rows()[0]
    assert [type(v) for v in row] == [type(v) for v in _calamine_rows(path)[0]]
    assert row[1] is True and row[3] is False


def test_a_utf8_csv_read_as_it_decodes_is_what_reading_whole_gives(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "DECODED_AS_READ", 0)
    path = write_register_file(tmp_path / "lon.csv", [
        [f"SK-{i}", 2023, f"Tên, {i % 7}", "Nguyễn Văn A", "Sở Y tế", BLOCKS[1], "Y tế", "Công nhận", None, 80]
        for i in range(3000)], bom=True)
    data = read_bytes(path)
    rows = read_csv(path, data)
    assert rows == _read_text(path, data)
    assert rows[1][4] is rows[2][4]
    assert len(read_register(path, BLOCKS)) == 3000


def test_a_csv_not_utf8_past_the_first_piece_names_the_same_byte(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "DECODED_AS_READ", 0)
    row = ["SK-1", 2023, "Tên", "Nguyễn Văn A", "Sở Y tế", "Giáo dục", "Y tế", "Công nhận", None, 80]
    path = write_register_file(tmp_path / "cuoi.csv", [row] * 5000)
    good = path.read_bytes()
    data = good + "Đà Nẵng".encode("cp1258", "ignore") + b"\n"
    path.write_bytes(data)
    with pytest.raises(DataError) as caught:
        read_csv(path, data)
    assert f"(byte {len(good) + 1})" in str(caught.value)
