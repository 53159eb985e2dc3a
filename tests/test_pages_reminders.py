"""The reminders download on the treatments and export pages (AppTest, a real journal).

The bytes a download button hands to the browser sit in Streamlit's media
store; a spy on that store (Streamlit's, not ours: it still stores them)
keeps them by file id, and the button's URL names the id. The file is then
read back with the independent `icalendar` parser.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from healing_journal import Journal, Settings
from tests.demo_journals import DemoJournals
from ui.reminders_download import HOW_TO_IMPORT, LABEL

ROOT = Path(__file__).resolve().parent.parent
FIXED = dt.date(2026, 11, 24)
TIMEOUT = 30
PAGES = ("treatments.py", "export_backup.py")


@pytest.fixture(autouse=True)
def _app_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # .streamlit/config.toml
    monkeypatch.setenv("JOURNAL_TODAY", FIXED.isoformat())


@pytest.fixture
def stored(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[bytes, str, str | None]]:
    """What each download button handed over: file id -> (bytes, MIME type, file name)."""
    files: dict[str, tuple[bytes, str, str | None]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(
        self: MemoryMediaFileStorage, data: str | bytes, mimetype: str, kind: MediaFileKind, filename: str | None = None
    ) -> str:
        file_id = original(self, data, mimetype, kind, filename)
        assert isinstance(data, bytes), "a download button hands over bytes"
        files[file_id] = (data, mimetype, filename)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return files


def journal_at(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Journal:
    monkeypatch.setenv("JOURNAL_DATA_DIR", str(folder))
    return Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: FIXED))


def run(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def reminders_file(at: AppTest, stored: dict[str, tuple[bytes, str, str | None]]) -> tuple[bytes, str | None]:
    (button,) = [b for b in at.get("download_button") if b.label == LABEL]
    file_id = Path(button.proto.url).stem
    data, mimetype, name = stored[file_id]
    assert mimetype == "text/calendar"
    return data, name


def check_ins(data: bytes) -> list[dt.date]:
    calendar = icalendar.Calendar.from_ical(data)
    return [event.decoded("DTSTART").date() for event in calendar.walk("VEVENT")]


@pytest.mark.parametrize("page", PAGES)
def test_the_button_hands_over_a_calendar_that_parses(page: str, tmp_path: Path, monkeypatch, stored) -> None:
    with journal_at(tmp_path / "journal", monkeypatch) as journal:
        journal.add_treatment(FIXED - dt.timedelta(days=2), ["face"], practitioner="Dr. Lee, Skin; Clinic")
    at = run(page)
    data, name = reminders_file(at, stored)
    assert name == "healing-journal-reminders.ics"
    days = check_ins(data)
    assert days[0] == FIXED and days[-1] == FIXED - dt.timedelta(days=2) + dt.timedelta(days=42)
    (caption,) = [c.value for c in at.caption if HOW_TO_IMPORT in c.value]  # one sentence on importing it
    assert caption.startswith(f"{len(days)} reminders from {days[0]:%d %B} to {days[-1]:%d %B} at 19:00")


def test_the_file_follows_a_treatment_added_on_the_page(tmp_path: Path, monkeypatch, stored) -> None:
    with journal_at(tmp_path / "journal", monkeypatch) as journal:
        journal.add_treatment(FIXED - dt.timedelta(days=10), ["face"])
    at = run("treatments.py")
    before, _ = reminders_file(at, stored)
    assert check_ins(before)[0] == FIXED, "day 10 of the first course"
    at.button(key=next(b.key for b in at.button if b.label == "Add treatment")).click().run()
    assert not at.exception
    after, _ = reminders_file(at, stored)
    assert check_ins(after)[0] == FIXED + dt.timedelta(days=1), "day 1 after today's new treatment"


@pytest.mark.parametrize("page", PAGES)
def test_no_button_without_a_treatment_but_the_reason(page: str, tmp_path: Path, monkeypatch, stored) -> None:
    journal_at(tmp_path / "journal", monkeypatch).close()
    at = run(page)
    assert LABEL not in [b.label for b in at.get("download_button")]
    assert any("no treatment in your journal yet" in c.value for c in at.caption)


def test_a_demo_journal_offers_a_marked_file(tmp_path: Path, monkeypatch, stored, demo_journals: DemoJournals) -> None:
    folder = tmp_path / "demo"
    demo_journals.copy(folder, days=10, today=FIXED)
    monkeypatch.setenv("JOURNAL_DATA_DIR", str(folder))
    data, name = reminders_file(run("export_backup.py"), stored)
    assert name == "healing-journal-demo-reminders.ics"
    assert b"Demo journal: synthetic data" in data
