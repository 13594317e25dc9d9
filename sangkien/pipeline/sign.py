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
sangkien report or was changed after its build, one already signed, a wrong password or PIN, a
certificate that is not valid today, or one whose holder is not the signer the report prints (read from
the PDF itself, so a report outside its year folder is checked too; ``signer_as_printed`` accepts a
holder whose name is printed otherwise, and the manifest says so). A certificate that does not chain to
a trusted CA (or is self-signed) signs, with one warning line.

Times are the office's: the stamp, the signature's ``/M``, the metadata and the manifest use the
parameters' ``timezone`` (default Asia/Ho_Chi_Minh), whatever the machine's zone. With ``tsa`` the
signature carries an RFC 3161 time-stamp from that service (PAdES B-T); a service that fails or does not
answer within TSA_TIMEOUT_S is an error (exit 1) and nothing is written. The signature's update keeps
the PDF/A-2b metadata consistent (:mod:`.workarounds.pyhanko_office`).
"""
from __future__ import annotations

import asyncio
import datetime
import getpass
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sangkien import files, paths
from sangkien.errors import SangkienError, SigningError
from sangkien.inputs.schema import fold
from sangkien.pipeline.workarounds.pyhanko_font import font_factory
from sangkien.pipeline.workarounds.pyhanko_office import office_signer, office_writer

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
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
"""The office's zone when the parameters name none (the ``timezone`` parameter's default)."""
TSA_TIMEOUT_S = 15
"""How long a time-stamping service may take to answer one request (signing asks it twice)."""
NAME_LINES_PT = 60
"""How far below the top of the signer's name (``sangkien-sig-name``) its text is read: three lines of 13.5 pt."""


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
    printed: str = ""
    """The signer's name as the report prints it."""
    time_stamped: bool = False
    """True when the signature carries a time-stamp (``tsa``)."""
    warnings: tuple[str, ...] = ()
    """One line each, for the user (an untrusted or self-signed certificate)."""


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


