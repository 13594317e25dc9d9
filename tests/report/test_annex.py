"""The annex file of recognised initiatives, and the appendix that refers to it when the list is long."""
from __future__ import annotations

import csv
import datetime
import io
import zipfile

import libreoffice
import pandas as pd
import pytest
from conftest import PINNED

from sangkien.report import annex

BLOCKS = ["Giáo dục", "Quận, huyện, sở, ngành"]


def frame(n: int, title: str = "Giải pháp") -> pd.DataFrame:
    return pd.DataFrame({
        "ma_so": [f"SK-{i:03d}" for i in range(n)], "nam": [2023] * n, "ten_sang_kien": [f"{title} {i}" for i in range(n)],
        "tac_gia": ["A; B"] * n, "don_vi": ["Sở Y tế" if i % 2 else "Trường X" for i in range(n)],
        "khoi": [BLOCKS[1] if i % 2 else BLOCKS[0] for i in range(n)], "linh_vuc": ["Y tế"] * n,
        "ket_qua": ["Công nhận" if i % 3 else "Không công nhận" for i in range(n)],
        "so_tien_lam_loi": [1_500_000.0 if i % 2 else float("nan") for i in range(n)], "diem": [87.5] * n,
    })


def test_annex_lists_the_recognised_in_block_order():
    rows = list(csv.reader(io.StringIO(annex.recognized_csv(frame(9), BLOCKS))))
    assert rows[0] == ["STT", "Mã số", "Tên sáng kiến", "Tác giả", "Đơn vị", "Khối", "Lĩnh vực",
                       "Số tiền làm lợi (đồng)", "Điểm"]
    body = rows[1:]
    assert [r[1] for r in body] == ["SK-002", "SK-004", "SK-008", "SK-001", "SK-005", "SK-007"]
    assert [r[0] for r in body] == [str(i) for i in range(1, 7)]
    assert body[0][7] == "" and body[3][7] == "1500000" and body[0][8] == "87.5"


def test_formula_text_is_not_a_formula_in_excel():
    rows = frame(3, title="=HYPERLINK(\"http://x\",\"bấm\")")
    rows.loc[1, "tac_gia"] = "@SUM(A1)"
    body = list(csv.reader(io.StringIO(annex.recognized_csv(rows, BLOCKS))))[1:]
    assert body[0][2].startswith("'=HYPERLINK") and body[1][1] == "SK-001" and body[1][3] == "'@SUM(A1)"


def report_of(rows: pd.DataFrame, folder):
    """The yearly report of 2023 over ``rows`` (written as a register's CSV into ``folder``)."""
    from sangkien.inputs.params import load_params
    from sangkien.inputs.register import read_register
    from sangkien.report.yearly import Report

    data = folder / "r.csv"
    rows = rows.copy()
    rows.insert(0, "Mã số", rows.pop("ma_so"))
    rows.to_csv(data, index=False)
    params = folder / "p.yaml"
    params.write_text(f"year: 2023\ndata: {data}\n{PINNED}", encoding="utf-8")
    p = load_params(2023, params)
    return Report(p, read_register(p.data, p.blocks))


def test_long_lists_are_referred_to(monkeypatch, tmp_path):
    report = report_of(frame(12), tmp_path)
    assert "Giải pháp 1" in report.appendix().html
    monkeypatch.setattr(annex, "APPENDIX_LIMIT", 5)
    text = report.appendix().html
    assert "Giải pháp 1" not in text and "Danh sách 8 sáng kiến" in text and "danh-sach-cong-nhan-2023.xlsx" in text


# ---------------------------------------------------------------------------- the workbook (.xlsx)

SUBTITLE = "(Kèm theo Báo cáo số 45/BC-SKHCN)"
MADE = datetime.date(2024, 1, 5)


def _params(**changes):
    import dataclasses
    from pathlib import Path

    from sangkien.inputs.params import Params

    return dataclasses.replace(Params(2023, Path("x.csv"), blocks=tuple(BLOCKS), doc_number="45"), **changes)


def _workbook(rows: pd.DataFrame, **changes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(annex.recognized_workbook(rows, _params(**changes), SUBTITLE, MADE)))


