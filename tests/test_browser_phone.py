"""The journal on a phone and without a mouse, in headless Chromium on the demo journal.

- At 390 x 844, Log a day keeps "Save day" on the screen from the moment it
  opens (the form is several screens tall), and the camera is not started
  (no getUserMedia call) until the patient turns it on.
- At 390 x 844, an emergency sign saved shows its red card, with the numbers
  to call as links, in the save bar at once: on the screen, without scrolling.
- With the keyboard alone, every button, link and field of Home, Log a day,
  Profile & treatments and Export & backup is reached by Tab, and a day is
  rated and saved without touching the mouse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from healing_journal import Journal, Settings
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

pytestmark = pytest.mark.browser

TODAY = "2026-11-24"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Counts the page's requests for the camera, before Streamlit's code runs.
COUNT_CAMERA_JS = """
window.__cameraRequests = 0;
if (navigator.mediaDevices) {
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (constraints) => {
    window.__cameraRequests += 1;
    return original(constraints);
  };
}
"""
# Every control a patient acts on: shown, enabled, and not taken out of the tab order.
# The buttons of a radio group (segmented controls) are one stop, as the ARIA
# pattern has it: Tab reaches the group, the arrow keys move within it.
CONTROLS_JS = """() => {
  const selector = 'button, a[href], input:not([type=radio]):not([type=hidden]), textarea, select, summary';
  const ids = new Map();
  for (const e of document.querySelectorAll(selector)) {
    if (e.disabled || e.getAttribute('tabindex') === '-1') continue;
    if (!e.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) continue;
    const group = e.getAttribute('role') === 'radio' ? e.closest('[role=radiogroup]') : null;
    const owner = group || e;
    if (!ids.has(owner)) ids.set(owner, String(ids.size));
    e.dataset.kbd = ids.get(owner);
  }
  return Array.from(new Set(ids.values()));
}"""
FOCUSED_JS = (
    "() => document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.kbd : null"
)
DESCRIBE_JS = """(ids) => ids.map(i => {
  const e = document.querySelector(`[data-kbd="${i}"]`);
  const name = e ? (e.getAttribute('aria-label') || e.innerText || e.value || '').trim().slice(0, 60) : '';
  return e ? `${e.tagName.toLowerCase()} "${name}"` : i;
})"""


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory, demo_journals: DemoJournals) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("phone") / "journal"
    demo_journals.copy(folder, days=21, areas=["face"], today=dt.date.fromisoformat(TODAY))
    with journal_server(folder, TODAY) as url:
        yield url


def _open(chromium: Any, url: str, viewport: dict[str, int], path: str, heading: str) -> Any:
    context = chromium.new_context(viewport=viewport, locale="en-GB")
    context.add_init_script(COUNT_CAMERA_JS)
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    open_link(page, url)
    page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
    if path:
        page.goto(journal_url(page, path))
        page.get_by_role("heading", name=heading, exact=True).wait_for()
    wait_idle(page)
    page.wait_for_timeout(500)
    return page


def _in_view(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    viewport = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


def test_log_a_day_on_a_phone_keeps_save_in_reach_and_the_camera_off(chromium: Any, demo_url: str) -> None:
    page = _open(chromium, demo_url, PHONE, "log_day", "Log a day")
    shots = Screenshots("phone")
    try:
        save = page.get_by_role("button", name="Save day")
        assert _in_view(page, save), "Save day is on the screen when the page opens"
        height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        assert height > 2 * PHONE["height"], "the form is taller than the screen (else this proves nothing)"
        page.get_by_text("Notes", exact=True).scroll_into_view_if_needed()
        assert _in_view(page, save), "and stays there while the form scrolls"
        shots.take(page, "log a day scrolled", full_page=False)
        assert page.evaluate("window.__cameraRequests") == 0, "opening the page starts no camera"

        page.get_by_text("Take a photo with the camera").click()
        page.wait_for_function("window.__cameraRequests > 0", timeout=UI_TIMEOUT_MS)
        # The switch is remembered for the next visit: leave it as it was found.
        page.get_by_text("Take a photo with the camera").click()
        wait_idle(page)
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def treated_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("emergency") / "journal"
    today = dt.date.fromisoformat(TODAY)
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: today)) as journal:
        journal.add_treatment(
            today - dt.timedelta(days=2),
            ["face"],
            needle_depth_mm=1.0,
            practitioner="Dr Ana Lima",
            practitioner_contact="+44 20 7946 0000",
        )
    with journal_server(folder, TODAY) as url:
        yield url


def test_an_emergency_sign_saved_on_a_phone_is_on_the_screen_at_once(chromium: Any, treated_url: str) -> None:
    page = _open(chromium, treated_url, PHONE, "log_day", "Log a day")
    shots = Screenshots("savebar")
    try:
        page.get_by_text("Swelling of the lips, tongue or throat", exact=True).click()
        wait_idle(page)
        page.get_by_role("button", name="Save day").click()
        bar = page.locator(".st-key-save-bar")
        card = bar.get_by_test_id("stAlert").filter(has_text="Call emergency services now")
        card.wait_for()
        wait_idle(page)
        page.wait_for_timeout(300)
        assert _in_view(page, card), "the emergency card is on the screen right after Save, without scrolling"
        assert _in_view(page, bar.get_by_role("link", name="112")), "the number to call is on the screen"
        assert bar.locator('a[href="tel:112"]').count() == 1
        assert bar.locator('a[href="tel:+442079460000"]').count() == 1, "the practitioner's number is a link"
        assert bar.get_by_text("Saved Face for Tuesday 24 November 2026.", exact=False).count() == 1
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], f"nothing scrolls sideways ({wide} px)"
        shots.take(page, "emergency card in the save bar", full_page=False)
    finally:
        page.context.close()


def _tab_through(page: Any, presses: int = 400) -> tuple[set[str], list[str]]:
    controls = {str(i) for i in page.evaluate(CONTROLS_JS)}
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # from the top
    reached: set[str] = set()
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is not None:
            reached.add(str(focused))
        if controls <= reached:
            break
    missing = sorted(controls - reached, key=int)
    return reached, page.evaluate(DESCRIBE_JS, missing)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("", "Healing Journal"),
        ("log_day", "Log a day"),
        ("treatments", "Profile & treatments"),
        ("export", "Export & backup"),
    ],
)
def test_every_control_is_reached_with_the_tab_key(chromium: Any, demo_url: str, path: str, heading: str) -> None:
    page = _open(chromium, demo_url, DESKTOP, path, heading)
    try:
        _reached, missing = _tab_through(page)
        assert not missing, f"not reachable with Tab on {heading}: {missing}"
    finally:
        page.context.close()


def test_a_day_is_rated_and_saved_with_the_keyboard_alone(chromium: Any, demo_url: str) -> None:
    page = _open(chromium, demo_url, DESKTOP, "log_day", "Log a day")
    try:
        # Tab to the redness scale, choose a level with the arrow keys, then Tab on to Save.
        first_level = page.get_by_role("radiogroup", name="Redness").get_by_role("radio").first
        for _ in range(60):
            page.keyboard.press("Tab")
            if first_level.evaluate("e => e === document.activeElement || e.contains(document.activeElement)"):
                break
        else:
            pytest.fail("the redness scale is never focused with Tab")
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
        wait_idle(page)
        save = page.get_by_role("button", name="Save day")
        for _ in range(200):
            page.keyboard.press("Tab")
            if save.evaluate("e => e === document.activeElement"):
                break
        else:
            pytest.fail("Save day is never focused with Tab")
        page.keyboard.press("Enter")
        page.get_by_text("Saved Face for Tuesday 24 November 2026.", exact=False).wait_for()
        checked = page.get_by_role("radiogroup", name="Redness").get_by_role("radio", checked=True)
        assert checked.count() == 1
    finally:
        page.context.close()


# A phone's browser, as it names itself: Streamlit closes its menu after a page is
# chosen only when the User-Agent is a phone's (not at a narrow width alone).
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def test_on_a_phone_the_menu_closes_once_a_page_is_chosen(chromium: Any, demo_url: str) -> None:
    page = new_page(chromium, viewport=PHONE, locale="en-GB", user_agent=IPHONE, is_mobile=True, has_touch=True)
    try:
        open_link(page, demo_url)
        page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
        wait_idle(page)
        sidebar = page.get_by_test_id("stSidebar")
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_function("document.querySelector('[data-testid=stSidebar]').dataset.collapsed === 'false'")
        sidebar.get_by_role("link", name="Log a day").click()
        page.get_by_role("heading", name="Log a day", exact=True).wait_for()
        page.wait_for_function("document.querySelector('[data-testid=stSidebar]').dataset.collapsed === 'true'")
    finally:
        page.context.close()
