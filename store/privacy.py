"""The journal's files are the patient's alone: folders 0700, files 0600.

Health photos and notes must not be readable by another account on the same
computer, whatever umask the patient has. Only the journal's own files are
touched (the folder, the database with its -wal/-shm/-journal companions, the
lock and state files, and the photos/, thumbs/ and drafts/ trees), never
anything else a folder named by JOURNAL_DATA_DIR may hold.

Before the journal opens a folder, `check_data_folder` refuses one that is a
symbolic link (it may point anywhere, and tightening never follows links) or
one that another account owns and others can write to (whoever owns it could
read or swap the journal's files); a folder of ours that is merely too open
is tightened, and `too_open` lets the caller say so.

Windows has no POSIX modes (os.chmod only sets read-only there); the per-user
data folder under %LOCALAPPDATA% is private to the account by its ACLs, so
these functions do nothing on it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from store.atomic import write_atomic
from store.errors import UnsafeFolder

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
HAS_MODES = os.name == "posix"
# Files the journal keeps directly in its folder (besides the database).
DB_SUFFIXES = ("", "-wal", "-shm", "-journal")
# Trees of content-addressed files: photos/ab/<hash>.jpg, thumbs/ab/<hash>.jpg, drafts/<hash>.
FILE_TREES = ("photos", "thumbs", "drafts")
# Group and others may write: whoever owns such a folder is not alone in it.
_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH
_OPEN_TO_OTHERS = 0o077


def check_data_folder(path: Path) -> None:
    """Refuse a data folder that is a symbolic link, or that another account owns and others can write to.

    A missing folder is fine (it is made private). Raises UnsafeFolder naming the folder and the reason.
    """
    try:
        info = path.lstat()
    except OSError:
        return  # missing (it is made private), or unreachable (making it says why)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeFolder(
            f"The journal folder {path} is a symbolic link (to {os.readlink(path)}), so the journal does not use it: "
            "a link can lead to a folder other accounts control. Name the real folder instead."
        )
    if HAS_MODES and stat.S_ISDIR(info.st_mode) and _foreign_and_writable(info):
        raise UnsafeFolder(
            f"The journal folder {path} belongs to another account (user id {info.st_uid}) and is writable "
            f"by other accounts (permissions {stat.S_IMODE(info.st_mode):04o}), so the journal does not use it. "
            "Use a folder of your own."
        )


def _foreign_and_writable(info: os.stat_result) -> bool:
    return info.st_uid != os.geteuid() and bool(info.st_mode & _WRITABLE_BY_OTHERS)


def too_open(path: Path) -> int | None:
    """The mode of an existing folder (not a link) that other accounts may use, else None."""
    if not HAS_MODES:
        return None
    try:
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or not info.st_mode & _OPEN_TO_OTHERS:
        return None
    return stat.S_IMODE(info.st_mode)


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
    write_atomic(path, data)
    private_file(path)


def journal_files(folder: Path, own_files: tuple[str, ...]) -> Iterator[tuple[Path, int]]:
    """Every journal file and folder under `folder` with the mode it should have."""
    yield folder, PRIVATE_FOLDER
    for name in own_files:
        yield folder / name, PRIVATE_FILE
    for tree in FILE_TREES:
        yield from _tree(folder / tree, depth=2)


def _tree(root: Path, depth: int) -> Iterator[tuple[Path, int]]:
    """A folder, its sub-folders down to `depth` levels and their files; links are skipped."""
    if root.is_symlink() or not root.is_dir():
        return
    yield root, PRIVATE_FOLDER
    for item in root.iterdir():
        if item.is_symlink():
            continue
        if item.is_file():
            yield item, PRIVATE_FILE
        elif item.is_dir() and depth > 1:
            yield from _tree(item, depth - 1)


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
