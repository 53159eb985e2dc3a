"""One-file backups of the journal, and restoring them safely.

A backup is a ZIP holding a consistent copy of the database (taken with
SQLite's online-backup API, so a write in progress in the app is either wholly
in or wholly out), every photo and thumbnail the copy refers to, and
manifest.json with the size and SHA-256 of every member.

Restoring treats the archive as untrusted (it may come from anywhere): every
name, size and hash is checked, the files are extracted into a temporary
folder beside the target and moved into place only once all checks passed.
On any refusal nothing is left behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from store.errors import RestoreRefused, StorageError
from store.settings import APP_NAME


class _Stored(Protocol):
    """What a backup needs of a journal: its folder and database file."""

    @property
    def folder(self) -> Path: ...
    @property
    def db_path(self) -> Path: ...


FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = "journal.sqlite3"  # == store.journal.DB_NAME
DEMO_MEMBER = "DEMO-JOURNAL.txt"  # == store.journal.DEMO_MARKER
MAX_MEMBER_BYTES = 60 * 1024 * 1024  # photos are at most 50 MB; the database is far smaller
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_MEMBERS = 200_000
# A zip bomb: far more data inside than the archive's own size.
BOMB_RATIO = 100
BOMB_MIN_TOTAL = 200 * 1024 * 1024
_CHUNK = 1024 * 1024
_SNAPSHOT_ATTEMPTS = 3
_PHOTO_MEMBER = re.compile(r"^(photos|thumbs)/[0-9a-f]{2}/[0-9a-f]{64}\.jpg$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TEMP_PREFIX = ".restore-"


# --- backup ------------------------------------------------------------------


def backup(journal: _Stored) -> bytes:
    """The whole journal as the bytes of one ZIP file."""
    with tempfile.TemporaryDirectory(prefix="healing-journal-backup-") as temp:
        for _ in range(_SNAPSHOT_ATTEMPTS):
            snapshot = Path(temp) / DB_MEMBER
            _snapshot(journal.db_path, snapshot)
            try:
                return _zip(journal.folder, snapshot)
            except FileNotFoundError:
                # A photo was deleted between the snapshot and reading its
                # file: take a fresh snapshot that no longer lists it.
                snapshot.unlink()
    raise StorageError("The backup could not be made: photos kept changing while it ran. Try again.")


def _snapshot(db_path: Path, target: Path) -> None:
    """A consistent copy of the live database, committed WAL content included."""
    source = sqlite3.connect(db_path, timeout=15)
    copy = sqlite3.connect(target)
    try:
        # pages=-1 copies everything in one step, inside one read transaction.
        source.backup(copy, pages=-1)
        # A single self-contained file: no -wal sidecar to lose.
        copy.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise StorageError(f"The journal database could not be copied: {exc}.") from exc
    finally:
        copy.close()
        source.close()


def _zip(folder: Path, snapshot: Path) -> bytes:
    paths, counts = _snapshot_contents(snapshot)
    members: dict[str, dict[str, Any]] = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, members, DB_MEMBER, snapshot.read_bytes(), compress=True)
        if (folder / DEMO_MEMBER).is_file():
            _add(archive, members, DEMO_MEMBER, (folder / DEMO_MEMBER).read_bytes(), compress=True)
        for relative in paths:
            # JPEGs are already compressed: store them as they are.
            _add(archive, members, relative, (folder / relative).read_bytes(), compress=False)
        manifest = {
            "format_version": FORMAT_VERSION,
            "app": APP_NAME,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "counts": counts,
            "members": members,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _snapshot_contents(snapshot: Path) -> tuple[list[str], dict[str, int]]:
    """Files the copied database refers to (not the live one: it may have moved on)."""
    db = sqlite3.connect(snapshot)
    try:
        rows = db.execute("SELECT path, thumb_path FROM photos ORDER BY id").fetchall()
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("entries", "photos", "treatments")}
    finally:
        db.close()
    paths = sorted({path for row in rows for path in row})
    unsafe = [p for p in paths if not _PHOTO_MEMBER.match(p)]
    if unsafe:
        raise StorageError(f"The journal refers to photo files with unexpected names: {', '.join(unsafe[:3])}.")
    return paths, counts


def _add(
    archive: zipfile.ZipFile, members: dict[str, dict[str, Any]], name: str, data: bytes, *, compress: bool
) -> None:
    archive.writestr(name, data, zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED)
    members[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


# --- restore -----------------------------------------------------------------


@dataclass(frozen=True)
class _Member:
    info: zipfile.ZipInfo
    sha256: str
    size: int


def restore_files(data: bytes, folder: Path | str) -> Path:
    """Restore a backup's files into `folder`, which must be empty or missing;
    returns the folder. Open it as a journal afterwards."""
    target = Path(folder).expanduser().absolute()
    _require_empty(target)
    archive = _open_zip(data)
    with archive:
        infos = _checked_infos(archive, len(data))
        members = _checked_manifest(archive, infos)
        _install(archive, members, target)
    return target


def _require_empty(target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise RestoreRefused(f"{target} is not a folder; choose an empty folder to restore into.")
    if target.exists() and any(target.iterdir()):
        raise RestoreRefused(f"The folder {target} is not empty; restore only into an empty or new folder.")


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise RestoreRefused(f"This is not a journal backup: it is not a ZIP file ({exc}).") from None


def _checked_infos(archive: zipfile.ZipFile, archive_size: int) -> dict[str, zipfile.ZipInfo]:
    """Every member by name, after checking names and declared sizes."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise RestoreRefused(f"The backup holds {len(infos)} files, more than a journal can have.")
    by_name: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        _check_name(info.filename)
        if info.filename in by_name:
            raise RestoreRefused(f"The backup holds two files named '{info.filename}' (duplicate name).")
        if info.file_size > MAX_MEMBER_BYTES:
            raise RestoreRefused(
                f"'{info.filename}' in the backup is {info.file_size / 2**20:.0f} MB, over the "
                f"{MAX_MEMBER_BYTES // 2**20} MB limit for one file."
            )
        by_name[info.filename] = info
    total = sum(info.file_size for info in infos)
    if total > BOMB_MIN_TOTAL and total > BOMB_RATIO * max(archive_size, 1):
        raise RestoreRefused(
            f"The backup would unpack to {total / 2**20:.0f} MB from {archive_size / 2**20:.1f} MB "
            f"(more than {BOMB_RATIO} times its size): refused as a possible zip bomb."
        )
    return by_name


