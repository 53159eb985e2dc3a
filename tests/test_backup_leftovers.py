"""A backup or restore killed midway (SIGKILL, as a power cut or a closed laptop would) leaves
only hidden files that the next start of the journal recognises, removes and reports; work
that another process is still doing is never touched.

The processes are the real command line (`python -m healing_journal`), killed for real.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.noise_journal import build_noise_journal
from healing_journal import Journal, Settings
from store.backup import write_backup_file
from store.leftovers import describe

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)
WAIT = 60.0


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, today=lambda: TODAY)


def _start(*args: str, stdin: int | None = None, stdout: int | None = None) -> subprocess.Popen:
    env = {**os.environ, "JOURNAL_TODAY": TODAY.isoformat(), "PYTHONPATH": str(REPO)}
    env.pop("JOURNAL_DATA_DIR", None)
    return subprocess.Popen(
        [sys.executable, "-m", "healing_journal", *args],
        cwd=REPO,
        env=env,
        stdin=stdin,
        stdout=stdout if stdout is not None else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _until(condition: Callable[[], bool], process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert process.poll() is None, f"the process ended before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.001)


def _kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=WAIT)
    assert process.returncode == -signal.SIGKILL


def _hidden(folder: Path, prefix: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(prefix))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few MB of photos: far more than a pipe holds (64 KB)."""
    folder = tmp_path_factory.mktemp("small") / "journal"
    build_noise_journal(folder, photos=4, photo_side=800, today=TODAY)
    return folder


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 120 MB of photos: a backup or restore of it takes a noticeable moment."""
    folder = tmp_path_factory.mktemp("large") / "journal"
    build_noise_journal(folder, photos=60, photo_side=1600, today=TODAY)
    return folder


@pytest.fixture(scope="module")
def large_backup(large: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archives") / "large.zip"
    write_backup_file(large, path, passphrase=None)
    return path


def _reopen(folder: Path) -> list:
    with Journal.open(folder, settings=_settings(folder)) as journal:
        return journal.open_report.leftovers_removed


# --- backups ------------------------------------------------------------------------------


def test_a_backup_killed_while_writing_to_a_pipe(small: Path) -> None:
    # Nobody reads the pipe: the backup blocks once it is full, certainly midway.
    process = _start("backup", "--no-encryption", "-o", "-", "--folder", str(small), stdout=subprocess.PIPE)
    try:
        _until(lambda: any(p.suffix == ".sqlite3" for p in _hidden(small, ".backup-")), process, "the snapshot")
        time.sleep(0.5)  # into the photos, against the full pipe
        _kill(process)
    finally:
        if process.stdout:
            process.stdout.close()
    left = _hidden(small, ".backup-")
    assert {p.suffix for p in left} == {".sqlite3", ".lock"}
    removed = _reopen(small)
    assert [item.kind for item in removed] == ["backup"]
    assert removed[0].size > 0
    assert _hidden(small, ".backup-") == []
    assert describe(removed).startswith("Unfinished files of 1 interrupted backup were found and removed")


def test_a_backup_killed_while_writing_a_file(large: Path, tmp_path: Path) -> None:
    destination = tmp_path / "backup.zip"
    process = _start("backup", "--no-encryption", "-o", str(destination), "--folder", str(large))
    _until(lambda: any(p.name.endswith(".partial") for p in tmp_path.iterdir()), process, "the partial file")
    process.send_signal(signal.SIGSTOP)  # frozen at once, then killed: midway for sure
    _kill(process)
    assert not destination.exists(), "the backup finished before it could be killed"
    (partial,) = [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    assert partial.name.startswith(".backup.zip.")
    assert _hidden(large, ".backup-")
    removed = _reopen(large)
    assert [item.kind for item in removed] == ["backup"] and removed[0].path == partial
    assert list(tmp_path.iterdir()) == []
    assert _hidden(large, ".backup-") == []


def test_a_running_backup_is_left_alone(small: Path, tmp_path: Path) -> None:
    """The next start must not take a live backup (another process, holding its lock) for a leftover."""
    process = _start("backup", "--no-encryption", "-o", "-", "--folder", str(small), stdout=subprocess.PIPE)
    try:
        _until(lambda: any(p.suffix == ".sqlite3" for p in _hidden(small, ".backup-")), process, "the snapshot")
        live = _hidden(small, ".backup-")
        # A journal opened while the backup runs (the backup holds the journal open too,
        # so opening does not tidy) and the leftover sweep itself, called directly.
        from store.leftovers import remove_abandoned

        assert remove_abandoned(small) == []
        # The snapshot itself is still there (its -journal/-wal side files come and go as SQLite works).
        assert all(path.exists() for path in live if path.suffix == ".sqlite3")
    finally:
        _kill(process)
        if process.stdout:
            process.stdout.close()
    assert [item.kind for item in _reopen(small)] == ["backup"]


# --- restores -----------------------------------------------------------------------------


def _app_journal(parent: Path) -> Path:
    """The journal the app opens; restores go into a new folder beside it (the page's default)."""
    folder = parent / "journal"
    Journal.open(folder, settings=_settings(folder)).close()
    return folder


def test_a_restore_killed_while_reading_its_input(large_backup: Path, tmp_path: Path) -> None:
    app = _app_journal(tmp_path)
    target = tmp_path / "journal-restored"
    data = large_backup.read_bytes()
    process = _start("restore", "-", "--folder", str(target), stdin=subprocess.PIPE)
    assert process.stdin is not None
    process.stdin.write(data[: len(data) // 2])
    process.stdin.flush()  # and not closed: the restore waits for the rest
    _until(lambda: any(_hidden(tmp_path, ".restore-")), process, "the restore folder")
    _until(
        # (less a little that may still sit in the writer's buffer)
        lambda: sum(p.stat().st_size for p in _hidden(tmp_path, ".restore-")[0].rglob("*.zip")) >= len(data) // 3,
        process,
        "half the backup read",
    )
    _kill(process)
    process.stdin.close()
    assert not target.exists()
    assert len(_hidden(tmp_path, ".restore-")) == 1
    removed = _reopen(app)
    assert [item.kind for item in removed] == ["restore"] and removed[0].size >= len(data) // 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal"]


def test_a_restore_killed_while_unpacking(large_backup: Path, tmp_path: Path) -> None:
    app = _app_journal(tmp_path)
    target = tmp_path / "journal-restored"
    process = _start("restore", str(large_backup), "--folder", str(target))

    def unpacking() -> bool:
        staging = _hidden(tmp_path, ".restore-")
        return bool(staging) and (staging[0] / "journal" / "photos").is_dir()

    _until(unpacking, process, "the photos being unpacked")
    process.send_signal(signal.SIGSTOP)
    _kill(process)
    assert not target.exists(), "the restore finished before it could be killed"
    removed = _reopen(app)
    assert [item.kind for item in removed] == ["restore"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal"]
    # The same restore, again, now succeeds into the same folder.
    done = _start("restore", str(large_backup), "--folder", str(target))
    assert done.wait(timeout=WAIT * 2) == 0
    with Journal.open(target, settings=_settings(target)) as journal:
        assert len(journal.photos()) == 60


def test_a_running_restore_is_left_alone(large_backup: Path, tmp_path: Path) -> None:
    app = _app_journal(tmp_path)
    process = _start("restore", "-", "--folder", str(tmp_path / "journal-restored"), stdin=subprocess.PIPE)
    assert process.stdin is not None
    try:
        process.stdin.write(large_backup.read_bytes()[:100_000])
        process.stdin.flush()
        _until(lambda: any(_hidden(tmp_path, ".restore-")), process, "the restore folder")
        assert _reopen(app) == []
        assert len(_hidden(tmp_path, ".restore-")) == 1
    finally:
        _kill(process)
        process.stdin.close()
    assert [item.kind for item in _reopen(app)] == ["restore"]


def test_a_restore_folder_of_an_earlier_version_is_removed(tmp_path: Path) -> None:
    """Earlier versions named it with tempfile.mkdtemp and held no lock (issue: never removed)."""
    app = _app_journal(tmp_path)
    old = tmp_path / ".restore-k2j4_x9a"
    (old / "photos" / "ab").mkdir(parents=True)
    (old / "journal.sqlite3").write_bytes(b"SQLite format 3\x00" + bytes(100))
    (old / "photos" / "ab" / "x.jpg").write_bytes(b"\xff\xd8\xff" + bytes(1000))
    someone_elses = tmp_path / ".restore-notes"
    someone_elses.mkdir()
    (someone_elses / "list.txt").write_text("not ours")
    removed = _reopen(app)
    assert [(item.kind, item.path.name) for item in removed] == [("restore", old.name)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".restore-notes", "journal"]
