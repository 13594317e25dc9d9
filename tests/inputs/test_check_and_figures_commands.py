"""The commands ``check`` and ``figures`` (contract section 1), run as a user runs them."""
from __future__ import annotations

import json

import pytest
from conftest import EDU, OTHER, PINNED, ROOT

from sangkien import paths

SAMPLE = "data/sample/so-dang-ky-sang-kien.xlsx"
YEARS = ", ".join(str(year) for year in range(2016, 2026))


# --------------------------------------------------------------------------- check

def test_check_the_sample(run_main):
    """The sample spans the 2025 reorganisation: checked against the blocks of 2025, with its mapping."""
    status, out, err = run_main("check", SAMPLE, "--params", "params/2025.yaml")
    assert (status, err) == (0, "")
    assert out.startswith(f"{SAMPLE}: hợp lệ — 1071 sáng kiến, năm 2016, 2017,")
    assert "2024, 2025\n  đã đọc trang \"Sổ đăng ký\" (tiêu đề ở dòng 1, 1071 dòng)" in out
    assert "\nTính theo tên hiện nay (khóa reorganisation): 268 sáng kiến ghi khối trước đây" in out


def test_check_the_sample_before_the_reorganisation(run_main, tmp_path):
    """Without --params, the latest year's parameters (2025: today's blocks, earlier names mapped), said; against
    the blocks before 2025, the rows of 2025 name a block they do not know; with a parameters file of 2023, rows
    after 2023 may (as when building 2023)."""
    status, out, err = run_main("check", SAMPLE)
    assert (status, err) == (0, "")
    assert out.splitlines()[-1] == (f"(đã kiểm tra theo tham số của năm mới nhất trong params/: "
                                    f"{ROOT / 'params' / '2025.yaml'} (chọn tệp khác bằng --params))")
    assert "Tên trước đây trong reorganisation" not in out  # every old name is in the sample
    old = tmp_path / "p.yaml"
    old.write_text("year: 2030\n" + PINNED, encoding="utf-8")
    status, out, err = run_main("check", SAMPLE, "--params", old)
    assert status == 3 and len(err.splitlines()) == 36
    assert 'cột "Khối", giá trị "Sở, ngành, địa phương": khối không có trong tham số' in err
    status, out, err = run_main("check", SAMPLE, "--params", "params/2023.yaml")
    assert (status, err) == (0, "") and out.splitlines()[0] == f"{SAMPLE}: hợp lệ — 1071 sáng kiến, năm {YEARS}"
    assert "Tính theo tên hiện nay" not in out  # 2023 maps nothing


@pytest.mark.slow
def test_check_reports_every_problem_and_exits_3(run_cli, write_register, make_row):
    rows = [
        make_row(ma_so="SK-1"),
        make_row(ma_so="SK-1", nam="2023.5"),
        make_row(ma_so="SK-3", khoi="Doanh nghiệp", don_vi="Công ty X"),
        make_row(ma_so="SK-4", don_vi="Së Gi¸o dôc vµ §µo t¹o"),
        make_row(ma_so="SK-5", ten_sang_kien="", so_tien_lam_loi="-1"),
    ]
    path = write_register(rows, fmt="xlsx")
    status, out, err = run_cli("check", path)
    lines = err.splitlines()
    assert status == 3 and out == ""
    assert "Traceback" not in err
    assert [line.split(",")[0] for line in lines] == [
        f"{path}: dòng 3", f"{path}: dòng 3", f"{path}: dòng 4", f"{path}: dòng 5", f"{path}: dòng 6", f"{path}: dòng 6",
    ]
    assert 'dòng 3, cột "Mã số", giá trị "SK-1": mã số trùng với dòng 2' in lines[0]
    assert 'dòng 3, cột "Năm", giá trị "2023.5"' in lines[1]
    assert 'dòng 4, cột "Khối", giá trị "Doanh nghiệp"' in lines[2]
    assert 'dòng 5, cột "Đơn vị"' in lines[3] and "TCVN3" in lines[3]
    assert 'dòng 6, cột "Tên sáng kiến": ô trống' in lines[4]
    assert 'dòng 6, cột "Số tiền làm lợi", giá trị "-1"' in lines[5]


def test_check_leaves_the_file_alone(run_main, write_register, make_row):
    path = write_register([make_row(ket_qua="??")])
    before = (path.read_bytes(), path.stat().st_mtime_ns, sorted(path.parent.iterdir()))
    status, _, _ = run_main("check", path)
    assert status == 3
    assert (path.read_bytes(), path.stat().st_mtime_ns, sorted(path.parent.iterdir())) == before


@pytest.mark.parametrize("content, expected", [
    (b"", "tệp rỗng (0 byte)"),
    (bytes(range(256)) * 8, "không đọc được tệp"),
])
def test_check_unreadable_files(run_main, tmp_path, content, expected):
    path = tmp_path / "so.xlsx"
    path.write_bytes(content)
    status, out, err = run_main("check", path)
    assert (status, out) == (3, "")
    (line,) = err.splitlines()
    assert line.startswith(f"{path}: {expected}")


