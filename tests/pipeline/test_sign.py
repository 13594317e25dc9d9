"""``sangkien sign``: a built report signed (PAdES) with a certificate made here, under a CA made here,
validated by pyHanko trusting only that CA; the stamp in the signature block; the manifest records the
signed file and the year stays up to date; every refusal exits 2 writing nothing. A PKCS#11 token is
played by SoftHSM where it is installed. Signs one copy of the session's sample year."""
from __future__ import annotations

import datetime
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
from signing import OTHER, PASSWORD, PASSWORD_ENV, SIGNER, copy_year

from sangkien.signing import sign

pytestmark = pytest.mark.slow
needs_harfbuzz = pytest.mark.skipif(importlib.util.find_spec("uharfbuzz") is None,
                                    reason="uharfbuzz (pyhanko[opentype]) is not installed: the stamp's Vietnamese "
                                           "font is embedded with it")


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    """A signature (transparent PNG) and a seal."""
    from PIL import Image, ImageDraw

    folder = tmp_path_factory.mktemp("images")
    signature = Image.new("RGBA", (400, 160), (255, 255, 255, 0))
    ImageDraw.Draw(signature).line([(20, 120), (80, 40), (130, 110), (200, 50), (380, 90)], fill=(20, 40, 140, 255),
                                   width=6)
    seal = Image.new("RGBA", (300, 300), (255, 255, 255, 0))
    ImageDraw.Draw(seal).ellipse([10, 10, 290, 290], outline=(200, 0, 0, 230), width=12)
    signature.save(folder / "chu-ky.png")
    seal.save(folder / "con-dau.png")
    return folder / "chu-ky.png", folder / "con-dau.png"


@pytest.fixture(scope="module")
def signed(sample_year, pki, images, tmp_path_factory):
    """The sample year copied, and its PDF signed with the valid .p12, the signature and seal images."""
    if importlib.util.find_spec("uharfbuzz") is None:
        pytest.skip("uharfbuzz (pyhanko[opentype]) is not installed")
    folder = copy_year(sample_year, tmp_path_factory.mktemp("signed-out"))
    before = hashlib.sha256((folder / "bao-cao-2023.pdf").read_bytes()).hexdigest()
    os.environ[PASSWORD_ENV] = PASSWORD
    try:
        result = sign.sign(folder / "bao-cao-2023.pdf", p12=pki.valid, password_env=PASSWORD_ENV,
                           image=images[0], seal=images[1], trust=pki.ca)
    finally:
        del os.environ[PASSWORD_ENV]
    return SimpleNamespace(folder=folder, result=result, unsigned_sha256=before)


def _validate(path: Path, ca: Path):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    with open(path, "rb") as handle:
        signature = PdfFileReader(handle).embedded_signatures[0]
        return validate_pdf_signature(signature, ValidationContext(trust_roots=[load_cert_from_pemder(str(ca))]))


@needs_harfbuzz
def test_signature_is_intact_and_trusted(signed, pki):
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    assert signed.result.path == signed.folder / "bao-cao-2023-da-ky.pdf"
    status = _validate(signed.result.path, pki.ca)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == "Nguyễn Văn Mẫu" == signed.result.signer


@needs_harfbuzz
def test_stamp_sits_in_the_signature_block(signed):
    with pikepdf.open(signed.result.path) as pdf:
        names = pdf.Root.Names.Dests.Names
        places = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
        page_number = next(i for i, p in enumerate(pdf.pages) if p.objgen == places["sangkien-sig-space"][0].objgen)
        assert page_number == signed.result.placement.page
        widgets = [a for p in pdf.pages for a in p.get("/Annots", []) if a.get("/FT") == "/Sig"]
        assert len(widgets) == 1 and widgets[0].P.objgen == pdf.pages[page_number].objgen
        left, bottom, right, top = (float(v) for v in widgets[0].Rect)
        assert float(places["sangkien-sig-name"][3]) < bottom < top < float(places["sangkien-sig-space"][3])
        assert left > float(pdf.pages[page_number].MediaBox[2]) / 2  # the signature's column, right of "Nơi nhận"
        appearance = widgets[0].AP.N
        fonts = [f for x in [appearance, *appearance.Resources.get("/XObject", {}).values()]
                 for f in x.get("/Resources", {}).get("/Font", {}).values()]
        assert fonts and all("Tinos" in str(f.BaseFont) and "/FontFile2" in f.DescendantFonts[0].FontDescriptor
                             for f in fonts)


