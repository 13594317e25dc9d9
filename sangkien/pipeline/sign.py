"""Signing a built report (contract section 1): ``sangkien sign PDF --p12 FILE --password-env NAME``, or
with a token ``--pkcs11-lib LIB --key-label LABEL``.

A PAdES signature (pyHanko) with a visible stamp in the signature block of the report: between the
signer's title and name, on the page the PDF's named destinations ``sangkien-sig-space`` and
``sangkien-sig-name`` point to (``templates/fonts.css`` puts them there when the PDF is laid out). The
stamp says who signed (the certificate's name and organisation) and when, in the shipped Tinos font
(embedded, with Vietnamese), over the signature's image and the seal's image when they are given.

The signed PDF is a new file (default: next to the PDF, ``…-da-ky.pdf``); the unsigned one is never
changed. Signed into the year's folder, the year's ``manifest.json`` gains ``outputs.signed`` and a
``signed`` record with its sha256 (outside ``files_sha256``: a signed file does not make the next build
think an output was edited). Before anything is written, SigningError (exit 2) for a PDF that is not a
sangkien report or was changed after its build, one already signed, a wrong password or PIN, or a
certificate that is not valid today.
"""
from __future__ import annotations

import datetime
import getpass
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sangkien import files, paths
from sangkien.errors import SigningError
from sangkien.pipeline.workarounds.pyhanko_font import font_factory

SIGNED_SUFFIX = "-da-ky.pdf"
FIELD_NAME = "ChuKySo"
CREATOR = "sangkien"
"""The /Creator of the PDFs we make (the house template's ``<meta name="generator">``)."""
ANCHOR_SPACE, ANCHOR_NAME = "sangkien-sig-space", "sangkien-sig-name"
RIGHT_MARGIN_PT = 15 * 72 / 25.4
"""The page's right margin (``report.css``): the signature column ends there."""
STAMP_WIDTH_PT = 80 * 72 / 25.4
IMAGE_SHARE = 0.36
"""With a signature or seal image: the part of the stamp's width it takes (on the left; the text right)."""
STAMP_TEXT = "Ký bởi: %(signer)s\n%(organisation)sThời gian ký: %(ts)s"
TIME_FORMAT = "%d/%m/%Y %H:%M:%S %z"
FONT_SIZE = 8


@dataclass(frozen=True)
class Placement:
    page: int
    """0-based."""
    box: tuple[int, int, int, int]
    """(left, bottom, right, top) in PDF points."""


@dataclass(frozen=True)
class Signed:
    path: Path
    signer: str
    signed_at: datetime.datetime
    placement: Placement
    manifest: Path | None
    """The manifest that records the signed file (None when it was written elsewhere)."""


# --------------------------------------------------------------------------- is it ours, and where to sign

def _page_refs(node) -> list:
    refs = []
    for kid in node.raw_get("/Kids"):
        page = kid.get_object()
        refs.extend(_page_refs(page) if page.get("/Type") == "/Pages" else [kid])
    return refs


def _destinations(root) -> dict[str, tuple]:
    """Named destinations: name -> (page reference, x, y)."""
    try:
        names = root["/Names"]["/Dests"]["/Names"]
    except KeyError:
        return {}
    found = {}
    for i in range(0, len(names) - 1, 2):
        target = names[i + 1]
        found[str(names[i])] = (target.raw_get(0), float(target[2]), float(target[3]))
    return found


