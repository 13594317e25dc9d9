"""Checking a signed report as its receiver would (contract section 1): ``sangkien verify SIGNED.pdf
[--trust CA.pem]``.

A signed report is valid when all of these hold:

- the signature is intact (the signed bytes hash to what the signer signed) and made by its certificate's key;
- it covers the whole file but its own update: a byte appended, or an update added after signing (an
  annotation, a form value, a later signature), makes it not valid — a signed document is never changed;
- with ``--trust CA.pem``, the certificate chains to that CA. Without it no CA is trusted (no operating
  system's list: the CAs that issue Vietnamese officials' certificates are seldom in it): the signature
  can be valid, and is said to be unchecked for trust — the receiver decides whom to trust by naming the CA;
- the signed bytes are a build of ours: in a year folder (a ``manifest.json`` beside the file listing the
  report), the bytes before the signature's update are exactly the PDF the manifest records
  (``files_sha256``); elsewhere they are a sangkien report (its producer and signature block), which is
  said not to be matched to a build.

Who signed (the certificate's name and organisation) and when are reported: the time-stamp's time when the
signature carries one (PAdES B-T, checked), else the signer's own clock (said so). Times are shown in the
office's zone (the one the manifest's ``signed`` record names, else Asia/Ho_Chi_Minh). Nothing is fetched
from the network.
"""
from __future__ import annotations

import contextlib
import datetime
import io
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from sangkien import files
from sangkien.errors import ParamsError
from sangkien.signing.sign import ANCHOR_SPACE, CREATOR, DEFAULT_TIMEZONE, TIME_FORMAT

QUIET_LOGGERS = ("pyhanko", "pyhanko_certvalidator")
"""pyHanko logs each failed check with its traceback; verify says what failed in its own words."""


@dataclass
class Verification:
    """What ``verify`` found: ``problems`` (empty when valid) and each fact a receiver asks about."""

    path: Path
    problems: list[str] = field(default_factory=list)
    signer: str = ""
    organisation: str = ""
    time: datetime.datetime | None = None
    time_stamped: bool = False
    time_note: str = ""
    trusted: bool = False
    trust_note: str = ""
    coverage: str = ""
    build: str = ""

    @property
    def valid(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The report, one fact a line (Vietnamese), as ``sangkien verify`` prints it."""
        lines = [f"Tệp: {self.path}", f"Kết quả: {'hợp lệ' if self.valid else 'KHÔNG HỢP LỆ'}"]
        if self.signer:
            lines.append(f"Người ký: {self.signer}")
            lines.append(f"Cơ quan: {self.organisation or '(chứng thư số không ghi)'}")
        if self.time is not None:
            lines.append(f"Thời gian ký: {self.time.strftime(TIME_FORMAT)} — {self.time_note}")
        for label, value in (("Chứng thư số", self.trust_note), ("Phạm vi ký", self.coverage),
                             ("Bản dựng", self.build)):
            if value:
                lines.append(f"{label}: {value}")
        lines.extend(f"Lý do không hợp lệ: {problem}" for problem in self.problems)
        return lines


@contextlib.contextmanager
def _quiet():
    """pyHanko's loggers (and their children's, which inherit the level) silenced for the block: their
    tracebacks would reach stderr."""
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    before = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, before):
            logger.setLevel(level)


def _context(trust: Path | None):
    """The validation context: the CA in ``trust`` only (none without it); nothing fetched."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko_certvalidator import ValidationContext

    roots = []
    if trust is not None:
        try:
            roots = [load_cert_from_pemder(str(trust))]
        except (OSError, ValueError) as exc:
            raise ParamsError(f"--trust {trust}: không đọc được chứng thư CA (cần tệp PEM hoặc DER; {exc})") from None
    return ValidationContext(trust_roots=roots, allow_fetching=False)


def _name_of(certificate) -> tuple[str, str]:
    subject = certificate.subject.native
    return subject.get("common_name") or certificate.subject.human_friendly, subject.get("organization_name") or ""


def _office_zone(manifest: dict | None) -> datetime.tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(str(((manifest or {}).get("signed") or {}).get("timezone") or DEFAULT_TIMEZONE))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


# --------------------------------------------------------------------------- the signature

