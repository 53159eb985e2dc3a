"""The journal on disk: one SQLite file and a folder of content-addressed photos.

`JournalStore` is persistence only (healing_journal.Journal, the one journal
of the app and of scripts, builds on it): it opens (creating and migrating) the journal,
writes profile, treatments, entries, photos and measuring regions, and reads
the whole journal as one typed `JournalSnapshot` (store.snapshot). Judging
the recovery, exporting and backing up live elsewhere and work on snapshots.

Each thread gets its own SQLite connection (Streamlit runs every script run in
a thread of its own), so one journal object can be shared by the whole app;
a thread's connection is closed with `release_thread()` at the end of a run,
or when the thread ends.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import copy_context
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from sqlite_utils import Database

from recovery.edits import entry_fields, profile_fields, treatment_fields
from recovery.language import _, weekday_date
from recovery.model import Entry, JournalSnapshot, Photo, Profile, Treatment
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
    views_of,
)
from store import drafts, privacy, validate, versions
from store.app_lock import APP_LOCK_FILES
from store.drafts import Draft, DraftPhoto
from store.errors import Conflict, InvalidEntry, JournalBusy, NotFound, PhotoRejected, StorageError
from store.leftovers import Leftover, remove_abandoned
from store.locking import FolderLock
from store.photos import first_photo, imaging
from store.photos.analysed import BaselinePhoto, Region, analysed_columns, region_from_row, region_to_row
from store.photos.files import PHOTOS, THUMBS, PhotoFiles
from store.photos.later import PhotoWork
from store.preferences import PREFERENCES_NAME
from store.schema import CALIBRATION_COLUMNS, MEASUREMENT_COLUMNS, migrate
from store.settings import Settings
from store.signing_key import KEY_NAME
from store.snapshot import PHOTO_COLUMNS, STORED_PHOTO_COLUMNS, photo, product, read_snapshot, response, treatment
from store.snapshot import entry as entry_record
from store.snapshot import profile as profile_record

_log = logging.getLogger(__name__)

DB_NAME = "journal.sqlite3"
MAX_RECIPIENT = 200  # of "Who is this for?", as much as a name (store.backup.restore_checks.MAX_NAME)
# Plans of a photo change made again when another window wrote meanwhile, before
# the last one is made under the write lock (store.photos.first_photo).
REALIGN_TRIES = 3
# A demo journal carries this file so it can never be taken for a real one.
DEMO_MARKER = "DEMO-JOURNAL.txt"
LOCK_NAME = ".journal.lock"
BUSY_TIMEOUT_MS = 15_000

# SQLite result codes (the primary code is the low byte of an extended code).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED = 3, 5, 6
_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 8, 10, 13, 14
_DISK_PROBLEMS = {_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN}


@dataclass
class OpenReport:
    """What opening the journal found and mended."""

    orphans_removed: int = 0
    missing_files: list[str] = field(default_factory=list)
    # Unfinished files of killed backups and restores, removed (store.leftovers).
    leftovers_removed: list[Leftover] = field(default_factory=list)
    # Said when the data folder was open to other accounts and has been made private.
    folder_tightened: str | None = None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _file_digest(data: bytes | Path) -> str:
    """The SHA-256 of bytes, or of a file read in chunks (a backup may be larger than memory allows)."""
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    with open(data, "rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


def storage_error(exc: sqlite3.Error, folder: Path) -> StorageError:
    """An SQLite failure as a named error, judged by its result code, not its text."""
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return JournalBusy(
            f"The journal in {folder} is busy: another program kept it locked. Nothing was changed; try again."
        )
    if code in _DISK_PROBLEMS:
        return StorageError(
            f"The journal in {folder} could not be saved ({exc}); nothing was changed. "
            "Free some disk space or check the folder's permissions."
        )
    return StorageError(f"The journal in {folder} could not be saved ({exc}); nothing was changed.")


class _ThreadConnection:
    """A thread's connection; closed when the thread's storage is dropped
    without handing it back (a thread that ended without `release_thread`)."""

    def __init__(self, db: Database):
        self.db: Database | None = db

    def hand_back(self) -> Database | None:
        db, self.db = self.db, None
        return db

    def close(self) -> None:
        db = self.hand_back()
        if db is not None:
            db.conn.close()

    def __del__(self) -> None:
        self.close()


# Connections kept open for the next run: a page run in a new thread reuses one
# instead of opening the file and setting it up again.
IDLE_CONNECTIONS = 4


class JournalStore:
    def __init__(self, folder: Path, settings: Settings):
        self.folder = folder
        self.settings = settings
        self.files = PhotoFiles(folder)
        self._local = threading.local()
        # Weak: a connection lives as long as its thread's storage (or until
        # release_thread / close), never kept alive by this set.
        self._connections: weakref.WeakSet[_ThreadConnection] = weakref.WeakSet()
        self._idle: list[Database] = []
        self._connections_lock = threading.Lock()
        self._lock = FolderLock(folder / LOCK_NAME)
        self._statements = 0
        self.open_report = OpenReport()
        # Photos saved with measure_later: measured in a thread after the answer (store.photos.later).
        self.photo_work = PhotoWork(self._measure_next, self.release_thread)

    # --- opening -------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path | str | None = None, *, settings: Settings | None = None) -> Self:
        """Open (creating and migrating as needed) the journal in `folder`
        (default: the folder of `settings`, else the per-user data folder)."""
        if settings is None:
            settings = Settings() if folder is None else Settings(data_dir=Path(folder).expanduser())
        path = Path(folder).expanduser() if folder is not None else settings.data_dir
        privacy.check_data_folder(path)  # a symlink, or another account's open folder: refused
        was_open = privacy.too_open(path)
        try:
            privacy.private_folder(path)
        except OSError as exc:
            raise StorageError(f"The journal folder {path} cannot be created: {exc.strerror or exc}.") from exc
        journal = cls(path, settings)
        journal._start()
        # After _start: the database and its -wal/-shm exist by now.
        privacy.tighten_journal(path, DB_NAME, (LOCK_NAME, DEMO_MARKER, PREFERENCES_NAME, KEY_NAME, *APP_LOCK_FILES))
        if was_open is not None:
            journal.open_report.folder_tightened = (
                f"The journal folder {path} was open to other accounts on this computer "
                f"(permissions {was_open:04o}); it is now private to your account (0700)."
            )
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
        # A photo still waiting to be measured (the app stopped first) is measured now, in the background.
        if self._db.execute("SELECT 1 FROM photos WHERE measuring = 1 LIMIT 1").fetchone() is not None:
            self.photo_work.start()

    def _tidy(self) -> OpenReport:
        report = OpenReport()
        self.files.remove_leftovers()
        report.leftovers_removed = remove_abandoned(self.folder)
        rows = self._db.execute("SELECT path, thumb_path FROM photos").fetchall()
        known = {path for row in rows for path in row}
        for relative in self.files.stored():
            if relative not in known:
                self.files.remove(relative)
                report.orphans_removed += 1
        report.missing_files = sorted(path for path in known if not self.files.exists(path))
        drafts.remove_unreferenced(self._db, self.files)
        return report

    def close(self) -> None:
        self.photo_work.close()  # the photo being measured is finished (or left waiting), no other started
        with self._connections_lock:
            for holder in list(self._connections):
                holder.close()
            for idle in self._idle:
                idle.conn.close()
            self._idle.clear()
        self._local = threading.local()
        self._lock.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db_path(self) -> Path:
        return self.folder / DB_NAME

    @property
    def is_demo(self) -> bool:
        return (self.folder / DEMO_MARKER).exists()

    def today(self) -> dt.date:
        return self.settings.today()

    # --- connections ---------------------------------------------------------

    @property
    def _db(self) -> Database:
        holder: _ThreadConnection | None = getattr(self._local, "connection", None)
        if holder is None or holder.db is None:
            with self._connections_lock:
                reused = self._idle.pop() if self._idle else None
            holder = _ThreadConnection(reused or Database(self._connect()))
            self._local.connection = holder
            with self._connections_lock:
                self._connections.add(holder)
        assert holder.db is not None
        return holder.db

    def _connect(self) -> sqlite3.Connection:
        # Each thread uses only its own connection; check_same_thread is off so
        # that close() may shut all of them from whichever thread ends the app.
        connection = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        connection.set_trace_callback(self._count_statement)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed entry survives a power cut, not only a crash.
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        return connection

    def release_thread(self) -> None:
        """Hand this thread's connection back (the app calls it at the end of each
        run): a few are kept for the next runs, the rest are closed, so the
        number of open files never grows with the number of runs."""
        holder: _ThreadConnection | None = getattr(self._local, "connection", None)
        if holder is None:
            return
        del self._local.connection
        db = holder.hand_back()
        if db is None:
            return
        if db.conn.in_transaction:
            db.conn.rollback()
        with self._connections_lock:
            if len(self._idle) < IDLE_CONNECTIONS:
                self._idle.append(db)
                return
        db.conn.close()

    def _count_statement(self, _sql: str) -> None:
        self._statements += 1

    @property
    def statement_count(self) -> int:
        """SQL statements run so far on all connections (benchmarks and tests read it)."""
        return self._statements

    @contextmanager
    def _writing(self) -> Iterator[Database]:
        """One committed transaction; an SQLite failure becomes a StorageError."""
        db = self._db
        try:
            with db.conn:
                # Take the write lock first: what a write reads to decide (a
                # version, a row's existence) cannot change before it commits.
                if not db.conn.in_transaction:
                    db.execute("BEGIN IMMEDIATE")
                yield db
        except sqlite3.Error as exc:
            raise storage_error(exc, self.folder) from exc

    # --- reading -------------------------------------------------------------

    def snapshot(self) -> JournalSnapshot:
        """Everything in the journal, as typed records, read in one transaction."""
        try:
            return read_snapshot(self._db, self.files, self.today(), is_demo=self.is_demo)
        except sqlite3.Error as exc:
            raise storage_error(exc, self.folder) from exc

    # --- profile -------------------------------------------------------------

    def save_profile(
        self,
        *,
        name: str = "",
        fitzpatrick: int | None = None,
        melasma_history: bool = False,
        pih_history: bool = False,
        cold_sores: bool = False,
        country: str | None = None,
        language: str | None = None,
        based_on: str | None = None,
        **answers: bool | int | None,
    ) -> str:
        """Save the profile; returns its new version. `answers` are the profile
        questions (recovery.vocabulary.PROFILE_QUESTIONS), each not given stays not
        answered. `country` is an ISO 3166-1 alpha-2 code ("ES"), None for not set:
        the cards name its emergency number. `language` is "en", "es" or "ar", None for
        not chosen: what the app, the phone page and the exports speak. With `based_on`
        (the version the form was filled from), a profile changed meanwhile raises Conflict instead."""
        record = {
            "id": 1,
            "name": validate.notes(name, "The name")[:200],
            "fitzpatrick": validate.fitzpatrick(fitzpatrick),
            "melasma_history": int(bool(melasma_history)),
            "pih_history": int(bool(pih_history)),
            "cold_sores": int(bool(cold_sores)),
            "country": validate.country(country),
            "language": validate.language(language),
            **validate.yes_no(answers, PROFILE_QUESTION_KEYS, "profile question"),
            "version": versions.new_version(),
        }
        attempted = profile_fields(profile_record(record))
        with self._writing() as db:
            if based_on is not None:
                stored = self._stored_profile(db)
                if stored.version != based_on and profile_fields(stored) != attempted:
                    raise Conflict(
                        _(
                            "Your profile was changed in another window or on another device after you opened it, "
                            "so nothing was saved: compare the two versions and choose what to keep."
                        ),
                        stored=stored,
                        attempted=attempted,
                        based_on=based_on,
                    )
            db.table("profile").upsert(record, pk="id")
        return str(record["version"])

    def _stored_profile(self, db: Database) -> Profile:
        row = _one_row(db, "SELECT * FROM profile WHERE id = 1")
        return Profile() if row is None else profile_record(row)

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
        practitioner_contact: str = "",
        reason: str = "",
        **answers: bool | int | None,
    ) -> int:
        """Record one treatment session of one or more areas; returns its id.
        `answers` are the questions about the day (recovery.vocabulary.TREATMENT_QUESTIONS)."""
        record = self._treatment_record(
            day,
            device=device,
            needle_depth_mm=needle_depth_mm,
            practitioner=practitioner,
            practitioner_contact=practitioner_contact,
            serums=serums,
            notes=notes,
            reason=reason,
            answers=answers,
        )
        treated = validate.areas(area)
        with self._writing() as db:
            treatment_id = _row_id(db.table("treatments").insert(record).last_pk)
            db.table("treatment_areas").insert_all({"treatment_id": treatment_id, "area": a} for a in treated)
        return treatment_id

    def save_usual_skin(
        self,
        treatment_day: dt.date,
        areas: Sequence[str],
        ratings: Mapping[str, Any],
        photo: tuple[bytes, str] | None = None,
    ) -> list[int]:
        """Save how the skin usually looks, as the day before the treatment, for each
        area that has no day logged before it yet (that day is its baseline).
        Returns the ids of the days saved; the photo (bytes, file name) goes on the first."""
        if not any(value is not None for value in ratings.values()):
            return []
        day = validate.day(treatment_day, self.today()) - dt.timedelta(days=1)
        saved = []
        for area in validate.areas(areas):
            earlier = self._db.execute(
                "SELECT 1 FROM entries WHERE area = ? AND day < ? LIMIT 1", [area, treatment_day.isoformat()]
            ).fetchone()
            if earlier is None:
                saved.append(self.save_entry(day, area, notes="How my skin usually looks", **ratings))
        if photo is not None and saved:
            data, filename = photo
            # The overview (front, or the whole area): the skin before treatment is
            # compared with the same view later, and photos compare only within a view.
            first_area = validate.areas(areas)[0]
            self.add_photo(saved[0], data, filename, view=views_of(first_area)[0])
        return saved

    def update_treatment(
        self,
        treatment_id: int,
        day: dt.date | str,
        area: str | Sequence[str],
        *,
        device: str = "",
        needle_depth_mm: float | None = None,
        practitioner: str = "",
        serums: str = "",
        notes: str = "",
        practitioner_contact: str = "",
        reason: str = "",
        based_on: str | None = None,
        **answers: bool | int | None,
    ) -> str:
        """Replace a treatment's details, areas and answers; returns its new version.
        With `based_on`, a treatment changed or removed meanwhile raises Conflict."""
        record = self._treatment_record(
            day,
            device=device,
            needle_depth_mm=needle_depth_mm,
            practitioner=practitioner,
            practitioner_contact=practitioner_contact,
            serums=serums,
            notes=notes,
            reason=reason,
            answers=answers,
        )
        treated = validate.areas(area)
        attempted = treatment_fields(treatment({**record, "id": treatment_id, "areas": ",".join(treated)}))
        with self._writing() as db:
            stored = self._stored_treatment(db, treatment_id)
            if based_on is not None:
                self._check_treatment(stored, based_on, attempted)
            if stored is None:
                raise NotFound(f"There is no treatment number {treatment_id}: it was removed.")
            assignments = ", ".join(f"{column} = ?" for column in record)
            db.execute(f"UPDATE treatments SET {assignments} WHERE id = ?", [*record.values(), treatment_id])
            db.execute("DELETE FROM treatment_areas WHERE treatment_id = ?", [treatment_id])
            db.table("treatment_areas").insert_all({"treatment_id": treatment_id, "area": a} for a in treated)
        return str(record["version"])

    def delete_treatment(self, treatment_id: int, *, based_on: str | None = None) -> None:
        """Remove a treatment (the daily entries stay). With `based_on`, one changed
        meanwhile raises Conflict; one already removed raises NotFound."""
        with self._writing() as db:
            stored = self._stored_treatment(db, treatment_id)
            if stored is None:
                raise NotFound(
                    f"Treatment number {treatment_id} is not in the journal: it was already removed "
                    "(perhaps in another window)."
                )
            if based_on is not None and stored.version != based_on:
                self._check_treatment(stored, based_on, None)
            db.execute("DELETE FROM treatments WHERE id = ?", [treatment_id])

    def _treatment_record(
        self,
        day: dt.date | str,
        *,
        device: str,
        needle_depth_mm: float | None,
        practitioner: str,
        practitioner_contact: str,
        serums: str,
        notes: str,
        reason: str = "",
        answers: Mapping[str, bool | int | None],
    ) -> dict[str, Any]:
        return {
            "day": validate.session_day(day, self.today()).isoformat(),
            "device": validate.notes(device, "The device"),
            "needle_depth_mm": validate.needle_depth(needle_depth_mm),
            "practitioner": validate.notes(practitioner, "The practitioner"),
            "practitioner_contact": validate.notes(practitioner_contact, "The practitioner's contact")[:200],
            "serums": validate.notes(serums, "The serums"),
            "notes": validate.notes(notes),
            "reason": validate.notes(reason, "The reason for treatment"),
            **validate.yes_no(answers, TREATMENT_QUESTION_KEYS, "treatment question"),
            "version": versions.new_version(),
        }

    def _stored_treatment(self, db: Database, treatment_id: int) -> Treatment | None:
        row = _one_row(
            db,
            "SELECT t.*, group_concat(a.area) AS areas FROM treatments t "
            "JOIN treatment_areas a ON a.treatment_id = t.id WHERE t.id = ? GROUP BY t.id",
            [treatment_id],
        )
        return None if row is None else treatment(row)

    @staticmethod
    def _check_treatment(stored: Treatment | None, based_on: str, attempted: dict[str, Any] | None) -> None:
        if stored is not None and (stored.version == based_on or treatment_fields(stored) == attempted):
            return
        message = (
            _(
                "This treatment was removed in another window or on another device after you opened it, "
                "so nothing was saved: compare the two versions and choose what to keep."
            )
            if stored is None
            else _(
                "This treatment was changed in another window or on another device after you opened it, "
                "so nothing was saved: compare the two versions and choose what to keep."
            )
        )
        raise Conflict(
            message,
            stored=stored,
            attempted=attempted or {},
            based_on=based_on,
        )

    # --- after treatment: products and medicines, and what was done about a flag ---

    def add_product(self, day: dt.date | str, kind: ProductKind | str, name: str, notes: str = "") -> int:
        """Record a product put on the skin, or a medicine started, from `day`; returns its id.
        The same product from the same day twice (a second window, a double tap) is refused."""
        record = self._product_record(day, kind, name, notes)
        with self._writing() as db:
            same = db.execute(
                "SELECT name FROM products WHERE day = ? AND kind = ? AND lower(name) = lower(?)",
                [record["day"], record["kind"], record["name"]],
            ).fetchone()
            if same:
                raise InvalidEntry(
                    f"{same[0]} is already in the list from {dt.date.fromisoformat(record['day']):%d %B %Y}."
                )
            return _row_id(db.table("products").insert(record).last_pk)

    def delete_product(self, product_id: int, *, based_on: str | None = None) -> None:
        """Remove a product from the list; with `based_on` (its version as the page showed it),
        one changed meanwhile raises Conflict."""
        with self._writing() as db:
            found = _one_row(db, "SELECT * FROM products WHERE id = ?", [product_id])
            if found is None:
                raise NotFound(f"There is no product or medicine number {product_id}: it was removed.")
            stored = product(found)
            if based_on is not None and stored.version != based_on:
                raise Conflict(
                    _(
                        "{name} was changed in another window or on another device after you opened it, so it "
                        "was not removed: look at it as it is now, then remove it again if you still want to."
                    ).format(name=stored.name),
                    stored=stored,
                    attempted={},
                    based_on=based_on,
                )
            db.execute("DELETE FROM products WHERE id = ?", [product_id])

    def _product_record(self, day: dt.date | str, kind: ProductKind | str, name: str, notes: str) -> dict[str, Any]:
        try:
            chosen = ProductKind(kind)
        except ValueError:
            raise InvalidEntry(f"'{kind!s:.40}' is not a kind of product or medicine the journal knows.") from None
        named = validate.notes(name, "The name").strip()
        if not named:
            raise InvalidEntry("Give the product or medicine a name.")
        return {
            "day": validate.day(day, self.today()).isoformat(),
            "kind": chosen.value,
            "name": named[:200],
            "notes": validate.notes(notes),
            "version": versions.new_version(),
            "updated_at": _now(),
        }

    def save_response(
        self, card_key: str, action: FlagAction | str, note: str = "", *, based_on: str | None = None
    ) -> None:
        """What the patient did about a flag's card (recovery.cards.Card.key); a later answer replaces it.
        `based_on` is the version of the answer the page showed (versions.NONE: none yet): an answer
        given meanwhile elsewhere raises Conflict, unless this one says the same."""
        try:
            chosen = FlagAction(action)
        except ValueError:
            raise InvalidEntry(f"'{action!s:.40}' is not one of the answers to 'What did you do?'.") from None
        key = validate.notes(card_key, "The flag")[:200]
        attempted = {"action": chosen, "note": validate.notes(note)}
        record = {
            "card_key": key,
            "action": chosen.value,
            "note": validate.notes(note),
            "day": self.today().isoformat(),
            "version": versions.new_version(),
            "updated_at": _now(),
        }
        with self._writing() as db:
            if based_on is not None:
                self._check_response(db, key, based_on, attempted)
            db.table("flag_responses").upsert(record, pk="card_key")

    @staticmethod
    def _check_response(db: Database, key: str, based_on: str, attempted: dict[str, Any]) -> None:
        row = _one_row(db, "SELECT * FROM flag_responses WHERE card_key = ?", [key])
        stored = None if row is None else response(row)
        if (versions.NONE if stored is None else stored.version) == based_on:
            return
        if stored is not None and {"action": stored.action, "note": stored.note} == attempted:
            return  # the same answer: nothing is overwritten
        if stored is None:
            message = _(
                "What you did about this flag was taken back in another window or on another device after you "
                "opened it, so your answer was not saved: it now shows what is stored; choose again if it is "
                "not right."
            )
        else:
            message = _(
                "What you did about this flag was answered '{action}' in another window or on another device "
                "after you opened it, so your answer was not saved: it now shows what is stored; choose again "
                "if it is not right."
            ).format(action=stored.action.label)
        raise Conflict(
            message,
            stored=stored,
            attempted=attempted,
            based_on=based_on,
        )

    # --- what was shared, with whom -----------------------------------------

    def record_share(self, kind: ShareKind | str, recipient: str, included: str, data: bytes | Path) -> int:
        """Record that the file `data` (of `kind`; its bytes, or a saved file's path) was handed
        to `recipient` ("" = not said), holding `included` (in words); returns the record's id.
        Only the SHA-256 of the file is kept, so the patient can later tell which file a clinic has."""
        try:
            chosen = ShareKind(kind)
        except ValueError:
            raise InvalidEntry(f"'{kind!s:.40}' is not a kind of file the journal exports.") from None
        record = {
            "day": self.today().isoformat(),
            "kind": chosen.value,
            "recipient": validate.notes(recipient, "The recipient").strip()[:MAX_RECIPIENT],
            "included": validate.notes(included, "What was included").strip(),
            "sha256": _file_digest(data),
            "version": versions.new_version(),
            "updated_at": _now(),
        }
        with self._writing() as db:
            return _row_id(db.table("shares").insert(record).last_pk)

    def _calendar(self) -> TreatmentCalendar:
        rows = self._db.execute(
            "SELECT t.*, group_concat(a.area) AS areas FROM treatments t "
            "JOIN treatment_areas a ON a.treatment_id = t.id GROUP BY t.id"
        )
        columns = [c[0] for c in rows.description]
        return TreatmentCalendar(treatment(dict(zip(columns, row))) for row in rows.fetchall())

    # --- entries -------------------------------------------------------------

    def save_entry(
        self,
        day: dt.date | str,
        area: str = "face",
        *,
        redness: int | None = None,
        swelling: int | None = None,
        spots: int | None = None,
        pain: int | None = None,
        itch: int | None = None,
        notes: str = "",
        based_on: str | None = None,
        discard_draft: bool = False,
        **answers: bool | int | None,
    ) -> int:
        """Insert or update the entry of (day, area); returns its id.

        `answers` are the yes/no items (recovery.vocabulary.QUESTIONS): bleeding,
        dryness, the aftercare checklist and the warning signs; one not given
        is stored as not answered.

        `based_on` is the version of the entry the patient's form showed
        (store.versions.NONE for a day not logged yet): an entry changed,
        created or deleted meanwhile raises Conflict and nothing is written,
        unless the save would store exactly what is there. Without it the
        save is unchecked (scripts). `discard_draft` removes the day's draft
        (store.drafts) in the same transaction.
        """
        ratings = dict(zip(RATED_SIGNS, (redness, swelling, spots, pain, itch), strict=True))
        day_value = validate.day(day, self.today())
        place = validate.area(area)
        record = {
            "day": day_value.isoformat(),
            "area": place,
            **{sign.value: validate.rating(sign, value) for sign, value in ratings.items()},
            **validate.answers(answers),
            "notes": validate.notes(notes),
            "updated_at": _now(),
            "version": versions.new_version(),
        }
        attempted = {
            **{sign.value: record[sign.value] for sign in RATED_SIGNS},
            **{key: None if record[key] is None else bool(record[key]) for key in YES_NO_KEYS},
            "notes": record["notes"],
        }
        columns = list(record)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("day", "area"))
        sql = (
            f"INSERT INTO entries ({', '.join(columns)}) VALUES ({', '.join('?' for _column in columns)}) "
            f"ON CONFLICT(day, area) DO UPDATE SET {updates} RETURNING id"
        )
        with self._writing() as db:
            if based_on is not None:
                stored = self._stored_entry(db, "e.day = ? AND e.area = ?", [record["day"], place])
                self._check_entry(stored, based_on, attempted, day_value, place)
            (entry_id,) = db.execute(sql, list(record.values())).fetchone()
            if discard_draft:
                drafts.delete(db, day_value, place)
        return int(entry_id)

    def _stored_entry(self, db: Database, where: str, params: list[Any]) -> Entry | None:
        row = _one_row(
            db,
            "SELECT e.*, (SELECT count(*) FROM photos p WHERE p.entry_id = e.id) AS photo_count "
            f"FROM entries e WHERE {where}",
            params,
        )
        return None if row is None else entry_record(row)

    @staticmethod
    def _check_entry(
        stored: Entry | None, based_on: str, attempted: dict[str, Any] | None, day: dt.date, area: Area
    ) -> None:
        """Refuse a write based on another version than the stored one (see save_entry);
        `attempted` None: a delete."""
        current = versions.NONE if stored is None else stored.version
        if current == based_on and (stored is not None or based_on == versions.NONE):
            return
        if stored is not None and attempted is not None and entry_fields(stored) == attempted:
            return  # it would store exactly what is there: nothing is overwritten
        if stored is None:
            message = _(
                "The {area} entry of {day} was deleted in another window or on another device after you "
                "opened it, so nothing was saved: choose whether to save yours again."
            )
        elif based_on == versions.NONE:
            message = _(
                "The {area} entry of {day} was logged in another window or on another device while you were "
                "filling it in, so nothing was saved: compare the two versions and choose what to keep."
            )
        elif attempted is None:
            message = _(
                "The {area} entry of {day} was changed in another window or on another device after you "
                "opened it, so it was not deleted: look at it as it is now, then delete it again if you still "
                "want to."
            )
        else:
            message = _(
                "The {area} entry of {day} was changed in another window or on another device after you "
                "opened it, so nothing was saved: compare the two versions and choose what to keep."
            )
        message = message.format(area=area.label.lower(), day=weekday_date(day))
        raise Conflict(message, stored=stored, attempted=attempted or {}, based_on=based_on)

    def entry_id(self, day: dt.date | str, area: str) -> int | None:
        """The id of the entry of (day, area), if there is one."""
        day_text = validate.day(day, self.today()).isoformat()
        row = self._db.execute(
            "SELECT id FROM entries WHERE day = ? AND area = ?", [day_text, validate.area(area)]
        ).fetchone()
        return None if row is None else int(row[0])

    def ensure_entry(self, day: dt.date | str, area: str) -> int:
        """The id of the entry of (day, area), creating an unrated one if needed."""
        existing = self.entry_id(day, area)
        return existing if existing is not None else self.save_entry(day, area)

    def delete_entry(self, entry_id: int, *, based_on: str | None = None) -> None:
        """Delete an entry with its photos (rows first, then files). With `based_on`,
        an entry changed meanwhile raises Conflict; one already deleted raises NotFound."""

        def delete(db: Database) -> first_photo.Change:
            stored = self._stored_entry(db, "e.id = ?", [entry_id])
            if stored is None:
                raise NotFound(
                    f"Journal entry number {entry_id} is not in the journal: it was already deleted "
                    "(perhaps in another window)."
                )
            if based_on is not None:
                self._check_entry(stored, based_on, None, stored.day, stored.area)
            paths = self._photo_paths(db, "entry_id = ?", [entry_id])
            db.execute("DELETE FROM entries WHERE id = ?", [entry_id])
            # The day's photos may have held the area's first photo.
            return first_photo.Change(paths, frozenset({stored.area}) if paths else frozenset())

        self._remove_unreferenced(self._changing_photos(delete))

    def _entry_place(self, entry_id: int) -> tuple[Area, str]:
        """The area and day (ISO) of an entry."""
        row = self._db.execute("SELECT area, day FROM entries WHERE id = ?", [entry_id]).fetchone()
        if row is None:
            raise NotFound(
                f"Journal entry number {entry_id} is not in the journal (it was deleted, perhaps in another "
                "window); nothing was added to it."
            )
        return Area(row[0]), str(row[1])

    def _baseline(self, area: Area, view: View, before: str) -> BaselinePhoto | None:
        """The first photo of the area's view, which a new photo of `before` (ISO day)
        is aligned to and compared with (store.photos.first_photo); None when the new
        photo comes first (it is the baseline)."""
        first = _one_row(
            self._db,
            f"SELECT {STORED_PHOTO_COLUMNS} FROM photos p JOIN entries e ON e.id = p.entry_id "
            "WHERE e.area = ? AND p.view = ? ORDER BY e.day, p.id LIMIT 1",
            [area, view],
        )
        if first is None or first["day"] > before:
            return None
        return BaselinePhoto(first["id"], self.files.absolute(first["path"]), first["sha256"], first)

    # --- photos --------------------------------------------------------------

    def add_photo(
        self,
        entry_id: int,
        data: bytes,
        filename: str = "photo.jpg",
        *,
        measure_later: bool = False,
        view: View | str = View.UNSPECIFIED,
    ) -> int:
        """Store a photo on an entry; raises PhotoRejected with the file's name and the reason.

        `view` is which of the area's named views it is (recovery.vocabulary.View;
        an unknown one is refused with InvalidEntry before anything is stored).

        The photo is measured (card, alignment to the area's first photo,
        measurements) before this returns, unless `measure_later`: then it is
        stored, checked and decoded as always, and measured afterwards in a
        background thread (Log a day answers sooner); until then it is shown
        as being lined up and measured. `wait_for_photo_work()` waits for that."""
        photo_view = validate.view(view)
        area, day = self._entry_place(entry_id)
        ingested = imaging.ingest(data, filename)
        self._refuse_duplicate(ingested, filename)
        photo_path = self.files.relative_path(PHOTOS, ingested.stored_sha256)
        thumb_path = self.files.relative_path(THUMBS, ingested.stored_sha256)
        record = {
            "entry_id": entry_id,
            "sha256": ingested.stored_sha256,
            "source_sha256": ingested.source_sha256,
            "path": photo_path,
            "thumb_path": thumb_path,
            "width": ingested.width,
            "height": ingested.height,
            "captured_at": ingested.captured_at.isoformat() if ingested.captured_at else None,
            "source_name": str(filename)[:255],
            "added_at": _now(),
            "view": photo_view.value,
        }
        try:
            # Files first, row second: a crash in between leaves only an orphan
            # file, which the next open removes; a failure (full disk) removes
            # whatever was written, the photo as well as its thumbnail.
            if measure_later:
                with ThreadPoolExecutor(max_workers=1, thread_name_prefix="photo-write") as pool:
                    # The thumbnail is made and written beside the photo's own fsynced write.
                    thumb = pool.submit(copy_context().run, self._write_thumbnail, ingested, thumb_path)
                    self.files.write(photo_path, ingested.stored)
                    thumb.result()  # re-raises the writer's StorageError
                photo_id = self._insert_waiting(record, ingested, filename, area, day)
            else:
                photo_id = self._insert_measured(record, ingested, filename, area, day)
        except BaseException:
            self._remove_unreferenced([photo_path, thumb_path])
            raise
        if measure_later:
            self.photo_work.start()
        return photo_id

    def _insert_measured(
        self, record: dict[str, Any], ingested: imaging.IngestedPhoto, filename: str, area: Area, day: str
    ) -> int:
        view = View(record["view"])
        baseline = self._baseline(area, view, before=day)
        if baseline is not None and baseline.row["measuring"]:
            self.measure_waiting()  # the first photo is measured before anything is compared with it
            baseline = self._baseline(area, view, before=day)
        region = self.region(area)
        # The fsynced writes mostly wait for the disk, so they run in a helper
        # thread while the photo is measured; the row is committed only once
        # both files are durable (a third of add_photo's time on a 12 MP JPEG,
        # see benchmarks/README.md).
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="photo-write") as pool:
            # The thumbnail is encoded in that thread too (photo.thumbnail is lazy).
            # In the caller's context: a failed write is explained in the patient's language.
            written = pool.submit(
                copy_context().run, self._write_photo_files, ingested, record["path"], record["thumb_path"]
            )
            size = (ingested.width, ingested.height)
            measured = analysed_columns(ingested.preview, region, size, baseline)
            written.result()  # re-raises the writer's StorageError
        measured_record = {**record, **measured}

        def insert(db: Database) -> first_photo.Change:
            self._check_still_wanted(db, ingested, filename, record["entry_id"], area, day)
            return first_photo.Change(_row_id(db.table("photos").insert(measured_record).last_pk), frozenset({area}))

        # A photo of an earlier day than the area's first photo (a backfilled
        # day) becomes the first photo: the later ones are lined up with it again.
        return int(self._changing_photos(insert))

    def _insert_waiting(
        self, record: dict[str, Any], ingested: imaging.IngestedPhoto, filename: str, area: Area, day: str
    ) -> int:
        """The row of a photo measured later; if it comes before the area's first
        photo, the area's other photos wait to be lined up with it again (their
        measurements, made against the former first photo, are cleared with it)."""
        with self._writing() as db:
            self._check_still_wanted(db, ingested, filename, record["entry_id"], area, day)
            photo_id = _row_id(db.table("photos").insert({**record, "measuring": 1}).last_pk)
            # Only the first photo's id: an area's rows are read only when this one comes first.
            view = View(record["view"])
            if first_photo.first_id(db, area, view) == photo_id:
                others = [row for row in first_photo.area_photos(db, area) if row["view"] == view][1:]
                first_photo.apply(db, {row["id"]: first_photo.WAITING for row in others if not row["measuring"]})
        return photo_id

    def _check_still_wanted(
        self, db: Database, ingested: imaging.IngestedPhoto, filename: str, entry_id: int, area: Area, day: str
    ) -> None:
        # Checked again under the write lock: another window may have
        # deleted the day, or stored the same photo, since the first checks.
        if db.execute("SELECT 1 FROM entries WHERE id = ?", [entry_id]).fetchone() is None:
            raise NotFound(
                f"{filename}: the day this photo was for ({area}, {day}) was deleted in another window "
                "before the photo was stored; the photo was not saved."
            )
        self._refuse_duplicate(ingested, filename)

    # --- photos measured after the answer (store.photos.later) -------------------

    def start_photo_work(self) -> None:
        """Measure the photos still waiting, in the background (a page run asks,
        in case they were left by another process)."""
        self.photo_work.start()

    def wait_for_photo_work(self) -> int:
        """Wait until every photo saved with measure_later is measured (scripts,
        tests, benchmarks); returns how many were measured in this thread."""
        self.photo_work.wait()
        return self.measure_waiting()

    def waiting_photos(self) -> int:
        """How many photos are saved but not yet measured (a page asks while it waits)."""
        (count,) = self._db.execute("SELECT count(*) FROM photos WHERE measuring = 1").fetchone()
        return int(count)

    def measure_waiting(self) -> int:
        """Measure, in this thread, every photo waiting to be measured; returns how many."""
        done = 0
        while self._measure_next():
            done += 1
        return done

    def _measure_next(self) -> bool:
        """Measure one waiting photo (the earliest day first, so an area's first
        photo is measured before the photos compared with it); False when none waits."""
        found = self._db.execute(
            "SELECT p.id FROM photos p JOIN entries e ON e.id = p.entry_id WHERE p.measuring = 1 "
            "ORDER BY e.day, p.id LIMIT 1"
        ).fetchone()
        if found is None:
            return False
        plan = self._waiting_plan(self._db, int(found[0]))
        if plan is None:
            return True  # gone meanwhile: look again
        row, region, baseline = plan
        if baseline is not None and baseline.row["measuring"]:
            return True  # raced with a change of first photo: the first one is picked next
        columns: dict[str, Any] = {**dict.fromkeys(MEASUREMENT_COLUMNS), **dict.fromkeys(CALIBRATION_COLUMNS)}
        try:
            preview = imaging.decode_preview(self.files.absolute(row["path"]).read_bytes())
        except (OSError, ValueError, SyntaxError):
            pass  # its file is missing or unreadable: nothing to measure (the next open reports it)
        else:
            try:
                columns = analysed_columns(preview, region, (row["width"], row["height"]), baseline)
            except Exception:
                # A fault in the measuring itself must not leave the photo "being measured"
                # for ever, nor be tried again at every page run: kept, shown unmeasured.
                _log.exception("Photo %s could not be measured; it is kept without measurements.", row["id"])
        with self._writing() as db:
            # Committed only if nothing it was measured against changed meanwhile.
            if self._waiting_plan(db, row["id"]) != plan:
                return True
            assignments = ", ".join(f"{name} = ?" for name in columns)
            db.execute(f"UPDATE photos SET {assignments}, measuring = 0 WHERE id = ?", [*columns.values(), row["id"]])
        return True

    def _waiting_plan(self, db: Database, photo_id: int) -> tuple[dict[str, Any], Region, BaselinePhoto | None] | None:
        """A waiting photo's row, its area's region and the first photo it is compared with."""
        row = _one_row(
            db,
            f"SELECT {STORED_PHOTO_COLUMNS} FROM photos p JOIN entries e ON e.id = p.entry_id "
            "WHERE p.id = ? AND p.measuring = 1",
            [photo_id],
        )
        if row is None:
            return None
        baseline = self._baseline(Area(row["area"]), View(row["view"]), before=row["day"])
        if baseline is not None and baseline.id == photo_id:
            baseline = None
        return row, self.region(row["area"]), baseline

    def _write_photo_files(self, ingested: imaging.IngestedPhoto, photo_path: str, thumb_path: str) -> None:
        self.files.write(photo_path, ingested.stored)
        self._write_thumbnail(ingested, thumb_path)

    def _write_thumbnail(self, ingested: imaging.IngestedPhoto, thumb_path: str) -> None:
        self.files.write(thumb_path, ingested.thumbnail)

    def _refuse_duplicate(self, ingested: imaging.IngestedPhoto, filename: str) -> None:
        where = self.find_photo(ingested.source_sha256) or self.find_photo(ingested.stored_sha256)
        if where is not None:
            raise PhotoRejected(
                filename,
                _("this photo is already in your journal ({area}, {date})").format(
                    area=where.area.label.lower(), date=where.day.isoformat()
                ),
            )

    def find_photo(self, digest: str) -> Photo | None:
        """A stored photo whose original upload or stored copy has this SHA-256."""
        found = self._photos("p.source_sha256 = ? OR p.sha256 = ?", [digest, digest])
        return found[0] if found else None

    def photo(self, photo_id: int) -> Photo:
        found = self._photos("p.id = ?", [photo_id])
        if not found:
            raise NotFound(f"There is no photo number {photo_id}.")
        return found[0]

    def _photos(self, where: str, params: list[Any]) -> list[Photo]:
        cursor = self._db.execute(
            f"SELECT {PHOTO_COLUMNS} FROM photos p JOIN entries e ON e.id = p.entry_id WHERE {where} ORDER BY p.id",
            params,
        )
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
        calendar = self._calendar() if rows else TreatmentCalendar(())
        found = []
        for row in rows:
            first = self._baseline(Area(row["area"]), View(row["view"]), before=row["day"])
            baseline = first.row if first is not None and first.id != row["id"] else None
            found.append(photo(row, self.files, calendar, baseline))
        return found

    def read_photo(self, photo: Photo) -> bytes:
        """The stored bytes of a photo, read from the content-addressed name of its
        hash (never from a path a database row could point anywhere)."""
        try:
            return self.files.absolute(self.files.relative_path(PHOTOS, photo.sha256)).read_bytes()
        except (OSError, ValueError) as exc:
            raise StorageError(f"The photo of {photo.day.isoformat()} ({photo.area}) cannot be read: {exc}.") from exc

    def delete_photo(self, photo_id: int) -> None:
        """Delete one photo; if it was its area's first photo, the next one becomes
        the first and the others are lined up with that one instead."""

        def delete(db: Database) -> first_photo.Change:
            paths = self._photo_paths(db, "id = ?", [photo_id])
            if not paths:
                raise NotFound(_PHOTO_GONE.format(photo_id))
            (area,) = db.execute(
                "SELECT e.area FROM photos p JOIN entries e ON e.id = p.entry_id WHERE p.id = ?", [photo_id]
            ).fetchone()
            db.execute("DELETE FROM photos WHERE id = ?", [photo_id])
            return first_photo.Change(paths, frozenset({Area(area)}))

        self._remove_unreferenced(self._changing_photos(delete))

    def move_photo(self, photo_id: int, day: dt.date | str, area: str) -> int:
        """Move one photo to another day and/or area (creating that day's entry, unrated,
        if there is none); no rating of either day changes. The photo is measured again
        in its new place (its area's region, aligned to that area's first photo).
        Returns the id of the entry it now belongs to."""
        target_day = validate.day(day, self.today()).isoformat()
        target_area = validate.area(area)

        def move(db: Database) -> first_photo.Change:
            day_was, area_was, view = _photo_place(db, photo_id)
            db.execute(
                "INSERT INTO entries (day, area, notes, updated_at, version) VALUES (?, ?, '', ?, ?) "
                "ON CONFLICT(day, area) DO NOTHING",
                [target_day, target_area, _now(), versions.new_version()],
            )
            (entry_id,) = db.execute(
                "SELECT id FROM entries WHERE day = ? AND area = ?", [target_day, target_area]
            ).fetchone()
            db.execute("UPDATE photos SET entry_id = ? WHERE id = ?", [entry_id, photo_id])
            if View(view) not in (View.UNSPECIFIED, *views_of(target_area)):
                # A view the new area does not have (a face's left side moved to the chest)
                # would be a group of its own there: it becomes a photo of no named view.
                db.execute("UPDATE photos SET view = ? WHERE id = ?", [View.UNSPECIFIED.value, photo_id])
            moved = (day_was, area_was) != (target_day, target_area)
            # Both areas: the photo may have been the first of the one it left, or
            # become the first of the one it joined.
            return first_photo.Change(
                entry_id, frozenset({Area(area_was), target_area}), frozenset({photo_id} if moved else ())
            )

        return int(self._changing_photos(move))

    def set_photo_view(self, photo_id: int, view: View | str) -> None:
        """Say which view a photo is (a photo put under the wrong view, or one taken
        before views). It is lined up again with its new view's first photo, and the
        photos of the view it left with theirs, if it was their first."""
        new_view = validate.view(view)

        def mark(db: Database) -> first_photo.Change:
            _day, area, view_was = _photo_place(db, photo_id)
            db.execute("UPDATE photos SET view = ? WHERE id = ?", [new_view, photo_id])
            changed = view_was != new_view
            return first_photo.Change(None, frozenset({Area(area)}), frozenset({photo_id} if changed else ()))

        self._changing_photos(mark)

    def _changing_photos(self, change: Callable[[Database], first_photo.Change]) -> Any:
        """Make a change of photos (add, move, delete) and line up again, in the same
        transaction, every photo whose area's first photo it changed; returns the
        change's result.

        Measuring takes a while per photo, too long to hold the write lock (other
        windows wait for it), so the change is first tried and rolled back, to see
        each area's photos as they will be; the photos to line up again are measured
        without the lock; then the change is made for real, and committed with those
        measurements if nothing moved meanwhile (otherwise planned again). Readers
        thus never see two first photos, nor a photo aligned to a former one.
        """
        for _attempt in range(REALIGN_TRIES):
            done, photos = self._trying(change)
            updates = first_photo.realignment(self.files, self.region, photos, done.remeasure)
            try:
                with self._writing() as db:
                    done = change(db)
                    now = {area: first_photo.area_photos(db, area) for area in done.areas}
                    if first_photo.state(now) != first_photo.state(photos):
                        raise _Replan
                    first_photo.apply(db, updates)
                return done.result
            except _Replan:
                continue
        # Another window kept changing these photos: measure under the lock, once.
        with self._writing() as db:
            done = change(db)
            now = {area: first_photo.area_photos(db, area) for area in done.areas}
            first_photo.apply(db, first_photo.realignment(self.files, self.region, now, done.remeasure))
        return done.result

    def _trying(
        self, change: Callable[[Database], first_photo.Change]
    ) -> tuple[first_photo.Change, dict[Area, list[dict[str, Any]]]]:
        """What `change` would do and each touched area's photos after it; nothing is kept."""
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                done = change(db)
                return done, {area: first_photo.area_photos(db, area) for area in done.areas}
            finally:
                db.conn.rollback()
        except sqlite3.Error as exc:
            raise storage_error(exc, self.folder) from exc

    @staticmethod
    def _photo_paths(db: Database, where: str, params: list[Any]) -> list[str]:
        rows = db.execute(f"SELECT path, thumb_path FROM photos WHERE {where}", params).fetchall()
        return [path for row in rows for path in row]

    def _remove_unreferenced(self, paths: Iterable[str]) -> None:
        for path in paths:
            still_used = self._db.execute(
                "SELECT 1 FROM photos WHERE path = ? OR thumb_path = ? LIMIT 1", [path, path]
            ).fetchone()
            if not still_used:
                self.files.remove(path)

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
        with self._writing() as db:
            db.table("area_regions").upsert({"area": validate.area(area), **row}, pk="area")
        stored = self._db.execute(
            "SELECT p.id, p.path, p.sha256, p.width, p.height FROM photos p JOIN entries e ON e.id = p.entry_id "
            "WHERE e.area = ? ORDER BY e.day, p.id",
            [area],
        ).fetchall()
        # The first photo first: the others are aligned to it again.
        baseline: BaselinePhoto | None = None
        measured = 0
        for done, (photo_id, relative, digest, width, height) in enumerate(stored, start=1):
            path = self.files.absolute(relative)
            try:
                preview = imaging.decode_preview(path.read_bytes())
            except OSError:
                # Deleted in another window while this ran (or its file is missing,
                # which the next start reports): nothing to measure.
                if progress:
                    progress(done, len(stored))
                continue
            # Measured here, so no longer waiting for the background work.
            columns = {**analysed_columns(preview, region, (width, height), baseline), "measuring": 0}
            assignments = ", ".join(f"{name} = ?" for name in columns)
            with self._writing() as db:
                updated = db.execute(f"UPDATE photos SET {assignments} WHERE id = ?", [*columns.values(), photo_id])
            if progress and not updated.rowcount:
                progress(done, len(stored))
            if not updated.rowcount:
                continue  # deleted meanwhile
            measured += 1
            if baseline is None:
                baseline = BaselinePhoto(photo_id, path, digest, {"id": photo_id, **columns})
            if progress:
                progress(done, len(stored))
        return measured

    # --- drafts (store.drafts) ------------------------------------------------

    def draft(self, day: dt.date | str, area: str) -> Draft | None:
        """The unsaved draft of (day, area), if there is one."""
        try:
            return drafts.read(self._db, validate.day(day, self.today()), validate.area(area), self.today())
        except sqlite3.Error as exc:
            raise storage_error(exc, self.folder) from exc

    def keep_draft(
        self,
        day: dt.date | str,
        area: str,
        *,
        fields: Mapping[str, Any],
        based_on: str,
        base: Mapping[str, Any],
        photos: Sequence[DraftPhoto] = (),
    ) -> Draft:
        """Keep (insert or replace) the draft of (day, area); a draft that changes
        nothing is removed instead. Returns the draft as kept."""
        draft = Draft(
            day=validate.day(day, self.today()),
            area=validate.area(area),
            fields=drafts.check_fields(fields),
            based_on=based_on if versions.is_version(based_on) else versions.NONE,
            base=drafts.check_fields(base, "The draft's starting point"),
            photos=drafts.check_photos(vars(photo) for photo in photos),
        )
        before = self.draft(draft.day, draft.area)
        with self._writing() as db:
            if draft.changed:
                drafts.write(db, draft)
            else:
                drafts.delete(db, draft.day, draft.area)
        if before is not None:
            self._forget_draft_photos(p.sha256 for p in before.photos)
        return draft

    def stash_draft_photo(self, data: bytes, filename: str, view: View | str = View.UNSPECIFIED) -> DraftPhoto:
        """Keep an attached photo's bytes for a draft (as they are: it is checked
        when the day is saved), as a photo of `view`; the draft naming it is kept
        with keep_draft. What can never be a photo (an empty file, one over the
        size limit) is refused at once, by name."""
        photo_view = validate.view(view)
        if not data:
            raise PhotoRejected(filename, _(imaging.EMPTY_FILE))
        limit = imaging.MAX_PHOTO_MB * 2**20
        if len(data) > limit:
            raise PhotoRejected(filename, _("it is larger than {size} MB").format(size=imaging.MAX_PHOTO_MB))
        digest = hashlib.sha256(data).hexdigest()
        self.files.write(drafts.photo_path(digest), data)
        return DraftPhoto(digest, str(filename)[: drafts.MAX_NAME], len(data), photo_view.value)

    def draft_photo(self, photo: DraftPhoto) -> bytes | None:
        """A draft photo's bytes, read from the name of its hash; None when the file is gone."""
        try:
            return self.files.absolute(drafts.photo_path(photo.sha256)).read_bytes()
        except (OSError, ValueError):
            return None

    def discard_draft(self, day: dt.date | str, area: str) -> None:
        """Remove the draft of (day, area) and the photos only it held."""
        day_value, place = validate.day(day, self.today()), validate.area(area)
        before = self.draft(day_value, place)
        with self._writing() as db:
            drafts.delete(db, day_value, place)
        if before is not None:
            self._forget_draft_photos(p.sha256 for p in before.photos)

    def _forget_draft_photos(self, names: Iterable[str]) -> None:
        try:
            drafts.remove_unreferenced(self._db, self.files, names)
        except sqlite3.Error:
            pass  # left for the next start's tidy-up

    # --- checks --------------------------------------------------------------

    def integrity_check(self) -> str:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    def iter_photo_files(self) -> Iterator[tuple[str, str]]:
        """(relative path, expected sha256) of every stored photo file."""
        yield from self._db.execute("SELECT path, sha256 FROM photos ORDER BY id")


