"""The report across a reorganisation: it says that comparisons use today's organisation, lists what was
mapped with the initiatives each earlier name brought, and a merged unit names its predecessors."""
from __future__ import annotations

import re

import pytest
from registers import write_register_file

from sangkien import inputs
from sangkien.report import wording
from sangkien.report.unit import UnitReport
from sangkien.report.yearly import Report

EDU, OTHER, TODAY = "Giáo dục", "Quận, huyện, sở, ngành", "Sở, ngành, địa phương"
CN, KCN = "Công nhận", "Không công nhận"
# nam, khoi, don_vi, ket_qua
ROWS = [
    (2023, OTHER, "UBND quận A", CN), (2023, OTHER, "UBND quận A", KCN), (2023, OTHER, "UBND quận B", CN),
    (2023, OTHER, "Sở Thông tin và Truyền thông", CN), (2023, OTHER, "Sở Khoa học và Công nghệ", CN),
    (2023, EDU, "Trường A", CN),
    (2024, OTHER, "UBND Quận B", CN), (2024, OTHER, "Sở Y tế", KCN), (2024, EDU, "Trường A", CN),
    (2025, TODAY, "UBND phường A", CN), (2025, TODAY, "Sở Khoa học và Công nghệ", CN), (2025, TODAY, "Sở Y tế", KCN),
    (2025, EDU, "Trường A", CN),
]
MAPPING = ("reorganisation:\n  blocks:\n    'Quận, huyện, sở, ngành': 'Sở, ngành, địa phương'\n"
           "  units:\n    UBND quận A: UBND phường A\n    UBND quận B: UBND phường A\n"
           "    Sở Thông tin và Truyền thông: Sở Khoa học và Công nghệ\n    UBND huyện Z: UBND xã Z\n")


@pytest.fixture
def load(tmp_path):
    """``load(extra)``: the parameters of 2025 (blocks of 2025, then ``extra``) and the register, as a build
    reads them."""
    def read(extra: str, blocks=(EDU, TODAY), rows=ROWS):
        data = write_register_file(tmp_path / "so-dang-ky.csv", [
            [f"SK-{i}", nam, f"Giải pháp {i}", "Lê A", unit, block, "Y tế", result, "", 80]
            for i, (nam, block, unit, result) in enumerate(rows)])
        params = tmp_path / "2025.yaml"
        own = "" if "reorganisation" in extra else "reorganisation:\n  blocks: {}\n  units: {}\n"  # none shared
        params.write_text(f"year: 2025\ndata: {data}\nperiod_start: 2023\nblocks: {list(blocks)}\n{own}{extra}",
                          encoding="utf-8")
        return inputs.load(2025, params)

    return read


def table_rows(html: str, css_class: str) -> list[list[str]]:
    table = re.search(rf'<table class="data {css_class}">(.*?)</table>', html).group(1)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table)[1:]]


def test_the_mapping_table_lists_exactly_the_mapped_names_with_their_counts(load):
    report = Report(*load(MAPPING))
    html = re.sub(r'<span class="nowrap">(.*?)</span>', r"\1", report.overview().html)  # years kept on one line
    assert wording.reorganisation_sentence(2023, 2025, 1, 3) in html
    assert ("Do sắp xếp tổ chức, các so sánh trong báo cáo (với năm 2024 và giai đoạn 2023–2024) được tính theo khối "
            "và đơn vị hiện nay: sáng kiến của 1 khối và 3 đơn vị trước đây được tính vào khối và đơn vị hiện nay "
            "tương ứng, như bảng dưới đây.") in html
    assert "Khối, đơn vị trước đây được tính theo tên hiện nay, 2023–2025" in html
    assert table_rows(html, "renamed") == [
        ["Khối"],
        ["1", OTHER, TODAY, "7"],
        ["Đơn vị"],
        ["2", "Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ", "1"],
        ["3", "UBND quận A", "UBND phường A", "2"],
        ["4", "UBND quận B", "UBND phường A", "2"],  # both spellings of it, one name
    ]  # 'UBND huyện Z' is in the mapping but not in the register: not listed


def test_every_comparison_is_in_todays_names(load):
    params, register = load(MAPPING)
    report = Report(params, register)
    assert list(report.figures()["year"]["by_block"]) == [EDU, TODAY]
    assert report.previous_by_block == {EDU: {"submitted": 1, "recognized": 1}, TODAY: {"submitted": 2, "recognized": 1}}
    assert report.period["by_block"][TODAY] == {"submitted": 7, "recognized": 5}
    assert "Khối Sở, ngành, địa phương" in report.units_part().html and OTHER not in report.comparison_part().html


def test_a_merged_unit_names_its_predecessors(load):
    params, register = load(MAPPING)
    units = table_rows(Report(params, register).units_part().html, "units")
    names = [row[1] for row in units if len(row) > 1]
    assert "UBND phường A (gồm UBND quận A, UBND quận B trước đây)" in names
    assert "Sở Khoa học và Công nghệ (gồm cả Sở Thông tin và Truyền thông trước đây)" in names  # it kept its name
    assert "Sở Y tế" in names

    sheet = UnitReport(params, register, "UBND QUẬN B")  # an earlier name finds the unit it is now
    assert sheet.unit == "UBND phường A"
    trend = sheet.trend_part().html
    assert ("Đơn vị gồm UBND quận A và UBND quận B trước đây: số liệu các năm trước của đơn vị được tính theo tổ "
            "chức hiện nay, là sáng kiến của các đơn vị này.") in trend
    assert sheet.unit_figures["period"] == {"from": 2023, "to": 2024, "submitted": 4, "recognized": 3}
    assert "gồm cả Sở Thông tin và Truyền thông trước đây" in UnitReport(params, register, "Sở Khoa học và Công nghệ").trend_part().html
    assert "trước đây" not in UnitReport(params, register, "Sở Y tế").trend_part().html


def test_without_anything_mapped_the_report_says_nothing_of_it(load):
    """A mapping of names the register does not hold prints what no mapping prints."""
    rows = [(2024, TODAY, unit, result) if block == OTHER else (2024, block, unit, result)
            for _, block, unit, result in ROWS[:6]] + ROWS[9:]
    plain = Report(*load("", rows=rows))
    unused = Report(*load("reorganisation:\n  units:\n    UBND huyện Z: UBND xã Z\n", rows=rows))
    for part in ("overview", "units_part", "comparison_part", "assessment"):
        assert getattr(unused, part)().html == getattr(plain, part)().html
    assert "trước đây" not in plain.overview().html + plain.units_part().html
    assert plain.figures() == unused.figures() and "reorganisation" not in plain.figures()


def test_the_report_prints_the_figures_the_manifest_would_work_out(load):
    """The colophon's figures are taken from what the report printed them from: the same as worked out anew
    (the sample's years, without a reorganisation: tests/figures)."""
    from sangkien import figures as fig

    params, register = load(MAPPING)
    assert Report(params, register).figures() == fig.manifest_figures(fig.frame(register), 2025, params.period_start,
                                                                      params.blocks)
