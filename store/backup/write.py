"""Writing a backup: a consistent copy of the database and the photo files, streamed into one ZIP.

Nothing is held whole in memory: the database is copied with SQLite's
online-backup API into a hidden `.backup-*` file in the journal folder (see
store.leftovers), then every member is copied into the archive in 1 MB chunks,
hashed on the way for the manifest. The archive goes straight to a file (or a
binary file object); a file is written under a hidden `.partial` name beside
its destination and renamed only once complete.

With a passphrase every member, manifest included, is encrypted with AES-256
in the WinZip AE-2 format, which 7-Zip, Keka, WinZip and macOS's Archive
Utility-compatible tools open. Member names are the database's fixed name and
content hashes, and every member carries the same fixed timestamp, so the
listing an archiver shows without the passphrase reveals neither names nor
dates; only the number and sizes of the files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from recovery.language import N_
from signing.manifest import PhotoRef, photos_digest
from store import leftovers
from store.atomic import replacing
from store.backup.format import (
    APP_NAME,
    DB_MEMBER,
    DEMO_MEMBER,
    DEMO_NOTE,
    FORMAT_VERSION,
    MANIFEST,
    MEMBER_TIME,
    PHOTO_MEMBER,
    check_new_passphrase,
    passphrase_bytes,
)
from store.errors import JournalError, StorageError
from store.signing_key import signer_for

CHUNK = 1024 * 1024
COUNTED_TABLES = ("entries", "photos", "treatments")
Progress = Callable[[int, int], None]  # (bytes done, bytes in all)


class BackupExists(JournalError):
    """The backup file to write already exists."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, for the message after it."""

    entries: int
    photos: int
    treatments: int
    encrypted: bool
    size: int  # bytes of the archive
    left_out: tuple[str, ...] = ()  # photo files that were missing or damaged on disk


@dataclass(frozen=True)
class _PhotoFiles:
    path: str
    thumb_path: str
    sha256: str


