"""The public Python API (``sangkien.*``): every call works, and works again, in one process (a scheduler's
worker calls them many times). Before, ``sangkien.build`` became the submodule after the first call."""
from __future__ import annotations

import json

import pytest
from conftest import SAMPLE_REGISTER
from registers import write_register_file

import sangkien
from sangkien import paths
from sangkien.errors import ParamsError


@pytest.fixture(scope="module")
def year_params(tmp_path_factory):
    """A parameters folder holding 2023 only (the batch then builds one year), of a register of six rows
    over two years and two units (the calls are the point, not the figures: the sample's workbook is read
    again by every call)."""
    folder = tmp_path_factory.mktemp("params")
    rows = [[f"SK-{year}-{i}", year, f"Giải pháp {i}", "Lê Văn A; Trần Thị B", ("Sở Y tế", "Sở Tài chính")[i % 2],
             "Giáo dục", "Y tế", "Công nhận" if i % 3 else "Không công nhận", 5_000_000, 80]
            for year in (2022, 2023) for i in range(3)]
    data = write_register_file(folder / "so-dang-ky.csv", rows)
    (folder / "2023.yaml").write_text(f"year: 2023\ndata: {data}\n", encoding="utf-8")
    return folder


def test_the_api_is_what_the_package_exports():
    assert set(sangkien.__all__) == {"build_year", "build_all", "build_unit", "check", "load_inputs",
                                     "report_figures", "units_of_year", "new_year", "sign_pdf", "verify", "collect",
                                     "status", "apply_edits"}
    assert all(callable(getattr(sangkien, name)) for name in sangkien.__all__)
    with pytest.raises(AttributeError):
        sangkien.no_such_call  # noqa: B018


def test_reading_calls_twice():
    for _ in range(2):
        assert len(sangkien.check(SAMPLE_REGISTER, params=paths.params_file_for(2025))) > 1000
        params, register = sangkien.load_inputs(2023)
        assert params.year == 2023 and register.sha256
        assert sangkien.report_figures(2023)["year"]["recognized"] == 63
        assert "Sở Giáo dục và Đào tạo" in sangkien.units_of_year(2023)


def test_new_year_twice(tmp_path):
    (tmp_path / "2023.yaml").write_text(f"year: 2023\ndata: {SAMPLE_REGISTER}\n", encoding="utf-8")
    assert sangkien.new_year(2024, params_dir=tmp_path).name == "2024.yaml"
    assert sangkien.new_year(2025, params_dir=tmp_path).name == "2025.yaml"
    with pytest.raises(ParamsError):  # never overwrites, and says so
        sangkien.new_year(2025, params_dir=tmp_path)


@pytest.mark.slow
def test_building_calls_twice(year_params, tmp_path):
    out = tmp_path / "out"
    params = year_params / "2023.yaml"
    first = sangkien.build_year(2023, params=params, out=out, formats=["html"])
    second = sangkien.build_year(2023, params=params, out=out, formats=["html"])
    assert not first.up_to_date and second.up_to_date
    assert second.outputs["html"].is_file()
    # the batch over the same folder finds the year built (the same parameters file, formats and output)
    for _ in range(2):
        assert sangkien.build_all(out=out, formats=["html"], jobs=1, params_dir=year_params) == 0
    assert json.loads((out / "2023" / "manifest.json").read_text(encoding="utf-8"))["fingerprint"]
    for _ in range(2):
        written = sangkien.build_unit(2023, "Sở Y tế", params=params, out=out, formats=["html"])
        assert written["html"].read_text(encoding="utf-8").count("Sở Y tế") >= 1


def test_collect_twice(tmp_path, write_register, make_row):
    folder = tmp_path / "don-vi-gui"
    folder.mkdir()
    write_register([make_row(ma_so="SK-1"), make_row(ma_so="SK-2")]).rename(folder / "so-y-te.csv")
    for _ in range(2):
        sangkien.collect(folder, tmp_path / "so-chung.xlsx", force=True)
        assert len(sangkien.check(tmp_path / "so-chung.xlsx")) == 2
