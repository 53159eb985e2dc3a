"""The app lock locks again, for real (launcher, server, Chromium): "Lock now" and the idle time.

Two browsers (two Chromium contexts) open the journal and give the
passphrase. "Lock now" in one hides the journal in both, the other without
being touched. Then an idle time of five seconds, chosen through the same
stored setting the profile page writes (store.app_lock.set_idle_s), hides an
unattended screen by itself. The lock is set through the store beforehand
(with small scrypt parameters) to keep the test short; setting it on the
profile page is covered in tests/test_browser_access.py.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from store import app_lock
from tests.browser import ARTIFACTS, UI_TIMEOUT_MS, Screenshots, journal_server, open_link, wait_idle

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 24)
PASSPHRASE = "blue heron at dawn"
FAST = app_lock.ScryptParameters(n=2**10)
GATE = "Healing Journal is locked"
IDLE_S = 5


def unlock(page) -> None:
    page.get_by_role("heading", name=GATE).wait_for()
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
    page.locator('[data-testid="stSidebarNav"]').wait_for()


def test_lock_now_locks_every_browser_and_an_idle_screen_hides_itself(tmp_path: Path, chromium) -> None:
    folder = tmp_path / "journal"
    app_lock.set_passphrase(folder, PASSPHRASE, FAST)
    app_lock.set_idle_s(folder, 60)
    shots = Screenshots("applock-relock")
    with journal_server(folder, TODAY, log_path=ARTIFACTS / "applock-relock-server.log") as link:
        contexts = [chromium.new_context(viewport={"width": 1200, "height": 900}) for _ in range(2)]
        mine, other = (context.new_page() for context in contexts)
        try:
            for page in (mine, other):
                page.set_default_timeout(UI_TIMEOUT_MS)
                open_link(page, link)
                unlock(page)
                wait_idle(page)
            shots.take(mine, "unlocked with lock now")
            mine.locator('[data-testid="stSidebar"]').get_by_role("button", name="Lock now").click()
            mine.get_by_role("heading", name=GATE).wait_for()
            assert mine.locator('[data-testid="stSidebarNav"]').count() == 0
            # The other browser is not touched: its open screen hides itself within the watch's interval.
            other.get_by_role("heading", name=GATE).wait_for()
            wait_idle(other)
            assert other.locator('[data-testid="stSidebarNav"]').count() == 0
            shots.take(other, "other browser locked")

            app_lock.set_idle_s(folder, IDLE_S)  # what the profile page's choice writes
            unlock(mine)
            opened = time.monotonic()
            mine.get_by_role("heading", name=GATE).wait_for(timeout=IDLE_S * 1000 + UI_TIMEOUT_MS)
            assert time.monotonic() - opened >= IDLE_S - 2.5, "not before the idle time"
            wait_idle(mine)
            assert mine.locator('[data-testid="stSidebarNav"]').count() == 0
            shots.take(mine, "locked after idle")
        except Exception:
            shots.take(mine, "failure-mine")
            shots.take(other, "failure-other")
            raise
        finally:
            for context in contexts:
                context.close()
