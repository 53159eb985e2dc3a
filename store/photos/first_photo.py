"""Which photo is each area's first photo, and which photos must be lined up again.

Every photo of an area is aligned to, and compared with, the photo of the area's
earliest day (ties: the one stored first) of the same view (recovery.vocabulary.View):
a left-side photo with the first left-side photo, a close-up with the first close-up.
Photos of no named view ("unspecified": those taken before views existed) are a
group of their own, lined up with the first unspecified photo: they may show any
view, so lining them up with a named view's photo could fail or mislead, and an
older journal, all unspecified, keeps exactly the first photos it had. Logging is not in day order, though: a
patient may backfill an earlier day, move a photo to another day or area, or
delete the first photo. Each such change can hand "first photo" to another photo,
and then the photos aligned to the old one are stale: they would claim to be a
first photo too, or point at a photo that is no longer first (the comparison then
refuses them as "not lined up").

store.journal.JournalStore runs such changes through here: it reads each affected
area's photos as they will be after the change, and this module says which of
them to measure again (and measures them), so the change and the re-alignment
commit together and no reader ever sees two first photos.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from recovery.vocabulary import Area, View
from store.photos import imaging
from store.photos.analysed import BaselinePhoto, Region, analysed_columns
from store.photos.files import PhotoFiles
from store.schema import CALIBRATION_COLUMNS, MEASUREMENT_COLUMNS
from store.snapshot import STORED_PHOTO_COLUMNS

FIRST = "baseline"  # store.schema: the alignment of an area's first photo
# A photo to be measured again in the background (store.photos.later): what it
# was measured against is gone, so its former measurements go too.
WAITING: dict[str, Any] = {**dict.fromkeys(MEASUREMENT_COLUMNS), **dict.fromkeys(CALIBRATION_COLUMNS), "measuring": 1}

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Change:
    """What a change of photos did: its result, the areas whose photos it touched,
    and the photos to measure again wherever they now stand (a moved photo)."""

    result: Any
    areas: frozenset[Area]
    remeasure: frozenset[int] = field(default_factory=frozenset)


def area_photos(db: Database, area: Area) -> list[dict[str, Any]]:
    """An area's photos in the order that makes the first one first."""
    cursor = db.execute(
        f"SELECT {STORED_PHOTO_COLUMNS} FROM photos p JOIN entries e ON e.id = p.entry_id "
        "WHERE e.area = ? ORDER BY e.day, p.id",
        [area],
    )
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def by_view(rows: Sequence[Row]) -> list[list[Row]]:
    """An area's photos (in first-photo order) split by view, each group in that order."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row["view"], []).append(row)
    return list(groups.values())


def first_id(db: Database, area: Area, view: View) -> int | None:
    """The id of the first photo of the area's view (None: it has none)."""
    found = db.execute(
        "SELECT p.id FROM photos p JOIN entries e ON e.id = p.entry_id WHERE e.area = ? AND p.view = ? "
        "ORDER BY e.day, p.id LIMIT 1",
        [area, view],
    ).fetchone()
    return None if found is None else int(found[0])


def state(photos: Mapping[Area, Sequence[Row]]) -> dict[Area, list[tuple[Any, ...]]]:
    """What a plan was made from: if any of it differs when the change is made for
    real (another window wrote meanwhile), the plan is made again."""
    return {
        area: [
            (p["id"], p["day"], p["view"], p["sha256"], p["alignment"], p["aligned_to"], p["measuring"]) for p in rows
        ]
        for area, rows in photos.items()
    }


def stale(row: Row, first_id: int | None) -> bool:
    """Whether a photo's stored alignment disagrees with the area's first photo
    being `first_id` (None: it is the first). A photo without measurements (too
    small to measure, or stored before measuring existed) has nothing to line up."""
    if row["alignment"] is None:
        return False
    if first_id is None:
        return bool(row["alignment"] != FIRST or row["aligned_to"] is not None)
    return bool(row["alignment"] == FIRST or row["aligned_to"] != first_id)


def realignment(
    files: PhotoFiles,
    region_of: Callable[[Area], Region],
    photos: Mapping[Area, Sequence[Row]],
    remeasure: Collection[int] = (),
) -> dict[int, dict[str, Any]]:
    """The new measurement columns of every photo that must be measured again,
    by photo id: the slow part, done before the write lock is taken.

    A photo waiting to be measured in the background is left to that; when the
    area's first photo is waiting, the photos to line up with it wait too."""
    updates: dict[int, dict[str, Any]] = {}
    for area, rows in photos.items():
        if not rows:
            continue
        region = region_of(area)
        for group in by_view(rows):
            updates.update(_group_realignment(files, region, group, remeasure))
    return updates


def _group_realignment(
    files: PhotoFiles, region: Region, rows: Sequence[Row], remeasure: Collection[int]
) -> dict[int, dict[str, Any]]:
    """`realignment` of one view's photos, the first one first."""
    updates: dict[int, dict[str, Any]] = {}
    first, *others = rows
    first_row: Row = first
    if first["measuring"]:
        return {
            row["id"]: WAITING
            for row in others
            if not row["measuring"] and (row["id"] in remeasure or stale(row, first["id"]))
        }
    if first["id"] in remeasure or stale(first, None):
        columns = _measure(files, first, region, None)
        if columns is not None:
            updates[first["id"]] = columns
            # Its own new facts (sharpness, card, light) are what the others are judged against.
            first_row = {**first, **columns}
    baseline = BaselinePhoto(first["id"], files.absolute(first["path"]), first["sha256"], first_row)
    for row in others:
        if not row["measuring"] and (row["id"] in remeasure or stale(row, first["id"])):
            columns = _measure(files, row, region, baseline)
            if columns is not None:
                updates[row["id"]] = columns
    return updates


def apply(db: Database, updates: Mapping[int, Mapping[str, Any]]) -> None:
    for photo_id, columns in updates.items():
        assignments = ", ".join(f"{name} = ?" for name in columns)
        db.execute(f"UPDATE photos SET {assignments} WHERE id = ?", [*columns.values(), photo_id])


def _measure(files: PhotoFiles, row: Row, region: Region, baseline: BaselinePhoto | None) -> dict[str, Any] | None:
    try:
        preview = imaging.decode_preview(files.absolute(row["path"]).read_bytes())
    except OSError:
        return None  # its file is missing: reported at the next start, as any missing file
    return analysed_columns(preview, region, (row["width"], row["height"]), baseline)
