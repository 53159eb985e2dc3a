"""Reading the whole journal into a typed snapshot, in a few queries.

One read transaction (so a save in another tab lands wholly before or wholly
after it), a SELECT per table: profile, treatments with their areas, entries
with their photo counts, photos with their measurements, products, flag
responses and the files shared. Everything a page run,
an export or a CLI command reads comes from here. The rows are read every
time; the records are rebuilt only when the rows changed (`revision`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from photometry.lighting import DIFFERS, UNCHECKED
from recovery.model import (
    Entry,
    FlagResponse,
    JournalSnapshot,
    Photo,
    ProductUse,
    Profile,
    Share,
    Treatment,
    place_entries,
)
from recovery.timeline import TreatmentCalendar
from recovery.vocabulary import (
    PROFILE_QUESTION_KEYS,
    RATED_SIGNS,
    TREATMENT_QUESTION_KEYS,
    YES_NO_KEYS,
    Area,
    FlagAction,
    ProductKind,
    ShareKind,
    View,
)
from store.photos.analysed import lighting_check
from store.photos.files import PhotoFiles
from store.recent import RecentResults

Row = dict[str, Any]

_PROFILE = "SELECT * FROM profile WHERE id = 1"
_TREATMENTS = (
    "SELECT t.*, group_concat(a.area) AS areas FROM treatments t "
    "JOIN treatment_areas a ON a.treatment_id = t.id GROUP BY t.id ORDER BY t.day, t.id"
)
_ENTRIES = (
    "SELECT e.*, (SELECT count(*) FROM photos p WHERE p.entry_id = e.id) AS photo_count "
    "FROM entries e ORDER BY e.day, e.area"
)
# Every stored column of a photo, with its entry's day and area.
PHOTO_COLUMNS = STORED_PHOTO_COLUMNS = "p.*, e.day, e.area"
# Columns copied onto the Photo record under their own name.
_MEASURED = (
    "a_star", "delta_a_star", "erythema_index", "l_star", "b_star", "ita", "ita_category", "spot_count",
    "spot_fraction", "sharpness", "clipped_highlights", "clipped_shadows", "calibration", "card_correction",
    "card_residual_delta_e", "card_problem", "mm_per_px", "spot_area_mm2", "light", "alignment",
    "alignment_problem", "registration", "aligned_to",
)  # fmt: skip
_PRODUCTS = "SELECT * FROM products ORDER BY day, id"
_RESPONSES = "SELECT * FROM flag_responses ORDER BY card_key"
_SHARES = "SELECT * FROM shares ORDER BY day, id"
_PHOTOS = f"SELECT {PHOTO_COLUMNS} FROM photos p JOIN entries e ON e.id = p.entry_id ORDER BY e.day, e.area, p.id"


Table = tuple[tuple[str, ...], list[tuple[Any, ...]]]  # column names, rows

# Snapshots recently built, by the revision of what was read (store.recent):
# the next page run over an unchanged journal reuses the records.
_RECENT: RecentResults[JournalSnapshot] = RecentResults(size=4)


def _table(db: Database, sql: str) -> Table:
    cursor = db.execute(sql)
    return tuple(c[0] for c in cursor.description), cursor.fetchall()


def _rows(table: Table) -> list[Row]:
    columns, rows = table
    return [dict(zip(columns, row)) for row in rows]


def read_snapshot(db: Database, files: PhotoFiles, today: dt.date, *, is_demo: bool = False) -> JournalSnapshot:
    """The journal as of `today`, read in one transaction.

    The rows are always read; the records are built only when the rows differ
    from those of a recent snapshot (the same revision, day, folder and demo
    mark give the very same records)."""
    connection = db.conn
    started = not connection.in_transaction
    if started:
        connection.execute("BEGIN")
    try:
        tables = (
            _table(db, _PROFILE),
            _table(db, _TREATMENTS),
            _table(db, _ENTRIES),
            _table(db, _PHOTOS),
            _table(db, _PRODUCTS),
            _table(db, _RESPONSES),
            _table(db, _SHARES),
        )
    finally:
        if started:
            connection.execute("COMMIT")
    # The record of shares is about the files, not the skin: recording one must not
    # make the very file just shared look out of date (pages.export_backup), so it
    # stays out of `revision`; the records are still rebuilt when it changes.
    revision = _revision(tables[:-1])
    key = (revision, _revision(tables[-1:]), today, is_demo, str(files.root))
    return _RECENT.get(key, lambda: _build(tables, files, today, is_demo, revision))


def _build(
    tables: tuple[Table, ...], files: PhotoFiles, today: dt.date, is_demo: bool, revision: str
) -> JournalSnapshot:
    profile_rows, treatment_rows, entry_rows, photo_rows, product_rows, response_rows, share_rows = (
        _rows(t) for t in tables
    )
    treatments = tuple(treatment(row) for row in treatment_rows)
    entries = place_entries((entry(row) for row in entry_rows), treatments)
    return JournalSnapshot(
        today=today,
        profile=profile(profile_rows[0]) if profile_rows else Profile(),
        treatments=treatments,
        entries=entries,
        photos=photos(photo_rows, files, TreatmentCalendar(treatments)),
        products=tuple(product(row) for row in product_rows),
        responses=tuple(response(row) for row in response_rows),
        shares=tuple(share(row) for row in share_rows),
        is_demo=is_demo,
        revision=revision,
    )


def profile(row: Row) -> Profile:
    return Profile(
        name=row["name"] or "",
        fitzpatrick=row["fitzpatrick"],
        melasma_history=bool(row["melasma_history"]),
        pih_history=bool(row["pih_history"]),
        cold_sores=bool(row["cold_sores"]),
        answers=_answered(row, PROFILE_QUESTION_KEYS),
        country=row.get("country"),
        language=row.get("language"),
        version=row["version"],
    )


def treatment(row: Row) -> Treatment:
    return Treatment(
        id=row["id"],
        day=dt.date.fromisoformat(row["day"]),
        areas=tuple(sorted((Area(a) for a in row["areas"].split(",")), key=list(Area).index)),
        device=row["device"],
        needle_depth_mm=row["needle_depth_mm"],
        practitioner=row["practitioner"],
        serums=row["serums"],
        notes=row["notes"],
        practitioner_contact=row["practitioner_contact"],
        reason=row["reason"],
        answers=_answered(row, TREATMENT_QUESTION_KEYS),
        version=row["version"],
    )


def product(row: Row) -> ProductUse:
    return ProductUse(
        id=row["id"],
        day=dt.date.fromisoformat(row["day"]),
        kind=ProductKind(row["kind"]),
        name=row["name"],
        notes=row["notes"],
        version=row["version"],
    )


def response(row: Row) -> FlagResponse:
    return FlagResponse(
        card_key=row["card_key"],
        action=FlagAction(row["action"]),
        note=row["note"],
        day=dt.date.fromisoformat(row["day"]),
        version=row["version"],
    )


def share(row: Row) -> Share:
    return Share(
        id=row["id"],
        day=dt.date.fromisoformat(row["day"]),
        kind=ShareKind(row["kind"]),
        recipient=row["recipient"],
        included=row["included"],
        sha256=row["sha256"],
        version=row["version"],
    )


def entry(row: Row) -> Entry:
    return Entry(
        id=row["id"],
        day=dt.date.fromisoformat(row["day"]),
        area=Area(row["area"]),
        ratings={sign: row[sign.value] for sign in RATED_SIGNS},
        answers={key: None if row[key] is None else bool(row[key]) for key in YES_NO_KEYS},
        notes=row["notes"],
        photo_count=row.get("photo_count", 0),
        updated_at=row["updated_at"],
        version=row["version"],
    )


def photos(rows: Sequence[Row], files: PhotoFiles, calendar: TreatmentCalendar) -> tuple[Photo, ...]:
    """Photo records; each is marked when its light differs from the first photo of its area's view."""
    first_of_view: dict[tuple[str, str], Row] = {}
    result = []
    for row in rows:
        baseline = first_of_view.setdefault((row["area"], row["view"]), row)
        result.append(photo(row, files, calendar, None if baseline is row else baseline))
    return tuple(result)


