"""Guided views in a real browser (issue 22): Log a day asks for the face's due
views, a photo is uploaded for two of them and saved, and the Photos page then
compares the photos view with view: the left side with the left side, the front
with the front, never one with the other.

A real server (tests/browser.py journal_server) on a journal whose first day
already has a front and a left-side photo (the same synthetic skin, with the
card, so each lines up with its view's first photo). Screenshots at 1280 px and
at a phone's 390 px: test-artifacts/views-*.png (looked at).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from store.photos.analysed import Region
from tests import photo_journal as pj
from tests.browser import (
    ARTIFACTS,
    Screenshots,
    goto_page,
    journal_server,
    new_page,
    open_link,
    wait_idle,
    wait_measured,
)
from tests.journals import reopen

pytestmark = pytest.mark.browser

TREATED = dt.date(2026, 11, 20)
FIRST_DAY = TREATED + dt.timedelta(days=1)
TODAY = TREATED + dt.timedelta(days=4)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _journal(folder: Path) -> None:
    with reopen(folder, TODAY) as journal:
        journal.add_treatment(TREATED, "face")
        journal.set_region("face", Region(pj.ROI))
        entry = journal.save_entry(FIRST_DAY, "face", redness=3)
        journal.add_photo(entry, pj.photo(0), "front-day1.jpg", view="front")
        journal.add_photo(entry, pj.photo(1), "left-day1.jpg", view="left")


def _upload(page, view: str, photo: Path) -> None:
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text=f"Photo: {view}")
    uploader.locator('input[type="file"]').set_input_files(str(photo))
    page.get_by_text(f"Waiting to be saved: {photo.name}").wait_for()
    wait_idle(page)


def _keep_photos(page) -> None:
    """Answer "Retake?" if it is asked: the patient keeps the photos."""
    wait_measured(page)
    dialog = page.get_by_role("dialog").filter(has_text="Retake?")
    while dialog.count():
        dialog.get_by_role("button", name="Keep it").first.click()
        wait_idle(page)


def _choose_view(page, label: str) -> None:
    page.locator('[data-testid="stRadio"]').filter(has_text="View").get_by_text(label, exact=True).click()
    wait_idle(page)


def test_a_day_is_logged_with_its_due_views_and_compared_view_with_view(tmp_path: Path, chromium) -> None:
    folder = tmp_path / "journal"
    _journal(folder)
    front, left = tmp_path / "front-today.jpg", tmp_path / "left-today.jpg"
    front.write_bytes(pj.photo(2))
    left.write_bytes(pj.photo(3))
    page, shots = new_page(chromium, viewport=DESKTOP, locale="en-GB"), Screenshots("views")
    try:
        with journal_server(folder, TODAY, log_path=ARTIFACTS / "views-server.log") as url, shots.on_failure(page):
            open_link(page, url)
            goto_page(page, "log_day", "Log a day")
            page.get_by_text("Views to take today").wait_for()
            for view in ("Front", "Left side", "Right side", "Close-up with the card"):
                expect(page.locator('[data-testid="stFileUploader"]').filter(has_text=f"Photo: {view}")).to_have_count(
                    1
                )
            # Each view's guide: a drawing described for screen readers, and its sentence.
            expect(page.get_by_role("img", name="How to take the view Left side", exact=False)).to_have_count(1)
            shots.take(page, "log-day-due-views-1280px")
            _upload(page, "Front", front)
            _upload(page, "Left side", left)
            expect(page.locator('[data-testid="stFileUploader"]').filter(has_text="Photo: Front")).to_have_count(0)
            page.get_by_role("button", name="Save day").click()
            page.get_by_text(f"Saved face for {TODAY:%A %d %B %Y}.").wait_for()
            _keep_photos(page)
            # Saved: only the views not yet taken today are still asked for.
            expect(page.locator('[data-testid="stFileUploader"]').filter(has_text="Photo: Right side")).to_have_count(1)
            expect(page.locator('[data-testid="stFileUploader"]').filter(has_text="Photo: Left side")).to_have_count(0)
            shots.take(page, "log-day-saved-1280px")
            with reopen(folder, TODAY) as journal:
                today = {p.source_name: p.view.value for p in journal.photos() if p.day == TODAY}
            assert today == {"front-today.jpg": "front", "left-today.jpg": "left"}

            goto_page(page, "gallery", "Photos")
            page.get_by_role("heading", name="Seeing change").wait_for()
            _choose_view(page, "Left side")
            compared = page.get_by_role("img", name="lined up with each other (Left side)", exact=False)
            expect(compared).to_have_count(1)
            expect(page.get_by_role("img", name="lined up with each other (Front)", exact=False)).to_have_count(0)
            shots.take(page, "photos-left-side-1280px")
            _choose_view(page, "Front")
            expect(page.get_by_role("img", name="lined up with each other (Front)", exact=False)).to_have_count(1)
            expect(compared).to_have_count(0)

            page.set_viewport_size(PHONE)
            wait_idle(page)
            shots.take(page, "photos-front-390px")
            page.set_viewport_size(DESKTOP)  # the phone's sidebar is folded away
            goto_page(page, "log_day", "Log a day")
            page.get_by_text("Views to take today").wait_for()
            page.set_viewport_size(PHONE)
            wait_idle(page)
            shots.take(page, "log-day-due-views-390px")
    finally:
        page.context.close()
