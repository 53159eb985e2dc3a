"""Checking the data inside a backup before it becomes the patient's journal.

A backup may come from anywhere, and a database is more than rows: it can
carry triggers that run on the next save, views, extra tables, or values the
app would never have stored (`redness = 17`, a photo path `../../.ssh/id_rsa`).
So the unpacked database must have exactly the schema of a freshly created
journal (compared object by object, so the check follows future migrations by
itself), every value must pass the checks typed input passes (store.validate),
every row must refer to rows that exist, and every photo must be a
content-addressed file that is present. The first problem found is reported
with its table, row, column and value.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from recovery.vocabulary import (
    PROFILE_QUESTION_KEYS,
    RATED_SIGNS,
    TREATMENT_QUESTION_KEYS,
    YES_NO_KEYS,
    FlagAction,
    ProductKind,
    ShareKind,
)
from store import validate, versions
from store.backup.format import DB_MEMBER, PHOTO_MEMBER, SHA256
from store.errors import InvalidEntry, RestoreRefused
from store.photos.imaging import MAX_PIXELS
from store.schema import migrations

MIGRATIONS_TABLE = "_sqlite_migrations"
MAX_NAME = 200  # Journal.save_profile keeps this much of a name
MAX_SOURCE_NAME = 255  # Journal.add_photo keeps this much of a file name
_DECLARED_KINDS = {
    "INTEGER": ((int,), "a whole number"),
    "REAL": ((float,), "a number"),
    "TEXT": ((str,), "text"),
}

Check = Callable[[Any], Any]


def check_database(folder: Path, today: dt.date) -> None:
    """Refuse (RestoreRefused) the unpacked journal in `folder` unless all of it is sound.

    On success the database is brought up to this version's schema (older
    backups gain the columns of later migrations) and left as a single file.
    """
    try:
        db = sqlite3.connect(folder / DB_MEMBER, isolation_level=None)
    except sqlite3.Error as exc:
        raise RestoreRefused(f"The journal database in the backup cannot be read ({exc}).") from None
    try:
        # A hostile file must not get to run functions or read past its pages.
        db.execute("PRAGMA trusted_schema = OFF")
        db.execute("PRAGMA cell_size_check = ON")
        db.execute("PRAGMA mmap_size = 0")
        broken_rules = _check_integrity(db)
        _check_object_kinds(db)
        _bring_up_to_date(db)
        _check_schema(db)
        _check_values(db, today)
        if broken_rules:  # a rule of the schema the value checks did not cover: still refused
            raise RestoreRefused(f"The journal database in the backup breaks its own rules ({broken_rules[0]}).")
        _check_references(db)
        _check_photo_files(db, folder)
        db.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise RestoreRefused(f"The journal database in the backup cannot be read ({exc}).") from None
    finally:
        db.close()


# --- structure ---------------------------------------------------------------------


_BROKEN_RULE = ("CHECK constraint failed", "NULL value in", "NOT NULL constraint failed")


def _check_integrity(db: sqlite3.Connection) -> list[str]:
    """Refuse a damaged file; returns the broken column rules, which the value checks
    then name precisely (table, row, column, value)."""
    try:
        problems = [row[0] for row in db.execute("PRAGMA integrity_check(20)")]
    except sqlite3.DatabaseError as exc:
        raise RestoreRefused(f"The journal database in the backup cannot be read ({exc}).") from None
    if problems == ["ok"]:
        return []
    damage = [problem for problem in problems if not problem.startswith(_BROKEN_RULE)]
    if damage:
        raise RestoreRefused(f"The journal database in the backup is damaged ({'; '.join(damage[:3])}).")
    return problems


def _check_object_kinds(db: sqlite3.Connection) -> None:
    """Before anything is written to it: a trigger would run on the very next write."""
    for kind, name in db.execute("SELECT type, name FROM sqlite_master WHERE type NOT IN ('table', 'index')"):
        raise RestoreRefused(
            f"The journal database in the backup contains a {kind} named '{name}'; a journal has no "
            f"{kind}s. Refused (it could change or remove entries without you doing anything)."
        )


def _bring_up_to_date(db: sqlite3.Connection) -> None:
    """Apply the migrations a backup of an older version lacks; refuse one of a newer version."""
    from sqlite_utils import Database

    known = [migration.name for migration in migrations.pending(Database(sqlite3.connect(":memory:")))]
    if not _table_exists(db, MIGRATIONS_TABLE):
        raise RestoreRefused("The journal database in the backup has no record of its version (no migrations table).")
    try:
        applied = db.execute(f"SELECT migration_set, name FROM {MIGRATIONS_TABLE} ORDER BY rowid").fetchall()
    except sqlite3.Error:
        raise RestoreRefused("The journal database in the backup has a damaged record of its version.") from None
    names = [name for migration_set, name in applied if migration_set == migrations.name]
    foreign = [name for migration_set, name in applied if migration_set != migrations.name]
    if foreign:
        raise RestoreRefused(f"The journal database in the backup records an unknown change '{foreign[0]!s:.80}'.")
    unknown = [name for name in names if name not in known]
    if unknown:
        raise RestoreRefused(
            f"This backup was made by a newer version of the app (its database has the change "
            f"'{unknown[0]!s:.80}', unknown here). Update the app to restore it."
        )
    if names != known[: len(names)]:
        raise RestoreRefused("The journal database in the backup records its changes out of order.")
    if len(names) < len(known):
        db.execute("BEGIN")
        try:
            migrations.apply(Database(db))
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            db.execute("ROLLBACK")
            raise RestoreRefused(f"The backup's journal database could not be brought up to date ({exc}).") from None


def _table_exists(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone() is not None


def expected_schema() -> sqlite3.Connection:
    """A freshly created, empty journal database in memory: the schema to match."""
    from sqlite_utils import Database

    db = sqlite3.connect(":memory:")
    migrations.apply(Database(db))
    return db


def _check_schema(db: sqlite3.Connection) -> None:
    fresh = expected_schema()
    try:
        want, have = _objects(fresh), _objects(db)
        for kind in ("table", "index"):
            extra = sorted(name for (k, name) in have if k == kind and (k, name) not in want)
            missing = sorted(name for (k, name) in want if k == kind and (k, name) not in have)
            if extra:
                raise RestoreRefused(
                    f"The journal database in the backup has an extra {kind} '{extra[0]}' that a journal does not "
                    "have. Refused."
                )
            if missing:
                raise RestoreRefused(f"The journal database in the backup lacks the {kind} '{missing[0]}'. Refused.")
        for kind, name in sorted(want):
            if kind == "table":
                _compare_table(fresh, db, name)
            else:
                _compare_index(fresh, db, name)
            if not name.startswith((MIGRATIONS_TABLE, f"idx_{MIGRATIONS_TABLE}")) and _normal(
                want[kind, name]
            ) != _normal(have[kind, name]):
                raise RestoreRefused(
                    f"The {kind} '{name}' in the backup's journal database is defined differently from this "
                    "app's (its rules or constraints differ). Refused."
                )
    finally:
        fresh.close()


def _objects(db: sqlite3.Connection) -> dict[tuple[str, str], str | None]:
    return {(kind, name): sql for kind, name, sql in db.execute("SELECT type, name, sql FROM sqlite_master")}


def _normal(sql: str | None) -> str:
    return re.sub(r"[\s\"`\[\]]", "", sql or "").lower()


def _compare_table(fresh: sqlite3.Connection, db: sqlite3.Connection, table: str) -> None:
    want = {row[1]: row[2:] for row in fresh.execute(f'PRAGMA table_xinfo("{table}")')}
    have = {row[1]: row[2:] for row in db.execute(f'PRAGMA table_xinfo("{table}")')}
    for column in want:
        if column not in have:
            raise RestoreRefused(
                f"The table '{table}' in the backup's journal database lacks the column '{column}'. Refused."
            )
    for column in have:
        if column not in want:
            raise RestoreRefused(
                f"The table '{table}' in the backup's journal database has an unexpected column '{column}'. Refused."
            )
        if have[column] != want[column]:
            raise RestoreRefused(
                f"The column '{table}.{column}' in the backup's journal database is defined differently "
                f"({have[column][0] or 'no type'} instead of {want[column][0]}, or other rules). Refused."
            )
    if list(have) != list(want):
        raise RestoreRefused(f"The columns of '{table}' in the backup's journal database are in another order.")
    fks = f'PRAGMA foreign_key_list("{table}")'
    if sorted(fresh.execute(fks)) != sorted(db.execute(fks)):
        raise RestoreRefused(f"The table '{table}' in the backup's journal database refers to other tables.")


def _compare_index(fresh: sqlite3.Connection, db: sqlite3.Connection, index: str) -> None:
    query = f'PRAGMA index_xinfo("{index}")'
    if fresh.execute(query).fetchall() != db.execute(query).fetchall():
        raise RestoreRefused(f"The index '{index}' in the backup's journal database covers other columns.")
    unique = "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = ?"
    if fresh.execute(unique, [index]).fetchone() != db.execute(unique, [index]).fetchone():
        raise RestoreRefused(f"The index '{index}' in the backup's journal database belongs to another table.")


# --- values ---------------------------------------------------------------------------


def _is_iso_datetime(value: Any) -> Any:
    try:
        dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidEntry(f"{value!r:.60} is not a date and time.") from None
    return value


def _yes_no(value: Any) -> Any:
    if value not in (None, 0, 1):
        raise InvalidEntry("A yes/no answer must be 1 (yes), 0 (no) or empty (not answered).")
    return value


def _flag(value: Any) -> Any:
    if value not in (0, 1):
        raise InvalidEntry("A yes/no answer must be 1 (yes) or 0 (no).")
    return value


def _text(limit: int) -> Check:
    def check(value: Any) -> Any:
        validate.notes(value)
        if len(value) > limit:
            raise InvalidEntry(f"The text is {len(value)} characters long; at most {limit} are kept.")
        return value

    return check


def _sha256(value: Any) -> Any:
    if not isinstance(value, str) or not SHA256.match(value):
        raise InvalidEntry("A SHA-256 is 64 hexadecimal digits.")
    return value


def _photo_path(kind: str) -> Check:
    def check(value: Any) -> Any:
        match = PHOTO_MEMBER.match(value) if isinstance(value, str) else None
        if match is None or match.group(1) != kind:
            raise InvalidEntry(f"A stored photo file is named {kind}/ab/<SHA-256>.jpg; this is not.")
        return value

    return check


def _pixels(value: Any) -> Any:
    if not 1 <= value <= MAX_PIXELS:
        raise InvalidEntry(f"A photo side must be from 1 to {MAX_PIXELS} pixels.")
    return value


def _at_least_zero(value: Any) -> Any:
    if value is not None and value < 0:
        raise InvalidEntry("A count cannot be negative.")
    return value


def _one_of(*allowed: str) -> Check:
    def check(value: Any) -> Any:
        if value not in allowed:
            raise InvalidEntry(f"It must be one of: {', '.join(allowed)}.")
        return value

    return check


def _json_object(value: Any) -> Any:
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        raise InvalidEntry("It is not the JSON the app writes.") from None
    if not isinstance(parsed, dict):
        raise InvalidEntry("It is not the JSON object the app writes.")
    return value


def _version(value: Any) -> Any:
    if not versions.is_version(value):
        raise InvalidEntry("A version is 16 hexadecimal digits (or empty).")
    return value


def _country(value: Any) -> Any:
    if validate.country(value) != value:  # stored as the app stores it: upper case
        raise InvalidEntry("A country is stored as its two-letter ISO 3166 code in capitals.")
    return value


def _language(value: Any) -> Any:
    if validate.language(value) != value:  # stored as the app stores it: lower case
        raise InvalidEntry("A language is stored as its code: 'en', 'es' or 'ar'.")
    return value


def _json_text(value: Any) -> Any:
    if not isinstance(value, str):
        raise InvalidEntry("It is not the JSON the app writes.")
    return value


def _value_checks(today: dt.date) -> dict[str, dict[str, Check]]:
    """Per table and column, the check typed input passes (store.validate) or its stored form."""

    def day(what: str, *, booked: bool = False) -> Check:
        def check(value: Any) -> Any:
            parsed = validate.session_day(value, today) if booked else validate.day(value, today, what=what)
            if parsed.isoformat() != value:  # the journal compares days as YYYY-MM-DD text
                raise InvalidEntry(f"{what} '{value}' is not written YYYY-MM-DD.")
            return value

        return check

    def rating(name: str) -> Check:
        return lambda value: validate.rating(name, value)

    return {
        "profile": {
            "name": _text(MAX_NAME),
            "fitzpatrick": validate.fitzpatrick,
            "melasma_history": _flag,
            "pih_history": _flag,
            "cold_sores": _flag,
            **{key: _flag for key in PROFILE_QUESTION_KEYS},
            "country": _country,
            "language": _language,
            "version": _version,
        },
        "treatments": {
            "day": day("The treatment day", booked=True),
            "device": _text(validate.MAX_NOTES),
            "needle_depth_mm": validate.needle_depth,
            "practitioner": _text(validate.MAX_NOTES),
            "serums": _text(validate.MAX_NOTES),
            "notes": _text(validate.MAX_NOTES),
            "practitioner_contact": _text(validate.MAX_NOTES),
            "reason": _text(validate.MAX_NOTES),
            **{key: _flag for key in TREATMENT_QUESTION_KEYS},
            "version": _version,
        },
        "treatment_areas": {"area": validate.area},
        "entries": {
            "day": day("The day"),
            "area": validate.area,
            **{sign.value: rating(sign.value) for sign in RATED_SIGNS},
            **{key: _yes_no for key in YES_NO_KEYS},
            "notes": _text(validate.MAX_NOTES),
            "updated_at": _is_iso_datetime,
            "version": _version,
        },
        "photos": {
            "sha256": _sha256,
            "source_sha256": _sha256,
            "path": _photo_path("photos"),
            "thumb_path": _photo_path("thumbs"),
            "width": _pixels,
            "height": _pixels,
            "captured_at": _is_iso_datetime,
            "source_name": _text(MAX_SOURCE_NAME),
            "added_at": _is_iso_datetime,
            "spot_count": _at_least_zero,
            # Calibration and alignment (store.schema.CALIBRATION_COLUMNS).
            "calibration": _one_of("card", "reference", "none"),
            "alignment": _one_of("baseline", "aligned", "not aligned"),
            "card_found": _flag,
            "region_covered": _flag,
            **{name: _json_object for name in ("card_correction", "light", "registration")},
            **{name: _at_least_zero for name in ("mm_per_px", "spot_area_mm2", "card_residual_delta_e")},
            **{name: _text(validate.MAX_NOTES) for name in ("card_problem", "alignment_problem")},
        },
        # Products and medicines after treatment, and what the patient did about a flag (store.schema m006).
        "products": {
            "day": day("The product's day"),
            "kind": _one_of(*(kind.value for kind in ProductKind)),
            "name": _text(MAX_NAME),
            "notes": _text(validate.MAX_NOTES),
            "version": _version,
            "updated_at": _is_iso_datetime,
        },
        "flag_responses": {
            "card_key": _text(MAX_NAME),
            "action": _one_of(*(action.value for action in FlagAction)),
            "note": _text(validate.MAX_NOTES),
            "day": day("The day of what was done"),
            "version": _version,
            "updated_at": _is_iso_datetime,
        },
        # The files shared, with whom (store.schema m008).
        "shares": {
            "day": day("The day of the share"),
            "kind": _one_of(*(kind.value for kind in ShareKind)),
            "recipient": _text(MAX_NAME),
            "included": _text(validate.MAX_NOTES),
            "sha256": _sha256,
            "version": _version,
            "updated_at": _is_iso_datetime,
        },
        "area_regions": {"area": validate.area, "roi": lambda value: value, "reference": lambda value: value},
        # Unsaved drafts (store.drafts): each row is read back as the app reads it, below.
        "drafts": {
            "day": day("The draft's day"),
            "area": validate.area,
            "fields": _json_text,
            "based_on": _version,
            "base": _json_text,
            "photos": _json_text,
            "updated_at": _is_iso_datetime,
        },
    }


def _check_values(db: sqlite3.Connection, today: dt.date) -> None:
    checks = _value_checks(today)
    for table, columns in _declared_columns(db).items():
        if table == MIGRATIONS_TABLE:
            continue
        table_checks = checks.get(table)
        if table_checks is None:  # a table a later migration adds without telling this module
            raise RestoreRefused(f"The restore does not know how to check the table '{table}'.")
        for rowid, row in _rows(db, table, list(columns)):
            for column, (declared, required) in columns.items():
                value = row[column]
                if value is None and required:
                    raise _refused(table, rowid, column, value, "this column cannot be empty.")
                _check_kind(table, rowid, column, value, declared)
                check = table_checks.get(column)
                if check is not None and value is not None:
                    _apply(check, table, rowid, column, value)
            if table == "photos":
                _check_photo_row(rowid, row)
            elif table == "area_regions":
                _check_region(rowid, row)
            elif table == "drafts":
                _check_draft(rowid, row, today)


def _declared_columns(db: sqlite3.Connection) -> dict[str, dict[str, tuple[str, bool]]]:
    """Per table, each column's declared type and whether it must hold a value."""
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {
        table: {row[1]: (row[2].upper(), bool(row[3])) for row in db.execute(f'PRAGMA table_info("{table}")')}
        for table in tables
    }


