"""Who may tidy the data folder.

Every open journal holds a shared lock on a lock file for its lifetime; the
one that opens first, alone, gets the lock exclusively for a moment and may
remove orphan files. A second process (the CLI making a backup while the app
runs) must not delete a photo file that the first has written but not yet
committed.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl

    HAS_LOCKS = True
except ImportError:  # Windows: no advisory locks, tidy every time
    HAS_LOCKS = False


class FolderLock:
    def __init__(self, path: Path):
        self.path = path
        self._handle: int | None = None

    def acquire(self) -> bool:
        """Hold a shared lock; True when nobody else held one (tidying is safe)."""
        if not HAS_LOCKS:
            return True
        self._handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            alone = True
        except BlockingIOError:
            alone = False
        fcntl.flock(self._handle, fcntl.LOCK_SH)
        return alone

    def release(self) -> None:
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None
