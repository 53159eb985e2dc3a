"""Backup and restore: a faithful round trip, consistency under writes, and every
malicious or damaged archive refused with nothing written."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import sqlite3
import warnings
import zipfile
from pathlib import Path

import pytest

from demo.skin import skin_photo
from healing_journal import Journal, JournalError
from store.backup import MANIFEST, backup
from store.errors import RestoreRefused
from tests.journals import reopen


def restore(data: bytes, folder) -> Journal:
    """Restore into `folder` and open it, as the README's Journal.restore does."""
    return Journal.restore(data, folder)


TODAY = dt.date(2026, 11, 24)
MB = 1024 * 1024


@pytest.fixture
def journal(tmp_path):
    journal = reopen(tmp_path / "j", TODAY)
    journal.save_profile(name="Alex", fitzpatrick=3, melasma_history=True)
    journal.add_treatment("2026-11-20", ["face", "neck"], device="Dermapen", needle_depth_mm=1.0)
    for offset, redness in enumerate((4, 2, 1)):
        day = dt.date(2026, 11, 20) + dt.timedelta(days=offset)
        entry = journal.save_entry(day, "face", redness=redness, swelling=1, sunscreen=True, notes=f"day {offset}")
        if offset < 2:
            journal.add_photo(entry, skin_photo(redness / 4, seed=offset), f"IMG_{offset}.jpg")
    yield journal
    journal.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> bytes:
    """A small, valid backup to tamper with."""
    journal = reopen(tmp_path_factory.mktemp("source") / "j", TODAY)
    entry = journal.save_entry("2026-11-21", "face", redness=2)
    journal.add_photo(entry, skin_photo(0.5, seed=7), "a.jpg")
    data = journal.backup()
    journal.close()
    return data


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _manifest_for(members: list[tuple[str, bytes]], **changes) -> bytes:
    manifest = {
        "format_version": 1,
        "app": "HealingJournal",
        "created_at": "2026-11-24T00:00:00+00:00",
        "counts": {},
        "members": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for name, data in members},
    }
    manifest.update(changes)
    return json.dumps(manifest).encode()


def _zip(members: list[tuple[str, bytes]], manifest: bytes | None = b"auto", level: int = 6) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names warn
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
            for name, data in members:
                archive.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
            if manifest is not None:
                archive.writestr(MANIFEST, _manifest_for(members) if manifest == b"auto" else manifest)
    return buffer.getvalue()


def _table_rows(db_path: Path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(db_path)
    try:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {table: db.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall() for table in tables}
    finally:
        db.close()


def _file_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for kind in ("photos", "thumbs")
        for path in sorted((folder / kind).rglob("*.jpg"))
    }


# --- backup ------------------------------------------------------------------


def test_archive_layout_and_manifest(journal):
    members = _members(journal.backup())
    manifest = json.loads(members.pop(MANIFEST))
    assert manifest["format_version"] == 1
    assert manifest["app"] == "HealingJournal"
    dt.datetime.fromisoformat(manifest["created_at"])
    assert manifest["counts"] == {"entries": 3, "photos": 2, "treatments": 1}
    photos = journal.photos()
    expected = {"journal.sqlite3"} | {p.path.relative_to(journal.folder).as_posix() for p in photos}
    expected |= {p.thumb_path.relative_to(journal.folder).as_posix() for p in photos}
    assert set(members) == expected == set(manifest["members"])
    for name, data in members.items():
        listed = manifest["members"][name]
        assert {key: listed[key] for key in ("sha256", "size")} == {
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }
        assert ("photo" in listed) == name.startswith(("photos/", "thumbs/"))  # which photo, for verify
    assert all(name.startswith(("photos/", "thumbs/")) for name in expected - {"journal.sqlite3"})


def test_round_trip_gives_the_same_tables_and_photos(journal, tmp_path):
    restored = Journal.restore(journal.backup(), tmp_path / "restored")
    try:
        assert _table_rows(restored.db_path) == _table_rows(journal.db_path)
        assert _file_hashes(restored.folder) == _file_hashes(journal.folder)
        assert [p.sha256 for p in restored.photos()] == [p.sha256 for p in journal.photos()]
        again = _members(restored.backup())
    finally:
        restored.close()
    first = _members(journal.backup())

    def photo_members(members):
        return {k: hashlib.sha256(v).hexdigest() for k, v in members.items() if k.endswith(".jpg")}

    assert photo_members(again) == photo_members(first)
    assert json.loads(again[MANIFEST])["counts"] == json.loads(first[MANIFEST])["counts"]


