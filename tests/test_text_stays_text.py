"""Text stays text: names, notes, paths and file names from the patient or a file never become Markdown.

Streamlit renders Markdown in st.error, st.warning, st.info, st.success,
st.caption and st.markdown, so a file named `![x](http://evil.invalid/x.png)`
would become an image fetched from another computer. Crafted names are driven
through the real pages (uploads, imports, stored photos, the profile, paths
typed on the export page, the sidebar) and every body handed to the Markdown
renderer is checked: the name must be there, escaped, and never as markup.
(tests/test_browser_text.py shows the same in a real browser, where no request
may leave the computer.)
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from demo.skin import skin_photo
from tests.app_frame import open_framed
from tests.journals import reopen
from ui.widgets import escape_markdown

ROOT = Path(__file__).resolve().parent.parent
FIXED = dt.date(2026, 11, 24)
IMAGE = "![x](http://evil.invalid/x.png)"
TAG = "<img src=x onerror=alert(1)>"
LINK = "**bold** [click](http://evil.invalid)"
CRAFTED = (IMAGE, TAG, LINK)
S = f"{FIXED.isoformat()}-face"
MARKDOWN_KINDS = ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader", "header")


@pytest.fixture(autouse=True)
def folder(app_folder: Path) -> Path:
    return app_folder  # tests/app_frame.py


@pytest.fixture(autouse=True)
def _navigation_only(navigation_only: None) -> None:
    """Pages run inside the app frame, as the patient sees them (tests.app_frame)."""


def run(page: str) -> AppTest:
    if page.startswith("pages/"):
        return open_framed(page.removeprefix("pages/"), timeout=60)
    return AppTest.from_file(str(ROOT / page), default_timeout=60).run()


def markup(at: AppTest) -> list[str]:
    """Every body the page hands to the Markdown renderer, main area and sidebar."""
    bodies = []
    for kind in MARKDOWN_KINDS:
        for element in [*getattr(at, kind), *getattr(at.sidebar, kind)]:
            bodies.append(str(getattr(element, "value", "") or getattr(element, "body", "")))
    return bodies


def texts(at: AppTest) -> list[str]:
    """What st.text and st.code show (never Markdown)."""
    return [t.value for t in at.text] + [c.value for c in at.code]


# Markup that would render: an image, a link, an HTML tag, bold; each not preceded by "\\".
# A bare address (http://, www., name@host) becomes a link by itself: it must be split.
MARKUP = re.compile(
    r"(?<!\\)!(?<!\\)\[|(?<!\\)\]\(|(?<!\\)<img|(?<!\\)\*\*bold"
    r"|https?\\?:|(?i:www)\\?\.|\w@\w"
)


def assert_no_markup(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    for body in markup(at):
        assert not MARKUP.search(body), f"rendered as Markdown: {body!r}"


def assert_as_text(at: AppTest, name: str) -> None:
    """`name` is shown, either escaped in a Markdown body or in a text element, and never as markup."""
    assert_no_markup(at)
    bodies = markup(at)
    escaped = escape_markdown(name)
    shown = any(escaped in body for body in bodies) or any(name in text for text in texts(at))
    assert shown, f"{name!r} is not shown at all; bodies: {bodies}, texts: {texts(at)}"


@pytest.mark.parametrize("name", CRAFTED)
def test_a_refused_upload_on_log_a_day(folder: Path, name: str) -> None:
    at = run("pages/log_day.py")
    at.file_uploader(key=f"files-{S}-0").set_value((f"{name}.jpg", b"not a photo at all", "image/jpeg"))
    at.run()
    assert_as_text(at, f"{name}.jpg")  # waiting in the draft: st.text
    [b for b in at.button if b.label == "Save day"][0].click().run()
    assert any("Not saved" in e.value for e in at.error)
    assert_as_text(at, f"{name}.jpg")


@pytest.mark.parametrize("name", CRAFTED)
def test_the_import_preview_and_its_refusals(folder: Path, name: str) -> None:
    at = run("pages/import_photos.py")
    at.file_uploader(key="import-Photos-0").set_value(
        [(f"{name}.jpg", b"not a photo", "image/jpeg"), ("fine.jpg", skin_photo(0.4, seed=2), "image/jpeg")]
    )
    at.run()
    assert not at.exception
    preview = at.dataframe[0].value  # a table of cells: text, not Markdown
    rows = dict(zip(preview["Photo"], preview["Will be"]))
    assert str(rows[f"{name}.jpg"]).startswith("skipped")
    [b for b in at.button if b.label.startswith("Import")][0].click().run()
    assert any(escape_markdown("Imported 1 photo;") in s.value for s in at.success)
    assert_no_markup(at)


@pytest.mark.parametrize("name", CRAFTED)
def test_stored_names_on_every_page(folder: Path, name: str) -> None:
    with reopen(folder, FIXED) as journal:
        journal.save_profile(name=name)
        journal.add_treatment(FIXED, "face", device=name, practitioner=name, serums=name, notes=name)
        entry = journal.save_entry(FIXED, "face", redness=2, notes=name)
        journal.add_photo(entry, skin_photo(0.5, seed=5, size=(480, 360)), filename=f"{name}.jpg")
    for page in ("pages/home.py", "pages/gallery.py", "pages/recovery_chart.py", "pages/treatments.py"):
        assert_no_markup(run(page))
    at = run("pages/log_day.py")
    assert_no_markup(at)
    assert f"{name}.jpg" in texts(at), "the photo's file name under it, as text"
    assert at.text_area(key=f"notes-{S}").value == name


@pytest.mark.parametrize("name", CRAFTED)
def test_paths_typed_on_the_export_page(folder: Path, tmp_path: Path, name: str) -> None:
    with reopen(folder, FIXED) as journal:
        journal.save_entry(FIXED, "face", redness=1)
    at = run("pages/export_backup.py")
    at.radio(key="restore_source").set_value("A file on this computer").run()
    typed = tmp_path / f"{name}.zip"
    at.text_input(key="restore_path").input(str(typed)).run()
    assert any("There is no backup file" in e.value for e in at.error)
    assert_as_text(at, str(typed))
    backups = tmp_path / name.replace("/", "_")
    backups.mkdir()
    at.radio(key="backup_protection").set_value("Without encryption").run()
    at.text_input(key="backup_folder").input(str(backups))
    at.button(key="save_backup").click().run()
    assert at.success, "the backup was saved"
    assert_as_text(at, str(backups))


def test_the_sidebar_warning_about_missing_files(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        entry = journal.save_entry(FIXED, "face")
        journal.add_photo(entry, skin_photo(0.5, seed=6, size=(320, 240)), filename="x.jpg")
    with sqlite3.connect(folder / "journal.sqlite3") as db:  # a path no app would write
        db.execute("UPDATE photos SET path = ?", [f"photos/{IMAGE}.jpg"])
    at = run("journal_app.py")
    assert any("missing from the data folder" in w.value for w in at.warning)
    assert_as_text(at, f"photos/{IMAGE}.jpg")


def test_a_conflict_shows_both_notes_as_text(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        journal.save_entry(FIXED, "face", notes="start")
    first, second = run("pages/log_day.py"), run("pages/log_day.py")
    first.text_area(key=f"notes-{S}").input(IMAGE)
    [b for b in first.button if b.label == "Save day"][0].click().run()
    second.text_area(key=f"notes-{S}").input(TAG)
    [b for b in second.button if b.label == "Save day"][0].click().run()
    assert IMAGE in texts(second) and TAG in texts(second)
    assert_no_markup(second)
