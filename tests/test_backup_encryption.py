"""Encrypted backups: AES-256 ZIPs that an independent archiver opens, that reveal nothing by
their names or dates, and that restore only with the right passphrase.

The interoperability tests run Debian's 7-Zip (`7zz`, package 7zip, installed by
test.sh). In CI a missing 7-Zip fails the test instead of skipping it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from demo.skin import skin_photo
from healing_journal import Journal, Settings
from recovery.vocabulary import Sign
from store.backup import (
    BackupExists,
    PassphraseNeeded,
    RestoreRefused,
    WeakPassphrase,
    WrongPassphrase,
    check_new_passphrase,
    inspect,
    write_backup_file,
)
from tests.programs import find_program

TODAY = dt.date(2026, 11, 24)
PASSPHRASE = "quiet harbour maple 42"
NAME = "Alexandra Példa"

# Restore into a folder and open it, as the README's Journal.restore does.
restore = Journal.restore


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, today=lambda: TODAY)


@pytest.fixture(scope="module")
def journal_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("source") / "journal"
    with Journal.open(folder, settings=_settings(folder)) as journal:
        journal.save_profile(name=NAME, fitzpatrick=4)
        journal.add_treatment("2026-11-20", ["face"], device="Pen", needle_depth_mm=1.0)
        for offset in range(2):
            entry = journal.save_entry(dt.date(2026, 11, 20 + offset), "face", redness=3 - offset, notes="itchy")
            journal.add_photo(entry, skin_photo(0.5, seed=offset, size=(640, 480)), f"{NAME} 2026-11-2{offset}.jpg")
    return folder


@pytest.fixture(scope="module")
def encrypted(journal_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("backups") / "backup.zip"
    summary = write_backup_file(journal_folder, path, passphrase=PASSPHRASE)
    assert summary.encrypted and summary.photos == 2 and summary.size == path.stat().st_size
    assert path.stat().st_mode & 0o777 == 0o600  # readable by the patient's account only
    return path


def seven_zip() -> str:
    return find_program("7zz", "7z", package="7zip")


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- what the archive shows without the passphrase ------------------------------------


def test_every_member_is_aes_256_encrypted_and_names_reveal_nothing(encrypted: Path) -> None:
    with zipfile.ZipFile(encrypted) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert "manifest.json" in names and "journal.sqlite3" in names
    for info in infos:
        assert info.flag_bits & 1, f"{info.filename} is not encrypted"
        assert info.compress_type == 99  # WinZip AES
        assert info.date_time == (1980, 1, 1, 0, 0, 0)  # no date of the backup or of a photo
        assert "Alex" not in info.filename and "2026" not in info.filename
        aes_extra = info.extra[info.extra.find(b"\x01\x99") :]
        assert aes_extra[4:6] == b"\x02\x00", "AE-2: no CRC of the plain text"
        assert aes_extra[8] == 3, "AES strength 3 = 256 bits"
    raw = encrypted.read_bytes()
    assert NAME.encode() not in raw and b"itchy" not in raw and b"format_version" not in raw


def test_inspect_tells_an_encrypted_backup_without_its_passphrase(encrypted: Path, journal_folder: Path) -> None:
    info = inspect(encrypted)
    assert info.encrypted and info.files == 6 and info.size == encrypted.stat().st_size
    plain = encrypted.with_name("plain.zip")
    write_backup_file(journal_folder, plain, passphrase=None)
    assert not inspect(plain).encrypted
    assert not inspect(plain.read_bytes()).encrypted


# --- restore ---------------------------------------------------------------------------


def test_round_trip_with_the_passphrase(encrypted: Path, journal_folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "restored"
    with restore(encrypted, target, passphrase=PASSPHRASE, settings=_settings(target)) as journal:
        assert journal.profile().name == NAME
        assert [e.rating(Sign.REDNESS) for e in journal.entry_list()] == [3, 2]
        assert len(journal.photos()) == 2
    photos = {k: v for k, v in _hashes(target).items() if k.startswith(("photos/", "thumbs/"))}
    assert photos == {k: v for k, v in _hashes(journal_folder).items() if k.startswith(("photos/", "thumbs/"))}


@pytest.mark.parametrize(
    ("passphrase", "error", "words"),
    [
        (None, PassphraseNeeded, "protected with a passphrase"),
        ("", PassphraseNeeded, "protected with a passphrase"),
        ("quiet harbour maple 43", WrongPassphrase, "passphrase is wrong"),
        (PASSPHRASE.upper(), WrongPassphrase, "capital and small letters"),
    ],
)
def test_a_missing_or_wrong_passphrase_is_refused_and_leaves_nothing(
    encrypted: Path, tmp_path: Path, passphrase: str | None, error: type, words: str
) -> None:
    parent = tmp_path / "parent"
    with pytest.raises(error, match=words):
        restore(encrypted, parent / "journal", passphrase=passphrase)
    assert issubclass(error, RestoreRefused)
    assert not parent.exists()  # the parent folder it had to create is gone too


def test_mixed_encrypted_and_plain_members_are_refused(encrypted: Path, tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.zip"
    shutil.copy(encrypted, mixed)
    with zipfile.ZipFile(mixed, "a") as archive:
        archive.writestr("photos/00/" + "0" * 64 + ".jpg", b"\xff\xd8\xff plain")
    with pytest.raises(RestoreRefused, match="either wholly protected"):
        restore(mixed, tmp_path / "journal", passphrase=PASSPHRASE)
    assert [p.name for p in tmp_path.iterdir()] == ["mixed.zip"]


def test_an_altered_encrypted_member_is_refused(encrypted: Path, tmp_path: Path) -> None:
    altered = bytearray(encrypted.read_bytes())
    with zipfile.ZipFile(encrypted) as archive:
        info = next(i for i in archive.infolist() if i.filename.startswith("photos/"))
    # A byte in the middle of the photo's encrypted data: the HMAC must catch it.
    offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 18 + info.compress_size // 2
    altered[offset] ^= 0x55
    with pytest.raises(RestoreRefused, match="altered or is damaged|does not match"):
        restore(bytes(altered), tmp_path / "journal", passphrase=PASSPHRASE)
    assert list(tmp_path.iterdir()) == []


# --- passphrases and files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("passphrase", "repeated", "words"),
    [
        ("short", None, "at least 10"),
        ("long enough passphrase", "long enough passphrasE", "differ"),
        (" long enough passphrase", None, "space"),
    ],
)
def test_weak_passphrases_are_refused(passphrase: str, repeated: str | None, words: str) -> None:
    with pytest.raises(WeakPassphrase, match=words):
        check_new_passphrase(passphrase, repeated)


def test_a_backup_never_overwrites_a_file_unless_asked(journal_folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup.zip"
    target.write_bytes(b"precious")
    with pytest.raises(BackupExists):
        write_backup_file(journal_folder, target, passphrase=PASSPHRASE)
    assert target.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir()] == ["backup.zip"]
    write_backup_file(journal_folder, target, passphrase=PASSPHRASE, overwrite=True)
    assert inspect(target).encrypted


# --- an independent implementation: 7-Zip ------------------------------------------------


def test_7zip_extracts_an_encrypted_backup_with_the_passphrase(encrypted: Path, tmp_path: Path) -> None:
    tool = seven_zip()
    out = tmp_path / "extracted"
    result = subprocess.run(
        [tool, "x", f"-p{PASSPHRASE}", f"-o{out}", "-y", str(encrypted)], capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    listing = subprocess.run([tool, "l", "-slt", f"-p{PASSPHRASE}", str(encrypted)], capture_output=True, text=True)
    methods = {line.split(" = ")[1] for line in listing.stdout.splitlines() if line.startswith("Method = ")}
    assert methods == {"AES-256 Store", "AES-256 Deflate"}
    manifest = json.loads((out / "manifest.json").read_bytes())
    extracted = _hashes(out)
    extracted.pop("manifest.json")
    assert extracted == {name: entry["sha256"] for name, entry in manifest["members"].items()}
    for name in extracted:
        if name.startswith("photos/"):
            assert name.endswith(f"{extracted[name]}.jpg")  # each photo hashes to its name
    db = (out / "journal.sqlite3").read_bytes()
    assert db.startswith(b"SQLite format 3\x00") and NAME.encode() in db


def test_7zip_refuses_a_wrong_passphrase(encrypted: Path, tmp_path: Path) -> None:
    tool = seven_zip()
    result = subprocess.run(
        [tool, "x", "-pnot the passphrase", f"-o{tmp_path / 'out'}", "-y", str(encrypted)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Wrong password" in result.stdout + result.stderr


def test_a_backup_7zip_packed_with_aes_restores(encrypted: Path, tmp_path: Path) -> None:
    """The other direction: a backup unpacked and packed again by 7-Zip (AES-256, as a patient
    might after looking inside) restores with the same passphrase."""
    tool = seven_zip()
    unpacked = tmp_path / "unpacked"
    subprocess.run(
        [tool, "x", f"-p{PASSPHRASE}", f"-o{unpacked}", "-y", str(encrypted)], check=True, capture_output=True
    )
    repacked = tmp_path / "repacked.zip"
    subprocess.run(
        [tool, "a", "-tzip", "-mem=AES256", f"-p{PASSPHRASE}", str(repacked), "."],
        cwd=unpacked,
        check=True,
        capture_output=True,
    )
    assert inspect(repacked).encrypted
    target = tmp_path / "restored"
    with restore(repacked, target, passphrase=PASSPHRASE, settings=_settings(target)) as journal:
        assert journal.profile().name == NAME and len(journal.photos()) == 2
    with pytest.raises(WrongPassphrase):
        restore(repacked, tmp_path / "again", passphrase="quiet harbour maple 43")


def test_a_non_ascii_passphrase_opens_in_7zip(journal_folder: Path, tmp_path: Path) -> None:
    tool = seven_zip()
    passphrase = "Grüße aus Köln, čaj 茶"
    path = tmp_path / "unicode.zip"
    write_backup_file(journal_folder, path, passphrase=passphrase)
    result = subprocess.run(
        [tool, "t", f"-p{passphrase}", str(path)],
        capture_output=True,
        timeout=120,
        env={**os.environ, "LANG": "C.UTF-8"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
