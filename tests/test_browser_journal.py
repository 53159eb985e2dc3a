"""The journal in a real browser: headless Chromium against `python launch.py` on 127.0.0.1.

A patient's first day, end to end: record the treatment, log the day with a
photo, find the photo in the gallery. Every request the browser makes must
stay on this computer. Screenshots of each step go to test-artifacts/.

These tests never skip: without Chromium they fail (see tests/browser.py).
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from demo.skin import skin_photo
from recovery.vocabulary import Sign
from tests.browser import (
    ARTIFACTS,
    HOST,
    ROOT,
    UI_TIMEOUT_MS,
    Screenshots,
    answer,
    base_of,
    goto_page,
    health,
    journal_server,
    open_link,
    port_of,
    printed_link,
    wait_idle,
    wait_measured,
)
from tests.builders import rated
from tests.demo_journals import DemoJournals
from tests.journals import reopen

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser") / "journal"


@pytest.fixture(scope="module")
def server(data_dir: Path):
    """The real server with an empty journal (the folder does not exist yet)."""
    with journal_server(data_dir, TODAY, log_path=ARTIFACTS / "journal-server.log") as base_url:
        yield base_url


@pytest.fixture
def photo_file(tmp_path: Path) -> Path:
    path = tmp_path / "day0-face.jpg"
    path.write_bytes(skin_photo(0.75, seed=7, size=(1200, 900)))
    return path


def test_first_day_in_the_browser(server: str, data_dir: Path, browser_page, photo_file: Path) -> None:
    page = browser_page
    shots = Screenshots("journal")
    try:
        _first_day(page, server, shots, photo_file)
    except Exception:
        shots.take(page, "failure")
        raise

    # What the browser did ended up in the journal folder.
    with reopen(data_dir, TODAY) as journal:
        (treatment,) = journal.treatments()
        assert treatment.day == TODAY and treatment.areas == ("face",)
        assert treatment.device == "Dermapen 4" and treatment.needle_depth_mm == 1.0
        entry = journal.entry(TODAY, "face")
        assert entry is not None
        assert rated(entry) == (
            2,
            1,
            None,
        )  # spots not rated
        assert entry.answer("sunscreen") == 1 and entry.answer("warmth") == 1
        assert entry.answer("pus") == 0 and entry.answer("hydrated") is None  # not answered
        assert entry.notes == "Tight, a little warm."
        assert entry.photo_count == 1
        (photo,) = journal.photos(area="face")
        assert photo.source_name == photo_file.name
        assert photo.path.is_file() and photo.thumb_path.is_file()
        assert photo.path.resolve().is_relative_to(data_dir.resolve())

    # Nothing left this computer: every request went to the local server.
    assert page.requests.urls, "the request log recorded the page's requests"
    leaks = sorted(set(page.requests.outside(HOST)))
    assert not leaks, f"the browser asked other computers for {len(leaks)} address(es): {leaks}"


def _first_day(page, server: str, shots: Screenshots, photo_file: Path) -> None:
    open_link(page, server)
    page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
    page.get_by_text("Start by recording your treatment").wait_for()
    wait_idle(page)
    shots.take(page, "home empty")

    # --- the treatment -----------------------------------------------------------------
    goto_page(page, "treatments", "Profile & treatments")
    page.get_by_text("No treatment recorded yet").wait_for()
    form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_role("button", name="Add treatment"))
    form.get_by_label("Device").fill("Dermapen 4")
    form.get_by_label("Needle depth (mm)").fill("1.0")
    form.get_by_label("Practitioner or clinic").fill("Skin clinic")
    shots.take(page, "treatment form filled")
    form.get_by_role("button", name="Add treatment").click()
    page.get_by_text("Treatment of face on 24 November 2026 added.").wait_for()
    wait_idle(page)
    page.locator('[data-testid="stDataFrame"]').wait_for()
    shots.take(page, "treatment added")

    # --- log the day ---------------------------------------------------------------------
    goto_page(page, "log_day", "Log a day")
    page.get_by_text("day 0 after the treatment of 24 November").wait_for()
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Upload photos")
    uploader.locator('input[type="file"]').set_input_files(str(photo_file))
    # The draft keeps the photo and the uploader is emptied: its own list shows the name only for a moment.
    page.get_by_text(f"Waiting to be saved: {photo_file.name}").wait_for()
    redness = Sign.REDNESS.levels[2]  # the level's words as the scale shows them
    page.get_by_text(f"2 · {redness}", exact=True).click()
    page.get_by_text("1 · barely noticeable", exact=True).click()
    answer(page, "Sunscreen, SPF 30 or higher", "Done")
    page.get_by_text("The area feels warm or hot", exact=True).click()
    page.get_by_label("Notes").fill("Tight, a little warm.")
    shots.take(page, "day filled in")
    page.get_by_role("button", name="Save day").click()
    page.get_by_text("Saved face for Tuesday 24 November 2026.").wait_for()
    page.get_by_text("1 photo added.").wait_for()
    page.get_by_text("This day is already logged; saving updates it.").wait_for()
    wait_measured(page)
    shots.take(page, "day saved")

    # --- the gallery ----------------------------------------------------------------------
    goto_page(page, "gallery", "Photos")
    page.get_by_text("1 photo in date order, the latest page first.").wait_for()
    thumbnail = page.locator('[data-testid="stMain"] [data-testid="stImage"] img').first
    thumbnail.wait_for()
    _wait_image_loaded(thumbnail)
    page.get_by_text("24 Nov 2026 · day 0").wait_for()
    shots.take(page, "gallery")
    # The button under the thumbnail (the area picker's own button is also named "Open").
    page.locator('[data-testid="stButton"] button').filter(has_text=re.compile(r"Open$")).click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    dialog.get_by_text("Face · Tuesday 24 November 2026 · day 0").wait_for()
    _wait_image_loaded(dialog.locator("img").first)
    shots.take(page, "photo dialog measured", full_page=False)
    dialog.get_by_role("tab", name="Full size").click()
    full = dialog.get_by_role("tabpanel", name="Full size").locator("img")
    full.wait_for()
    _wait_image_loaded(full)
    size = full.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert size[0] >= 1000, f"the full-size photo is shown, not the thumbnail ({size})"
    shots.take(page, "photo dialog full size", full_page=False)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")

    # --- home now shows the recovery -----------------------------------------------------
    goto_page(page, "", "Healing Journal")
    page.get_by_role("heading", name="Face: day 0 after your treatment").wait_for()
    page.get_by_text("Logged today ✓").wait_for()
    wait_idle(page)
    shots.take(page, "home after first day")


def _wait_image_loaded(image) -> None:
    image.wait_for()
    image.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=UI_TIMEOUT_MS
    )


# --- every page with a full journal --------------------------------------------------------------

PAGES = [  # (url path, heading)
    ("", "Healing Journal"),
    ("log_day", "Log a day"),
    ("recovery", "Recovery chart"),
    ("gallery", "Photos"),
    ("import_photos", "Import photos"),
    ("treatments", "Profile & treatments"),
    ("export", "Export & backup"),
]


def test_every_page_with_demo_journal(tmp_path: Path, browser_page, demo_journals: DemoJournals) -> None:
    """The frontend draws every page of a 28-day demo journal without an error box."""
    folder = tmp_path / "demo"
    demo_journals.copy(folder, days=28, areas=["face", "neck"], today=TODAY)
    page = browser_page
    shots = Screenshots("demo")
    with journal_server(folder, TODAY, log_path=ARTIFACTS / "demo-server.log") as base_url:
        open_link(page, base_url)
        page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
        page.get_by_text("Demo journal: synthetic data, not a real patient.").wait_for()
        for url_path, heading in PAGES:
            try:
                goto_page(page, url_path, heading)
                if url_path == "recovery":
                    # The chart's panels are pictures drawn on the server (ui.charts).
                    _wait_image_loaded(page.locator('[data-testid="stMain"] img[src^="data:image/svg"]').first)
                if url_path == "gallery":
                    _wait_image_loaded(page.locator('[data-testid="stMain"] [data-testid="stImage"] img').first)
                wait_idle(page)
                shots.take(page, url_path or "home")
            except Exception:
                shots.take(page, f"{url_path or 'home'} failure")
                raise
            exceptions = page.locator('[data-testid="stException"]')
            assert exceptions.count() == 0, f"{heading}: {exceptions.first.inner_text()}"
    leaks = sorted(set(page.requests.outside(HOST)))
    assert not leaks, f"the browser asked other computers for {len(leaks)} address(es): {leaks}"


# --- listening only on this computer ---------------------------------------------------------


@pytest.mark.parametrize("address_args", [["--server.address", "0.0.0.0"], ["--server.address=192.0.2.10"]])
def test_launch_refuses_other_addresses(address_args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "launch.py", *address_args, "--server.port", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Refusing to listen on" in result.stderr
    assert "--allow-remote" in result.stderr
    # It stopped before Streamlit started: no link, no server banner.
    assert printed_link(result.stdout) is None
    assert "You can now view" not in result.stdout + result.stderr


def _other_ipv4_address() -> str | None:
    """This machine's address on its outward interface, if it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # TEST-NET: only picks the route
        except OSError:
            return None
        address = sock.getsockname()[0]
    return None if address.startswith("127.") else address


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port`, from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(address)
    return found


def test_server_listens_only_on_loopback(server: str) -> None:
    port = port_of(server)
    assert health(base_of(server)) == "ok"
    listening = _listening_addresses(port)
    if Path("/proc/net/tcp").exists():
        # 0100007F is 127.0.0.1 in /proc's byte order; 00000000 would be every interface.
        assert listening == {"0100007F"}, listening
    other = _other_ipv4_address()
    if other is not None:
        assert health(f"http://{other}:{port}", timeout=3) is None, f"the journal answers on {other}"
