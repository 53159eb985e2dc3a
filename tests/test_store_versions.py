"""No silent overwrite: a save states the version it was based on, and a newer one is never overwritten unseen.

Two `Journal` objects on one folder stand for two windows (two tabs, or a
phone and a computer): each has its own SQLite connection, as two browser
sessions of the server have.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlite_utils import Database

from healing_journal import Journal
from recovery.edits import Side, entry_fields, merge, profile_fields, treatment_fields
from recovery.vocabulary import Sign
from store import versions
from store.errors import Conflict, NotFound
from store.journal import DB_NAME
from store.schema import migrations
from tests.conftest import FIXED_DAY


@pytest.fixture
def other(open_journal) -> Journal:
    """A second window on the same journal."""
    return open_journal()


def test_every_save_gives_a_new_version(journal: Journal) -> None:
    journal.save_entry(FIXED_DAY, "face", redness=1)
    first = journal.entry(FIXED_DAY, "face").version
    journal.save_entry(FIXED_DAY, "face", redness=2)
    second = journal.entry(FIXED_DAY, "face").version
    assert versions.PATTERN.match(first) and versions.PATTERN.match(second) and first != second


def test_two_tabs_the_stale_one_gets_a_conflict_and_nothing_of_the_first_is_lost(journal: Journal, other) -> None:
    journal.save_entry(FIXED_DAY, "face", redness=1, swelling=1, notes="morning")
    opened = journal.entry(FIXED_DAY, "face")  # both tabs show this version
    # Tab A saves redness 2 and a note.
    journal.save_entry(
        FIXED_DAY, "face", redness=2, swelling=1, notes="morning. Warmer at noon.", based_on=opened.version
    )
    # Tab B, still showing the old form, saves a swelling change.
    with pytest.raises(Conflict) as raised:
        other.save_entry(FIXED_DAY, "face", redness=1, swelling=3, notes="morning", based_on=opened.version)
    conflict = raised.value
    assert "changed in another window" in str(conflict)
    assert conflict.stored.rating(Sign.REDNESS) == 2 and conflict.stored.notes == "morning. Warmer at noon."
    assert conflict.attempted["swelling"] == 3 and conflict.attempted["notes"] == "morning"
    stored = journal.entry(FIXED_DAY, "face")
    assert (stored.rating(Sign.REDNESS), stored.rating(Sign.SWELLING), stored.notes) == (
        2,
        1,
        "morning. Warmer at noon.",
    )
    # The page merges: swelling changed only by B, redness and notes only by A.
    merged = merge(entry_fields(opened), conflict.attempted, entry_fields(conflict.stored))
    assert merged.clashes == ()
    result = merged.result()
    assert (result["redness"], result["swelling"], result["notes"]) == (2, 3, "morning. Warmer at noon.")
    other.save_entry(FIXED_DAY, "face", **_entry_kwargs(result), based_on=conflict.stored.version)
    final = journal.entry(FIXED_DAY, "face")
    assert (final.rating(Sign.REDNESS), final.rating(Sign.SWELLING), final.notes) == (2, 3, "morning. Warmer at noon.")


def _entry_kwargs(fields: dict) -> dict:
    return {key: value for key, value in fields.items()}


def test_a_clash_is_left_to_the_patient(journal: Journal, other) -> None:
    journal.save_entry(FIXED_DAY, "face", notes="base")
    opened = journal.entry(FIXED_DAY, "face")
    journal.save_entry(FIXED_DAY, "face", notes="A's note", based_on=opened.version)
    with pytest.raises(Conflict) as raised:
        other.save_entry(FIXED_DAY, "face", notes="B's note", based_on=opened.version)
    merged = merge(entry_fields(opened), raised.value.attempted, entry_fields(raised.value.stored))
    assert merged.clashes == ("notes",)
    assert merged.result({"notes": Side.THEIRS})["notes"] == "A's note"
    assert merged.result({"notes": Side.MINE})["notes"] == "B's note"
    assert merged.result({"notes": Side.BOTH})["notes"] == "A's note\n\nB's note"


def test_a_day_logged_meanwhile_is_a_conflict_for_a_form_that_saw_none(journal: Journal, other) -> None:
    journal.save_entry(FIXED_DAY, "face", redness=3, based_on=versions.NONE)
    with pytest.raises(Conflict) as raised:
        other.save_entry(FIXED_DAY, "face", redness=1, based_on=versions.NONE)
    assert "logged in another window" in str(raised.value)
    assert journal.entry(FIXED_DAY, "face").rating(Sign.REDNESS) == 3


def test_saving_over_a_deleted_entry_is_a_conflict_naming_the_deletion(journal: Journal, other) -> None:
    journal.save_entry(FIXED_DAY, "face", redness=2)
    opened = journal.entry(FIXED_DAY, "face")
    journal.delete_entry(opened.id)
    with pytest.raises(Conflict) as raised:
        other.save_entry(FIXED_DAY, "face", redness=3, based_on=opened.version)
    assert raised.value.deleted and "was deleted" in str(raised.value)
    assert journal.entry(FIXED_DAY, "face") is None
    # The patient chooses to save theirs again: based on "no entry".
    other.save_entry(FIXED_DAY, "face", redness=3, based_on=versions.NONE)
    assert journal.entry(FIXED_DAY, "face").rating(Sign.REDNESS) == 3


def test_the_same_values_saved_from_a_stale_form_are_no_conflict(journal: Journal, other) -> None:
    journal.save_entry(FIXED_DAY, "face", redness=2)
    opened = journal.entry(FIXED_DAY, "face")
    journal.save_entry(FIXED_DAY, "face", redness=1, based_on=opened.version)
    other.save_entry(FIXED_DAY, "face", redness=1, based_on=opened.version)  # writes what is there
    assert journal.entry(FIXED_DAY, "face").rating(Sign.REDNESS) == 1


def test_scripts_without_based_on_save_unchecked(journal: Journal, other) -> None:
    journal.save_entry(FIXED_DAY, "face", redness=1)
    other.save_entry(FIXED_DAY, "face", redness=4)
    assert journal.entry(FIXED_DAY, "face").rating(Sign.REDNESS) == 4


def test_a_conflict_writes_nothing_and_keeps_the_draft(journal: Journal, other) -> None:
    journal.save_entry(FIXED_DAY, "face", redness=1)
    opened = journal.entry(FIXED_DAY, "face")
    fields = {**entry_fields(opened), "redness": 3}
    other.keep_draft(FIXED_DAY, "face", fields=fields, based_on=opened.version, base=entry_fields(opened))
    journal.save_entry(FIXED_DAY, "face", redness=2, based_on=opened.version)
    with pytest.raises(Conflict):
        other.save_entry(FIXED_DAY, "face", redness=3, based_on=opened.version, discard_draft=True)
    assert other.draft(FIXED_DAY, "face").fields["redness"] == 3


def test_profile_saves_state_their_version(journal: Journal, other) -> None:
    assert journal.profile().version == versions.NONE
    journal.save_profile(name="Ana", fitzpatrick=3, based_on=versions.NONE)
    opened = journal.profile()
    journal.save_profile(name="Ana B.", fitzpatrick=3, based_on=opened.version)
    with pytest.raises(Conflict) as raised:
        other.save_profile(name="Ana", fitzpatrick=5, based_on=opened.version)
    assert raised.value.stored.name == "Ana B." and raised.value.attempted["fitzpatrick"] == 5
    merged = merge(profile_fields(opened), raised.value.attempted, profile_fields(raised.value.stored))
    assert merged.clashes == () and merged.result() == {**profile_fields(opened), "name": "Ana B.", "fitzpatrick": 5}
    assert journal.profile().name == "Ana B." and journal.profile().fitzpatrick == 3


def test_treatment_edits_state_their_version(journal: Journal, other) -> None:
    treatment_id = journal.add_treatment(FIXED_DAY, "face", device="Pen", needle_depth_mm=1.0)
    (opened,) = journal.treatments()
    journal.update_treatment(treatment_id, FIXED_DAY, ["face", "neck"], device="Pen", based_on=opened.version)
    with pytest.raises(Conflict) as raised:
        other.update_treatment(treatment_id, FIXED_DAY, "face", device="Dermapen 4", based_on=opened.version)
    merged = merge(treatment_fields(opened), raised.value.attempted, treatment_fields(raised.value.stored))
    result = merged.result()
    assert result["areas"] == ("face", "neck") and result["device"] == "Dermapen 4"
    assert result["needle_depth_mm"] is None  # cleared by A, kept cleared
    (now,) = journal.treatments()
    assert now.areas == ("face", "neck") and now.device == "Pen"


def test_removing_a_treatment_twice_or_editing_a_removed_one_is_named(journal: Journal, other) -> None:
    treatment_id = journal.add_treatment(FIXED_DAY, "face")
    (opened,) = journal.treatments()
    journal.delete_treatment(treatment_id, based_on=opened.version)
    with pytest.raises(NotFound, match="already removed"):
        other.delete_treatment(treatment_id, based_on=opened.version)
    with pytest.raises(Conflict) as raised:
        other.update_treatment(treatment_id, FIXED_DAY, "face", device="x", based_on=opened.version)
    assert raised.value.deleted and "removed in another window" in str(raised.value)
    with pytest.raises(NotFound):
        other.update_treatment(treatment_id, FIXED_DAY, "face", device="x")


def test_deleting_a_day_changed_meanwhile_is_refused(journal: Journal, other) -> None:
    entry_id = journal.save_entry(FIXED_DAY, "face", redness=1)
    opened = journal.entry(FIXED_DAY, "face")
    journal.save_entry(FIXED_DAY, "face", redness=1, notes="important", based_on=opened.version)
    with pytest.raises(Conflict, match="not deleted"):
        other.delete_entry(entry_id, based_on=opened.version)
    assert journal.entry(FIXED_DAY, "face").notes == "important"
    other.delete_entry(entry_id, based_on=journal.entry(FIXED_DAY, "face").version)
    with pytest.raises(NotFound, match="already deleted"):
        journal.delete_entry(entry_id)


def test_an_older_journal_gets_versions_for_its_rows(journal_folder, open_journal) -> None:
    journal_folder.mkdir(parents=True)
    db = Database(journal_folder / DB_NAME)
    migrations.apply(db, stop_before="m005_versions")
    db["entries"].insert({"day": "2026-11-01", "area": "face", "redness": 2, "updated_at": "2026-11-01T10:00:00+00:00"})
    db["profile"].insert({"id": 1, "name": "Old"})
    db.close()
    journal = open_journal()
    old = journal.entry(dt.date(2026, 11, 1), "face")
    assert versions.PATTERN.match(old.version) and versions.PATTERN.match(journal.profile().version)
    with sqlite3.connect(journal.db_path) as connection:
        assert connection.execute("SELECT count(*) FROM drafts").fetchone() == (0,)
