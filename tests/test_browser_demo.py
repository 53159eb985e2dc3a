"""The demo journal shows what the product does, on a phone (390 x 844, headless Chromium).

- Home carries the demo mark in the main area (a phone folds the sidebar away)
  and one open card with its advice, not "On track".
- Photos: "Compare two days" opens on two lined-up days (no "not lined up"
  warning), and the time-lapse has a frame for every photo and fits the
  screen: nothing scrolls sideways.

Screenshots land in test-artifacts/demo-phone-*.png.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser import Screenshots, journal_server, journal_url, new_page, open_link, wait_idle
from tests.demo_journals import DemoJournals
from ui.frame import DEMO_NOTE

pytestmark = pytest.mark.browser

TODAY = "2026-11-24"
PHONE = {"width": 390, "height": 844}
SLOW_MS = 90_000  # lining up ten photos on a busy machine
SIDEWAYS_JS = "() => document.documentElement.scrollWidth"


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory, demo_journals: DemoJournals) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("demo-phone") / "journal"
    demo_journals.copy(folder, today=dt.date.fromisoformat(TODAY))  # as `python start.py --demo` makes it
    with journal_server(folder, TODAY) as url:
        yield url


@pytest.fixture
def phone(chromium: Any) -> Iterator[Any]:
    page = new_page(chromium, viewport=PHONE, locale="en-GB")
    try:
        yield page
    finally:
        page.context.close()


def _within_screen(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] > 0


def test_home_on_a_phone_shows_the_demo_mark_and_an_open_card(phone: Any, demo_url: str) -> None:
    shots = Screenshots("demo-phone-home")
    open_link(phone, demo_url)
    phone.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
    wait_idle(phone)
    main = phone.locator('[data-testid="stMain"]')
    mark = main.get_by_text(DEMO_NOTE)
    mark.wait_for()
    assert mark.is_visible() and _within_screen(phone, mark), "the demo mark is on a phone's screen"
    assert not phone.locator('[data-testid="stSidebar"]').get_by_text(DEMO_NOTE).is_visible()
    main.get_by_text("What to do:", exact=False).first.wait_for()
    assert main.get_by_text("On track", exact=True).count() == 0, "the demo has a flag still open"
    shots.take(phone, "home")
    assert phone.evaluate(SIDEWAYS_JS) <= PHONE["width"]


def test_photos_on_a_phone_compare_lined_up_days_and_a_fitting_time_lapse(phone: Any, demo_url: str) -> None:
    shots = Screenshots("demo-phone-photos")
    try:
        _photos_flow(phone, demo_url, shots)
    except Exception:
        shots.take(phone, "failure")
        raise


def _photos_flow(page: Any, url: str, shots: Screenshots) -> None:
    open_link(page, url)
    page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
    page.goto(journal_url(page, "gallery"))
    page.get_by_role("heading", name="Photos", exact=True).wait_for()
    wait_idle(page, SLOW_MS)
    main = page.locator('[data-testid="stMain"]')
    compare = main.locator('[data-testid="stTabs"]').first
    compare.locator('[data-testid="stImage"] img').first.wait_for(timeout=SLOW_MS)
    compare.get_by_role("slider").wait_for()  # the wipe: shown only for days that line up
    assert main.get_by_text("side by side instead", exact=False).count() == 0
    assert main.get_by_text("not lined up", exact=False).count() == 0, "every demo photo lines up"
    compare.get_by_role("slider").scroll_into_view_if_needed()
    shots.take(page, "compare", full_page=False)

    main.get_by_role("tab", name="Time-lapse").click()
    main.get_by_role("button", name=re.compile("Make time-lapse")).click()
    wait_idle(page, SLOW_MS)
    animation = main.locator('[data-testid="stImage"] img[src*=".gif"]').or_(
        main.get_by_role("img", name=re.compile("time-lapse", re.IGNORECASE))
    )
    animation.first.wait_for(timeout=SLOW_MS)
    page.wait_for_timeout(500)  # the image's layout
    assert _within_screen(page, animation.first), "the time-lapse fits the phone's width"
    assert page.evaluate(SIDEWAYS_JS) <= PHONE["width"], "nothing scrolls sideways"
    animation.first.scroll_into_view_if_needed()
    shots.take(page, "time-lapse", full_page=False)
    with page.expect_download(timeout=SLOW_MS) as download:
        main.get_by_role("button", name="Download time-lapse (GIF)", exact=True).click()
    gif = Image.open(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert gif.n_frames >= 8, "a frame for every demo photo"
    assert main.get_by_text("Left out because", exact=False).count() == 0
