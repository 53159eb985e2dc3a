"""Photo views in the store (issue 22): each photo is marked with its area's named
view, lined up with the first photo of that view, and an older journal's photos
keep "unspecified view" and their first photo.

Real journals (SQLite, real JPEGs) throughout.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from healing_journal import Journal
from healing_journal.photo_check import question
from recovery.today import today_in_course
from recovery.usual_skin import UsualSkin
from recovery.vocabulary import AREA_VIEWS, VIEW_INFO, Area, View, due_views, views_of
from store.errors import InvalidEntry
from store.journal import DB_NAME
from store.photos.analysed import Region
from store.schema import migrations
from tests import photo_journal as pj
from tests.journals import reopen
from ui.home_today import photo_pair

TREATED = dt.date(2026, 11, 28)
TODAY = dt.date(2026, 12, 3)
DEC_01, DEC_02 = dt.date(2026, 12, 1), dt.date(2026, 12, 2)


def _files(folder: Path) -> set[Path]:
    return {path for path in (folder / "photos").rglob("*") if path.is_file()} | {
        path for path in (folder / "thumbs").rglob("*") if path.is_file()
    }


@pytest.fixture()
def journal(tmp_path: Path):
    with reopen(tmp_path / "journal", TODAY) as opened:
        opened.add_treatment(TREATED, "face")
        opened.set_region("face", Region(pj.ROI))
        yield opened


def test_every_area_has_named_views_with_a_guide_and_the_face_has_the_guidelines_four() -> None:
    assert views_of("face") == (View.FRONT, View.LEFT, View.RIGHT, View.CLOSE_UP)
    for area in Area:
        assert AREA_VIEWS[area] and View.UNSPECIFIED not in AREA_VIEWS[area]
        assert View.CLOSE_UP in AREA_VIEWS[area]  # the scale, for every area
    for view in View:
        sentence = VIEW_INFO[view].guide
        assert view.label and sentence.endswith(".") and sentence.count(". ") == 0  # one sentence


def test_the_due_views_are_those_not_yet_photographed_that_day() -> None:
    assert due_views("face", []) == views_of("face")
    assert due_views("face", ["left", "unspecified"]) == (View.FRONT, View.RIGHT, View.CLOSE_UP)
    assert due_views("chest", ["whole", "close-up"]) == ()


def test_a_photo_is_stored_with_its_view(journal: Journal) -> None:
    entry = journal.save_entry(DEC_01, "face", redness=1)
    left = journal.add_photo(entry, pj.photo(0), "left.jpg", view="left")
    plain = journal.add_photo(entry, pj.photo(1), "plain.jpg")
    assert journal.photo(left).view is View.LEFT
    assert journal.photo(plain).view is View.UNSPECIFIED
    assert {p.view for p in journal.snapshot().photos} == {View.LEFT, View.UNSPECIFIED}


def test_an_unknown_view_is_refused_by_name_and_leaves_nothing_behind(journal: Journal) -> None:
    entry = journal.save_entry(DEC_01, "face", redness=1)
    before = _files(journal.folder)
    with pytest.raises(InvalidEntry, match="Unknown photo view 'upside-down'"):
        journal.add_photo(entry, pj.photo(0), "odd.jpg", view="upside-down")
    assert journal.photos() == [] and _files(journal.folder) == before
    # The database refuses it too, whoever writes.
    with sqlite3.connect(journal.db_path) as db, pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE photos SET view = 'upside-down'")
        db.execute(
            "INSERT INTO photos (entry_id, sha256, source_sha256, path, thumb_path, width, height, added_at, view) "
            "VALUES (?, 'a', 'b', 'p', 't', 1, 1, 'now', 'upside-down')",
            [entry],
        )


def test_each_view_is_lined_up_with_its_own_first_photo(journal: Journal) -> None:
    first_day = journal.save_entry(DEC_01, "face", redness=1)
    front_1 = journal.add_photo(first_day, pj.photo(0), "f1.jpg", view="front")
    left_1 = journal.add_photo(first_day, pj.photo(1), "l1.jpg", view="left")
    second_day = journal.save_entry(DEC_02, "face", redness=1)
    left_2 = journal.add_photo(second_day, pj.photo(2), "l2.jpg", view="left")
    front_2 = journal.add_photo(second_day, pj.photo(3), "f2.jpg", view="front", measure_later=True)
    journal.wait_for_photo_work()
    assert journal.photo(front_1).alignment == "baseline"
    assert journal.photo(left_1).alignment == "baseline"  # the first left side, not compared with the front
    assert journal.photo(left_2).aligned_to == left_1
    assert journal.photo(front_2).aligned_to == front_1


def test_backfilling_a_view_moves_only_that_views_first_photo(journal: Journal) -> None:
    later = journal.save_entry(DEC_02, "face", redness=1)
    front = journal.add_photo(later, pj.photo(0), "f.jpg", view="front")
    left = journal.add_photo(later, pj.photo(1), "l.jpg", view="left")
    earlier = journal.save_entry(DEC_01, "face", redness=1)
    early_left = journal.add_photo(earlier, pj.photo(2), "l0.jpg", view="left")
    assert journal.photo(early_left).alignment == "baseline"
    assert journal.photo(left).aligned_to == early_left
    assert journal.photo(front).alignment == "baseline"  # its own view: untouched


def test_an_older_journal_keeps_its_photos_as_unspecified_view_and_their_first_photo(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    with reopen(folder, TODAY) as journal:
        journal.add_treatment(TREATED, "face")
        journal.set_region("face", Region(pj.ROI))
        first = journal.add_photo(journal.save_entry(DEC_01, "face", redness=1), pj.photo(0), "a.jpg")
        second = journal.add_photo(journal.save_entry(DEC_02, "face", redness=1), pj.photo(1), "b.jpg")
    # The journal as the version before views left it: no view column, m011 not run.
    with sqlite3.connect(folder / DB_NAME) as db:
        db.execute("ALTER TABLE photos DROP COLUMN view")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm011_photo_views'")
    with reopen(folder, TODAY) as journal:
        assert [p.view for p in journal.photos()] == [View.UNSPECIFIED, View.UNSPECIFIED]
        assert journal.photo(second).aligned_to == first
        # A named view taken now starts a group of its own; the old ones still work.
        front = journal.add_photo(journal.save_entry(TODAY, "face", redness=1), pj.photo(2), "c.jpg", view="front")
        assert journal.photo(front).alignment == "baseline"
        third = journal.add_photo(journal.entry(TODAY, "face").id, pj.photo(3), "d.jpg")
        assert journal.photo(third).aligned_to == first
        applied = [m.name for m in migrations.applied(Database(journal.db_path))]
        assert applied.count("m011_photo_views") == 1


def test_a_backup_round_trip_keeps_every_photos_view(journal: Journal, tmp_path: Path) -> None:
    entry = journal.save_entry(DEC_01, "face", redness=1)
    journal.add_photo(entry, pj.photo(0), "f.jpg", view="front")
    journal.add_photo(entry, pj.photo(1), "c.jpg", view="close-up")
    journal.add_photo(entry, pj.photo(2), "u.jpg")
    with Journal.restore(journal.backup(), tmp_path / "restored") as restored:
        assert sorted(p.view for p in restored.photos()) == sorted([View.FRONT, View.CLOSE_UP, View.UNSPECIFIED])


def test_home_and_retake_judge_a_photo_against_the_first_photo_of_its_own_view(journal: Journal) -> None:
    first_day = journal.save_entry(DEC_01, "face", redness=1)
    journal.add_photo(first_day, pj.photo(0), "front-1.jpg", view="front")  # with the card
    later = journal.save_entry(DEC_02, "face", redness=1)
    left = journal.add_photo(later, pj.photo(1, card=False), "left-1.jpg", view="left")
    front = journal.add_photo(later, pj.photo(2), "front-2.jpg", view="front")
    snapshot = journal.snapshot()
    today = today_in_course(snapshot, Area.FACE, UsualSkin(Area.FACE))
    assert today is not None
    # Home shows the latest front beside the first front, whatever was stored last.
    pair = photo_pair(snapshot.photos_of("face"), today)
    assert pair is not None and [p.id for p in pair] == [journal.photos()[0].id, front]
    # The first left side has no card, and no earlier left side had one: nothing is missing.
    stored = {p.id: p for p in snapshot.photos}
    assert question(snapshot, stored[left]) is None


def test_a_photo_put_under_the_wrong_view_is_moved_and_lined_up_again(journal: Journal) -> None:
    first_day = journal.save_entry(DEC_01, "face", redness=1)
    front = journal.add_photo(first_day, pj.photo(0), "f.jpg", view="front")
    mistaken = journal.add_photo(first_day, pj.photo(1), "really-left.jpg", view="front")
    later = journal.add_photo(journal.save_entry(DEC_02, "face", redness=1), pj.photo(2), "l.jpg", view="left")
    assert journal.photo(mistaken).aligned_to == front and journal.photo(later).alignment == "baseline"
    journal.set_photo_view(mistaken, "left")
    assert journal.photo(mistaken).view is View.LEFT and journal.photo(mistaken).alignment == "baseline"
    assert journal.photo(later).aligned_to == mistaken  # the earlier left side is now the first
    with pytest.raises(InvalidEntry, match="Unknown photo view"):
        journal.set_photo_view(mistaken, "behind")
    assert journal.photo(mistaken).view is View.LEFT


def test_the_usual_skin_photo_is_the_areas_first_view(journal: Journal) -> None:
    """The skin before treatment is compared with the same view later: the overview."""
    journal.save_usual_skin(TREATED, ["face"], {"redness": 0}, photo=(pj.photo(0), "usual.jpg"))
    (usual,) = journal.snapshot().photos
    assert usual.view is View.FRONT


def test_a_photo_moved_to_an_area_without_its_view_becomes_unspecified(journal: Journal) -> None:
    entry = journal.save_entry(DEC_01, "face", redness=1)
    left = journal.add_photo(entry, pj.photo(0), "left.jpg", view="left")
    front = journal.add_photo(entry, pj.photo(1), "front.jpg", view="front")
    journal.move_photo(left, DEC_01, "chest")  # the chest has no left side: no orphan group
    journal.move_photo(front, DEC_01, "neck")  # the neck has a front: kept
    assert journal.photo(left).view is View.UNSPECIFIED
    assert journal.photo(front).view is View.FRONT
