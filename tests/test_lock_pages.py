"""The app lock in the app itself (Streamlit AppTest, no browser): the gate and the profile page's settings.

Without a browser there is no access cookie, so the unlocked state is kept per
Streamlit session; the browser test (tests/test_browser_access.py) covers the
per-browser memory and the delay as a person sees it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest, app_test

from access.throttle import Throttles
from access.unlocked import UnlockedBrowsers
from store import app_lock
from tests.app_frame import NavigationOnly
from tests.conftest import FIXED_DAY

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 30
PASSPHRASE = "blue heron at dawn"
FAST = app_lock.ScryptParameters(n=2**10)


class _NoWait:
    """The throttle's clock and sleep for a test: time moves only when it sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> _NoWait:
    import ui.lock

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("JOURNAL_TODAY", FIXED_DAY.isoformat())
    monkeypatch.setenv("JOURNAL_DATA_DIR", str(tmp_path / "journal"))
    monkeypatch.setattr(app_test, "PagesManager", NavigationOnly)
    fake = _NoWait()
    # The server's shared state, as a fresh server has it, on the test's clock.
    monkeypatch.setattr(ui.lock, "THROTTLES", Throttles(clock=fake.clock, sleep=fake.sleep))
    monkeypatch.setattr(ui.lock, "UNLOCKED", UnlockedBrowsers(clock=fake.clock))
    return fake


def button(at: AppTest, label: str):
    (found,) = [b for b in at.button if b.label == label]
    return found


def sidebar_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.sidebar.button]


def app() -> AppTest:
    """A new browser session of the same server (module state, like the lock, is shared)."""
    return AppTest.from_file(str(ROOT / "journal_app.py"), default_timeout=TIMEOUT).run()


def unlock(at: AppTest) -> AppTest:
    text_input(at, "Passphrase").input(PASSPHRASE)
    button(at, "Unlock").click()
    at.run()
    assert not at.exception
    assert at.title[0].value == "Healing Journal", "unlocked"
    return at


def locked(at: AppTest) -> bool:
    return [t.value for t in at.title] == ["Healing Journal is locked"]


def text_input(at: AppTest, label: str):
    (found,) = [t for t in at.text_input if t.label == label]
    return found


