"""Photo files on disk: content-addressed, written atomically, checked on open.

A file is named by the SHA-256 of its bytes, never by anything the patient
uploaded, so no uploaded name ever reaches a file-system path. The journal
writes the file first and commits the database row after: a crash in between
leaves a file without a row, which `orphans()` finds on the next open.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterator
from pathlib import Path

from recovery.language import _, left_to_right
from store import privacy
from store.atomic import write_atomic
from store.errors import StorageError

PHOTOS = "photos"
THUMBS = "thumbs"
_HASH_NAME = re.compile(r"^[0-9a-f]{64}\.jpg$")
_TEMP_PREFIX = ".incoming-"


class PhotoFiles:
    def __init__(self, root: Path):
        self.root = root

    def relative_path(self, kind: str, digest: str) -> str:
        """Where a photo (or its thumbnail) with this hash lives, relative to the root."""
        if kind not in (PHOTOS, THUMBS) or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise ValueError(f"not a stored photo name: {kind}/{digest}")
        return f"{kind}/{digest[:2]}/{digest}.jpg"

    def absolute(self, relative: str) -> Path:
        return self.root / relative

    def write(self, relative: str, data: bytes) -> None:
        """Write atomically and durably (store.atomic)."""
        target = self.absolute(relative)
        if target.exists() and target.stat().st_size == len(data):
            return  # content-addressed: same name, same bytes
        try:
            privacy.private_folder(target.parent)  # 0700; the file is 0600 from its first byte
            write_atomic(target, data, prefix=_TEMP_PREFIX)
        except OSError as exc:
            raise StorageError(_storage_message(exc, self.root)) from exc

    def remove(self, relative: str) -> None:
        try:
            self.absolute(relative).unlink()
        except (FileNotFoundError, NotADirectoryError):
            pass  # not there (its folder may even be a plain file): nothing to remove

    def exists(self, relative: str) -> bool:
        return self.absolute(relative).is_file()

    def stored(self) -> Iterator[str]:
        """Every photo and thumbnail file present, as relative paths."""
        for kind in (PHOTOS, THUMBS):
            for path in sorted((self.root / kind).glob("*/*.jpg")):
                if _HASH_NAME.match(path.name):
                    yield f"{kind}/{path.parent.name}/{path.name}"

    def remove_leftovers(self) -> int:
        """Delete temporary files of writes that a crash interrupted."""
        removed = 0
        for kind in (PHOTOS, THUMBS):
            for path in (self.root / kind).glob(f"*/{_TEMP_PREFIX}*"):
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def _storage_message(exc: OSError, root: Path) -> str:
    """In the current language (the patient reads it); the folder's path reads left to right."""
    folder = left_to_right(str(root))
    if exc.errno == errno.ENOSPC:
        return _(
            "The disk holding your journal ({folder}) is full; the photo was not saved. Free some space and try again."
        ).format(folder=folder)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _(
            "Your journal folder ({folder}) cannot be written to; the photo was not saved. Check its permissions."
        ).format(folder=folder)
    return _("The photo could not be written to {folder}: {why}.").format(folder=folder, why=exc.strerror or exc)
