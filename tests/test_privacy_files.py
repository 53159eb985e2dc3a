"""The journal's files are private to the patient's account: folders 0700, files 0600.

Checked with a real journal (SQLite in WAL mode, real photo files), under a
permissive umask, as another program or an older version would have left it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from healing_journal import Journal, Settings
from store import app_lock, privacy
from store.errors import UnsafeFolder
from store.journal import DB_NAME
from tests import corpus
from tests.conftest import FIXED_DAY

pytestmark = pytest.mark.skipif(os.name != "posix", reason="files have no POSIX modes on this platform")
# The account "nobody" on Linux and macOS alike.
NOBODY = 65534


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """As a patient's shell usually has it: new files 0644, folders 0755."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def open_journal(folder: Path) -> Journal:
    return Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: FIXED_DAY))


def everything(folder: Path) -> list[Path]:
    return [folder, *folder.rglob("*")]


def assert_private(folder: Path) -> None:
    for path in everything(folder):
        expected = 0o700 if path.is_dir() else 0o600
        assert mode(path) == expected, f"{path.relative_to(folder.parent)}: {oct(mode(path))}"


def test_a_new_journal_is_private_from_its_first_file(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "journal"
    with open_journal(folder) as journal:
        entry = journal.save_entry(FIXED_DAY, "face", redness=1)
        journal.add_photo(entry, corpus.jpeg(), "a.jpg")
        names = {path.name for path in everything(folder)}
        assert {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", ".journal.lock"} <= names
        assert any(name.endswith(".jpg") for name in names)
        assert_private(folder)
    assert mode(tmp_path / "a") == 0o700, "a parent created for the journal is as private"


def test_an_existing_journal_is_tightened_when_it_opens(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    with open_journal(folder) as journal:
        entry = journal.save_entry(FIXED_DAY, "face", redness=1)
        journal.add_photo(entry, corpus.jpeg(), "a.jpg")
    app_lock.set_passphrase(folder, "a passphrase", app_lock.ScryptParameters(n=2**10))
    for path in everything(folder):  # as an older version left it
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    with open_journal(folder):
        assert_private(folder)


def test_only_the_journal_files_are_touched(tmp_path: Path) -> None:
    """JOURNAL_DATA_DIR may name a folder with other things in it: those keep their modes."""
    folder = tmp_path / "journal"
    folder.mkdir()
    other_file = folder / "notes.txt"
    other_file.write_text("mine")
    other_folder = folder / "pictures"
    other_folder.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("not the journal's")
    (folder / "link-to-outside").symlink_to(outside)
    with open_journal(folder):
        pass
    assert mode(folder) == 0o700
    assert mode(other_file) == 0o644 and mode(other_folder) == 0o755
    assert mode(outside) == 0o644, "a symlink is never followed"


def test_missing_folders_are_created_private_and_existing_parents_left_alone(tmp_path: Path) -> None:
    parent = tmp_path / "parent"
    parent.mkdir()
    target = parent / "journal" / "photos" / "ab"
    privacy.private_folder(target)
    assert [mode(p) for p in (parent / "journal", parent / "journal" / "photos", target)] == [0o700] * 3
    assert mode(parent) == 0o755


def test_a_file_in_place_of_a_folder_is_not_chmodded(tmp_path: Path) -> None:
    blocker = tmp_path / "photos"
    blocker.write_text("in the way")
    with pytest.raises(FileExistsError):
        privacy.private_folder(blocker / "ab")
    assert mode(blocker) == 0o644


def test_write_private_is_never_readable_by_others(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    privacy.write_private(target, b"{}")
    assert target.read_bytes() == b"{}" and mode(target) == 0o600
    privacy.write_private(target, b"[]")
    assert target.read_bytes() == b"[]" and mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"], "no temporary file left"


def test_drafts_are_tightened_when_an_existing_journal_opens(tmp_path: Path) -> None:
    """A photo waiting with an unsaved draft is as private as a stored one."""
    folder = tmp_path / "journal"
    with open_journal(folder) as journal:
        photo = journal.stash_draft_photo(corpus.jpeg(), "a.jpg")
        journal.keep_draft(FIXED_DAY, "face", fields={"redness": 2}, based_on="", base={}, photos=[photo])
    drafts = folder / "drafts"
    (draft_file,) = drafts.iterdir()
    os.chmod(drafts, 0o755)
    os.chmod(draft_file, 0o644)
    with open_journal(folder) as journal:
        assert journal.draft(FIXED_DAY, "face") is not None, "the draft (and its photo) was kept"
        assert mode(drafts) == 0o700
        assert mode(draft_file) == 0o600
        assert_private(folder)


# --- a data folder that is not the patient's own ---------------------------------------------------


def test_a_data_folder_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    """A symlink may point anywhere, e.g. at a world-writable folder someone else prepared."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    link = tmp_path / "journal"
    link.symlink_to(shared)
    with pytest.raises(UnsafeFolder) as refused:
        open_journal(link)
    message = str(refused.value)
    assert str(link) in message and "symbolic link" in message
    assert list(shared.iterdir()) == [], "nothing was written through the link"
    assert mode(shared) == 0o777, "not tightened either"


def test_a_symlink_to_our_own_private_folder_is_refused_too(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "journal"
    link.symlink_to(real)
    with pytest.raises(UnsafeFolder, match="symbolic link"):
        open_journal(link)


@pytest.mark.skipif(os.name == "posix" and os.geteuid() != 0, reason="needs root to give a folder to another account")
def test_a_writable_folder_of_another_account_is_refused(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o755)  # let "nobody" own something in here
    foreign = tmp_path / "journal"
    foreign.mkdir()
    os.chown(foreign, NOBODY, NOBODY)
    os.chmod(foreign, 0o777)
    with pytest.raises(UnsafeFolder) as refused:
        open_journal(foreign)
    message = str(refused.value)
    assert str(foreign) in message and "another account" in message and "writable" in message
    assert list(foreign.iterdir()) == [], "no journal file was made in it"
    assert mode(foreign) == 0o777 and foreign.stat().st_uid == NOBODY, "left as it was"


@pytest.mark.skipif(os.name == "posix" and os.geteuid() != 0, reason="needs root to give a folder to another account")
def test_a_private_folder_of_another_account_is_not_refused_for_its_owner(tmp_path: Path) -> None:
    """Only a folder others could write to is refused: 0700 of another owner is not our problem to judge."""
    os.chmod(tmp_path, 0o755)
    foreign = tmp_path / "journal"
    foreign.mkdir(mode=0o700)
    os.chown(foreign, NOBODY, NOBODY)
    privacy.check_data_folder(foreign)  # no exception


def test_our_own_folder_that_is_too_open_is_tightened_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    folder.mkdir()
    os.chmod(folder, 0o777)
    with open_journal(folder) as journal:
        assert mode(folder) == 0o700
        warning = journal.open_report.folder_tightened
        assert warning is not None and str(folder) in warning and "open to other accounts" in warning
    with open_journal(folder) as journal:
        assert journal.open_report.folder_tightened is None, "once private, no warning"


def test_a_new_folder_brings_no_warning(tmp_path: Path) -> None:
    with open_journal(tmp_path / "journal") as journal:
        assert journal.open_report.folder_tightened is None