@needs_harfbuzz
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_stamp_is_drawn(signed, tmp_path):
    from PIL import Image, ImageChops

    page = signed.result.placement.page + 1
    left, bottom, right, top = signed.result.placement.box
    shots = []
    for name in ("bao-cao-2023.pdf", "bao-cao-2023-da-ky.pdf"):
        subprocess.run(["pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), "-png", str(signed.folder / name),
                        str(tmp_path / name)], check=True)
        shots.append(Image.open(next(tmp_path.glob(f"{name}*.png"))).convert("RGB"))
    height = shots[0].height
    box = (left, height - top, right, height - bottom)
    difference = ImageChops.difference(shots[0].crop(box), shots[1].crop(box))
    assert difference.getbbox() is not None  # the stamp changed the pixels of the signature space
    outside = (0, 0, shots[0].width, round(height - top) - 2)
    assert ImageChops.difference(shots[0].crop(outside), shots[1].crop(outside)).getbbox() is None


@needs_harfbuzz
def test_manifest_records_the_signed_file_and_the_year_stays_up_to_date(signed):
    from sangkien.pipeline.build import build_year

    folder = signed.folder
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"]["signed"] == "bao-cao-2023-da-ky.pdf"
    record = manifest["signed"]
    assert record["sha256"] == hashlib.sha256(signed.result.path.read_bytes()).hexdigest()
    assert record["of"] == "bao-cao-2023.pdf" and record["signer"] == "Nguyễn Văn Mẫu"
    assert hashlib.sha256((folder / "bao-cao-2023.pdf").read_bytes()).hexdigest() == signed.unsigned_sha256
    assert "bao-cao-2023-da-ky.pdf" not in manifest["files_sha256"]
    again = build_year(2023, out_dir=folder.parent)
    assert again.up_to_date, again.reason
    assert again.outputs["signed"] == signed.result.path


def _refused(run_main, monkeypatch, pdf: Path, *args) -> str:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    folder = pdf.parent
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    status, out, err = run_main("sign", pdf, *args)
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing written, nothing changed
    return err


def test_wrong_password_and_expired_certificate_exit_2(sample_year, pki, tmp_path, run_main, monkeypatch):
    pdf = copy_year(sample_year, tmp_path) / "bao-cao-2023.pdf"
    monkeypatch.setenv("SAI", "không phải mật khẩu")
    err = _refused(run_main, monkeypatch, pdf, "--p12", pki.valid, "--password-env", "SAI")
    assert "sai mật khẩu" in err
    err = _refused(run_main, monkeypatch, pdf, "--p12", pki.expired, "--password-env", PASSWORD_ENV)
    assert "hết hạn" in err and "Nguyễn Văn Mẫu" in err
    monkeypatch.delenv("KHONG_CO", raising=False)
    err = _refused(run_main, monkeypatch, pdf, "--p12", pki.valid, "--password-env", "KHONG_CO")
    assert "KHONG_CO" in err


@pytest.mark.parametrize("p12, reason", [("weak_rsa", "RSA 1024 bit, quá yếu"), ("weak_ec", "EC 192 bit, quá yếu"),
                                         ("encipherment", "keyEncipherment; cần digitalSignature hoặc nonRepudiation"),
                                         ("no_key", "tệp .p12 không có khóa riêng")])
def test_a_certificate_unfit_to_sign_exit_2_naming_why(sample_year, pki, tmp_path, run_main, monkeypatch, p12, reason):
    pdf = copy_year(sample_year, tmp_path) / "bao-cao-2023.pdf"
    err = _refused(run_main, monkeypatch, pdf, "--p12", getattr(pki, p12), "--password-env", PASSWORD_ENV)
    assert reason in err


