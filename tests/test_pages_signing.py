"""Signed exports on the pages: "Check an export" on Export & backup gives the verdict in
words; a backup saved into a folder is in the share record; Profile shows the key's fingerprint."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from demo.skin import skin_photo
from recovery.vocabulary import ShareKind
from tests.app_frame import open_framed
from tests.journals import reopen

RECIPIENT = "Dr. Lee"


@pytest.fixture(autouse=True)
def _navigation_only(navigation_only: None) -> None:
    """Pages run inside the app frame, as the patient sees them (tests.app_frame)."""


def _fill(folder: Path, today: dt.date) -> None:
    with reopen(folder, today) as journal:
        journal.add_treatment(today - dt.timedelta(days=3), ["face"], needle_depth_mm=1.0)
        entry = journal.save_entry(today - dt.timedelta(days=3), "face", redness=3)
        journal.add_photo(entry, skin_photo(0.6, seed=2), "day0.jpg")


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _check(name: str, data: bytes) -> AppTest:
    at = _ok(open_framed("export_backup.py"))
    at.file_uploader(key="check_file").set_value((name, data, "application/octet-stream"))
    return _ok(at.run())


def test_an_untouched_export_is_reported_untouched_with_its_fingerprint(app_folder: Path, app_today: dt.date) -> None:
    _fill(app_folder, app_today)
    with reopen(app_folder, app_today) as journal:
        data, fingerprint = journal.export_csv(), journal.signing_fingerprint()
    at = _check("entries.csv", data)
    (verdict,) = at.success
    assert verdict.value.startswith("Untouched since it was signed") and fingerprint in verdict.value
    assert not at.error


def test_a_changed_photo_is_named_on_the_page(app_folder: Path, app_today: dt.date) -> None:
    _fill(app_folder, app_today)
    with reopen(app_folder, app_today) as journal:
        data = journal.export_dicom()
        (photo,) = journal.photos()
    archive = zipfile.ZipFile(io.BytesIO(data))
    (image,) = [name for name in archive.namelist() if name not in ("DICOMDIR", "MANIFEST.json")]
    info = archive.getinfo(image)
    name_length = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    changed = bytearray(data)
    changed[start + info.compress_size // 2] ^= 0x10
    at = _check("photos.zip", bytes(changed))
    (verdict,) = at.error
    assert f"the photo of {photo.day.isoformat()} (face)" in verdict.value
    assert not at.success


def test_a_file_that_is_no_export_is_said_to_be_none(app_folder: Path, app_today: dt.date) -> None:
    _fill(app_folder, app_today)
    at = _check("holiday.txt", b"not an export at all\n")
    (verdict,) = at.warning
    assert "not a Healing Journal export" in verdict.value


def test_a_backup_saved_into_a_folder_is_recorded_as_shared(
    app_folder: Path, app_today: dt.date, tmp_path: Path
) -> None:
    _fill(app_folder, app_today)
    at = _ok(open_framed("export_backup.py"))
    at.text_input(key="share_recipient").input(RECIPIENT)
    at.radio(key="backup_protection").set_value("Without encryption")
    _ok(at.run())
    folder = tmp_path / "backups"
    folder.mkdir()
    at.text_input(key="backup_folder").input(str(folder))
    _ok(at.button(key="save_backup").click().run())
    (saved,) = folder.iterdir()
    with reopen(app_folder, app_today) as journal:
        (share,) = journal.snapshot().shares
        assert journal.verify_export(saved.read_bytes()).ok
    assert (share.kind, share.recipient, share.day) == (ShareKind.BACKUP, RECIPIENT, app_today)
    assert share.sha256 == hashlib.sha256(saved.read_bytes()).hexdigest()
    assert share.included.endswith("1 photo")


def test_profile_shows_the_keys_fingerprint_once_an_export_made_it(app_folder: Path, app_today: dt.date) -> None:
    _fill(app_folder, app_today)
    before = _ok(open_framed("treatments.py"))
    assert any("made with your first export" in c.value for c in before.caption)
    with reopen(app_folder, app_today) as journal:
        journal.export_csv()
        fingerprint = journal.signing_fingerprint()
    after = _ok(open_framed("treatments.py"))
    assert any(fingerprint in m.value for m in after.markdown)
