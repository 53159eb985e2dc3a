"""Named errors of the journal. Their messages are written for the patient.

The store raises only these (a domain `ValueError` or an SQLite error is
turned into one at the store's boundary); each page shows them in one place
and the CLI prints them as one line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class JournalError(Exception):
    """Base class: anything the journal refuses, with a readable reason."""


class InvalidEntry(JournalError, ValueError):
    """A rating, area, day or field the journal cannot accept."""


class PhotoRejected(JournalError):
    """A file that is not stored as a photo; the message names file and reason."""

    def __init__(self, filename: str, reason: str):
        self.filename = filename
        self.reason = reason
        super().__init__(f"{filename}: {reason}")


class NotFound(JournalError, LookupError):
    """An entry, photo or treatment id that is not in the journal."""


class Conflict(JournalError):
    """A save (or delete) based on a version that is no longer the stored one:
    another window or device changed or deleted the record meanwhile. Nothing
    was written. `stored` is the record as it is now (None: deleted), and
    `attempted` what this save would have written, field by field
    (recovery.edits), so the page can show both and let the patient choose."""

    def __init__(self, message: str, *, stored: Any, attempted: Mapping[str, Any], based_on: str):
        self.stored = stored
        self.attempted = dict(attempted)
        self.based_on = based_on
        super().__init__(message)

    @property
    def deleted(self) -> bool:
        return self.stored is None


class StorageError(JournalError):
    """The data folder cannot be read or written (full disk, no permission, damage)."""


class JournalBusy(StorageError):
    """Another program held the journal locked for longer than we wait."""


class UnsafeFolder(StorageError):
    """A data folder the journal will not use: a symbolic link, or a folder of another
    account that others can write to. The message names the folder and the reason."""


class RestoreRefused(JournalError):
    """A backup that cannot be restored; the message names the problem. Nothing was written."""


class BackupDamaged(RestoreRefused):
    """A backup whose bytes were damaged (a bad disk, a copy cut short) or altered since it
    was made; the message names the part that does not check out."""


class PassphraseNeeded(RestoreRefused):
    """The backup is encrypted and no passphrase was given."""


class WrongPassphrase(RestoreRefused):
    """The passphrase given does not open the backup."""


class WeakPassphrase(JournalError):
    """A passphrase refused for a new backup (too easy to guess, or mistyped); the message says why."""


__all__ = [
    "JournalError",
    "InvalidEntry",
    "PhotoRejected",
    "NotFound",
    "Conflict",
    "StorageError",
    "JournalBusy",
    "UnsafeFolder",
    "RestoreRefused",
    "BackupDamaged",
    "PassphraseNeeded",
    "WrongPassphrase",
    "WeakPassphrase",
]
