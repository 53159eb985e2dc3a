"""The optional app lock: a passphrase kept only as a slow hash, in a 0600 file.

For a computer shared under one account: the app asks for the passphrase
once per browser before it shows anything, and again after the browser has
been idle for the time the patient chose (`idle_s`, kept in the same file). It guards the app, not the
files: whoever can use the account can read the journal folder (and remove
the lock with `python -m healing_journal app-lock --remove`). Kept in its own small
file, not in the database, so that setting it needs no schema change.

The hash is scrypt (hashlib, OpenSSL) with a random 16-byte salt and
N=2**15, r=8, p=1 (32 MiB of memory and roughly a tenth of a second per
try), a 32-byte result; the parameters are stored with it so they can be
raised later without breaking existing files.

Wrong tries in a row are kept beside it (`TRIES_NAME`, 0600, written
atomically) with the wall-clock time the next try may be checked, so a
restart does not reset the delay (access/throttle.py judges them).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recovery.language import _
from store.errors import InvalidEntry, StorageError
from store.privacy import private_folder, write_private

APP_LOCK_NAME = "app-lock.json"
# Wrong tries in a row and when the next one may be checked (access/throttle.py).
TRIES_NAME = "app-lock-tries.json"
# The app lock's files in the journal folder (kept 0600 when the journal opens).
APP_LOCK_FILES = (APP_LOCK_NAME, TRIES_NAME)
MIN_LENGTH = 8
MAX_LENGTH = 1024
SALT_BYTES = 16
FORMAT = 1
# Idle time before a browser is asked again: the choices offered, in minutes, and the default.
IDLE_CHOICES_MIN = (5, 15, 30, 60)
DEFAULT_IDLE_S = 15 * 60
MAX_IDLE_S = 24 * 3600
# More wrong tries than this are not counted further (the delay stopped growing long before).
MAX_FAILURES = 1_000_000


@dataclass(frozen=True)
class Tries:
    """Wrong passphrases in a row, and when (time.time()) the next try may be checked."""

    failures: int = 0
    next_try: float = 0.0


@dataclass(frozen=True)
class ScryptParameters:
    n: int = 2**15
    r: int = 8
    p: int = 1
    length: int = 32

    @property
    def max_memory(self) -> int:
        return 2 * 128 * self.r * self.n * self.p  # twice what scrypt needs, for OpenSSL's overhead


DEFAULT_PARAMETERS = ScryptParameters()


def lock_path(folder: Path) -> Path:
    return folder / APP_LOCK_NAME


def is_set(folder: Path) -> bool:
    return lock_path(folder).is_file()


def _hash(passphrase: str, salt: bytes, parameters: ScryptParameters) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=salt,
        n=parameters.n,
        r=parameters.r,
        p=parameters.p,
        dklen=parameters.length,
        maxmem=parameters.max_memory,
    )


def check_new_passphrase(passphrase: str, repeated: str) -> None:
    """Refuse a passphrase that is too short, too long or mistyped; the message names the problem."""
    if passphrase != repeated:
        raise InvalidEntry(_("The two passphrases differ; type the same passphrase twice."))
    if len(passphrase) < MIN_LENGTH:
        raise InvalidEntry(_("The passphrase is too short: use at least {count} characters.").format(count=MIN_LENGTH))
    if len(passphrase) > MAX_LENGTH:
        raise InvalidEntry(_("The passphrase is too long: use at most {count} characters.").format(count=MAX_LENGTH))


def _record(folder: Path) -> dict[str, Any] | None:
    """The lock file's fields, or None when there is none or it cannot be read."""
    try:
        record = json.loads(lock_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _save(folder: Path, record: dict[str, Any]) -> None:
    try:
        private_folder(folder)
        write_private(lock_path(folder), json.dumps(record, indent=1).encode("utf-8"))
    except OSError as exc:
        raise StorageError(f"The app lock could not be saved in {folder}: {exc.strerror or exc}.") from exc


def set_passphrase(folder: Path, passphrase: str, parameters: ScryptParameters = DEFAULT_PARAMETERS) -> None:
    """Store the hash of a new passphrase (replacing any earlier one; the idle time chosen stays)."""
    check_new_passphrase(passphrase, passphrase)
    salt = secrets.token_bytes(SALT_BYTES)
    record: dict[str, Any] = {
        "format": FORMAT,
        "kdf": "scrypt",
        "n": parameters.n,
        "r": parameters.r,
        "p": parameters.p,
        "length": parameters.length,
        "salt": salt.hex(),
        "hash": _hash(passphrase, salt, parameters).hex(),
        "idle_s": idle_s(folder),
    }
    _save(folder, record)


def idle_s(folder: Path) -> int:
    """Seconds without a page run after which a browser is asked again (the default if none was chosen)."""
    record = _record(folder) or {}
    value = record.get("idle_s", DEFAULT_IDLE_S)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_IDLE_S:
        return DEFAULT_IDLE_S
    return value


def set_idle_s(folder: Path, seconds: int) -> None:
    """Keep the idle time with the lock; the patient picks one of IDLE_CHOICES_MIN on the profile page."""
    if not 0 < seconds <= MAX_IDLE_S:
        raise InvalidEntry(f"The idle time must be between 1 second and {MAX_IDLE_S // 3600} hours.")
    record = _record(folder)
    if record is None:
        raise InvalidEntry("There is no app lock to set an idle time for: set a passphrase first.")
    _save(folder, {**record, "idle_s": int(seconds)})


def verify(folder: Path, passphrase: str) -> bool:
    """Whether `passphrase` opens the lock (False when no lock is set or the file is damaged)."""
    try:
        record = json.loads(lock_path(folder).read_text(encoding="utf-8"))
        parameters = ScryptParameters(int(record["n"]), int(record["r"]), int(record["p"]), int(record["length"]))
        salt, expected = bytes.fromhex(record["salt"]), bytes.fromhex(record["hash"])
        if record.get("kdf") != "scrypt" or len(passphrase) > MAX_LENGTH:
            return False
        actual = _hash(passphrase, salt, parameters)
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def read_tries(folder: Path) -> Tries:
    """The wrong tries kept in the folder (none when the file is missing or damaged)."""
    try:
        record = json.loads((folder / TRIES_NAME).read_text(encoding="utf-8"))
        failures, next_try = int(record["failures"]), float(record["next_try"])
    except (OSError, ValueError, KeyError, TypeError):
        return Tries()
    if failures <= 0 or not math.isfinite(next_try):
        return Tries()
    return Tries(min(failures, MAX_FAILURES), next_try)


def write_tries(folder: Path, tries: Tries) -> None:
    """Keep the wrong tries (atomically, 0600); no wrong try in a row removes the file."""
    path = folder / TRIES_NAME
    try:
        if tries.failures <= 0:
            path.unlink(missing_ok=True)
            return
        private_folder(folder)
        write_private(path, json.dumps({"failures": tries.failures, "next_try": tries.next_try}).encode("utf-8"))
    except OSError as exc:
        reason = exc.strerror or exc
        raise StorageError(f"The count of wrong passphrases could not be saved in {folder}: {reason}.") from exc


def remove(folder: Path) -> bool:
    """Remove the lock (and the count of wrong tries); True if there was one."""
    try:
        (folder / TRIES_NAME).unlink(missing_ok=True)
        lock_path(folder).unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StorageError(f"The app lock in {folder} could not be removed: {exc.strerror or exc}.") from exc
    return True
