"""Work in progress that a killed backup or restore leaves behind, and its removal.

A backup keeps its database snapshot in the journal folder
(`.backup-<token>.sqlite3`) and writes its ZIP beside the destination as
`.<name>.<token>.partial` until it is complete. A restore unpacks into a
`.restore-<token>` folder beside its target (inside the journal folder when it
replaces an empty journal). While it runs, each holds an exclusive lock on a
marker file of its own: the kernel drops that lock when the process ends,
however it ends (SIGKILL, power cut), so the next start of the journal can tell
an abandoned leftover from work another process is still doing, and remove
only the former.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; leftovers are judged by age
    fcntl = None  # type: ignore[assignment]

BACKUP_PREFIX = ".backup-"
RESTORE_PREFIX = ".restore-"
# Inside a restore folder; it carries the lock of the process restoring.
RESTORE_MARKER = ".restore-in-progress"
_TOKEN = r"[0-9a-f]{16}"
_BACKUP_FILE = re.compile(rf"^\.backup-({_TOKEN})(\..+)?$")
_RESTORE_FOLDER = re.compile(rf"^\.restore-({_TOKEN})$")
# Restores of earlier versions used tempfile.mkdtemp(prefix=".restore-") and no marker.
_OLD_RESTORE_FOLDER = re.compile(r"^\.restore-[a-z0-9_]{8}$")
_OLD_RESTORE_CONTENT = {"journal.sqlite3", "DEMO-JOURNAL.txt", "photos", "thumbs"}
# Without locks (Windows), only leftovers this old are taken for abandoned.
_UNLOCKED_AGE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Leftover:
    """Something an interrupted backup or restore left, removed at the journal's start."""

    kind: str  # "backup" or "restore"
    path: Path
    size: int

    def describe(self) -> str:
        what = "an interrupted backup" if self.kind == "backup" else "an interrupted restore"
        return f"{what} ({_megabytes(self.size)}, {self.path})"


def describe(leftovers: list[Leftover]) -> str:
    """One sentence for the patient about what was removed."""
    backups = sum(1 for item in leftovers if item.kind == "backup")
    restores = len(leftovers) - backups
    parts = []
    if backups:
        parts.append(f"{backups} interrupted backup{'s' if backups > 1 else ''}")
    if restores:
        parts.append(f"{restores} interrupted restore{'s' if restores > 1 else ''}")
    freed = _megabytes(sum(item.size for item in leftovers))
    return (
        f"Unfinished files of {' and '.join(parts)} were found and removed ({freed} freed). "
        "Your journal was not affected; if you still need that backup or restore, do it again."
    )


# --- marking work in progress ------------------------------------------------------


@dataclass(frozen=True)
class BackupWork:
    """Where one backup keeps its temporary files."""

    snapshot: Path  # the database copy, in the journal folder
    partial: Path | None  # the ZIP being written, beside its destination


@contextmanager
def backup_in_progress(folder: Path, destination: Path | None) -> Iterator[BackupWork]:
    """Temporary names for one backup, locked while it runs and removed after it, however it ends."""
    token = secrets.token_hex(8)
    partial = destination.parent / f".{destination.name}.{token}.partial" if destination is not None else None
    lock = _hold(folder / f"{BACKUP_PREFIX}{token}.lock", {"partial": str(partial) if partial else None})
    work = BackupWork(snapshot=folder / f"{BACKUP_PREFIX}{token}.sqlite3", partial=partial)
    try:
        yield work
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)
        for path in folder.glob(f"{BACKUP_PREFIX}{token}.*"):
            path.unlink(missing_ok=True)
        os.close(lock)


@contextmanager
def restore_in_progress(parent: Path) -> Iterator[Path]:
    """A new `.restore-<token>` folder in `parent`, locked while the restore runs and removed after it."""
    staging = parent / f"{RESTORE_PREFIX}{secrets.token_hex(8)}"
    staging.mkdir(mode=0o700)
    try:
        lock = _hold(staging / RESTORE_MARKER, {"pid": os.getpid()})
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        os.close(lock)


