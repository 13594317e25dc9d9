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
sangkien report or was changed after its build (by the manifest's hash, or wherever it lies by its own
structure: :func:`changed_after_build`), one already signed, a wrong password or PIN, a .p12 without its
private key, a certificate that is not valid today, whose key is too weak (MIN_KEY_BITS) or whose key usage
is not for signing, or whose holder is not the signer the report prints (read from the PDF itself, so a
report outside its year folder is checked too; ``signer_as_printed`` accepts a holder whose name is
printed otherwise, and the manifest says so), and for a signature or seal image too large or too thin
(read from its header, before it is decoded). A certificate that does not chain to a trusted CA (or is
self-signed) signs, with one warning line. In the year's folder the signed file is written, and
recorded, under the year's lock and only when the year still holds the PDF that was signed (a rebuild
while ``sign`` waited for a password is refused); once it is, the work is done, and a stop arriving then
does not undo the exit status.

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
import warnings
from dataclasses import dataclass
from pathlib import Path

from sangkien import files, paths
from sangkien.errors import SangkienError, SigningError, writing_into
from sangkien.inputs.schema import fold
from sangkien.inputs.shown import thousands
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
MIN_KEY_BITS = {"rsa": 2048, "rsassa_pss": 2048, "dsa": 2048, "ec": 256}
"""The smallest key a certificate may sign with, by algorithm (ETSI TS 119 312; validators reject smaller)."""
SIGNING_USAGES = {"digital_signature", "non_repudiation"}
"""A certificate whose key usage names neither is not for signing documents."""
IMAGE_MAX_PIXELS = 25_000_000
"""The largest signature or seal image (points, width × height), checked before it is decoded."""
IMAGE_MAX_RATIO = 20
"""The thinnest: its long side at most this many times its short side."""
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


END_OF_LINES = (b"\r\n", b"\n", b"\r")


def changed_after_build(data: bytes) -> str:
    """What in the PDF ``data`` itself shows it was changed after sangkien built it, in words; "" when
    nothing does. A build writes one revision, ending at its ``%%EOF`` and at most one end of line: an
    incremental update after it (an annotation, a form value, a signature) or bytes after that ``%%EOF``
    are a change, wherever the file lies (with or without its year's manifest).

    >>> changed_after_build(b"%PDF-1.7 ... startxref 9 %%EOF\\n x")
    'có 2 byte thêm vào sau dấu kết thúc %%EOF của bản dựng'
    """
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    eof = data.find(b"%%EOF", max(data.rfind(b"startxref"), 0))
    tail = data[eof + len(b"%%EOF"):] if eof >= 0 else data
    tail = next((tail[len(end):] for end in END_OF_LINES if tail.startswith(end)), tail)
    if eof < 0:
        return "không có dấu kết thúc %%EOF (tệp bị cắt cụt hoặc bị sửa)"
    if tail:
        return f"có {len(tail)} byte thêm vào sau dấu kết thúc %%EOF của bản dựng"
    try:
        revisions = PdfFileReader(io.BytesIO(data), strict=False).xrefs.total_revisions
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        return f"không đọc được cấu trúc tệp ({exc})"
    return f"có {revisions - 1} lần cập nhật thêm sau bản dựng" if revisions > 1 else ""


def check_unchanged(pdf: Path, data: bytes) -> None:
    """SigningError when the PDF ``data`` was changed after its build: its manifest beside ``pdf`` records
    other bytes for it, or (wherever it lies) its own structure says so (:func:`changed_after_build`)."""
    manifest = _listed_in_manifest(pdf)
    recorded = (manifest or {}).get("files_sha256", {}).get(pdf.name)
    changed = changed_after_build(data)
    if changed:
        raise SigningError(f"{files.shown(pdf)}: tệp đã bị sửa sau lần dựng ({changed}); chỉ ký đúng tệp PDF do "
                           "lệnh build tạo ra: hãy dựng lại báo cáo rồi ký")
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
    """The signer of a PKCS#12 file (.p12, .pfx); SigningError for a wrong password, a damaged file, or one
    without a private key or its certificate."""
    from pyhanko.sign.signers import SimpleSigner

    try:
        content = p12.read_bytes()
    except OSError as exc:
        raise SigningError(f"{p12}: không đọc được tệp chứng thư số ({exc.strerror or exc})") from None
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, certificate, _ = pkcs12.load_key_and_certificates(content, password.encode("utf-8"))
    except ValueError:
        raise SigningError(f"{p12}: sai mật khẩu, hoặc tệp không phải chứng thư số PKCS#12 (.p12, .pfx)") from None
    if key is None:
        raise SigningError(f"{p12}: tệp .p12 không có khóa riêng (chỉ có chứng thư số); hãy xuất lại tệp .p12 kèm "
                           "khóa riêng từ thiết bị hoặc máy đã tạo nó")
    if certificate is None:
        raise SigningError(f"{p12}: tệp .p12 không có chứng thư số của khóa riêng; hãy xuất lại tệp .p12 kèm chứng thư số")
    return SimpleSigner.load_pkcs12_data(content, other_certs=[], passphrase=password.encode("utf-8"))


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
    check_key(certificate, name)
    return name, subject.get("organization_name") or ""


