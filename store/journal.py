"""The journal on disk: one SQLite file and a folder of content-addressed photos.

`Journal` is the public API the pages, the exporters, the CLI and the tests
use. It knows nothing of Streamlit. Each thread gets its own SQLite connection
(Streamlit runs every browser tab in a thread of its own), so one `Journal`
object can be shared by the whole app.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

if TYPE_CHECKING:  # pandas costs ~0.5 s to import; only entries() needs it
    import pandas as pd

from recovery.flags import Flag, evaluate
from recovery.measured import daily_measurements, disagreements
from recovery.resolution import open_flags
from recovery.risk import RiskFactor, risk_factors
from recovery.timeline import TreatmentCalendar, day_label
from store import imaging, validate
from store.errors import InvalidEntry, NotFound, PhotoRejected, StorageError
from store.files import PHOTOS, THUMBS, PhotoFiles
from store.locking import FolderLock
from store.measurements import (
    BaselinePhoto,
    Region,
    analysed_columns,
    lighting_differs,
    region_from_row,
    region_to_row,
)
from store.schema import CALIBRATION_COLUMNS, MEASUREMENT_COLUMNS, migrate
from store.settings import Settings

DB_NAME = "journal.sqlite3"
# A demo journal carries this file so it can never be taken for a real one.
DEMO_MARKER = "DEMO-JOURNAL.txt"
BUSY_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Photo:
    id: int
    entry_id: int
    day: dt.date
    area: str
    days_since_treatment: int | None
    path: Path
    thumb_path: Path
    width: int
    height: int
    captured_at: dt.datetime | None
    source_name: str
    sha256: str
    # Measured from the photo at ingest (photometry.measurement); see README.
    a_star: float | None = None
    delta_a_star: float | None = None
    erythema_index: float | None = None
    l_star: float | None = None
    b_star: float | None = None
    ita: float | None = None
    ita_category: str | None = None
    spot_count: int | None = None
    spot_fraction: float | None = None
    sharpness: float | None = None
    lighting_differs: bool = False
    # Calibration and alignment at ingest (photometry.analysis; store.schema.CALIBRATION_COLUMNS).
    calibration: str | None = None  # 'card', 'reference' or 'none' (uncalibrated)
    card_found: bool | None = None
    card_correction: str | None = None  # JSON gains
    card_residual_delta_e: float | None = None
    card_problem: str | None = None
    mm_per_px: float | None = None  # of the stored photo
    spot_area_mm2: float | None = None
    light: str | None = None  # JSON lighting probes
    alignment: str | None = None  # 'baseline', 'aligned' or 'not aligned'
    alignment_problem: str | None = None
    registration: str | None = None  # JSON, see photometry.alignment.Registration
    aligned_to: int | None = None
    region_covered: bool | None = None

    @property
    def day_label(self) -> str:
        return day_label(self.days_since_treatment)


@dataclass
class OpenReport:
    """What opening the journal found and mended."""

    orphans_removed: int = 0
    missing_files: list[str] = field(default_factory=list)


def _is_storage_problem(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return any(words in text for words in ("disk is full", "readonly", "read-only", "disk i/o", "unable to open"))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Journal:
    def __init__(self, folder: Path, settings: Settings):
        self.folder = folder
        self.settings = settings
        self.files = PhotoFiles(folder)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._lock = FolderLock(folder / ".journal.lock")
        self.open_report = OpenReport()

    # --- opening -------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path | str | None = None, *, settings: Settings | None = None) -> Journal:
        """Open (creating and migrating as needed) the journal in `folder`."""
        settings = settings or Settings()
        folder = Path(folder).expanduser() if folder is not None else settings.data_dir
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"The journal folder {folder} cannot be created: {exc.strerror or exc}.") from exc
        journal = cls(folder, settings)
        journal._start()
        return journal

    def _start(self) -> None:
        try:
            with self._db.conn:
                migrate(self._db)
        except sqlite3.DatabaseError as exc:  # OperationalError, or "file is not a database"
            raise StorageError(f"The journal database in {self.folder} cannot be opened: {exc}.") from exc
        # Only the first process to open the folder tidies it: another one
        # may be between writing a photo file and committing its row.
        if self._lock.acquire():
            self.open_report = self._tidy()

    def _tidy(self) -> OpenReport:
        report = OpenReport()
        self.files.remove_leftovers()
        known = self._referenced_files()
        for relative in self.files.stored():
            if relative not in known:
                self.files.remove(relative)
                report.orphans_removed += 1
        report.missing_files = sorted(path for path in known if not self.files.exists(path))
        return report

    def _referenced_files(self) -> set[str]:
        rows = self._db.execute("SELECT path, thumb_path FROM photos").fetchall()
        return {path for row in rows for path in row}

    def close(self) -> None:
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()
        self._lock.release()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db_path(self) -> Path:
        return self.folder / DB_NAME

    @property
    def _db(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = Database(self._connect())
            self._local.db = db
        return db

    def _connect(self) -> sqlite3.Connection:
        # Each thread uses only its own connection; check_same_thread is off so
        # that close() may shut all of them from whichever thread ends the app.
        connection = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed entry survives a power cut, not only a crash.
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        with self._connections_lock:
            self._connections.append(connection)
        return connection

    @property
    def is_demo(self) -> bool:
        return (self.folder / DEMO_MARKER).exists()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One committed transaction; a full or read-only disk becomes a StorageError."""
        try:
            with self._db.conn:
                yield
        except sqlite3.OperationalError as exc:
            if _is_storage_problem(exc):
                raise StorageError(
                    f"The journal in {self.folder} could not be saved ({exc}); nothing was changed. "
                    "Free some disk space or check the folder's permissions."
                ) from exc
            raise

    def today(self) -> dt.date:
        return self.settings.today()

    # --- profile -------------------------------------------------------------

    def profile(self) -> dict[str, Any]:
        row = self._db.execute("SELECT * FROM profile WHERE id = 1").fetchone()
        if row is None:
            return {
                "name": "",
                "fitzpatrick": None,
                "melasma_history": False,
                "pih_history": False,
                "cold_sores": False,
            }
        record = self._row(self._db, row, "profile")
        record.pop("id")
        for key in ("melasma_history", "pih_history", "cold_sores"):
            record[key] = bool(record[key])
        return record

    def save_profile(
        self,
        *,
        name: str = "",
        fitzpatrick: int | None = None,
        melasma_history: bool = False,
        pih_history: bool = False,
        cold_sores: bool = False,
    ) -> None:
        record = {
            "id": 1,
            "name": validate.notes(name, "The name")[:200],
            "fitzpatrick": validate.fitzpatrick(fitzpatrick),
            "melasma_history": int(bool(melasma_history)),
            "pih_history": int(bool(pih_history)),
            "cold_sores": int(bool(cold_sores)),
        }
        with self._writing():
            self._db["profile"].upsert(record, pk="id")

    # --- treatments ----------------------------------------------------------

    def add_treatment(
        self,
        day: dt.date | str,
        area: str | Sequence[str] = "face",
        *,
        device: str = "",
        needle_depth_mm: float | None = None,
        practitioner: str = "",
        serums: str = "",
        notes: str = "",
    ) -> int:
        """Record one treatment session of one or more areas; returns its id."""
        record = {
            "day": validate.day(day, self.today(), what="The treatment day").isoformat(),
            "device": validate.notes(device, "The device"),
            "needle_depth_mm": validate.needle_depth(needle_depth_mm),
            "practitioner": validate.notes(practitioner, "The practitioner"),
            "serums": validate.notes(serums, "The serums"),
            "notes": validate.notes(notes),
        }
        treated = validate.areas(area)
        with self._writing():
            treatment_id = self._db["treatments"].insert(record).last_pk
            self._db["treatment_areas"].insert_all({"treatment_id": treatment_id, "area": a} for a in treated)
        return int(treatment_id)

    def treatments(self) -> list[dict[str, Any]]:
        """All treatments, oldest first, each with its list of areas."""
        rows = self._db.execute(
            "SELECT t.*, group_concat(a.area) AS areas FROM treatments t "
            "JOIN treatment_areas a ON a.treatment_id = t.id GROUP BY t.id ORDER BY t.day, t.id"
        )
        columns = [c[0] for c in rows.description]
        result = []
        for row in rows.fetchall():
            record = dict(zip(columns, row))
            record["day"] = dt.date.fromisoformat(record["day"])
            record["areas"] = record["areas"].split(",")
            result.append(record)
        return result

    def delete_treatment(self, treatment_id: int) -> None:
        with self._writing():
            deleted = self._db.execute("DELETE FROM treatments WHERE id = ?", [treatment_id]).rowcount
        if not deleted:
            raise NotFound(f"There is no treatment number {treatment_id}.")

    def calendar(self) -> TreatmentCalendar:
        return TreatmentCalendar(self.treatments())

    # --- entries -------------------------------------------------------------

    def save_entry(
        self,
        day: dt.date | str,
        area: str = "face",
        *,
        redness: int | None = None,
        swelling: int | None = None,
        spots: int | None = None,
        notes: str = "",
        **checks: bool,
    ) -> int:
        """Insert or update the entry of (day, area); returns its id.

        `checks` are the yes/no items: bleeding, dryness, the aftercare
        checklist and the warning signs (see recovery.vocabulary).
        """
        record = {
            "day": validate.day(day, self.today()).isoformat(),
            "area": validate.area(area),
            "redness": validate.rating("redness", redness),
            "swelling": validate.rating("swelling", swelling),
            "spots": validate.rating("spots", spots),
            **validate.checks(checks),
            "notes": validate.notes(notes),
            "updated_at": _now(),
        }
        columns = list(record)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("day", "area"))
        sql = (
            f"INSERT INTO entries ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
            f"ON CONFLICT(day, area) DO UPDATE SET {updates} RETURNING id"
        )
        with self._writing():
            (entry_id,) = self._db.execute(sql, list(record.values())).fetchone()
        return int(entry_id)

    def ensure_entry(self, day: dt.date | str, area: str) -> int:
        """The id of the entry of (day, area), creating an unrated one if needed."""
        existing = self.entry(day, area)
        if existing is not None:
            return int(existing["id"])
        return self.save_entry(day, area)

    def entry(self, day: dt.date | str, area: str) -> dict[str, Any] | None:
        day_text = validate.day(day, self.today()).isoformat()
        records = self._entry_records("WHERE e.day = ? AND e.area = ?", [day_text, validate.area(area)])
        return records[0] if records else None

    def entry_by_id(self, entry_id: int) -> dict[str, Any]:
        records = self._entry_records("WHERE e.id = ?", [entry_id])
        if not records:
            raise NotFound(f"There is no journal entry number {entry_id}.")
        return records[0]

    def delete_entry(self, entry_id: int) -> None:
        """Delete an entry with its photos (rows first, then files)."""
        with self._writing():
            paths = self._photo_paths("entry_id = ?", [entry_id])
            deleted = self._db.execute("DELETE FROM entries WHERE id = ?", [entry_id]).rowcount
        if not deleted:
            raise NotFound(f"There is no journal entry number {entry_id}.")
        self._remove_unreferenced(paths)

    def entry_records(
        self, area: str | None = None, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[dict[str, Any]]:
        """Entries as plain dicts (day as a date, with days since treatment), oldest first."""
        clauses, params = [], []
        if area is not None:
            clauses.append("e.area = ?")
            params.append(validate.area(area))
        if start is not None:
            clauses.append("e.day >= ?")
            params.append(start.isoformat())
        if end is not None:
            clauses.append("e.day <= ?")
            params.append(end.isoformat())
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return self._entry_records(where, params)

    def entries(
        self, area: str | None = None, start: dt.date | None = None, end: dt.date | None = None
    ) -> pd.DataFrame:
        """One row per (day, area), with days_since_treatment and photo_count."""
        import pandas as pd

        records = self.entry_records(area, start, end)
        frame = pd.DataFrame.from_records(records, columns=ENTRY_COLUMNS)
        return frame

    def logged_days(self, area: str | None = None) -> set[dt.date]:
        sql = "SELECT DISTINCT day FROM entries" + (" WHERE area = ?" if area else "")
        return {dt.date.fromisoformat(row[0]) for row in self._db.execute(sql, [area] if area else [])}

    def _entry_records(self, where: str, params: list[Any]) -> list[dict[str, Any]]:
        cursor = self._db.execute(
            "SELECT e.*, (SELECT count(*) FROM photos p WHERE p.entry_id = e.id) AS photo_count "
            f"FROM entries e {where} ORDER BY e.day, e.area",
            params,
        )
        columns = [c[0] for c in cursor.description]
        calendar = self.calendar()
        records = []
        for row in cursor.fetchall():
            record = dict(zip(columns, row))
            record["day"] = dt.date.fromisoformat(record["day"])
            placement = calendar.place(record["day"], record["area"])
            record["treatment_id"] = placement.treatment_id
            record["treatment_day"] = placement.treatment_day
            record["days_since_treatment"] = placement.days_since_treatment
            record["day_label"] = day_label(placement.days_since_treatment)
            records.append(record)
        return records

    # --- recovery ------------------------------------------------------------

    def flags(self, area: str | None = None) -> list[Flag]:
        """What persists, worsens or needs attention, most serious first."""
        # Rules such as gaps look at every treated area, so judge the whole
        # journal and keep the area asked for.
        entries = self.entry_records()
        flags = evaluate(entries, self.profile(), self.treatments(), self.today(), self.settings.thresholds)
        flags += disagreements(entries, self.measurements())
        return [flag for flag in flags if area is None or flag.area == area]

    def open_flags(self, area: str | None = None) -> list[Flag]:
        """Flags whose condition has not eased since: what to act on today."""
        return open_flags(self.flags(area), self.entry_records(area), self.today())

    def measurements(self, area: str | None = None) -> list[dict[str, Any]]:
        """Per day and area, what the photos measure relative to the area's calmest photo."""
        return daily_measurements(self.photos(area=area))

    def risk_factors(self) -> list[RiskFactor]:
        return risk_factors(self.profile(), self.treatments(), self.entry_records(), self.settings.thresholds)

    # --- photos --------------------------------------------------------------

    def add_photo(self, entry_id: int, data: bytes, filename: str = "photo.jpg") -> int:
        """Store a photo on an entry; raises PhotoRejected with the file's name and the reason."""
        entry = self.entry_by_id(entry_id)
        photo = imaging.ingest(data, filename)
        self._refuse_duplicate(photo, filename)
        region = self.region(entry["area"])
        # The area's first photo, unless this one comes before it (then this one is the baseline).
        first = self._baselines({entry["area"]}).get(entry["area"])
        baseline = None
        if first is not None and first["day"] <= str(entry["day"]):
            baseline = BaselinePhoto(first["id"], self.files.absolute(first["path"]), first["sha256"], first)
        photo_path = self.files.relative_path(PHOTOS, photo.stored_sha256)
        thumb_path = self.files.relative_path(THUMBS, photo.stored_sha256)
        try:
            # Files first, row second: a crash in between leaves only an orphan
            # file, which the next open removes; a failure (full disk) removes
            # whatever was written, the photo as well as its thumbnail.
            # The fsynced writes mostly wait for the disk, so they run in a
            # helper thread while the photo is measured; the row is committed
            # only once both files are durable (a third of add_photo's time
            # on a 12 MP JPEG, see benchmarks/README.md).
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="photo-write") as pool:
                # The thumbnail is encoded in that thread too (photo.thumbnail is lazy).
                written = pool.submit(self._write_photo_files, photo, photo_path, thumb_path)
                measured = analysed_columns(photo.preview, region, (photo.width, photo.height), baseline)
                written.result()  # re-raises the writer's StorageError
            record = {
                "entry_id": entry["id"],
                "sha256": photo.stored_sha256,
                "source_sha256": photo.source_sha256,
                "path": photo_path,
                "thumb_path": thumb_path,
                "width": photo.width,
                "height": photo.height,
                "captured_at": photo.captured_at.isoformat() if photo.captured_at else None,
                "source_name": str(filename)[:255],
                "added_at": _now(),
                **measured,
            }
            with self._writing():
                photo_id = self._db["photos"].insert(record).last_pk
        except BaseException:
            self._remove_unreferenced([photo_path, thumb_path])
            raise
        return int(photo_id)

    def _write_photo_files(self, photo: imaging.IngestedPhoto, photo_path: str, thumb_path: str) -> None:
        self.files.write(photo_path, photo.stored)
        self.files.write(thumb_path, photo.thumbnail)

    def _refuse_duplicate(self, photo: imaging.IngestedPhoto, filename: str) -> None:
        where = self.find_photo(photo.source_sha256) or self.find_photo(photo.stored_sha256)
        if where is not None:
            raise PhotoRejected(
                filename, f"this photo is already in your journal ({where.area}, {where.day.isoformat()})"
            )

    def find_photo(self, digest: str) -> Photo | None:
        """A stored photo whose original upload or stored copy has this SHA-256."""
        photos = self._photos("p.source_sha256 = ? OR p.sha256 = ?", [digest, digest])
        return photos[0] if photos else None

    def photos(self, entry_id: int | None = None, area: str | None = None) -> list[Photo]:
        """Photo records in day order, with absolute paths to the file and thumbnail."""
        clauses, params = [], []
        if entry_id is not None:
            clauses.append("p.entry_id = ?")
            params.append(entry_id)
        if area is not None:
            clauses.append("e.area = ?")
            params.append(validate.area(area))
        return self._photos(" AND ".join(clauses) or "1", params)

    def photo(self, photo_id: int) -> Photo:
        photos = self._photos("p.id = ?", [photo_id])
        if not photos:
            raise NotFound(f"There is no photo number {photo_id}.")
        return photos[0]

    def previous_photo(self, area: str, before: dt.date) -> Photo | None:
        """The latest photo of an area taken on a day before `before` (a framing reference)."""
        photos = self._photos("e.area = ? AND e.day < ?", [validate.area(area), before.isoformat()])
        return photos[-1] if photos else None

    def delete_photo(self, photo_id: int) -> None:
        with self._writing():
            paths = self._photo_paths("id = ?", [photo_id])
            if not paths:
                raise NotFound(f"There is no photo number {photo_id}.")
            self._db.execute("DELETE FROM photos WHERE id = ?", [photo_id])
        self._remove_unreferenced(paths)

    _PHOTO_SELECT = (
        "SELECT p.id, p.entry_id, e.day, e.area, p.path, p.thumb_path, p.width, p.height, "
        "p.captured_at, p.source_name, p.sha256, "
        + ", ".join(f"p.{column}" for column in (*MEASUREMENT_COLUMNS, *CALIBRATION_COLUMNS))
        + " FROM photos p JOIN entries e ON e.id = p.entry_id "
    )

    def _photos(self, where: str, params: list[Any]) -> list[Photo]:
        cursor = self._db.execute(f"{self._PHOTO_SELECT} WHERE {where} ORDER BY e.day, e.area, p.id", params)
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
        calendar = self.calendar()
        baselines = self._baselines({row["area"] for row in rows})
        return [self._photo(row, calendar, baselines.get(row["area"])) for row in rows]

    def _baselines(self, areas: set[str]) -> dict[str, dict[str, Any]]:
        """The first photo of each area: the light every later photo is compared with."""
        baselines = {}
        for area in areas:
            cursor = self._db.execute(f"{self._PHOTO_SELECT} WHERE e.area = ? ORDER BY e.day, p.id LIMIT 1", [area])
            columns = [c[0] for c in cursor.description]
            row = cursor.fetchone()
            if row is not None:
                baselines[area] = dict(zip(columns, row))
        return baselines

    def _photo(self, row: dict[str, Any], calendar: TreatmentCalendar, baseline: dict[str, Any] | None) -> Photo:
        day = dt.date.fromisoformat(row["day"])
        stored = {**MEASUREMENT_COLUMNS, **CALIBRATION_COLUMNS}
        measured = {name: row[name] for name in Photo.__dataclass_fields__ if name in stored}
        for flag in ("card_found", "region_covered"):
            measured[flag] = None if row[flag] is None else bool(row[flag])
        return Photo(
            id=row["id"],
            entry_id=row["entry_id"],
            day=day,
            area=row["area"],
            days_since_treatment=calendar.place(day, row["area"]).days_since_treatment,
            path=self.files.absolute(row["path"]),
            thumb_path=self.files.absolute(row["thumb_path"]),
            width=row["width"],
            height=row["height"],
            captured_at=dt.datetime.fromisoformat(row["captured_at"]) if row["captured_at"] else None,
            source_name=row["source_name"],
            sha256=row["sha256"],
            lighting_differs=lighting_differs(baseline, row) if baseline and baseline["id"] != row["id"] else False,
            **measured,
        )

    # --- measuring regions ---------------------------------------------------

    def region(self, area: str) -> Region:
        """Where the photos of an area are measured (the centre unless the patient chose)."""
        row = self._db.execute(
            "SELECT roi, reference FROM area_regions WHERE area = ?", [validate.area(area)]
        ).fetchone()
        return region_from_row(*(row or (None, None)))

    def set_region(self, area: str, region: Region, progress: Callable[[int, int], None] | None = None) -> int:
        """Save an area's region and re-measure its photos; returns how many were measured."""
        try:
            row = region_to_row(region)
        except ValueError as exc:
            raise InvalidEntry(str(exc)) from None
        with self._writing():
            self._db["area_regions"].upsert({"area": validate.area(area), **row}, pk="area")
        photos = self.photos(area=area)
        baseline = None  # the first photo is measured first; the others are aligned to it again
        for done, photo in enumerate(photos, start=1):
            preview = imaging.decode_preview(photo.path.read_bytes())
            columns = analysed_columns(preview, region, (photo.width, photo.height), baseline)
            assignments = ", ".join(f"{name} = ?" for name in columns)
            with self._writing():
                self._db.execute(f"UPDATE photos SET {assignments} WHERE id = ?", [*columns.values(), photo.id])
            if baseline is None:
                baseline = BaselinePhoto(photo.id, photo.path, photo.sha256, {"id": photo.id, **columns})
            if progress:
                progress(done, len(photos))
        return len(photos)

    def _photo_paths(self, where: str, params: list[Any]) -> list[str]:
        rows = self._db.execute(f"SELECT path, thumb_path FROM photos WHERE {where}", params).fetchall()
        return [path for row in rows for path in row]

    def _remove_unreferenced(self, paths: Iterable[str]) -> None:
        for path in paths:
            still_used = self._db.execute(
                "SELECT 1 FROM photos WHERE path = ? OR thumb_path = ? LIMIT 1", [path, path]
            ).fetchone()
            if not still_used:
                self.files.remove(path)

    # --- helpers -------------------------------------------------------------

    @staticmethod
    def _row(db: Database, row: tuple, table: str) -> dict[str, Any]:
        return dict(zip(db[table].columns_dict, row))

    def revision(self) -> tuple:
        """Changes whenever anything in the journal changes: lets a prepared
        export be recognised as out of date."""
        return self._db.execute(
            "SELECT (SELECT count(*) || ':' || coalesce(max(updated_at), '') || ':' || coalesce(sum(id), 0)"
            " FROM entries),"
            " (SELECT count(*) || ':' || coalesce(sum(id), 0) FROM photos),"
            " (SELECT count(*) || ':' || coalesce(sum(id), 0) FROM treatments),"
            " (SELECT coalesce(name, '') || fitzpatrick || melasma_history || pih_history || cold_sores FROM profile),"
            " (SELECT group_concat(area || roi || coalesce(reference, '')) FROM area_regions)"
        ).fetchone()

    def integrity_check(self) -> str:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def iter_photo_files(self) -> Iterator[tuple[str, str]]:
        """(relative path, expected sha256) of every stored photo file."""
        yield from self._db.execute("SELECT path, sha256 FROM photos ORDER BY id")

    # --- exports and backups (export/, store/backup.py) ----------------------

    def backup(self) -> bytes:
        """The whole journal as one ZIP file (see store.backup)."""
        from store.backup import backup

        return backup(self)

    @classmethod
    def restore(cls, data: bytes, folder: Path | str, *, settings: Settings | None = None) -> Journal:
        """Restore a backup into an empty or new folder; raises store.backup.RestoreRefused."""
        from store.backup import restore

        return restore(data, folder, settings=settings)

    def export_csv(self, area: str | None = None, start: dt.date | None = None, end: dt.date | None = None) -> bytes:
        """The entries as CSV, units and scales named in the header (see export.csv_export)."""
        from export.csv_export import entries_csv

        return entries_csv(self.entry_records(area, start, end))

    def export_fhir(self, area: str | None = None, include_photos: bool = False) -> bytes:
        """A FHIR R4 Bundle of patient-reported observations (see export.fhir)."""
        from export.fhir import PhotoContent, journal_bundle

        treatments = [t for t in self.treatments() if area is None or area in t["areas"]]
        photos = (
            PhotoContent(p.day, p.area, p.path.read_bytes(), p.width, p.height, p.day_label)
            for p in (self.photos(area=area) if include_photos else [])
        )
        generated = dt.datetime.now(dt.UTC)
        return journal_bundle(self.profile(), treatments, self.entry_records(area), photos, generated_at=generated)

    def export_pdf(
        self,
        area: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        include_photos: bool = True,
    ) -> bytes:
        """The summary for a dermatologist as PDF bytes (see export.pdf)."""
        from export.pdf import summary_pdf

        return summary_pdf(
            profile=self.profile(),
            treatments=self.treatments(),
            entries=self.entry_records(area, start, end),
            flags=self.flags(area),
            risk_factors=self.risk_factors(),
            photos=self.photos(area=area) if include_photos else [],
            measurements=self.measurements(area),
            area=area,
            start=start,
            end=end,
            exported=self.today(),
        )


ENTRY_COLUMNS = [
    "id",
    "day",
    "area",
    "days_since_treatment",
    "day_label",
    "treatment_id",
    "treatment_day",
    "redness",
    "swelling",
    "spots",
    *validate.CHECK_KEYS,
    "notes",
    "photo_count",
    "updated_at",
]

__all__ = ["Journal", "Photo", "OpenReport", "InvalidEntry", "ENTRY_COLUMNS"]
