"""The signed manifest inside each export, and reading it back: one file, nothing beside it.

- ZIP (DICOM): a member MANIFEST.json, the signed manifest listing every other
  member's SHA-256 (a DICOM reader goes by the DICOMDIR and ignores it).
- CSV: the table, a blank line, then two rows whose first cell starts with "#":
  the fingerprint in words and the signed manifest (JSON in one quoted cell). A
  spreadsheet shows them below the table; `pandas.read_csv(..., skipfooter=2,
  engine="python")` and `table_part` leave them out. The manifest holds the
  SHA-256 of the bytes above.
- FHIR: a Binary resource holding the manifest and a Provenance resource whose
  `signature` carries the Ed25519 signature (see export.fhir).
- PDF: an embedded file (attachment) holding the manifest (see export.pdf_signature).

signing.manifest signs and checks; this module knows where each format keeps it.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping
from typing import Any

from recovery.language import N_
from recovery.model import Photo
from signing.manifest import (
    CHECK_COMMAND,
    MARK,
    PhotoRef,
    Signer,
    Verification,
    check,
    grouped,
    not_an_export,
    sha256,
)

ZIP_MANIFEST = "MANIFEST.json"
CSV_MARK = "# Signed by this journal"
CSV_MANIFEST = "# healing-journal-manifest"


def photo_ref(photo: Photo) -> PhotoRef:
    return PhotoRef(photo.day.isoformat(), photo.area.value, photo.sha256)


def statement(signer: Signer, photos_sha256: str) -> str:
    """The words that say a file is signed, as the PDF prints them."""
    return (
        f"Signed by this journal: key {signer.fingerprint}; manifest digest {grouped(photos_sha256)}; "
        f"check with {CHECK_COMMAND}"
    )


# --- ZIP -----------------------------------------------------------------------------


def manifest_json(manifest: Mapping[str, Any]) -> bytes:
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")


def check_zip(archive: zipfile.ZipFile) -> Verification:
    """Check a ZIP export (DICOM or backup) against the signed manifest it holds."""
    names = {info.filename for info in archive.infolist() if not info.is_dir()}
    manifest_name = next((n for n in (ZIP_MANIFEST, "manifest.json") if n in names), None)
    if manifest_name is None:
        return not_an_export(N_("a ZIP without MANIFEST.json"))
    try:
        manifest = json.loads(archive.read(manifest_name))
    except Exception:  # any damage to the manifest's bytes: zlib, CRC, JSON, AES authentication
        return check({MARK: 1, "signature": ""}, {})
    if isinstance(manifest, dict) and "members" in manifest and "signature" not in manifest:
        return not_an_export(N_("a backup without a signature, such as one made before the journal signed its files"))
    parts = manifest.get("parts", manifest.get("members")) if isinstance(manifest, dict) else None
    listed = set(parts) if isinstance(parts, dict) else set()
    actual = {name: _member_digest(archive, name) for name in sorted(names & listed)}
    return check(manifest, actual, extra=sorted(names - listed - {manifest_name}))


def _member_digest(archive: zipfile.ZipFile, name: str) -> str | None:
    try:
        return sha256(archive.read(name))
    except Exception:  # a changed byte breaks the CRC, the deflate stream or the AES code
        return None


# --- CSV -----------------------------------------------------------------------------


def signed_csv(table: bytes, signer: Signer) -> bytes:
    """The CSV table followed by its signature rows."""
    manifest = signer.sign("csv", [], {"table": {"sha256": sha256(table), "what": N_("the table's rows")}})
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([])
    writer.writerow([f"{CSV_MARK}: key {signer.fingerprint}; check with {CHECK_COMMAND}"])
    writer.writerow([CSV_MANIFEST, json.dumps(manifest, sort_keys=True, separators=(",", ":"))])
    return table + buffer.getvalue().encode("utf-8")


def table_part(data: bytes) -> bytes:
    """The table of a signed CSV, without its signature rows (all of it when unsigned)."""
    at = data.rfind(b"\n\n" + CSV_MARK.encode())
    return data if at < 0 else data[: at + 1]


def check_csv(data: bytes) -> Verification:
    table = table_part(data)
    if table == data:
        return not_an_export()
    rows = list(csv.reader(io.StringIO(data[len(table) :].decode("utf-8", errors="replace"))))
    found = next((row for row in rows if row and row[0] == CSV_MANIFEST and len(row) > 1), None)
    try:
        manifest = json.loads(found[1]) if found else None
    except ValueError:
        manifest = None
    if manifest is None:
        return check({"signature": ""}, {})
    return check(manifest, {"table": sha256(table)})
