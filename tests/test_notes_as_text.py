"""Notes are the patient's words: shown as typed, never interpreted as HTML or Markdown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_frame import open_framed
from tests.journals import FIXED_DAY, reopen
from ui.widgets import escape_markdown

HOSTILE_NOTES = '<img src=x onerror="alert(1)"> **bold** [click](http://example.invalid) $x^2$ # heading'
ROOT = Path(__file__).resolve().parents[1]
TODAY = FIXED_DAY  # the app_folder fixture pins the app to this day
PAGES = ["pages/home.py", "pages/log_day.py", "pages/recovery_chart.py", "pages/gallery.py", "pages/treatments.py"]


@pytest.fixture
def folder(app_folder: Path) -> Path:
    with reopen(app_folder, TODAY) as journal:
        journal.add_treatment(TODAY - dt.timedelta(days=1), "face", notes=HOSTILE_NOTES, serums=HOSTILE_NOTES)
        journal.save_entry(TODAY, "face", redness=1, notes=HOSTILE_NOTES)
    return app_folder


def _markup_bodies(at: AppTest) -> list[str]:
    """Everything the page hands to Streamlit's Markdown renderer."""
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader", "header")
    bodies = []
    for kind in kinds:
        bodies += [getattr(element, "value", "") or getattr(element, "body", "") for element in getattr(at, kind)]
    return [str(body) for body in bodies]


@pytest.mark.parametrize("page", PAGES)
def test_notes_never_reach_markdown(folder: Path, page: str, navigation_only: None) -> None:
    at = open_framed(page.removeprefix("pages/"), timeout=60)
    assert not at.exception
    for body in _markup_bodies(at):
        assert "<img" not in body and "onerror" not in body, f"{page} rendered notes as markup: {body!r}"
        assert "**bold**" not in body, f"{page} rendered notes as Markdown: {body!r}"


def test_log_page_shows_the_notes_exactly_as_typed(folder: Path) -> None:
    at = AppTest.from_file(str(ROOT / "pages/log_day.py"), default_timeout=60).run()
    assert [area.value for area in at.text_area] == [HOSTILE_NOTES]


def test_escape_markdown_neutralises_every_markup_character() -> None:
    escaped = escape_markdown(HOSTILE_NOTES)
    for character in "*[]()<>#$":
        assert f"\\{character}" in escaped
