"""``collect FOLDER --into REGISTER --out FILE`` (issue 22): this year's workbooks added to the multi-year
register, checked as ``check`` checks it (today's blocks, earlier names mapped), through the command line:
the 2026 walk on the sample register, a merged province from two registers, and each refusal."""
from __future__ import annotations

import hashlib
import json

import pytest
from conftest import EDU, SAMPLE_REGISTER
from merger import HAI_DUONG, HAI_PHONG, MERGED_PARAMS
from officebooks import office_workbook
from openpyxl import load_workbook
from registers import HEADER, windows_1258, write_register_file

from sangkien.tools.collect import SOURCE_HEADERS
from sangkien.tools.template import DATA_SHEET

TODAY = "Sở, ngành, địa phương"
OLD = "Quận, huyện, sở, ngành"


def row(code: str, unit: str, block: str, result: str = "Công nhận", amount=2_500_000, year: int = 2026) -> list:
    return [code, year, f"Giải pháp {code}", "Nguyễn Thị Hường; Trần Văn Bình", unit, block,
            "Giáo dục" if block == EDU else "Hành chính công", result, amount, 82]


UNITS_2026 = {
    "so-y-te.xlsx": [row("SK-2026-001", "Sở Y tế", TODAY), row("SK-2026-002", "Sở Y tế", TODAY, "Không công nhận"),
                     row("SK-2026-003", "Sở Y tế", TODAY, "Đang xét", None)],
    "truong-ngo-quyen.xlsx": [row("SK-2026-004", "Trường THPT Ngô Quyền", EDU),
                              row("SK-2026-005", "Trường THPT Ngô Quyền", EDU, "Không công nhận")],
    "ubnd-phuong-le-chan.xlsx": [row("SK-2026-006", "UBND phường Lê Chân", TODAY),
                                 row("SK-2026-007", "UBND phường Lê Chân", TODAY)],
    "so-tai-chinh.csv": [row("SK-2026-008", "Sở Tài chính", OLD),  # the block before 2025, still in use there
                         row("SK-2026-009", "Sở Tài chính", TODAY, "Không công nhận")],
    "so-giao-duc.xlsx": [row("SK-2026-010", "Sở Giáo dục và Đào tạo", EDU),
                         row("SK-2026-011", "Trường Mầm non Hoa Sen mới", EDU)],
}


def unit_files(folder, units=UNITS_2026):
    """What five units sent for 2026, each its own way: office tables (title block, totals row, signature, amounts
    in triệu đồng), one school's two sheets, a CSV from Excel on a Vietnamese Windows (Windows-1258)."""
    folder.mkdir(exist_ok=True)
    for name, rows in units.items():
        if name.endswith(".csv"):
            write_register_file(folder / name, [[windows_1258(str(v)) if isinstance(v, str) else v for v in r]
                                                for r in rows], header=[windows_1258(h) for h in HEADER],
                                encoding="cp1258")
        elif name == "truong-ngo-quyen.xlsx":
            office_workbook(folder / name, {"Đợt 1": rows[:1], "Đợt 2": rows[1:]})
        else:
            office_workbook(folder / name, {"Danh sách": rows})
    return folder


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lines_of(path) -> list[tuple]:
    return list(load_workbook(path, read_only=True)[DATA_SHEET].iter_rows(values_only=True))


@pytest.fixture
def year_2026(tmp_path):
    """The five units' folder, and params/2026.yaml (only year and data) in a params folder of the test's own."""
    folder = unit_files(tmp_path / "don-vi-2026")
    params_dir = tmp_path / "params"
    params_dir.mkdir()
    out = tmp_path / "so-dang-ky-2016-2026.xlsx"
    params = params_dir / "2026.yaml"
    params.write_text(f"year: 2026\ndata: {out}\nsample_data: true\n", encoding="utf-8")
    return folder, params, out