def _check_name(name: str) -> None:
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise RestoreRefused(f"The backup holds a file with an absolute path ('{name}'); refused.")
    if ".." in parts:
        raise RestoreRefused(f"The backup holds a path outside the journal folder ('{name}'); refused.")
    if "\\" in name or "\x00" in name or not all(parts):
        raise RestoreRefused(f"The backup holds a file with an invalid name ('{name}'); refused.")


def _checked_manifest(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> list[_Member]:
    manifest = _read_manifest(archive, infos)
    listed = manifest["members"]
    present = set(infos) - {MANIFEST}
    extra = sorted(present - set(listed))
    if extra:
        raise RestoreRefused(f"The backup holds a file not listed in its manifest: '{extra[0]}'.")
    missing = sorted(set(listed) - present)
    if missing:
        raise RestoreRefused(f"A file listed in the backup's manifest is missing: '{missing[0]}'.")
    if DB_MEMBER not in listed:
        raise RestoreRefused("The backup holds no journal database.")
    return [_member(name, listed[name], infos[name]) for name in sorted(listed)]


def _read_manifest(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> dict[str, Any]:
    if MANIFEST not in infos:
        raise RestoreRefused("This is not a journal backup: it has no manifest.json.")
    try:
        manifest = json.loads(_read_limited(archive, infos[MANIFEST], MAX_MANIFEST_BYTES))
    except (ValueError, UnicodeDecodeError):
        raise RestoreRefused("The backup's manifest.json is damaged (not valid JSON).") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format_version"), int):
        raise RestoreRefused("The backup's manifest.json has no format version.")
    if manifest["format_version"] > FORMAT_VERSION:
        raise RestoreRefused(
            f"This backup was made by a newer version of the app (format {manifest['format_version']}); "
            f"this version reads format {FORMAT_VERSION}. Update the app to restore it."
        )
    if manifest["format_version"] < 1 or not isinstance(manifest.get("members"), dict):
        raise RestoreRefused("The backup's manifest.json does not list its files.")
    return manifest


def _member(name: str, entry: Any, info: zipfile.ZipInfo) -> _Member:
    if name not in (DB_MEMBER, DEMO_MEMBER) and not _PHOTO_MEMBER.match(name):
        raise RestoreRefused(f"The backup holds an unexpected file: '{name}'.")
    valid = isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and _SHA256.match(entry["sha256"])
    if not valid or not isinstance(entry.get("size"), int) or isinstance(entry["size"], bool):
        raise RestoreRefused(f"The backup's manifest entry for '{name}' is damaged.")
    if entry["size"] != info.file_size:
        raise RestoreRefused(f"'{name}' in the backup does not have the size its manifest records.")
    return _Member(info, entry["sha256"], entry["size"])


def _read_limited(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise RestoreRefused(f"'{info.filename}' in the backup is too large.")
    return b"".join(_chunks(archive, info, info.file_size))


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, declared: int) -> Iterator[bytes]:
    """The member's bytes, refusing as soon as more arrive than were declared."""
    read = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                read += len(chunk)
                if read > declared:
                    raise RestoreRefused(f"'{info.filename}' in the backup is larger than it declares; refused.")
                yield chunk
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise RestoreRefused(f"'{info.filename}' in the backup is damaged and cannot be read ({exc}).") from None
    if read != declared:
        raise RestoreRefused(f"'{info.filename}' in the backup is shorter than it declares; refused.")


def _install(archive: zipfile.ZipFile, members: list[_Member], target: Path) -> None:
    """Extract beside the target, verify everything, then move into place."""
    created = _make_parents(target.parent)
    temp: Path | None = None
    try:
        temp = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX, dir=target.parent))
        for member in members:
            _extract(archive, member, temp)
        _check_database(temp / DB_MEMBER)
        _move_into_place(temp, target)
        temp = None
    except OSError as exc:
        raise StorageError(f"The backup could not be restored into {target}: {exc.strerror or exc}.") from exc
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
            for parent in created:
                _remove_if_empty(parent)


