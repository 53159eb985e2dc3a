"""Writing a file so that a crash leaves the old file or the new one, never half of either.

The one way the project writes a file it must not lose: a temporary file in
the same folder (private to the patient from its first byte), its bytes
forced to disk, a rename over the target, then the folder itself forced to
disk, because a rename is durable only once the folder's entry is. Photos,
backups, settings files and the command line's exports all go through here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def fsync_folder(folder: Path) -> None:
    """Force a folder's entries (a rename, a new file) to disk, where the file system allows."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename still happened
    finally:
        os.close(handle)


@contextmanager
def replacing(target: Path, *, prefix: str | None = None, temp: Path | None = None) -> Iterator[BinaryIO]:
    """A private file to write; on leaving the block without an error it replaces `target`.

    The temporary file is `temp` when the caller names it (so that a crash leaves a file
    the caller knows how to find), else a fresh name beside `target` starting with `prefix`.
    On an error the temporary file is removed and `target` is left as it was.
    """
    if temp is None:
        handle, name = tempfile.mkstemp(prefix=prefix or f".{target.name}.", dir=target.parent)  # 0600
        temp = Path(name)
    else:
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_folder(target.parent)


def write_atomic(target: Path, data: bytes, *, prefix: str | None = None) -> None:
    """Write `data` to `target` atomically and durably, private to the patient (0600)."""
    with replacing(target, prefix=prefix) as out:
        out.write(data)
