"""What the signing tests share: a PKI made at test time (a CA, signers, a self-signed certificate, a
time-stamping authority) and an RFC 3161 time-stamping service on 127.0.0.1 answering with pyHanko's
dummy time-stamper (the fixtures ``pki`` and ``tsa`` of tests/pipeline/conftest.py)."""
from __future__ import annotations

import contextlib
import datetime
import http.server
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

PASSWORD_ENV = "SANGKIEN_TEST_P12_PASSWORD"
PASSWORD = "mật-khẩu 2024"
SIGNER = "Nguyễn Văn Mẫu"
"""The name the sample year prints under its signature (and the holder of the valid certificate)."""
OTHER = "Trịnh Quốc Khánh"
ORGANISATION = "Sở Khoa học và Công nghệ Hải Phòng"


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


def certificate(subject, issuer, public_key, signing_key, serial: int, days: tuple[int, int], ca: bool,
                time_stamping: bool = False, usage=None):
    """An X.509 certificate: a CA's, a signer's, or (``time_stamping``) a time-stamping authority's; ``usage``:
    its key usage, when not the usual one of a CA or a signer."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID

    now = datetime.datetime.now(datetime.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(serial).not_valid_before(now + datetime.timedelta(days=days[0]))
               .not_valid_after(now + datetime.timedelta(days=days[1]))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(usage or _usage(not ca), critical=True))
    if time_stamping:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(signing_key, hashes.SHA256())


def _p12(path: Path, key, cert, chain) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"ky-so", key, cert, chain, serialization.BestAvailableEncryption(PASSWORD.encode())))
    return path


def _unfit(folder: Path, ca_key, ca_name, ca) -> dict[str, Path]:
    """.p12 files of SIGNER under the CA, valid today, that cannot sign: ``weak_rsa`` (an RSA key of 1024 bits),
    ``weak_ec`` (an EC key on P-192), ``encipherment`` (a key usage of key encipherment only), ``no_key`` (the
    certificate without its private key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    made = {}
    strong = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    encipherment = x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=True,
                                 data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                                 encipher_only=False, decipher_only=False)
    for serial, (label, key, usage) in enumerate((
            ("weak_rsa", rsa.generate_private_key(public_exponent=65537, key_size=1024), None),
            ("weak_ec", ec.generate_private_key(ec.SECP192R1()), None),
            ("encipherment", strong, encipherment), ("no_key", strong, None)), start=20):
        cert = certificate(_name(SIGNER, ORGANISATION), ca_name, key.public_key(), ca_key, serial, (-1, 365),
                           ca=False, usage=usage)
        made[label] = _p12(folder / f"{label}.p12", None if label == "no_key" else key, cert, [ca])
    return made


def make_pki(folder: Path) -> SimpleNamespace:
    """In ``folder``: a CA (``ca``, its PEM), another CA nobody here trusts (``other_ca``), and .p12 files: ``valid``
    (SIGNER), ``expired`` (SIGNER, expired yesterday), ``other`` (OTHER), ``self_signed`` (SIGNER, its own
    issuer), and those unfit to sign (:func:`_unfit`); ``tsa_cert`` and ``tsa_key`` for a time-stamping authority under the CA."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    made = {}
    for label in ("ca", "other_ca"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = _name(f"CA thử nghiệm sangkien {label}", "Phòng thử nghiệm")
        made[label] = (key, name, certificate(name, name, key.public_key(), key, 1, (-2, 3650), ca=True))
        (folder / f"{label}.pem").write_bytes(made[label][2].public_bytes(serialization.Encoding.PEM))
    ca_key, ca_name, ca = made["ca"]
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    files = {}
    for label, who, serial, days in (("valid", SIGNER, 2, (-1, 365)), ("expired", SIGNER, 3, (-400, -1)),
                                     ("other", OTHER, 4, (-1, 365))):
        cert = certificate(_name(who, ORGANISATION), ca_name, key.public_key(), ca_key, serial, days, ca=False)
        files[label] = _p12(folder / f"{label}.p12", key, cert, [ca])
        files[label + "_cert"] = cert
    files.update(_unfit(folder, ca_key, ca_name, ca))
    own = _name(SIGNER, ORGANISATION)
    files["self_signed"] = _p12(folder / "self_signed.p12", key,
                                certificate(own, own, key.public_key(), key, 5, (-1, 365), ca=False), [])
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_cert = certificate(_name("Dịch vụ dấu thời gian thử", "Phòng thử nghiệm"), ca_name, tsa_key.public_key(),
                           ca_key, 6, (-1, 365), ca=False, time_stamping=True)
    return SimpleNamespace(folder=folder, ca=folder / "ca.pem", other_ca=folder / "other_ca.pem", key=key,
                           tsa_cert=tsa_cert, tsa_key=tsa_key, **files)


def _time_stamper(pki):
    from asn1crypto import keys, x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps import DummyTimeStamper

    der = serialization.Encoding.DER
    return DummyTimeStamper(
        tsa_cert=x509.Certificate.load(pki.tsa_cert.public_bytes(der)),
        tsa_key=keys.PrivateKeyInfo.load(pki.tsa_key.private_bytes(der, serialization.PrivateFormat.PKCS8,
                                                                   serialization.NoEncryption())))


@contextlib.contextmanager
def time_stamping_service(pki):
    """A time-stamping service on 127.0.0.1: ``url`` answers RFC 3161 requests (pyHanko's dummy
    time-stamper, its certificate under the test CA); ``broken`` answers 500; ``silent`` reads the request
    and never answers (until the client gives up)."""
    from asn1crypto import tsp

    stamper, stop = _time_stamper(pki), threading.Event()

    class Service(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            request = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path == "/silent":
                stop.wait(30)
                return
            if self.path == "/broken":
                self.send_error(500)
                return
            body = stamper.request_tsa_response(tsp.TimeStampReq.load(request)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Service)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield SimpleNamespace(url=base + "/tsa", broken=base + "/broken", silent=base + "/silent")
    stop.set()
    server.shutdown()
    server.server_close()


def copy_year(sample_year, target: Path) -> Path:
    """A copy of the sample year's folder under ``target`` (tests sign copies, never the shared build)."""
    out, _ = sample_year
    shutil.copytree(out / "2023", target / "2023")
    return target / "2023"
