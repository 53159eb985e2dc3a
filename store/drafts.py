"""Drafts: what the patient typed on "Log a day" and has not saved yet.

One draft per day and area, kept by the journal itself, in the `drafts` table
of the same database: it is written in the same durable, private, locked way
as everything else, a save of the day removes it in the same transaction
(store.journal.save_entry(discard_draft=True)), and every tab, the phone and the
computer see the same draft. A draft holds the form's fields (recovery.edits
names them), the version of the entry it started from with that entry's
fields (so a later save can be merged three ways), and the photos attached
but not yet saved.

Those photos are files in the journal's `drafts/` folder named by the SHA-256
of their bytes (never by the uploaded name), written before the row that
names them; a file no draft names is removed when the journal next opens.
They are not in backups (a backup holds what was saved); a draft restored from
a backup lists its photos as missing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from recovery.edits import ENTRY_FIELDS, NOTES
from recovery.vocabulary import RATED_SIGNS, YES_NO_KEYS, Area, View
from store import validate, versions
from store.errors import InvalidEntry
from store.photos.files import PhotoFiles

DRAFTS = "drafts"
MAX_NAME = 255
MAX_PHOTOS = 20
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class DraftPhoto:
    sha256: str
    name: str
    size: int
    # The view it was attached as (recovery.vocabulary.View), stored with it on Save;
    # drafts kept before views existed have none: "unspecified".
    view: str = View.UNSPECIFIED.value


@dataclass(frozen=True)
class Draft:
    day: dt.date
    area: Area
    fields: Mapping[str, Any]
    based_on: str  # the version of the entry the draft started from (versions.NONE: none)
    base: Mapping[str, Any]  # that entry's fields
    photos: tuple[DraftPhoto, ...] = ()
    updated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def changed(self) -> bool:
        """Typed fields that differ from what the draft started from, or photos waiting."""
        return bool(self.photos) or any(self.fields.get(name) != self.base.get(name) for name in ENTRY_FIELDS)


# --- checking ---------------------------------------------------------------------


def check_fields(values: Mapping[str, Any], what: str = "The draft") -> dict[str, Any]:
    """Entry fields as typed input is checked (store.validate); every field present."""
    unknown = sorted(set(values) - set(ENTRY_FIELDS))
    if unknown:
        raise InvalidEntry(f"{what} has unknown field(s): {', '.join(unknown)}.")
    checked: dict[str, Any] = {}
    for sign in RATED_SIGNS:
        checked[sign.value] = validate.rating(sign.value, values.get(sign.value))
    for key in YES_NO_KEYS:
        answer = values.get(key)
        if answer is not None and not isinstance(answer, bool):
            raise InvalidEntry(f"{what}: the answer '{key}' must be yes, no or not answered.")
        checked[key] = answer
    checked[NOTES] = validate.notes(values.get(NOTES) or "")
    return checked


def check_photos(items: Iterable[Mapping[str, Any]]) -> tuple[DraftPhoto, ...]:
    photos = []
    for item in items:
        if not isinstance(item, Mapping):
            raise InvalidEntry("A draft photo is not described the way the app writes it.")
        sha, name, size = item.get("sha256"), item.get("name"), item.get("size")
        if not isinstance(sha, str) or not _SHA256.match(sha):
            raise InvalidEntry("A draft photo is named by its SHA-256 (64 hexadecimal digits).")
        if not isinstance(name, str) or len(name) > MAX_NAME:
            raise InvalidEntry(f"A draft photo's name is text of at most {MAX_NAME} characters.")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise InvalidEntry("A draft photo's size is a number of bytes.")
        photos.append(DraftPhoto(sha, name, size, validate.view(item.get("view", View.UNSPECIFIED)).value))
    if len(photos) > MAX_PHOTOS:
        raise InvalidEntry(f"A draft keeps at most {MAX_PHOTOS} photos; save the day to store them.")
    return tuple(photos)


def parse_row(row: Mapping[str, Any], today: dt.date) -> Draft:
    """A stored row as a Draft; InvalidEntry names what is wrong with it."""
    try:
        fields, base, photos = (json.loads(row[name]) for name in ("fields", "base", "photos"))
    except (TypeError, ValueError):
        raise InvalidEntry("A draft is not the JSON the app writes.") from None
    if not isinstance(fields, dict) or not isinstance(base, dict) or not isinstance(photos, list):
        raise InvalidEntry("A draft is not the JSON the app writes.")
    if not versions.is_version(row["based_on"]):
        raise InvalidEntry("A draft's version is 16 hexadecimal digits.")
    try:
        updated = dt.datetime.fromisoformat(row["updated_at"])
    except (TypeError, ValueError):
        raise InvalidEntry("A draft's time is not a date and time.") from None
    return Draft(
        day=validate.day(row["day"], today),
        area=validate.area(row["area"]),
        fields=check_fields(fields),
        based_on=row["based_on"],
        base=check_fields(base, "The draft's starting point"),
        photos=check_photos(photos),
        updated_at=updated if updated.tzinfo else updated.replace(tzinfo=dt.UTC),
    )


# --- reading and writing ---------------------------------------------------------------


_COLUMNS = "day, area, fields, based_on, base, photos, updated_at"


def read(db: Database, day: dt.date, area: Area, today: dt.date) -> Draft | None:
    cursor = db.execute(f"SELECT {_COLUMNS} FROM drafts WHERE day = ? AND area = ?", [day.isoformat(), area.value])
    columns = [c[0] for c in cursor.description]
    row = cursor.fetchone()
    if row is None:
        return None
    try:
        return parse_row(dict(zip(columns, row)), today)
    except InvalidEntry:
        return None  # not one the app wrote: offer nothing rather than fail the page


def write(db: Database, draft: Draft) -> None:
    """Insert or replace the draft of its day and area (inside the caller's transaction)."""
    record = {
        "day": draft.day.isoformat(),
        "area": draft.area.value,
        "fields": json.dumps(check_fields(draft.fields), sort_keys=True),
        "based_on": draft.based_on,
        "base": json.dumps(check_fields(draft.base), sort_keys=True),
        "photos": json.dumps([vars(photo) for photo in check_photos(vars(p) for p in draft.photos)]),
        "updated_at": draft.updated_at.isoformat(timespec="microseconds"),
    }
    db.execute(
        f"INSERT OR REPLACE INTO drafts ({_COLUMNS}) VALUES ({', '.join('?' for _ in record)})", list(record.values())
    )


def delete(db: Database, day: dt.date, area: Area) -> None:
    db.execute("DELETE FROM drafts WHERE day = ? AND area = ?", [day.isoformat(), area.value])


def photo_path(sha256: str) -> str:
    """Where a draft photo's bytes are kept, relative to the journal folder."""
    if not _SHA256.match(sha256):
        raise ValueError(f"not a draft photo name: {sha256}")
    return f"{DRAFTS}/{sha256}"


def referenced(db: Database) -> set[str]:
    """The SHA-256 of every photo some draft names."""
    names: set[str] = set()
    for (photos,) in db.execute("SELECT photos FROM drafts"):
        try:
            names |= {item["sha256"] for item in json.loads(photos) if isinstance(item, dict) and "sha256" in item}
        except (TypeError, ValueError):
            continue
    return names


def stored_files(root: Path) -> list[str]:
    """The draft photo files present (their SHA-256 names)."""
    folder = root / DRAFTS
    if not folder.is_dir():
        return []
    return sorted(path.name for path in folder.iterdir() if _SHA256.match(path.name))


def remove_unreferenced(db: Database, files: PhotoFiles, candidates: Iterable[str] | None = None) -> int:
    """Remove draft photo files no draft names (all of them, or only `candidates`)."""
    keep = referenced(db)
    names = stored_files(files.root) if candidates is None else list(candidates)
    removed = 0
    for name in names:
        if name not in keep and _SHA256.match(name):
            files.remove(photo_path(name))
            removed += 1
    return removed
