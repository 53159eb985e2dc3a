"""Every page of the demo journal for everyone: axe-core finds no critical or
serious violation, headings are in order, nothing scrolls sideways on a phone,
and each chart has a text alternative. At a phone's width (390 x 844) and on a
desktop; screenshots of every page at both widths go to test-artifacts/.

axe-core is the copy inside the pinned axe-playwright-python package (no
download at run time), injected into the page as the app serves it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser import (
    Screenshots,
    journal_server,
    journal_url,
    new_page,
    open_link,
    wait_idle,
)
from tests.demo_journals import DemoJournals

pytestmark = pytest.mark.browser

AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
TODAY = "2026-11-24"
PAGES = [
    ("", "Healing Journal"),
    ("log_day", "Log a day"),
    ("recovery", "Recovery chart"),
    ("gallery", "Photos"),
    ("import_photos", "Import photos"),
    ("treatments", "Profile & treatments"),
    ("export", "Export & backup"),
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# The rules a patient would hit: WCAG 2.1 A and AA, and axe's best practices
# (heading order among them).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
FAILING = {"critical", "serious"}
# Moderate, but named by the accessibility review: a screen reader user
# navigates by headings.
ALSO_FAILING = {"heading-order"}
SIDEWAYS_JS = """() => {
    const scrollers = [document.documentElement, document.querySelector('[data-testid="stMain"]')];
    return Math.max(...scrollers.filter(Boolean).map(e => e.scrollWidth - e.clientWidth));
}"""
# Vega puts a chart's description on its container (role graphics-document); a chart
# shown as a picture (the Recovery chart's) carries it as the image's text alternative.
KEY_FIRST = "l[0].startsWith('Key: ')"
CHART_LABELS_JS = """() => [
    ...Array.from(document.querySelectorAll('.vega-embed')).map(chart => chart.getAttribute('aria-label') || ''),
    ...Array.from(document.querySelectorAll('[data-testid="stMain"] img[src^="data:image/svg"]'))
        .filter(img => img.getClientRects().length > 0).map(img => img.getAttribute('alt') || ''),
]"""


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory, demo_journals: DemoJournals) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("a11y") / "journal"
    demo_journals.copy(folder, days=21, areas=["face"], today=dt.date.fromisoformat(TODAY))
    with journal_server(folder, TODAY) as url:
        yield url


def _open(chromium: Any, url: str, viewport: dict[str, int]) -> Any:
    page = new_page(chromium, viewport=viewport, locale="en-GB")
    open_link(page, url)
    page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
    return page


def _visit(page: Any, url: str, path: str, heading: str) -> None:
    page.goto(journal_url(page, path))
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    wait_idle(page)
    page.wait_for_timeout(800)  # charts draw after the run ends


def _problems(page: Any) -> list[str]:
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        f"{v['impact']} {v['id']} ({len(v['nodes'])}x): {v['help']}; first: {v['nodes'][0]['html'][:160]}"
        for v in result["violations"]
        if v["impact"] in FAILING or v["id"] in ALSO_FAILING
    ]


# A checkbox label the browser cuts with "…" (a warning sign's words must all be read).
CUT_CHECKBOX_LABELS_JS = """() => [...document.querySelectorAll('[data-testid="stCheckbox"] label *')]
    .filter(e => getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.textContent)"""


def _page_problems(page: Any) -> list[str]:
    """axe-core's serious findings, a sideways scroll, checkbox labels cut short."""
    problems = _problems(page)
    sideways = page.evaluate(SIDEWAYS_JS)
    if sideways > 0:
        problems.append(f"scrolls sideways by {sideways} px")
    cut = page.evaluate(CUT_CHECKBOX_LABELS_JS)
    if cut:
        problems.append(f"checkbox labels cut short: {cut}")
    return problems


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_passes_axe_and_fits_the_screen(chromium: Any, demo_url: str, viewport: dict[str, int]) -> None:
    page = _open(chromium, demo_url, viewport)
    shots = Screenshots(f"a11y-{viewport['width']}")
    found: dict[str, list[str]] = {}
    try:
        for path, heading in PAGES:
            _visit(page, demo_url, path, heading)
            shots.take(page, path or "home")
            problems = _page_problems(page)
            unlabelled = [label for label in page.evaluate(CHART_LABELS_JS) if not label.strip()]
            if unlabelled:
                problems.append(f"{len(unlabelled)} chart(s) without a text alternative")
            if problems:
                found[path or "home"] = problems
    finally:
        page.context.close()
    assert not found, "\n".join(f"{name}: {problem}" for name, problems in found.items() for problem in problems)


def test_the_chart_reads_as_words_and_as_a_table(chromium: Any, demo_url: str) -> None:
    page = _open(chromium, demo_url, PHONE)
    try:
        _visit(page, demo_url, "recovery", "Recovery chart")
        # Each chart gets its label when it is drawn: wait for all of them, the key first (a busy
        # machine draws late, and Home's charts can still be on screen while this page comes).
        drawn = f"() => {{ const l = ({CHART_LABELS_JS})(); return l.length > 1 && l.every(Boolean) && {KEY_FIRST}; }}"
        with contextlib.suppress(PlaywrightTimeoutError):  # the assertions below say what was there
            page.wait_for_function(drawn)
        labels = page.evaluate(CHART_LABELS_JS)
        assert labels[0].startswith("Key: Normal range for that day"), labels
        assert any(label.startswith("Redness: rated on ") for label in labels), labels
        page.get_by_text("The chart in words").click()
        page.get_by_text("Redness: rated on ", exact=False).first.wait_for()
        page.get_by_text("The chart as a table").click()
        page.locator('[data-testid="stDataFrame"]').first.wait_for()
    finally:
        page.context.close()


# --- in Spanish and Arabic (issue 23): the pages translated so far -----------------------------


@pytest.fixture(scope="module", params=["es", "ar"])
def language_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, demo_journals: DemoJournals):
    from healing_journal import Journal, Settings
    from recovery.edits import profile_fields

    code = request.param
    folder = tmp_path_factory.mktemp(f"a11y-{code}") / "journal"
    today = dt.date.fromisoformat(TODAY)
    demo_journals.copy(folder, days=21, areas=["face"], today=today)
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: today)) as journal:
        journal.save_profile(**(profile_fields(journal.profile()) | {"language": code}))
    with journal_server(folder, TODAY) as url:
        yield code, url


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_translated_pages_pass_axe_in_spanish_and_arabic(
    chromium: Any, language_url: tuple[str, str], viewport: dict[str, int]
) -> None:
    """Language and direction included: axe checks <html lang> (valid-lang, html-has-lang)."""
    from recovery.language import _, speaking

    code, url = language_url
    page = _open(chromium, url, viewport)
    shots = Screenshots(f"a11y-{code}-{viewport['width']}")
    with speaking(code):
        pages = [("", "Healing Journal"), ("log_day", _("Log a day"))]
    found: dict[str, list[str]] = {}
    try:
        for path, heading in pages:
            _visit(page, url, path, heading)
            shots.take(page, path or "home")
            problems = _page_problems(page)
            if page.evaluate("document.documentElement.lang") != code:
                problems.append("the document does not name its language")
            if problems:
                found[path or "home"] = problems
    finally:
        page.context.close()
    assert not found, "\n".join(f"{name}: {problem}" for name, problems in found.items() for problem in problems)