def printed_signer(data: bytes) -> str:
    """The signer's name as the report ``data`` prints it: the text under the ``sangkien-sig-name``
    destination, in the signature's column (NFC, spaces collapsed; "" when the line is blank). Read from
    the PDF itself, so that a report moved out of its year folder is checked against what it shows."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        place = reader.named_destinations.get(ANCHOR_NAME)
        if place is None:
            return ""
        page, left, top = reader.pages[reader.get_destination_page_number(place)], float(place.left), float(place.top)
        pieces: list[tuple[int, float, str]] = []

        def keep(text, cm, tm, font, size):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip() and x >= left - 1 and top - NAME_LINES_PT <= y <= top:
                pieces.append((-round(y), x, text))

        page.extract_text(visitor_text=keep)
    except (PyPdfError, ValueError, KeyError, TypeError):
        return ""
    return " ".join("".join(text for *_, text in sorted(pieces)).split())


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


def check_signer(holder: str, printed: str, as_printed: str | None = None) -> None:
    """SigningError unless the certificate's ``holder`` is the signer the report prints (``printed``),
    compared as register text (NFC, spaces, case). ``as_printed``: the holder is accepted for a name
    printed otherwise, when it repeats the printed name (the one who signs says whom they sign for)."""
    if not printed:
        raise SigningError("báo cáo chưa in tên người ký (signer.name trong tệp tham số còn trống); hãy ghi tên "
                           "người ký rồi dựng bản để ký (build NĂM --final)")
    if as_printed is not None:
        if fold(as_printed) != fold(printed):
            raise SigningError(f"--signer-as-printed ghi “{as_printed}” nhưng báo cáo in tên người ký “{printed}”; "
                               "hãy ghi đúng tên như báo cáo in")
        return
    if fold(holder) != fold(printed):
        raise SigningError(f"chứng thư số là của “{holder}” nhưng báo cáo in tên người ký “{printed}”; hãy ký bằng "
                           f"chứng thư số của {printed}, hoặc nếu đúng là một người mà tên in khác đi, thêm "
                           f"--signer-as-printed \"{printed}\"")


def trust_warnings(signer, trust: Path | None = None) -> tuple[str, ...]:
    """One line when the signer's certificate is self-signed, does not chain to the CA in ``trust`` (a PEM
    or DER file), or cannot be checked because no CA was given: the signature is made, but a receiver may
    not trust it. Only the CA given is trusted (no operating system's list: the CAs that issue
    Vietnamese officials' certificates are seldom in it); nothing is fetched from the network."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

    certificate = signer.signing_cert
    name = certificate.subject.native.get("common_name") or certificate.subject.human_friendly
    if certificate.self_signed != "no":
        return (f"cảnh báo: chứng thư số của {name} là chứng thư tự ký (không do tổ chức chứng thực nào cấp); "
                "bên nhận sẽ không tin cậy chữ ký này",)
    if trust is None:
        return (f"cảnh báo: chưa kiểm chứng thư số của {name} với CA nào; thêm --trust CA.pem (chứng thư gốc của "
                "tổ chức cấp chứng thư số) để biết bên nhận có tin cậy chữ ký không",)
    try:
        roots = [load_cert_from_pemder(str(trust))]
    except (OSError, ValueError) as exc:
        raise SigningError(f"{trust}: không đọc được chứng thư CA ({exc})") from None
    validator = CertificateValidator(certificate, intermediate_certs=list(signer.cert_registry or ()),
                                     validation_context=ValidationContext(trust_roots=roots, allow_fetching=False))
    try:
        asyncio.run(validator.async_validate_path())
    except (PathBuildingError, PathValidationError, ValidationError):
        return (f"cảnh báo: chứng thư số của {name} không nối tới CA trong {trust}; chữ ký vẫn được tạo nhưng bên "
                "nhận tin CA đó sẽ không tin cậy chữ ký",)
    return ()


# --------------------------------------------------------------------------- the time

def office_zone(pdf: Path, params: str | Path | None = None) -> datetime.tzinfo:
    """The office's zone: the ``timezone`` of the parameters file ``params``, or else of the year the
    manifest beside ``pdf`` records, or else of the shared defaults (default Asia/Ho_Chi_Minh)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from sangkien.inputs.params import load_params, load_yaml

    manifest = _listed_in_manifest(pdf) or {}
    recorded = (manifest.get("inputs", {}).get("params", {}).get("files") or [None])[-1]
    if params is None and recorded and Path(recorded).is_file():
        params = recorded
    if params is not None:
        where, name = str(params), load_params(None, params, require_data=False).timezone
    else:
        where = str(paths.DEFAULTS_FILE)
        name = load_yaml(paths.DEFAULTS_FILE).get("timezone") if paths.DEFAULTS_FILE.exists() else None
    try:
        return ZoneInfo(str(name or DEFAULT_TIMEZONE).strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise SigningError(f'{where}: khóa "timezone" cần tên một múi giờ (ví dụ Asia/Ho_Chi_Minh), nhận được '
                           f"{name!r}") from None


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

@dataclass(frozen=True)
class Signature:
    """What a signature is made of, besides the PDF: who signs, where, with what stamp, when, and the
    time-stamping service (or None)."""

    signer: object
    placement: Placement
    style: object
    name: str
    organisation: str
    signed_at: datetime.datetime
    tsa: str | None = None


def _timestamper(url: str):
    """pyHanko's RFC 3161 client for the service at ``url``, answering within TSA_TIMEOUT_S."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    if not url.startswith(("http://", "https://")):
        raise SigningError(f"--tsa {url}: cần địa chỉ http:// hoặc https:// của dịch vụ cấp dấu thời gian")
    return HTTPTimeStamper(url, timeout=TSA_TIMEOUT_S)


def signed_bytes(data: bytes, signature: Signature) -> bytes:
    """``data`` signed (PAdES, SHA-256; B-T with a time-stamp when ``signature.tsa``) with the visible
    stamp; the times in ``signature.signed_at``'s zone. SangkienError (exit 1) when the time-stamping
    service fails or does not answer."""
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import TimestampRequestError

    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256", name=signature.name,
                                        subfilter=fields.SigSeedSubFilter.PADES, reason="Ký ban hành văn bản")
    spec = fields.SigFieldSpec(FIELD_NAME, on_page=signature.placement.page, box=signature.placement.box)
    timestamper = _timestamper(signature.tsa) if signature.tsa else None
    pdf_signer = office_signer(signature.signed_at, meta, signer=signature.signer, stamp_style=signature.style,
                               new_field_spec=spec, timestamper=timestamper)
    organisation = f"{signature.organisation}\n" if signature.organisation else ""
    output = io.BytesIO()
    try:
        pdf_signer.sign_pdf(office_writer(data, signature.signed_at), output=output,
                            appearance_text_params={"signer": signature.name, "organisation": organisation,
                                                    "ts": signature.signed_at.strftime(TIME_FORMAT)})
    except (TimestampRequestError, OSError) as exc:  # a timeout is an OSError
        if timestamper is None:
            raise
        cause = exc.__cause__ or exc
        raise SangkienError(f"--tsa {signature.tsa}: dịch vụ cấp dấu thời gian không trả lời được ({type(cause).__name__}"
                            f"{': ' + str(cause) if str(cause) else ''}); chưa ký, không ghi tệp nào") from None
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