def test_restore_into_an_existing_empty_folder(journal, tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    with restore(journal.backup(), target) as restored:
        assert len(restored.entry_list()) == 3


def test_backup_ignores_an_uncommitted_write_and_does_not_wait_for_it(journal, tmp_path):
    writer = sqlite3.connect(journal.db_path, timeout=1)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO entries (day, area, redness, notes, updated_at) "
            "VALUES ('2026-11-23', 'neck', 3, 'uncommitted', '2026-11-23T10:00:00+00:00')"
        )
        data = backup(journal)  # must neither block nor see the open transaction
        writer.rollback()
    finally:
        writer.close()
    with restore(data, tmp_path / "restored") as restored:
        assert [r.notes for r in restored.entry_list()] == ["day 0", "day 1", "day 2"]


def test_backup_includes_commits_still_in_the_wal(journal, tmp_path):
    writer = sqlite3.connect(journal.db_path)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        with writer:
            writer.execute(
                "INSERT INTO entries (day, area, redness, notes, updated_at) "
                "VALUES ('2026-11-23', 'neck', 3, 'in wal', '2026-11-23T10:00:00+00:00')"
            )
        wal = journal.db_path.with_name(journal.db_path.name + "-wal")
        assert wal.stat().st_size > 0  # a plain copy of the .sqlite3 file would miss this row
        data = backup(journal)
    finally:
        writer.close()
    with restore(data, tmp_path / "restored") as restored:
        assert "in wal" in [r.notes for r in restored.entry_list()]
    # The database in the archive stands alone: no WAL sidecar needed.
    db_bytes = _members(data)["journal.sqlite3"]
    assert db_bytes[18:20] == b"\x01\x01"


def test_backup_of_an_empty_journal(tmp_path):
    with reopen(tmp_path / "empty", TODAY) as journal:
        data = journal.backup()
    with restore(data, tmp_path / "restored") as restored:
        assert restored.photos() == [] and restored.entry_list() == []


# --- refusals ------------------------------------------------------------------


