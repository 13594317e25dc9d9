"""Another province, other blocks: the wording follows the parameters, not Hai Phong."""
from __future__ import annotations

import pytest
from registers import write_register_file

from sangkien.inputs.params import load_params
from sangkien.inputs.register import read_register
from sangkien.report.unit import UnitReport
from sangkien.report.yearly import Report

BLOCKS = ["Khối Doanh nghiệp", "Khối Y tế", "Nông nghiệp"]


@pytest.fixture
def province(tmp_path):
    rows = [[f"X{i}", 2024 + i % 2, f"Sáng kiến {i}", "Lê A; Trần B", f"Công ty {i % 3}", BLOCKS[i % 3],
             "Cơ khí", "Công nhận" if i % 2 else "Không công nhận", "", ""] for i in range(24)]
    data = write_register_file(tmp_path / "so-dang-ky.csv", rows)
    params = tmp_path / "2025.yaml"
    params.write_text(f"year: 2025\ndata: {data}\nparent_body: UBND TỈNH QUẢNG NINH\nblocks:\n"
                      + "".join(f"  - {b}\n" for b in BLOCKS), encoding="utf-8")
    p = load_params(2025, params)
    return p, read_register(p.data, p.blocks)


def test_a_province_recognises_at_province_level(province):
    p, register = province
    assert p.recognition_level == "tỉnh"
    report = Report(p, register)
    assert "sáng kiến cấp tỉnh" in report.overview().html and "thành phố" not in report.overview().html
    assert "CẤP TỈNH NĂM 2025" in report.appendix().html


def test_blocks_named_khoi_are_not_named_twice(province):
    p, register = province
    report = Report(p, register)
    for html in (report.overview().html, report.units_part().html, report.assessment().html):
        assert "Khối Khối" not in html and "khối Khối" not in html and "khối khối" not in html
    assert "khối Nông nghiệp" in report.overview().html


def test_unit_sheet_compares_with_the_province(province):
    p, register = province
    sheet = UnitReport(p, register, "Công ty 1")
    assert "tỷ lệ chung của tỉnh" in sheet.summary().html
    assert "thành phố" not in sheet.summary().html


def test_level_can_be_set(tmp_path, province):
    p, _ = province
    params = tmp_path / "level.yaml"
    params.write_text(f"year: 2025\ndata: {p.data}\nlevel: bộ\n", encoding="utf-8")
    assert load_params(2025, params).recognition_level == "bộ"


def test_fields_sentence_when_nothing_is_recognised():
    import pandas as pd

    from sangkien.figures import top_field
    from sangkien.report.wording import top_field_sentence

    table = pd.DataFrame({"linh_vuc": ["Cơ khí", "Y tế"], "submitted": [14, 13], "recognized": [0, 0]})
    assert top_field_sentence(2, top_field(table)) == (
        "Các sáng kiến đề nghị thuộc 2 lĩnh vực; nhiều nhất là lĩnh vực Cơ khí với 14 sáng kiến đề nghị, chưa có "
        "sáng kiến nào được công nhận.")
    table = pd.DataFrame({"linh_vuc": ["Giáo dục"], "submitted": [49], "recognized": [36]})
    assert top_field_sentence(1, top_field(table)) == (
        "Các sáng kiến đề nghị đều thuộc lĩnh vực Giáo dục, với 36 sáng kiến được công nhận trên 49 sáng kiến đề nghị.")
