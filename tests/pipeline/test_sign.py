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

from sangkien.pipeline import sign

pytestmark = pytest.mark.slow
PASSWORD_ENV = "SANGKIEN_TEST_P12_PASSWORD"
PASSWORD = "mật-khẩu 2024"
needs_harfbuzz = pytest.mark.skipif(importlib.util.find_spec("uharfbuzz") is None,
                                    reason="uharfbuzz (pyhanko[opentype]) is not installed: the stamp's Vietnamese "
                                           "font is embedded with it")


def _name(common: str, organisation: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _usage(signing: bool):
    from cryptography import x509

    return x509.KeyUsage(digital_signature=signing, content_commitment=signing, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=not signing,
                         crl_sign=not signing, encipher_only=False, decipher_only=False)


def _certificate(subject, issuer, public_key, signing_key, serial: int, days: tuple[int, int], ca: bool):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = datetime.datetime.now(datetime.UTC)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(serial).not_valid_before(now + datetime.timedelta(days=days[0]))
            .not_valid_after(now + datetime.timedelta(days=days[1]))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(_usage(not ca), critical=True)
            .sign(signing_key, hashes.SHA256()))


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA, a signer valid today (.p12) and one whose certificate expired yesterday."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    folder = tmp_path_factory.mktemp("pki")
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("CA thử nghiệm sangkien", "Phòng thử nghiệm")
    ca = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, 1, (-2, 3650), ca=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer_name = _name("Nguyễn Văn Mẫu", "Sở Khoa học và Công nghệ Hải Phòng")
    files = {}
    for label, serial, days in (("valid", 2, (-1, 365)), ("expired", 3, (-400, -1))):
        cert = _certificate(signer_name, ca_name, key.public_key(), ca_key, serial, days, ca=False)
        files[label] = folder / f"{label}.p12"
        files[label].write_bytes(pkcs12.serialize_key_and_certificates(
            b"ky-so", key, cert, [ca], serialization.BestAvailableEncryption(PASSWORD.encode())))
        files[label + "_cert"] = cert
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return SimpleNamespace(folder=folder, ca=folder / "ca.pem", key=key, **files)


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


def _copy_year(sample_year, target: Path) -> Path:
    out, _ = sample_year
    shutil.copytree(out / "2023", target / "2023")
    return target / "2023"


@pytest.fixture(scope="module")
def signed(sample_year, pki, images, tmp_path_factory):
    """The sample year copied, and its PDF signed with the valid .p12, the signature and seal images."""
    if importlib.util.find_spec("uharfbuzz") is None:
        pytest.skip("uharfbuzz (pyhanko[opentype]) is not installed")
    folder = _copy_year(sample_year, tmp_path_factory.mktemp("signed-out"))
    before = hashlib.sha256((folder / "bao-cao-2023.pdf").read_bytes()).hexdigest()
    os.environ[PASSWORD_ENV] = PASSWORD
    try:
        result = sign.sign(folder / "bao-cao-2023.pdf", p12=pki.valid, password_env=PASSWORD_ENV,
                           image=images[0], seal=images[1])
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
    pdf = _copy_year(sample_year, tmp_path) / "bao-cao-2023.pdf"
    monkeypatch.setenv("SAI", "không phải mật khẩu")
    err = _refused(run_main, monkeypatch, pdf, "--p12", pki.valid, "--password-env", "SAI")
    assert "sai mật khẩu" in err
    err = _refused(run_main, monkeypatch, pdf, "--p12", pki.expired, "--password-env", PASSWORD_ENV)
    assert "hết hạn" in err and "Nguyễn Văn Mẫu" in err
    monkeypatch.delenv("KHONG_CO", raising=False)
    err = _refused(run_main, monkeypatch, pdf, "--p12", pki.valid, "--password-env", "KHONG_CO")
    assert "KHONG_CO" in err


def test_a_pdf_not_ours_or_edited_exit_2(sample_year, pki, tmp_path, run_main, monkeypatch):
    stranger = tmp_path / "khac" / "van-ban.pdf"
    stranger.parent.mkdir()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(stranger)
    err = _refused(run_main, monkeypatch, stranger, "--p12", pki.valid, "--password-env", PASSWORD_ENV)
    assert "không phải báo cáo do sangkien dựng" in err
    folder = _copy_year(sample_year, tmp_path / "sua")
    with open(folder / "bao-cao-2023.pdf", "ab") as handle:
        handle.write(b"\n% edited\n")
    err = _refused(run_main, monkeypatch, folder / "bao-cao-2023.pdf", "--p12", pki.valid,
                   "--password-env", PASSWORD_ENV)
    assert "đã bị sửa" in err


@needs_harfbuzz
def test_a_signed_pdf_or_an_existing_output_exit_2(signed, pki, run_main, monkeypatch):
    err = _refused(run_main, monkeypatch, signed.result.path, "--p12", pki.valid, "--password-env", PASSWORD_ENV,
                   "--out", signed.folder / "lan-hai.pdf")
    assert "đã có chữ ký số" in err
    err = _refused(run_main, monkeypatch, signed.folder / "bao-cao-2023.pdf", "--p12", pki.valid,
                   "--password-env", PASSWORD_ENV)
    assert "đã có tệp này" in err


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
    pdf = _copy_year(sample_year, tmp_path / "out") / "bao-cao-2023.pdf"
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
    pdf = _copy_year(sample_year, tmp_path) / "bao-cao-2023.pdf"
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    for name in ("ban-1.pdf", "ban-2.pdf"):
        result = sangkien.sign_pdf(pdf, tmp_path / name, p12=pki.valid, password_env=PASSWORD_ENV)
        status = _validate(result.path, pki.ca)
        assert result.path == tmp_path / name and status.intact and status.trusted
