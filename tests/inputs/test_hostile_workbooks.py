"""Workbooks that are not what they seem (issue 24): a password-protected .xlsx and a "zip bomb" (a few
megabytes that unpack to gigabytes) are refused in one line before python-calamine reads them; a file with
millions of problems prints the first thousand and a count."""
from __future__ import annotations

import io
import zipfile

from officebooks import clean_rows
from registers import write_register_file

from sangkien import cli
from sangkien.inputs import workbook


def test_a_password_protected_workbook_is_named_as_such(tmp_path, run_main):
    # what Excel saves for "Encrypt with Password": an OLE compound file holding an EncryptedPackage stream
    path = tmp_path / "so-dang-ky.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedInfo".encode("utf-16-le")
                     + bytes(50) + "EncryptedPackage".encode("utf-16-le") + bytes(4096))
    status, _, err = run_main("check", path)
    assert status == 3 and len(err.splitlines()) == 1
    assert "tệp có mật khẩu" in err and "bỏ mật khẩu" in err and str(path) in err


def _bomb(path, unpacked: int) -> None:
    """A workbook whose sheet's XML is ``unpacked`` bytes of blanks, deflated to almost nothing."""
    buffer = io.BytesIO()
    clean = write_register_file(path, clean_rows()[:2]).read_bytes()
    with zipfile.ZipFile(io.BytesIO(clean)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * unpacked)
            out.writestr(info.filename, data)
    path.write_bytes(buffer.getvalue())


def test_a_workbook_that_unpacks_to_far_more_than_a_register_is_refused(tmp_path, run_main, monkeypatch):
    monkeypatch.setattr(workbook, "UNPACKED_FLOOR", 1 << 20)  # the same rule, at a test's size
    path = tmp_path / "so-dang-ky.xlsx"
    _bomb(path, 4 << 20)
    status, _, err = run_main("check", path)
    assert status == 3 and len(err.splitlines()) == 1
    assert "giải nén ra" in err and str(path) in err
    folder = tmp_path / "don-vi"
    folder.mkdir()
    path.rename(folder / "bom.xlsx")
    status, _, err = run_main("collect", folder, "--out", tmp_path / "gop.xlsx")
    assert status == 3 and "giải nén ra" in err and not (tmp_path / "gop.xlsx").exists()


def test_an_ordinary_workbook_is_far_under_the_limit(tmp_path):
    path = write_register_file(tmp_path / "so.xlsx", clean_rows())
    workbook.refuse_unreadable(path, path.read_bytes())  # no error


def test_millions_of_problems_print_the_first_thousand_and_a_count():
    lines = cli.shown_problems([f"dòng {n}" for n in range(2_500_000)])
    assert len(lines) == cli.MAX_PROBLEMS_SHOWN + 1
    assert lines[-1].startswith("… và 2.499.000 vấn đề khác (tổng cộng 2.500.000)")
