"""A damaged or tampered backup is refused with a message naming the problem, and leaves nothing.

Single bits flipped all over real backups (encrypted and not): in the local
headers, the salt and passphrase check of AES members, their data and their
authentication code (MAC), the central directory and its end records; and
backups cut short at many lengths. Through the library (RestoreRefused), the
command line (exit status 2, one line, no traceback) and the Export & backup
page (an error box, no exception). A flip in a field the reader never uses (a
header's date, say) may restore, but then the journal must be exactly the
original one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from demo.skin import skin_photo
from healing_journal import Journal, Settings
from store.backup import RestoreRefused, restore
from tests.test_cli import run, run_process

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)
PASSPHRASE = "velvet canyon orbit ledger mosaic"
# Every refusal names what is wrong in words: one of these.
NAMED = re.compile(
    r"damaged|altered|cut short|not a ZIP file|passphrase is wrong|does not match|does not have the size|"
    r"missing|not listed|not a journal backup|AES-256 only|invalid name|unexpected file|duplicate name"
)
_CENTRAL = b"PK\x01\x02"
_END = b"PK\x05\x06"
_END64 = b"PK\x06\x06"
_LOCATOR64 = b"PK\x06\x07"


@dataclass(frozen=True)
class Damage:
    kind: str  # "encrypted" or "plain"
    where: str  # which field, for the test's name
    offset: int | None  # the byte whose bit is flipped; None: cut short
    bit: int = 0x01
    length: int | None = None  # cut to this many bytes

    @property
    def id(self) -> str:
        # Offsets differ a little from one run (or test worker) to the next: names only.
        return f"{self.kind}-{self.where}" + (f"-bit-{self.bit:#04x}" if self.offset is not None else "")

    def apply(self, data: bytes) -> bytes:
        if self.offset is None:
            assert self.length is not None
            return data[: self.length]
        damaged = bytearray(data)
        damaged[self.offset] ^= self.bit
        return bytes(damaged)


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, today=lambda: TODAY)


def _make_backup(folder: Path, passphrase: str | None) -> bytes:
    with Journal.open(folder, settings=_settings(folder)) as journal:
        journal.save_profile(name="Sam", fitzpatrick=3)
        journal.add_treatment("2026-11-20", ["face"], device="Pen", needle_depth_mm=1.0)
        for offset in range(4):
            day = dt.date(2026, 11, 20) + dt.timedelta(days=offset)
            entry = journal.save_entry(day, "face", redness=3 - offset // 2, notes=f"day {offset} " * 20)
            if offset == 0:
                journal.add_photo(entry, skin_photo(0.6, seed=4, size=(320, 240)), "day0.jpg")
        return journal.backup(passphrase=passphrase)


_ARCHIVES: dict[str, bytes] = {}


def archive(kind: str) -> bytes:
    """The pristine backup of each kind, made once (the cases are listed before any fixture runs)."""
    if kind not in _ARCHIVES:
        import tempfile

        with tempfile.TemporaryDirectory() as scratch:
            _ARCHIVES[kind] = _make_backup(Path(scratch) / "j", PASSPHRASE if kind == "encrypted" else None)
    return _ARCHIVES[kind]


def _local_offsets(data: bytes, info: zipfile.ZipInfo, encrypted: bool) -> Iterator[tuple[str, int]]:
    start = info.header_offset
    name_length, extra_length = struct.unpack("<HH", data[start + 26 : start + 30])
    name = info.filename.split("/")[0].split(".")[0]
    for field, at in (("signature", 0), ("flags", 6), ("method", 8), ("time", 10), ("crc", 14)):
        yield f"{name}-local-{field}", start + at
    for field, at in (("compressed-size", 18), ("size", 22), ("name-length", 26), ("extra-length", 28)):
        yield f"{name}-local-{field}", start + at
    yield f"{name}-local-name", start + 30
    if extra_length:
        yield f"{name}-local-extra", start + 30 + name_length + extra_length - 1
    data_start = start + 30 + name_length + extra_length
    size = info.compress_size
    if encrypted:
        yield f"{name}-salt", data_start
        yield f"{name}-passphrase-check", data_start + 16
        yield f"{name}-data-start", data_start + 18
        yield f"{name}-mac", data_start + size - 10
        yield f"{name}-mac-end", data_start + size - 1
    else:
        yield f"{name}-data-start", data_start
        yield f"{name}-data-end", data_start + size - 1
    yield f"{name}-data-middle", data_start + size // 2
    yield f"{name}-data-three-quarters", data_start + 3 * size // 4


def _central_offsets(data: bytes) -> Iterator[tuple[str, int]]:
    central = data.find(_CENTRAL)
    entry = 0
    while data[central : central + 4] == _CENTRAL:
        for field, at in (
            ("signature", 0),
            ("method", 10),
            ("crc", 16),
            ("compressed-size", 20),
            ("size", 24),
            ("name-length", 28),
            ("extra-length", 30),
            ("header-offset", 42),
            ("name", 46),
        ):
            yield f"central-{entry}-{field}", central + at
        name_length, extra_length, comment_length = struct.unpack("<HHH", data[central + 28 : central + 34])
        if extra_length:
            yield f"central-{entry}-extra", central + 46 + name_length
        central += 46 + name_length + extra_length + comment_length
        entry += 1
    end = data.rfind(_END)
    for field, at in (("signature", 0), ("entries", 10), ("size", 12), ("offset", 16), ("comment-length", 20)):
        yield f"end-{field}", end + at
    for signature, label in ((_END64, "zip64-end"), (_LOCATOR64, "zip64-locator")):
        found = data.rfind(signature)
        if found >= 0:
            yield f"{label}-signature", found
            yield f"{label}-offset", found + (48 if signature == _END64 else 8)


def damages(kind: str) -> list[Damage]:
    data = archive(kind)
    encrypted = kind == "encrypted"
    with zipfile.ZipFile(io.BytesIO(data)) as opened:
        infos = opened.infolist()
    offsets = [place for info in infos for place in _local_offsets(data, info, encrypted)]
    offsets += list(_central_offsets(data))
    cases = [Damage(kind, where, offset, bit) for where, offset in offsets for bit in (0x01, 0x80)]
    size = len(data)
    cuts = {
        "empty": 0,
        "1-byte": 1,
        "4-bytes": 4,
        "first-header": 30,
        "100-bytes": 100,
        "a-third": size // 3,
        "half": size // 2,
        "200-short": size - 200,
        "end-record-cut": size - 23,
        "last-byte-gone": size - 1,
    }
    cases += [Damage(kind, f"cut-{label}", None, length=length) for label, length in cuts.items()]
    return cases


ALL = damages("encrypted") + damages("plain")


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The files each pristine backup restores to."""
    restored = {}
    for kind in ("encrypted", "plain"):
        target = tmp_path_factory.mktemp(kind) / "journal"
        restore(archive(kind), target, passphrase=PASSPHRASE, today=TODAY)
        restored[kind] = _hashes(target)
    return restored