def signature_place(data: bytes, shown: str) -> Placement:
    """Where the stamp goes in the PDF ``data``: between the signer's title and name. SigningError when
    the PDF is unreadable, not a sangkien report, or signed already."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data))
        creator = str(reader.trailer["/Info"].get("/Creator", "")) if "/Info" in reader.trailer else ""
        signed = list(reader.embedded_signatures)
        places = _destinations(reader.root)
        pages = _page_refs(reader.root["/Pages"])
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise SigningError(f"{shown}: không đọc được tệp PDF ({exc})") from None
    if creator != CREATOR or ANCHOR_SPACE not in places:
        raise SigningError(f"{shown}: không phải báo cáo do sangkien dựng (không có khối chữ ký của báo cáo); "
                           "chỉ ký tệp PDF do lệnh build tạo ra")
    if signed:
        raise SigningError(f"{shown}: tệp đã có chữ ký số; hãy ký tệp PDF chưa ký do lệnh build tạo ra")
    page_ref, left, top = places[ANCHOR_SPACE]
    page = pages.index(page_ref)
    right = float(page_ref.get_object()["/MediaBox"][2]) - RIGHT_MARGIN_PT
    name_ref, _, name_top = places.get(ANCHOR_NAME, (page_ref, 0.0, top - 74))
    bottom = name_top if name_ref == page_ref and name_top < top else top - 74
    centre, width = (left + right) / 2, min(STAMP_WIDTH_PT, right - left)
    box = (round(centre - width / 2), round(bottom + 4), round(centre + width / 2), round(top - 3))
    return Placement(page, box)


def _listed_in_manifest(pdf: Path) -> dict | None:
    """The manifest beside ``pdf`` when it lists ``pdf`` as its report; None otherwise."""
    try:
        manifest = json.loads((pdf.parent / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("outputs", {}).get("pdf") == pdf.name else None


def check_unchanged(pdf: Path, data: bytes) -> None:
    """SigningError when the manifest beside ``pdf`` records other bytes for it (edited after the build)."""
    manifest = _listed_in_manifest(pdf)
    recorded = (manifest or {}).get("files_sha256", {}).get(pdf.name)
    if recorded and recorded != files.sha256_bytes(data):
        raise SigningError(f"{files.shown(pdf)}: tệp đã bị sửa sau lần dựng (mã băm khác manifest.json); "
                           "hãy dựng lại báo cáo rồi ký")


# --------------------------------------------------------------------------- the signer

def secret(env_name: str | None, what: str) -> str:
    """The password (or PIN) from the environment variable ``env_name``; a hidden prompt on a terminal
    when the variable is not set; SigningError otherwise. Never from the command line."""
    if env_name and env_name in os.environ:
        return os.environ[env_name]
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(f"{what}: ")
    where = f"biến môi trường {env_name} chưa được đặt" if env_name else "chưa chỉ ra --password-env"
    raise SigningError(f"chưa có {what}: {where} (mật khẩu không bao giờ ghi trên dòng lệnh)")


def load_p12(p12: Path, password: str):
    """The signer of a PKCS#12 file (.p12, .pfx); SigningError for a wrong password or a damaged file."""
    from pyhanko.sign.signers import SimpleSigner

    try:
        content = p12.read_bytes()
    except OSError as exc:
        raise SigningError(f"{p12}: không đọc được tệp chứng thư số ({exc.strerror or exc})") from None
    try:
        return SimpleSigner.load_pkcs12_data(content, other_certs=[], passphrase=password.encode("utf-8"))
    except ValueError:
        raise SigningError(f"{p12}: sai mật khẩu, hoặc tệp không phải chứng thư số PKCS#12 (.p12, .pfx)") from None


def open_token(library: Path, key_label: str, pin: str):
    """The signer of the key labelled ``key_label`` on a PKCS#11 token, and the open session (close it
    after signing). The certificate is found by the key's ID: some tokens' certificate labels differ."""
    try:
        import pkcs11
        from pkcs11 import Attribute, ObjectClass
        from pyhanko.sign.pkcs11 import PKCS11Signer
    except ImportError:
        raise SigningError("ký bằng thiết bị ký số (PKCS#11) cần thư viện python-pkcs11 (pip install "
                           "'pyhanko[pkcs11]')") from None
    try:
        slots = pkcs11.lib(str(library)).get_slots(token_present=True)
    except (pkcs11.PKCS11Error, OSError, RuntimeError) as exc:
        raise SigningError(f"{library}: không nạp được thư viện PKCS#11 của thiết bị ký số ({exc})") from None
    for slot in slots:
        try:
            session = slot.get_token().open(user_pin=pin)
        except pkcs11.PinIncorrect:
            raise SigningError(f"sai mã PIN của thiết bị ký số ({library})") from None
        except pkcs11.PKCS11Error:
            continue
        keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.LABEL: key_label}))
        if keys:
            return PKCS11Signer(session, key_label=key_label, cert_id=keys[0][Attribute.ID]), session
        session.close()
    raise SigningError(f"không tìm thấy khóa có nhãn {key_label!r} trên thiết bị ký số ({library})")


