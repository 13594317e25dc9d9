"""``sangkien collect FOLDER --out FILE`` (issue 10, contract section 1): the units' workbooks, each laid out
its own way, merged into one register with the figures of the same data kept cleanly; every problem of
every file listed; no source file ever changed."""
from __future__ import annotations

import hashlib
import json

import pytest
from conftest import BLOCKS, EDU, HEADER, OTHER
from officebooks import clean_rows, office_workbook
from openpyxl import load_workbook
from registers import write_register_file

from sangkien.figures import frame as frame_of
from sangkien.figures import manifest_figures
from sangkien.inputs.register import read_register
from sangkien.tools.collect import SOURCE_HEADERS
from sangkien.tools.template import DATA_SHEET


def digests(folder) -> dict:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir())}


def figures(path) -> dict:
    return manifest_figures(frame_of(read_register(path, BLOCKS)), 2023, 2016, BLOCKS)


@pytest.fixture
def units(tmp_path):
    """A folder of what four units sent, each its own way, and the same rows as one clean register."""
    rows = clean_rows()
    folder = tmp_path / "don-vi"
    folder.mkdir()
    office_workbook(folder / "so-y-te.xlsx", {"Sổ": rows[0:3]})  # title block, merged unit, totals, signature
    office_workbook(folder / "truong-ngo-quyen.xlsx", {"Năm 2023": [r for r in rows[3:6] if r[1] == 2023],
                                                      "Năm 2022": [r for r in rows[3:6] if r[1] == 2022]})
    # what Excel's "Unicode Text" writes: UTF-16 with its mark, tab separated
    write_register_file(folder / "so-tai-chinh.csv", rows[6:9], delimiter="\t", encoding="utf-16")
    write_register_file(folder / "truong-tran-phu.xlsx", rows[9:12])
    (folder / "~$so-y-te.xlsx").write_bytes(b"\x00lock")  # Excel's lock file while the workbook is open
    return folder, write_register_file(tmp_path / "clean.xlsx", rows)


def test_collect_gives_the_figures_of_the_clean_register(units, run_main, tmp_path):
    folder, clean = units
    before = digests(folder)
    out = tmp_path / "so-dang-ky-gop.xlsx"
    status, stdout, err = run_main("collect", folder, "--out", out)
    assert (status, err) == (0, "")
    assert digests(folder) == before  # no source file changed, nothing added
    assert figures(out) == figures(clean)
    status, stdout2, _ = run_main("check", out)
    assert status == 0 and stdout2.startswith(f"{out}: hợp lệ — 12 sáng kiến, năm 2022, 2023\n")
    # the figures a build of it states in its manifest (the build reads the register as `figures` does)
    status, figures_json, _ = run_main("figures", 2023, "--data", out)
    assert status == 0 and json.loads(figures_json) == figures(clean)


def test_each_line_names_its_source_file_sheet_and_row(units, tmp_path):
    from sangkien.api import collect

    folder, _ = units
    out = tmp_path / "gop.xlsx"
    collect(folder, out)
    sheet = load_workbook(out)[DATA_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER) + SOURCE_HEADERS
    sources = {row[0]: row[-3:] for row in rows[1:]}
    assert sources["SK-01"] == ("so-y-te.xlsx", "Sổ", 8)  # under the title block and the numbering row
    assert sources["SK-05"] == ("truong-ngo-quyen.xlsx", "Năm 2023", 9)
    assert sources["SK-06"] == ("truong-ngo-quyen.xlsx", "Năm 2022", 8)
    assert sources["SK-07"] == ("so-tai-chinh.csv", None, 2)  # a CSV file has no sheet
    assert sources["SK-12"] == ("truong-tran-phu.xlsx", "Sheet", 4)
    amounts = {row[0]: row[8] for row in rows[1:]}
    assert amounts["SK-02"] == 3_000_000  # written in millions, kept in đồng
    assert sheet["I2"].number_format == "#,##0" and sheet["B2"].number_format == "0"


def test_the_summary_names_each_file_its_units_rows_sheets_and_rows_left_out(units, run_main, tmp_path):
    folder, _ = units
    out = tmp_path / "gop.xlsx"
    status, stdout, _ = run_main("collect", folder, "--out", out)
    lines = stdout.splitlines()
    assert lines[0] == f"{out}: đã gộp 12 sáng kiến từ 4 tệp"
    table = {line.split()[0]: line for line in lines[3:7]}
    assert lines[2].split() == ["tệp", "đơn", "vị", "sáng", "kiến", "trang", "đã", "đọc", "dòng", "bỏ", "qua"]
    assert set(table) == {"so-tai-chinh.csv", "so-y-te.xlsx", "truong-ngo-quyen.xlsx", "truong-tran-phu.xlsx"}
    assert table["so-y-te.xlsx"].split() == ["so-y-te.xlsx", "Sở", "Y", "tế", "3", "Sổ", "6"]
    assert "Năm 2023, Năm 2022" in table["truong-ngo-quyen.xlsx"]
    assert any(line.startswith('so-y-te.xlsx: bỏ qua dòng 7 (đánh số cột') for line in lines)


