"""Running a page the way the app shows it: journal_app.py frames it.

st.page_link resolves page paths against the entry script, so a page that
links to another can only run inside the frame. launch.py turns Streamlit's
old automatic page list off (the pages/ folder is ours); AppTest turns it
back on before each run, and then switch_page() would run the page bare.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest, app_test

from tests.journals import FIXED_DAY

ROOT = Path(__file__).resolve().parent.parent


class NavigationOnly(PagesManager):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)


@pytest.fixture
def app_today() -> dt.date:
    """The day the app takes as today (JOURNAL_TODAY); a module on another day overrides this fixture."""
    return FIXED_DAY


@pytest.fixture
def app_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app_today: dt.date) -> Path:
    """The journal folder (not yet created) that AppTests of this test use: run from the repository
    (for .streamlit/config.toml), JOURNAL_DATA_DIR set to it and JOURNAL_TODAY to `app_today`."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("JOURNAL_TODAY", app_today.isoformat())
    folder = tmp_path / "journal"
    monkeypatch.setenv("JOURNAL_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def navigation_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """For every run of a test's AppTest, clicks and reruns included."""
    monkeypatch.setattr(app_test, "PagesManager", NavigationOnly)


def open_framed(page: str, *, timeout: float = 30) -> AppTest:
    """`page` ("home.py") run through journal_app.py's navigation, sidebar included
    (needs the `navigation_only` fixture)."""
    at = AppTest.from_file(str(ROOT / "journal_app.py"), default_timeout=timeout).run()
    assert not at.exception, [e.value for e in at.exception]
    return at.switch_page(f"pages/{page}").run()
