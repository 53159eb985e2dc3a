"""A large journal made quickly: random-noise JPEG photos and rows inserted directly.

Ingesting gigabytes of photos through `Journal.add_photo` would take an hour
of decoding and measuring; a backup does not look inside the photos, so the
benchmark (and the tests that kill a backup midway) fill a journal directly:
one random-noise JPEG is encoded per size (noise does not compress, so the
files are as large as real photos of that size), and every photo is made
distinct by a JPEG comment segment numbering it, so each has its own
content-addressed name. The rows are what `add_photo` would write, minus the
measurements (empty, as for a photo too small to measure). The journal passes
every restore check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import sqlite3
from pathlib import Path

import numpy as np
from PIL import Image

from healing_journal import Journal, Settings

THUMB_SIZE = (320, 240)


def noise_jpeg(width: int, height: int, *, seed: int, quality: int = 92) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, size=(height, width, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def numbered(jpeg: bytes, number: int) -> bytes:
    """The same picture with a comment segment (FF FE) after the start marker: other bytes, same image."""
    text = f"healing-journal benchmark photo {number}".encode()
    return jpeg[:2] + b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text + jpeg[2:]


def build_noise_journal(folder: Path, *, photos: int, photo_side: int, today: dt.date) -> int:
    """A journal of `photos` noise photos of photo_side x (3/4 photo_side) pixels on
    face and neck, one a day each, ending `today`; returns the bytes of photo files."""
    settings = Settings(data_dir=folder, today=lambda: today)
    days = (photos + 1) // 2
    first = today - dt.timedelta(days=days - 1)
    with Journal.open(folder, settings=settings) as journal:
        journal.add_treatment(first, ["face", "neck"], device="Benchmark pen", needle_depth_mm=0.5)
    width, height = photo_side, photo_side * 3 // 4
    photo = noise_jpeg(width, height, seed=1)
    thumb = noise_jpeg(*THUMB_SIZE, seed=2, quality=80)
    total = 0
    db = sqlite3.connect(folder / "journal.sqlite3")
    try:
        with db:
            for number in range(photos):
                day = (first + dt.timedelta(days=number // 2)).isoformat()
                area = ("face", "neck")[number % 2]
                total += _add(db, folder, day, area, numbered(photo, number), numbered(thumb, number), width, height)
    finally:
        db.close()
    return total


def _add(
    db: sqlite3.Connection, folder: Path, day: str, area: str, photo: bytes, thumb: bytes, width: int, height: int
) -> int:
    digest = hashlib.sha256(photo).hexdigest()
    path, thumb_path = f"photos/{digest[:2]}/{digest}.jpg", f"thumbs/{digest[:2]}/{digest}.jpg"
    for relative, data in ((path, photo), (thumb_path, thumb)):
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    stamp = f"{day}T12:00:00+00:00"
    (entry_id,) = db.execute(
        "INSERT INTO entries (day, area, redness, swelling, notes, updated_at) VALUES (?, ?, 1, 1, '', ?) RETURNING id",
        [day, area, stamp],
    ).fetchone()
    db.execute(
        "INSERT INTO photos (entry_id, sha256, source_sha256, path, thumb_path, width, height, source_name, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [entry_id, digest, hashlib.sha256(b"source " + photo).hexdigest(), path, thumb_path, width, height,
         f"IMG_{day}.jpg", stamp],
    )  # fmt: skip
    return len(photo) + len(thumb)