def _signature_facts(found: Verification, status, trust: Path | None, zone) -> None:
    """Fill ``found`` from pyHanko's status of the signature: intact, who, when, trusted."""
    found.signer, found.organisation = _name_of(status.signing_cert)
    if not status.intact:
        found.problems.append("nội dung đã ký bị thay đổi (mã băm không khớp với chữ ký)")
    elif not status.valid:
        found.problems.append("chữ ký không khớp với chứng thư số đi kèm")
    stamp = status.timestamp_validity
    if stamp is not None:
        found.time, found.time_stamped = stamp.timestamp.astimezone(zone), True
        tsa, _ = _name_of(stamp.signing_cert)
        found.time_note = f"dấu thời gian RFC 3161 của {tsa} ({'tin cậy' if stamp.trusted else 'không tin cậy'})"
        if not (stamp.intact and stamp.valid):
            found.problems.append(f"dấu thời gian của {tsa} không hợp lệ")
    elif status.signer_reported_dt is not None:
        found.time = status.signer_reported_dt.astimezone(zone)
        found.time_note = "theo đồng hồ máy của người ký (không có dấu thời gian, chưa kiểm chứng được)"
    found.trusted = bool(status.trusted)
    if found.trusted:
        anchor = status.validation_path[0] if status.validation_path is not None else None
        found.trust_note = "tin cậy" + (f" — nối tới CA {_name_of(anchor)[0]}" if anchor is not None else "")
        return
    if trust is not None:
        why = _untrusted_why(getattr(status.trust_problem_indic, "name", "") or "", trust)
        found.trust_note = f"KHÔNG tin cậy — {why}"
        found.problems.append(f"chứng thư số của {found.signer}: {why}")
    else:
        found.trust_note = ("chưa kiểm — không có CA tin cậy nào được chỉ ra (thêm --trust CA.pem, chứng thư gốc của tổ "
                            "chức cấp chứng thư số); chữ ký chưa được coi là tin cậy")


UNTRUSTED_BECAUSE = (("REVOKED", "đã bị thu hồi"), ("NOT_YET_VALID", "chưa đến thời hạn hiệu lực"),
                     ("OUT_OF_BOUNDS", "ngoài thời hạn hiệu lực"), ("EXPIRED", "ngoài thời hạn hiệu lực"))
"""pyHanko's indication (AdES) of why a certificate is not trusted, in words, by a part of its name. Any
other (no chain found, or the chain's constraints: a self-signed certificate, a key not for signing) is
said as not chaining to the CA."""


def _untrusted_why(indication: str, trust: Path) -> str:
    """Why the certificate is not trusted by the CA in ``trust``."""
    said = next((words for part, words in UNTRUSTED_BECAUSE if part in indication), None)
    return f"không nối tới CA trong {trust}" if said is None else f"nối tới CA trong {trust} nhưng {said}"


def _coverage(found: Verification, status, reader, signature, size: int) -> None:
    """Whether the signature covers the whole file but its own update; a problem naming what follows it."""
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        found.coverage = "chữ ký phủ toàn bộ tệp, trừ phần cập nhật của chính chữ ký"
        return
    later = reader.xrefs.total_revisions - 1 - signature.signed_revision
    start, length = signature.byte_range[2], signature.byte_range[3]
    if later > 0:
        what = f"tệp có {later} lần cập nhật thêm sau khi ký (đã bị sửa sau khi ký)"
    else:
        what = f"tệp có {size - start - length} byte thêm vào sau phần đã ký"
    found.coverage = f"KHÔNG phủ toàn bộ tệp: {what}"
    found.problems.append(what)


# --------------------------------------------------------------------------- the build

PDF_WHITE_SPACE = b"\x00\t\n\x0c\r "


def unsigned_prefixes(data: bytes, update_at: int) -> list[bytes]:
    """The bytes of the file before the signature's update (which begins at ``update_at``), as they may
    have ended: the white space a signing tool may leave before its update taken off, then with or without
    an end of line. Anything else between the build's ``%%EOF`` and the update stays: it was signed, and
    it is a change after the build (:func:`~sangkien.signing.sign.changed_after_build` says so).

    >>> [len(p) for p in unsigned_prefixes(b"%PDF x %%EOF\\r\\n\\n1 0 obj <</Contents <00>", 15)]
    [12, 13, 13, 14]
    """
    body = data[:update_at].rstrip(PDF_WHITE_SPACE)
    return [body + end for end in (b"", b"\n", b"\r", b"\r\n")]


def _update_start(data: bytes, reader, signature) -> int:
    """Where the signature's update begins in the file: its first object (or, with none, its cross-reference
    section); else, when the file's structure cannot tell, after the last ``%%EOF`` before the signature."""
    from pyhanko.pdf_utils.misc import PdfReadError

    xrefs, revision = reader.xrefs, signature.signed_revision
    try:
        starts = [xrefs.get_xref_container_info(revision).start_location]
        starts += [at for ref in xrefs.explicit_refs_in_revision(revision)
                   if isinstance(at := xrefs.get_historical_ref(ref, revision), int)]
        return min(starts)
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError):
        ends = [m.end() for m in re.finditer(rb"%%EOF", data[:signature.byte_range[1]])]
        return ends[-1] if ends else 0


