"""The journal on the patient's computer: SQLite database and photo files.

    from store import Journal, PhotoRejected
    journal = Journal.open(folder)
"""

from store.errors import InvalidEntry, JournalError, NotFound, PhotoRejected, StorageError
from store.journal import Journal, Photo
from store.settings import Settings

__all__ = [
    "Journal",
    "Photo",
    "Settings",
    "JournalError",
    "InvalidEntry",
    "PhotoRejected",
    "NotFound",
    "StorageError",
]
