"""The journal on the patient's computer: SQLite database and photo files.

    from store import Journal, PhotoRejected
    journal = Journal.open(folder)

The names below load on first use, so that importing a light submodule (such
as store.settings in the launcher) does not pull in SQLite and pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Journal": "store.journal",
    "Photo": "store.journal",
    "Settings": "store.settings",
    "JournalError": "store.errors",
    "InvalidEntry": "store.errors",
    "PhotoRejected": "store.errors",
    "NotFound": "store.errors",
    "StorageError": "store.errors",
}

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

if TYPE_CHECKING:
    from store.errors import InvalidEntry, JournalError, NotFound, PhotoRejected, StorageError
    from store.journal import Journal, Photo
    from store.settings import Settings


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # later look-ups skip this function
    return value
