"""`sangkien new-year YEAR`: next year's parameters file from this year's, never over an existing one."""
from __future__ import annotations

import dataclasses
import shutil

import pytest
import yaml

from sangkien import paths
from sangkien.errors import ParamsError
from sangkien.inputs.params import Sections, load_params
from sangkien.tools.newyear import new_year, shift_years


@pytest.fixture
def params_dir(tmp_path):
    folder = tmp_path / "params"
    folder.mkdir()
    shutil.copy(paths.params_file_for(2023), folder / "2023.yaml")
    return folder


def test_from_the_committed_2023_file(params_dir):
    path = new_year(2024, params_dir)
    assert path == params_dir / "2024.yaml"
    old = load_params(2023, params_dir / "2023.yaml")
    new = load_params(2024, path, require_data=False)
    assert new.year == 2024
    assert new.doc_number == ""
    assert new.issue_date is None  # never guessed: the date the report is signed is the office's
    assert old.sample_data and new.data == old.data and new.sample_data is False  # a new year is a real one
    assert new.sections == Sections()  # every analyst section emptied
    assert new.subject_line.endswith("năm 2024 và phương hướng, nhiệm vụ năm 2025")
    assert new.signer == old.signer and new.recipients == old.recipients and new.blocks == old.blocks


def test_the_file_reads_well(params_dir):
    text = new_year(2024, params_dir).read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    assert raw["year"] == 2024 and raw["doc_number"] == ""
    assert raw["sections"] == {f.name: "" for f in dataclasses.fields(Sections)}
    lines = text.splitlines()
    for f in dataclasses.fields(Sections):
        at = lines.index(f"  {f.name}: |")
        assert lines[at - 1].startswith("  # ") and any(line.startswith("  # Gợi ý:") for line in lines[at - 3:at])
    assert "Năm 2023" not in text  # nothing of last year's prose is carried over
    assert all(len(line) <= 120 for line in lines)
    assert not list(params_dir.glob(".*"))  # no temporary file left


def test_other_keys_are_copied_and_dates_move_on(tmp_path):
    (tmp_path / "2020.yaml").write_text(
        "year: 2020\ndata: data/sample/so-dang-ky-sang-kien.xlsx\ndoc_number: '7'\nissue_date: 2020-02-29\n"
        "subject: Báo cáo năm 2020, hướng tới năm 2021 (giai đoạn 2016-2020)\n"
        "signer:\n  name: Trần Văn B\nrecipients:\n  - Nơi A\n  - 'Lưu: VT'\nperiod_start: 2018\nnotice_numbers: 30\n"
        "sections:\n  context: Đoạn cũ.\n", encoding="utf-8")
    path = new_year(2021, tmp_path)
    new = load_params(2021, path, require_data=False)
    assert new.issue_date is None
    assert new.subject == "Báo cáo năm 2021, hướng tới năm 2022 (giai đoạn 2016-2021)"
    assert new.signer.name == "Trần Văn B" and new.recipients == ("Nơi A", "Lưu: VT") and new.period_start == 2018
    assert new.doc_number == "" and new.sections.context == "" and new.notice_numbers == ""  # numbered anew


def test_no_traps_left(params_dir):
    """sample_data false with a comment, a signer slot, the issue date left empty (issue 20)."""
    text = new_year(2024, params_dir).read_text(encoding="utf-8")
    lines = text.splitlines()
    at = lines.index("sample_data: false")
    assert lines[at - 1].startswith("# ") and "minh họa" in " ".join(lines[at - 2:at])
    assert "issue_date:" in lines and "01/10/2024" in text
    raw = yaml.safe_load(text)
    assert raw["signer"] == {"name": ""} and raw["issue_date"] is None
    assert load_params(2024, params_dir / "2024.yaml", require_data=False).signer.title  # the defaults' title kept


def test_shift_years():
    assert shift_years("năm 2023 và năm 2024; năm 2016; 20235", 2023) == "năm 2024 và năm 2025; năm 2016; 20235"


@pytest.mark.slow
def test_a_fresh_file_builds_and_prints_no_prompt(tmp_path, run_main):
    """The new file is enough to build: empty sections show the report's own note, never the prompts."""
    folder = tmp_path / "params"
    folder.mkdir()
    shutil.copy(paths.params_file_for(2022), folder / "2022.yaml")
    status, out, err = run_main("new-year", "2023", "--params-dir", folder)
    assert status == 0, err
    status, out, err = run_main("build", "2023", "--params", folder / "2023.yaml", "--out", tmp_path / "out",
                                "--to", "html")
    assert status == 0, err
    page = (tmp_path / "out" / "2023" / "bao-cao-2023.html").read_text(encoding="utf-8")
    assert "nội dung phần này đang được soạn" in page and "DỰ THẢO" in page
    assert "Gợi ý" not in page and "tình hình chung của năm" not in page


def test_refuses_to_overwrite(params_dir, run_main):
    target = params_dir / "2024.yaml"
    target.write_text("year: 2024\n", encoding="utf-8")
    status, out, err = run_main("new-year", 2024, "--params-dir", params_dir)
    assert status == 2 and out == ""
    assert err == f"{target}: tệp đã có, không ghi đè; sửa thẳng tệp này (hoặc xóa nó trước nếu muốn tạo lại)\n"
    assert target.read_text(encoding="utf-8") == "year: 2024\n"


def test_no_previous_year(tmp_path, run_main):
    status, out, err = run_main("new-year", "2031", "--params-dir", tmp_path)
    assert status == 2
    assert err.count("\n") == 1 and "2030.yaml" in err and "không có tệp tham số năm 2030" in err
    assert not (tmp_path / "2031.yaml").exists()


def test_an_invalid_previous_file_is_named(tmp_path):
    (tmp_path / "2023.yaml").write_text("year: 2023\nperod_start: 2016\n", encoding="utf-8")
    with pytest.raises(ParamsError) as caught:
        new_year(2024, tmp_path)
    assert "perod_start" in caught.value.problems[0] and "period_start" in caught.value.problems[0]
    assert not (tmp_path / "2024.yaml").exists()


def test_command_line_success_message(params_dir, run_main):
    status, out, err = run_main("new-year", 2024, "--params-dir", params_dir)
    assert status == 0 and err == ""
    assert out.startswith(f"{params_dir / '2024.yaml'}: đã tạo") and "build 2024" in out
    assert "status 2024" in out
