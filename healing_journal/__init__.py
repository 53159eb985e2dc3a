"""Healing Journal for scripts: the journal, its settings and its errors.

    from healing_journal import Journal, PhotoRejected
    journal = Journal.open(folder)

`Journal` is `store.Journal` (persistence) with the README's conveniences:
flags, exports and backups (see healing_journal.api).
"""

from healing_journal.api import Journal
from healing_journal.workspace import Workspace
from recovery.model import Entry, JournalSnapshot, Photo, Profile, Treatment
from store.errors import (
    BackupDamaged,
    Conflict,
    InvalidEntry,
    JournalBusy,
    JournalError,
    NotFound,
    PassphraseNeeded,
    PhotoRejected,
    RestoreRefused,
    StorageError,
    WeakPassphrase,
    WrongPassphrase,
)
from store.settings import Settings

__all__ = [
    "Journal",
    "Workspace",
    "Settings",
    "Entry",
    "JournalSnapshot",
    "Photo",
    "Profile",
    "Treatment",
    "JournalError",
    "InvalidEntry",
    "PhotoRejected",
    "NotFound",
    "Conflict",
    "StorageError",
    "JournalBusy",
    "RestoreRefused",
    "BackupDamaged",
    "PassphraseNeeded",
    "WrongPassphrase",
    "WeakPassphrase",
]