def _make_parents(parent: Path) -> list[Path]:
    """Create the missing parent folders; returns them, deepest first, to undo on failure."""
    missing = [p for p in [parent, *parent.parents] if not p.exists()]
    parent.mkdir(parents=True, exist_ok=True)
    return missing


def _remove_if_empty(path: Path) -> None:
    try:
        path.rmdir()
    except OSError:
        pass  # not empty, or someone else's: leave it


def _extract(archive: zipfile.ZipFile, member: _Member, temp: Path) -> None:
    destination = temp / member.info.filename
    destination.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with open(destination, "xb") as out:
        for chunk in _chunks(archive, member.info, member.size):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != member.sha256:
        raise RestoreRefused(
            f"'{member.info.filename}' in the backup is damaged: its SHA-256 does not match the manifest."
        )


def _check_database(path: Path) -> None:
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            result = db.execute("PRAGMA quick_check").fetchone()[0]
            rows = db.execute("SELECT path, thumb_path FROM photos").fetchall()
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise RestoreRefused(f"The journal database in the backup cannot be read ({exc}).") from None
    if result != "ok":
        raise RestoreRefused(f"The journal database in the backup is damaged ({result}).")
    missing = sorted({p for row in rows for p in row if not (path.parent / p).is_file()})
    if missing:
        raise RestoreRefused(
            f"The backup lacks {len(missing)} photo file(s) its database refers to, e.g. '{missing[0]}'."
        )


def _move_into_place(temp: Path, target: Path) -> None:
    if target.exists():
        target.rmdir()  # checked empty before; fails (and aborts) if something appeared since
    os.rename(temp, target)