def _rows(db: sqlite3.Connection, table: str, columns: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    quoted = ", ".join(f'"{column}"' for column in columns)
    # Row by row: memory stays flat however long the journal.
    for row in db.execute(f'SELECT rowid, {quoted} FROM "{table}" ORDER BY rowid'):
        yield row[0], dict(zip(columns, row[1:]))


def _check_kind(table: str, rowid: int, column: str, value: Any, declared: str) -> None:
    if value is None:
        return
    kinds, described = _DECLARED_KINDS.get(declared, ((), declared.lower()))
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise _refused(table, rowid, column, value, f"this column holds {described}, not this.")
    if isinstance(value, float) and not math.isfinite(value):
        raise _refused(table, rowid, column, value, "an infinite number is not a measurement.")


def _apply(check: Check, table: str, rowid: int, column: str, value: Any) -> None:
    try:
        check(value)
    except InvalidEntry as exc:
        raise _refused(table, rowid, column, value, str(exc)) from None


def _check_photo_row(rowid: int, row: dict[str, Any]) -> None:
    digest = row["sha256"]
    for column, kind in (("path", "photos"), ("thumb_path", "thumbs")):
        if row[column] != f"{kind}/{digest[:2]}/{digest}.jpg":
            raise _refused(
                "photos", rowid, column, row[column], f"the file is not named by the photo's SHA-256 ({digest})."
            )
    if (row["ita"] is None) != (row["ita_category"] is None):
        raise _refused("photos", rowid, "ita_category", row["ita_category"], "it does not go with the ITA value.")
    if row["ita"] is not None:
        from photometry.metrics import ita_category

        if ita_category(row["ita"]) != row["ita_category"]:
            raise _refused(
                "photos", rowid, "ita_category", row["ita_category"], f"ITA {row['ita']:.1f} has another category."
            )


def _check_region(rowid: int, row: dict[str, Any]) -> None:
    from store.photos.analysed import region_from_row

    try:
        if len(row["roi"]) > 200 or len(row["reference"] or "") > 200:
            raise ValueError("too long")
        region_from_row(row["roi"], row["reference"]).to_rects()
    except (ValueError, TypeError, json.JSONDecodeError):
        raise _refused("area_regions", rowid, "roi", row["roi"], "not a measuring region.") from None


def _check_draft(rowid: int, row: dict[str, Any], today: dt.date) -> None:
    from store.drafts import parse_row

    try:
        parse_row(row, today)
    except InvalidEntry as exc:
        raise _refused("drafts", rowid, "fields", row["fields"], str(exc)) from None


def _refused(table: str, rowid: int, column: str, value: Any, reason: str) -> RestoreRefused:
    shown = repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return RestoreRefused(
        f"The backup's journal holds a value this app does not accept: {table} row {rowid}, "
        f"{column} = {shown}: {reason} Refused."
    )


# --- references and files ----------------------------------------------------------


def _check_references(db: sqlite3.Connection) -> None:
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check"):
        raise RestoreRefused(
            f"The backup's journal is inconsistent: {table} row {rowid} refers to a row of {parent} "
            "that is not in it. Refused."
        )
    orphan = db.execute(
        "SELECT id, day FROM treatments WHERE id NOT IN (SELECT treatment_id FROM treatment_areas) LIMIT 1"
    ).fetchone()
    if orphan is not None:
        raise RestoreRefused(
            f"The backup's journal is inconsistent: treatment {orphan[0]} ({orphan[1]!s:.10}) has no treated area. "
            "Refused."
        )


def _check_photo_files(db: sqlite3.Connection, folder: Path) -> None:
    """Every photo the database names is in the backup, and every photo in the backup is named."""
    referenced: set[str] = set()
    for rowid, path, thumb_path in db.execute("SELECT id, path, thumb_path FROM photos ORDER BY id"):
        for column, relative in (("path", path), ("thumb_path", thumb_path)):
            if not (folder / relative).is_file():
                raise RestoreRefused(
                    f"The backup lacks the photo file that photos row {rowid} names ({column} = '{relative}'). Refused."
                )
            referenced.add(relative)
    for kind in ("photos", "thumbs"):
        for path in sorted((folder / kind).glob("*/*")):
            relative = path.relative_to(folder).as_posix()
            if relative not in referenced:
                raise RestoreRefused(f"The backup holds a photo file no journal entry refers to: '{relative}'.")