def test_the_2026_walk_into_the_sample_register(year_2026, run_main):
    folder, params, out = year_2026
    before = digest(SAMPLE_REGISTER)
    status, stdout, err = run_main("collect", folder, "--into", SAMPLE_REGISTER, "--out", out, "--params", params)
    assert (status, err) == (0, "")
    assert digest(SAMPLE_REGISTER) == before  # the register is never changed
    lines = stdout.splitlines()
    assert lines[0] == (f"{out}: 1071 dòng của sổ {SAMPLE_REGISTER} (giữ nguyên thứ tự; sổ không bị thay đổi), rồi "
                        "11 sáng kiến mới từ 5 tệp")
    added = lines[lines.index("Số sáng kiến thêm vào sổ theo đơn vị và năm:") + 1:]
    assert "  Sở Y tế, năm 2026: 3" in added and "  Sở Tài chính, năm 2026: 2" in added and len(added) == 6
    assert "so-tai-chinh.csv: đọc theo mã Windows-1258" in stdout

    written, sample = lines_of(out), lines_of(SAMPLE_REGISTER)
    assert written[0] == tuple(HEADER) + SOURCE_HEADERS
    assert [r[0] for r in written[1:1072]] == [r[0] for r in sample[1:]]  # the register's rows, in its order
    assert written[1][:10] == sample[1][:10] and written[1][10:] == (SAMPLE_REGISTER.name, "Sổ đăng ký", 2)
    assert [r[0] for r in written[1072:]] == [r[0] for u in sorted(UNITS_2026) for r in UNITS_2026[u]]
    new = {r[0]: r for r in written[1072:]}
    assert new["SK-2026-008"][5] == OLD  # names kept as the unit wrote them; check maps them
    assert new["SK-2026-001"][8] == 2_500_000 and new["SK-2026-001"][10:] == ("so-y-te.xlsx", "Danh sách", 8)
    assert new["SK-2026-005"][10:] == ("truong-ngo-quyen.xlsx", "Đợt 2", 8)
    assert new["SK-2026-009"][4] == "Sở Tài chính" and new["SK-2026-009"][10:] == ("so-tai-chinh.csv", None, 3)

    status, stdout, err = run_main("check", out, "--params", params)
    assert (status, err) == (0, "")
    assert stdout.splitlines()[0] == f"{out}: hợp lệ — 1082 sáng kiến, năm " + ", ".join(map(str, range(2016, 2027)))
    assert "không có trong sổ" not in stdout
    assert "  2026: Giáo dục 3/4; Sở, ngành, địa phương 4/7" in stdout.splitlines()

    # next year, into this year's register: its lines keep the sources they name
    nxt = unit_files(folder.with_name("don-vi-2027"), {"so-y-te.xlsx": [row("SK-2027-001", "Sở Y tế", TODAY, year=2027)]})
    status, stdout, err = run_main("collect", nxt, "--into", out, "--out", out.with_name("2027.xlsx"))
    assert (status, err) == (0, "")
    carried = {r[0]: r[10:] for r in lines_of(out.with_name("2027.xlsx"))[1:]}
    assert carried["SK-2026-005"] == ("truong-ngo-quyen.xlsx", "Đợt 2", 8)
    assert carried["SK-2016-001"] == (SAMPLE_REGISTER.name, "Sổ đăng ký", 2)
    assert carried["SK-2027-001"] == ("so-y-te.xlsx", "Danh sách", 8)

    # the same again: refused without --force, the same bytes with it
    status, _, err = run_main("collect", folder, "--into", SAMPLE_REGISTER, "--out", out, "--params", params)
    assert status == 2 and "--force" in err
    first = digest(out)
    assert run_main("collect", folder, "--into", SAMPLE_REGISTER, "--out", out, "--params", params, "--force")[0] == 0
    assert digest(out) == first


