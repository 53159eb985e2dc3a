"""The optional app lock: a passphrase kept only as a slow hash, in a 0600 file.

For a computer shared under one account: the app asks for the passphrase
once per browser before it shows anything. It guards the app, not the
files: whoever can use the account can read the journal folder (and remove
the lock with `python -m store app-lock --remove`). Kept in its own small
file, not in the database, so that setting it needs no schema change.

The hash is scrypt (hashlib, OpenSSL) with a random 16-byte salt and
N=2**15, r=8, p=1 (32 MiB of memory and roughly a tenth of a second per
try), a 32-byte result; the parameters are stored with it so they can be
raised later without breaking existing files.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

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
        raise InvalidEntry("The two passphrases differ; type the same passphrase twice.")
    if len(passphrase) < MIN_LENGTH:
        raise InvalidEntry(f"The passphrase is too short: use at least {MIN_LENGTH} characters.")
    if len(passphrase) > MAX_LENGTH:
        raise InvalidEntry(f"The passphrase is too long: use at most {MAX_LENGTH} characters.")


def set_passphrase(folder: Path, passphrase: str, parameters: ScryptParameters = DEFAULT_PARAMETERS) -> None:
    """Store the hash of a new passphrase (replacing any earlier one)."""
    check_new_passphrase(passphrase, passphrase)
    salt = secrets.token_bytes(SALT_BYTES)
    record = {
        "format": FORMAT,
        "kdf": "scrypt",
        "n": parameters.n,
        "r": parameters.r,
        "p": parameters.p,
        "length": parameters.length,
        "salt": salt.hex(),
        "hash": _hash(passphrase, salt, parameters).hex(),
    }
    try:
        private_folder(folder)
        write_private(lock_path(folder), json.dumps(record, indent=1).encode("utf-8"))
    except OSError as exc:
        raise StorageError(f"The app lock could not be saved in {folder}: {exc.strerror or exc}.") from exc


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


def remove(folder: Path) -> bool:
    """Remove the lock; True if there was one."""
    try:
        lock_path(folder).unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StorageError(f"The app lock in {folder} could not be removed: {exc.strerror or exc}.") from exc
    return True