def test_workbook_is_an_annex_with_the_decree_header_and_the_list():
    sheet = _workbook(frame(9)).active
    assert annex.file_name(2023) == "danh-sach-cong-nhan-2023.xlsx"
    assert [sheet["A1"].value, sheet["A2"].value, sheet["E1"].value, sheet["E2"].value] == [
        "UBND THÀNH PHỐ HẢI PHÒNG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc"]
    assert sheet["A2"].font.b and sheet["E1"].font.b and not sheet["A1"].font.b
    assert sheet["A4"].value == "DANH SÁCH SÁNG KIẾN ĐƯỢC CÔNG NHẬN CẤP THÀNH PHỐ NĂM 2023"
    assert sheet["A5"].value == "(Kèm theo Báo cáo số 45/BC-SKHCN)"
    assert {"A1:D1", "A2:D2", "E1:I1", "E2:I2", "A4:I4", "A5:I5"} <= {str(r) for r in sheet.merged_cells.ranges}
    header = [c.value for c in sheet[annex.HEADER_ROW]]
    assert header == ["STT", "Mã số", "Tên sáng kiến", "Tác giả", "Đơn vị", "Khối", "Lĩnh vực",
                      "Số tiền làm lợi (đồng)", "Điểm"]
    assert all(c.font.b for c in sheet[annex.HEADER_ROW])
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=annex.HEADER_ROW + 1)]
    assert [r[1] for r in body] == ["SK-002", "SK-004", "SK-008", "SK-001", "SK-005", "SK-007"]  # as the CSV
    assert [r[0] for r in body] == list(range(1, 7))
    assert body[0][7] is None and body[3][7] == 1_500_000 and body[0][8] == 87.5


def test_workbook_formats_and_print_setup():
    sheet = _workbook(frame(9)).active
    first = annex.HEADER_ROW + 1
    assert sheet.cell(first + 3, 8).number_format == "#,##0" and sheet.cell(first, 9).number_format == "0.0"
    assert sheet.column_dimensions["C"].width == annex.WIDTHS["ten_sang_kien"]
    assert sheet.freeze_panes == f"A{first}"
    assert sheet.print_title_rows == f"${annex.HEADER_ROW}:${annex.HEADER_ROW}"
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert sheet.auto_filter.ref == f"A{annex.HEADER_ROW}:I{first + 5}"


def test_workbook_keeps_formula_looking_text_as_text():
    rows = frame(3, title="=HYPERLINK(\"http://x\",\"bấm\")")
    rows.loc[1, "tac_gia"] = "@SUM(A1)"
    sheet = _workbook(rows).active
    title = sheet.cell(annex.HEADER_ROW + 1, 3)
    author = next(c for c in sheet["D"] if c.value == "@SUM(A1)")
    assert title.value.startswith("=HYPERLINK(") and title.data_type == "s" and title.quotePrefix
    assert author.data_type == "s" and author.quotePrefix

    with zipfile.ZipFile(io.BytesIO(annex.recognized_workbook(rows, _params(), SUBTITLE, MADE))) as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")  # no formula anywhere


def test_workbook_files_are_dated_the_day_it_was_made():
    with zipfile.ZipFile(io.BytesIO(annex.recognized_workbook(frame(3), _params(), SUBTITLE, MADE))) as package:
        assert {entry.date_time[:3] for entry in package.infolist()} == {(2024, 1, 5)}


def test_workbook_bytes_are_the_same_for_the_same_inputs():
    same = annex.recognized_workbook(frame(9), _params(), SUBTITLE, MADE)
    assert same == annex.recognized_workbook(frame(9), _params(), SUBTITLE, MADE)
    assert same != annex.recognized_workbook(frame(9), _params(), "(Kèm theo Báo cáo số 7/BC-SKHCN)", MADE)


# --------------------------------------------------------------------------- printed as offices print it