def _png_header(path: Path, width: int, height: int) -> Path:
    """A PNG of ``width`` × ``height`` as its header says, with a few bytes of pixels (enough to open it,
    never to decode it: a 30000² image would take gigabytes)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))
    return path


@needs_harfbuzz
@pytest.mark.parametrize("size, option, said", [((20000, 1), "--image", "ảnh quá dẹt"), ((1, 400), "--seal", "ảnh quá dẹt"),
                                                ((6000, 5000), "--image", "ảnh quá lớn"),
                                                ((30000, 30000), "--seal", "ảnh quá lớn")])
def test_an_image_too_large_or_too_thin_exit_2_before_it_is_decoded(sample_year, pki, images, tmp_path, run_main,
                                                                    monkeypatch, size, option, said):
    pdf = copy_year(sample_year, tmp_path) / "bao-cao-2023.pdf"
    picture = _png_header(tmp_path / "anh.png", *size)
    other = ("--seal", images[1]) if option == "--image" else ("--image", images[0])
    err = _refused(run_main, monkeypatch, pdf, "--p12", pki.valid, "--password-env", PASSWORD_ENV, option, picture,
                   *other)
    assert said in err and str(picture) in err


def test_a_pdf_not_ours_or_edited_exit_2(sample_year, pki, tmp_path, run_main, monkeypatch):
    stranger = tmp_path / "khac" / "van-ban.pdf"
    stranger.parent.mkdir()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(stranger)
    err = _refused(run_main, monkeypatch, stranger, "--p12", pki.valid, "--password-env", PASSWORD_ENV)
    assert "không phải báo cáo do sangkien dựng" in err
    folder = copy_year(sample_year, tmp_path / "sua")
    with open(folder / "bao-cao-2023.pdf", "ab") as handle:
        handle.write(b"\n% edited\n")
    err = _refused(run_main, monkeypatch, folder / "bao-cao-2023.pdf", "--p12", pki.valid,
                   "--password-env", PASSWORD_ENV)
    assert "đã bị sửa" in err


def _annotated(data: bytes) -> bytes:
    """``data`` with an incremental update adding a note (an annotation) to its first page, as a PDF editor saves it."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    note = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"), generic.NameObject("/Subtype"): generic.NameObject("/Text"),
        generic.NameObject("/Rect"): generic.ArrayObject(map(generic.NumberObject, (50, 50, 80, 80))),
        generic.NameObject("/Contents"): generic.TextStringObject("sửa sau khi dựng")}))
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    page[generic.NameObject("/Annots")] = generic.ArrayObject([*page.get("/Annots", []), note])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@needs_harfbuzz
@pytest.mark.parametrize("change, said", [(lambda data: data + b"x", "1 byte thêm vào sau dấu kết thúc %%EOF"),
                                          (lambda data: data + b"\n", "1 byte thêm vào sau dấu kết thúc %%EOF"),
                                          (_annotated, "1 lần cập nhật thêm sau bản dựng"), (None, "")],
                         ids=["a-byte", "an-end-of-line", "an-annotation", "as-built"])
def test_a_pdf_changed_after_its_build_is_refused_outside_its_year_folder(sample_year, pki, tmp_path, run_main,
                                                                          monkeypatch, change, said):
    _, result = sample_year
    data = result.outputs["pdf"].read_bytes()
    alone = tmp_path / "ban-sao" / "bao-cao.pdf"  # no manifest beside it: only its own structure tells
    alone.parent.mkdir()
    alone.write_bytes(change(data) if change else data)
    if change is None:  # the copy as built signs
        monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
        status, out, err = run_main("sign", alone, "--p12", pki.valid, "--password-env", PASSWORD_ENV, "--trust", pki.ca)
        assert status == 0 and _validate(Path(out.strip()), pki.ca).bottom_line, err
        return
    err = _refused(run_main, monkeypatch, alone, "--p12", pki.valid, "--password-env", PASSWORD_ENV)
    assert "đã bị sửa sau lần dựng" in err and said in err


