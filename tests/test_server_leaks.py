"""No leaks: the real server's open files and memory stay flat over many page runs.

The server is `python launch.py` (tests/browser.py); the runs are asked for
over its WebSocket, as a browser asks (tests/streamlit_client.py), across
several sessions opened and closed in turn, over the pages that read the
journal. What the server process holds is read from /proc before and after.
Issue 12 found two descriptors kept per run (each run's SQLite connection):
a thousand runs would leave two thousand.

LEAK_RUNS sets the number of runs: 200 by default (a descriptor kept per run
shows as hundreds), 1000 for the release check (README, "Run the tests").
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from demo.skin import skin_photo
from healing_journal import Journal, Settings
from tests.browser import ARTIFACTS, fresh_link, journal_server, port_of
from tests.streamlit_client import (
    StreamlitSession,
    exceptions,
    journal_files,
    listening_pid,
    open_files,
    resident_mib,
)

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 24)
RUNS = int(os.environ.get("LEAK_RUNS", "200"))
SESSIONS = 5
WARM_UP_RUNS = 60
PAGES = ("home", "log_day", "treatments", "gallery", "import_photos")
DEADLINE_S = 540  # bounded: a thousand runs take three to five minutes on this 2-core machine
# Flat means: a handful of descriptors (an idle connection kept for reuse, a log
# file), and memory within what the allocator keeps, never a growth per run.
MAX_MORE_FILES = 4
MAX_MORE_MIB = 40.0
# A closed tab's session is kept this long for a reconnect (Streamlit's
# server.disconnectedSessionTTL, 120 s by default), with a socket pair of its
# own; shortened here so the test sees them released, then waits past it.
SESSION_TTL_S = 3


def small_journal(folder: Path) -> None:
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY)) as journal:
        journal.save_profile(name="Leak test", fitzpatrick=3)
        journal.add_treatment(TODAY - dt.timedelta(days=3), "face", device="Pen", needle_depth_mm=1.0)
        for offset in range(4):
            entry = journal.save_entry(TODAY - dt.timedelta(days=3 - offset), "face", redness=3 - offset, notes="ok")
        journal.add_photo(entry, skin_photo(0.6, seed=3, size=(640, 480)), "today.jpg")


def test_many_page_runs_leave_files_and_memory_flat(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    small_journal(folder)
    started = time.monotonic()
    server_env = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_S)}
    with journal_server(folder, TODAY, log_path=ARTIFACTS / "leak-server.log", env=server_env) as link:
        pid = listening_pid(port_of(link))
        warm = StreamlitSession(fresh_link(link))
        warm.run()
        for number in range(WARM_UP_RUNS):  # modules imported, caches and the idle pool filled
            warm.run(warm.pages[PAGES[number % len(PAGES)]])
        warm.close()
        time.sleep(SESSION_TTL_S + 3)
        before = (open_files(pid), journal_files(pid), resident_mib(pid))

        runs = 0
        for _ in range(SESSIONS):
            session = StreamlitSession(fresh_link(link))  # a tab opened...
            session.run()
            runs += 1
            while runs % (RUNS // SESSIONS):
                messages = session.run(session.pages[PAGES[runs % len(PAGES)]])
                assert not exceptions(messages), exceptions(messages)
                runs += 1
                assert time.monotonic() - started < DEADLINE_S, f"only {runs} runs in {DEADLINE_S} s"
            session.close()  # ...and closed
        time.sleep(SESSION_TTL_S + 3)  # the closed tabs' sessions expire
        after = (open_files(pid), journal_files(pid), resident_mib(pid))

    assert runs >= RUNS
    print(
        f"\n{runs} runs in {time.monotonic() - started:.0f} s; open files {before[0]} -> {after[0]}, "
        f"on the journal {before[1]} -> {after[1]}, memory {before[2]:.1f} -> {after[2]:.1f} MiB"
    )
    assert after[0] <= before[0] + MAX_MORE_FILES, f"open files grew from {before[0]} to {after[0]}"
    assert after[1] <= before[1] + 1, f"descriptors on the journal grew from {before[1]} to {after[1]}"
    assert after[2] <= before[2] + MAX_MORE_MIB, f"memory grew from {before[2]:.1f} to {after[2]:.1f} MiB"
