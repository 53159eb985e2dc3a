"""Signed exports: every export verifies untouched, and a changed byte anywhere is reported,
naming the photo when it is in a photo (healing_journal.verify, docs/signed-exports.md).

Real exports of a real journal; the changes are made to the exported bytes as someone
editing the file would make them, found from the outside (the ZIP's own listing, the
Bundle's Media, the PDF's attachment), never through the verifier.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import re
import stat
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pydicom import dcmread

from demo.skin import skin_photo
from healing_journal import Journal
from store.signing_key import KEY_NAME
from tests import photo_journal
from tests.journals import reopen
from tests.programs import find_program
from tests.test_cli import run_process

TODAY = dt.date(2026, 11, 24)
PASSPHRASE = "quiet harbour maple 43"
NECK_DAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two face photos (days 20 and 22, the last on 24) and one of the neck, each on its own day."""
    folder = tmp_path_factory.mktemp("signing") / "journal"
    photo_journal.build(folder, TODAY, [photo_journal.photo(0), photo_journal.photo(1), photo_journal.photo(2)])
    with reopen(folder, TODAY) as journal:
        neck = journal.save_entry(NECK_DAY, "neck", redness=1, notes="itchy")
        journal.add_photo(neck, skin_photo(0.4, seed=7), "neck.jpg")
    return folder


@pytest.fixture(scope="module")
def exports(folder: Path) -> dict[str, bytes]:
    with reopen(folder, TODAY) as journal:
        return {
            "pdf": journal.export_pdf(),
            "pdf without photos": journal.export_pdf(include_photos=False),
            "csv": journal.export_csv(),
            "fhir": journal.export_fhir(include_photos=True),
            "fhir without photos": journal.export_fhir(),
            "dicom": journal.export_dicom(),
            "backup": journal.backup(),
            "encrypted backup": journal.backup(passphrase=PASSPHRASE),
            # Translated words (Arabic shaped right to left, Spanish accents) sign and verify alike.
            "arabic pdf": journal.export_pdf(language="ar"),
            "spanish csv": journal.export_csv(language="es"),
            "arabic fhir": journal.export_fhir(language="ar"),
        }


@pytest.fixture(scope="module")
def areas(folder: Path) -> dict[str, str]:
    """Each photo's day -> its area, and each photo's SHA-256 -> "day (area)"."""
    with reopen(folder, TODAY) as journal:
        photos = journal.photos()
    return {p.day.isoformat(): p.area.value for p in photos} | {p.sha256: f"{p.day} ({p.area.value})" for p in photos}


def verify(data: bytes, passphrase: str | None = None):
    return Journal.verify_export(data, passphrase=passphrase)


def fingerprint(folder: Path) -> str:
    with reopen(folder, TODAY) as journal:
        return journal.signing_fingerprint()


# --- untouched ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "pdf",
        "pdf without photos",
        "csv",
        "fhir",
        "fhir without photos",
        "dicom",
        "backup",
        "encrypted backup",
        "arabic pdf",
        "spanish csv",
        "arabic fhir",
    ],
)
def test_an_untouched_export_verifies_with_the_journals_key(kind: str, exports: dict[str, bytes], folder: Path):
    result = verify(exports[kind], PASSPHRASE if kind == "encrypted backup" else None)
    assert result.ok, result.message
    assert result.changed == ()
    assert result.message.startswith("Untouched since it was signed")
    assert result.fingerprint == fingerprint(folder)
    assert result.fingerprint in result.message


def test_photos_are_listed_by_the_sha256_of_the_original(exports: dict[str, bytes], folder: Path):
    with reopen(folder, TODAY) as journal:
        originals = {p.sha256 for p in journal.photos()}
    for kind in ("fhir", "dicom", "backup"):
        assert {photo.sha256 for photo in verify(exports[kind]).photos} == originals, kind


# --- a changed photo is named ---------------------------------------------------------------