@needs_harfbuzz
def test_a_signed_pdf_or_an_existing_output_exit_2(signed, pki, run_main, monkeypatch):
    err = _refused(run_main, monkeypatch, signed.result.path, "--p12", pki.valid, "--password-env", PASSWORD_ENV,
                   "--out", signed.folder / "lan-hai.pdf")
    assert "đã có chữ ký số" in err
    err = _refused(run_main, monkeypatch, signed.folder / "bao-cao-2023.pdf", "--p12", pki.valid,
                   "--password-env", PASSWORD_ENV)
    assert "đã có tệp này" in err


# --------------------------------------------------------------------------- races and stops

@needs_harfbuzz
def test_a_year_rebuilt_while_sign_waits_for_its_password_is_refused_writing_nothing(sample_year, pki, tmp_path,
                                                                                    run_main, monkeypatch):
    from sangkien.pipeline import manifest as year_record

    folder = copy_year(sample_year, tmp_path)
    pdf = folder / "bao-cao-2023.pdf"
    answer = sign.secret

    def rebuilt_meanwhile(env_name, what):  # the year rebuilt with other parameters while the prompt waits
        rebuilt = pdf.read_bytes().replace(b"%%EOF", b"%% ban dung khac\n%%EOF")  # another build's bytes
        pdf.write_bytes(rebuilt)
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        manifest["files_sha256"][pdf.name] = hashlib.sha256(rebuilt).hexdigest()
        year_record.store(folder, manifest)
        return answer(env_name, what)

    monkeypatch.setattr(sign, "secret", rebuilt_meanwhile)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    status, out, err = run_main("sign", pdf, "--p12", pki.valid, "--password-env", PASSWORD_ENV, "--trust", pki.ca)
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert "đã được dựng lại" in err and "chưa ghi gì" in err
    assert not pdf.with_name("bao-cao-2023-da-ky.pdf").exists()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "signed" not in manifest and "signed" not in manifest["outputs"]
    assert manifest["files_sha256"][pdf.name] == hashlib.sha256(pdf.read_bytes()).hexdigest()  # the rebuild's, kept


@needs_harfbuzz
@pytest.mark.parametrize("rebuilt", [False, True])
def test_sign_waits_for_a_build_of_the_year_then_records_or_refuses(rebuilt, sample_year, pki, tmp_path, run_main,
                                                                     monkeypatch):
    """A build of the year holds its lock when sign comes to record: sign says it waits, waits, then records
    its signature — or, when that build changed the year's PDF, refuses writing nothing."""
    import threading

    from sangkien.pipeline import manifest as year_record
    from sangkien.pipeline import stage

    folder = copy_year(sample_year, tmp_path)
    pdf = folder / "bao-cao-2023.pdf"
    held, release = threading.Event(), threading.Event()

    def build_holding_the_lock():
        with stage.year_lock(folder.parent, 2023):
            held.set()
            release.wait(30)
            if rebuilt:
                changed = pdf.read_bytes().replace(b"%%EOF", b"%% ban dung khac\n%%EOF")
                pdf.write_bytes(changed)
                record = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
                record["files_sha256"][pdf.name] = hashlib.sha256(changed).hexdigest()
                year_record.store(folder, record)

    build = threading.Thread(target=build_holding_the_lock)
    build.start()
    held.wait(30)
    real = stage.year_lock

    def lock_then_let_the_build_finish(*args, waiting=None, **kwargs):
        def said_then_released():
            waiting()
            release.set()
        return real(*args, waiting=said_then_released, **kwargs)

    monkeypatch.setattr(stage, "year_lock", lock_then_let_the_build_finish)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    try:
        status, _, err = run_main("sign", pdf, "--p12", pki.valid, "--password-env", PASSWORD_ENV, "--trust", pki.ca)
    finally:
        release.set()
        build.join()
    assert "đang đợi lần dựng báo cáo năm 2023 đang chạy xong" in err
    record = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if rebuilt:
        assert status == 2 and "đã được dựng lại" in err and "signed" not in record
        assert not pdf.with_name("bao-cao-2023-da-ky.pdf").exists()
    else:
        assert status == 0, err
        assert record["state"] == "signed" and record["signed"]["file"] == "bao-cao-2023-da-ky.pdf"