def test_without_params_the_latest_year_s_are_used_and_said(year_2026, run_main, tmp_path):
    folder, _, out = year_2026
    status, stdout, err = run_main("collect", folder, "--into", SAMPLE_REGISTER, "--out", out)
    assert (status, err) == (0, "")
    assert stdout.splitlines()[-1].startswith("(đã kiểm tra theo tham số của năm mới nhất trong params/: ")
    assert stdout.splitlines()[-1].endswith("2025.yaml (chọn tệp khác bằng --params))")


@pytest.mark.slow
def test_the_2026_report_compares_with_2016_2025_under_today_s_names(year_2026, run_main, tmp_path):
    folder, params, out = year_2026
    assert run_main("collect", folder, "--into", SAMPLE_REGISTER, "--out", out, "--params", params)[0] == 0
    status, stdout, err = run_main("build", "2026", "--params", params, "--out", tmp_path / "reports", "--to", "html")
    assert status == 0, err
    manifest = json.loads((tmp_path / "reports" / "2026" / "manifest.json").read_text(encoding="utf-8"))
    year, period = manifest["figures"]["year"], manifest["figures"]["period"]
    assert (year["submitted"], year["recognized"], year["pending"]) == (11, 7, 1)
    assert year["by_block"] == {EDU: {"submitted": 4, "recognized": 3}, TODAY: {"submitted": 7, "recognized": 4}}
    assert (period["from"], period["to"], period["submitted"]) == (2016, 2025, 1071)
    assert list(period["by_block"]) == [EDU, TODAY]
    page = (tmp_path / "reports" / "2026" / "bao-cao-2026.html").read_text(encoding="utf-8")
    assert "Quận, huyện, sở, ngành" in page  # said as a name mapped onto today's


def test_a_merged_province_from_two_registers(tmp_path, run_main):
    city = write_register_file(tmp_path / "hai-phong.xlsx", HAI_PHONG)
    folder = tmp_path / "hai-duong"
    folder.mkdir()
    write_register_file(folder / "hai-duong.xlsx", HAI_DUONG)
    out = tmp_path / "so-dang-ky-hop-nhat.xlsx"
    params = tmp_path / "2025.yaml"
    params.write_text(MERGED_PARAMS.replace("so-dang-ky.csv", str(out)), encoding="utf-8")
    status, stdout, err = run_main("collect", folder, "--into", city, "--out", out, "--params", params)
    assert (status, err) == (0, "")
    assert "  UBND phường Hải Dương, năm 2023: 1" in stdout.splitlines()  # today's name
    assert [r[0] for r in lines_of(out)[1:]] == [r[0] for r in HAI_PHONG + HAI_DUONG]
    status, stdout, err = run_main("check", out, "--params", params)
    assert (status, err) == (0, "") and "hợp lệ — 8 sáng kiến, năm 2023, 2024, 2025" in stdout


def refused(run_main, folder, out, *args) -> tuple[int, str]:
    before = digest(SAMPLE_REGISTER)
    status, _, err = run_main("collect", folder, "--into", SAMPLE_REGISTER, "--out", out, *args)
    assert not out.exists() or "--force" in err
    assert digest(SAMPLE_REGISTER) == before
    return status, err


def test_a_code_already_in_the_register_is_named_with_both_places(tmp_path, run_main):
    folder = unit_files(tmp_path / "f", {"so-y-te.xlsx": [row("SK-2025-096", "Sở Y tế", TODAY)]})
    status, err = refused(run_main, folder, tmp_path / "out.xlsx")
    assert status == 3
    line = next(line for line in err.splitlines() if "SK-2025-096" in line)
    assert line.startswith(f'{folder / "so-y-te.xlsx"}: trang "Danh sách", dòng 8, cột "Mã số"')
    assert f"tệp {SAMPLE_REGISTER}" in line and "trùng" in line


def test_a_unit_under_another_block_in_an_earlier_year_is_named_with_both_places(tmp_path, run_main):
    folder = unit_files(tmp_path / "f", {"so-y-te.xlsx": [row("SK-2026-001", "Sở Y tế", EDU)]})
    status, err = refused(run_main, folder, tmp_path / "out.xlsx")
    assert status == 3
    (line,) = [line for line in err.splitlines() if "Sở Y tế" in line]
    assert f'{folder / "so-y-te.xlsx"}: trang "Danh sách", dòng 8, cột "Khối"' in line
    assert 'đã thuộc khối "Sở, ngành, địa phương"' in line and f"tệp {SAMPLE_REGISTER}" in line


