"""Reading a backup file as untrusted input: its names, sizes, manifest, passphrase and hashes.

Every check here is on the archive; store.backup.restore_checks then checks the data
inside it. The archive is read from a file (or a seekable file object, such as
an upload) in 1 MB chunks and never held whole.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from recovery.language import _
from store.backup.format import (
    DB_MEMBER,
    DEMO_MEMBER,
    FORMAT_VERSION,
    MANIFEST,
    PHOTO_MEMBER,
    SHA256,
    passphrase_bytes,
)
from store.errors import BackupDamaged, PassphraseNeeded, RestoreRefused, StorageError, WrongPassphrase

MAX_MEMBER_BYTES = 60 * 1024 * 1024  # photos are at most 50 MB; a database far smaller
MAX_DB_BYTES = 4 * 1024 * 1024 * 1024  # notes and numbers of many lifetimes
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_DEMO_BYTES = 64 * 1024
MAX_MEMBERS = 200_000
# A zip bomb: far more data inside than the archive's own size.
BOMB_RATIO = 100
BOMB_MIN_TOTAL = 200 * 1024 * 1024
CHUNK = 1024 * 1024
_JPEG_START = b"\xff\xd8\xff"
_ENCRYPTED = 0x1
_PHOTO_FOLDER = re.compile(r"^(photos|thumbs)/([0-9a-f]{2}/)?$")

Source = bytes | bytearray | memoryview | os.PathLike[str] | IO[bytes]


def _read_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,
        ValueError,
        # Raised from inside zipfile by damaged bytes: a deflate stream that does not
        # decompress (for an AES member, one altered before its MAC is checked), or a
        # header too short for its fields.
        zlib.error,
        struct.error,
    )
    try:
        import pyzipper  # type: ignore[import-untyped]
    except ImportError:
        return errors
    return (*errors, pyzipper.BadZipFile, pyzipper.LargeZipFile)


class _BadPassword(RestoreRefused):
    """pyzipper's quick passphrase check failed for a member."""


class _BadAuthentication(BackupDamaged):
    """A member's HMAC (AES encryption's integrity check) does not match."""


@dataclass(frozen=True)
class BackupInfo:
    """What can be told of a backup before its passphrase is known."""

    encrypted: bool
    files: int
    size: int  # bytes of the archive
    unpacked: int  # bytes once unpacked


@dataclass(frozen=True)
class Member:
    info: zipfile.ZipInfo
    sha256: str
    size: int

    @property
    def name(self) -> str:
        return self.info.filename


@contextmanager
def source_file(source: Source) -> Iterator[tuple[IO[bytes], int]]:
    """The backup as a seekable binary file and its size in bytes."""
    if isinstance(source, bytes | bytearray | memoryview):
        yield io.BytesIO(source), len(source)
        return
    if isinstance(source, os.PathLike):
        path = Path(source)
        try:
            handle = open(path, "rb")
        except FileNotFoundError:
            raise RestoreRefused(_("There is no backup file {path}.").format(path=path)) from None
        except IsADirectoryError:
            raise RestoreRefused(_("{path} is a folder, not a backup file.").format(path=path)) from None
        except OSError as exc:
            raise StorageError(f"The backup file {path} cannot be read: {exc.strerror or exc}.") from exc
        with handle:
            yield handle, os.fstat(handle.fileno()).st_size
        return
    if not source.seekable():
        raise RestoreRefused("The backup must be read from a file (it cannot be read from a stream).")
    # The whole file is the backup (an upload may have been read before, by inspect()).
    size = source.seek(0, io.SEEK_END)
    source.seek(0)
    yield source, size


def inspect(source: Source) -> BackupInfo:
    """Whether the backup is encrypted (and how large), read from its listing alone."""
    with source_file(source) as (handle, size), _plain_zip(handle) as archive:
        infos = archive.infolist()
        return BackupInfo(
            encrypted=_encryption(infos),
            files=len(infos),
            size=size,
            unpacked=sum(info.file_size for info in infos),
        )


class Archive:
    """An opened backup: plain, or AES-encrypted and opened with its passphrase."""

    def __init__(self, archive: zipfile.ZipFile, encrypted: bool):
        self.zip = archive
        self.encrypted = encrypted

    def chunks(self, info: zipfile.ZipInfo, declared: int) -> Iterator[bytes]:
        """The member's bytes, refusing as soon as more arrive than were declared."""
        yield from read_chunks(self.zip, info, declared)