def _stop_after(owner, name: str, before: bool = False):
    """``owner.name`` wrapped so that a SIGTERM lands just before it returns (``before``: before it runs)."""
    import signal

    call = getattr(owner, name)

    def stopped(*args, **kwargs):
        if before:
            signal.raise_signal(signal.SIGTERM)
        value = call(*args, **kwargs)
        signal.raise_signal(signal.SIGTERM)
        return value

    return stopped


@needs_harfbuzz
@pytest.mark.parametrize("where", ["manifest written", "sign returned", "while signing"])
def test_a_sigterm_after_the_signed_file_is_recorded_is_exit_0(sample_year, pki, tmp_path, run_main, monkeypatch,
                                                               where):
    import sangkien.api
    from sangkien.pipeline import manifest as year_record

    folder = copy_year(sample_year, tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    if where == "manifest written":
        monkeypatch.setattr(year_record, "store", _stop_after(year_record, "store"))
    elif where == "sign returned":
        monkeypatch.setattr(sangkien.api, "sign_pdf", _stop_after(sangkien.api, "sign_pdf"))
    else:
        monkeypatch.setattr(sign, "signed_bytes", _stop_after(sign, "signed_bytes", before=True))
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    status, out, err = run_main("sign", folder / "bao-cao-2023.pdf", "--p12", pki.valid, "--password-env",
                                PASSWORD_ENV, "--trust", pki.ca)
    signed_file = folder / "bao-cao-2023-da-ky.pdf"
    if where == "while signing":  # stopped before anything was written: a stopped command, nothing written
        assert status == 143 and {p.name: p.read_bytes() for p in folder.iterdir()} == before, err
        return
    assert status == 0 and out.strip() == str(signed_file) and "đã ký" in err, err
    record = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["signed"]
    assert record["sha256"] == hashlib.sha256(signed_file.read_bytes()).hexdigest()


SOFTHSM_LIBRARIES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                     "/usr/local/lib/softhsm/libsofthsm2.so")


def _softhsm_library() -> str | None:
    return next((lib for lib in SOFTHSM_LIBRARIES if Path(lib).exists()), None)


@needs_harfbuzz
@pytest.mark.skipif(shutil.which("softhsm2-util") is None or _softhsm_library() is None,
                    reason="SoftHSM (softhsm2-util and libsofthsm2.so) is not installed: no PKCS#11 token to try")
@pytest.mark.skipif(importlib.util.find_spec("pkcs11") is None, reason="python-pkcs11 (pyhanko[pkcs11]) is not installed")
def test_sign_with_a_pkcs11_token(sample_year, pki, tmp_path, run_main, monkeypatch):
    import pkcs11
    from cryptography.hazmat.primitives import serialization
    from pkcs11 import Attribute, CertificateType, ObjectClass

    tokens = tmp_path / "tokens"
    tokens.mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "sangkien", "--pin", "1234",
                    "--so-pin", "5678"], check=True, capture_output=True)
    key = tmp_path / "key.pem"
    key.write_bytes(pki.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(key), "--token", "sangkien", "--label", "ky-so", "--id", "01",
                    "--pin", "1234"], check=True, capture_output=True)
    certificate = pki.valid_cert
    with pkcs11.lib(_softhsm_library()).get_token(token_label="sangkien").open(rw=True, user_pin="1234") as session:
        session.create_object({  # labelled otherwise than the key, as on some tokens: found by the key's ID
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
            Attribute.SUBJECT: certificate.subject.public_bytes(), Attribute.LABEL: "chung-thu-so",
            Attribute.ID: b"\x01", Attribute.TOKEN: True})
    pdf = copy_year(sample_year, tmp_path / "out") / "bao-cao-2023.pdf"
    monkeypatch.setenv("MA_PIN", "1234")
    status, out, err = run_main("sign", pdf, "--pkcs11-lib", _softhsm_library(), "--key-label", "ky-so",
                                     "--password-env", "MA_PIN")
    assert status == 0, err
    assert out.strip() == str(pdf.with_name("bao-cao-2023-da-ky.pdf"))
    status = _validate(pdf.with_name("bao-cao-2023-da-ky.pdf"), pki.ca)
    assert status.bottom_line and status.trusted
    monkeypatch.setenv("MA_PIN", "0000")
    err = _refused(run_main, monkeypatch, pdf, "--pkcs11-lib", _softhsm_library(), "--key-label", "ky-so",
                   "--password-env", "MA_PIN", "--out", pdf.with_name("lan-hai.pdf"))
    assert "sai mã PIN" in err