def test_without_a_lock_the_app_opens(waits: _NoWait) -> None:
    at = AppTest.from_file(str(ROOT / "journal_app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "Healing Journal"


def test_locked_app_shows_nothing_but_the_gate_until_the_right_passphrase(waits: _NoWait, tmp_path: Path) -> None:
    app_lock.set_passphrase(tmp_path / "journal", PASSPHRASE, FAST)
    at = AppTest.from_file(str(ROOT / "journal_app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Healing Journal is locked"]
    assert not at.sidebar.caption, "no frame (folder, demo banner) before the passphrase"

    text_input(at, "Passphrase").input("not it")
    button(at, "Unlock").click()
    at.run()
    assert "Wrong passphrase" in at.error[0].value
    assert "checked in 1 second;" in at.error[0].value, "one second, not 1 second(s)"
    assert [t.value for t in at.title] == ["Healing Journal is locked"]

    text_input(at, "Passphrase").input("still not it")
    button(at, "Unlock").click()
    at.run()
    assert waits.slept == [1.0], "the second try waited for the first one's delay"

    text_input(at, "Passphrase").input(PASSPHRASE)
    button(at, "Unlock").click()
    at.run()
    assert not at.exception
    assert at.title[0].value == "Healing Journal"
    assert waits.slept == [1.0, 2.0]
    at.run()
    assert at.title[0].value == "Healing Journal", "asked once: the session stays open"


def test_profile_page_sets_changes_and_removes_the_lock(waits: _NoWait, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    at = AppTest.from_file(str(ROOT / "journal_app.py"), default_timeout=TIMEOUT).run()
    at.switch_page("pages/treatments.py").run()
    assert any("does not encrypt" in c.value for c in at.caption)

    text_input(at, "New passphrase").input("short")
    text_input(at, "The same passphrase again").input("short")
    button(at, "Lock the app with this passphrase").click()
    at.run()
    assert "too short" in at.error[0].value and not app_lock.is_set(folder)

    text_input(at, "New passphrase").input(PASSPHRASE)
    text_input(at, "The same passphrase again").input(PASSPHRASE)
    button(at, "Lock the app with this passphrase").click()
    at.run()
    assert app_lock.verify(folder, PASSPHRASE)
    assert any("The app lock is on" in s.value for s in at.success)
    assert at.title[0].value == "Profile & treatments", "whoever set the lock stays in"

    text_input(at, "Current passphrase").input("wrong one")
    button(at, "Remove the app lock").click()
    at.run()
    assert "Wrong passphrase" in at.error[0].value and app_lock.is_set(folder)

    text_input(at, "Current passphrase").input(PASSPHRASE)
    text_input(at, "New passphrase (to change it)").input("a new passphrase")
    text_input(at, "The new passphrase again").input("a new passphrase")
    button(at, "Change passphrase").click()
    at.run()
    assert app_lock.verify(folder, "a new passphrase") and not app_lock.verify(folder, PASSPHRASE)

    text_input(at, "Current passphrase").input("a new passphrase")
    button(at, "Remove the app lock").click()
    at.run()
    assert not app_lock.is_set(folder)
    assert any("The app lock is off" in s.value for s in at.success)


# --- Lock now, and locking again after an idle time ------------------------------------------------


def test_no_lock_now_without_an_app_lock(waits: _NoWait) -> None:
    at = app()
    assert "Lock now" not in sidebar_buttons(at)


def test_lock_now_locks_every_browser_at_once(waits: _NoWait, tmp_path: Path) -> None:
    app_lock.set_passphrase(tmp_path / "journal", PASSPHRASE, FAST)
    mine, other = unlock(app()), unlock(app())
    assert "Lock now" in sidebar_buttons(mine)
    (lock_now,) = [b for b in mine.sidebar.button if b.label == "Lock now"]
    lock_now.click()
    mine.run()
    assert not mine.exception
    assert locked(mine), "the browser that pressed it"
    assert "Lock now" not in sidebar_buttons(mine)
    other.run()
    assert locked(other), "and every other one"
    unlock(mine)
    other.run()
    assert locked(other), "unlocking one browser does not open the others"


def test_an_idle_browser_is_asked_again(waits: _NoWait, tmp_path: Path) -> None:
    app_lock.set_passphrase(tmp_path / "journal", PASSPHRASE, FAST)
    at = unlock(app())
    for _ in range(3):
        waits.now += 14 * 60
        at.run()
        assert not locked(at), "used every 14 minutes: the default 15 minutes never pass"
    waits.now += 15 * 60
    at.run()
    assert locked(at), "15 minutes without a page run"
    unlock(at)


def test_the_patient_chooses_the_idle_time_on_the_profile_page(waits: _NoWait, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    at = app()
    at.switch_page("pages/treatments.py").run()
    assert not [s for s in at.selectbox if s.label.startswith("Lock again")], "only with a lock"
    text_input(at, "New passphrase").input(PASSPHRASE)
    text_input(at, "The same passphrase again").input(PASSPHRASE)
    button(at, "Lock the app with this passphrase").click()
    at.run()
    (idle,) = [s for s in at.selectbox if s.label.startswith("Lock again")]
    assert idle.value == 15 * 60 and idle.options == ["5 minutes", "15 minutes", "30 minutes", "60 minutes"]
    idle.select(5 * 60)
    button(at, "Save idle time").click()
    at.run()
    assert not at.exception
    assert app_lock.idle_s(folder) == 5 * 60
    assert any("5 minutes" in s.value for s in at.success)
    waits.now += 4 * 60
    at.run()
    assert not locked(at)
    waits.now += 5 * 60
    at.run()
    assert locked(at), "locked again after the 5 minutes chosen"


def test_other_sessions_of_the_same_browser_are_not_asked_again(waits: _NoWait, tmp_path: Path) -> None:
    """Without the access cookie (AppTest) a session stands for a browser: it is asked only once."""
    app_lock.set_passphrase(tmp_path / "journal", PASSPHRASE, FAST)
    at = unlock(app())
    at.switch_page("pages/treatments.py").run()
    assert not locked(at) and at.title[0].value == "Profile & treatments"


def test_a_restarted_server_keeps_the_wait(waits: _NoWait, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.lock

    folder = tmp_path / "journal"
    app_lock.set_passphrase(folder, PASSPHRASE, FAST)
    at = app()
    for attempt in range(3):
        text_input(at, "Passphrase").input(f"wrong {attempt}")
        button(at, "Unlock").click()
        at.run()
    assert waits.slept == [1.0, 2.0]
    # A restart: the server's memory is new, the data folder is the same.
    monkeypatch.setattr(ui.lock, "THROTTLES", Throttles(clock=waits.clock, sleep=waits.sleep))
    monkeypatch.setattr(ui.lock, "UNLOCKED", UnlockedBrowsers(clock=waits.clock))
    at = app()
    assert locked(at)
    text_input(at, "Passphrase").input(PASSPHRASE)
    button(at, "Unlock").click()
    at.run()
    assert waits.slept == [1.0, 2.0, 4.0], "the fourth try still waited 4 seconds"
    assert not locked(at)
