"""Checking an export against the signed manifest inside it (`python -m healing_journal verify FILE`).

The kind of file is told by its first bytes; each format's reader lives beside its
writer (export.signed, export.pdf_signature, export.fhir). A check proves the file
is unchanged since the journal whose key it names signed it; whose journal that is
only the fingerprint tells, compared with the one the patient gives.
"""

from __future__ import annotations

import io
import zipfile

from recovery.language import N_, _
from signing.manifest import Verification, not_an_export

_ZIP = b"PK\x03\x04"


def verify_export(data: bytes, *, passphrase: str | None = None) -> Verification:
    """Check the bytes of an export (PDF, CSV, FHIR JSON, DICOM ZIP or backup); `passphrase`
    opens an encrypted backup. Never raises for bad input: the verdict says what is wrong, in
    the language of the moment (recovery.language: the page's, the CLI's)."""
    if data.startswith(b"%PDF-"):
        from export.pdf_signature import check_pdf

        return check_pdf(data)
    if data.startswith(_ZIP):
        return _check_zip(data, passphrase)
    if data.lstrip()[:1] == b"{":
        from export.fhir import check_bundle

        return check_bundle(data)
    from export.signed import check_csv

    return check_csv(data)


def _check_zip(data: bytes, passphrase: str | None) -> Verification:
    from export.signed import check_zip

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        encrypted = any(info.flag_bits & 0x1 for info in archive.infolist())
        if encrypted:
            if passphrase is None:
                return Verification(
                    False,
                    _(
                        "This backup is protected by a passphrase: give it to check the backup "
                        "(--passphrase-file FILE on the command line)."
                    ),
                    changed=(),
                    is_export=True,
                )
            import pyzipper  # type: ignore[import-untyped]  # only encrypted backups need it

            archive = pyzipper.AESZipFile(io.BytesIO(data))
            archive.setpassword(passphrase.encode("utf-8"))
            if not _opens(archive):
                return Verification(False, _("The passphrase is wrong: it does not open this backup."), is_export=True)
        with archive:
            return check_zip(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return not_an_export(N_("a damaged ZIP"))


def _opens(archive: zipfile.ZipFile) -> bool:
    """Whether the passphrase opens the first member (AES's quick check)."""
    first = next((info for info in archive.infolist() if not info.is_dir()), None)
    try:
        if first is not None:
            with archive.open(first):
                pass
    except RuntimeError:  # pyzipper: "Bad password"
        return False
    return True
