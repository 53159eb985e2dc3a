"""The photos of the PDF summary: which days, and the small clean copies printed.

A dermatologist compares the same framing at fixed days since treatment
(clinical notes: D0, 1, 3, 7, 14, 30 and the latest). Each is taken from the
metadata-free stored copy, centre-cropped to one common aspect, downscaled
and re-encoded as a plain JPEG (no EXIF, no ICC profile, no comment), so the
summary stays small and carries nothing but pixels.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageOps

from recovery.model import Photo

GRID_DAYS: tuple[int, ...] = (0, 1, 3, 7, 14, 30)
LONG_SIDE_PX = 600
JPEG_QUALITY = 80
LANDSCAPE = (4, 3)
PORTRAIT = (3, 4)


@dataclass(frozen=True)
class GridPhoto:
    photo: Photo
    target: str  # "D7", "latest"


# A session's photos make a course worth laying out once they reach this day.
COURSE_MIN_DAYS = 7


def _course(photos: Sequence[Photo]) -> tuple[dt.date, list[Photo]]:
    """Day 0 and the photos of the session the grid lays out.

    In a series the latest session that already spans a week is shown (a
    session begun two days ago has little to compare yet); its photos only,
    so a later session's photo is never labelled "nearest to D14" of an
    earlier one.
    """
    sessions: dict[dt.date, list[Photo]] = {}
    for photo in photos:
        since = photo.days_since_treatment
        if since is not None and since >= 0:
            sessions.setdefault(photo.day - dt.timedelta(days=since), []).append(photo)
    if not sessions:
        return photos[0].day, list(photos)
    spanning = [
        start for start, group in sessions.items() if max(p.days_since_treatment or 0 for p in group) >= COURSE_MIN_DAYS
    ]
    start = max(spanning) if spanning else max(sessions)
    return start, sessions[start]


def grid_photos(photos: Iterable[Photo], days: Sequence[int] = GRID_DAYS) -> list[GridPhoto]:
    """One photo per fixed day of one session (the nearest photographed day when
    it is missing) and the latest photo, no repeats.

    `photos` are one area's photos; the first photo of a day stands for that day.
    """
    by_day: dict[dt.date, Photo] = {}
    for photo in sorted(photos, key=lambda p: p.day):
        by_day.setdefault(photo.day, photo)
    if not by_day:
        return []
    ordered = list(by_day.values())
    anchor, course = _course(ordered)
    chosen: list[GridPhoto] = []
    used: set[dt.date] = set()
    for day in days:
        target = anchor + dt.timedelta(days=day)
        # Nearest photographed day; on a tie the earlier one.
        nearest = min(course, key=lambda p: (abs((p.day - target).days), p.day))
        if nearest.day not in used:
            used.add(nearest.day)
            chosen.append(GridPhoto(nearest, f"D{day}"))
    latest = ordered[-1]
    if latest.day not in used:
        chosen.append(GridPhoto(latest, "latest"))
    chosen.sort(key=lambda g: g.photo.day)
    return chosen


def common_aspect(sizes: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """4:3 unless most of the photos are portrait, then 3:4."""
    sizes = list(sizes)
    portrait = sum(1 for width, height in sizes if height > width)
    return PORTRAIT if portrait * 2 > len(sizes) else LANDSCAPE


def photo_size(stored: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(stored)) as opened:
        upright = ImageOps.exif_transpose(opened) if opened.getexif().get(0x0112, 1) != 1 else opened
        return upright.size


def clean_jpeg(
    stored: bytes, aspect: tuple[int, int], long_side: int = LONG_SIDE_PX, quality: int = JPEG_QUALITY
) -> bytes:
    """The photo centre-cropped to `aspect`, long side `long_side`, as a JPEG of pixels only."""
    with Image.open(io.BytesIO(stored)) as source:
        source.draft("RGB", (long_side * 2, long_side * 2))  # fast JPEG decode at a reduced scale
        image = ImageOps.exif_transpose(source).convert("RGB")
    image = ImageOps.fit(image, _target_size(aspect, long_side), method=Image.Resampling.LANCZOS)
    # A fresh image: no info dictionary (exif, icc_profile, comment) to carry over.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def _target_size(aspect: tuple[int, int], long_side: int) -> tuple[int, int]:
    width, height = aspect
    if width >= height:
        return long_side, round(long_side * height / width)
    return round(long_side * width / height), long_side