def _open_signer(p12, pkcs11_lib, key_label: str | None, password_env: str | None):
    """The signer of a PKCS#12 file or of a key on a PKCS#11 token, and the token's open session (or None)."""
    if (p12 is None) == (pkcs11_lib is None) or (pkcs11_lib is not None and not key_label):
        raise SigningError("lệnh không hợp lệ: cần --p12 TỆP, hoặc --pkcs11-lib THƯ-VIỆN cùng --key-label NHÃN")
    if p12 is not None:
        return load_p12(Path(p12), secret(password_env, "mật khẩu tệp chứng thư số")), None
    return open_token(Path(pkcs11_lib), key_label, secret(password_env, "mã PIN thiết bị ký số"))


def sign(pdf: str | Path, out: str | Path | None = None, *, p12: str | Path | None = None,
         pkcs11_lib: str | Path | None = None, key_label: str | None = None, password_env: str | None = None,
         image: str | Path | None = None, seal: str | Path | None = None, tsa: str | None = None,
         signer_as_printed: str | None = None, trust: str | Path | None = None,
         params: str | Path | None = None) -> Signed:
    """Sign the report ``pdf`` into a new file with a PKCS#12 file (``p12``) or a PKCS#11 token
    (``pkcs11_lib`` and ``key_label``), the password or PIN read from ``password_env``; time-stamped by
    the service at ``tsa`` when given. ``signer_as_printed``: the name the report prints, for a holder
    printed otherwise. ``trust``: the CA the certificate should chain to (else a warning). ``params``: the
    parameters whose ``timezone`` applies (default: the year's, else the shared defaults)."""
    pdf = Path(pdf)
    try:
        data = pdf.read_bytes()
    except OSError as exc:
        raise SigningError(f"{files.shown(pdf)}: không đọc được tệp ({exc.strerror or exc})") from None
    placement = signature_place(data, files.shown(pdf))
    check_unchanged(pdf, data)
    target = output_path(pdf, Path(out) if out else None)
    printed, zone = printed_signer(data), office_zone(pdf, params)
    signer, session = _open_signer(p12, pkcs11_lib, key_label, password_env)
    try:
        name, organisation = _certificate_lines(signer)
        check_signer(name, printed, signer_as_printed)
        warnings = trust_warnings(signer, Path(trust) if trust else None)
        style = stamp_style(Path(image) if image else None, Path(seal) if seal else None)
        signed_at = datetime.datetime.now(zone).replace(microsecond=0)
        content = signed_bytes(data, Signature(signer, placement, style, name, organisation, signed_at, tsa))
    finally:
        if session is not None:
            session.close()
    record = {"signer": name, "printed_signer": printed, "time": signed_at.isoformat(),
              "signed_at": signed_at.isoformat(), "timezone": str(zone)}
    if signer_as_printed is not None:
        record["signer_as_printed"] = True  # the holder's name differs from the printed one, accepted by the signer
    if tsa:
        record["tsa"] = tsa
    manifest = _publish(pdf, target, content, record)
    return Signed(target, name, signed_at, placement, manifest, printed, bool(tsa), warnings)


def _publish(pdf: Path, target: Path, content: bytes, record: dict) -> Path | None:
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
        manifest["state"] = "signed"  # the year's life: sangkien.pipeline.yearstate
        manifest["signed"] = {"file": target.name, "sha256": files.sha256_bytes(content), "of": pdf.name, **record}
        return year_record.store(pdf.parent, manifest)
