"""The served page in the patient's language, in the real app and a real browser (issue 23).

A journal whose profile says Arabic (then Spanish), with an emergency sign logged
today: the document Chromium gets names the language and, for Arabic, the
direction (<html lang="ar" dir="rtl">, set by the access gate); Home's emergency
banner and card speak the language and are laid out right to left; nothing
scrolls sideways at 390 px. Screenshots in test-artifacts/languages-*.png (looked at).
"""

from __future__ import annotations

import datetime as dt

import pytest

from healing_journal import Journal, Settings
from recovery.language import _, speaking
from tests.browser import ARTIFACTS, Screenshots, journal_server, new_page, open_journal, origin_of, wait_idle

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 12, 6)
PHONE = {"width": 390, "height": 844}


def _server(tmp_path_factory: pytest.TempPathFactory, code: str):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp(f"language-{code}") / "journal"
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY)) as journal:
        journal.save_profile(name="Ana", country="SA" if code == "ar" else "ES", language=code)
        journal.add_treatment(TODAY - dt.timedelta(days=2), ["face"], needle_depth_mm=1.0, practitioner="Clinic")
        journal.save_entry(TODAY, "face", redness=2, lips_throat=True)
    return journal_server(folder, TODAY, log_path=ARTIFACTS / f"languages-{code}-server.log")


@pytest.mark.parametrize(("code", "direction"), [("ar", "rtl"), ("es", "ltr")])
def test_home_speaks_the_journals_language_on_a_phone(
    tmp_path_factory: pytest.TempPathFactory, chromium, code: str, direction: str
) -> None:
    with _server(tmp_path_factory, code) as link:
        page = new_page(chromium, viewport=PHONE, is_mobile=True, has_touch=True)
        shots = Screenshots(f"languages-{code}")
        try:
            open_journal(page, link)
            with speaking(code):
                emergency = _("Call emergency services now")
                what_to_do = _("**What to do:** {advice}").split("**")[1]
            banner = page.get_by_test_id("stAlert").filter(has_text=emergency).first
            banner.wait_for()
            wait_idle(page)
            assert page.evaluate("document.documentElement.lang") == code
            assert page.evaluate("document.documentElement.dir") == ("rtl" if code == "ar" else "ltr")
            card = page.get_by_test_id("stAlert").filter(has_text=what_to_do).first
            assert card.evaluate("node => getComputedStyle(node).direction") == direction
            # Headings start where the text starts: on the right in Arabic.
            title = page.locator('[data-testid="stMain"] h1').first
            assert title.evaluate("node => getComputedStyle(node).textAlign") in ("start", direction_start(direction))
            # So do paragraphs (Streamlit sets its elements' text to start on the left).
            paragraph = page.locator('[data-testid="stMain"] [data-testid="stMarkdown"] p').first
            starts = paragraph.evaluate("node => getComputedStyle(node).textAlign")
            assert starts in ("start", direction_start(direction))
            assert banner.locator('a[href^="tel:"]').count() >= 1
            sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert sideways <= 0, f"the page scrolls {sideways} px sideways"
            shots.take(page, f"home-{code}-390px", full_page=False)
            card.scroll_into_view_if_needed()
            shots.take(page, f"card-{code}-390px", full_page=False)
        except Exception:
            shots.take(page, "failure")
            raise
        finally:
            page.context.close()


def direction_start(direction: str) -> str:
    return "right" if direction == "rtl" else "left"


def test_the_save_bar_and_its_emergency_card_run_right_to_left_in_arabic(
    tmp_path_factory: pytest.TempPathFactory, chromium
) -> None:
    """Log a day at 390 px in Arabic: a saved day with an emergency sign shows its card in the
    save bar, which stays at the bottom; both read right to left, lines starting on the right."""
    with _server(tmp_path_factory, "ar") as link:
        page = new_page(chromium, viewport=PHONE, is_mobile=True, has_touch=True)
        shots = Screenshots("languages-ar-save-bar")
        try:
            open_journal(page, link)
            page.goto(f"{origin_of(page.url)}/log_day")
            with speaking("ar"):
                save, notes, emergency = _("Save day"), _("Notes"), _("Call emergency services now")
            page.get_by_role("button", name=save).wait_for()
            wait_idle(page)
            page.get_by_label(notes).fill("ملاحظة")
            page.get_by_role("button", name=save).click()
            bar = page.locator(".st-key-save-bar")
            card = bar.get_by_test_id("stAlert").filter(has_text=emergency).first
            card.wait_for()
            wait_idle(page)
            assert bar.evaluate("node => getComputedStyle(node).direction") == "rtl"
            assert card.evaluate("node => getComputedStyle(node).direction") == "rtl"
            words = card.locator("p").first.evaluate("node => getComputedStyle(node).textAlign")
            assert words in ("start", "right"), words
            sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert sideways <= 0, f"the page scrolls {sideways} px sideways"
            shots.take(page, "save-bar-ar-390px", full_page=False)
        except Exception:
            shots.take(page, "failure")
            raise
        finally:
            page.context.close()
