"""One way to write a file that must not be lost (store.atomic): whole or not at all,
private from the first byte, the file and its folder forced to disk."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from store import atomic


def test_a_write_replaces_the_file_whole_and_private(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_bytes(b"old")
    atomic.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temporary file left


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "export.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic.replacing(target) as out:
        out.write(b"half of the new")
        raise RuntimeError("the disk was pulled out")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["export.pdf"]


def test_the_file_and_then_its_folder_are_forced_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(handle: int) -> None:
        synced.append("folder" if stat.S_ISDIR(os.fstat(handle).st_mode) else "file")
        real_fsync(handle)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    atomic.write_atomic(tmp_path / "photo.jpg", b"\xff\xd8")
    assert synced == ["file", "folder"]


def test_a_named_temporary_file_is_used_and_never_overwritten(tmp_path: Path) -> None:
    partial = tmp_path / "backup.zip.partial"
    with atomic.replacing(tmp_path / "backup.zip", temp=partial) as out:
        assert partial.exists()  # a crash leaves it where the caller looks for leftovers
        out.write(b"PK")
    assert (tmp_path / "backup.zip").read_bytes() == b"PK" and not partial.exists()
    partial.write_bytes(b"someone else's")
    with pytest.raises(FileExistsError), atomic.replacing(tmp_path / "backup.zip", temp=partial):
        pass
    assert partial.read_bytes() == b"someone else's"