def check_key(certificate, name: str) -> None:
    """SigningError when the ``certificate``'s key is too weak to sign (MIN_KEY_BITS), or its key usage, when
    it states one, allows neither digitalSignature nor nonRepudiation: validators reject such signatures."""
    algorithm = certificate.public_key.algorithm
    least = MIN_KEY_BITS.get(algorithm)
    if least is not None and certificate.public_key.bit_size < least:
        raise SigningError(f"chứng thư số của {name} dùng khóa {algorithm.upper()} {certificate.public_key.bit_size} "
                           f"bit, quá yếu (cần ít nhất {least} bit): bên nhận sẽ không chấp nhận chữ ký; không ký")
    usage = certificate.key_usage_value
    if usage is not None and not set(usage.native) & SIGNING_USAGES:
        stated = ", ".join(_camel(u) for u in sorted(usage.native)) or "không có"
        raise SigningError(f"chứng thư số của {name} không cấp để ký (mục đích dùng khóa: {stated}; cần "
                           "digitalSignature hoặc nonRepudiation): bên nhận sẽ không chấp nhận chữ ký; không ký")


def _camel(name: str) -> str:
    """A key usage as RFC 5280 names it (``digital_signature`` -> ``digitalSignature``)."""
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)


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

def _check_image_size(path: Path, width: int, height: int) -> None:
    """SigningError when an image of ``width`` × ``height`` points is too large (IMAGE_MAX_PIXELS) or too
    thin (IMAGE_MAX_RATIO) to be a signature or a seal: decoding and scaling it would take minutes and
    gigabytes."""
    shown = f"{width}×{height} điểm ảnh"
    if width * height > IMAGE_MAX_PIXELS:
        raise SigningError(f"{path}: ảnh quá lớn ({shown}; tối đa {IMAGE_MAX_PIXELS // 1_000_000} triệu điểm ảnh); "
                           "ảnh chữ ký hay con dấu chỉ cần vài trăm điểm ảnh mỗi cạnh: hãy thu nhỏ ảnh")
    if min(width, height) < 1 or max(width, height) > IMAGE_MAX_RATIO * min(width, height):
        raise SigningError(f"{path}: ảnh quá dẹt ({shown}; cạnh dài tối đa gấp {IMAGE_MAX_RATIO} lần cạnh ngắn); "
                           "hãy cắt ảnh sát chữ ký hoặc con dấu")


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
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused below, in words
                with Image.open(path) as opened:
                    _check_image_size(path, *opened.size)  # read from the header, before anything is decoded
                    picture = opened.convert("RGBA")
        except Image.DecompressionBombError:
            raise SigningError(f"{path}: ảnh quá lớn (hơn {thousands(Image.MAX_IMAGE_PIXELS)} điểm ảnh); ảnh chữ ký "
                               "hay con dấu chỉ cần vài trăm điểm ảnh mỗi cạnh: hãy thu nhỏ ảnh") from None
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
    with writing_into(target.parent):  # a full or read-only disk: one line naming the folder
        manifest = _publish(pdf, data, target, content, record)
    return Signed(target, name, signed_at, placement, manifest, printed, bool(tsa), warnings)


def _publish(pdf: Path, data: bytes, target: Path, content: bytes, record: dict) -> Path | None:
    """Write the signed file ``content`` (of the PDF bytes ``data``); in the year's folder, under the year's
    lock (waiting, and saying so, while a build of the year holds it), only once the year still holds ``data``
    as its build (:func:`_still_the_year`), and record it in
    the manifest: the signed file is removed again when the manifest cannot be written. The work done, a
    stop arriving then does not make it a stopped command (:func:`.interrupts.completing`)."""
    from sangkien.pipeline.processes import interrupts

    manifest = _listed_in_manifest(pdf)
    if manifest is None or target.parent.resolve() != pdf.parent.resolve() or not isinstance(manifest.get("year"), int):
        with interrupts.completing():
            files.write_atomic(target, content)
        return None
    from sangkien.pipeline import manifest as year_record
    from sangkien.pipeline import stage

    def waiting() -> None:
        print(f"đang đợi lần dựng báo cáo năm {manifest['year']} đang chạy xong để ghi chữ ký vào năm…", file=sys.stderr,
              flush=True)

    with stage.year_lock(pdf.parent.parent, manifest["year"], wait=True, waiting=waiting), interrupts.completing():
        current = _still_the_year(pdf, data, target, manifest)
        files.write_atomic(target, content)
        current["outputs"]["signed"] = target.name
        current["state"] = "signed"  # the year's life: sangkien.pipeline.yearstate
        current["signed"] = {"file": target.name, "sha256": files.sha256_bytes(content), "of": pdf.name, **record}
        try:
            return year_record.store(pdf.parent, current)
        except BaseException:
            target.unlink(missing_ok=True)
            raise


def _still_the_year(pdf: Path, data: bytes, target: Path, before: dict) -> dict:
    """The year's manifest as it is now (call with the year's lock held); SigningError when the year no
    longer holds the signed bytes ``data`` as its build (``before``: its manifest when they were read): it
    was rebuilt or its PDF changed while ``sign`` waited (for a password, a token, a time-stamp), or another
    signature took ``target`` meanwhile. Nothing is written then."""
    current, year = _listed_in_manifest(pdf), before["year"]
    recorded = (before.get("files_sha256") or {}).get(pdf.name)
    try:
        on_disk = files.sha256_bytes(pdf.read_bytes())
    except OSError:
        on_disk = None
    if (current is None or current.get("year") != year or (current.get("files_sha256") or {}).get(pdf.name) != recorded
            or on_disk != files.sha256_bytes(data)):
        raise SigningError(f"{files.shown(pdf)}: năm {year} đã được dựng lại (hoặc tệp PDF đã đổi) trong lúc ký: tệp "
                           "PDF của năm không còn là tệp vừa ký; chưa ghi gì — hãy ký lại tệp PDF mới")
    if os.path.lexists(target):
        raise SigningError(f"{files.shown(target)}: đã có tệp này (vừa được ghi trong lúc ký); không ghi đè")
    return current
