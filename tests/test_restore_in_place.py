"""Restoring a backup in place of the current journal, allowed only while it is still empty."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from demo.skin import skin_photo
from store.backup import RestoreRefused, WrongPassphrase, is_empty, restore_into_empty_journal
from tests.journals import reopen

TODAY = dt.date(2026, 11, 24)
PASSPHRASE = "pale morning tide over the salt marsh"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("source") / "journal"
    with reopen(folder, TODAY) as journal:
        journal.save_profile(name="From the backup", fitzpatrick=2)
        journal.add_treatment("2026-11-20", ["neck"])
        entry = journal.save_entry("2026-11-21", "neck", redness=2, notes="restored")
        journal.add_photo(entry, skin_photo(0.4, seed=5, size=(640, 480)), "neck.jpg")
        return journal.backup(passphrase=PASSPHRASE)


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".restore-", ".backup-")))


def test_a_new_journal_is_replaced_profile_and_all(archive: bytes, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    journal = reopen(folder, TODAY)
    journal.save_profile(name="Typed before restoring")  # in the WAL, not yet in the file
    stray = folder / "photos" / "ab" / ("ab" + "0" * 62 + ".jpg")
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"\xff\xd8\xff orphan of a crash")
    assert is_empty(folder)
    summary = restore_into_empty_journal(journal, archive, passphrase=PASSPHRASE)
    assert (summary.entries, summary.photos, summary.treatments) == (1, 1, 1)
    with reopen(folder, TODAY) as reopened:
        assert reopened.profile().name == "From the backup"
        assert [e.notes for e in reopened.entry_list()] == ["restored"]
        assert reopened.photos()[0].path.is_file() and reopened.integrity_check() == "ok"
        assert reopened.open_report.missing_files == []
    assert not stray.exists()
    assert _hidden(folder) == []
    assert not is_empty(folder)


def test_a_journal_with_entries_is_never_replaced(archive: bytes, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    with reopen(folder, TODAY) as journal:
        journal.save_entry("2026-11-22", "face", redness=1, notes="mine")
        with pytest.raises(RestoreRefused, match="already holds"):
            restore_into_empty_journal(journal, archive, passphrase=PASSPHRASE)
        assert [e.notes for e in journal.entry_list()] == ["mine"]  # still open and working
    assert _hidden(folder) == []


def test_refused_while_another_program_has_the_journal_open(archive: bytes, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    journal = reopen(folder, TODAY)
    other = reopen(folder, TODAY)  # as the command line would, during a backup
    try:
        with pytest.raises(RestoreRefused, match="open in another program"):
            restore_into_empty_journal(journal, archive, passphrase=PASSPHRASE)
        assert other.entry_list() == [] and other.profile().name == ""
    finally:
        other.close()
    assert _hidden(folder) == []
    with reopen(folder, TODAY) as reopened:
        assert reopened.entry_list() == []


def test_a_wrong_passphrase_leaves_the_journal_open_and_untouched(archive: bytes, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    with reopen(folder, TODAY) as journal:
        with pytest.raises(WrongPassphrase):
            restore_into_empty_journal(journal, archive, passphrase="pale morning tide over the salt marsH")
        journal.save_entry("2026-11-22", "face", redness=1)  # the journal was not closed
    assert _hidden(folder) == []