def test_check_header_without_rows(run_main, write_register):
    path = write_register([])
    status, _, err = run_main("check", path)
    assert (status, err) == (3, f"{path}: chỉ có dòng tiêu đề, không có dòng dữ liệu nào\n")


def test_check_against_the_blocks_of_a_parameters_file(run_main, write_register, make_row, tmp_path):
    path = write_register([make_row(khoi="Doanh nghiệp", don_vi="Công ty X")])
    status, _, err = run_main("check", path)  # the latest year's parameters: today's two blocks
    assert (status, err) == (3, f'{path}: dòng 2, cột "Khối", giá trị "Doanh nghiệp": khối không có trong tham số; '
                                'cần một trong: "Giáo dục"; "Sở, ngành, địa phương"\n')
    params = tmp_path / "p.yaml"
    params.write_text('year: 2023\nblocks: [Giáo dục, "Quận, huyện, sở, ngành", Doanh nghiệp]\n', encoding="utf-8")
    status, out, err = run_main("check", path, "--params", params)
    assert (status, err) == (0, "")
    assert "hợp lệ — 1 sáng kiến, năm 2023" in out


def test_check_with_bad_parameters_exits_2(run_main, write_register, make_row, tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text("year: 2023\nblokcs: [A]\n", encoding="utf-8")
    status, _, err = run_main("check", write_register([make_row()]), "--params", params)
    assert (status, err) == (2, f'{params}: khóa không hợp lệ "blokcs"; có phải ý bạn là "blocks"?\n')


@pytest.mark.slow
def test_check_without_a_file_is_a_command_line_error(run_cli):
    status, out, err = run_cli("check")
    assert status == 2 and out == ""
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith("lệnh không hợp lệ: ")


# --------------------------------------------------------------------------- figures



def test_figures_with_another_register(run_main, write_register, make_row, tmp_path):
    rows = [make_row(ma_so="SK-1", nam=2022), make_row(ma_so="SK-2", so_tien_lam_loi="2.500.000"),
            make_row(ma_so="SK-3", ket_qua="Đang xét"), make_row(ma_so="SK-4", nam=2024)]
    status, out, err = run_main("figures", 2023, "--data", write_register(rows))
    assert (status, err) == (0, "")
    figures = json.loads(out)
    assert figures["year"] == {"submitted": 2, "recognized": 1, "pending": 1, "benefit_vnd": 2_500_000,
                               "by_block": {EDU: {"submitted": 0, "recognized": 0}, OTHER: {"submitted": 2, "recognized": 1}}}
    assert figures["period"]["submitted"] == 1 and figures["period"]["to"] == 2022


def test_figures_with_invalid_data_exits_3(run_main, write_register, make_row):
    status, out, err = run_main("figures", 2023, "--data", write_register([make_row(diem=101)]))
    assert (status, out) == (3, "")
    assert len(err.splitlines()) == 1 and 'dòng 2, cột "Điểm", giá trị "101"' in err


# --------------------------------------------------------------------------- parameters: exit 2, one line
# Every mistake in a parameters file is named in tests/inputs/test_params.py; here, that the command
# line reports one as one line and exit status 2.

def test_bad_parameters_exit_2_with_one_line(run_main, tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text(f"year: 2023\ndata: {SAMPLE}\nperod_start: 2016\n", encoding="utf-8")
    status, out, err = run_main("figures", 2023, "--params", params)
    assert (status, out) == (2, "")
    assert err == f'{params}: khóa không hợp lệ "perod_start"; có phải ý bạn là "period_start"?\n'


@pytest.mark.slow
def test_bad_parameters_through_the_real_command(run_cli, tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text(f"year: 2023\ndata: {SAMPLE}\nblocks: [a\nplace: x\n", encoding="utf-8")
    status, out, err = run_cli("figures", "2023", "--params", params)
    assert (status, out) == (2, "")
    assert "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith(f"{params}, dòng 4, cột 6: lỗi cú pháp YAML")


def test_parameters_in_another_folder_inherit_the_defaults(run_main, tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text(f"year: 2023\ndata: {SAMPLE}\n", encoding="utf-8")
    status, out, _ = run_main("figures", 2023, "--params", params)
    assert status == 0
    assert list(json.loads(out)["year"]["by_block"]) == [EDU, "Sở, ngành, địa phương"]  # today's organisation


def test_no_parameters_for_the_year(run_main):
    status, _, err = run_main("figures", 2031)
    assert status == 2
    assert err == (f"{paths.params_file_for(2031)}: không có tệp tham số cho năm 2031; tạo tệp này "
                   "(chỉ cần 'year: 2031' và 'data: ...') hoặc dùng --params\n")


def test_figures_year_not_a_number(run_main):
    status, out, err = run_main("figures", "hai-nghin")
    assert status == 2 and out == ""
    assert "lệnh không hợp lệ" in err
