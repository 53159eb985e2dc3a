"""Importing a batch of phone photos: each on the day it was taken, duplicates skipped."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from healing_journal import InvalidEntry, Journal
from recovery.vocabulary import Sign, View
from store.photos.importing import FROM_CAPTURE, FROM_FALLBACK, FROM_FILE_TIME, import_photos, plan_import
from tests import corpus
from tests.conftest import FIXED_DAY

TAKEN = dt.date(2026, 11, 20)  # corpus.CAPTURED_AT


def _taken_on(day: dt.date, seed: int) -> bytes:
    """A JPEG whose EXIF says it was taken on `day`."""
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = day.strftime("%Y:%m:%d 09:00:00")
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (220 - 30 * seed, 150, 130)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_each_photo_is_placed_by_capture_time_then_file_time_then_fallback(journal: Journal) -> None:
    fallback = FIXED_DAY - dt.timedelta(days=1)
    modified = dt.datetime(2026, 11, 18, 12, 0).timestamp()
    files = [
        ("phone.jpg", corpus.jpeg_with_metadata(), None),
        ("copied.jpg", corpus.jpeg(), modified),
        ("screenshot.png", corpus.encode(corpus.pattern((60, 40)), "PNG"), None),
    ]
    placed = {c.filename: (c.day, c.day_source) for c in plan_import(journal, files, fallback)}
    assert placed == {
        "phone.jpg": (TAKEN, FROM_CAPTURE),
        "copied.jpg": (dt.date(2026, 11, 18), FROM_FILE_TIME),
        "screenshot.png": (fallback, FROM_FALLBACK),
    }


def test_duplicates_and_future_photos_are_proposed_as_skipped(journal: Journal) -> None:
    entry = journal.save_entry(TAKEN, "face")
    already = _taken_on(TAKEN, 1)
    journal.add_photo(entry, already, filename="kept.jpg")
    twice = _taken_on(FIXED_DAY, 2)
    files = [
        ("again.jpg", already, None),
        ("first.jpg", twice, None),
        ("copy-of-first.jpg", twice, None),
        ("clock-wrong.jpg", _taken_on(FIXED_DAY + dt.timedelta(days=3), 3), None),
    ]
    reasons = {c.filename: c.skip_reason for c in plan_import(journal, files, FIXED_DAY)}
    assert reasons["first.jpg"] is None
    assert reasons["again.jpg"] == f"already in your journal (face, {TAKEN.isoformat()})"
    assert reasons["copy-of-first.jpg"] == "the same photo appears twice in this import"
    assert "in the future" in reasons["clock-wrong.jpg"]


def test_files_that_are_not_photos_are_shown_as_skipped_before_import(journal: Journal) -> None:
    files = [("notes.jpg", b"just some text", None), ("empty.png", b"", None), ("ok.jpg", corpus.jpeg(), None)]
    reasons = {c.filename: c.skip_reason for c in plan_import(journal, files, FIXED_DAY)}
    assert "not a photo" in reasons["notes.jpg"]
    assert "empty" in reasons["empty.png"]
    assert reasons["ok.jpg"] is None


def test_import_stores_photos_on_their_days_and_keeps_existing_ratings(journal: Journal) -> None:
    journal.save_entry(TAKEN, "face", redness=3, notes="rated before the import")
    # Truncation shows only when decoding: planned as importable, refused by the import.
    bad_name, bad = corpus.BAD["truncated_jpeg"]()
    files = [
        ("a.jpg", _taken_on(TAKEN, 1), None),
        ("b.jpg", _taken_on(TAKEN + dt.timedelta(days=1), 2), None),
        (bad_name, bad, None),
    ]
    report = import_photos(journal, plan_import(journal, files, FIXED_DAY), "face")
    assert sorted(report.added) == ["a.jpg", "b.jpg"]
    assert len(report.refused) == 1 and report.refused[0].startswith(bad_name)
    kept = journal.entry(TAKEN, "face")
    assert kept.rating(Sign.REDNESS) == 3 and kept.notes == "rated before the import" and kept.photo_count == 1
    created = journal.entry(TAKEN + dt.timedelta(days=1), "face")
    assert created.rating(Sign.REDNESS) is None and created.answer("sunscreen") is None  # not answered, not "no"
    assert [p.day for p in journal.photos(area="face")] == [TAKEN, TAKEN + dt.timedelta(days=1)]


def test_an_imported_batch_is_stored_as_the_view_chosen_for_it(journal: Journal) -> None:
    files = [("l1.jpg", _taken_on(TAKEN, 7), None), ("l2.jpg", _taken_on(TAKEN + dt.timedelta(days=1), 8), None)]
    report = import_photos(journal, plan_import(journal, files, FIXED_DAY), "face", view="left")
    assert sorted(report.added) == ["l1.jpg", "l2.jpg"]
    assert {photo.view for photo in journal.photos(area="face")} == {View.LEFT}


def test_an_unknown_view_for_an_import_is_refused_before_anything_is_stored(journal: Journal) -> None:
    files = [("x.jpg", _taken_on(TAKEN, 9), None)]
    with pytest.raises(InvalidEntry, match="Unknown photo view"):
        import_photos(journal, plan_import(journal, files, FIXED_DAY), "face", view="sideways")
    assert journal.photos() == []
