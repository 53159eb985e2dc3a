"""One-file backups of the journal, and restoring them safely.

A backup is a ZIP holding a consistent copy of the database (taken with
SQLite's online-backup API, so a write in progress in the app is either wholly
in or wholly out), every photo and thumbnail the copy refers to, and
manifest.json with the size and SHA-256 of every member. With a passphrase it
is an AES-256 ZIP (WinZip AE-2) that common archivers open; without one, a
plain ZIP.

Backups and restores stream through files in 1 MB chunks, so memory stays flat
however large the journal (benchmarks/backup.py):

- store.backup.write: the snapshot and the archive (`write_backup_file`,
  `write_backup` to a file object);
- store.backup.read: the archive as untrusted input (names, sizes, manifest,
  passphrase, hashes);
- store.backup.restore_checks: the data inside it (schema, values, references, photo files);
- store.backup.restoring: into a new folder, or in place of an empty journal;
- store.leftovers: what a killed backup or restore leaves, removed at the next start.

This module keeps the entry points and the in-memory conveniences for small uses.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from store.backup.format import DB_MEMBER, DEMO_MEMBER, FORMAT_VERSION, MANIFEST, WeakPassphrase, check_new_passphrase
from store.backup.read import BackupInfo, Source, inspect
from store.backup.restoring import RestoreSummary, is_empty, restore, restore_into_empty_journal
from store.backup.write import BackupExists, BackupSummary, estimated_size, write_backup, write_backup_file
from store.errors import PassphraseNeeded, RestoreRefused, WrongPassphrase

if TYPE_CHECKING:
    from store.journal import JournalStore

__all__ = [
    "DB_MEMBER",
    "DEMO_MEMBER",
    "FORMAT_VERSION",
    "MANIFEST",
    "BackupExists",
    "BackupInfo",
    "BackupSummary",
    "PassphraseNeeded",
    "RestoreRefused",
    "RestoreSummary",
    "Source",
    "WeakPassphrase",
    "WrongPassphrase",
    "backup",
    "check_new_passphrase",
    "estimated_size",
    "inspect",
    "is_empty",
    "restore",
    "restore_into_empty_journal",
    "write_backup",
    "write_backup_file",
]


def backup(journal: JournalStore, *, passphrase: str | None = None) -> bytes:
    """The whole journal as the bytes of one ZIP file: for small journals and tests.
    The page and the command line write large backups to a file (write_backup_file)."""
    buffer = io.BytesIO()
    write_backup(journal.folder, buffer, passphrase=passphrase)
    return buffer.getvalue()