def photo(row: Row, files: PhotoFiles, calendar: TreatmentCalendar, baseline: Mapping[str, Any] | None = None) -> Photo:
    day = dt.date.fromisoformat(row["day"])
    verdict = lighting_check(baseline, row)
    return Photo(
        id=row["id"],
        entry_id=row["entry_id"],
        day=day,
        area=Area(row["area"]),
        days_since_treatment=calendar.place(day, row["area"]).days_since_treatment,
        path=files.absolute(row["path"]),
        thumb_path=files.absolute(row["thumb_path"]),
        width=row["width"],
        height=row["height"],
        captured_at=dt.datetime.fromisoformat(row["captured_at"]) if row["captured_at"] else None,
        source_name=row["source_name"],
        sha256=row["sha256"],
        view=View(row["view"]),
        **{name: row[name] for name in _MEASURED},
        card_found=_flag(row["card_found"]),
        region_covered=_flag(row["region_covered"]),
        measuring=bool(row["measuring"]),
        lighting_differs=verdict == DIFFERS,
        lighting_unchecked=verdict == UNCHECKED,
    )


def _answered(row: Row, keys: Sequence[str]) -> dict[str, bool | None]:
    """The questions answered (a question not answered is simply absent)."""
    return {key: bool(row[key]) for key in keys if row[key] is not None}


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _revision(tables: Sequence[Table]) -> str:
    """A fingerprint of everything read: it changes whenever anything in the
    journal changes, so a prepared export can be recognised as out of date
    and a recent snapshot reused only for the very same rows."""
    digest = hashlib.sha256()
    for table in tables:
        # marshal writes SQLite's values (None, int, float, str, bytes) exactly and
        # can be read back, so different rows never give the same bytes; it is
        # several times quicker than repr() on a year of photos' measurements.
        digest.update(marshal.dumps(table))
    return digest.hexdigest()[:16]
