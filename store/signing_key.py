"""The journal's signing key: one Ed25519 key per journal folder, made on first need.

The private key is the one thing that lets a file be signed in this journal's
name, so it stays in the data folder, private to the patient (0600, written
atomically), and is never put in a backup or an export (docs/signed-exports.md
says why). Exports carry only the public key and its fingerprint.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from signing.manifest import Signer
from store.atomic import write_atomic
from store.errors import StorageError

KEY_NAME = "signing-key.pem"


def signer_for(folder: Path) -> Signer:
    """The journal's signer, its key made (and kept, 0600) the first time it is needed."""
    path = folder / KEY_NAME
    if not path.exists():
        _create(path)
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise StorageError(
            f"The journal's signing key {path} cannot be read ({exc}); move it away and a new key is made "
            "(exports signed before keep verifying with the key they carry)."
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise StorageError(f"The journal's signing key {path} is not an Ed25519 key.")
    return Signer(key)


def fingerprint_of(folder: Path) -> str | None:
    """The fingerprint of the journal's key, or None when no export has made one yet."""
    return signer_for(folder).fingerprint if (folder / KEY_NAME).exists() else None


def _create(path: Path) -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    spare = path.with_name(f".{path.name}.new-{os.getpid()}")
    write_atomic(spare, pem)  # private (0600) and on disk before it is the key
    try:
        os.link(spare, path)  # never replaces a key another process made meanwhile
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links: the rename is still atomic
        if not path.exists():
            os.replace(spare, path)
    finally:
        spare.unlink(missing_ok=True)
