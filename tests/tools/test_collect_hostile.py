"""``collect`` as a careless colleague or an odd folder tries it (issue 24): every entry of the folder not
read is named with its reason, two runs to one file never silently replace each other, odd names and
targets get one line, and the register is written in time linear in its rows."""
from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest
from officebooks import clean_rows
from openpyxl.worksheet.worksheet import Worksheet
from registers import write_register_file

from sangkien.errors import OutputError, ParamsError
from sangkien.tools import collect as collecting


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "don-vi"
    folder.mkdir()
    write_register_file(folder / "so-y-te.xlsx", clean_rows()[:3])
    return folder


def test_every_entry_not_read_is_named_with_its_reason(folder, tmp_path, run_main):
    (folder / "truong-a.ods").write_bytes(b"PK\x03\x04 ods")
    (folder / "truong-b.xlsb").write_bytes(b"PK\x03\x04 xlsb")
    (folder / "ghi-chu.txt").write_text("x", encoding="utf-8")
    (folder / "nam-truoc").mkdir()
    (folder / "da-xoa.xlsx").symlink_to(tmp_path / "khong-co.xlsx")
    (folder / "vong.xlsx").symlink_to(folder / "vong.xlsx")
    (folder / "~$so-y-te.xlsx").write_bytes(b"\x00lock")
    status, out, err = run_main("collect", folder, "--out", tmp_path / "gop.xlsx")
    assert (status, err) == (0, "")
    assert "từ 1 tệp" in out
    said = {line.split(":", 1)[0]: line for line in out.splitlines() if "không đọc" in line}
    assert set(said) == {"truong-a.ods", "truong-b.xlsb", "ghi-chu.txt", "nam-truoc", "da-xoa.xlsx", "vong.xlsx",
                         "~$so-y-te.xlsx"}
    assert ".xlsx" in said["truong-a.ods"] and "vòng" in said["vong.xlsx"] and "không còn" in said["da-xoa.xlsx"]
    assert "thư mục con" in said["nam-truoc"]


def test_a_folder_of_nothing_readable_names_what_it_holds(tmp_path, run_main):
    folder = tmp_path / "don-vi"
    folder.mkdir()
    (folder / "truong-a.ods").write_bytes(b"ods")
    status, _, err = run_main("collect", folder, "--out", tmp_path / "gop.xlsx")
    assert status == 3
    assert "không có tệp .xlsx" in err and "truong-a.ods: bảng tính OpenDocument" in err


def test_a_register_written_meanwhile_is_never_replaced(folder, tmp_path, monkeypatch):
    out = tmp_path / "gop.xlsx"
    made = collecting._workbook_bytes

    def other_run_finishes_first(*args):
        data = made(*args)
        out.write_bytes(b"the other run's register")
        return data

    monkeypatch.setattr(collecting, "_workbook_bytes", other_run_finishes_first)
    with pytest.raises(ParamsError) as refused:
        collecting.collect(folder, out, ("Giáo dục", "Quận, huyện, sở, ngành"))
    assert refused.value.exit_status == 2 and "không ghi đè" in str(refused.value.problems)
    assert out.read_bytes() == b"the other run's register"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["don-vi", "gop.xlsx"]  # no temporary file left


def test_out_that_is_a_folder_is_one_line_even_with_force(folder, tmp_path, run_main):
    out = tmp_path / "gop.xlsx"
    out.mkdir()
    status, _, err = run_main("collect", folder, "--out", out, "--force")
    assert status == 2 and len(err.strip().splitlines()) == 1 and "là một thư mục" in err
    assert out.is_dir() and not any(out.iterdir())


def test_a_full_disk_names_the_folder(folder, tmp_path, monkeypatch, run_main):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(collecting, "write_new", full)
    status, _, err = run_main("collect", folder, "--out", tmp_path / "gop.xlsx")
    assert status == OutputError.exit_status
    assert err.strip() == f"{tmp_path}: ổ đĩa đã đầy; hãy giải phóng chỗ trống rồi chạy lại"


def test_the_register_is_written_row_by_row_not_by_looking_for_the_last_row(tmp_path, monkeypatch):
    looked = []
    last_row = Worksheet.max_row

    monkeypatch.setattr(Worksheet, "max_row", property(lambda self: looked.append(1) or last_row.fget(self)))
    folder = tmp_path / "don-vi"
    folder.mkdir()
    rows = [list(row) for _ in range(25) for row in clean_rows()]
    for n, row in enumerate(rows):
        row[0] = f"SK-{n:04d}"
    write_register_file(folder / "nhieu-dong.xlsx", rows)
    looked.clear()
    collected = collecting.collect(folder, tmp_path / "gop.xlsx", ("Giáo dục", "Quận, huyện, sở, ngành"))
    assert collected.rows == len(rows) == 300
    assert len(looked) < 20  # a handful, whatever the number of rows (once per row made it quadratic)


@pytest.mark.slow
def test_a_file_name_that_is_not_utf8_is_named_escaped(folder, tmp_path):
    odd = os.path.join(os.fsencode(folder), b"b\xe1o-c\xe1o.xlsx")
    os.rename(os.fsencode(folder / "so-y-te.xlsx"), odd)
    done = subprocess.run([sys.executable, "-m", "sangkien", "collect", str(folder), "--out", str(tmp_path / "g.xlsx")],
                          capture_output=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"b\\xe1o-c\\xe1o.xlsx" in done.stdout and b"Traceback" not in done.stderr


def test_a_text_that_looks_like_a_formula_stays_text(folder, tmp_path):
    from openpyxl import load_workbook

    from sangkien.tools.template import DATA_SHEET

    rows = clean_rows()[:2]
    rows[1][3] = "-Nguyễn Văn A"
    source = write_register_file(folder / "so-y-te.xlsx", rows)
    book = load_workbook(source)
    typed = book.active.cell(2, 3)  # what Excel keeps for a text typed as '=HYPERLINK(...)
    typed.value, typed.data_type, typed.quotePrefix = '=HYPERLINK("http://example.invalid","Bấm")', "s", True
    book.save(source)
    rows[0][2] = typed.value
    out = tmp_path / "gop.xlsx"
    collecting.collect(folder, out, ("Giáo dục", "Quận, huyện, sở, ngành"))
    data = load_workbook(out)[DATA_SHEET]
    title, author = data.cell(2, 3), data.cell(3, 4)
    assert (title.data_type, title.value, title.quotePrefix) == ("s", rows[0][2], True)
    assert (author.value, author.quotePrefix) == ("-Nguyễn Văn A", True)
