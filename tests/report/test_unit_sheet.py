"""Per-unit result sheets: the unit's figures, the sheet's parts, file names for unit names."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import PINNED

from sangkien import figures as fig
from sangkien.errors import ParamsError
from sangkien.figures import frame as frame_of
from sangkien.inputs.register import read_register
from sangkien.pipeline.names import FALLBACK, MAX_LENGTH, file_stem, unique_stems
from sangkien.report import wording
from sangkien.report.unit import UnitReport

ROOT = Path(__file__).resolve().parents[2]
EDU, OTHER = "Giáo dục", "Quận, huyện, sở, ngành"
SCHOOL = "Trường THCS Lê Lợi"


# --------------------------------------------------------------------------- a small register
#
#   year  unit                 block  results (C = Công nhận, K = Không công nhận, D = Đang xét)
#   2021  Trường THCS Lê Lợi   EDU    C K
#   2022  Trường THCS Lê Lợi   EDU    C K K K          -> 1/4
#   2022  Sở Y tế              OTHER  C
#   2023  Trường THCS Lê Lợi   EDU    C C C K D        -> 3/5 (60%), one pending
#   2023  Trường Tiểu học A    EDU    C K K K          -> 1/4 (block EDU 2023: 4/9 = 44,44%)
#   2023  Sở Y tế              OTHER  C C C            -> 3/3   (city 2023: 7/13 = 53,85%)
#   2023  Sở Du lịch           OTHER  K                -> 0/1
#   2024  Trường THCS Lê Lợi   EDU    C                (a later year: ignored by the 2023 sheet)

def _rows(make_row):
    rows, n = [], 0

    def add(year, unit, block, results, **extra):
        nonlocal n
        for r in results:
            n += 1
            result = {"C": "Công nhận", "K": "Không công nhận", "D": "Đang xét"}[r]
            rows.append(make_row(ma_so=f"SK-{n}", nam=year, don_vi=unit, khoi=block, ket_qua=result,
                                 ten_sang_kien=f"Sáng kiến {n}", linh_vuc="Giáo dục" if block == EDU else "Y tế",
                                 **extra))

    add(2021, SCHOOL, EDU, "CK")
    add(2022, SCHOOL, EDU, "CKKK")
    add(2022, "Sở Y tế", OTHER, "C")
    add(2023, SCHOOL, EDU, "CCCKD", so_tien_lam_loi=2_000_000, diem=81.25)
    add(2023, "Trường Tiểu học A", EDU, "CKKK")
    add(2023, "Sở Y tế", OTHER, "CCC")
    add(2023, "Sở Du lịch", OTHER, "K")
    add(2024, SCHOOL, EDU, "C")
    return rows


@pytest.fixture
def register_file(write_register, make_row):
    return write_register(_rows(make_row))


@pytest.fixture
def frame(register_file):
    return frame_of(read_register(register_file, (EDU, OTHER)))


@pytest.fixture
def params_for(tmp_path):
    def write(data: Path, extra: str = "") -> Path:
        path = tmp_path / "p.yaml"
        path.write_text(f"year: 2023\ndata: {data}\nperiod_start: 2021\nsample_data: false\n{PINNED}{extra}",
                        encoding="utf-8")
        return path

    return write


@pytest.fixture
def sheet(register_file, params_for):
    return UnitReport.load(2023, SCHOOL, str(params_for(register_file)))


# --------------------------------------------------------------------------- figures

def test_units_of_year(frame):
    assert fig.units_of_year(frame, 2023) == ["Sở Du lịch", "Sở Y tế", SCHOOL, "Trường Tiểu học A"]
    assert fig.units_of_year(frame, 2020) == []


def test_unit_rows_fold_case_and_spaces(frame):
    assert len(fig.unit_rows(frame, "  trường thcs   LÊ LỢI ")) == 2 + 4 + 5 + 1
    assert fig.unit_rows(frame, "Trường THCS Lê Lợi B").empty


def test_unit_trend_keeps_empty_years(frame):
    trend = fig.unit_trend(frame, SCHOOL, 2020, 2023)
    assert trend["nam"].tolist() == [2020, 2021, 2022, 2023]
    assert trend["submitted"].tolist() == [0, 2, 4, 5]
    assert trend["recognized"].tolist() == [0, 1, 1, 3]
    assert trend["rate"].iloc[0] is None or pd.isna(trend["rate"].iloc[0])
    assert trend["rate"].tolist()[1:] == [50.0, 25.0, 60.0]


def test_unit_figures_by_hand(frame):
    f = fig.unit_figures(frame, 2023, SCHOOL, (EDU, OTHER), 2021)
    assert f["year"] == {"submitted": 5, "recognized": 3, "pending": 1}
    assert f["previous"] == {"submitted": 4, "recognized": 1, "pending": 0}
    assert f["period"] == {"from": 2021, "to": 2022, "submitted": 6, "recognized": 2}
    assert f["block"] == EDU
    assert f["city"] == {"submitted": 13, "recognized": 7, "pending": 1}
    assert f["block_counts"] == {"submitted": 9, "recognized": 4, "pending": 1}
    assert f["benefit_vnd"] == 6_000_000 and f["benefit_reported"] == 3


def test_unit_block_and_share():
    rows = pd.DataFrame({"khoi": [EDU, EDU, OTHER]})
    assert fig.unit_block(rows) == EDU
    assert fig.unit_block(rows.iloc[0:0]) is None
    assert fig.share_percent(3, 12) == 25.0 and fig.share_percent(1, 0) is None


def test_unit_list_order(frame):
    rows = fig.rows_of_year(fig.unit_rows(frame, SCHOOL), 2023)
    ordered = fig.unit_list(rows)
    assert ordered["ket_qua"].tolist() == ["Công nhận"] * 3 + ["Đang xét", "Không công nhận"]
    codes = pd.DataFrame({"ma_so": ["SK-10", "SK-9", "SK-100"], "ket_qua": ["Công nhận"] * 3})
    assert fig.unit_list(codes)["ma_so"].tolist() == ["SK-9", "SK-10", "SK-100"]


# --------------------------------------------------------------------------- sentences

def test_unit_sentences():
    assert wording.unit_overview(2023, "Sở Du lịch", {"submitted": 1, "recognized": 0, "pending": 0}) == (
        "Năm 2023, Sở Du lịch đã đề nghị công nhận 1 sáng kiến cấp thành phố; chưa có sáng kiến nào được công nhận.")
    text = wording.unit_rate_sentence({"submitted": 5, "recognized": 3}, {"submitted": 12, "recognized": 7},
                                        EDU, {"submitted": 9, "recognized": 4})
    assert text == ("Tỷ lệ công nhận của đơn vị (60,00%) cao hơn 1,67 điểm phần trăm so với tỷ lệ chung của thành phố "
                    "(58,33%) và cao hơn 15,56 điểm phần trăm so với tỷ lệ của khối Giáo dục (44,44%).")
    assert wording.unit_rate_sentence({"submitted": 0, "recognized": 0}, {"submitted": 1, "recognized": 1},
                                        EDU, {"submitted": 1, "recognized": 1}) == ""
    # a unit's one or two initiatives, or none recognised: no rate set beside the others
    for few in ({"submitted": 1, "recognized": 0}, {"submitted": 2, "recognized": 2}, {"submitted": 5, "recognized": 0}):
        assert wording.unit_rate_sentence(few, {"submitted": 9, "recognized": 7}, EDU,
                                          {"submitted": 9, "recognized": 7}) == ""
    assert wording.unit_share_sentence(2023, {"recognized": 0}, {"recognized": 7}) == ""
    assert wording.unit_comparison(2023, {"submitted": 1, "recognized": 1, "pending": 0},
                                     {"submitted": 0, "recognized": 0, "pending": 0}) == (
        "Năm 2022, đơn vị không có sáng kiến đề nghị công nhận cấp thành phố.")
    assert wording.unit_comparison(2023, {"submitted": 1, "recognized": 0, "pending": 0},
                                   {"submitted": 1, "recognized": 1, "pending": 0}) == (
        "So với năm 2022, năm 2023 đơn vị không có sáng kiến được công nhận (năm 2022: 1 sáng kiến); "
        "số sáng kiến đề nghị không thay đổi (1 sáng kiến).")
    assert wording.unit_period_sentence(2023, 2022, {"submitted": 0, "recognized": 0}) == ""
    assert wording.unit_period_sentence(2016, 2016, {"submitted": 2, "recognized": 1}) == (
        "Năm 2016, đơn vị đã đề nghị công nhận 2 sáng kiến, 1 sáng kiến được công nhận (tỷ lệ 50,00%).")
    assert wording.benefit_sentence(1, 0, 0, of_unit=True) == (
        "Sáng kiến được công nhận của đơn vị chưa xác định được số tiền làm lợi.")


# --------------------------------------------------------------------------- the sheet's parts

def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_sheet_parts_have_the_numbers(sheet):
    assert sheet.unit == SCHOOL
    header = sheet.header().html
    # a notice to the unit: its type, its subject naming the unit, the symbol of a notice, no number yet
    assert ">THÔNG BÁO<" in header and f"Kết quả xét công nhận sáng kiến năm 2023 của {SCHOOL}" in header
    assert "sample-notice" not in header
    assert "Số: \u00a0" in header and "/TB-SKHCN" in header and "BC-SKHCN" not in header
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    summary = _text(sheet.summary().html)
    assert ("đã đề nghị công nhận 5 sáng kiến cấp thành phố; 3 sáng kiến được công nhận, đạt tỷ lệ 60,00% số sáng "
            "kiến đề nghị") in summary
    assert "1 sáng kiến đang được xem xét" in summary
    assert "tỷ lệ chung của thành phố (53,85%)" in summary  # 7/13 (the pending one counts as submitted)
    assert "tỷ lệ của khối Giáo dục (44,44%)" in summary
    assert "chiếm 42,86% trong tổng số 7 sáng kiến" in summary
    assert ("Cả 3 sáng kiến được công nhận của đơn vị đã xác định được số tiền làm lợi, tổng cộng khoảng "
            "6,0 triệu đồng (bình quân 2,0 triệu đồng/sáng kiến).") in summary
    trend = _text(sheet.trend_part().html)
    assert "So với năm 2022, số sáng kiến được công nhận tăng từ 1 lên 3; số sáng kiến đề nghị tăng từ 4 lên 5." in trend
    assert ("Giai đoạn 2021–2022 , đơn vị đã đề nghị công nhận 6 sáng kiến, 2 sáng kiến được công nhận "
            "(tỷ lệ 33,33%)") in trend
    assert "Sáng kiến của đơn vị qua các năm, 2021–2023" in trend and "2024" not in trend
    assert "Sáng kiến của đơn vị đề nghị và được công nhận" not in trend  # five initiatives: no chart, room for the list
    listing = sheet.list_part().html
    assert "Danh sách sáng kiến của đơn vị đề nghị công nhận năm 2023" in listing and listing.count("<tr>") == 1 + 5
    assert "81,3" in listing and "Đang xét" in listing and "SK-" in listing
    closing = sheet.closing().html
    # the notice goes to the unit; the office keeps a copy (the drafting unit of the shared defaults); real data
    # without a signer's name: a blank line
    assert re.findall(r"<li>(.*?)</li>", closing) == [f"- {SCHOOL};", "- Lưu: VT, QLKH."]
    assert '<div class="sig-name"></div>' in closing and "Nguyễn Văn Mẫu" not in closing
    for part in (header, summary, trend, listing, closing):
        assert "nan" not in part.lower().split() and "None" not in part and "NaN" not in part


def test_sheet_of_a_unit_with_nothing_recognised(register_file, params_for):
    sheet = UnitReport.load(2023, "sở du lịch", str(params_for(register_file)))
    assert sheet.unit == "Sở Du lịch"
    summary = _text(sheet.summary().html)
    assert "chưa có sáng kiến nào được công nhận" in summary
    assert "điểm phần trăm" not in summary  # one initiative: no rate set beside the others
    assert "tiền làm lợi" not in summary
    assert "Năm 2022, đơn vị không có sáng kiến đề nghị công nhận cấp thành phố." in _text(sheet.trend_part().html)


def test_sample_notice_and_recipients(register_file, params_for):
    params = params_for(register_file, 'recipients: ["Sở Y tế", "Lưu: VT, QLKH"]\n').read_text(encoding="utf-8")
    params = params.replace("sample_data: false", "sample_data: true")
    path = Path(params_for(register_file)).with_name("q.yaml")
    path.write_text(params, encoding="utf-8")
    sheet = UnitReport.load(2023, "SỞ Y TẾ", str(path))
    assert "sample-notice" in sheet.header().html
    closing = sheet.closing().html
    items = re.findall(r"<li>(.*?)</li>", closing)
    assert items == ["- Sở Y tế;", "- Lưu: VT, QLKH."]  # the unit, and the report's archive line
    assert '<div class="sig-name">Nguyễn Văn Mẫu</div>' in closing  # illustrative data: the placeholder name


def test_unknown_unit_names_the_nearest(register_file, params_for):
    with pytest.raises(ParamsError) as info:
        UnitReport.load(2023, "Truong THCS Le Loi", str(params_for(register_file)))
    (line,) = info.value.problems
    assert '"Truong THCS Le Loi"' in line and "2023" in line and f'"{SCHOOL}"' in line
    assert info.value.exit_status == 2
    with pytest.raises(ParamsError):  # a unit of another year is not a unit of this one
        UnitReport.load(2023, "Trường THCS Lê Lợi 2024", str(params_for(register_file)))


@pytest.mark.parametrize("hostile, shown", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("{{ 7*7 }}", "&#123;&#123; 7*7 &#125;&#125;"),
    ("$x$ & <b>", "&#36;x&#36; &amp; &lt;b&gt;"),
])
def test_hostile_unit_name_is_escaped(write_register, make_row, params_for, hostile, shown):
    rows = [make_row(ma_so="SK-1", don_vi=hostile, tac_gia="<i>A</i>; {{ B }}", ten_sang_kien="$\\frac{1}{2}$"),
            make_row(ma_so="SK-2", nam=2022, don_vi=hostile)]
    sheet = UnitReport.load(2023, hostile, str(params_for(write_register(rows))))
    html = "".join(part().html for part in (sheet.header, sheet.summary, sheet.trend_part, sheet.list_part,
                                            sheet.closing))
    for raw in ("<script", "{{", "}}", "$", "<i>", "<b>"):
        assert raw not in html
    # the name is shown as written (in the title and first among the recipients), the authors and title too
    assert html.count(shown) >= 2
    assert "&lt;i&gt;A&lt;/i&gt;; &#123;&#123; B &#125;&#125;" in html
    assert "&#36;\\frac&#123;1&#125;&#123;2&#125;&#36;" in html


# --------------------------------------------------------------------------- file names

@pytest.mark.parametrize("name, stem", [
    ("Trường THCS Lê Lợi / Hải An", "truong-thcs-le-loi-hai-an"),
    ("ĐẠI HỌC Hải Phòng", "dai-hoc-hai-phong"),
    ("Sở Giáo dục và Đào tạo", "so-giao-duc-va-dao-tao"),
    ("Tru\u031bo\u0300ng Mâ\u0300m non", "truong-mam-non"),  # NFD input
    ("  Sở  Y\ttế  ", "so-y-te"),
    ("Trường Mầm non 19/5 (cơ sở 2)", "truong-mam-non-19-5-co-so-2"),
    ("C:\\Users\\..\\x", "c-users-x"),
    ("!!!", FALLBACK), ("..", FALLBACK), (".", FALLBACK), ("", FALLBACK), ("学校", FALLBACK),
    ("CON", "don-vi-con"), ("nul", "don-vi-nul"), ("Com1", "don-vi-com1"), ("LPT9", "don-vi-lpt9"),
    ("Con Cuông", "con-cuong"),
])
def test_file_stem(name, stem):
    assert file_stem(name) == stem


def test_file_stem_is_always_a_safe_name():
    for name in ["a" * 300, "Trường " * 40, "x/../y", "-–—", "ÆØÅ ß ﬁ", "Ｆｕｌｌ"]:
        stem = file_stem(name)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", stem), stem
        assert 0 < len(stem) <= MAX_LENGTH


def test_long_names_are_cut_between_words():
    name = "Trường Trung học phổ thông chuyên Trần Phú thuộc Sở Giáo dục và Đào tạo thành phố Hải Phòng cơ sở hai"
    stem = file_stem(name)
    assert len(stem) <= MAX_LENGTH and stem.startswith("truong-trung-hoc-pho-thong-chuyen-tran-phu")
    assert file_stem(name, 500).startswith(stem + "-")  # whole words only
    assert file_stem("a" * 200) == "a" * MAX_LENGTH


def test_unique_stems_disambiguates_deterministically():
    names = ["Trường THCS Lê Lợi", "TRƯỜNG THCS LÊ LỢI", "Trường THCS Lê Lợi (2)", "Trường THCS Lê-Lợi",
             "Sở Y tế", "!!!", "???", "CON", "Sở Y tế"]
    stems = unique_stems(names)
    assert list(stems) == list(dict.fromkeys(names))
    assert len(set(stems.values())) == len(stems)
    assert stems["Sở Y tế"] == "so-y-te"
    # 'truong-thcs-le-loi-2' belongs to the unit written '(2)'; the duplicates take the next free numbers
    assert stems["Trường THCS Lê Lợi (2)"] == "truong-thcs-le-loi-2"
    same = sorted([stems["Trường THCS Lê Lợi"], stems["TRƯỜNG THCS LÊ LỢI"], stems["Trường THCS Lê-Lợi"]])
    assert same == ["truong-thcs-le-loi", "truong-thcs-le-loi-3", "truong-thcs-le-loi-4"]
    assert {stems["!!!"], stems["???"]} == {FALLBACK, f"{FALLBACK}-2"}
    assert stems["CON"] == "don-vi-con"
    assert unique_stems(list(reversed(names))) == stems  # the order of the input does not matter
    assert all(re.fullmatch(r"[a-z0-9-]+", s) and len(s) <= MAX_LENGTH for s in stems.values())


def test_unique_stems_of_long_duplicates_stay_short():
    names = ["Đơn vị " + "rất dài " * 20 + str(i) for i in range(3)] + ["Đơn vị " + "rất dài " * 20 + "1 "]
    stems = unique_stems(names)
    assert len(set(stems.values())) == len(set(names))
    assert all(len(s) <= MAX_LENGTH for s in stems.values())


def test_unique_stems_of_the_sample_units():
    frame = frame_of(read_register(ROOT / "data/sample/so-dang-ky-sang-kien.xlsx", (EDU, OTHER), until=2023))
    units = fig.units_of_year(frame, 2023)
    stems = unique_stems(units)
    assert len(set(stems.values())) == len(units) >= 40
    assert stems["Sở Giáo dục và Đào tạo"] == "so-giao-duc-va-dao-tao"
    json.dumps(stems)


# --------------------------------------------------------------------------- the notebook

def test_unit_notebook_parameters():
    import nbformat

    path = ROOT / "notebooks" / "bao-cao-don-vi.ipynb"
    notebook = nbformat.read(str(path), as_version=4)
    yearly = nbformat.read(str(ROOT / "notebooks" / "bao-cao-nam.ipynb"), as_version=4)
    assert notebook.metadata.kernelspec == yearly.metadata.kernelspec
    assert "remove-cell" in notebook.cells[0].metadata.tags and notebook.cells[0].cell_type == "markdown"
    (params,) = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    names = re.findall(r"^(\w+): (\w+) = .*#", params.source, re.M)
    assert names == [("year", "int"), ("unit", "str"), ("params_file", "str"), ("data_file", "str"),
                     ("register_file", "str")]
    unit = re.search(r'^unit: str = "(.*)"', params.source, re.M).group(1)
    frame = frame_of(read_register(ROOT / "data/sample/so-dang-ky-sang-kien.xlsx", (EDU, OTHER), until=2023))
    assert unit in fig.units_of_year(frame, 2023)
    assert all(c.get("id") for c in notebook.cells)


# --------------------------------------------------------------------------- notice numbers (issue 20)

@pytest.mark.parametrize("extra, numbers", [
    ("", ["", "", "", ""]),  # the blank for the clerk stays the default
    ("notice_numbers: 21\n", ["21", "22", "23", "24"]),  # a first number, then in the units' order
    ("notice_numbers:\n  Sở Y tế: '40'\n  trường thcs lê lợi: 7\n", ["", "40", "7", ""]),  # one per unit
])
def test_notice_numbers(register_file, params_for, extra, numbers):
    params = str(params_for(register_file, extra))
    units = ["Sở Du lịch", "Sở Y tế", SCHOOL, "Trường Tiểu học A"]
    sheets = [UnitReport.load(2023, unit, params) for unit in units]
    assert [sheet.notice_number() for sheet in sheets] == numbers
    for sheet, number in zip(sheets, numbers):
        assert f"Số: {number or chr(0xa0)}" in sheet.header().html and "/TB-SKHCN" in sheet.header().html


def test_a_first_notice_number_must_be_a_number(register_file, params_for):
    with pytest.raises(ParamsError, match='khóa "notice_numbers" cần một số nguyên'):
        UnitReport.load(2023, SCHOOL, str(params_for(register_file, "notice_numbers: 'hai mươi'\n")))
