"""Soak: two browser windows on one journal save, upload, switch pages, edit the same day and delete,
for several hundred actions; afterwards every saved item is there and the server holds no more than before.

Two Playwright contexts are two independent browsers (a phone and a computer)
on the real server (`python launch.py`). They take turns, a few actions each,
on a shared set of days and areas, so they also meet on the same day: the
second then sees both versions and merges. What each window saved is
recorded as it is confirmed on screen, and compared with the journal at the
end. Bounded: a fixed number of rounds, and a deadline.

SOAK_ROUNDS sets the rounds: 8 by default (every kind of action, a shared day
and a delete, about 130 actions), 16 or more for the release check (README,
"Run the tests"; 16 rounds are over 250 actions).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from demo.skin import skin_photo
from healing_journal import Journal, Settings
from recovery.vocabulary import Sign
from tests.browser import (
    ARTIFACTS,
    HOST,
    UI_TIMEOUT_MS,
    RequestLog,
    Screenshots,
    goto_page,
    journal_server,
    open_link,
    port_of,
    wait_idle,
    wait_measured,
)
from tests.streamlit_client import journal_files, listening_pid, open_files, resident_mib

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 24)
AREAS = ("Face", "Neck", "Chest", "Hands")
# Each round: both windows save, one uploads, both switch pages; every third a shared day, every eighth a delete.
ROUNDS = int(os.environ.get("SOAK_ROUNDS", "8"))
DEADLINE_S = 720
SESSION_TTL_S = 3
# How much longer than the TTL (plus 3 s) the server may take to drop the closed sessions.
EXPIRY_WAIT_S = 30
MAX_MORE_FILES = 6
MAX_MORE_MIB = 80.0
# The redness scale's first levels, labelled as the form labels them.
LEVELS = tuple(f"{level} · {Sign.REDNESS.levels[level]}" for level in range(3))


class Window:
    """One browser window on the journal, and what it saw confirmed."""

    def __init__(self, chromium, link: str, name: str):
        self.context = chromium.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
        self.page = self.context.new_page()
        self.page.set_default_timeout(UI_TIMEOUT_MS)
        self.requests = RequestLog(self.page)
        self.name = name
        self.actions = 0
        self.conflicts = 0
        self.retakes = 0
        open_link(self.page, link)
        self.page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
        wait_idle(self.page)

    def act(self) -> None:
        self.actions += 1
        wait_idle(self.page)
        # Elements of the previous run stay, faded, until the new run has drawn its own.
        self.page.wait_for_function(
            "() => document.querySelectorAll('[data-stale=\"true\"]').length === 0", timeout=UI_TIMEOUT_MS
        )
        errors = self.page.locator('[data-testid="stException"]')
        assert errors.count() == 0, f"{self.name}: {errors.first.inner_text()}"

    def open_log(self, area: str) -> None:
        goto_page(self.page, "log_day", "Log a day")
        self.act()
        box = self.page.locator('[data-testid="stSelectbox"]').filter(has_text="Area").first
        box.click()
        self.page.keyboard.type(area)  # the list filters as one types
        self.page.keyboard.press("Enter")
        self.act()  # the save checks the area: "Saved <area> for ..."

    def rate(self, level: str) -> None:
        self.page.get_by_text(level, exact=True).first.click()
        self.act()

    def write(self, notes: str) -> None:
        field = self.page.get_by_label("Notes")
        expect(field).to_have_count(1)
        field.fill(notes)
        field.press("Tab")  # the field commits when it loses focus: the draft is kept
        self.act()

    def attach(self, path: Path) -> None:
        uploader = self.page.locator('[data-testid="stFileUploader"]').filter(has_text="Upload photos")
        uploader.locator('input[type="file"]').set_input_files(str(path))
        self.page.get_by_text(f"Waiting to be saved: {path.name}").wait_for()
        self.act()

    def save(self, area: str) -> None:
        self.page.get_by_role("button", name="Save day").click()
        saved = self.page.get_by_text(f"Saved {area.lower()} for").first
        merged = self.page.get_by_role("button", name="Save the merged version")
        saved.or_(merged).wait_for()
        self.act()
        if merged.count():
            self.conflicts += 1
            merged.click()  # the other window saved this day meanwhile: keep both changes
            saved.wait_for()
            self.act()
        self.keep_photos()

    def keep_photos(self) -> None:
        """Answer "Retake?" after a save that stored a photo: keep it (these generated
        photos are not all of the same skin, so some cannot be lined up)."""
        wait_measured(self.page)  # the question comes once the photo is measured, after Save's answer
        dialog = self.page.get_by_role("dialog").filter(has_text="Retake?")
        while dialog.count():
            self.retakes += 1
            dialog.get_by_role("button", name="Keep it").first.click()
            self.act()

    def delete_day(self) -> None:
        self.page.get_by_text("Delete this day's entry").click()
        self.page.get_by_text("Yes, delete it for good").click()
        self.act()
        self.page.get_by_role("button", name="Delete entry").click()
        self.page.get_by_text("The entry was deleted.").wait_for()
        self.act()

    def browse(self, chart: bool) -> None:
        pages = [("", "Healing Journal"), ("gallery", "Photos")] + ([("recovery", "Recovery chart")] if chart else [])
        for path, heading in pages:
            goto_page(self.page, path, heading)
            self.act()


def _within(before: tuple[int, int, float], after: tuple[int, int, float]) -> bool:
    return after[0] <= before[0] + MAX_MORE_FILES and after[1] <= before[1] + 1 and after[2] <= before[2] + MAX_MORE_MIB


def _after_the_sessions_expired(pid: int, before: tuple[int, int, float]) -> tuple[int, int, float]:
    """The server's open files, descriptors on the journal and memory once the closed windows'
    sessions have expired: Streamlit drops them some time after their TTL, later on a busy machine,
    so this looks again every second, up to EXPIRY_WAIT_S, until the figures are back within bounds."""
    time.sleep(SESSION_TTL_S + 3)
    deadline = time.monotonic() + EXPIRY_WAIT_S
    while True:
        after = (open_files(pid), journal_files(pid), resident_mib(pid))
        if _within(before, after) or time.monotonic() > deadline:
            return after
        time.sleep(1)


@pytest.mark.timeout(DEADLINE_S + 300)
def test_two_windows_for_several_hundred_actions(tmp_path: Path, chromium) -> None:
    folder = tmp_path / "journal"
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY)) as journal:
        journal.add_treatment(TODAY - dt.timedelta(days=5), [a.lower() for a in AREAS], device="Pen")
    photos = tmp_path / "photos"
    photos.mkdir()
    shots = Screenshots("soak")
    expected_notes: dict[str, str] = {}
    expected_photos: dict[str, int] = {}
    started = time.monotonic()
    server_env = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_S)}
    with journal_server(folder, TODAY, log_path=ARTIFACTS / "soak-server.log", env=server_env) as link:
        pid = listening_pid(port_of(link))
        phone, computer = Window(chromium, link, "phone"), Window(chromium, link, "computer")
        try:
            before: tuple[int, int, float] = (0, 0, 0.0)
            for number in range(ROUNDS):
                if number == 1:  # after a first round has loaded what every action needs
                    before = (open_files(pid), journal_files(pid), resident_mib(pid))
                assert time.monotonic() - started < DEADLINE_S, f"round {number} after {DEADLINE_S} s"
                mine, theirs = AREAS[number % len(AREAS)], AREAS[(number + 1) % len(AREAS)]
                # The phone logs one area with a photo; the computer another.
                phone.open_log(mine)
                phone.rate(LEVELS[number % 3])
                phone.write(f"phone round {number}")
                picture = photos / f"round-{number}.jpg"
                picture.write_bytes(skin_photo(0.5, seed=100 + number, size=(480, 360)))
                phone.attach(picture)
                phone.save(mine)
                expected_notes[mine] = f"phone round {number}"
                expected_photos[mine] = expected_photos.get(mine, 0) + 1
                computer.open_log(theirs)
                computer.write(f"computer round {number}")
                if number % 3 == 0:
                    # Both on the same day: the phone saves first, the computer's form is stale.
                    phone.open_log(theirs)
                    phone.rate(LEVELS[(number + 1) % 3])
                    phone.save(theirs)
                computer.save(theirs)
                expected_notes[theirs] = f"computer round {number}"
                if number % 8 == 7:
                    # The computer deletes a day without photos it just wrote, then writes it again.
                    computer.delete_day()
                    if theirs not in expected_photos:
                        expected_notes.pop(theirs)
                    computer.write(f"computer again {number}")
                    computer.save(theirs)
                    expected_notes[theirs] = f"computer again {number}"
                    expected_photos.pop(theirs, None)
                phone.browse(chart=number % 4 == 0)
                computer.browse(chart=number % 4 == 2)
            shots.take(phone.page, "phone at the end")
            shots.take(computer.page, "computer at the end")
            leaks = phone.requests.outside(HOST) + computer.requests.outside(HOST)
            assert not leaks, f"requests left this computer: {sorted(set(leaks))}"
        except Exception:
            shots.take(phone.page, "phone failure")
            shots.take(computer.page, "computer failure")
            raise
        finally:
            phone.context.close()
            computer.context.close()
        after = _after_the_sessions_expired(pid, before)

    actions = phone.actions + computer.actions
    print(
        f"\n{actions} actions in {time.monotonic() - started:.0f} s; open files {before[0]} -> {after[0]}, "
        f"on the journal {before[1]} -> {after[1]}, memory {before[2]:.1f} -> {after[2]:.1f} MiB"
    )
    assert actions >= 250 or ROUNDS < 16, actions
    assert phone.conflicts + computer.conflicts >= ROUNDS // 3, "the windows met on the same day"
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY)) as journal:
        assert journal.integrity_check() == "ok"
        for area, notes in expected_notes.items():
            entry = journal.entry(TODAY, area.lower())
            assert entry is not None and entry.notes == notes, (area, entry)
        for area, count in expected_photos.items():
            assert journal.entry(TODAY, area.lower()).photo_count == count, area
            for photo in journal.photos(area=area.lower()):
                assert photo.path.is_file() and photo.thumb_path.is_file()
        assert journal.draft(TODAY, "face") is None or not journal.draft(TODAY, "face").changed
        assert any(e.rating(Sign.REDNESS) is not None for e in journal.entry_list())
    assert after[0] <= before[0] + MAX_MORE_FILES, f"open files grew from {before[0]} to {after[0]}"
    assert after[1] <= before[1] + 1, f"descriptors on the journal grew from {before[1]} to {after[1]}"
    assert after[2] <= before[2] + MAX_MORE_MIB, f"memory grew from {before[2]:.1f} to {after[2]:.1f} MiB"
    assert re.match(r"^soak", shots.prefix)
