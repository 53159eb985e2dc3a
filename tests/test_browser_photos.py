"""The Photos page in a real browser: reference card, plain-word statuses, comparing two
days with the wipe slider, the aligned time-lapse.

Runs the app through launch.py on a journal of one area photographed four times
(three lined up with the first, one of other skin) and drives Debian's Chromium
(tests/browser.py). Screenshots land in test-artifacts/photos-*.png.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests import photo_journal as pj
from tests.browser import (
    ARTIFACTS,
    Screenshots,
    goto_page,
    journal_server,
    open_link,
    wait_idle,
)

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 24)
SLOW_MS = 90_000  # decoding and lining up photos on a busy machine


@pytest.fixture
def photo_folder(tmp_path: Path) -> Path:
    return pj.build(tmp_path / "journal", TODAY, [pj.photo(0), pj.photo(1), pj.photo(2), pj.stray()])


def test_photos_page_card_comparison_and_time_lapse(browser_page, photo_folder: Path) -> None:
    shots = Screenshots("photos")
    with journal_server(photo_folder, TODAY, log_path=ARTIFACTS / "photos-server.log") as url:
        with shots.on_failure(browser_page):
            _flow(browser_page, url, shots)
    assert browser_page.requests.outside() == [], "the Photos page asked for something outside this computer"


PRESS_AGAIN_MS = 20_000


def _downloaded(page, button):
    """The file one press of `button` downloads, or a second press if the first brought none.

    In headless Chromium a press now and then brings no file and no error (seen about
    one run in four on a busy machine, with the button's file made beforehand or on the
    press alike; the browser does not even ask for it). The cause is not found; a patient
    would press again, so the test does, once, and a button that never works still fails.
    """
    page.evaluate(_RECORD_PRESSES)
    try:
        with page.expect_download(timeout=PRESS_AGAIN_MS) as download:
            button.click()
        return download.value
    except PlaywrightTimeoutError:
        _note_unanswered(page, button)
        with page.expect_download(timeout=SLOW_MS) as download:
            button.click()
        return download.value


# What a press reached, kept in the page: when a press brings no file, the note
# says whether the button got the press at all, or something else under the pointer.
_RECORD_PRESSES = """() => {
  if (window.__presses) return;
  window.__presses = [];
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target && target.closest('[data-testid="stDownloadButton"]');
    window.__presses.push({
      on: target ? target.tagName + "." + (target.getAttribute("data-testid") || target.className || "") : "?",
      download_button: button ? button.innerText : null,
      disabled: button ? !!button.querySelector("button[disabled]") : null,
      at: performance.now(),
    });
  }, true);
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    window.__presses.push({link: this.href, download: this.getAttribute("download"), at: performance.now()});
    return click.call(this);
  };
}"""


def _note_unanswered(page, button) -> None:
    """Kept beside the screenshots, so the cause of an unanswered press can be read later."""
    seen = page.evaluate("() => window.__presses || []")
    holder = button.locator("xpath=ancestor::*[@data-testid='stDownloadButton'][1]")
    error = holder.get_by_test_id("stDownloadButtonError")
    line = f"{dt.datetime.now().isoformat()} unanswered press: {seen!r}; error shown: {error.all_inner_texts()!r}\n"
    with (ARTIFACTS / "photos-unanswered-presses.txt").open("a") as log:
        log.write(line)


def _image_src(locator) -> str:
    return str(locator.get_attribute("src"))


def _flow(page, url: str, shots: Screenshots) -> None:
    open_link(page, url)
    page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
    goto_page(page, "gallery", "Photos")
    main = page.locator('[data-testid="stMain"]')

    # Every photo says, in words, how it was calibrated and lined up.
    for status in ("Card ✓ · First photo", "Card ✓ · Lined up", "No card · Not lined up"):
        main.get_by_text(status, exact=True).first.wait_for()
    shots.take(page, "photos page")

    # The whole page drawn (the comparison, its last part, takes longest) and its run over:
    # a card asked for while the page still ran was once not answered within 90 s.
    main.locator('[data-testid="stTabs"] [data-testid="stImage"] img').first.wait_for(timeout=SLOW_MS)
    wait_idle(page, SLOW_MS)

    # The reference card: what it is for, how to print it, and a real PDF.
    main.get_by_text("Reference card for steadier photos").click()
    main.get_by_text("compared fairly", exact=False).wait_for()
    card_file = _downloaded(page, main.get_by_role("button", name="Download card (PDF)", exact=True))
    pdf = Path(card_file.path()).read_bytes()
    assert card_file.suggested_filename == "healing-journal-reference-card.pdf"
    assert pdf.startswith(b"%PDF") and b"/MediaBox [0 0 595.28 792.00]" in pdf
    (ARTIFACTS / "photos-reference-card.pdf").write_bytes(pdf)
    shots.take(page, "reference card")

    # Compare the first and the latest lined-up day; the wipe slider moves the boundary.
    compare = main.locator('[data-testid="stTabs"]').first
    picture = compare.locator('[data-testid="stImage"] img').first
    picture.wait_for(timeout=SLOW_MS)
    middle = _image_src(picture)
    slider = compare.get_by_role("slider")
    slider.focus()
    page.keyboard.press("Home")  # all the later photo
    wait_idle(page, SLOW_MS)
    page.wait_for_function("([el, old]) => el.src !== old", arg=[picture.element_handle(), middle], timeout=SLOW_MS)
    assert compare.locator('[data-testid="stSliderThumbValue"]').inner_text() == "0%"
    shots.take(page, "compare wiped to the later day")
    page.keyboard.press("End")
    wait_idle(page, SLOW_MS)
    shots.take(page, "compare wiped to the earlier day")

    # A day of other skin cannot be lined up: said plainly, and shown side by side.
    later = compare.get_by_role("combobox").nth(1)
    later.click()
    page.keyboard.type("24 Nov 2026")  # the selectbox filters its options as one types
    page.keyboard.press("Enter")
    wait_idle(page, SLOW_MS)
    main.get_by_text("side by side instead", exact=False).wait_for(timeout=SLOW_MS)
    expect(compare.locator('[data-testid="stImage"] img')).to_have_count(2, timeout=SLOW_MS)
    shots.take(page, "not lined up side by side")

    # The time-lapse: made on request, shown animated, downloadable.
    main.get_by_role("tab", name="Time-lapse").click()
    main.get_by_role("button", name=re.compile("Make time-lapse")).click()
    wait_idle(page, SLOW_MS)
    animation = main.get_by_role("img", name=re.compile("Aligned time-lapse")).or_(
        main.locator('[data-testid="stImage"] img[src*=".gif"]')
    )
    animation.first.wait_for(timeout=SLOW_MS)
    # The section's last button drawn and the run over: a click while the run still
    # draws the section once went unanswered in CI (no download within 90 s).
    main.get_by_role("button", name=re.compile("Download time-lapse \\(WebP")).wait_for(timeout=SLOW_MS)
    wait_idle(page, SLOW_MS)
    lapse_file = _downloaded(page, main.get_by_role("button", name="Download time-lapse (GIF)", exact=True))
    gif = Image.open(io.BytesIO(Path(lapse_file.path()).read_bytes()))
    assert gif.format == "GIF" and gif.n_frames == 3  # the day of other skin is left out
    main.get_by_text("Left out because they could not be lined up", exact=False).wait_for()
    shots.take(page, "time-lapse")

    # A photo opened: the two sentences, the figures behind "Details".
    main.locator('[data-testid="stButton"] button').filter(has_text="Open").nth(1).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Calibrated with the reference card", exact=False).wait_for(timeout=SLOW_MS)
    dialog.get_by_text("Details", exact=True).click()
    dialog.get_by_text(re.compile("Registration\u2060?:")).wait_for()  # escaped text: a word joiner before ":"
    shots.take(page, "photo details")
