"""The register's rules one by one, each on a tiny sheet: what it finds, in the user's words, and nothing
on a valid one."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import BLOCKS, EDU, HEADER, OTHER

from sangkien.inputs import encodings as legacy
from sangkien.inputs import rules, schema
from sangkien.inputs.sheet import sheet_of

PATH = Path("so.csv")


def sheet(make_row, *changes: dict, header=HEADER, blocks=BLOCKS):
    """A sheet of one valid row per ``changes`` (column id -> value), codes SK-1, SK-2, ... unless given."""
    rows = [make_row(**{"ma_so": f"SK-{i}", **change}) for i, change in enumerate(changes, start=1)]
    return sheet_of(PATH, [list(header)] + [r[:len(header)] for r in rows], blocks)


def found(rule, sheet) -> list[str]:
    """What ``rule`` finds, by row and then column."""
    return [p.text for p in sorted(rule(sheet))]


def cell(row: int, label: str, value: str, what: str) -> str:
    return f'{PATH}: dòng {row}, cột "{label}", giá trị "{value}": {what}'


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda r: r.__name__)
def test_a_valid_sheet_breaks_no_rule(make_row, rule):
    assert found(rule, sheet(make_row, {}, {"don_vi": "Trường A", "khoi": EDU}, {"so_tien_lam_loi": None})) == []


def test_required_cells(make_row):
    s = sheet(make_row, {"ten_sang_kien": "  "}, {"linh_vuc": None, "ket_qua": ""})
    assert found(rules.required_cells, s) == [
        f'{PATH}: dòng 2, cột "Tên sáng kiến": ô trống; cần tên sáng kiến',
        f'{PATH}: dòng 3, cột "Lĩnh vực": ô trống; cần lĩnh vực áp dụng',
        f'{PATH}: dòng 3, cột "Kết quả": ô trống; cần {schema.RECOGNIZED}, {schema.NOT_RECOGNIZED} hoặc {schema.PENDING}',
    ]


def test_legacy_text(make_row):
    s = sheet(make_row, {"don_vi": "Së Gi¸o dôc"}, {"ten_sang_kien": "Tröôøng Ñaïi hoïc"}, {"linh_vuc": "Nhiệt độ 30°C, ông Müller"})

    def what(encoding: str) -> str:
        return f"chữ có vẻ được gõ bằng mã {encoding}; " + legacy.HINT.format(encoding=encoding)

    assert found(rules.legacy_text, s) == [cell(2, "Đơn vị", "Së Gi¸o dôc", what("TCVN3")),
                                           cell(3, "Tên sáng kiến", "Tröôøng Ñaïi hoïc", what("VNI"))]


def test_authors(make_row):
    s = sheet(make_row, {"tac_gia": "A ;B"}, {"tac_gia": " ; ;"})
    assert found(rules.authors, s) == [cell(3, "Tác giả", "; ;", "không có tên tác giả nào giữa các dấu ;")]
    assert s.values("tac_gia") == ["A; B", ""]


def test_unique_codes(make_row):
    s = sheet(make_row, {"ma_so": "X"}, {"ma_so": "Y"}, {"ma_so": " X "}, {"ma_so": ""}, {"ma_so": ""})
    assert found(rules.unique_codes, s) == [
        cell(4, "Mã số", "X", "mã số trùng với dòng 2; mỗi sáng kiến cần một mã số riêng")]


def test_years(make_row):
    low, high = schema.YEAR_MIN, schema.YEAR_MAX
    s = sheet(make_row, {"nam": low}, {"nam": high}, {"nam": low - 1}, {"nam": str(high + 1)}, {"nam": None},
              {"nam": "2023.5"})
    need = f"năm không hợp lệ; cần một số nguyên từ {low} đến {high}, ví dụ 2023"
    assert found(rules.years, s) == [
        cell(4, "Năm", str(low - 1), need), cell(5, "Năm", str(high + 1), need),
        f'{PATH}: dòng 6, cột "Năm": ô trống; cần năm (số nguyên, ví dụ 2023)', cell(7, "Năm", "2023.5", need)]


def test_choices(make_row):
    s = sheet(make_row, {"khoi": "quận, HUYỆN, sở, ngành", "ket_qua": "đang  XÉT"}, {"khoi": "Doanh nghiệp", "ket_qua": "Đạt"})
    assert found(rules.choices, s) == [
        cell(3, "Khối", "Doanh nghiệp", f'khối không có trong tham số; cần một trong: "{EDU}"; "{OTHER}"'),
        cell(3, "Kết quả", "Đạt", 'kết quả không hợp lệ; cần một trong: "Công nhận"; "Không công nhận"; "Đang xét"'),
    ]
    assert s.values("khoi")[0] == OTHER and s.values("ket_qua")[0] == schema.PENDING


def test_choices_of_blocks_come_from_the_parameters(make_row):
    assert found(rules.choices, sheet(make_row, {"khoi": "Doanh nghiệp"}, blocks=BLOCKS + ("Doanh nghiệp",))) == []


def test_one_spelling_per_unit_and_field(make_row):
    s = sheet(make_row, {"don_vi": "Sở Y tế", "linh_vuc": "Y tế"}, {"don_vi": "SỞ  Y TẾ", "linh_vuc": "y tế"})
    assert s.values("don_vi") == ["Sở Y tế", "Sở Y tế"] and s.values("linh_vuc") == ["Y tế", "Y tế"]


def test_one_block_per_unit(make_row):
    s = sheet(make_row, {"don_vi": "Sở Y tế", "khoi": OTHER}, {"don_vi": "SỞ Y TẾ", "khoi": EDU},
              {"don_vi": "Sở Y tế", "khoi": "Doanh nghiệp"})  # an unknown block is the choices rule's
    assert found(rules.one_block_per_unit, s) == [
        cell(3, "Khối", EDU, f'đơn vị "Sở Y tế" đã thuộc khối "{OTHER}" ở dòng 2; một đơn vị chỉ thuộc một khối')]


def test_numbers(make_row):
    s = sheet(make_row, {"so_tien_lam_loi": "-5", "diem": 100}, {"so_tien_lam_loi": "năm triệu", "diem": 100.5},
              {"so_tien_lam_loi": None, "diem": None})
    amount, score = (schema.BY_ID[c].need for c in ("so_tien_lam_loi", "diem"))
    assert found(rules.numbers, s) == [
        cell(2, "Số tiền làm lợi", "-5", "ngoài khoảng cho phép; " + amount),
        cell(3, "Số tiền làm lợi", "năm triệu", "không phải là số; " + amount),
        cell(3, "Điểm", "100.5", "ngoài khoảng cho phép; " + score),
    ]


def test_optional_numbers_left_out_are_empty(make_row):
    s = sheet(make_row, {}, header=HEADER[:8])
    assert found(rules.numbers, s) == []
    assert math.isnan(s.columns()["so_tien_lam_loi"][0]) and math.isnan(s.columns()["diem"][0])


def test_problems_are_listed_by_row_then_column(make_row):
    s = sheet(make_row, {"diem": 101, "ma_so": ""}, {"ket_qua": "?", "nam": "x"})
    assert [line.split(": ")[1] for line in rules.problems(s)] == [
        'dòng 2, cột "Mã số"', 'dòng 2, cột "Điểm", giá trị "101"', 'dòng 3, cột "Năm", giá trị "x"',
        'dòng 3, cột "Kết quả", giá trị "?"']
