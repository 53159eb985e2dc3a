"""The pages of photos in a real browser, on a phone and on a desktop: with a
photo every day, the Recovery chart's strip and the Photos page open on the
latest photos, "Earlier" reaches the first day, every photo is described for a
screen reader, axe-core finds no serious problem in the page controls, and
nothing scrolls sideways. Screenshots go to test-artifacts/paging-*.png.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import (
    UI_TIMEOUT_MS,
    Screenshots,
    journal_server,
    journal_url,
    new_page,
    open_link,
    wait_idle,
)
from tests.demo_journals import DemoJournals
from tests.test_browser_a11y import DESKTOP, PHONE, SIDEWAYS_JS, _problems

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 24)
DAYS = 21  # a photo every day: three pages on the Recovery chart, two on Photos
ALTS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stMain"] img')).map(
    image => image.getAttribute('alt'))"""


@pytest.fixture(scope="module")
def every_day_url(tmp_path_factory: pytest.TempPathFactory, demo_journals: DemoJournals) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("paging") / "journal"
    demo_journals.copy(folder, days=DAYS, areas=["face"], today=TODAY, photo_every_day=True)
    with journal_server(folder, TODAY.isoformat()) as url:
        yield url


def _visit(page: Any, url: str, path: str, heading: str) -> None:
    page.goto(journal_url(page, path))
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    wait_idle(page)
    page.wait_for_timeout(800)


def _photo_alts(page: Any) -> list[str]:
    page.locator('[data-testid="stMain"] img[alt^="Photo of the face, day"]').first.wait_for()
    return [alt for alt in page.evaluate(ALTS_JS) if alt and alt.startswith("Photo of the face, day")]


def _wait_for_other_photos(page: Any, shown: list[str]) -> None:
    """Until the next page is drawn: other photos, and none of the previous run's faded elements left
    (on a loaded machine the rerun can start after the page looks idle)."""
    page.wait_for_function(
        """(shown) => {
            if (document.querySelectorAll('[data-stale="true"]').length) return false;
            const alts = Array.from(document.querySelectorAll('[data-testid="stMain"] img'))
                .map(img => img.alt).filter(alt => alt && alt.startsWith("Photo of the face, day"));
            return alts.length > 0 && alts.join("|") !== shown.join("|");
        }""",
        arg=shown,
        timeout=UI_TIMEOUT_MS,
    )
    wait_idle(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_photo_day_is_reachable_and_described(chromium: Any, every_day_url: str, viewport: dict) -> None:
    page = new_page(chromium, viewport=viewport, locale="en-GB")
    open_link(page, every_day_url)
    page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
    shots = Screenshots(f"paging-{viewport['width']}")
    found: dict[str, list[str]] = {}
    try:
        for path, heading in (("recovery", "Recovery chart"), ("gallery", "Photos")):
            _visit(page, every_day_url, path, heading)
            shots.take(page, f"{path}-latest")
            latest = _photo_alts(page)
            assert any("day 20," in alt for alt in latest), latest
            assert not any("day 0," in alt for alt in latest[:4]), "the latest page first"
            problems = _problems(page)
            if page.evaluate(SIDEWAYS_JS) > 0:
                problems.append("scrolls sideways")
            # Every day, once "Earlier" has been pressed until it is disabled (keyboard: Enter on the button).
            seen = set(latest)
            # Exact: the wipe slider's help button ("Help for Earlier ◀ ▶ Later") shows now that demo photos line up.
            earlier = page.get_by_role("button", name="Earlier", exact=True)
            while earlier.is_enabled():
                shown = _photo_alts(page)
                earlier.focus()
                page.keyboard.press("Enter")
                _wait_for_other_photos(page, shown)
                seen |= set(_photo_alts(page))
            shots.take(page, f"{path}-first")
            assert {alt.split(", ")[1] for alt in seen} == {f"day {n}" for n in range(DAYS)}
            problems += _problems(page)
            if problems:
                found[path] = problems
    finally:
        page.context.close()
    assert not found, found


def test_the_photo_view_reads_in_plain_words(chromium: Any, every_day_url: str) -> None:
    """Opened from the Photos page: plain names in front, technical ones only once Details is opened;
    the dialog's pictures are described and axe finds nothing serious in it."""
    page = new_page(chromium, viewport=DESKTOP, locale="en-GB")
    open_link(page, every_day_url)
    page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
    shots = Screenshots("photo-view")
    try:
        _visit(page, every_day_url, "gallery", "Photos")
        page.locator("button", has_text="Open").first.click()
        dialog = page.locator('[data-testid="stDialog"]')
        dialog.get_by_text("Measured in this photo").wait_for()
        wait_idle(page)
        shots.take(page, "measured", full_page=False)
        shown = dialog.inner_text()
        assert "Measured redness:" in shown and "Sharpness:" in shown and "Skin tone:" in shown
        for jargon in ("CIELAB", "Laplacian", "ITA°"):
            assert jargon not in shown, jargon
        alts = dialog.locator("img").evaluate_all("images => images.map(i => i.getAttribute('alt') || '')")
        assert alts and all(alt.startswith("Photo of the face, day") for alt in alts), alts
        assert not _problems(page)
        dialog.get_by_text("Details").click()
        dialog.get_by_text("Measured redness = CIELAB a*").wait_for()
        assert "Sharpness = variance of the Laplacian" in dialog.inner_text()
        shots.take(page, "details", full_page=False)
    finally:
        page.context.close()
