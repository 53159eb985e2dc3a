"""The share record (issue 22): each file handed to someone is kept with its day,
recipient, what it held and the SHA-256 of its bytes; it survives a backup and restore,
and an older journal gains the table once."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlite_utils import Database

from healing_journal import Journal, Settings
from recovery.vocabulary import ShareKind
from store.errors import InvalidEntry
from store.journal import DB_NAME
from store.schema import migrations
from tests.journals import reopen

TODAY = dt.date(2026, 12, 6)
PASSPHRASE = "seven quiet lanterns drift home"
CSV = b"day,area,redness\n2026-12-01,face,3\n"


def test_a_share_is_read_back_with_its_digest_and_day(tmp_path: Path) -> None:
    with reopen(tmp_path / "j", TODAY) as journal:
        share_id = journal.record_share("csv", "Dr. Lee, dermatology clinic", "Face · 01 Dec 2026 · no photos", CSV)
        shares = journal.snapshot().shares
    assert [(s.id, s.day, s.kind, s.recipient, s.included) for s in shares] == [
        (share_id, TODAY, ShareKind.CSV, "Dr. Lee, dermatology clinic", "Face · 01 Dec 2026 · no photos")
    ]
    assert shares[0].sha256 == hashlib.sha256(CSV).hexdigest()
    assert shares[0].version


def test_the_recipient_is_optional_and_text_stays_text(tmp_path: Path) -> None:
    with reopen(tmp_path / "j", TODAY) as journal:
        journal.record_share(ShareKind.PDF, "", "Face", b"%PDF")
        journal.record_share(ShareKind.FHIR, "  **Dr** <b>X</b>  ", "Neck", b"{}")
        shares = journal.snapshot().shares
    assert [s.recipient for s in shares] == ["", "**Dr** <b>X</b>"]


def test_an_unknown_kind_or_an_overlong_text_is_refused(tmp_path: Path) -> None:
    with reopen(tmp_path / "j", TODAY) as journal:
        with pytest.raises(InvalidEntry, match="'fax'"):
            journal.record_share("fax", "Dr. Lee", "Face", CSV)
        with pytest.raises(InvalidEntry, match="recipient"):
            journal.record_share("csv", "x" * 6000, "Face", CSV)
        assert journal.snapshot().shares == ()


def test_recording_a_share_leaves_the_revision_of_the_journal_alone(tmp_path: Path) -> None:
    # A file prepared on Export is offered while the revision holds: recording its share
    # must not make it look out of date; the snapshot still shows the new share.
    with reopen(tmp_path / "j", TODAY) as journal:
        journal.save_entry(TODAY, "face", redness=2)
        before = journal.snapshot()
        journal.record_share("csv", "Dr. Lee", "Face", CSV)
        after = journal.snapshot()
    assert after.revision == before.revision
    assert len(after.shares) == 1 and before.shares == ()


def test_share_record_survives_backup_and_restore(tmp_path: Path) -> None:
    with reopen(tmp_path / "source", TODAY) as source:
        source.record_share("dicom", "City hospital PACS", "Face · 3 photos", b"DICM")
        data = source.backup(passphrase=PASSPHRASE)
    folder = tmp_path / "target"
    settings = Settings(data_dir=folder, today=lambda: TODAY)
    with Journal.restore(data, folder, settings=settings, passphrase=PASSPHRASE) as target:
        shares = target.snapshot().shares
    assert [(s.kind, s.recipient, s.included, s.sha256) for s in shares] == [
        (ShareKind.DICOM, "City hospital PACS", "Face · 3 photos", hashlib.sha256(b"DICM").hexdigest())
    ]


def test_an_older_journal_gains_the_table_once(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    db = Database(folder / DB_NAME)
    migrations.apply(db, stop_before="m008_shares")
    assert "shares" not in db.table_names()
    db.close()
    with reopen(folder, TODAY) as journal:
        assert journal.snapshot().shares == ()
        journal.record_share("csv", "", "Face", CSV)
    with reopen(folder, TODAY) as journal:  # reopening runs nothing again, and keeps the row
        applied = [m.name for m in migrations.applied(Database(journal.db_path))]
        assert applied.count("m008_shares") == 1
        assert len(journal.snapshot().shares) == 1
