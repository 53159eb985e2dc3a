"""A backup's data is checked, not only its archive: hostile or impossible databases are refused
with a message naming the problem, and nothing is left behind.

Each case starts from a real journal, changes its database (or its photo files)
the way an attacker or a broken tool could, packs it into an archive with a
correct manifest (so every archive check passes) and tries to restore it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlite_utils import Database

from demo.skin import skin_photo
from healing_journal import Journal, Settings
from recovery.vocabulary import Sign
from store.backup import MANIFEST, RestoreRefused
from store.schema import migrations

TODAY = dt.date(2026, 11, 24)

# Restore into a folder and open it, as the README's Journal.restore does.
restore = Journal.restore


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, today=lambda: TODAY)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small journal: profile, a treatment, two entries, one photo with measurements."""
    folder = tmp_path_factory.mktemp("source") / "journal"
    with Journal.open(folder, settings=_settings(folder)) as journal:
        journal.save_profile(name="Alex", fitzpatrick=3)
        journal.add_treatment("2026-11-20", ["face"], device="Pen", needle_depth_mm=1.0)
        entry = journal.save_entry("2026-11-20", "face", redness=3, swelling=2, sunscreen=True, notes="day 0")
        journal.add_photo(entry, skin_photo(0.6, seed=4, size=(640, 480)), "day0.jpg")
        journal.save_entry("2026-11-21", "face", redness=2)
    return folder


def _copy(source: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "tampered"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".journal.lock"))
    return folder


RECONNECT = "-- reconnect: a schema edited through writable_schema takes effect in a new connection"


def _sql(folder: Path, *statements: str) -> None:
    def connect() -> sqlite3.Connection:
        db = sqlite3.connect(folder / "journal.sqlite3", isolation_level=None)
        db.execute("PRAGMA ignore_check_constraints = ON")  # write what the schema would refuse
        db.execute("PRAGMA foreign_keys = OFF")
        return db

    db = connect()
    try:
        for statement in statements:
            if statement == RECONNECT:
                db.close()
                db = connect()
            else:
                db.execute(statement)
    finally:
        db.close()


def _without_not_null(column: str, *statements: str) -> list[str]:
    """Lift a NOT NULL rule of photos, run the statements, then put the rule back."""
    edit = "UPDATE sqlite_master SET sql = replace(sql, '{}', '{}') WHERE name = 'photos'"
    return [
        "PRAGMA writable_schema = ON",
        edit.format(f"{column} TEXT NOT NULL", f"{column} TEXT /*lifted*/"),
        RECONNECT,
        *statements,
        "PRAGMA writable_schema = ON",
        edit.format(f"{column} TEXT /*lifted*/", f"{column} TEXT NOT NULL"),
        RECONNECT,
    ]


