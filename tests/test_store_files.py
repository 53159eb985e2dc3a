"""Photo files on disk: atomic writes, and what a full or read-only disk leaves behind.

Tests run as root, which ignores file permissions, so a full disk or a refused
write is simulated by making the operating system's calls fail (os.fsync,
os.replace, tempfile.mkstemp), never by patching the journal's own code.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest

from healing_journal import Journal, Settings, StorageError
from store.journal import DB_NAME
from store.photos.files import PHOTOS, THUMBS, PhotoFiles
from tests import corpus
from tests.conftest import FIXED_DAY

NOT_OURS = {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal", ".journal.lock"}


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name not in NOT_OURS)


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def failing(exc: OSError, *, after: int = 0):
    """A stand-in for an OS call that works `after` times, then raises `exc`."""

    def install(monkeypatch, module, name):
        real = getattr(module, name)
        calls = {"n": 0}

        def fake(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] > after:
                raise exc
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, fake)
        return calls

    return install


FULL = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
DENIED = OSError(errno.EACCES, os.strerror(errno.EACCES))
READ_ONLY = OSError(errno.EROFS, os.strerror(errno.EROFS))
IO_ERROR = OSError(errno.EIO, os.strerror(errno.EIO))


# --- PhotoFiles alone ------------------------------------------------------------


def test_atomic_write_leaves_only_the_target(tmp_path):
    files = PhotoFiles(tmp_path)
    data = corpus.jpeg()
    relative = files.relative_path(PHOTOS, digest_of(data))
    files.write(relative, data)
    assert (tmp_path / relative).read_bytes() == data
    assert files_under(tmp_path) == [relative]
    assert list(files.stored()) == [relative]
    assert files.exists(relative)


def test_writing_the_same_content_again_does_not_touch_the_disk(tmp_path, monkeypatch):
    files = PhotoFiles(tmp_path)
    data = corpus.jpeg()
    relative = files.relative_path(THUMBS, digest_of(data))
    files.write(relative, data)
    failing(FULL)(monkeypatch, os, "replace")
    files.write(relative, data)  # content-addressed: already there
    assert (tmp_path / relative).read_bytes() == data


@pytest.mark.parametrize(
    "module, call, error, words",
    [
        (os, "fsync", FULL, "full"),
        (os, "replace", FULL, "full"),
        (os, "replace", DENIED, "cannot be written"),
        (os, "replace", READ_ONLY, "cannot be written"),
        (tempfile, "mkstemp", DENIED, "permissions"),
        (os, "fsync", IO_ERROR, os.strerror(errno.EIO)),
    ],
    ids=["fsync-full", "replace-full", "replace-denied", "replace-read-only", "mkstemp-denied", "fsync-io-error"],
)
def test_failed_write_raises_storage_error_and_leaves_nothing(tmp_path, monkeypatch, module, call, error, words):
    files = PhotoFiles(tmp_path)
    data = corpus.jpeg()
    relative = files.relative_path(PHOTOS, digest_of(data))
    failing(error)(monkeypatch, module, call)
    with pytest.raises(StorageError) as caught:
        files.write(relative, data)
    assert words in str(caught.value)
    assert str(tmp_path) in str(caught.value)
    assert isinstance(caught.value.__cause__, OSError)
    assert files_under(tmp_path) == []  # no temporary file, no half-written target


def test_folder_fsync_failure_is_not_an_error(tmp_path, monkeypatch):
    # Some file systems cannot fsync a folder; the file itself is safely written.
    files = PhotoFiles(tmp_path)
    data = corpus.jpeg()
    relative = files.relative_path(PHOTOS, digest_of(data))
    failing(IO_ERROR, after=1)(monkeypatch, os, "fsync")
    files.write(relative, data)
    assert (tmp_path / relative).read_bytes() == data


@pytest.mark.parametrize(
    "kind, digest",
    [
        ("photos", "../../etc/passwd"),
        ("photos", "A" * 64),
        ("photos", "a" * 63),
        ("photos", "a" * 64 + "/x"),
        ("../photos", "a" * 64),
        ("videos", "a" * 64),
    ],
)
def test_only_hash_names_become_paths(tmp_path, kind, digest):
    with pytest.raises(ValueError):
        PhotoFiles(tmp_path).relative_path(kind, digest)


def test_stored_lists_only_hash_named_files_and_leftovers_are_removed(tmp_path):
    files = PhotoFiles(tmp_path)
    good = files.relative_path(PHOTOS, "ab" + "c" * 62)
    (tmp_path / good).parent.mkdir(parents=True)
    (tmp_path / good).write_bytes(b"x")
    (tmp_path / "photos/ab/holiday.jpg").write_bytes(b"x")
    (tmp_path / "photos/ab/.incoming-abc123").write_bytes(b"x")
    (tmp_path / "thumbs/cd").mkdir(parents=True)
    (tmp_path / "thumbs/cd/.incoming-def456").write_bytes(b"x")
    assert list(files.stored()) == [good]
    assert files.remove_leftovers() == 2
    assert files_under(tmp_path) == sorted([good, "photos/ab/holiday.jpg"])


# --- through the journal ---------------------------------------------------------


@pytest.mark.parametrize(
    "module, call, error, after, words",
    [
        (os, "fsync", FULL, 0, "full"),
        (os, "replace", DENIED, 0, "cannot be written"),
        # The photo is written, then the disk fills up while writing its thumbnail.
        (os, "replace", FULL, 1, "full"),
        (tempfile, "mkstemp", READ_ONLY, 1, "cannot be written"),
    ],
    ids=["photo-fsync-full", "photo-replace-denied", "thumb-replace-full", "thumb-mkstemp-read-only"],
)
def test_full_or_read_only_disk_leaves_no_row_and_no_file(
    journal, entry_id, monkeypatch, module, call, error, after, words
):
    journal.add_photo(entry_id, corpus.jpeg(quality=70), "earlier.jpg")
    before = files_under(journal.folder)
    filename, data = corpus.exif_rotated()
    undo = monkeypatch.context()
    with undo as patch:
        failing(error, after=after)(patch, module, call)
        with pytest.raises(StorageError) as caught:
            journal.add_photo(entry_id, data, filename)
    assert words in str(caught.value) and "not saved" in str(caught.value)
    assert [p.source_name for p in journal.photos()] == ["earlier.jpg"]
    assert files_under(journal.folder) == before
    # Once there is room again the same photo goes in (it is not taken for a duplicate).
    photo = journal.photo(journal.add_photo(entry_id, data, filename))
    assert photo.path.is_file() and photo.thumb_path.is_file()


def test_failed_database_insert_removes_the_files_just_written(journal, entry_id):
    before = files_under(journal.folder)
    with sqlite3.connect(journal.folder / DB_NAME) as db:
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON photos BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    with pytest.raises(StorageError):
        journal.add_photo(entry_id, corpus.jpeg(), "a.jpg")
    assert journal.photos() == []
    assert files_under(journal.folder) == before


def test_journal_folder_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    folder = blocker / "journal"
    with pytest.raises(StorageError, match="cannot be created") as caught:
        Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: FIXED_DAY))
    assert str(folder) in str(caught.value)


def test_photo_folder_blocked_by_a_file_gives_storage_error(journal, entry_id):
    data = corpus.jpeg()
    stored = journal.folder / "photos"
    stored.mkdir(exist_ok=True)
    # Whatever the photo's hash, its two-letter folder is taken by a plain file.
    for first in "0123456789abcdef":
        for second in "0123456789abcdef":
            (stored / f"{first}{second}").write_bytes(b"")
    with pytest.raises(StorageError):
        journal.add_photo(entry_id, data, "a.jpg")
    assert journal.photos() == []
    assert not [name for name in files_under(journal.folder) if name.endswith(".jpg")]


def test_damaged_database_file_gives_storage_error(journal_folder, settings):
    journal_folder.mkdir(parents=True)
    (journal_folder / DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="cannot be opened") as caught:
        Journal.open(journal_folder, settings=settings)
    assert str(journal_folder) in str(caught.value)