def test_rules_are_drawn_under_the_issuing_body_and_the_motto_centred():
    from openpyxl.utils import column_index_from_string as index

    sheet = _workbook(frame(9)).active
    assert not sheet["E2"].font.u  # the motto is not underlined with the font: a rule is drawn under it
    ruled = [c.coordinate for c in sheet[3] if c.border.bottom is not None and c.border.bottom.style == "thin"]
    assert ruled == ["C3", "F3", "G3"]
    assert not [c for c in sheet[3] if c.border.top is not None and c.border.top.style]
    widths = [annex.WIDTHS[cid] for cid in annex._IDS]

    def span(first: str, last: str) -> tuple[float, float]:
        start = sum(widths[:index(first) - 1])
        return start, sum(widths[:index(last)])

    for block, rule in ((annex.BODIES, annex.RULES["issuer"]), (annex.NATION_COLUMNS, annex.RULES["motto"])):
        (b0, b1), (r0, r1) = span(*block), span(*rule)
        assert abs((b0 + b1) / 2 - (r0 + r1) / 2) <= 1  # centred under its line, within a character
        assert r1 - r0 < b1 - b0
    motto_rule_mm = sum(annex.column_mm(w) for w in widths[index("F") - 1:index("G")])
    assert 0.85 < motto_rule_mm / _width_mm(annex.MOTTO, 13, bold=True) < 1.15  # about as long as the motto


def test_stt_stands_apart_from_the_code():
    sheet = _workbook(frame(9)).active
    first = annex.HEADER_ROW + 1
    number, code = sheet.cell(first, 1), sheet.cell(first, 2)
    assert number.alignment.horizontal == "center" and code.alignment.horizontal in (None, "general", "left")
    assert annex.column_mm(annex.WIDTHS["STT"]) - _width_mm("9999", 12) > 2  # room on both sides of the number


def test_the_list_prints_at_100_per_cent_on_a4_landscape_its_text_at_least_11_pt():
    sheet = _workbook(frame(9)).active
    from openpyxl.utils import get_column_letter

    widths = [sheet.column_dimensions[get_column_letter(n)].width for n in range(1, len(annex._IDS) + 1)]
    assert widths == [annex.WIDTHS[cid] for cid in annex._IDS]
    printable = 297 - 25.4 * (sheet.page_margins.left + sheet.page_margins.right)
    total = sum(annex.column_mm(w) for w in widths)
    assert total <= printable and annex.printed_scale() == 1.0  # fit to width shrinks nothing
    body = sheet.cell(annex.HEADER_ROW + 1, 3)
    assert body.font.sz * min(1.0, printable / total) >= 11
    # the workbook's default font sets Excel's unit of width (annex.DIGIT_PIXELS: its widest digit): the list's
    default = sheet.parent._fonts[0]
    assert (default.name, default.sz) == ("Times New Roman", annex.BODY_SIZE)
    # a code on one line, an amount of tens of billions without "####", a score (a cell's padding: 5 pixels)
    padding = 5 * 25.4 / 96
    for text, cid in (("HS-2019-04400", "ma_so"), ("40,000,000,000", "so_tien_lam_loi"), ("100.0", "diem")):
        assert _width_mm(text, 12) < annex.column_mm(annex.WIDTHS[cid]) - padding, cid


def _width_mm(text: str, size: float, bold: bool = False) -> float:
    """One line of ``text`` in Times New Roman's metrics (the shipped Tinos), in mm."""
    import unicodedata

    from fontTools.ttLib import TTFont

    from sangkien import paths

    font = TTFont(paths.PACKAGE / "fonts" / f"Tinos-{'Bold' if bold else 'Regular'}.ttf")
    cmap, advances = font.getBestCmap(), font["hmtx"]
    units = sum(advances[cmap[ord(c)]][0] for c in unicodedata.normalize("NFC", text))
    return units / font["head"].unitsPerEm * size * 25.4 / 72


def _printed_sizes(workbook: bytes, folder) -> dict[str, float]:
    """Each text's font size in the PDF LibreOffice prints ``workbook`` to (pypdf's reading of LibreOffice's
    text matrices: compared between two prints, not taken as points)."""
    from pypdf import PdfReader

    source = folder / "in.xlsx"
    source.write_bytes(workbook)
    converted = libreoffice.to_pdf(source, folder)
    sizes: dict[str, float] = {}

    def seen(text, cm, tm, font, size):
        if text.strip():
            sizes.setdefault(text.strip(), abs(size * tm[3] * cm[3]))

    PdfReader(str(converted)).pages[0].extract_text(visitor_text=seen)
    return sizes