def _tamper(archive: bytes, case: str) -> bytes:
    members = _members(archive)
    manifest = members.pop(MANIFEST)
    photo = next(name for name in members if name.startswith("photos/"))
    items = list(members.items())
    if case == "not a zip":
        return b"PK\x03\x04 this is not really a zip file"
    if case == "missing manifest":
        return _zip(items, manifest=None)
    if case == "zip slip":
        return _zip([*items, ("../evil.txt", b"x")])
    if case == "zip slip inside":
        return _zip([*items, ("photos/../../evil.txt", b"x")])
    if case == "absolute path":
        return _zip([*items, ("/tmp/evil.txt", b"x")])
    if case == "windows absolute path":
        return _zip([*items, ("C:/evil.txt", b"x")])
    if case == "duplicate names":
        return _zip([*items, (photo, b"other bytes")], manifest=manifest)
    if case == "not in manifest":
        return _zip([*items, ("thumbs/00/" + "0" * 64 + ".jpg", b"extra")], manifest=manifest)
    if case == "listed but missing":
        return _zip([item for item in items if item[0] != photo], manifest=manifest)
    if case == "hash mismatch":
        flipped = bytearray(members[photo])
        flipped[len(flipped) // 2] ^= 0xFF
        return _zip([(n, bytes(flipped) if n == photo else d) for n, d in items], manifest=manifest)
    if case == "unexpected file":
        return _zip([*items, ("run-me.sh", b"rm -rf ~")])
    if case == "newer format":
        return _zip(items, manifest=_manifest_for(items, format_version=2))
    if case == "damaged manifest":
        return _zip(items, manifest=b"{not json")
    if case == "no database":
        return _zip([item for item in items if item[0] != "journal.sqlite3"])
    if case == "database is not sqlite":
        return _zip([(n, b"not a database" * 100 if n == "journal.sqlite3" else d) for n, d in items])
    if case == "oversized member":
        return _zip([*items, ("photos/aa/" + "a" * 64 + ".jpg", bytes(61 * MB))], level=1)
    if case == "zip bomb":
        bombs = [(f"photos/b{i}/" + f"b{i}".ljust(64, "0") + ".jpg", bytes(55 * MB)) for i in range(4)]
        return _zip([*items, *bombs], level=1)
    if case == "larger than declared":
        manifest = json.loads(manifest)
        manifest["members"][photo]["size"] = len(members[photo]) // 2
        return _declare_smaller(_zip(items, manifest=json.dumps(manifest).encode()), photo)
    raise AssertionError(case)


def _declare_smaller(data: bytes, name: str) -> bytes:
    """Make the central directory claim that `name` holds half its real bytes."""
    patched = bytearray(data)
    header = patched.rfind(name.encode()) - 46  # the central-directory record of `name`
    assert patched[header : header + 4] == b"PK\x01\x02"
    size = int.from_bytes(patched[header + 24 : header + 28], "little")
    patched[header + 24 : header + 28] = (size // 2).to_bytes(4, "little")
    return bytes(patched)


REFUSALS = {
    "not a zip": "not a ZIP",
    "missing manifest": "no manifest",
    "zip slip": "outside the journal folder",
    "zip slip inside": "outside the journal folder",
    "absolute path": "absolute path",
    "windows absolute path": "absolute path",
    "duplicate names": "duplicate",
    "not in manifest": "not listed in its manifest",
    "listed but missing": "missing",
    "hash mismatch": "SHA-256 does not match",
    "unexpected file": "unexpected file",
    "newer format": "newer version",
    "damaged manifest": "not valid JSON",
    "no database": "no journal database",
    "database is not sqlite": "database in the backup",
    "oversized member": "limit for one file",
    "zip bomb": "zip bomb",
    "larger than declared": "damaged or was altered: it cannot be read",
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_archive_writes_nothing(archive, tmp_path, case):
    data = _tamper(archive, case)
    parent = tmp_path / "parent"
    parent.mkdir()
    target = parent / "journal"
    with pytest.raises(RestoreRefused, match=REFUSALS[case]):
        restore(data, target)
    assert list(parent.iterdir()) == []  # no target, no temporary folder beside it
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


@pytest.mark.parametrize("case", ["hash mismatch", "database is not sqlite", "zip slip"])
def test_refusal_removes_parent_folders_it_created(archive, tmp_path, case):
    target = tmp_path / "new" / "deeper" / "journal"
    with pytest.raises(RestoreRefused):
        restore(_tamper(archive, case), target)
    assert list(tmp_path.iterdir()) == []


def test_refused_when_the_target_is_not_empty(archive, tmp_path):
    target = tmp_path / "journal"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(RestoreRefused, match="not empty"):
        restore(archive, target)
    assert [p.name for p in tmp_path.iterdir()] == ["journal"]
    assert [p.name for p in target.iterdir()] == ["keep.txt"] and (target / "keep.txt").read_text() == "mine"


def test_reading_stops_once_a_member_exceeds_its_declared_size(archive):
    from store.backup.read import read_chunks as _chunks

    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        info = next(i for i in opened.infolist() if i.filename.startswith("photos/"))
        with pytest.raises(RestoreRefused, match="larger than it declares"):
            for _ in _chunks(opened, info, declared=10):
                pass


def test_refusals_are_journal_errors():
    assert issubclass(RestoreRefused, JournalError)


def test_the_untampered_archive_restores(archive, tmp_path):
    # The tampering helpers start from this archive: it must itself be fine.
    with restore(
        _zip(list({k: v for k, v in _members(archive).items() if k != MANIFEST}.items())), tmp_path / "j"
    ) as j:
        assert len(j.photos()) == 1


# --- photos that went missing or bad on disk -------------------------------------------------


@pytest.mark.parametrize("damage", ["missing", "altered", "thumbnail missing"])
def test_a_bad_photo_file_is_left_out_and_the_backup_still_restores(journal, tmp_path, damage):
    from store.backup import write_backup_file

    bad = journal.photos()[0]
    if damage == "missing":
        bad.path.unlink()
    elif damage == "altered":
        bad.path.write_bytes(bad.path.read_bytes()[:-10] + b"bit rot!!!")
    else:
        bad.thumb_path.unlink()
    summary = write_backup_file(journal.folder, tmp_path / "b.zip", passphrase=None)
    relative = bad.path.relative_to(journal.folder).as_posix()
    assert summary.left_out == (relative,)
    assert summary.photos == 1
    members = _members((tmp_path / "b.zip").read_bytes())
    assert relative not in members and relative.replace("photos/", "thumbs/") not in members
    with restore(tmp_path / "b.zip", tmp_path / "restored") as restored:
        assert [p.sha256 for p in restored.photos()] == [journal.photos()[1].sha256]
        assert len(restored.entry_list()) == 3  # the day itself is kept, without that photo


def test_backup_snapshot_lives_in_the_journal_folder_and_goes_away(journal):
    import tempfile

    from store.backup import write_backup

    seen: list[str] = []

    def watch(done: int, total: int) -> None:  # called while the archive is being written
        seen.extend(p.name for p in journal.folder.iterdir() if p.name.startswith(".backup-"))

    before = {p for p in Path(tempfile.gettempdir()).iterdir() if "backup" in p.name}
    write_backup(journal.folder, io.BytesIO(), passphrase=None, progress=watch)
    assert any(name.endswith(".sqlite3") for name in seen) and any(name.endswith(".lock") for name in seen)
    assert [p for p in journal.folder.iterdir() if p.name.startswith(".backup-")] == []
    assert {p for p in Path(tempfile.gettempdir()).iterdir() if "backup" in p.name} <= before
