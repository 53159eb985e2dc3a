"""Restoring a backup: into a new or empty folder, or in place of the current, still empty journal.

Either way the archive is unpacked into a hidden `.restore-*` folder (see
store.leftovers) on the same disk as the target, every archive and data check
runs there (store.backup.read, store.backup.restore_checks), and only then does the
result move into place with renames. On any refusal or failure nothing is
left behind, and a killed restore leaves only the `.restore-*` folder, which
the next start of the journal removes.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from recovery.language import _
from store import leftovers
from store.atomic import fsync_folder
from store.backup.format import DB_MEMBER, DEMO_MEMBER
from store.backup.read import Source, checked_members, extract, open_archive, source_file
from store.backup.restore_checks import check_database
from store.errors import RestoreRefused, StorageError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from store.journal import JournalStore

LOCK_NAME = ".journal.lock"  # == the lock file of store.journal.JournalStore
PHOTO_FOLDERS = ("photos", "thumbs")
UNPACKED = "journal"
# Room to spare on the disk beyond the unpacked backup.
SPACE_MARGIN = 50 * 1024 * 1024


_COUNTED = ("entries", "photos", "treatments")  # RestoreSummary's fields, in order


@dataclass(frozen=True)
class RestoreSummary:
    entries: int
    photos: int
    treatments: int


# --- into a new or empty folder --------------------------------------------------------


def restore(
    source: Source, folder: Path | str, *, passphrase: str | None = None, today: dt.date | None = None
) -> RestoreSummary:
    """Restore a backup's files into `folder`, which must be empty or missing; open it
    as a journal afterwards. `today` bounds the days the backup may hold."""
    target = Path(folder).expanduser().absolute()
    _require_empty(target)
    created = _make_parents(target.parent)
    placed = False
    try:
        leftovers.remove_abandoned_restores(target.parent)
        with source_file(source) as (handle, size), leftovers.restore_in_progress(target.parent) as staging:
            unpacked = staging / UNPACKED
            summary = _unpack(handle, size, passphrase, unpacked, today or dt.date.today())
            _move_into_place(unpacked, target)
            placed = True
    except OSError as exc:
        raise StorageError(f"The backup could not be restored into {target}: {exc.strerror or exc}.") from exc
    finally:
        if not placed:
            for parent in created:
                _remove_if_empty(parent)
    return summary


def _require_empty(target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise RestoreRefused(_("{path} is not a folder; choose an empty folder to restore into.").format(path=target))
    if target.exists() and any(target.iterdir()):
        raise RestoreRefused(
            _("The folder {path} is not empty; restore only into an empty or new folder.").format(path=target)
        )


def _make_parents(parent: Path) -> list[Path]:
    """Create the missing parent folders; returns them, deepest first, to undo on failure."""
    missing = [p for p in [parent, *parent.parents] if not p.exists()]
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"The folder {parent} cannot be created: {exc.strerror or exc}.") from exc
    return missing


def _remove_if_empty(path: Path) -> None:
    try:
        path.rmdir()
    except OSError:
        pass  # not empty, or someone else's: leave it


def _move_into_place(unpacked: Path, target: Path) -> None:
    if target.exists():
        target.rmdir()  # checked empty before; fails (and aborts) if something appeared since
    os.rename(unpacked, target)
    fsync_folder(target.parent)


# --- in place of an empty journal ------------------------------------------------------


def is_empty(folder: Path) -> bool:
    """Whether the journal in `folder` has no treatment, entry or photo (a new journal)."""
    db_path = folder / DB_MEMBER
    if not db_path.exists():
        return True
    db = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        (found,) = db.execute(
            "SELECT EXISTS (SELECT 1 FROM treatments) OR EXISTS (SELECT 1 FROM entries) "
            "OR EXISTS (SELECT 1 FROM photos)"
        ).fetchone()
    except sqlite3.Error as exc:
        raise StorageError(f"The journal in {folder} cannot be read: {exc}.") from exc
    finally:
        db.close()
    return not found


def restore_into_empty_journal(
    journal: JournalStore, source: Source, *, passphrase: str | None = None
) -> RestoreSummary:
    """Replace the current journal, which must hold no treatment, entry or photo, by a backup.

    `journal` is closed (all its connections); open the folder again afterwards.
    The profile and measuring regions of the empty journal are replaced too.
    """
    folder = journal.folder.absolute()
    if not is_empty(folder):
        raise RestoreRefused(
            _(
                "This journal already holds treatments, entries or photos: a backup only replaces a journal "
                "that is still empty. Restore it into a new folder instead."
            )
        )
    try:
        with source_file(source) as (handle, size), leftovers.restore_in_progress(folder) as staging:
            unpacked = staging / UNPACKED
            summary = _unpack(handle, size, passphrase, unpacked, journal.today())
            journal.close()
            with _alone_in(folder):
                if not is_empty(folder):  # something was saved meanwhile: keep it
                    raise RestoreRefused(
                        _(
                            "Something was saved in this journal while the backup was being checked; "
                            "it is no longer empty, so it was left as it is."
                        )
                    )
                _swap_in(unpacked, folder)
    except OSError as exc:
        raise StorageError(f"The backup could not be restored into {folder}: {exc.strerror or exc}.") from exc
    return summary


@contextmanager
def _alone_in(folder: Path) -> Iterator[None]:
    """Exclusive use of the journal folder: no other program (a command-line backup, a
    second app) may have it open while its files are swapped."""
    if fcntl is None:
        yield
        return
    handle = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RestoreRefused(
                _(
                    "The journal is open in another program (the app in another window, or a backup or "
                    "import from the command line). Close it, then restore again."
                )
            ) from None
        yield
    finally:
        os.close(handle)


def _swap_in(unpacked: Path, folder: Path) -> None:
    """Move the checked backup into the journal folder; the database last.

    Renaming the database over the old one is the moment the restore happens:
    killed before it, the folder still holds the old, empty database, and the
    photos already moved are orphans the next start removes (the old journal had
    no photos, so nothing of the patient's is among them)."""
    for kind in PHOTO_FOLDERS:
        shutil.rmtree(folder / kind, ignore_errors=True)
        if (unpacked / kind).is_dir():
            os.rename(unpacked / kind, folder / kind)
    if (unpacked / DEMO_MEMBER).is_file():
        os.replace(unpacked / DEMO_MEMBER, folder / DEMO_MEMBER)
    else:
        (folder / DEMO_MEMBER).unlink(missing_ok=True)
    _fold_wal(folder / DB_MEMBER)
    os.replace(unpacked / DB_MEMBER, folder / DB_MEMBER)
    fsync_folder(folder)


def _fold_wal(db_path: Path) -> None:
    """Write any WAL content into the old database and remove its sidecars: a stale WAL
    beside the new database would be replayed into it."""
    if db_path.exists():
        db = sqlite3.connect(db_path)
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)


# --- shared ---------------------------------------------------------------------------


def _unpack(handle: IO[bytes], size: int, passphrase: str | None, unpacked: Path, today: dt.date) -> RestoreSummary:
    """Unpack and check the backup into `unpacked` (a new folder); RestoreRefused on any problem."""
    with open_archive(handle, passphrase) as archive:
        members = checked_members(archive, size)
        _require_space(unpacked.parent, sum(member.size for member in members))
        unpacked.mkdir(mode=0o700)
        for member in members:
            extract(archive, member, unpacked)
    check_database(unpacked, today)
    return _summary(unpacked / DB_MEMBER)


def _require_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if free < needed + SPACE_MARGIN:
        raise StorageError(
            f"The disk holding {folder} has {free / 2**20:.0f} MB free; the backup needs "
            f"{(needed + SPACE_MARGIN) / 2**20:.0f} MB. Free some space and try again."
        )


def _summary(db_path: Path) -> RestoreSummary:
    db = sqlite3.connect(db_path)
    try:
        counts = [db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in _COUNTED]
    finally:
        db.close()
    return RestoreSummary(*counts)
