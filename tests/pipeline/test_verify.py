"""``sangkien verify``: a signed report checked as its receiver would — intact and covering the whole file
but its own update, who signed and when (time-stamped), trusted by the CA given or not, and the signed
bytes the build its year's manifest records. Exit 0 valid, 3 not valid naming why.

Decided here: without ``--trust`` no CA is trusted, and a signature otherwise valid is exit 0 saying its
trust was not checked; with ``--trust`` a certificate that does not chain to that CA is exit 3."""
from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from signing import PASSWORD, PASSWORD_ENV, SIGNER, copy_year

import sangkien
from sangkien.signing import sign

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(importlib.util.find_spec("uharfbuzz") is None,
                                 reason="uharfbuzz (pyhanko[opentype]) is not installed: signing needs it")]


def _sign_copy(sample_year, folder: Path, p12: Path, **options) -> Path:
    """A copy of the sample year in ``folder``, its report signed there; the signed file."""
    year = copy_year(sample_year, folder)
    os.environ[PASSWORD_ENV] = PASSWORD
    try:
        return sign.sign(year / "bao-cao-2023.pdf", p12=p12, password_env=PASSWORD_ENV, **options).path
    finally:
        del os.environ[PASSWORD_ENV]


@pytest.fixture(scope="module")
def signed(sample_year, pki, tsa, tmp_path_factory):
    """The sample year copied and signed with a time-stamp (``path``); a copy signed with a self-signed
    certificate (``self_signed``)."""
    path = _sign_copy(sample_year, tmp_path_factory.mktemp("verify"), pki.valid, tsa=tsa.url, trust=pki.ca)
    self_signed = _sign_copy(sample_year, tmp_path_factory.mktemp("self-signed"), pki.self_signed)
    return SimpleNamespace(path=path, self_signed=self_signed)


def _verified(run_main, path: Path, *args, status: int) -> tuple[str, str]:
    code, out, err = run_main("verify", path, *args)
    assert code == status and "Traceback" not in out + err, (out, err)
    if status == 0:
        assert err == "" and "Kết quả: hợp lệ" in out
    else:
        assert "Kết quả: KHÔNG HỢP LỆ" in out and err.strip() and all("không hợp lệ" in line for line in err.splitlines())
    return out, err


def test_an_intact_report_in_its_year_folder_is_valid(signed, pki, run_main):
    out, _ = _verified(run_main, signed.path, "--trust", pki.ca, status=0)
    lines = dict(line.split(": ", 1) for line in out.splitlines())
    assert lines["Người ký"] == SIGNER and lines["Cơ quan"] == "Sở Khoa học và Công nghệ Hải Phòng"
    assert "+0700" in lines["Thời gian ký"] and "dấu thời gian RFC 3161" in lines["Thời gian ký"]
    assert lines["Chứng thư số"].startswith("tin cậy") and "CA thử nghiệm sangkien" in lines["Chứng thư số"]
    assert lines["Phạm vi ký"] == "chữ ký phủ toàn bộ tệp, trừ phần cập nhật của chính chữ ký"
    assert lines["Bản dựng"] == ("đúng bản dựng mà manifest.json ghi (bao-cao-2023.pdf, năm 2023); đúng tệp đã ký mà "
                                 "manifest.json ghi")
    found = sangkien.verify(signed.path, trust=pki.ca)
    assert found.valid and found.time_stamped and found.trusted and found.signer == SIGNER


def test_a_byte_appended_is_not_valid(signed, pki, run_main, tmp_path):
    copy = tmp_path / "bao-cao-2023-da-ky.pdf"
    copy.write_bytes(signed.path.read_bytes() + b"\n")
    _, err = _verified(run_main, copy, "--trust", pki.ca, status=3)
    assert "1 byte thêm vào sau phần đã ký" in err


def test_a_byte_changed_inside_what_was_signed_is_not_valid(signed, pki, run_main, tmp_path):
    data = bytearray(signed.path.read_bytes())
    at = data.index(b"%", 1) + 1  # the header's comment of binary bytes (line 2): the PDF still reads
    data[at] ^= 0x01
    changed = tmp_path / "sua-mot-byte.pdf"
    changed.write_bytes(bytes(data))
    _, err = _verified(run_main, changed, "--trust", pki.ca, status=3)
    assert "nội dung đã ký bị thay đổi" in err