def _certificate_lines(signer) -> tuple[str, str]:
    """The signer's name and organisation, from the certificate; SigningError when it is not valid today."""
    try:
        certificate = signer.signing_cert
    except Exception as exc:  # a token without the key's certificate, a damaged certificate
        raise SigningError(f"không đọc được chứng thư số của người ký ({type(exc).__name__}: {exc})") from None
    validity = certificate["tbs_certificate"]["validity"]
    start, end = validity["not_before"].native, validity["not_after"].native
    now = datetime.datetime.now(datetime.UTC)
    subject = certificate.subject.native
    name = subject.get("common_name") or certificate.subject.human_friendly
    if now > end:
        raise SigningError(f"chứng thư số của {name} đã hết hạn ngày {end:%d/%m/%Y}; không ký")
    if now < start:
        raise SigningError(f"chứng thư số của {name} chỉ có hiệu lực từ ngày {start:%d/%m/%Y}; không ký")
    return name, subject.get("organization_name") or ""


# --------------------------------------------------------------------------- the stamp

def _background(image: Path | None, seal: Path | None):
    """The signature's image with the seal over its left part (as offices stamp it), or None."""
    if image is None and seal is None:
        return None
    from PIL import Image, UnidentifiedImageError
    from pyhanko.pdf_utils.images import PdfImage

    height, parts = 240, []
    for path in (image, seal):
        if path is None:
            continue
        try:
            with Image.open(path) as opened:
                picture = opened.convert("RGBA")
        except (OSError, UnidentifiedImageError):
            raise SigningError(f"{path}: không đọc được ảnh (cần PNG hoặc JPEG)") from None
        parts.append(picture.resize((max(1, round(picture.width * height / picture.height)), height)))
    signature, stamp = (parts[0], parts[1]) if len(parts) == 2 else (parts[0], None)
    if stamp is None:
        return PdfImage(signature)
    canvas = Image.new("RGBA", (stamp.width * 2 // 3 + signature.width, height), (255, 255, 255, 0))
    canvas.alpha_composite(signature, (stamp.width * 2 // 3, 0))
    canvas.alpha_composite(stamp, (0, 0))
    return PdfImage(canvas)


def stamp_style(image: Path | None = None, seal: Path | None = None):
    """The visible stamp: who and when in Tinos (embedded), over the images when given."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    try:
        font = font_factory(str(paths.FONT_FILES["regular"]), FONT_SIZE)
    except ImportError:
        raise SigningError("ký cần thư viện uharfbuzz để nhúng phông chữ tiếng Việt (pip install "
                           "'pyhanko[opentype]')") from None
    background = _background(image, seal)
    image_width = round(STAMP_WIDTH_PT * IMAGE_SHARE) if background else 0
    mid = layout.AxisAlignment.ALIGN_MID
    return TextStampStyle(
        stamp_text=STAMP_TEXT, timestamp_format=TIME_FORMAT, border_width=1,
        text_box_style=TextBoxStyle(font=font, font_size=FONT_SIZE, leading=FONT_SIZE + 2),
        background=background, background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=mid,
            margins=layout.Margins(3, round(STAMP_WIDTH_PT) - image_width, 3, 3)),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MAX if background else mid, y_align=mid,
            margins=layout.Margins(image_width + 3, 4, 3, 3)))


# --------------------------------------------------------------------------- signing

def signed_bytes(data: bytes, signer, placement: Placement, style, name: str, organisation: str) -> bytes:
    """``data`` signed (PAdES, SHA-256) by ``signer`` with the visible stamp at ``placement``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256", name=name,
                                        subfilter=fields.SigSeedSubFilter.PADES, reason="Ký ban hành văn bản")
    spec = fields.SigFieldSpec(FIELD_NAME, on_page=placement.page, box=placement.box)
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
    output = io.BytesIO()
    pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), output=output,
                        appearance_text_params={"signer": name,
                                                "organisation": f"{organisation}\n" if organisation else ""})
    return output.getvalue()


def output_path(pdf: Path, out: Path | None) -> Path:
    """Where the signed PDF goes; SigningError when it would replace the PDF or an existing file."""
    target = Path(out) if out else pdf.with_name(pdf.stem + SIGNED_SUFFIX)
    if target.resolve() == pdf.resolve():
        raise SigningError(f"{files.shown(target)}: tệp ký phải là tệp mới, không ghi đè tệp chưa ký")
    if target.exists():
        raise SigningError(f"{files.shown(target)}: đã có tệp này; xóa nó hoặc chọn tệp khác bằng --out")
    if not target.parent.is_dir():
        raise SigningError(f"{files.shown(target.parent)}: không có thư mục này")
    return target


def sign(pdf: str | Path, out: str | Path | None = None, *, p12: str | Path | None = None,
         pkcs11_lib: str | Path | None = None, key_label: str | None = None, password_env: str | None = None,
         image: str | Path | None = None, seal: str | Path | None = None) -> Signed:
    """Sign the report ``pdf`` into a new file with a PKCS#12 file (``p12``) or a PKCS#11 token
    (``pkcs11_lib`` and ``key_label``), the password or PIN read from ``password_env``."""
    pdf = Path(pdf)
    if (p12 is None) == (pkcs11_lib is None) or (pkcs11_lib is not None and not key_label):
        raise SigningError("lệnh không hợp lệ: cần --p12 TỆP, hoặc --pkcs11-lib THƯ-VIỆN cùng --key-label NHÃN")
    try:
        data = pdf.read_bytes()
    except OSError as exc:
        raise SigningError(f"{files.shown(pdf)}: không đọc được tệp ({exc.strerror or exc})") from None
    placement = signature_place(data, files.shown(pdf))
    check_unchanged(pdf, data)
    target = output_path(pdf, Path(out) if out else None)
    session = None
    if p12 is not None:
        signer = load_p12(Path(p12), secret(password_env, "mật khẩu tệp chứng thư số"))
    else:
        signer, session = open_token(Path(pkcs11_lib), key_label, secret(password_env, "mã PIN thiết bị ký số"))
    try:
        name, organisation = _certificate_lines(signer)
        style = stamp_style(Path(image) if image else None, Path(seal) if seal else None)
        signed_at = datetime.datetime.now().astimezone()
        content = signed_bytes(data, signer, placement, style, name, organisation)
    finally:
        if session is not None:
            session.close()
    manifest = _publish(pdf, target, content, name, signed_at)
    return Signed(target, name, signed_at, placement, manifest)


def _publish(pdf: Path, target: Path, content: bytes, signer: str, signed_at: datetime.datetime) -> Path | None:
    """Write the signed file; in the year's folder, under the year's lock, and record it in the manifest."""
    manifest = _listed_in_manifest(pdf)
    if manifest is None or target.parent.resolve() != pdf.parent.resolve() or not isinstance(manifest.get("year"), int):
        files.write_atomic(target, content)
        return None
    from sangkien.pipeline import manifest as year_record
    from sangkien.pipeline import stage

    with stage.year_lock(pdf.parent.parent, manifest["year"]):
        manifest = _listed_in_manifest(pdf) or manifest
        files.write_atomic(target, content)
        manifest["outputs"]["signed"] = target.name
        manifest["signed"] = {"file": target.name, "sha256": files.sha256_bytes(content), "of": pdf.name,
                              "signer": signer, "signed_at": signed_at.isoformat(timespec="seconds")}
        return year_record.store(pdf.parent, manifest)