def _manifest_beside(pdf: Path) -> dict | None:
    """The year's manifest beside ``pdf`` when there is one that lists a report; None otherwise."""
    try:
        manifest = json.loads((pdf.parent / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(manifest, dict) and isinstance(manifest.get("outputs"), dict) and manifest["outputs"].get("pdf")
    return manifest if ok else None


def _made_by_us(prefix: bytes) -> bool:
    """Whether ``prefix`` (the bytes before the signature's update) is a report of sangkien: its producer
    sangkien, its signature block's destination."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    from sangkien.signing.sign import _destinations

    try:
        reader = PdfFileReader(io.BytesIO(prefix), strict=False)
        info = reader.trailer["/Info"] if "/Info" in reader.trailer else {}
        return str(info.get("/Creator", "")) == CREATOR and ANCHOR_SPACE in _destinations(reader.root)
    except (PdfReadError, ValueError, KeyError, TypeError):
        return False


def _build(found: Verification, manifest: dict | None, data: bytes, reader, signature) -> None:
    """Whether the signed bytes are exactly a build: the one the year's manifest records, or (outside a year
    folder) a report of ours unchanged after its build, as ``sign`` checks it
    (:func:`~sangkien.signing.sign.changed_after_build`)."""
    from sangkien.signing.sign import changed_after_build

    prefixes = unsigned_prefixes(data, _update_start(data, reader, signature))
    if manifest is None and not _made_by_us(prefixes[-1]):
        found.build = "KHÔNG phải báo cáo do sangkien dựng"
        found.problems.append("phần đã ký không phải báo cáo do sangkien dựng")
        return
    changed = changed_after_build(prefixes[0])
    if changed:
        found.build = f"KHÔNG phải bản dựng nguyên vẹn: tệp đã bị sửa sau lần dựng rồi mới ký ({changed})"
        found.problems.append(f"phần đã ký là tệp đã bị sửa sau lần dựng ({changed})")
        return
    if manifest is None:
        found.build = ("báo cáo do sangkien dựng; không đối chiếu được với bản dựng nào (không có manifest.json của "
                       "năm bên cạnh tệp)")
        return
    name = manifest["outputs"]["pdf"]
    recorded = (manifest.get("files_sha256") or {}).get(name)
    if recorded and recorded in {files.sha256_bytes(p) for p in prefixes}:
        found.build = f"đúng bản dựng mà manifest.json ghi ({name}, năm {manifest.get('year', '?')})"
        if (manifest.get("signed") or {}).get("sha256") == files.sha256_bytes(data):
            found.build += "; đúng tệp đã ký mà manifest.json ghi"
        return
    found.build = f"KHÔNG phải bản dựng mà manifest.json bên cạnh ghi ({name}, năm {manifest.get('year', '?')})"
    found.problems.append(f"phần đã ký không phải bản dựng {name} mà manifest.json của thư mục này ghi (bản "
                          "của năm khác hoặc của một lần dựng khác)")


# --------------------------------------------------------------------------- verify

def verify(pdf: str | Path, trust: str | Path | None = None) -> Verification:
    """Check the signed report ``pdf`` (see the module's docstring); ParamsError when it cannot be read."""
    pdf, trust = Path(pdf), Path(trust) if trust is not None else None
    try:
        data = pdf.read_bytes()
    except OSError as exc:
        raise ParamsError(f"{files.shown(pdf)}: không đọc được tệp ({exc.strerror or exc})") from None
    found, context, manifest = Verification(pdf), _context(trust), _manifest_beside(pdf)
    with _quiet():
        _check(found, data, context, trust, manifest)
    return found


def _check(found: Verification, data: bytes, context, trust: Path | None, manifest: dict | None) -> None:
    """Fill ``found`` for the signed PDF ``data``: a damaged file or signature is a problem, never an error."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        found.problems.append(f"không đọc được tệp PDF hoặc chữ ký số trong tệp ({exc})")
        return
    if not signatures:
        found.problems.append("tệp không có chữ ký số")
        return
    signature = signatures[0]
    try:
        status = validate_pdf_signature(signature, signer_validation_context=context, ts_validation_context=context)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:  # pyHanko's validation errors are ValueErrors
        found.problems.append(f"chữ ký số trong tệp bị hỏng, không kiểm được ({exc})")
        return
    _signature_facts(found, status, trust, _office_zone(manifest))
    _coverage(found, status, reader, signature, len(data))
    _build(found, manifest, data, reader, signature)
    if len(signatures) > 1:
        found.problems.append(f"tệp có {len(signatures)} chữ ký; báo cáo chỉ ký một lần")
