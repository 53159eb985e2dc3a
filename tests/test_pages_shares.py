"""The share record on the pages: "Who is this for?" on Export & backup, each download
recorded with the file's digest, and the list under Profile & treatments."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from recovery.vocabulary import ShareKind
from tests.app_frame import open_framed
from tests.journals import reopen

RECIPIENT = "Dr. Lee, dermatology clinic"


@pytest.fixture(autouse=True)
def _navigation_only(navigation_only: None) -> None:
    """Pages run inside the app frame, as the patient sees them (tests.app_frame)."""


@pytest.fixture
def handed(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes each download button hands to the browser, by file id."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(
        self: MemoryMediaFileStorage, data: str | bytes, mimetype: str, kind: MediaFileKind, filename: str | None = None
    ) -> str:
        file_id = original(self, data, mimetype, kind, filename)
        files[file_id] = data if isinstance(data, bytes) else data.encode()
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return files


def _fill(folder: Path, today: dt.date) -> None:
    with reopen(folder, today) as journal:
        journal.add_treatment(today - dt.timedelta(days=5), ["face", "neck"], needle_depth_mm=1.0)
        journal.save_entry(today - dt.timedelta(days=5), "face", redness=3)
        journal.save_entry(today, "neck", redness=1)


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_downloaded_csv_is_recorded_with_its_recipient_and_digest(
    app_folder: Path, app_today: dt.date, handed: dict[str, bytes]
) -> None:
    _fill(app_folder, app_today)
    at = open_framed("export_backup.py")
    at.text_input(key="share_recipient").input(RECIPIENT)
    _ok(at.button(key="prepare_csv").click().run())
    with reopen(app_folder, app_today) as journal:
        assert journal.snapshot().shares == ()  # prepared, not yet taken: not shared
    download = at.download_button(key="download_csv")
    data = handed[Path(download.proto.url).stem]
    _ok(download.click().run())
    with reopen(app_folder, app_today) as journal:
        shares = journal.snapshot().shares
    first, last = app_today - dt.timedelta(days=5), app_today
    assert [(s.day, s.kind, s.recipient, s.sha256) for s in shares] == [
        (app_today, ShareKind.CSV, RECIPIENT, hashlib.sha256(data).hexdigest())
    ]
    assert shares[0].included == f"Face, neck · {first:%d %b}–{last:%d %b %Y} · no photos"
    # The file stays offered after the download (recording it does not make it out of date).
    assert at.download_button(key="download_csv").label.startswith("Download healing-journal-")

    profile = _ok(open_framed("treatments.py"))
    listed = [m.value for m in profile.markdown if hashlib.sha256(data).hexdigest()[:12] in m.value]
    assert len(listed) == 1 and "Dr\\. Lee, dermatology clinic" in listed[0] and "Spreadsheet (CSV)" in listed[0]


def test_the_profile_lists_shares_newest_first_as_text(app_folder: Path, app_today: dt.date) -> None:
    with reopen(app_folder, app_today) as journal:
        at = _ok(open_framed("treatments.py"))
        assert any("Nothing yet" in c.value for c in at.caption)
        journal.record_share("pdf", "", "Face · 06 Dec 2026 · selected photos", b"first")
        journal.record_share("fhir", "**Dr** [x](http://evil.example)", "Neck", b"second")
    at = _ok(open_framed("treatments.py"))
    (listed,) = [m.value for m in at.markdown if "fingerprint" in m.value and m.value.startswith("- ")]
    second, first = listed.splitlines()
    assert hashlib.sha256(b"second").hexdigest()[:12] in second and "*not said*" in first
    assert "\\*\\*Dr\\*\\*" in second and "](http" not in second  # shown as typed, never a link
