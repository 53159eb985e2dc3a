"""The journal's database: schema, entries, treatments, profile, reopening."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlite_utils import Database

from healing_journal import InvalidEntry, Journal, NotFound, Settings
from healing_journal.tables import ENTRY_COLUMNS
from recovery.model import Profile
from recovery.vocabulary import AREAS, YES_NO_KEYS, Sign
from store.journal import DB_NAME
from store.schema import migrations
from tests import corpus
from tests.builders import rated
from tests.conftest import FIXED_DAY

D = dt.date


def raw(journal: Journal) -> sqlite3.Connection:
    """A connection of our own, to look at the file the way another program would."""
    connection = sqlite3.connect(journal.folder / DB_NAME)
    connection.row_factory = sqlite3.Row
    return connection


# --- schema ----------------------------------------------------------------------


def test_tables_exist(journal):
    with raw(journal) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "profile",
        "treatments",
        "treatment_areas",
        "entries",
        "photos",
        "area_regions",
        "_sqlite_migrations",
    } <= tables


def test_every_migration_is_recorded_once(open_journal):
    journal = open_journal()
    db = Database(journal.folder / DB_NAME)
    applied = [m.name for m in migrations.applied(db)]
    assert applied[:2] == ["m001_initial", "m002_photo_measurements"]
    assert len(applied) == len(set(applied))
    assert migrations.pending(db) == []
    journal.close()
    open_journal().close()  # reopening must not run anything again
    assert [m.name for m in migrations.applied(db)] == applied
    db.close()


def test_an_older_database_is_upgraded_and_keeps_its_data(journal_folder, open_journal):
    journal_folder.mkdir(parents=True)
    db = Database(journal_folder / DB_NAME)
    migrations.apply(db, stop_before="m002_photo_measurements")
    db["entries"].insert({"day": "2026-11-01", "area": "face", "redness": 2, "updated_at": "2026-11-01T10:00:00+00:00"})
    db.close()

    journal = open_journal()
    assert journal.entry("2026-11-01", "face").rating(Sign.REDNESS) == 2
    with raw(journal) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(photos)")}
    assert {"a_star", "sharpness"} <= columns


def test_wal_mode_is_persistent(journal):
    journal.save_entry(FIXED_DAY, "face", redness=1)
    with raw(journal) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_foreign_keys_are_enforced(journal):
    with pytest.raises(sqlite3.IntegrityError):
        with journal._db.conn:
            journal._db.execute(
                "INSERT INTO photos (entry_id, sha256, source_sha256, path, thumb_path, width, height, added_at) "
                "VALUES (999, 'a', 'b', 'p', 't', 1, 1, 'now')"
            )
    assert journal._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_database_checks_refuse_what_validation_would(journal):
    # The schema's CHECKs are a second line of defence behind validate.py.
    with raw(journal) as db:
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO entries (day, area, redness, updated_at) VALUES ('2026-11-01', 'face', 7, 'x')")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO entries (day, area, updated_at) VALUES ('2026-11-01', 'elbow', 'x')")


def test_integrity_check_is_ok(journal):
    journal.save_entry(FIXED_DAY, "face", redness=1)
    assert journal.integrity_check() == "ok"


# --- entries ---------------------------------------------------------------------


def test_save_entry_stores_every_field(journal):
    checks = {key: index % 2 == 0 for index, key in enumerate(YES_NO_KEYS)}
    entry_id = journal.save_entry("2026-11-20", "neck", redness=3, swelling=2, spots=1, notes="tight", **checks)
    entry = journal.entry_by_id(entry_id)
    assert (entry.day, entry.area) == (D(2026, 11, 20), "neck")
    assert (*rated(entry), entry.notes) == (
        3,
        2,
        1,
        "tight",
    )
    assert {key: entry.answer(key) for key in YES_NO_KEYS} == checks
    assert entry.photo_count == 0


def test_save_entry_upserts_same_day_and_area(journal):
    first = journal.save_entry("2026-11-20", "face", redness=3, swelling=2, bleeding=True, notes="first")
    second = journal.save_entry("2026-11-20", "face", redness=1, dryness=True, notes="second")
    assert first == second
    entry = journal.entry_by_id(first)
    # The whole entry is replaced, not merged: what was not given is unanswered.
    assert (entry.rating(Sign.REDNESS), entry.rating(Sign.SWELLING), entry.notes) == (1, None, "second")
    assert (entry.answer("bleeding"), entry.answer("dryness")) == (None, True)
    assert len(journal.entry_list()) == 1


def test_same_day_other_area_is_another_entry(journal):
    face = journal.save_entry("2026-11-20", "face", redness=3)
    neck = journal.save_entry("2026-11-20", "neck", redness=1)
    assert face != neck
    assert journal.entry("2026-11-20", "face").rating(Sign.REDNESS) == 3
    assert journal.entry("2026-11-20", "neck").rating(Sign.REDNESS) == 1


def test_unanswered_checks_stay_none_and_false_is_zero(journal):
    entry_id = journal.save_entry(FIXED_DAY, "face", sunscreen=False)
    entry = journal.entry_by_id(entry_id)
    assert entry.answer("sunscreen") is False
    assert entry.answer("bleeding") is None and entry.rating(Sign.REDNESS) is None


@pytest.mark.parametrize("sign", ["redness", "swelling", "spots"])
@pytest.mark.parametrize("value", [-1, 5, 100, True, False, "3", 2.5, 2.0, [1]])
def test_bad_ratings_are_refused_naming_the_problem(journal, sign, value):
    with pytest.raises(InvalidEntry) as caught:
        journal.save_entry(FIXED_DAY, "face", **{sign: value})
    message = str(caught.value)
    assert sign in message
    assert repr(value) in message or str(value) in message
    assert journal.entry_list() == []


@pytest.mark.parametrize("value", [0, 4])
def test_scale_ends_are_accepted(journal, value):
    entry_id = journal.save_entry(FIXED_DAY, "face", redness=value, swelling=value, spots=value)
    entry = journal.entry_by_id(entry_id)
    assert rated(entry) == (value,) * 3


@pytest.mark.parametrize("area", ["forehead", "Face", "", None, 3])
def test_unknown_area_is_refused(journal, area):
    with pytest.raises(InvalidEntry) as caught:
        journal.save_entry(FIXED_DAY, area)
    assert f"'{area}'" in str(caught.value) and "face" in str(caught.value)
    assert journal.entry_list() == []


def test_unknown_field_is_refused(journal):
    with pytest.raises(InvalidEntry, match="itchiness"):
        journal.save_entry(FIXED_DAY, "face", itchiness=True)


def test_future_day_is_refused(journal):
    tomorrow = FIXED_DAY + dt.timedelta(days=1)
    with pytest.raises(InvalidEntry, match="future") as caught:
        journal.save_entry(tomorrow, "face", redness=1)
    assert tomorrow.isoformat() in str(caught.value)
    assert journal.entry_list() == []
    # A treatment may be dated ahead (a session already booked): see below.


def test_today_is_the_settings_today(journal):
    journal.save_entry(FIXED_DAY, "face", redness=1)
    assert journal.today() == FIXED_DAY
    assert journal.logged_days() == {FIXED_DAY}


@pytest.mark.parametrize("day", ["2026-13-01", "24/11/2026", "yesterday", "", 20261124])
def test_day_that_is_not_a_date_is_refused(journal, day):
    with pytest.raises(InvalidEntry):
        journal.save_entry(day, "face")


def test_day_as_datetime_counts_as_its_date(journal):
    entry_id = journal.save_entry(dt.datetime(2026, 11, 20, 23, 59), "face")
    assert journal.entry_by_id(entry_id).day == D(2026, 11, 20)


def test_notes_too_long_are_refused(journal):
    with pytest.raises(InvalidEntry, match="characters"):
        journal.save_entry(FIXED_DAY, "face", notes="x" * 5001)
    journal.save_entry(FIXED_DAY, "face", notes="x" * 5000)


def test_ensure_entry_keeps_an_existing_entry(journal):
    entry_id = journal.save_entry("2026-11-20", "face", redness=3)
    assert journal.ensure_entry("2026-11-20", "face") == entry_id
    assert journal.entry_by_id(entry_id).rating(Sign.REDNESS) == 3
    created = journal.ensure_entry("2026-11-21", "face")
    assert created != entry_id and journal.entry_by_id(created).rating(Sign.REDNESS) is None


def test_entry_not_found(journal):
    assert journal.entry("2026-11-20", "face") is None
    with pytest.raises(NotFound, match="42"):
        journal.entry_by_id(42)
    with pytest.raises(NotFound):
        journal.delete_entry(42)


# --- days since treatment --------------------------------------------------------


def test_day_before_any_treatment_has_negative_count(journal):
    journal.add_treatment("2026-11-20", "face")
    journal.save_entry("2026-11-17", "face", redness=0)
    (record,) = journal.entry_list()
    assert record.days_since_treatment == -3
    assert record.treatment_id is None
    assert record.day_label.startswith("before treatment")
    assert "3" in record.day_label


def test_no_treatment_at_all(journal):
    journal.save_entry(FIXED_DAY, "face", redness=0)
    (record,) = journal.entry_list()
    assert record.days_since_treatment is None
    assert record.treatment_id is None
    assert record.day_label == "no treatment recorded"


def test_days_are_counted_from_the_latest_treatment_of_a_series(journal):
    first = journal.add_treatment("2026-09-01", "face")
    second = journal.add_treatment("2026-10-01", "face")
    third = journal.add_treatment("2026-11-01", "face")
    for day in ("2026-08-30", "2026-09-05", "2026-10-01", "2026-10-31", "2026-11-24"):
        journal.save_entry(day, "face", redness=1)
    placed = {r.day.isoformat(): (r.treatment_id, r.days_since_treatment) for r in journal.entry_list()}
    assert placed == {
        "2026-08-30": (None, -2),
        "2026-09-05": (first, 4),
        "2026-10-01": (second, 0),
        "2026-10-31": (second, 30),
        "2026-11-24": (third, 23),
    }
    labels = {r.day.isoformat(): r.day_label for r in journal.entry_list()}
    assert labels["2026-10-01"] == "day 0" and labels["2026-11-24"] == "day 23"
    assert journal.entry("2026-10-31", "face").treatment_day == D(2026, 10, 1)


def test_treatments_are_placed_in_day_order_whatever_the_order_entered(journal):
    later = journal.add_treatment("2026-11-01", "face")
    earlier = journal.add_treatment("2026-10-01", "face")
    journal.save_entry("2026-10-15", "face")
    journal.save_entry("2026-11-15", "face")
    placed = [(r.treatment_id, r.days_since_treatment) for r in journal.entry_list()]
    assert placed == [(earlier, 14), (later, 14)]
    assert [t.id for t in journal.treatments()] == [earlier, later]


def test_days_are_counted_per_area(journal):
    face = journal.add_treatment("2026-11-20", "face")
    neck = journal.add_treatment("2026-10-01", "neck")
    journal.save_entry(FIXED_DAY, "face")
    journal.save_entry(FIXED_DAY, "neck")
    journal.save_entry(FIXED_DAY, "chest")
    placed = {r.area: (r.treatment_id, r.days_since_treatment) for r in journal.entry_list()}
    assert placed == {"face": (face, 4), "neck": (neck, 54), "chest": (None, None)}


def test_one_treatment_of_several_areas(journal):
    treatment_id = journal.add_treatment(
        "2026-11-20",
        ["neck", "face", "neck"],
        device="Dermapen",
        needle_depth_mm=0.5,
        practitioner="Dr A",
        serums="HA",
        notes="n",
    )
    (treatment,) = journal.treatments()
    assert treatment.id == treatment_id
    assert treatment.areas == ("face", "neck")  # de-duplicated, in vocabulary order
    assert treatment.day == D(2026, 11, 20)
    assert (treatment.device, treatment.needle_depth_mm, treatment.practitioner) == ("Dermapen", 0.5, "Dr A")
    for area in ("face", "neck"):
        journal.save_entry("2026-11-22", area)
    assert {r.area: r.treatment_id for r in journal.entry_list()} == {
        "face": treatment_id,
        "neck": treatment_id,
    }


@pytest.mark.parametrize("areas", [[], ["face", "elbow"], "elbow"])
def test_treatment_with_bad_areas_writes_nothing(journal, areas):
    with pytest.raises(InvalidEntry):
        journal.add_treatment("2026-11-20", areas)
    assert journal.treatments() == []
    with raw(journal) as db:
        assert db.execute("SELECT count(*) FROM treatments").fetchone()[0] == 0


@pytest.mark.parametrize("depth", [0, -1, 5.5, "deep", float("nan")])
def test_bad_needle_depth_is_refused(journal, depth):
    with pytest.raises(InvalidEntry, match="[Nn]eedle depth"):
        journal.add_treatment("2026-11-20", "face", needle_depth_mm=depth)


def test_needle_depth_may_be_left_out(journal):
    journal.add_treatment("2026-11-20", "face", needle_depth_mm="")
    assert journal.treatments()[0].needle_depth_mm is None


def test_delete_treatment(journal):
    first = journal.add_treatment("2026-10-01", ["face", "neck"])
    second = journal.add_treatment("2026-11-01", "face")
    journal.save_entry("2026-11-10", "face")
    journal.delete_treatment(second)
    assert [t.id for t in journal.treatments()] == [first]
    record = journal.entry("2026-11-10", "face")
    assert (record.treatment_id, record.days_since_treatment) == (first, 40)
    journal.delete_treatment(first)
    assert journal.treatments() == []
    with raw(journal) as db:  # its areas went with it
        assert db.execute("SELECT count(*) FROM treatment_areas").fetchone()[0] == 0
    assert journal.entry("2026-11-10", "face").days_since_treatment is None  # the entry stays
    with pytest.raises(NotFound, match=str(first)):
        journal.delete_treatment(first)


# --- deleting entries with photos ------------------------------------------------


def test_delete_entry_removes_its_photos_rows_and_files(journal):
    entry_id = journal.save_entry("2026-11-20", "face", redness=2)
    other = journal.save_entry("2026-11-21", "face", redness=1)
    photo_ids = [journal.add_photo(entry_id, corpus.jpeg((160, 120), quality=q), f"p{q}.jpg") for q in (80, 90)]
    kept = journal.add_photo(other, corpus.jpeg((160, 120), quality=70), "kept.jpg")
    photos = [journal.photo(pid) for pid in photo_ids]
    for photo in photos:
        assert photo.path.is_file() and photo.thumb_path.is_file()

    journal.delete_entry(entry_id)

    with pytest.raises(NotFound):
        journal.entry_by_id(entry_id)
    assert [p.id for p in journal.photos()] == [kept]
    with raw(journal) as db:
        assert db.execute("SELECT count(*) FROM photos WHERE entry_id = ?", [entry_id]).fetchone()[0] == 0
    for photo in photos:
        assert not photo.path.exists() and not photo.thumb_path.exists()
    assert journal.photo(kept).path.is_file()


def test_entry_photo_count(journal):
    entry_id = journal.save_entry("2026-11-20", "face")
    journal.add_photo(entry_id, corpus.jpeg(quality=81), "a.jpg")
    journal.add_photo(entry_id, corpus.jpeg(quality=82), "b.jpg")
    assert journal.entry_by_id(entry_id).photo_count == 2
    # Saving the entry again keeps its photos.
    assert journal.save_entry("2026-11-20", "face", redness=1) == entry_id
    assert len(journal.photos(entry_id=entry_id)) == 2


# --- profile ---------------------------------------------------------------------


def test_profile_defaults(journal):
    assert journal.profile() == Profile(name="", fitzpatrick=None)


def test_profile_save_and_load(journal):
    journal.save_profile(name="Ana", fitzpatrick=4, melasma_history=True, pih_history=False, cold_sores=True)
    assert journal.profile() == Profile("Ana", 4, melasma_history=True, pih_history=False, cold_sores=True)
    journal.save_profile(name="Ana B")  # a second save replaces the first
    assert journal.profile() == Profile("Ana B")
    with raw(journal) as db:
        assert db.execute("SELECT count(*) FROM profile").fetchone()[0] == 1


@pytest.mark.parametrize("value", [0, 7, True, "3", 3.0])
def test_bad_skin_type_is_refused(journal, value):
    with pytest.raises(InvalidEntry, match="Fitzpatrick"):
        journal.save_profile(fitzpatrick=value)
    assert journal.profile().fitzpatrick is None


# --- reading entries -------------------------------------------------------------


def _sample_days(journal):
    journal.add_treatment("2026-11-20", ["face", "neck"])
    journal.save_entry("2026-11-21", "neck", redness=1)
    journal.save_entry("2026-11-20", "face", redness=4, swelling=3, bleeding=True)
    journal.save_entry("2026-11-21", "face", redness=3)
    journal.save_entry("2026-11-23", "face", redness=2)


def test_entries_dataframe(journal):
    _sample_days(journal)
    frame = journal.entries()
    assert list(frame.columns) == ENTRY_COLUMNS
    assert len(frame) == 4
    assert list(zip(frame["day"], frame["area"])) == [
        (D(2026, 11, 20), "face"),
        (D(2026, 11, 21), "face"),
        (D(2026, 11, 21), "neck"),
        (D(2026, 11, 23), "face"),
    ]
    assert list(frame.days_since_treatment) == [0, 1, 1, 3]
    assert list(frame["redness"]) == [4, 3, 1, 2]
    assert list(frame.photo_count) == [0, 0, 0, 0]
    face = journal.entries(area="face")
    assert set(face["area"]) == {"face"} and len(face) == 3
    window = journal.entries(start=D(2026, 11, 21), end=D(2026, 11, 21))
    assert sorted(window["area"]) == ["face", "neck"]


def test_entries_dataframe_of_an_empty_journal_has_the_columns(journal):
    frame = journal.entries()
    assert frame.empty and list(frame.columns) == ENTRY_COLUMNS


def test_entry_list(journal):
    _sample_days(journal)
    records = journal.entry_list(area="face", start=D(2026, 11, 21))
    assert [(r.day, r.rating(Sign.REDNESS)) for r in records] == [(D(2026, 11, 21), 3), (D(2026, 11, 23), 2)]
    assert all(isinstance(r.day, dt.date) for r in records)


def test_logged_days(journal):
    _sample_days(journal)
    assert journal.logged_days() == {D(2026, 11, 20), D(2026, 11, 21), D(2026, 11, 23)}
    assert journal.logged_days("neck") == {D(2026, 11, 21)}
    assert journal.logged_days("chest") == set()


# --- reopening -------------------------------------------------------------------


def test_reopen_keeps_everything(open_journal):
    journal = open_journal()
    journal.save_profile(name="Ana", fitzpatrick=5, pih_history=True)
    treatment_id = journal.add_treatment("2026-11-20", ["face", "neck"], device="pen", needle_depth_mm=1.0)
    entry_id = journal.save_entry("2026-11-21", "face", redness=3, sunscreen=True, notes="ok")
    photo_id = journal.add_photo(entry_id, corpus.exif_upright()[1], "upright.jpg")
    before = (journal.profile(), journal.treatments(), journal.entry_list(), journal.photos())
    photo_bytes = journal.photo(photo_id).path.read_bytes()
    journal.close()

    again = open_journal()
    assert (again.profile(), again.treatments(), again.entry_list(), again.photos()) == before
    assert again.treatments()[0].id == treatment_id
    assert again.photo(photo_id).path.read_bytes() == photo_bytes
    assert again.open_report.orphans_removed == 0 and again.open_report.missing_files == []


def test_every_area_of_the_vocabulary_can_be_logged(journal):
    for area in AREAS:
        journal.save_entry(FIXED_DAY, area)
    assert {r.area for r in journal.entry_list()} == set(AREAS)


def test_every_question_and_rating_of_the_vocabulary_has_its_column(journal):
    from recovery.vocabulary import PROFILE_QUESTION_KEYS, RATED_SIGNS, TREATMENT_QUESTION_KEYS

    with raw(journal) as db:
        columns = {
            table: {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            for table in ("entries", "profile", "treatments")
        }
    assert {s.value for s in RATED_SIGNS} | set(YES_NO_KEYS) <= columns["entries"]
    assert set(PROFILE_QUESTION_KEYS) <= columns["profile"]
    assert set(TREATMENT_QUESTION_KEYS) | {"practitioner_contact"} <= columns["treatments"]


def test_a_session_can_be_booked_up_to_a_year_ahead(tmp_path) -> None:  # type: ignore[no-untyped-def]
    today = dt.date(2026, 11, 24)
    folder = tmp_path / "j"
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: today)) as journal:
        journal.add_treatment(today + dt.timedelta(days=366), "face")
        with pytest.raises(InvalidEntry, match="more than a year ahead"):
            journal.add_treatment(today + dt.timedelta(days=367), "face")
        # Days are still logged only up to today.
        with pytest.raises(InvalidEntry, match="in the future"):
            journal.save_entry(today + dt.timedelta(days=1), "face", redness=1)


def test_notes_longer_than_the_limit_are_refused_by_their_length_and_nothing_saved(journal: Journal) -> None:
    """The app's forms stop at the limit; a script's longer notes are refused, named."""
    from store.validate import MAX_NOTES

    with pytest.raises(InvalidEntry, match=f"keep them under {MAX_NOTES}"):
        journal.save_entry(FIXED_DAY, "face", notes="x" * (MAX_NOTES + 1))
    assert journal.entry(FIXED_DAY, "face") is None
