"""A photo saved with measure_later (what Log a day does, issue 21): stored and
answered at once, measured in the background, never shown as measured before it is,
and measured exactly as a photo measured at save time; work cut short by a killed
process is done on the next open.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import os
import signal
import sqlite3
from pathlib import Path

import pytest

from healing_journal import Journal
from recovery.model import Photo
from store.photos.analysed import Region
from tests import photo_journal as pj
from tests.journals import reopen
from ui import photo_status

TODAY = dt.date(2026, 12, 3)
NOV_30, DEC_01, DEC_02 = dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2026, 12, 2)
# What differs between two journals holding the same photos: where they are.
PLACE = {"id", "entry_id", "path", "thumb_path", "aligned_to"}


def _measured(photo: Photo) -> dict[str, object]:
    return {name: value for name, value in dataclasses.asdict(photo).items() if name not in PLACE}


def _log(journal: Journal, day: dt.date, data: bytes, *, later: bool) -> int:
    entry = journal.save_entry(day, "face", redness=1)
    return journal.add_photo(entry, data, filename=f"{day}.jpg", measure_later=later)


def _journal(folder: Path) -> Journal:
    journal = reopen(folder, TODAY)
    journal.set_region("face", Region(pj.ROI))
    return journal


def _assert_waiting(photo: Photo) -> None:
    assert photo.measuring
    assert (photo.a_star, photo.sharpness, photo.alignment, photo.registration, photo.calibration) == (None,) * 5
    assert photo_status.short_status(photo) == photo_status.BEING_MEASURED
    assert "being lined up" in photo_status.alignment_sentence(photo)
    assert "being" in photo_status.calibration_sentence(photo)


def _photos(journal: Journal) -> list[Photo]:
    return sorted(journal.photos(area="face"), key=lambda p: (p.day, p.id))


def test_a_photo_measured_later_is_shown_waiting_then_measured_as_at_save(tmp_path: Path) -> None:
    with _journal(tmp_path / "now") as now, _journal(tmp_path / "later") as later:
        _log(now, DEC_01, pj.photo(0), later=False)
        _log(later, DEC_01, pj.photo(0), later=False)
        _log(now, DEC_02, pj.photo(1), later=False)
        later.photo_work.close()  # no background work in this journal: what is shown meanwhile
        waiting_id = _log(later, DEC_02, pj.photo(1), later=True)
        waiting = later.photo(waiting_id)
        _assert_waiting(waiting)
        assert waiting.path.exists() and waiting.thumb_path.exists()  # stored before the answer
        # The charts and flags read measurements: a waiting photo gives none.
        assert [p.a_star is None for p in later.photos(area="face")] == [False, True]
        assert later.measure_waiting() == 1
        measured = later.photo(waiting_id)
        assert not measured.measuring and measured.alignment == "aligned"
        assert [_measured(p) for p in _photos(later)] == [_measured(p) for p in _photos(now)]


def test_the_background_work_measures_it_after_the_answer(tmp_path: Path) -> None:
    with _journal(tmp_path / "journal") as journal:
        _log(journal, DEC_01, pj.photo(0), later=True)
        second = _log(journal, DEC_02, pj.photo(1), later=True)
        journal.wait_for_photo_work()
        first, later = _photos(journal)
        assert (first.alignment, later.alignment) == ("baseline", "aligned")
        assert later.aligned_to == first.id and later.id == second
        assert not first.measuring and not later.measuring and later.a_star is not None


def test_a_backfilled_first_photo_measured_later_lines_the_others_up_again(tmp_path: Path) -> None:
    with _journal(tmp_path / "now") as now, _journal(tmp_path / "later") as later:
        for journal in (now, later):
            _log(journal, DEC_01, pj.photo(1), later=False)
            _log(journal, DEC_02, pj.photo(2), later=False)
        _log(now, NOV_30, pj.photo(0), later=False)
        later.photo_work.close()
        _log(later, NOV_30, pj.photo(0), later=True)
        # The others were lined up with a photo that is no longer the first: they wait too.
        for photo in _photos(later):
            _assert_waiting(photo)
        assert later.measure_waiting() == 3
        photos = _photos(later)
        assert [p.alignment for p in photos] == ["baseline", "aligned", "aligned"]
        assert {p.aligned_to for p in photos[1:]} == {photos[0].id}
        assert [_measured(p) for p in photos] == [_measured(p) for p in _photos(now)]


def test_a_photo_measured_at_save_waits_for_its_first_photo_to_be_measured(tmp_path: Path) -> None:
    with _journal(tmp_path / "journal") as journal:
        journal.photo_work.close()
        _log(journal, DEC_01, pj.photo(0), later=True)
        _log(journal, DEC_02, pj.photo(1), later=False)
        first, second = _photos(journal)
        assert (first.measuring, second.measuring) == (False, False)
        assert (first.alignment, second.alignment, second.aligned_to) == ("baseline", "aligned", first.id)


def test_deleting_a_first_photo_that_others_wait_on_leaves_them_waiting_for_the_next(tmp_path: Path) -> None:
    with _journal(tmp_path / "journal") as journal:
        journal.photo_work.close()
        first = _log(journal, DEC_01, pj.photo(0), later=True)
        _log(journal, DEC_02, pj.photo(1), later=True)
        journal.delete_photo(first)
        assert journal.measure_waiting() == 1
        (only,) = _photos(journal)
        assert (only.day, only.alignment, only.aligned_to) == (DEC_02, "baseline", None)


def test_a_waiting_photo_whose_file_is_gone_is_kept_unmeasured_not_waiting_for_ever(tmp_path: Path) -> None:
    with _journal(tmp_path / "journal") as journal:
        journal.photo_work.close()
        photo_id = _log(journal, DEC_01, pj.photo(0), later=True)
        journal.photo(photo_id).path.unlink()  # lost meanwhile (reported by the next open)
        assert journal.measure_waiting() == 1
        photo = journal.photo(photo_id)
        assert not photo.measuring and photo.a_star is None and photo.alignment is None
        assert journal.waiting_photos() == 0


def _save_and_die(folder: str) -> None:
    journal = reopen(Path(folder), TODAY)
    journal.set_region("face", Region(pj.ROI))
    _log(journal, DEC_01, pj.photo(0), later=False)
    journal.photo_work.close()  # killed before the background work could start
    _log(journal, DEC_02, pj.photo(1), later=True)
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_photo_left_waiting_by_a_killed_process_is_measured_on_the_next_open(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    child = multiprocessing.get_context("spawn").Process(target=_save_and_die, args=(str(folder),))
    child.start()
    child.join(120)
    assert child.exitcode == -signal.SIGKILL
    with sqlite3.connect(folder / "journal.sqlite3") as db:
        assert db.execute("SELECT measuring FROM photos ORDER BY id").fetchall() == [(0,), (1,)]
    with reopen(folder, TODAY) as journal:
        journal.photo_work.wait()  # started by the open itself
        first, second = _photos(journal)
        assert not second.measuring and (second.alignment, second.aligned_to) == ("aligned", first.id)
        assert second.a_star is not None


@pytest.mark.parametrize("later", [False, True])
def test_a_refused_photo_leaves_nothing_either_way(tmp_path: Path, later: bool) -> None:
    with _journal(tmp_path / "journal") as journal:
        entry = journal.save_entry(DEC_01, "face")
        journal.add_photo(entry, pj.photo(0), measure_later=later)
        with pytest.raises(Exception, match="already in your journal"):
            journal.add_photo(entry, pj.photo(0), measure_later=later)
        journal.wait_for_photo_work()
        assert len(journal.photos()) == 1
        assert len([p for p in journal.files.stored() if p.startswith("photos/")]) == 1
