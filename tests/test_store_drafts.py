"""Drafts kept by the journal: unsaved input of a day survives a restart, and goes when saved or discarded."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from healing_journal import Journal
from recovery.edits import entry_fields
from store import versions
from store.errors import InvalidEntry, PhotoRejected
from tests.conftest import FIXED_DAY


def _typed(**changes) -> dict:
    return {**entry_fields(None), **changes}


def test_a_draft_survives_closing_the_journal(journal: Journal, open_journal) -> None:
    journal.keep_draft(FIXED_DAY, "face", fields=_typed(redness=2, notes="half typed"), based_on="", base=_typed())
    journal.close()
    reopened = open_journal()
    draft = reopened.draft(FIXED_DAY, "face")
    assert draft is not None and draft.fields["redness"] == 2 and draft.fields["notes"] == "half typed"
    assert draft.based_on == versions.NONE and draft.changed
    assert draft.updated_at.tzinfo is not None
    assert reopened.draft(FIXED_DAY, "neck") is None
    assert reopened.draft(FIXED_DAY - dt.timedelta(days=1), "face") is None


def test_a_draft_that_changes_nothing_is_not_kept(journal: Journal) -> None:
    journal.keep_draft(FIXED_DAY, "face", fields=_typed(redness=1), based_on="", base=_typed())
    journal.keep_draft(FIXED_DAY, "face", fields=_typed(), based_on="", base=_typed())
    assert journal.draft(FIXED_DAY, "face") is None


def test_saving_the_day_discards_its_draft_in_the_same_transaction(journal: Journal) -> None:
    journal.keep_draft(FIXED_DAY, "face", fields=_typed(redness=3), based_on="", base=_typed())
    journal.keep_draft(FIXED_DAY, "neck", fields=_typed(swelling=1), based_on="", base=_typed())
    journal.save_entry(FIXED_DAY, "face", redness=3, based_on=versions.NONE, discard_draft=True)
    assert journal.draft(FIXED_DAY, "face") is None
    assert journal.draft(FIXED_DAY, "neck") is not None  # per day and area
    journal.save_entry(FIXED_DAY, "neck", swelling=1)  # a script's save leaves the patient's draft alone
    assert journal.draft(FIXED_DAY, "neck") is not None


def test_draft_fields_are_checked_like_typed_input(journal: Journal) -> None:
    with pytest.raises(InvalidEntry, match="outside the scale"):
        journal.keep_draft(FIXED_DAY, "face", fields=_typed(redness=17), based_on="", base=_typed())
    with pytest.raises(InvalidEntry, match="unknown field"):
        journal.keep_draft(FIXED_DAY, "face", fields={"elbow": 1}, based_on="", base=_typed())
    with pytest.raises(InvalidEntry, match="future"):
        journal.keep_draft(FIXED_DAY + dt.timedelta(days=1), "face", fields=_typed(), based_on="", base=_typed())


def test_draft_photos_are_kept_beside_the_journal_and_removed_with_the_draft(journal: Journal, jpeg_bytes) -> None:
    photo = journal.stash_draft_photo(jpeg_bytes, "../../evil name.jpg")
    journal.keep_draft(FIXED_DAY, "face", fields=_typed(), based_on="", base=_typed(), photos=[photo])
    stored = journal.folder / "drafts" / photo.sha256
    assert stored.is_file() and stored.stat().st_mode & 0o077 == 0  # private, named by its hash
    draft = journal.draft(FIXED_DAY, "face")
    assert draft.changed and draft.photos == (photo,) and photo.name == "../../evil name.jpg"
    assert journal.draft_photo(photo) == jpeg_bytes
    journal.discard_draft(FIXED_DAY, "face")
    assert journal.draft(FIXED_DAY, "face") is None and not stored.exists()


def test_a_photo_dropped_from_the_draft_is_removed_and_orphans_go_at_the_next_start(
    journal: Journal, open_journal, jpeg_bytes
) -> None:
    photo = journal.stash_draft_photo(jpeg_bytes, "a.jpg")
    journal.keep_draft(FIXED_DAY, "face", fields=_typed(redness=1), based_on="", base=_typed(), photos=[photo])
    journal.keep_draft(FIXED_DAY, "face", fields=_typed(redness=1), based_on="", base=_typed(), photos=[])
    assert not (journal.folder / "drafts" / photo.sha256).exists()
    orphan = journal.stash_draft_photo(b"bytes of a killed run", "b.jpg")  # the row never came
    journal.close()
    open_journal()
    assert not (journal.folder / "drafts" / orphan.sha256).exists()


def test_a_draft_photo_is_bounded(journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("store.photos.imaging.MAX_PHOTO_MB", 1)
    with pytest.raises(PhotoRejected, match="larger than 1 MB"):
        journal.stash_draft_photo(bytes(2 * 2**20), "big.jpg")
    assert not (journal.folder / "drafts").exists() or not any((journal.folder / "drafts").iterdir())


def test_a_draft_row_not_written_by_the_app_is_ignored(journal: Journal) -> None:
    with sqlite3.connect(journal.db_path) as db:
        db.execute(
            "INSERT INTO drafts (day, area, fields, base, updated_at) VALUES (?, 'face', '{\"redness\": 9}', '{}', ?)",
            [FIXED_DAY.isoformat(), "2026-11-24T10:00:00+00:00"],
        )
    assert journal.draft(FIXED_DAY, "face") is None