@contextmanager
def open_archive(handle: IO[bytes], passphrase: str | None) -> Iterator[Archive]:
    """The archive opened for reading, with the passphrase when its members are encrypted."""
    with _plain_zip(handle) as plain:
        encrypted = _encryption(plain.infolist())
    if not encrypted:
        handle.seek(0)
        with _plain_zip(handle) as archive:
            yield Archive(archive, encrypted=False)
        return
    if not passphrase:
        raise PassphraseNeeded(_("This backup is protected with a passphrase: enter its passphrase to restore it."))
    import pyzipper

    handle.seek(0)
    try:
        aes = pyzipper.AESZipFile(handle)
    except _read_errors() as exc:
        raise RestoreRefused(_("This backup is damaged and cannot be read ({problem}).").format(problem=exc)) from None
    with aes:
        not_aes = [
            info.filename
            for info in aes.infolist()
            if getattr(info, "wz_aes_version", None) is None and not _folder_entry(info)
        ]
        if not_aes:
            raise RestoreRefused(
                _(
                    "'{name}' in the backup is not AES-256 encrypted (it uses the old, weak ZIP encryption, "
                    "or the backup is damaged); journal backups use AES-256 only. Refused."
                ).format(name=not_aes[0])
            )
        aes.setpassword(passphrase_bytes(passphrase))
        yield Archive(aes, encrypted=True)


@contextmanager
def _plain_zip(handle: IO[bytes]) -> Iterator[zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(handle)
    except _read_errors():
        raise BackupDamaged(
            _("This file cannot be read as a backup: it is not a ZIP file, or it was cut short or damaged.")
        ) from None
    with archive:
        yield archive


def _folder_entry(info: zipfile.ZipInfo) -> bool:
    """A folder entry of the photo folders, as archivers such as 7-Zip add when packing
    a folder: it holds nothing, is never encrypted and is not extracted."""
    return info.file_size == 0 and _PHOTO_FOLDER.match(info.filename) is not None


def _encryption(infos: list[zipfile.ZipInfo]) -> bool:
    encrypted = {bool(info.flag_bits & _ENCRYPTED) for info in infos if not _folder_entry(info)}
    if len(encrypted) > 1:
        raise RestoreRefused(
            _(
                "Some files in the backup are encrypted and others are not; a journal backup is "
                "either wholly protected by a passphrase or not at all. Refused."
            )
        )
    return encrypted == {True}


# --- the listing and the manifest ------------------------------------------------------


def checked_members(archive: Archive, archive_size: int) -> list[Member]:
    """Every member, after checking names, declared sizes and the (decrypted) manifest."""
    infos = _checked_infos(archive.zip, archive_size)
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
        raise RestoreRefused(_("The backup holds no journal database."))
    return [_member(name, listed[name], infos[name]) for name in sorted(listed)]


def _checked_infos(archive: zipfile.ZipFile, archive_size: int) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise RestoreRefused(f"The backup holds {len(infos)} files, more than a journal can have.")
    by_name: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if _folder_entry(info):
            continue
        check_name(info.filename)
        if info.filename in by_name:
            raise RestoreRefused(f"The backup holds two files named '{info.filename}' (duplicate name).")
        limit = MAX_DB_BYTES if info.filename == DB_MEMBER else MAX_MEMBER_BYTES
        if info.file_size > limit:
            raise RestoreRefused(
                f"'{info.filename}' in the backup is {info.file_size / 2**20:.0f} MB, over the "
                f"{limit // 2**20} MB limit for one file."
            )
        by_name[info.filename] = info
    total = sum(info.file_size for info in infos)
    if total > BOMB_MIN_TOTAL and total > BOMB_RATIO * max(archive_size, 1):
        raise RestoreRefused(
            f"The backup would unpack to {total / 2**20:.0f} MB from {archive_size / 2**20:.1f} MB "
            f"(more than {BOMB_RATIO} times its size): refused as a possible zip bomb."
        )
    return by_name


def check_name(name: str) -> None:
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise RestoreRefused(f"The backup holds a file with an absolute path ('{name}'); refused.")
    if ".." in parts:
        raise RestoreRefused(f"The backup holds a path outside the journal folder ('{name}'); refused.")
    if "\\" in name or "\x00" in name or not all(parts):
        raise RestoreRefused(f"The backup holds a file with an invalid name ('{name}'); refused.")


def _read_manifest(archive: Archive, infos: dict[str, zipfile.ZipInfo]) -> dict[str, Any]:
    if MANIFEST not in infos:
        raise RestoreRefused(_("This is not a journal backup: it has no manifest.json."))
    info = infos[MANIFEST]
    if info.file_size > MAX_MANIFEST_BYTES:
        raise RestoreRefused(f"'{MANIFEST}' in the backup is too large.")
    try:
        text = b"".join(archive.chunks(info, info.file_size))
    except _BadPassword:
        if _opens_another_member(archive, infos):
            raise BackupDamaged(
                _(
                    "The backup is damaged or was altered: its '{manifest}' does not open with the passphrase "
                    "that opens its other files."
                ).format(manifest=MANIFEST)
            ) from None
        raise WrongPassphrase(
            _(
                "The passphrase is wrong: it does not open this backup. Check it and try again "
                "(capital and small letters count)."
            )
        ) from None
    except _BadAuthentication:
        if _opens_another_member(archive, infos):  # two quick checks passed: the passphrase is right
            raise _BadAuthentication(
                f"'{MANIFEST}' in the backup was altered or is damaged: its authentication code does not match."
            ) from None
        # 1 wrong passphrase in 65,536 passes the quick check and fails here.
        raise WrongPassphrase(
            _("The passphrase is wrong, or the backup was altered: its contents do not check out.")
        ) from None
    try:
        manifest = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise RestoreRefused(_("The backup's manifest.json is damaged (not valid JSON).")) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format_version"), int):
        raise RestoreRefused(_("The backup's manifest.json has no format version."))
    if manifest["format_version"] > FORMAT_VERSION:
        raise RestoreRefused(
            _(
                "This backup was made by a newer version of the app (format {format}); "
                "this version reads format {readable}. Update the app to restore it."
            ).format(format=manifest["format_version"], readable=FORMAT_VERSION)
        )
    if manifest["format_version"] < 1 or not isinstance(manifest.get("members"), dict):
        raise RestoreRefused(_("The backup's manifest.json does not list its files."))
    return manifest


def _opens_another_member(archive: Archive, infos: dict[str, zipfile.ZipInfo]) -> bool:
    """Whether the passphrase passes the quick check of another member (each has its own salt):
    then it is right, and the manifest is what is damaged."""
    for name in sorted(set(infos) - {MANIFEST})[:3]:
        try:
            with archive.zip.open(infos[name]):
                return True
        except _read_errors():
            continue
    return False


def _member(name: str, entry: Any, info: zipfile.ZipInfo) -> Member:
    if name not in (DB_MEMBER, DEMO_MEMBER) and not PHOTO_MEMBER.match(name):
        raise RestoreRefused(f"The backup holds an unexpected file: '{name}'.")
    if name == DEMO_MEMBER and info.file_size > MAX_DEMO_BYTES:
        raise RestoreRefused(f"'{name}' in the backup is too large.")
    valid = isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and SHA256.match(entry["sha256"])
    if not valid or not isinstance(entry.get("size"), int) or isinstance(entry["size"], bool):
        raise RestoreRefused(f"The backup's manifest entry for '{name}' is damaged.")
    if entry["size"] != info.file_size:
        raise RestoreRefused(f"'{name}' in the backup does not have the size its manifest records.")
    return Member(info, entry["sha256"], entry["size"])


def read_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, declared: int) -> Iterator[bytes]:
    """The member's bytes, refusing as soon as more arrive than were declared."""
    read = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                read += len(chunk)
                if read > declared:
                    raise BackupDamaged(f"'{info.filename}' in the backup is larger than it declares; refused.")
                yield chunk
    except RestoreRefused:
        raise
    except _read_errors() as exc:
        if isinstance(exc, RuntimeError) and "Bad password" in str(exc):
            raise _BadPassword(f"'{info.filename}' in the backup does not open with this passphrase.") from None
        if "Bad HMAC" in str(exc):
            raise _BadAuthentication(
                f"'{info.filename}' in the backup was altered or is damaged: its authentication code does not match."
            ) from None
        # The reason zipfile or zlib gives ("invalid distance too far back") tells a patient nothing.
        raise BackupDamaged(f"'{info.filename}' in the backup is damaged or was altered: it cannot be read.") from None
    if read != declared:
        raise BackupDamaged(f"'{info.filename}' in the backup is shorter than it declares: it is damaged.")