def _pack(folder: Path) -> bytes:
    """Everything in the folder as a backup with a manifest that matches it."""
    files = [
        folder / "journal.sqlite3",
        *sorted(p for kind in ("photos", "thumbs") for p in (folder / kind).rglob("*")),
    ]
    members = {p.relative_to(folder).as_posix(): p.read_bytes() for p in files if p.is_file()}
    manifest = {
        "format_version": 1,
        "app": "HealingJournal",
        "created_at": "2026-11-24T00:00:00+00:00",
        "counts": {},
        "members": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for name, data in members.items()
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr(MANIFEST, json.dumps(manifest))
    return buffer.getvalue()


def _photo(folder: Path) -> Path:
    return next((folder / "photos").rglob("*.jpg"))


def _replace_photo_bytes(folder: Path) -> None:
    _photo(folder).write_bytes(skin_photo(0.1, seed=99, size=(64, 48)))


def _add_unreferenced_photo(folder: Path) -> None:
    data = skin_photo(0.2, seed=98, size=(64, 48))
    digest = hashlib.sha256(data).hexdigest()
    (folder / "photos" / digest[:2]).mkdir(exist_ok=True)
    (folder / "photos" / digest[:2] / f"{digest}.jpg").write_bytes(data)


def _remove_thumbnail(folder: Path) -> None:
    next((folder / "thumbs").rglob("*.jpg")).unlink()


# Each case: how the journal is changed, and words the refusal must contain.
CASES = {
    "photo path outside the journal": (
        ["UPDATE photos SET path = '../../.ssh/id_rsa'"],
        "photos row 1, path = '../../.ssh/id_rsa'",
    ),
    "photo path of another photo's name": (
        ["UPDATE photos SET thumb_path = 'thumbs/00/" + "0" * 64 + ".jpg'"],
        "thumb_path",
    ),
    "trigger that wipes entries": (
        ["CREATE TRIGGER wipe AFTER INSERT ON entries BEGIN DELETE FROM entries; END"],
        "contains a trigger named 'wipe'",
    ),
    "view": (["CREATE VIEW everything AS SELECT * FROM entries"], "contains a view named 'everything'"),
    "extra table": (["CREATE TABLE stash (data BLOB)"], "extra table 'stash'"),
    "extra index": (["CREATE INDEX entries_notes ON entries(notes)"], "extra index 'entries_notes'"),
    "missing index": (["DROP INDEX photos_sha"], "lacks the index 'photos_sha'"),
    "missing column": (["ALTER TABLE entries DROP COLUMN notes"], "lacks the column 'notes'"),
    "extra column": (["ALTER TABLE entries ADD COLUMN secret TEXT"], "unexpected column 'secret'"),
    "redness 17": (["UPDATE entries SET redness = 17 WHERE id = 1"], "entries row 1, redness = 17"),
    "unknown calibration": (["UPDATE photos SET calibration = 'magic' WHERE id = 1"], "calibration = 'magic'"),
    "registration not JSON": (
        ["UPDATE photos SET registration = 'rm -rf' WHERE id = 1"],
        "photos row 1, registration = 'rm -rf'",
    ),
    "rating as text": (["UPDATE entries SET swelling = 'bad' WHERE id = 1"], "swelling = 'bad'"),
    "unknown area": (["UPDATE entries SET area = 'elbow' WHERE id = 2"], "Unknown area 'elbow'"),
    "future day": (["UPDATE entries SET day = '2027-01-01' WHERE id = 2"], "in the future"),
    "day not ISO": (["UPDATE entries SET day = '20261121' WHERE id = 2"], "not written YYYY-MM-DD"),
    "not a day": (["UPDATE entries SET day = 'yesterday' WHERE id = 2"], "is not a date"),
    "yes/no of 7": (["UPDATE entries SET sunscreen = 7 WHERE id = 1"], "sunscreen = 7"),
    "note too long": ([f"UPDATE entries SET notes = '{'x' * 5001}' WHERE id = 1"], "keep them under 5000"),
    "blob note": (["UPDATE entries SET notes = x'00ff' WHERE id = 1"], "notes = b'"),
    "needle depth 9 mm": (["UPDATE treatments SET needle_depth_mm = 9"], "outside 0-5 mm"),
    "Fitzpatrick 9": (["UPDATE profile SET fitzpatrick = 9"], "Fitzpatrick type from 1"),
    "profile flag 2": (["UPDATE profile SET cold_sores = 2"], "cold_sores = 2"),
    "unknown country": (["UPDATE profile SET country = 'XX'"], "country = 'XX'"),
    "treatment without areas": (["DELETE FROM treatment_areas"], "treatment 1 (2026-11-20) has no treated area"),
    "treated area unknown": (["UPDATE treatment_areas SET area = 'soul'"], "Unknown area 'soul'"),
    "version not hexadecimal": (["UPDATE entries SET version = 'x; DROP' WHERE id = 1"], "version = 'x; DROP'"),
    "draft with redness 17": (
        [
            "INSERT INTO drafts (day, area, fields, base, updated_at) VALUES "
            "('2026-11-21', 'face', '{\"redness\": 17}', '{}', '2026-11-21T10:00:00+00:00')"
        ],
        "outside the scale",
    ),
    "draft photo that is a path": (
        [
            "INSERT INTO drafts (day, area, fields, base, photos, updated_at) VALUES ('2026-11-21', 'face', '{}', "
            '\'{}\', \'[{"sha256": "../../.ssh/id_rsa", "name": "x", "size": 1}]\', '
            "'2026-11-21T10:00:00+00:00')"
        ],
        "named by its SHA-256",
    ),
    "draft not JSON": (
        [
            "INSERT INTO drafts (day, area, fields, base, updated_at) VALUES "
            "('2026-11-21', 'face', 'rm -rf', '{}', '2026-11-21T10:00:00+00:00')"
        ],
        "not the JSON the app writes",
    ),
    "share of an unknown kind": (
        [
            "INSERT INTO shares (day, kind, recipient, included, sha256, updated_at) VALUES "
            f"('2026-11-21', 'fax', 'Dr. Lee', 'Face', '{'a' * 64}', '2026-11-21T10:00:00+00:00')"
        ],
        "shares row 1, kind = 'fax'",
    ),
    "share digest that is not one": (
        [
            "INSERT INTO shares (day, kind, recipient, included, sha256, updated_at) VALUES "
            f"('2026-11-21', 'csv', 'Dr. Lee', 'Face', '{'z' * 64}', '2026-11-21T10:00:00+00:00')"
        ],
        "shares row 1, sha256",
    ),
    "photo of a missing entry": (["UPDATE photos SET entry_id = 99"], "photos row 1 refers to a row of entries"),
    "text in a measurement column": (["UPDATE photos SET sharpness = 'sharp'"], "sharpness = 'sharp'"),
    "infinite measurement": (["UPDATE photos SET a_star = 9e999"], "infinite"),
    "skin tone category that does not match": (["UPDATE photos SET ita_category = 'dark'"], "ita_category"),
    "sha256 not hexadecimal": (["UPDATE photos SET source_sha256 = 'nope'"], "source_sha256 = 'nope'"),
    "zero-pixel photo": (["UPDATE photos SET width = 0"], "width = 0"),
    "empty required column": (
        _without_not_null("added_at", "UPDATE photos SET added_at = NULL"),
        "photos row 1, added_at = None: this column cannot be empty",
    ),
    "loosened rule": (
        [
            "PRAGMA writable_schema = ON",
            "UPDATE sqlite_master SET sql = replace(sql, 'BETWEEN 0 AND 4', 'BETWEEN 0 AND 99') WHERE name = 'entries'",
        ],
        "'entries' in the backup's journal database is defined differently",
    ),
    "newer version": (
        [
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('healing_journal', 'm999_future', '2030-01-01')"
        ],
        "newer version of the app",
    ),
    "measuring region that is not one": (
        ["INSERT INTO area_regions (area, roi) VALUES ('face', '[0.9, 0.9, 0.1, 0.1]')"],
        "area_regions row 1, roi",
    ),
}
FILE_CASES = {
    "photo bytes that do not match the name": (_replace_photo_bytes, "does not hash to its name"),
    "photo file nobody refers to": (_add_unreferenced_photo, "no journal entry refers to"),
    "missing thumbnail": (_remove_thumbnail, "lacks the photo file that photos row 1 names (thumb_path"),
}


def _refused_without_a_trace(data: bytes, tmp_path: Path, words: str) -> str:
    parent = tmp_path / "restore-here"
    parent.mkdir()
    with pytest.raises(RestoreRefused) as refusal:
        restore(data, parent / "journal", settings=_settings(parent / "journal"))
    assert words in str(refusal.value), str(refusal.value)
    assert list(parent.iterdir()) == []  # no journal, no .restore-* folder
    return str(refusal.value)


@pytest.mark.parametrize("case", list(CASES))
def test_a_tampered_database_is_refused(source: Path, tmp_path: Path, case: str) -> None:
    folder = _copy(source, tmp_path)
    statements, words = CASES[case]
    _sql(folder, *statements)
    _refused_without_a_trace(_pack(folder), tmp_path, words)


@pytest.mark.parametrize("case", list(FILE_CASES))
def test_tampered_photo_files_are_refused(source: Path, tmp_path: Path, case: str) -> None:
    folder = _copy(source, tmp_path)
    change, words = FILE_CASES[case]
    change(folder)
    _refused_without_a_trace(_pack(folder), tmp_path, words)


def test_a_refusal_names_table_row_column_and_value(source: Path, tmp_path: Path) -> None:
    folder = _copy(source, tmp_path)
    _sql(folder, "UPDATE entries SET redness = 17 WHERE id = 1")
    message = _refused_without_a_trace(_pack(folder), tmp_path, "redness")
    assert message == (
        "The backup's journal holds a value this app does not accept: entries row 1, redness = 17: "
        "The redness rating must be from 0 to 4; 17 is outside the scale. Refused."
    )


def test_the_untampered_pack_restores(source: Path, tmp_path: Path) -> None:
    # The tampering starts from this pack: it must itself be accepted.
    folder = _copy(source, tmp_path)
    target = tmp_path / "restored"
    with restore(_pack(folder), target, settings=_settings(target)) as journal:
        assert [e.notes for e in journal.entry_list()] == ["day 0", ""]
        assert len(journal.photos()) == 1


def test_a_backup_of_an_older_version_is_brought_up_to_date(tmp_path: Path) -> None:
    """A journal from before the photo measurements (migration m002) restores with their columns."""
    folder = tmp_path / "old"
    folder.mkdir()
    db = sqlite3.connect(folder / "journal.sqlite3")
    migrations.apply(Database(db), stop_before="m002_photo_measurements")
    with db:
        db.execute("INSERT INTO treatments (day) VALUES ('2026-11-20')")
        db.execute("INSERT INTO treatment_areas (treatment_id, area) VALUES (1, 'neck')")
        db.execute(
            "INSERT INTO entries (day, area, redness, updated_at) VALUES ('2026-11-21', 'neck', 2, '2026-11-21')"
        )
    db.close()
    target = tmp_path / "restored"
    with restore(_pack(folder), target, settings=_settings(target)) as journal:
        assert [(e.area, e.rating(Sign.REDNESS)) for e in journal.entry_list()] == [("neck", 2)]
        columns = {row[1] for row in sqlite3.connect(target / "journal.sqlite3").execute("PRAGMA table_info(photos)")}
        assert {"a_star", "sharpness"} <= columns


def test_the_restored_database_is_one_file(source: Path, tmp_path: Path) -> None:
    folder = _copy(source, tmp_path)
    target = tmp_path / "restored"
    restored = restore(_pack(folder), target, settings=_settings(target))
    restored.close()
    assert sorted(p.name for p in target.iterdir() if p.name.startswith("journal")) == ["journal.sqlite3"]