@pytest.mark.slow
def test_the_api_signs_twice_in_one_process(sample_year, pki, tmp_path, monkeypatch):
    """``sangkien.sign_pdf``, like every public call, works again in the same process (a second office copy)."""
    import sangkien

    if importlib.util.find_spec("uharfbuzz") is None:
        pytest.skip("uharfbuzz (pyhanko[opentype]) is not installed")
    pdf = copy_year(sample_year, tmp_path) / "bao-cao-2023.pdf"
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    for name in ("ban-1.pdf", "ban-2.pdf"):
        result = sangkien.sign_pdf(pdf, tmp_path / name, p12=pki.valid, password_env=PASSWORD_ENV)
        status = _validate(result.path, pki.ca)
        assert result.path == tmp_path / name and status.intact and status.trusted


# --------------------------------------------------------------------------- still PDF/A-2b once signed

def _tied_fields(pdf) -> dict[str, tuple]:
    """Every Info entry PDF/A ties to an XMP property: name -> (Info's value, XMP's value), as pikepdf maps them."""
    from pikepdf.models.metadata import DOCINFO_MAPPING

    found = {}
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for namespace, key, name, converter in DOCINFO_MAPPING:
            info = pdf.docinfo.get(name)
            xmp = meta.get(f"{{{namespace}}}{key}")
            if info is not None:
                info = converter.xmp_from_docinfo(str(info)) if converter is not None else str(info)
            found[name] = (info, xmp)
    return found


def _same(info, xmp) -> bool:
    with_zone = isinstance(info, str) and info[:4].isdigit() and "T" in info
    return datetime.datetime.fromisoformat(info) == datetime.datetime.fromisoformat(xmp) if with_zone else info == xmp


@needs_harfbuzz
def test_signed_copy_keeps_info_and_xmp_in_agreement_and_the_unsigned_bytes_as_its_prefix(signed):
    unsigned = (signed.folder / "bao-cao-2023.pdf").read_bytes()
    signed_bytes = signed.result.path.read_bytes()
    assert signed_bytes.startswith(unsigned) and len(signed_bytes) > len(unsigned)  # an incremental update only
    with pikepdf.open(signed.result.path) as pdf:
        fields = _tied_fields(pdf)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            assert meta.pdfa_status == "2B"
    disagree = {name: pair for name, pair in fields.items() if (pair[0] is None) != (pair[1] is None)
                or (pair[0] is not None and not _same(*pair))}
    assert not disagree
    assert {"/Producer", "/ModDate", "/Title", "/Author", "/Subject", "/Creator"} <= {
        name for name, (info, _) in fields.items() if info is not None}
    producer = fields["/Producer"][0]
    assert "WeasyPrint" in producer and "pyHanko" in producer
    assert datetime.datetime.fromisoformat(fields["/ModDate"][1]) == signed.result.signed_at


# --------------------------------------------------------------------------- the signer checked

def test_names_compare_as_register_text():
    import unicodedata

    sign.check_signer(unicodedata.normalize("NFD", " NGUYỄN  VĂN\u00a0mẫu "), SIGNER)
    with pytest.raises(sign.SigningError, match=f"{OTHER}.*{SIGNER}"):
        sign.check_signer(OTHER, SIGNER)
    with pytest.raises(sign.SigningError, match="chưa in tên người ký"):
        sign.check_signer(SIGNER, "")