# --- unpacking ---------------------------------------------------------------------


def extract(archive: Archive, member: Member, folder: Path) -> None:
    """Write one member under `folder`, checking its hash against the manifest and, for
    a photo, against its own name (content-addressed: the name is the photo's SHA-256)."""
    destination = folder / member.name
    destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    start = b""
    handle = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(handle, "wb") as out:
        try:
            for chunk in archive.chunks(member.info, member.size):
                if len(start) < len(_JPEG_START):
                    start += chunk[: len(_JPEG_START)]
                digest.update(chunk)
                out.write(chunk)
        except _BadPassword:
            # The manifest opened with this passphrase: the passphrase is right.
            raise BackupDamaged(
                f"'{member.name}' in the backup is damaged or was altered: it does not open with the passphrase "
                "that opens the rest of the backup."
            ) from None
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != member.sha256:
        raise BackupDamaged(f"'{member.name}' in the backup is damaged: its SHA-256 does not match the manifest.")
    photo = PHOTO_MEMBER.match(member.name)
    if photo is None:
        return
    if not start.startswith(_JPEG_START):
        raise RestoreRefused(f"'{member.name}' in the backup is not a JPEG photo; refused.")
    kind, prefix, name_digest = photo.groups()
    if prefix != name_digest[:2]:
        raise RestoreRefused(f"'{member.name}' in the backup is filed under the wrong folder; refused.")
    if kind == "photos" and digest.hexdigest() != name_digest:
        raise RestoreRefused(
            f"The photo '{member.name}' in the backup does not hash to its name: its bytes are not "
            "the photo the journal recorded. Refused."
        )