def test_every_problem_of_every_file_and_nothing_written(units, run_main, tmp_path):
    folder, _ = units
    rows = clean_rows()
    rows[0][5] = "Khối lạ"
    write_register_file(folder / "trung-lap.xlsx", [rows[0], rows[10]])  # SK-01 and SK-11 sent twice
    (folder / "hong.csv").write_bytes(b"PK\x03\x04 not really")
    out = tmp_path / "gop.xlsx"
    before = digests(folder)
    status, stdout, err = run_main("collect", folder, "--out", out)
    assert (status, stdout) == (3, "")
    assert not out.exists() and digests(folder) == before
    lines = err.splitlines()
    assert lines[0].startswith(f"{folder / 'hong.csv'}: đây là tệp Excel bị đổi tên thành .csv")
    assert f'{folder / "trung-lap.xlsx"}: trang "Sheet", dòng 2, cột "Khối", giá trị "Khối lạ"' in err
    assert (f'{folder / "truong-tran-phu.xlsx"}: trang "Sheet", dòng 3, cột "Mã số", giá trị "SK-11": mã số trùng '
            f'với tệp {folder / "trung-lap.xlsx"}, trang "Sheet", dòng 3') in err  # files are read by name
    assert (f'{folder / "trung-lap.xlsx"}: trang "Sheet", dòng 2, cột "Mã số", giá trị "SK-01": mã số trùng với '
            f'tệp {folder / "so-y-te.xlsx"}, trang "Sổ", dòng 8') in err


def test_out_is_never_overwritten_unless_forced(units, run_main, tmp_path):
    folder, _ = units
    out = tmp_path / "gop.xlsx"
    out.write_bytes(b"the analyst's own file")
    status, _, err = run_main("collect", folder, "--out", out)
    assert status == 2 and out.read_bytes() == b"the analyst's own file"
    assert err == f"{out}: tệp đã có; chọn tên khác cho --out, hoặc thêm --force để ghi đè\n"
    status, _, _ = run_main("collect", folder, "--out", out, "--force")
    assert status == 0 and len(read_register(out, BLOCKS)) == 12


def test_the_register_written_into_the_folder_is_not_read_again(units, run_main):
    folder, _ = units
    out = folder / "gop.xlsx"
    assert run_main("collect", folder, "--out", out)[0] == 0
    status, stdout, _ = run_main("collect", folder, "--out", out, "--force")
    assert status == 0 and "từ 4 tệp" in stdout  # not five: its own output is left aside


def test_the_same_inputs_write_the_same_bytes(units, tmp_path):
    from sangkien.api import collect

    folder, _ = units
    collect(folder, tmp_path / "a.xlsx")
    collect(folder, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_blocks_come_from_the_parameters(tmp_path, run_main):
    folder = tmp_path / "don-vi"
    folder.mkdir()
    rows = clean_rows()[:2]
    rows[1][5] = "Doanh nghiệp"
    rows[1][4] = "Công ty X"
    write_register_file(folder / "a.xlsx", rows)
    out = tmp_path / "gop.xlsx"
    assert run_main("collect", folder, "--out", out)[0] == 3
    params = tmp_path / "p.yaml"
    params.write_text(f'year: 2023\nblocks: [{EDU}, "{OTHER}", Doanh nghiệp]\n', encoding="utf-8")
    assert run_main("collect", folder, "--out", out, "--params", params)[0] == 0
    lists = load_workbook(out)["Danh mục"]
    assert [c.value for c in lists["A"][1:4]] == [EDU, OTHER, "Doanh nghiệp"]


@pytest.mark.parametrize("case, status, message", [
    ("missing", 3, "không tìm thấy thư mục"),
    ("empty", 3, "không có tệp .xlsx, .xls hay .csv nào trong thư mục"),
    ("not-xlsx", 2, "tệp ghi ra cần phần mở rộng .xlsx"),
])
def test_what_cannot_be_collected(tmp_path, run_main, case, status, message):
    folder = tmp_path / "don-vi"
    if case != "missing":
        folder.mkdir()
    out = tmp_path / ("gop.csv" if case == "not-xlsx" else "gop.xlsx")
    got, _, err = run_main("collect", folder, "--out", out)
    assert got == status and message in err and not out.exists()


def test_collect_needs_out(run_main, tmp_path):
    status, _, err = run_main("collect", tmp_path)
    assert status == 2 and "--out" in err