@pytest.mark.slow
@libreoffice.MISSING
def test_libreoffice_prints_the_list_unshrunk(tmp_path):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    reference = Workbook()  # one cell of the list's font, nothing to fit: printed at 100%
    reference.active["A1"] = "Mẫu"
    reference.active["A1"].font = Font(name="Times New Roman", size=annex.BODY_SIZE)
    reference.active.page_setup.orientation = "landscape"
    buffer = io.BytesIO()
    reference.save(buffer)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    unit = _printed_sizes(buffer.getvalue(), tmp_path / "a")["Mẫu"]
    printed = _printed_sizes(annex.recognized_workbook(frame(9), _params(), SUBTITLE, MADE), tmp_path / "b")
    assert printed["Giải pháp 2"] / unit * annex.BODY_SIZE >= 11  # at least 11 pt on paper (9.5 before)


# ---------------------------------------------------------------------------- a year of many units

def many_units(n: int) -> pd.DataFrame:
    """A year of ``n`` units, unit i putting forward i % 7 + 1 initiatives and having i % 4 of them recognised
    (some none); every unit's name starting like a formula once in a while."""
    records = []
    for i in range(n):
        name = f"=Đơn vị {i}" if i % 50 == 7 else f"Đơn vị {i:04d}"
        for k in range(i % 7 + 1):
            records.append({"ma_so": f"SK-{i}-{k}", "nam": 2023, "ten_sang_kien": "Giải pháp", "tac_gia": "A",
                            "don_vi": name, "khoi": BLOCKS[i % 2], "linh_vuc": "Y tế",
                            "ket_qua": "Công nhận" if k < i % 4 else "Không công nhận",
                            "so_tien_lam_loi": 1_000_000.0, "diem": 80.0})
    return pd.DataFrame(records)


def test_a_year_of_many_units_prints_the_leading_ones_and_the_annex_carries_every_unit(monkeypatch):
    from sangkien import figures as fig
    from sangkien.report import tables

    monkeypatch.setattr(annex, "UNITS_SHOWN", 10)
    rows = many_units(24)
    table = fig.by_unit(rows, BLOCKS)
    shown = fig.units_shown(table, annex.UNITS_SHOWN)
    left = table[~table["don_vi"].isin(shown["don_vi"])]
    assert 0 < len(shown) <= 10 and left["recognized"].max() < shown["recognized"].min()  # ties: all or none
    assert list(shown.index) == sorted(shown.index)  # in the table's order: by block, then most recognised
    html = tables.by_unit(shown, whole=table)
    assert html.count("<tr>") == 1 + len(shown) and "Tổng cộng (24 đơn vị)" in html
    assert f">{int(table['submitted'].sum())}<" in html

    sheet = _workbook(rows)[annex.UNITS_SHEET]
    assert sheet["A1"].value == "Kết quả xét công nhận sáng kiến năm 2023 theo đơn vị"
    assert [c.value for c in sheet[3]] == [label for label, _, _ in annex.UNIT_COLUMNS]
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert len(body) == 24 and [r[0] for r in body] == list(range(1, 25))
    assert [r[1] for r in body] == table["don_vi"].tolist()
    assert sum(r[3] for r in body) == len(rows) and sum(r[4] for r in body) == int(table["recognized"].sum())
    formula_like = [cell for cell in sheet["B"] if str(cell.value).startswith("=")]
    assert formula_like and all(cell.data_type == "s" and cell.quotePrefix for cell in formula_like)

    monkeypatch.setattr(annex, "UNITS_SHOWN", 24)
    assert annex.UNITS_SHEET not in _workbook(rows).sheetnames
    assert len(fig.units_shown(table, annex.UNITS_SHOWN)) == 24


def test_the_units_part_says_where_every_unit_is_only_when_some_are_not_printed(monkeypatch, tmp_path):
    from sangkien import figures as fig

    report = report_of(many_units(24), tmp_path)
    whole = report.units_part().html
    assert "Bảng dưới đây nêu" not in whole and whole.count("Đơn vị 00") + whole.count("=Đơn vị 7") == 24
    monkeypatch.setattr(annex, "UNITS_SHOWN", 10)
    cut = report.units_part().html
    shown = len(fig.units_shown(fig.by_unit(report.rows, report.blocks), 10))
    assert shown < 24 and (f"Bảng dưới đây nêu {shown} đơn vị có nhiều sáng kiến được công nhận nhất; kết quả của cả 24 đơn vị có tại "
            "trang “Theo đơn vị” của tệp") in cut and "danh-sach-cong-nhan-2023.xlsx" in cut
    assert "Tổng cộng (24 đơn vị)" in cut
