"""The journal's files are the patient's alone: folders 0700, files 0600.

Health photos and notes must not be readable by another account on the same
computer, whatever umask the patient has. Only the journal's own files are
touched (the folder, the database with its -wal/-shm/-journal companions, the
lock and state files, and the photos/ and thumbs/ trees), never anything else
a folder named by JOURNAL_DATA_DIR may hold.

Windows has no POSIX modes (os.chmod only sets read-only there); the per-user
data folder under %LOCALAPPDATA% is private to the account by its ACLs, so
these functions do nothing on it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
HAS_MODES = os.name == "posix"
# Files the journal keeps directly in its folder (besides the database).
DB_SUFFIXES = ("", "-wal", "-shm", "-journal")
PHOTO_TREES = ("photos", "thumbs")


def private_folder(path: Path) -> None:
    """Create `path` (and missing parents) as 0700; an existing folder is tightened."""
    missing: list[Path] = []
    current = path
    while not current.is_dir() and current.parent != current:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            if not folder.is_dir():
                raise  # a plain file where a folder belongs
            # else made meanwhile by another thread or process
    _tighten(path, PRIVATE_FOLDER)


def private_file(path: Path) -> None:
    """Make an existing file 0600 (a missing one is left missing)."""
    _tighten(path, PRIVATE_FILE)


def write_private(path: Path, data: bytes) -> None:
    """Write a small file atomically, readable only by the patient from its first byte."""
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mkstemp: 0600
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    private_file(path)


def journal_files(folder: Path, own_files: tuple[str, ...]) -> Iterator[tuple[Path, int]]:
    """Every journal file and folder under `folder` with the mode it should have."""
    yield folder, PRIVATE_FOLDER
    for name in own_files:
        yield folder / name, PRIVATE_FILE
    for tree in PHOTO_TREES:
        root = folder / tree
        if not root.is_dir() or root.is_symlink():
            continue
        yield root, PRIVATE_FOLDER
        for sub in root.iterdir():
            if sub.is_dir() and not sub.is_symlink():
                yield sub, PRIVATE_FOLDER
                for item in sub.iterdir():
                    if item.is_file() and not item.is_symlink():
                        yield item, PRIVATE_FILE


def tighten_journal(folder: Path, db_name: str, other_files: tuple[str, ...] = ()) -> int:
    """Give an existing journal folder private modes; returns how many modes were changed."""
    if not HAS_MODES:
        return 0
    own = tuple(db_name + suffix for suffix in DB_SUFFIXES) + other_files
    return sum(_tighten(path, mode) for path, mode in journal_files(folder, own))


def _tighten(path: Path, mode: int) -> bool:
    """chmod when the mode differs; True if it changed. Symlinks are never followed."""
    if not HAS_MODES:
        return False
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(info.st_mode) or stat.S_IMODE(info.st_mode) == mode:
        return False
    os.chmod(path, mode)
    return True