def test_a_year_the_register_holds_from_the_unit_is_a_likely_second_submission(tmp_path, run_main):
    folder = unit_files(tmp_path / "f", {"so-y-te.xlsx": [row("SK-Y-1", "Sở Y tế", TODAY, year=2025),
                                                          row("SK-Y-2", "Sở Y tế", TODAY, year=2025)]})
    status, err = refused(run_main, folder, tmp_path / "out.xlsx")
    assert status == 3
    (line,) = err.splitlines()
    assert line.startswith(f'{folder / "so-y-te.xlsx"}: trang "Danh sách", dòng 8: đơn vị "Sở Y tế" gửi 2 sáng kiến '
                           f"năm 2025, nhưng sổ {SAMPLE_REGISTER} đã có 2 sáng kiến năm 2025 của đơn vị này")
    assert "lần gửi thứ hai" in line


def test_the_register_is_never_written_over(tmp_path, run_main, year_2026):
    folder, _, _ = year_2026
    copy = tmp_path / "so.xlsx"
    copy.write_bytes(SAMPLE_REGISTER.read_bytes())
    for force in ((), ("--force",)):
        status, _, err = run_main("collect", folder, "--into", copy, "--out", copy, *force)
        assert status == 2 and "--out trùng với sổ --into" in err and "ghi đè;" not in err
    assert copy.read_bytes() == SAMPLE_REGISTER.read_bytes()
    status, _, err = run_main("collect", folder, "--into", tmp_path / "khong-co.xlsx", "--out", tmp_path / "o.xlsx")
    assert status == 3 and "không tìm thấy sổ đăng ký (--into)" in err and not (tmp_path / "o.xlsx").exists()


def test_the_register_inside_the_folder_is_read_once_as_the_register(tmp_path, run_main, year_2026):
    folder, params, out = year_2026
    inside = folder / "so-dang-ky.xlsx"
    inside.write_bytes(SAMPLE_REGISTER.read_bytes())
    status, stdout, err = run_main("collect", folder, "--into", inside, "--out", out, "--params", params)
    assert (status, err) == (0, "")
    assert "so-dang-ky.xlsx: không đọc — sổ nhiều năm (--into)" in stdout


def test_collect_and_check_decide_alike(year_2026, run_main, tmp_path):
    """One function decides: a 2026 row under the block before 2025 passes both with the year's parameters
    (mapped by the shared reorganisation), an unknown block fails both with the same line; a file of 2026 alone
    gives no warning about earlier names it does not hold."""
    _, params, _ = year_2026
    folder = unit_files(tmp_path / "f", {"so-tai-chinh.xlsx": [row("SK-1", "Sở Tài chính", OLD)]})
    status, stdout, err = run_main("check", folder / "so-tai-chinh.xlsx", "--params", params)
    assert (status, err) == (0, "") and "không có trong sổ" not in stdout
    assert run_main("collect", folder, "--out", tmp_path / "a.xlsx", "--params", params)[:3:2] == (0, "")
    folder = unit_files(tmp_path / "g", {"so-tai-chinh.xlsx": [row("SK-1", "Sở Tài chính", "Khối lạ")]})
    checked = run_main("check", folder / "so-tai-chinh.xlsx", "--params", params)
    collected = run_main("collect", folder, "--out", tmp_path / "b.xlsx", "--params", params)
    assert checked[0] == collected[0] == 3
    tail = 'dòng 8, cột "Khối", giá trị "Khối lạ": khối không có trong tham số; cần một trong: "Giáo dục"; ' + f'"{TODAY}"'
    assert checked[2].strip().endswith(tail) and collected[2].strip().endswith(tail)