def _must_refuse(damage: Damage) -> bool:
    """The damage that can never be harmless: a cut; in an encrypted backup, its data, salt,
    passphrase check or MAC; in a plain one, a photo's bytes (stored as they are). (A flipped bit
    of compressed data can leave what it decompresses to unchanged, and zipfile reads a member's
    sizes from the central directory alone, so those may restore: unchanged, as checked.)"""
    if damage.offset is None:
        return True
    if damage.kind == "encrypted":
        return re.search(r"data|mac|salt|passphrase-check", damage.where) is not None
    return re.match(r"(photos|thumbs)-data", damage.where) is not None


def _assert_plain_message(message: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message, message
    assert NAMED.search(message), f"the message does not name the problem: {message}"


# --- the library ----------------------------------------------------------------------


@pytest.mark.parametrize("damage", ALL, ids=[damage.id for damage in ALL])
def test_a_damaged_backup_is_refused_or_restores_unchanged(
    damage: Damage, tmp_path: Path, pristine: dict[str, dict[str, str]]
) -> None:
    parent = tmp_path / "parent"
    target = parent / "journal"
    try:
        restore(damage.apply(archive(damage.kind)), target, passphrase=PASSPHRASE, today=TODAY)
    except RestoreRefused as refusal:
        _assert_plain_message(str(refusal))
        assert not parent.exists(), "a refused restore leaves nothing behind"
        assert sorted(p.name for p in tmp_path.iterdir()) == []
        return
    # Only a field no reader uses may change without harm: the journal is then the very same.
    assert not _must_refuse(damage), f"{damage.id} was restored"
    assert _hashes(target) == pristine[damage.kind], f"{damage.id} restored a different journal"


# --- the command line --------------------------------------------------------------------

# A flipped high bit of a deflate stream's first byte (the table sizes) is what made zlib
# raise from inside zipfile, uncaught, before the MAC of an AES member was checked.
SOME = [d for d in ALL if re.search(r"journal-data|journal-mac|manifest-data-start|central-0-size|cut", d.where)]


@pytest.mark.parametrize("damage", SOME, ids=[damage.id for damage in SOME])
def test_the_command_line_refuses_a_damaged_backup_in_one_line(damage: Damage, tmp_path: Path) -> None:
    damaged = tmp_path / "backup.zip"
    damaged.write_bytes(damage.apply(archive(damage.kind)))
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    result = run("restore", str(damaged), "--passphrase-file", str(secret), "--folder", str(tmp_path / "new" / "j"))
    if result.returncode == 0:
        return  # a harmless flip: the library test checks the journal is unchanged
    assert result.returncode == 2, result.stderr
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    _assert_plain_message(lines[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.zip", "passphrase.txt"]


@pytest.mark.parametrize("kind", ["encrypted", "plain"])
def test_a_real_process_shows_no_traceback(kind: str, tmp_path: Path) -> None:
    (damage,) = [d for d in ALL if d.kind == kind and d.where == "journal-data-start" and d.bit == 0x80]
    damaged = damage.apply(archive(kind))
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    for source, stdin in ((str(tmp_path / "backup.zip"), None), ("-", damaged)):
        (tmp_path / "backup.zip").write_bytes(damaged)
        result = run_process(
            "restore", source, "--passphrase-file", str(secret), "--folder", str(tmp_path / "new"), stdin=stdin
        )
        assert result.returncode == 2, result.stderr
        assert b"Traceback" not in result.stderr
        (line,) = result.stderr.decode().strip().splitlines()
        _assert_plain_message(line)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.zip", "passphrase.txt"]


# --- the page ------------------------------------------------------------------------------

PAGE_CASES = [d for d in SOME if re.search(r"journal-data-start-bit-0x80|journal-mac-bit-0x01|cut-100-bytes", d.id)]


@pytest.fixture
def page_env(monkeypatch: pytest.MonkeyPatch, navigation_only: None) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("JOURNAL_TODAY", TODAY.isoformat())


def _page(folder: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("JOURNAL_DATA_DIR", str(folder))
    return AppTest.from_file(str(ROOT / "pages" / "export_backup.py"), default_timeout=30).run()


def _errors(at: AppTest) -> list[str]:
    assert not at.exception, [e.value for e in at.exception]
    return [e.value for e in at.error]


@pytest.mark.parametrize("damage", PAGE_CASES, ids=[damage.id for damage in PAGE_CASES])
def test_the_page_refuses_a_damaged_upload_into_this_journal(
    damage: Damage, tmp_path: Path, page_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "empty"
    at = _page(folder, monkeypatch)
    at.file_uploader(key="restore_file").set_value(
        ("backup.zip", damage.apply(archive(damage.kind)), "application/zip")
    )
    at.run()
    errors = _errors(at)
    if not errors:  # the listing reads: the damage shows when the restore reads the data
        if damage.kind == "encrypted":
            at.text_input(key="restore_passphrase").input(PASSPHRASE)
        next(b for b in at.button if b.label == "Restore into this journal").click().run()
        errors = _errors(at)
    assert len(errors) == 1, errors
    _assert_plain_message(errors[0])
    with Journal.open(folder, settings=_settings(folder)) as journal:
        assert journal.entry_list() == [] and journal.integrity_check() == "ok"
    assert [p.name for p in folder.iterdir() if p.name.startswith(".restore-")] == []


@pytest.mark.parametrize("damage", PAGE_CASES, ids=[damage.id for damage in PAGE_CASES])
def test_the_page_refuses_a_damaged_file_into_a_new_folder(
    damage: Damage, tmp_path: Path, page_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "current"
    _make_backup(folder, None)  # a journal with entries: a backup goes into a new folder
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(damage.apply(archive(damage.kind)))
    at = _page(folder, monkeypatch)
    at.radio(key="restore_source").set_value("A file on this computer").run()
    at.text_input(key="restore_path").input(str(damaged)).run()
    errors = _errors(at)
    if not errors:
        if damage.kind == "encrypted":
            at.text_input(key="restore_passphrase").input(PASSPHRASE)
        at.text_input(key="restore_folder").input(str(tmp_path / "restored"))
        next(b for b in at.button if b.label == "Restore").click().run()
        errors = _errors(at)
    assert len(errors) == 1, errors
    _assert_plain_message(errors[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "damaged.zip"]