@needs_harfbuzz
def test_the_printed_signer_is_read_from_the_pdf(sample_year):
    _, result = sample_year
    assert sign.printed_signer(result.outputs["pdf"].read_bytes()) == SIGNER


@needs_harfbuzz
def test_another_persons_certificate_is_refused_naming_both(sample_year, pki, tmp_path, run_main, monkeypatch):
    pdf = copy_year(sample_year, tmp_path) / "bao-cao-2023.pdf"
    err = _refused(run_main, monkeypatch, pdf, "--p12", pki.other, "--password-env", PASSWORD_ENV)
    assert OTHER in err and SIGNER in err and "--signer-as-printed" in err
    err = _refused(run_main, monkeypatch, pdf, "--p12", pki.other, "--password-env", PASSWORD_ENV,
                   "--signer-as-printed", "Lê Văn Khác")
    assert "Lê Văn Khác" in err and SIGNER in err


@needs_harfbuzz
def test_a_signer_printed_otherwise_is_accepted_on_request_and_the_manifest_says_so(
        sample_year, pki, tmp_path, run_main, monkeypatch):
    pdf = copy_year(sample_year, tmp_path) / "bao-cao-2023.pdf"
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    status, out, err = run_main("sign", pdf, "--p12", pki.other, "--password-env", PASSWORD_ENV,
                                     "--signer-as-printed", SIGNER.upper(), "--trust", pki.ca)
    assert status == 0, err
    record = json.loads((pdf.parent / "manifest.json").read_text(encoding="utf-8"))["signed"]
    assert record["signer"] == OTHER and record["printed_signer"] == SIGNER and record["signer_as_printed"] is True


@needs_harfbuzz
@pytest.mark.parametrize("p12, trust, warning", [("valid", "other_ca", "không nối tới"), ("valid", None, "chưa kiểm"),
                                                  ("self_signed", "ca", "tự ký")])
def test_an_untrusted_or_self_signed_certificate_signs_with_one_warning(
        sample_year, pki, tmp_path, run_main, monkeypatch, p12, trust, warning):
    pdf = copy_year(sample_year, tmp_path) / "bao-cao-2023.pdf"
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    trusting = ("--trust", getattr(pki, trust)) if trust else ()
    status, out, err = run_main("sign", pdf, "--p12", getattr(pki, p12), "--password-env", PASSWORD_ENV, *trusting)
    assert status == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("cảnh báo")]
    assert len(warnings) == 1 and warning in warnings[0] and SIGNER in warnings[0]
    assert len(err.splitlines()) == 2  # the warning, and what was signed


# --------------------------------------------------------------------------- the office's time, a time-stamp

@pytest.fixture
def machine_zone(monkeypatch):
    """``machine_zone(name)``: the process's clock zone set to ``name`` (TZ) for the test, restored after."""
    import time

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def _signature_time(path: Path) -> str:
    with pikepdf.open(path) as pdf:
        return str(pdf.Root.AcroForm.Fields[0].V.M)


@needs_harfbuzz
@pytest.mark.parametrize("zone", ["UTC", "Asia/Ho_Chi_Minh", "America/New_York"])
def test_the_time_is_the_offices_whatever_the_machines_zone(sample_year, pki, tmp_path, monkeypatch, machine_zone,
                                                            zone):
    machine_zone(zone)
    pdf = copy_year(sample_year, tmp_path) / "bao-cao-2023.pdf"
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    result = sign.sign(pdf, p12=pki.valid, password_env=PASSWORD_ENV, trust=pki.ca)
    assert result.signed_at.utcoffset() == datetime.timedelta(hours=7)
    assert result.signed_at.strftime(sign.TIME_FORMAT).endswith("+0700")  # as the stamp prints it
    record = json.loads((pdf.parent / "manifest.json").read_text(encoding="utf-8"))["signed"]
    assert record["time"].endswith("+07:00") and record["timezone"] == "Asia/Ho_Chi_Minh"
    assert _signature_time(result.path).endswith("+07'00'")
    with pikepdf.open(result.path) as pdf_file:
        assert str(pdf_file.docinfo["/ModDate"]).endswith("+07'00'")