class _Replan(Exception):
    """Another window changed the photos a plan was made from (JournalStore._changing_photos)."""


_PHOTO_GONE = "Photo number {} is not in the journal: it was deleted (perhaps in another window)."


def _photo_place(db: Database, photo_id: int) -> tuple[str, str, str]:
    """A photo's day (ISO), area and view; NotFound when it is gone."""
    row = db.execute(
        "SELECT e.day, e.area, p.view FROM photos p JOIN entries e ON e.id = p.entry_id WHERE p.id = ?", [photo_id]
    ).fetchone()
    if row is None:
        raise NotFound(_PHOTO_GONE.format(photo_id))
    return str(row[0]), str(row[1]), str(row[2])


def stored_language(folder: Path) -> str | None:
    """The language a journal's profile names, read without opening the journal (the
    access gate sets the served page's lang and dir with it); None when not chosen,
    or when the journal cannot be read (the page is then served as it comes)."""
    path = folder / DB_NAME
    try:
        if not path.is_file():  # may itself be refused: a folder the user cannot read
            return None
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)) as db:
            row = db.execute("SELECT language FROM profile WHERE id = 1").fetchone()
    except (OSError, sqlite3.Error):
        return None
    value = row[0] if row else None
    return value if isinstance(value, str) else None


def _one_row(db: Database, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
    """The first row of a query as a mapping of column to value, None when there is none."""
    cursor = db.execute(sql, list(params))
    row = cursor.fetchone()
    return None if row is None else dict(zip([c[0] for c in cursor.description], row))


def _row_id(last_pk: object) -> int:
    """The id SQLite gave an inserted row."""
    assert isinstance(last_pk, int)
    return last_pk


__all__ = ["JournalStore", "OpenReport", "DB_NAME", "DEMO_MARKER", "storage_error"]
