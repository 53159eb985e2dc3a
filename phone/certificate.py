"""The phone listener's key and certificate, and the short code the patient compares.

One elliptic-curve key per journal folder (0600, made once), and a
self-signed certificate naming the listener's address, made again only when
the address changes. A phone's browser warns about a certificate no authority
signed; the patient accepts it when the code the computer shows matches the
start of the certificate's SHA-256 fingerprint, which browsers show in the
certificate's details in the same hex pairs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from store.privacy import write_private

KEY_NAME = "phone-key.pem"
CERT_NAME = "phone-cert.pem"
# Browsers refuse certificates valid for more than about 13 months (Apple: 398 days).
VALID_DAYS = 397
# How much of the fingerprint the patient compares: 8 bytes, 64 bits.
SHORT_BYTES = 8
COMMON_NAME = "Healing Journal on this computer"


@dataclass(frozen=True)
class Certificate:
    cert_path: Path
    key_path: Path
    der: bytes

    @property
    def fingerprint(self) -> str:
        """The SHA-256 fingerprint, as browsers show it: "3F:A2:9C:..."."""
        return ":".join(f"{byte:02X}" for byte in hashlib.sha256(self.der).digest())

    @property
    def short_code(self) -> str:
        """The first 8 bytes in two groups of four pairs: "3F A2 9C 04  7B 11 E8 D5"."""
        pairs = self.fingerprint.split(":")[:SHORT_BYTES]
        half = SHORT_BYTES // 2
        return f"{' '.join(pairs[:half])}  {' '.join(pairs[half:])}"


def _key(folder: Path) -> ec.EllipticCurvePrivateKey:
    path = folder / KEY_NAME
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if isinstance(loaded, ec.EllipticCurvePrivateKey):
            return loaded
    except (OSError, ValueError, TypeError):
        pass  # missing or damaged: a new key (and so a new certificate, compared again)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    write_private(path, pem)
    return key


def _names_address(certificate: x509.Certificate, address: str, now: dt.datetime) -> bool:
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    wanted = ipaddress.ip_address(address)
    fresh = certificate.not_valid_after_utc - now > dt.timedelta(days=30)
    return fresh and wanted in names.get_values_for_type(x509.IPAddress)


def for_address(folder: Path, address: str, *, now: dt.datetime | None = None) -> Certificate:
    """The certificate for `address` (an IP address), made if missing, for another address, or near its end."""
    moment = now or dt.datetime.now(dt.UTC)
    key = _key(folder)
    cert_path, key_path = folder / CERT_NAME, folder / KEY_NAME
    try:
        existing = x509.load_pem_x509_certificate(cert_path.read_bytes())
        same_key = existing.public_key().public_numbers() == key.public_key().public_numbers()  # type: ignore[union-attr]
        if same_key and _names_address(existing, address, moment):
            return Certificate(cert_path, key_path, existing.public_bytes(serialization.Encoding.DER))
    except (OSError, ValueError):
        pass
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, COMMON_NAME)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(moment - dt.timedelta(hours=1))  # a phone whose clock is a little behind
        .not_valid_after(moment + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(address))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    write_private(cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    return Certificate(cert_path, key_path, certificate.public_bytes(serialization.Encoding.DER))
