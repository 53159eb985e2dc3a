"""Edits from two windows at once end in a named error with a plain message, never a traceback.

Two `Journal` objects on one folder are two windows. Where the other window
must act in the middle of a call, the test wraps the real step it acts after
(the real measurement still runs) and lets the other window act there.
"""

from __future__ import annotations

import datetime as dt

import pytest

from demo.skin import skin_photo
from healing_journal import Journal
from recovery.vocabulary import Sign
from store.errors import JournalError, NotFound, PhotoRejected
from store.photos.analysed import Region
from tests.conftest import FIXED_DAY

YESTERDAY = FIXED_DAY - dt.timedelta(days=1)


@pytest.fixture
def other(open_journal) -> Journal:
    return open_journal()


def _photo(seed: int) -> bytes:
    return skin_photo(0.6, seed=seed, size=(480, 360))


def _act_after_measuring(monkeypatch: pytest.MonkeyPatch, action) -> None:
    """Run `action` (the other window) right after the journal measures a photo, once."""
    import store.journal

    real = store.journal.analysed_columns
    done = []

    def measured_then_act(*args, **kwargs):
        result = real(*args, **kwargs)
        if not done:
            done.append(True)
            action()
        return result

    monkeypatch.setattr(store.journal, "analysed_columns", measured_then_act)


def test_deleting_a_day_while_its_photos_are_measured_again(journal: Journal, other) -> None:
    first = journal.save_entry(YESTERDAY, "face", redness=2)
    second = journal.save_entry(FIXED_DAY, "face", redness=1)
    journal.add_photo(first, _photo(1), "a.jpg")
    journal.add_photo(second, _photo(2), "b.jpg")
    journal.add_photo(second, _photo(3), "c.jpg")

    def delete_the_second_day(done: int, total: int) -> None:
        if done == 1:
            other.delete_entry(second)

    measured = journal.set_region("face", Region((0.2, 0.2, 0.8, 0.8), None), progress=delete_the_second_day)
    assert measured == 1  # the deleted day's photos were skipped, not a traceback
    assert [p.day for p in journal.photos()] == [YESTERDAY]
    assert journal.integrity_check() == "ok"


def test_a_photo_for_a_day_deleted_in_another_window(journal: Journal, other) -> None:
    entry_id = journal.save_entry(FIXED_DAY, "face")
    other.delete_entry(entry_id)
    with pytest.raises(NotFound, match="deleted"):
        journal.add_photo(entry_id, _photo(4), "late.jpg")
    assert journal.photos() == []


def test_a_photo_whose_day_is_deleted_while_it_is_being_stored(
    journal: Journal, other, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_id = journal.save_entry(FIXED_DAY, "face")
    _act_after_measuring(monkeypatch, lambda: other.delete_entry(entry_id))
    with pytest.raises(NotFound, match="late.jpg: the day this photo was for .* was deleted"):
        journal.add_photo(entry_id, _photo(5), "late.jpg")
    assert journal.photos() == []
    assert not any((journal.folder / "photos").glob("*/*.jpg")), "no file is left behind"


def test_the_same_photo_stored_from_two_windows_at_once(
    journal: Journal, other, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_id = journal.save_entry(FIXED_DAY, "face")
    data = _photo(6)
    _act_after_measuring(monkeypatch, lambda: other.add_photo(entry_id, data, "same.jpg"))
    with pytest.raises(PhotoRejected, match="already in your journal"):
        journal.add_photo(entry_id, data, "same.jpg")
    (kept,) = journal.photos()
    assert kept.path.is_file() and kept.thumb_path.is_file(), "the other window's files stay"


def test_deleting_or_moving_a_photo_deleted_in_another_window(journal: Journal, other) -> None:
    entry_id = journal.save_entry(FIXED_DAY, "face")
    photo_id = journal.add_photo(entry_id, _photo(7), "x.jpg")
    other.delete_photo(photo_id)
    with pytest.raises(NotFound, match="Photo number .* was deleted"):
        journal.delete_photo(photo_id)
    with pytest.raises(NotFound, match="was deleted"):
        journal.move_photo(photo_id, YESTERDAY, "face")


def test_deleting_a_day_twice(journal: Journal, other) -> None:
    entry_id = journal.save_entry(FIXED_DAY, "face")
    other.delete_entry(entry_id)
    with pytest.raises(NotFound, match="already deleted"):
        journal.delete_entry(entry_id)


def test_every_concurrency_error_is_a_journal_error() -> None:
    from store.errors import Conflict

    assert issubclass(Conflict, JournalError) and issubclass(NotFound, JournalError)


# --- one photo at a time ------------------------------------------------------------------


def test_moving_one_photo_to_another_day_keeps_both_days_ratings(journal: Journal) -> None:
    source = journal.save_entry(FIXED_DAY, "face", redness=3, notes="today")
    keep = journal.add_photo(source, _photo(8), "stays.jpg")
    moved = journal.add_photo(source, _photo(9), "moves.jpg")
    before = journal.entry(FIXED_DAY, "face")
    target = journal.move_photo(moved, YESTERDAY, "face")
    after = journal.entry(FIXED_DAY, "face")
    assert (after.rating(Sign.REDNESS), after.notes, after.version) == (3, "today", before.version)
    created = journal.entry(YESTERDAY, "face")
    assert created.id == target and created.rating(Sign.REDNESS) is None  # a new, unrated day
    assert {p.id: p.day for p in journal.photos()} == {keep: FIXED_DAY, moved: YESTERDAY}
    # The moved photo is now the area's first: measured again as the baseline.
    assert journal.photo(moved).alignment == "baseline"


def test_moving_a_photo_to_another_area_measures_it_there(journal: Journal) -> None:
    face = journal.save_entry(FIXED_DAY, "face", redness=1)
    photo_id = journal.add_photo(face, _photo(10), "neck really.jpg")
    neck = journal.save_entry(FIXED_DAY, "neck", swelling=2)
    assert journal.move_photo(photo_id, FIXED_DAY, "neck") == neck
    moved = journal.photo(photo_id)
    assert moved.area == "neck" and moved.path.is_file()
    assert journal.entry(FIXED_DAY, "face").photo_count == 0
    assert journal.entry(FIXED_DAY, "neck").rating(Sign.SWELLING) == 2


def test_deleting_one_photo_keeps_the_day(journal: Journal) -> None:
    entry_id = journal.save_entry(FIXED_DAY, "face", redness=2, notes="keep me")
    first = journal.add_photo(entry_id, _photo(11), "1.jpg")
    second = journal.add_photo(entry_id, _photo(12), "2.jpg")
    path = journal.photo(first).path
    journal.delete_photo(first)
    assert not path.exists()
    entry = journal.entry(FIXED_DAY, "face")
    assert (entry.rating(Sign.REDNESS), entry.notes, entry.photo_count) == (2, "keep me", 1)
    assert [p.id for p in journal.photos()] == [second]