def test_an_update_after_signing_is_not_valid(signed, pki, run_main, tmp_path):
    """An annotation added in an incremental update (the signature's own bytes untouched)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with open(signed.path, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle)
        page = writer.root["/Pages"]["/Kids"][0].get_object()
        note = writer.add_object(generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Text"),
            generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(n) for n in (10, 10, 30, 30)]),
            generic.NameObject("/Contents"): generic.TextStringObject("sửa sau khi ký")}))
        page["/Annots"] = generic.ArrayObject([note])
        writer.update_container(page)
        output = io.BytesIO()
        writer.write(output)
    changed = tmp_path / "da-sua.pdf"
    changed.write_bytes(output.getvalue())
    assert changed.read_bytes().startswith(signed.path.read_bytes())
    _, err = _verified(run_main, changed, "--trust", pki.ca, status=3)
    assert "1 lần cập nhật thêm sau khi ký" in err


def test_a_file_signed_from_another_years_build_is_not_valid(signed, pki, run_main, tmp_path):
    """The 2023 report, signed, laid in 2022's folder: its manifest records another PDF."""
    folder = tmp_path / "2022"
    folder.mkdir()
    manifest = json.loads((signed.path.parent / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(year=2022, outputs={"pdf": "bao-cao-2022.pdf"},
                    files_sha256={"bao-cao-2022.pdf": "0" * 64})
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    shutil.copy(signed.path, folder / "bao-cao-2022-da-ky.pdf")
    out, err = _verified(run_main, folder / "bao-cao-2022-da-ky.pdf", "--trust", pki.ca, status=3)
    assert "KHÔNG phải bản dựng mà manifest.json bên cạnh ghi (bao-cao-2022.pdf, năm 2022)" in out
    assert "không phải bản dựng bao-cao-2022.pdf" in err


def test_outside_a_year_folder_it_is_a_report_of_ours_not_matched_to_a_build(signed, pki, run_main, tmp_path):
    copy = tmp_path / "nhan-duoc.pdf"
    shutil.copy(signed.path, copy)
    out, _ = _verified(run_main, copy, "--trust", pki.ca, status=0)
    assert "báo cáo do sangkien dựng; không đối chiếu được với bản dựng nào" in out


def test_an_untrusted_certificate_is_said_and_fails_only_against_the_ca_given(signed, pki, run_main):
    out, _ = _verified(run_main, signed.self_signed, status=0)
    assert "Chứng thư số: chưa kiểm" in out and "--trust" in out
    _, err = _verified(run_main, signed.self_signed, "--trust", pki.ca, status=3)
    assert "không nối tới CA trong" in err and SIGNER in err
    _, err = _verified(run_main, signed.path, "--trust", pki.other_ca, status=3)
    assert "không nối tới CA trong" in err


def test_an_unsigned_report_a_file_not_a_pdf_or_a_missing_file(sample_year, run_main, tmp_path):
    _, result = sample_year
    _, err = _verified(run_main, result.outputs["pdf"], status=3)
    assert "không có chữ ký số" in err
    (tmp_path / "khong-phai-pdf.pdf").write_bytes(b"not a PDF")
    _, err = _verified(run_main, tmp_path / "khong-phai-pdf.pdf", status=3)
    assert "không đọc được tệp PDF" in err
    code, out, err = run_main("verify", tmp_path / "khong-co.pdf")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "không đọc được tệp" in err


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed: no cross-check")
def test_poppler_agrees(signed, tmp_path):
    """poppler's pdfsig reads the same signature as valid, by the same signer, covering the whole file."""
    shown = subprocess.run(["pdfsig", str(signed.path)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid" in shown and SIGNER in shown and "Total document signed" in shown
    appended = tmp_path / "them.pdf"
    appended.write_bytes(signed.path.read_bytes() + b"\n")
    shown = subprocess.run(["pdfsig", str(appended)], capture_output=True, text=True, check=False).stdout
    assert "Total document signed" not in shown


@pytest.mark.parametrize("in_its_year", [True, False], ids=["in-its-year-folder", "alone"])
def test_a_report_changed_after_its_build_then_signed_elsewhere_is_not_valid(sample_year, pki, run_main, tmp_path,
                                                                            in_its_year):
    """Bytes appended after the build's %%EOF, then signed by a tool that does not check (pyHanko itself): the
    signature covers them, and they are not the build."""
    import datetime

    folder = copy_year(sample_year, tmp_path) if in_its_year else tmp_path
    data = (sample_year[1].outputs["pdf"]).read_bytes()
    signer = sign.load_p12(pki.valid, PASSWORD)
    signature = sign.Signature(signer, sign.signature_place(data, "pdf"), sign.stamp_style(), SIGNER, "",
                               datetime.datetime.now(datetime.UTC).replace(microsecond=0))
    signed_file = folder / "bao-cao-2023-da-ky.pdf"
    signed_file.write_bytes(sign.signed_bytes(data + b"% them\n", signature))
    out, err = _verified(run_main, signed_file, "--trust", pki.ca, status=3)
    assert "đã bị sửa sau lần dựng (có 6 byte thêm vào sau dấu kết thúc %%EOF của bản dựng)" in err  # "% them"
    assert "Bản dựng: KHÔNG phải bản dựng nguyên vẹn" in out