@needs_harfbuzz
def test_a_timezone_parameter_sets_the_office_zone(sample_year, pki, tmp_path, monkeypatch):
    params = tmp_path / "tham-so.yaml"
    params.write_text("year: 2023\ndata: data/sample/so-dang-ky-sang-kien.xlsx\ntimezone: Asia/Tokyo\n",
                      encoding="utf-8")
    pdf = copy_year(sample_year, tmp_path) / "bao-cao-2023.pdf"
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    result = sign.sign(pdf, tmp_path / "ky.pdf", p12=pki.valid, password_env=PASSWORD_ENV, trust=pki.ca, params=params)
    assert result.signed_at.utcoffset() == datetime.timedelta(hours=9)
    params.write_text("year: 2023\ndata: data/sample/so-dang-ky-sang-kien.xlsx\ntimezone: Sao Hỏa/Mặt Trăng\n",
                      encoding="utf-8")
    with pytest.raises(sign.SigningError, match="timezone"):
        sign.sign(pdf, tmp_path / "ky-2.pdf", p12=pki.valid, password_env=PASSWORD_ENV, params=params)


@needs_harfbuzz
def test_a_time_stamp_from_the_service_makes_it_pades_b_t(sample_year, pki, tsa, tmp_path, run_main, monkeypatch):
    pdf = copy_year(sample_year, tmp_path) / "bao-cao-2023.pdf"
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    status, out, err = run_main("sign", pdf, "--p12", pki.valid, "--password-env", PASSWORD_ENV,
                                     "--tsa", tsa.url, "--trust", pki.ca)
    assert status == 0 and "có dấu thời gian" in err, err
    validated = _validate(Path(out.strip()), pki.ca)
    assert validated.bottom_line and validated.timestamp_validity is not None
    assert validated.timestamp_validity.intact and validated.timestamp_validity.trusted
    record = json.loads((pdf.parent / "manifest.json").read_text(encoding="utf-8"))["signed"]
    assert record["tsa"] == tsa.url


@needs_harfbuzz
@pytest.mark.parametrize("service", ["broken", "silent", "closed"])
def test_a_time_stamping_service_that_fails_is_exit_1_writing_nothing(
        sample_year, pki, tsa, tmp_path, run_main, monkeypatch, service):
    import socket

    if service == "closed":  # a port nobody listens on
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            url = f"http://127.0.0.1:{probe.getsockname()[1]}/tsa"
    else:
        url = getattr(tsa, service)
    monkeypatch.setattr(sign, "TSA_TIMEOUT_S", 1)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    folder = copy_year(sample_year, tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    status, out, err = run_main("sign", folder / "bao-cao-2023.pdf", "--p12", pki.valid, "--password-env",
                                     PASSWORD_ENV, "--tsa", url, "--trust", pki.ca)
    assert status == 1 and out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert url in err and "dấu thời gian" in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@needs_harfbuzz
@pytest.mark.parametrize("where", ["year folder", "elsewhere"])
def test_a_full_disk_while_signing_names_the_folder_and_leaves_nothing(sample_year, pki, tmp_path, monkeypatch, run_main,
                                                                      where):
    import errno

    from sangkien import files

    folder = copy_year(sample_year, tmp_path)
    pdf = folder / "bao-cao-2023.pdf"
    if where == "elsewhere":
        (tmp_path / "ngoai").mkdir()
        pdf = Path(shutil.copy(pdf, tmp_path / "ngoai" / pdf.name))
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write_atomic", full)
    status, _, err = run_main("sign", pdf, "--p12", pki.valid, "--password-env", PASSWORD_ENV, "--trust", pki.ca)
    assert status == 1 and f"{pdf.parent}: ổ đĩa đã đầy" in err, err
    assert not pdf.with_name("bao-cao-2023-da-ky.pdf").exists()
