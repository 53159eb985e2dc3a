"""The emergency number follows the country, in the real app on a phone-sized screen.

A journal whose profile says Spain, with an emergency sign logged today: Home,
at 390 px wide in headless Chromium, names 112 for Spain as a link a phone
dials, and none of the general list's other numbers. The Profile page, opened
by a browser whose language is Mexican Spanish, keeps Spain (the browser's
language is only offered while no country is saved). Screenshots in
test-artifacts/emergency-country-*.png.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from healing_journal import Journal, Settings
from tests.browser import ARTIFACTS, Screenshots, journal_server, journal_url, open_journal, wait_idle

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 12, 6)
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("country") / "journal"
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY)) as journal:
        journal.save_profile(name="Ana", country="ES")
        journal.add_treatment(TODAY - dt.timedelta(days=2), ["face"], needle_depth_mm=1.0, practitioner="Clínica Sol")
        journal.save_entry(TODAY, "face", redness=2, lips_throat=True)
    with journal_server(folder, TODAY, log_path=ARTIFACTS / "emergency-country-server.log") as link:
        yield link


def test_home_names_the_number_of_spain_on_a_phone(server: str, chromium) -> None:
    context = chromium.new_context(viewport=PHONE, locale="es-ES", is_mobile=True, has_touch=True)
    page = context.new_page()
    shots = Screenshots("emergency-country")
    try:
        open_journal(page, server)
        banner = page.get_by_test_id("stAlert").filter(has_text="Call emergency services now").first
        banner.wait_for()
        assert banner.locator('a[href="tel:112"]').count() == 1
        assert banner.locator('a[href="tel:911"], a[href="tel:999"]').count() == 0
        assert "(Spain)" in banner.inner_text()
        card = page.get_by_test_id("stAlert").filter(has_text="What to do").first
        card.scroll_into_view_if_needed()
        assert card.locator('a[href="tel:112"]').count() == 1
        assert card.locator('a[href="tel:911"], a[href="tel:999"]').count() == 0
        path: Path = shots.take(page, "home-spain-390px", full_page=False)
        assert path.exists()
    except Exception:
        shots.take(page, "failure")
        raise
    finally:
        context.close()


def test_the_profile_keeps_the_saved_country_whatever_the_browser_language(server: str, chromium) -> None:
    context = chromium.new_context(viewport=PHONE, locale="es-MX")
    page = context.new_page()
    shots = Screenshots("country-profile")
    try:
        open_journal(page, server)
        page.goto(journal_url(page, "treatments"))
        page.get_by_role("heading", name="Profile & treatments", exact=True).wait_for()
        wait_idle(page)
        # The saved country (Spain) stands; the browser's language does not replace it.
        box = page.get_by_test_id("stSelectbox").filter(has_text="Country you live in")
        box.scroll_into_view_if_needed()
        assert box.get_by_role("combobox").input_value() == "Spain"
        assert page.get_by_text("Emergency number on the cards: Spain: 112.").count() == 1
        shots.take(page, "profile-country", full_page=False)
    except Exception:
        shots.take(page, "failure")
        raise
    finally:
        context.close()