def write_backup_file(
    folder: Path,
    destination: Path,
    *,
    passphrase: str | None,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> BackupSummary:
    """Write a backup of the journal in `folder` to the file `destination`, atomically."""
    _check_passphrase(passphrase)
    destination = destination.expanduser().absolute()
    if destination.exists() and not overwrite:
        raise BackupExists(f"{destination} already exists; choose another name.")
    if not destination.parent.is_dir():
        raise StorageError(f"The folder {destination.parent} does not exist; choose a folder that does.")
    with leftovers.backup_in_progress(folder, destination) as work:
        assert work.partial is not None
        try:
            # Private to the patient from the first byte: it holds their health data.
            with replacing(destination, temp=work.partial) as out:
                summary = _write(folder, work.snapshot, out, passphrase, progress)
        except OSError as exc:
            raise StorageError(f"The backup could not be written to {destination}: {exc.strerror or exc}.") from exc
    return summary


def write_backup(
    folder: Path, out: IO[bytes], *, passphrase: str | None, progress: Progress | None = None
) -> BackupSummary:
    """Write a backup of the journal in `folder` to a binary file object (seekable or not, e.g. stdout)."""
    _check_passphrase(passphrase)
    with leftovers.backup_in_progress(folder, None) as work:
        return _write(folder, work.snapshot, out, passphrase, progress)


def _check_passphrase(passphrase: str | None) -> None:
    """The same rules wherever a backup's passphrase is chosen: the page, the command line
    and the Python API (Journal.backup). WeakPassphrase before anything is written."""
    if passphrase is not None:
        check_new_passphrase(passphrase)


def estimated_size(folder: Path) -> int:
    """About how many bytes a backup of this journal takes (database plus photo files)."""
    db_path = folder / DB_MEMBER
    total = db_path.stat().st_size if db_path.exists() else 0
    db = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT DISTINCT path, thumb_path FROM photos").fetchall()
    finally:
        db.close()
    for row in rows:
        for relative in row:
            try:
                total += (folder / relative).stat().st_size
            except OSError:
                pass
    return total


# --- the archive ---------------------------------------------------------------------


def _write(
    folder: Path, snapshot: Path, out: IO[bytes], passphrase: str | None, progress: Progress | None
) -> BackupSummary:
    _snapshot(folder / DB_MEMBER, snapshot)
    photos = _photo_files(snapshot)
    total = sum(_size(folder / relative) for p in photos for relative in (p.path, p.thumb_path))
    total += snapshot.stat().st_size
    try:
        start: int | None = out.tell()
    except (OSError, AttributeError):
        start = None  # a pipe: count what is written instead
    counter = _Counter(out)
    members: dict[str, dict[str, Any]] = {}
    left_out: list[str] = []
    done = 0
    with _open_archive(cast(IO[bytes], counter), passphrase) as archive:
        for photo in photos:
            done += _add_photo(archive, folder, photo, members, left_out)
            if progress:
                progress(done, total)
        _forget(snapshot, left_out)
        members[DB_MEMBER] = _add_file(archive, DB_MEMBER, snapshot, compress=True)
        if (folder / DEMO_MEMBER).is_file():
            members[DEMO_MEMBER] = _add_file(archive, DEMO_MEMBER, folder / DEMO_MEMBER, compress=True)
        counts = _counts(snapshot)
        manifest = {
            "format_version": FORMAT_VERSION,
            "app": APP_NAME,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "counts": counts,
            "members": members,
        }
        if DEMO_MEMBER in members:
            manifest["demo"] = DEMO_NOTE
        manifest = _signed(folder, snapshot, manifest, members)
        _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
    if progress:
        progress(total, total)
    return BackupSummary(
        entries=counts["entries"],
        photos=counts["photos"],
        treatments=counts["treatments"],
        encrypted=passphrase is not None,
        size=out.tell() - start if start is not None else counter.written,
        left_out=tuple(left_out),
    )


def _signed(
    folder: Path, snapshot: Path, manifest: dict[str, Any], members: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The manifest signed with the journal's key: each photo member names its photo (day and
    area), so that `python -m healing_journal verify` says which photo changed."""
    photos = _photo_refs(snapshot)
    index = {photo.sha256: number for number, photo in enumerate(photos)}
    for name, entry in members.items():
        found = PHOTO_MEMBER.match(name)
        if found and found.group(3) in index:
            entry["photo"] = index[found.group(3)]
            entry["what"] = N_("the original") if found.group(1) == "photos" else N_("its thumbnail")
    if DB_MEMBER in members:
        members[DB_MEMBER]["what"] = N_("the journal's database (entries, notes, profile)")
    manifest["format"] = "backup"
    manifest["photos"] = [photo.as_json() for photo in photos]
    manifest["photos_sha256"] = photos_digest(photos)
    return signer_for(folder).sign_object(manifest)


def _photo_refs(snapshot: Path) -> list[PhotoRef]:
    """Each photo file once, with the day and area of its first entry."""
    db = sqlite3.connect(snapshot)
    try:
        rows = db.execute(
            "SELECT p.sha256, min(e.day), e.area FROM photos p JOIN entries e ON e.id = p.entry_id "
            "GROUP BY p.sha256 ORDER BY min(e.day), e.area, p.sha256"
        ).fetchall()
    finally:
        db.close()
    return [PhotoRef(str(day), str(area), str(digest)) for digest, day, area in rows]


def _snapshot(db_path: Path, target: Path) -> None:
    """A consistent copy of the live database, committed WAL content included."""
    if not db_path.is_file():
        raise StorageError(f"There is no journal database in {db_path.parent}.")
    source = sqlite3.connect(db_path, timeout=15)
    copy = sqlite3.connect(target)
    try:
        # pages=-1 copies everything in one step, inside one read transaction;
        # SQLite copies page by page through its cache, never the whole file.
        source.backup(copy, pages=-1)
        # A single self-contained file: no -wal sidecar to lose.
        copy.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise StorageError(f"The journal database could not be copied: {exc}.") from exc
    finally:
        copy.close()
        source.close()
    os.chmod(target, 0o600)


def _photo_files(snapshot: Path) -> list[_PhotoFiles]:
    """The files the copied database refers to (not the live one: it may have moved on)."""
    db = sqlite3.connect(snapshot)
    try:
        rows = db.execute("SELECT DISTINCT path, thumb_path, sha256 FROM photos ORDER BY path").fetchall()
    finally:
        db.close()
    photos = [_PhotoFiles(*row) for row in rows]
    unsafe = [p.path for p in photos if not _matches(p)]
    if unsafe:
        raise StorageError(f"The journal refers to photo files with unexpected names: {', '.join(unsafe[:3])}.")
    return photos


def _matches(photo: _PhotoFiles) -> bool:
    digest = photo.sha256 if isinstance(photo.sha256, str) else ""
    return (
        PHOTO_MEMBER.match(str(photo.path)) is not None
        and photo.path == f"photos/{digest[:2]}/{digest}.jpg"
        and photo.thumb_path == f"thumbs/{digest[:2]}/{digest}.jpg"
    )


def _add_photo(
    archive: zipfile.ZipFile,
    folder: Path,
    photo: _PhotoFiles,
    members: dict[str, dict[str, Any]],
    left_out: list[str],
) -> int:
    """Add a photo and its thumbnail, or neither when either file is missing or the photo
    no longer hashes to its name (a deleted or damaged file must not make the whole backup
    unrestorable). Returns the bytes read."""
    try:
        with open(folder / photo.path, "rb") as image, open(folder / photo.thumb_path, "rb") as thumb:
            # Read twice (the second time from the disk cache): a damaged file is
            # found before anything of it is in the archive.
            if _digest(image) != photo.sha256:
                left_out.append(photo.path)
                return 0
            image.seek(0)
            members[photo.path] = _add_stream(archive, photo.path, image, compress=False)
            members[photo.thumb_path] = _add_stream(archive, photo.thumb_path, thumb, compress=False)
    except FileNotFoundError:
        # Deleted since the snapshot (or missing on disk): its row goes too.
        left_out.append(photo.path)
        return 0
    size: int = members[photo.path]["size"] + members[photo.thumb_path]["size"]
    return size


def _forget(snapshot: Path, left_out: list[str]) -> None:
    """Drop the rows of photos left out from the copy, so the backup stays consistent."""
    if not left_out:
        return
    db = sqlite3.connect(snapshot)
    try:
        with db:
            db.executemany("DELETE FROM photos WHERE path = ?", [(path,) for path in left_out])
    finally:
        db.close()


def _counts(snapshot: Path) -> dict[str, int]:
    db = sqlite3.connect(snapshot)
    try:
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED_TABLES}
    finally:
        db.close()


def _open_archive(out: IO[bytes], passphrase: str | None) -> zipfile.ZipFile:
    if passphrase is None:
        return zipfile.ZipFile(out, "w", allowZip64=True)
    import pyzipper  # type: ignore[import-untyped]  # only encrypted backups need it

    archive = pyzipper.AESZipFile(out, "w", allowZip64=True, encryption=pyzipper.WZ_AES)
    # AES-256; AE-2 (no CRC of the plain text, which could leak small contents) is its default.
    archive.setencryption(pyzipper.WZ_AES, nbits=256)
    archive.setpassword(passphrase_bytes(passphrase))
    return archive  # type: ignore[no-any-return]


def _info(archive: zipfile.ZipFile, name: str, compress: bool) -> zipfile.ZipInfo:
    info_class = getattr(archive, "zipinfo_cls", zipfile.ZipInfo)
    info: zipfile.ZipInfo = info_class(name, date_time=MEMBER_TIME)
    # JPEGs are compressed already: stored as they are.
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o600 << 16  # private to the patient once unpacked
    return info


def _add_stream(archive: zipfile.ZipFile, name: str, source: IO[bytes], *, compress: bool) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    # force_zip64: the size is not declared up front; a member may pass 4 GB (a huge database).
    with archive.open(_info(archive, name, compress), "w", force_zip64=True) as member:
        for chunk in _chunks(source):
            digest.update(chunk)
            member.write(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _add_file(archive: zipfile.ZipFile, name: str, path: Path, *, compress: bool) -> dict[str, Any]:
    with open(path, "rb") as source:
        return _add_stream(archive, name, source, compress=compress)


def _add_bytes(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    with archive.open(_info(archive, name, compress=True), "w") as member:
        member.write(data)


def _chunks(source: IO[bytes]) -> Iterator[bytes]:
    while chunk := source.read(CHUNK):
        yield chunk


def _digest(source: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in _chunks(source):
        digest.update(chunk)
    return digest.hexdigest()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class _Counter:
    """A file object passed through, counting the bytes written (the size of an archive sent to a pipe)."""

    def __init__(self, out: IO[bytes]):
        self._out = out
        self.written = 0

    def write(self, data: bytes) -> int:
        self._out.write(data)
        self.written += len(data)
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def tell(self) -> int:
        return self._out.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._out.seek(offset, whence)

    def seekable(self) -> bool:
        return self._out.seekable()
