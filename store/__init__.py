"""The journal on the patient's computer: SQLite database and photo files.

    from store import JournalStore, PhotoRejected

Persistence only: opening, writing, photos, measuring regions, and reading
the whole journal as a typed snapshot (`JournalStore.snapshot()`). The app
and scripts open `healing_journal.Journal`, which builds on it. The names below
load on first use, so that importing a light submodule (such as
store.settings in the launcher) does not pull in SQLite and Pillow.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "JournalStore": "store.journal",
    "Settings": "store.settings",
    "JournalError": "store.errors",
    "InvalidEntry": "store.errors",
    "PhotoRejected": "store.errors",
    "NotFound": "store.errors",
    "Conflict": "store.errors",
    "StorageError": "store.errors",
    "JournalBusy": "store.errors",
    "RestoreRefused": "store.errors",
}

__all__ = [
    "JournalStore",
    "Settings",
    "JournalError",
    "InvalidEntry",
    "PhotoRejected",
    "NotFound",
    "Conflict",
    "StorageError",
    "JournalBusy",
    "RestoreRefused",
]

if TYPE_CHECKING:
    from store.errors import (
        Conflict,
        InvalidEntry,
        JournalBusy,
        JournalError,
        NotFound,
        PhotoRejected,
        RestoreRefused,
        StorageError,
    )
    from store.journal import JournalStore
    from store.settings import Settings


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # later look-ups skip this function
    return value