def _hold(path: Path, record: dict[str, object]) -> int:
    """Create `path` already locked: the lock is taken on a temporary name first,
    so no other process ever sees the marker unlocked."""
    temp = path.with_name(f"{path.name}.{secrets.token_hex(4)}.new")
    handle = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        os.write(handle, json.dumps(record).encode())
        os.rename(temp, path)
    except BaseException:
        os.close(handle)
        temp.unlink(missing_ok=True)
        raise
    return handle


# --- removing what was abandoned -----------------------------------------------------


def remove_abandoned(folder: Path) -> list[Leftover]:
    """Remove the leftovers of killed backups and restores of the journal in `folder`.

    Looks in the folder itself (snapshots, in-place restores) and beside it
    (restores into a new folder next to this one, the page's default), and
    never touches work that a running process still holds.
    """
    removed = _remove_backups(folder)
    for place in (folder, folder.parent):
        removed += remove_abandoned_restores(place)
    return removed


def _remove_backups(folder: Path) -> list[Leftover]:
    tokens = {match.group(1) for match in map(_BACKUP_FILE.match, _names(folder)) if match}
    removed = []
    for token in sorted(tokens):
        lock = folder / f"{BACKUP_PREFIX}{token}.lock"
        with _abandoned(lock) as abandoned:
            if not abandoned:
                continue
            files = [folder / name for name in _names(folder) if (m := _BACKUP_FILE.match(name)) and m[1] == token]
            partial = _partial_of(lock, token)
            size = sum(_size(path) for path in [*files, *([partial] if partial else [])])
            if partial is not None:
                partial.unlink(missing_ok=True)
            for path in files:
                if path != lock:
                    path.unlink(missing_ok=True)
            lock.unlink(missing_ok=True)  # last: it held the lock during the removal
            removed.append(Leftover("backup", partial or folder / f"{BACKUP_PREFIX}{token}.sqlite3", size))
    return removed


def _partial_of(lock: Path, token: str) -> Path | None:
    """The unfinished ZIP a backup recorded, only if its name is one a backup gives."""
    try:
        recorded = json.loads(lock.read_text()).get("partial")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(recorded, str):
        return None
    partial = Path(recorded)
    if not re.fullmatch(rf"\..+\.{token}\.partial", partial.name) or not partial.is_file() or partial.is_symlink():
        return None
    return partial


def remove_abandoned_restores(place: Path) -> list[Leftover]:
    """Remove the `.restore-*` folders that killed restores left in `place`."""
    removed = []
    for name in _names(place):
        folder = place / name
        if not folder.is_dir() or folder.is_symlink():
            continue
        if _RESTORE_FOLDER.match(name) and (folder / RESTORE_MARKER).is_file():
            with _abandoned(folder / RESTORE_MARKER) as abandoned:
                if abandoned:
                    removed.append(Leftover("restore", folder, _tree_size(folder)))
                    shutil.rmtree(folder, ignore_errors=True)
        elif _OLD_RESTORE_FOLDER.match(name) and _looks_like_old_restore(folder):
            removed.append(Leftover("restore", folder, _tree_size(folder)))
            shutil.rmtree(folder, ignore_errors=True)
    return removed


def _looks_like_old_restore(folder: Path) -> bool:
    names = set(_names(folder))
    return "journal.sqlite3" in names and names <= _OLD_RESTORE_CONTENT and _old_enough(folder / "journal.sqlite3")


@contextmanager
def _abandoned(marker: Path) -> Iterator[bool]:
    """Whether no running process holds `marker`; while True, this process holds it."""
    if fcntl is None:
        yield not marker.exists() or _old_enough(marker)
        return
    try:
        handle = os.open(marker, os.O_RDWR)
    except FileNotFoundError:
        yield True  # killed before the marker existed, or after it was removed
        return
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(handle)


def _old_enough(path: Path) -> bool:
    if fcntl is not None:
        return True
    try:
        return time.time() - path.stat().st_mtime > _UNLOCKED_AGE_SECONDS
    except OSError:
        return False


def _names(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


def _size(path: Path) -> int:
    with suppress(OSError):
        return path.stat().st_size
    return 0


def _tree_size(folder: Path) -> int:
    return sum(_size(path) for path in folder.rglob("*") if path.is_file())


def _megabytes(count: int) -> str:
    return f"{count / 2**20:.1f} MB" if count >= 2**20 else f"{max(1, round(count / 1024))} KB"
