"""Healing Journal: the journal, its settings and its errors, for the app and scripts alike.

    from healing_journal import Journal, PhotoRejected
    journal = Journal.open(folder)

`Journal` is the one journal class: persistence (store.journal.JournalStore)
with the README's conveniences: flags, exports and backups (healing_journal.api).
The command line is `python -m healing_journal` (healing_journal.cli).
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
