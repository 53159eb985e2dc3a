"""Shared fixtures: a journal in a temporary folder with a fixed "today"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from healing_journal import Journal, Settings
from tests import corpus

# The browser fixtures (chromium, browser_page) for the end-to-end tests,
# navigation_only for AppTests of pages inside the app frame, and demo_journals
# (demo journals built once per run, copied for each test), and the files' order
# (longest first, so the two workers end together).
pytest_plugins = ["tests.browser", "tests.app_frame", "tests.demo_journals", "tests.file_order"]

FIXED_DAY = dt.date(2026, 11, 24)


@pytest.fixture
def journal_folder(tmp_path: Path) -> Path:
    return tmp_path / "journal"


@pytest.fixture
def settings(journal_folder: Path) -> Settings:
    return Settings(data_dir=journal_folder, today=lambda: FIXED_DAY)


@pytest.fixture
def open_journal(journal_folder: Path, settings: Settings) -> Iterator[Callable[[], Journal]]:
    """Opens (or reopens) the journal in `journal_folder`; all are closed at the end."""
    opened: list[Journal] = []

    def _open() -> Journal:
        journal = Journal.open(journal_folder, settings=settings)
        opened.append(journal)
        return journal

    yield _open
    for journal in opened:
        journal.close()


@pytest.fixture
def journal(open_journal: Callable[[], Journal]) -> Journal:
    return open_journal()


@pytest.fixture
def entry_id(journal: Journal) -> int:
    """An unrated face entry on the fixed day."""
    return journal.save_entry(FIXED_DAY, "face")


@pytest.fixture
def jpeg_bytes() -> bytes:
    """A small upright JPEG with the corpus's corner markers."""
    return corpus.jpeg()


@pytest.fixture(scope="session")
def photo_48mp() -> tuple[str, bytes]:
    """An 8000 x 6000 JPEG, built once per test session."""
    return corpus.photo_48mp()
