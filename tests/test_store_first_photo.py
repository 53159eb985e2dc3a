"""Exactly one first photo per area: the photo of the earliest day, every other
photo lined up with (or marked not lined up against) that one, whatever order the
photos were logged in and however they are moved or deleted.

Found in a patient walk-through: treatment on 28 Nov, 01 Dec logged with a photo,
then 30 Nov backfilled with a photo: both were stored as "First photo" and the
comparison refused the 01 Dec photo as not lined up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from healing_journal import Journal
from store.photos.analysed import Region
from tests import photo_journal as pj
from tests.journals import reopen
from ui import photo_composites, photo_status

ROOT = Path(__file__).resolve().parent.parent
TREATED = dt.date(2026, 11, 28)
TODAY = dt.date(2026, 12, 3)
NOV_30, DEC_01, DEC_02 = dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2026, 12, 2)


def _log(journal: Journal, day: dt.date, data: bytes, area: str = "face") -> int:
    return journal.add_photo(journal.save_entry(day, area, redness=1), data, filename=f"{day}.jpg")


def _assert_one_first_photo(journal: Journal, area: str = "face") -> None:
    """The earliest day's photo is the only first photo; all others refer to it."""
    photos = sorted(journal.photos(area=area), key=lambda p: (p.day, p.id))
    first, *others = photos
    assert first.alignment == "baseline" and first.aligned_to is None
    assert photo_status.alignment_short(first) == "First photo"
    for photo in others:
        assert photo.alignment in ("aligned", "not aligned"), (photo.day, photo.alignment)
        assert photo.aligned_to == first.id, (photo.day, photo.aligned_to, first.id)
        assert photo_status.alignment_short(photo) != "First photo"


@pytest.fixture()
def backfilled(tmp_path: Path) -> Path:
    """The walk-through: 01 Dec logged first, then 30 Nov backfilled."""
    folder = tmp_path / "journal"
    with reopen(folder, TODAY) as journal:
        journal.add_treatment(TREATED, "face")
        journal.set_region("face", Region(pj.ROI))
        _log(journal, DEC_01, pj.photo(1))
        _log(journal, NOV_30, pj.photo(0))
    return folder


def test_a_backfilled_earlier_photo_becomes_the_only_first_photo(backfilled: Path) -> None:
    with reopen(backfilled, TODAY) as journal:
        _assert_one_first_photo(journal)
        first, later = sorted(journal.photos(area="face"), key=lambda p: p.day)
        assert (first.day, later.day) == (NOV_30, DEC_01)
        assert later.alignment == "aligned", later.alignment_problem  # same skin: it lines up
        # "Compare two days" works: the later photo is lined up with the new first photo.
        earlier_side, later_side = photo_composites.comparison_pair(
            first, later, first, journal.region("face"), long_side=400
        )
        assert pj.difference(earlier_side, later_side) < 12


def test_deleting_the_first_photo_makes_the_next_day_the_first(backfilled: Path) -> None:
    with reopen(backfilled, TODAY) as journal:
        _log(journal, DEC_02, pj.photo(2))
        first = min(journal.photos(area="face"), key=lambda p: p.day)
        journal.delete_photo(first.id)
        _assert_one_first_photo(journal)
        assert min(journal.photos(area="face"), key=lambda p: p.day).day == DEC_01


def test_deleting_the_first_day_makes_the_next_day_the_first(backfilled: Path) -> None:
    with reopen(backfilled, TODAY) as journal:
        journal.delete_entry(journal.entry_id(NOV_30, "face"))
        _assert_one_first_photo(journal)


def test_moving_the_first_photo_later_hands_first_to_the_earliest_day(backfilled: Path) -> None:
    with reopen(backfilled, TODAY) as journal:
        first = min(journal.photos(area="face"), key=lambda p: p.day)
        journal.move_photo(first.id, DEC_02, "face")
        _assert_one_first_photo(journal)
        assert min(journal.photos(area="face"), key=lambda p: p.day).day == DEC_01


def test_moving_a_photo_earlier_makes_it_the_first(backfilled: Path) -> None:
    with reopen(backfilled, TODAY) as journal:
        later = max(journal.photos(area="face"), key=lambda p: p.day)
        journal.move_photo(later.id, dt.date(2026, 11, 29), "face")
        _assert_one_first_photo(journal)
        assert journal.photo(later.id).alignment == "baseline"


def test_moving_the_first_photo_to_another_area_leaves_one_first_photo_in_each(backfilled: Path) -> None:
    with reopen(backfilled, TODAY) as journal:
        journal.add_treatment(TREATED, "neck")
        _log(journal, DEC_02, pj.photo(2), area="neck")
        first = min(journal.photos(area="face"), key=lambda p: p.day)
        journal.move_photo(first.id, NOV_30, "neck")
        _assert_one_first_photo(journal, "face")
        _assert_one_first_photo(journal, "neck")
        assert journal.photo(first.id).alignment == "baseline"


def test_the_photos_page_shows_one_first_photo(backfilled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # .streamlit/config.toml (127.0.0.1 only)
    monkeypatch.setenv("JOURNAL_TODAY", TODAY.isoformat())
    monkeypatch.setenv("JOURNAL_DATA_DIR", str(backfilled))
    at = AppTest.from_file(str(ROOT / "pages" / "gallery.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    statuses = [c.value for c in at.caption if "·" in c.value and "ard" in c.value]
    assert len(statuses) == 2 and sum("First photo" in s for s in statuses) == 1, statuses
    assert not [w.value for w in at.warning if "not lined up" in w.value]