def _zip_member_data_offset(data: bytes, name: str) -> tuple[int, int]:
    """Where a member's (stored or compressed) bytes lie in the ZIP file: from its local header."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    header = info.header_offset
    name_length = int.from_bytes(data[header + 26 : header + 28], "little")
    extra_length = int.from_bytes(data[header + 28 : header + 30], "little")
    start = header + 30 + name_length + extra_length
    return start, info.compress_size


def _flip(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x04
    return bytes(changed)


def _zip_photo_changes(data: bytes, label_of: Callable[[str, bytes], str | None]) -> list[tuple[bytes, str]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    changes = []
    for name in archive.namelist():
        label = label_of(name, archive.read(name))
        if label is not None:
            start, size = _zip_member_data_offset(data, name)
            changes.append((_flip(data, start + size // 2), label))
    return changes


def test_a_changed_byte_in_any_dicom_photo_names_that_photo(exports: dict[str, bytes], areas: dict[str, str]):
    def label(name: str, content: bytes) -> str | None:
        if name in ("DICOMDIR", "MANIFEST.json"):
            return None
        day = dt.datetime.strptime(dcmread(io.BytesIO(content)).ContentDate, "%Y%m%d").date().isoformat()
        return f"{day} ({areas[day]})"

    changes = _zip_photo_changes(exports["dicom"], label)
    assert len(changes) == 4
    for changed, photo in changes:
        result = verify(changed)
        assert not result.ok
        assert result.changed == (f"the photo of {photo}, its DICOM file",), result.message
        assert f"the photo of {photo}" in result.message


@pytest.mark.parametrize("kind", ["backup", "encrypted backup"])
def test_a_changed_byte_in_any_backed_up_photo_or_thumbnail_names_that_photo(
    kind: str, exports: dict[str, bytes], areas: dict[str, str]
):
    def label(name: str) -> str | None:
        found = re.fullmatch(r"(photos|thumbs)/[0-9a-f]{2}/([0-9a-f]{64})\.jpg", name)
        if found is None:
            return None
        return f"{areas[found.group(2)]}, {'the original' if found.group(1) == 'photos' else 'its thumbnail'}"

    passphrase = PASSPHRASE if kind == "encrypted backup" else None
    data = exports[kind]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()  # an encrypted ZIP lists its names too
    changes = []
    for name in names:
        photo = label(name)
        if photo is not None:
            start, size = _zip_member_data_offset(data, name)
            changes.append((_flip(data, start + size // 2), photo))
    assert len(changes) == 8  # four photos and their thumbnails
    for changed, photo in changes:
        result = verify(changed, passphrase)
        assert not result.ok
        assert result.changed == (f"the photo of {photo}",), result.message


def _media(bundle: dict) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Media"]


def test_a_changed_byte_in_any_fhir_photo_names_that_photo(exports: dict[str, bytes], areas: dict[str, str]):
    count = len(_media(json.loads(exports["fhir"])))
    assert count == 4
    for index in range(count):
        bundle = json.loads(exports["fhir"])
        media = _media(bundle)[index]
        photo = bytearray(base64.b64decode(media["content"]["data"]))
        photo[len(photo) // 2] ^= 0x04
        media["content"]["data"] = base64.b64encode(bytes(photo)).decode()
        day = media["createdDateTime"]
        result = verify(json.dumps(bundle, indent=2).encode())
        assert not result.ok
        assert result.changed == (f"the photo of {day} ({areas[day]}), its image data",), result.message


def _pdf_attachment(data: bytes, tmp_path: Path) -> dict:
    """The manifest as a PDF reader extracts the attachment (poppler's pdfdetach)."""
    path, out = tmp_path / "summary.pdf", tmp_path / "manifest.json"
    path.write_bytes(data)
    subprocess.run(
        [find_program("pdfdetach", package="poppler-utils"), "-save", "1", "-o", str(out), str(path)], check=True
    )
    return json.loads(out.read_bytes())


def test_a_changed_byte_in_any_pdf_photo_names_that_photo(exports: dict[str, bytes], tmp_path: Path):
    data = exports["pdf"]
    manifest = _pdf_attachment(data, tmp_path)["manifest"]
    images = [part for name, part in manifest["parts"].items() if name.startswith("image")]
    assert len(images) == 4  # every photo printed: three of the face and one of the neck
    for part in images:
        start = part["offset"]
        assert data[start : start + 2] == b"\xff\xd8"  # a JPEG stream, as printed
        photo = manifest["photos"][part["photo"]]
        result = verify(_flip(data, start + part["size"] // 2))
        assert not result.ok
        assert result.changed == (f"the photo of {photo['day']} ({photo['area']}), its printed image",)


# --- a changed manifest, or a change outside the photos ----------------------------------------


def _change_hex_digit(text: str) -> str:
    """The first SHA-256 in a manifest with one digit changed."""
    found = re.search(r'"sha256": ?"([0-9a-f])', text)
    assert found
    digit = found.group(1)
    return text[: found.start(1)] + ("1" if digit == "0" else "0") + text[found.end(1) :]


def _rezip(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, change(content) if info.filename == name else content)
    return buffer.getvalue()


def _manifest_changed(result) -> None:
    assert not result.ok
    assert result.changed == ("the manifest/signature",)
    assert "manifest or its signature was changed" in result.message


@pytest.mark.parametrize("kind,member", [("dicom", "MANIFEST.json"), ("backup", "manifest.json")])
def test_a_changed_manifest_in_a_zip_breaks_the_signature(kind: str, member: str, exports: dict[str, bytes]):
    edited = _rezip(exports[kind], member, lambda content: _change_hex_digit(content.decode()).encode())
    _manifest_changed(verify(edited))
    start, size = _zip_member_data_offset(exports[kind], member)
    _manifest_changed(verify(_flip(exports[kind], start + size // 2)))  # a raw byte of the compressed manifest


def test_a_changed_manifest_in_the_pdf_breaks_the_signature(exports: dict[str, bytes]):
    data = exports["pdf"]
    at = data.index(b'"sha256":"', data.index(b'{"healing_journal_room"')) + len(b'"sha256":"')
    _manifest_changed(verify(data[:at] + (b"1" if data[at : at + 1] == b"0" else b"0") + data[at + 1 :]))


def test_a_changed_manifest_in_the_csv_or_fhir_breaks_the_signature(exports: dict[str, bytes]):
    text = exports["csv"].decode()
    _manifest_changed(verify(_csv_edit(text)))
    bundle = json.loads(exports["fhir"])
    (binary,) = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Binary"]
    manifest = base64.b64decode(binary["data"]).decode()
    binary["data"] = base64.b64encode(_change_hex_digit(manifest).encode()).decode()
    _manifest_changed(verify(json.dumps(bundle).encode()))


def _csv_edit(text: str) -> bytes:
    """The CSV with one digit of a SHA-256 in its manifest row changed (the cell quotes "" its quotes)."""
    found = re.search(r'""sha256"":""([0-9a-f])', text)
    assert found
    digit = found.group(1)
    return (text[: found.start(1)] + ("1" if digit == "0" else "0") + text[found.end(1) :]).encode()


def test_a_changed_row_of_the_csv_is_caught(exports: dict[str, bytes]):
    text = exports["csv"].decode()
    result = verify(text.replace("itchy", "itchz", 1).encode())
    assert not result.ok and result.changed == ("the table's rows",)


def test_the_signed_csv_reads_as_its_table_the_way_the_readme_says(exports: dict[str, bytes]):
    import pandas as pd

    from export.signed import table_part

    data = exports["csv"]
    signed = pd.read_csv(io.BytesIO(data), skipfooter=2, engine="python")
    table = pd.read_csv(io.BytesIO(table_part(data)), engine="python")
    pd.testing.assert_frame_equal(signed, table)
    assert len(table) == 4 and data.decode().splitlines()[-2].startswith("# Signed by this journal: key ")


def test_a_changed_record_of_the_fhir_bundle_is_caught(exports: dict[str, bytes]):
    bundle = json.loads(exports["fhir"])
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation")
    patient["status"] = "amended"
    result = verify(json.dumps(bundle).encode())
    assert not result.ok and result.changed == ("the bundle's records (patient, treatments, observations, notes)",)


def test_a_changed_byte_of_the_pdfs_text_is_caught(exports: dict[str, bytes]):
    data = exports["pdf"]
    result = verify(_flip(data, data.index(b"/Title") + 10))
    assert not result.ok and result.changed == ("the PDF's pages, text or structure",)


def test_a_file_added_to_a_dicom_zip_is_caught(exports: dict[str, bytes]):
    buffer = io.BytesIO(exports["dicom"])
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("IMAGES/EXTRA", b"not ours")
    result = verify(buffer.getvalue())
    assert not result.ok and "IMAGES/EXTRA (added; not in the manifest)" in result.changed


# --- not an export -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"day,redness\n2026-11-20,3\n",
        b'{"resourceType": "Bundle", "type": "collection", "entry": []}',
        b'{"some": "json"}',
        b"\x89PNG\r\n\x1a\n" + bytes(100),
        b"%PDF-1.4\n%%EOF\n",
    ],
    ids=["empty", "plain csv", "unsigned bundle", "json", "png", "unsigned pdf"],
)
def test_a_file_that_is_no_export_says_so(data: bytes):
    result = verify(data)
    assert not result.ok and not result.is_export and result.changed == ()
    assert result.message.startswith("This is not a Healing Journal export")


def test_a_zip_without_a_manifest_is_no_export():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"x")
    result = verify(buffer.getvalue())
    assert not result.is_export and "not a Healing Journal export" in result.message


def test_a_backup_without_a_signature_cannot_be_checked(exports: dict[str, bytes]):
    def unsigned(content: bytes) -> bytes:
        manifest = json.loads(content)
        for name in ("signature", "key", "photos", "photos_sha256", "format"):
            manifest.pop(name)
        return json.dumps(manifest).encode()

    result = verify(_rezip(exports["backup"], "manifest.json", unsigned))
    assert not result.ok and not result.is_export and "without a signature" in result.message


def test_an_encrypted_backup_needs_its_passphrase(exports: dict[str, bytes]):
    assert "passphrase" in verify(exports["encrypted backup"]).message
    wrong = verify(exports["encrypted backup"], "wrong horse staple 99")
    assert not wrong.ok and "passphrase is wrong" in wrong.message


# --- the key ----------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_key_file_is_private_to_the_patient(folder: Path, exports: dict[str, bytes]):
    mode = stat.S_IMODE((folder / KEY_NAME).stat().st_mode)
    assert mode == 0o600


def test_the_key_is_made_on_first_need_and_kept(tmp_path: Path):
    folder = photo_journal.build(tmp_path / "j", TODAY, [photo_journal.photo(0)])
    assert not (folder / KEY_NAME).exists()  # no export yet
    with reopen(folder, TODAY) as journal:
        first = verify(journal.export_csv()).fingerprint
        assert (folder / KEY_NAME).exists()
        assert verify(journal.export_dicom()).fingerprint == first == journal.signing_fingerprint()


def test_a_backup_does_not_carry_the_key_and_a_restored_journal_signs_with_a_new_one(
    folder: Path, exports: dict[str, bytes], tmp_path: Path
):
    names = zipfile.ZipFile(io.BytesIO(exports["backup"])).namelist()
    assert not [name for name in names if "key" in name]
    key = (folder / KEY_NAME).read_bytes()
    assert not any(key in zipfile.ZipFile(io.BytesIO(exports["backup"])).read(name) for name in names)
    restored = Journal.restore(exports["backup"], tmp_path / "restored")
    try:
        assert restored.signing_fingerprint() != fingerprint(folder)
        assert verify(exports["csv"]).ok  # what was signed before still verifies: it carries its key
    finally:
        restored.close()


def test_a_manifest_signed_by_another_journal_verifies_under_that_journals_fingerprint(
    exports: dict[str, bytes], folder: Path, tmp_path: Path
):
    """What verifying proves: unchanged since the key it names signed it; whose key, only
    the fingerprint says."""
    other = photo_journal.build(tmp_path / "other", TODAY, [photo_journal.photo(0)])
    with reopen(other, TODAY) as journal:
        result = verify(journal.export_csv())
    assert result.ok and result.fingerprint != fingerprint(folder)


# --- the PDF says so in words ------------------------------------------------------------------


def test_the_pdf_prints_the_fingerprint_manifest_digest_and_how_to_check(
    exports: dict[str, bytes], folder: Path, tmp_path: Path
):
    path = tmp_path / "summary.pdf"
    path.write_bytes(exports["pdf"])
    pdftotext = find_program("pdftotext", package="poppler-utils")
    text = " ".join(
        subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    result = verify(exports["pdf"])
    digest = result.photos_sha256.upper()
    assert f"Signed by this journal: key {fingerprint(folder)}" in text
    assert f"manifest digest {digest[:4]} {digest[4:8]} {digest[8:12]} {digest[12:16]}" in text
    assert "check with python -m healing_journal verify FILE" in text


# --- the command line --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind,name",
    [
        ("pdf", "summary.pdf"),
        ("csv", "entries.csv"),
        ("fhir", "bundle.json"),
        ("dicom", "photos.zip"),
        ("backup", "b.zip"),
    ],
)
def test_an_untouched_export_verifies_on_the_command_line(
    kind: str, name: str, exports: dict[str, bytes], folder: Path, tmp_path: Path
):
    untouched = tmp_path / name
    untouched.write_bytes(exports[kind])
    result = run_process("verify", str(untouched))
    assert result.returncode == 0, result.stderr
    assert b"Untouched since it was signed" in result.stdout and fingerprint(folder).encode() in result.stdout
    assert b"Key: Ed25519 " in result.stdout


def test_verify_on_the_command_line_names_a_change_or_refuses_a_stranger(
    exports: dict[str, bytes], tmp_path: Path, areas: dict[str, str]
):
    bundle = json.loads(exports["fhir"])
    media = _media(bundle)[0]
    photo = bytearray(base64.b64decode(media["content"]["data"]))
    photo[100] ^= 1
    media["content"]["data"] = base64.b64encode(bytes(photo)).decode()
    changed = tmp_path / "journal.fhir.json"
    changed.write_text(json.dumps(bundle))
    result = run_process("verify", str(changed))
    day = media["createdDateTime"]
    assert result.returncode == 1
    assert f"the photo of {day} ({areas[day]})".encode() in result.stderr

    other = tmp_path / "notes.txt"
    other.write_text("hello\n")
    result = run_process("verify", str(other))
    assert result.returncode == 2 and b"not a Healing Journal export" in result.stderr


def test_verify_an_encrypted_backup_with_its_passphrase_file(exports: dict[str, bytes], tmp_path: Path):
    backup = tmp_path / "backup.zip"
    backup.write_bytes(exports["encrypted backup"])
    words = tmp_path / "passphrase.txt"
    words.write_text(PASSPHRASE + "\n")
    assert run_process("verify", str(backup), "--passphrase-file", str(words)).returncode == 0
    without = run_process("verify", str(backup))
    assert without.returncode == 2 and b"passphrase" in without.stderr
