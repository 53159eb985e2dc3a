"""The app lock in the app itself (Streamlit AppTest, no browser): the gate and the profile page's settings.

Without a browser there is no access cookie, so the unlocked state is kept per
Streamlit session; the browser test (tests/test_browser_access.py) covers the
per-browser memory and the delay as a person sees it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest, app_test

from access.throttle import Throttle
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
    monkeypatch.setattr(ui.lock, "THROTTLE", Throttle(clock=fake.clock, sleep=fake.sleep))
    return fake


def button(at: AppTest, label: str):
    (found,) = [b for b in at.button if b.label == label]
    return found


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
