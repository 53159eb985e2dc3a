"""A new user's first week, in a real browser, from treatment to restored backup.

Create a treatment, log day 0 with a photo, backfill days 1-3 (day 3 still
red, so the app raises a flag), see the chart with its band and the flag,
compare two days' photos, export the PDF and the backup, restore the backup
into a new folder and find the same journal there. Every request the browser
makes must stay on 127.0.0.1. Screenshots of each step: test-artifacts/journey-*.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from demo.skin import skin_photo
from recovery.vocabulary import Sign
from tests.browser import (
    ARTIFACTS,
    HOST,
    Screenshots,
    answer,
    goto_page,
    journal_server,
    open_link,
    wait_idle,
    wait_measured,
)
from tests.journals import reopen

pytestmark = pytest.mark.browser

TREATMENT_DAY = dt.date(2026, 11, 21)
TODAY = TREATMENT_DAY + dt.timedelta(days=3)
# (redness, swelling) for days 0-3: redness 2 on day 3 is above the expected band.
RATINGS = {0: (3, 2), 1: (3, 1), 2: (2, 1), 3: (2, 0)}
SLOW_MS = 120_000


def _snapshot(folder: Path) -> tuple[list, list, list]:
    with reopen(folder, TODAY) as journal:
        entries = [
            (e.day, e.area, e.rating(Sign.REDNESS), e.rating(Sign.SWELLING), e.notes) for e in journal.entry_list()
        ]
        photos = sorted((p.day, p.sha256) for p in journal.photos())
        treatments = [(t.day, t.areas, t.needle_depth_mm) for t in journal.treatments()]
    return entries, photos, treatments


def _choose_day(scope, label: str, day: dt.date) -> None:
    """Type a date into Streamlit's date field, one segment (year, month, day) at a time."""
    segments = scope.get_by_role("group", name=label, exact=True).get_by_role("spinbutton")
    expect(segments).to_have_count(3)
    for index, value in enumerate((f"{day:%Y}", f"{day:%m}", f"{day:%d}")):
        segments.nth(index).click()
        segments.nth(index).press_sequentially(value)
    # The field commits its value when its calendar pop-up closes.
    segments.nth(2).press("Escape")
    wait_idle(scope.page if hasattr(scope, "page") else scope)


def _add_treatment(page, shots: Screenshots) -> None:
    goto_page(page, "treatments", "Profile & treatments")
    form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_role("button", name="Add treatment"))
    _choose_day(form, "Date", TREATMENT_DAY)
    form.get_by_label("Device").fill("Dermapen 4")
    form.get_by_label("Needle depth (mm)").fill("1.5")
    form.get_by_role("button", name="Add treatment").click()
    page.get_by_text(f"Treatment of face on {TREATMENT_DAY:%d %B %Y} added.").wait_for()
    wait_idle(page)
    shots.take(page, "treatment added")


def _log_day(page, shots: Screenshots, since: int, photo: Path | None) -> None:
    day = TREATMENT_DAY + dt.timedelta(days=since)
    goto_page(page, "log_day", "Log a day")
    _choose_day(page, "Day", day)
    page.get_by_text(f"day {since} after the treatment of {TREATMENT_DAY:%d %B}").wait_for()
    redness, swelling = RATINGS[since]
    redness_labels = ["0 · clear", "1 · almost clear", "2 · mild", "3 · moderate"]
    swelling_labels = ["0 · none", "1 · barely noticeable", "2 · slight", "3 · moderate: clearly raised"]
    page.locator("label").filter(has_text=redness_labels[redness]).first.click()
    # "0 · none" is also a spots level; the swelling column comes first.
    page.locator("label").filter(has_text=swelling_labels[swelling]).first.click()
    answer(page, "Sunscreen, SPF 30 or higher", "Done")
    answer(page, "Kept the treated skin out of direct sun", "Done")
    page.get_by_label("Notes").fill(f"day {since}: logged in the browser")
    if photo is not None:
        uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Upload photos")
        uploader.locator('input[type="file"]').set_input_files(str(photo))
        # Once the draft holds the photo the uploader is emptied (a fresh widget), so the
        # file's name in the uploader is only there for a moment: wait for the draft's line.
        page.get_by_text(f"Waiting to be saved: {photo.name}").wait_for()
    page.get_by_role("button", name="Save day").click()
    page.get_by_text(f"Saved face for {day:%A %d %B %Y}.").wait_for()
    wait_idle(page)
    shots.take(page, f"day {since} saved")
    _keep_photos(page)


def _keep_photos(page) -> None:
    """Answer "Retake?" (these generated photos are not of the same skin, so they
    cannot be lined up with the first one): the patient keeps them."""
    wait_measured(page)  # the question comes once the photo is measured, after Save's answer
    dialog = page.get_by_role("dialog").filter(has_text="Retake?")
    while dialog.count():
        dialog.get_by_role("button", name="Keep it").first.click()
        wait_idle(page)


PASSPHRASE = "cedar window river lamp"


def _download(page, prepare: str, file_part: str) -> bytes:
    page.get_by_role("button", name=prepare).click()
    wait_idle(page, SLOW_MS)
    button = page.locator('[data-testid="stDownloadButton"] button').filter(has_text=file_part)
    button.wait_for(timeout=SLOW_MS)
    with page.expect_download(timeout=SLOW_MS) as download:
        button.click()
    return Path(download.value.path()).read_bytes()


def test_first_week_then_restore_on_a_new_computer(tmp_path: Path, browser_page) -> None:
    page, shots = browser_page, Screenshots("journey")
    folder = tmp_path / "journal"
    photos = {}
    for since in (0, 3):
        photos[since] = tmp_path / f"IMG_day{since}.jpg"
        photos[since].write_bytes(skin_photo(RATINGS[since][0] / 4, seed=since, size=(1200, 900)))
    with journal_server(folder, TODAY, log_path=ARTIFACTS / "journey-server.log") as url, shots.on_failure(page):
        open_link(page, url)
        page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
        shots.take(page, "empty journal")
        _add_treatment(page, shots)
        for since in range(4):
            _log_day(page, shots, since, photos.get(since))
        restored = _chart_compare_export_restore(page, shots, tmp_path)
    _same_journal_in_restored_folder(page, shots, folder, restored)
    leaks = sorted(set(page.requests.outside(HOST)))
    assert not leaks, f"the browser asked other computers for: {leaks}"


def _chart_compare_export_restore(page, shots: Screenshots, tmp_path: Path) -> Path:
    goto_page(page, "recovery", "Recovery chart")
    page.get_by_text("Keep an eye on it", exact=False).first.wait_for()
    # What the journal saw is folded under each card.
    page.get_by_text("What the journal saw, and why").first.click()
    page.get_by_text("Redness on day 3 was logged as").first.wait_for()
    # The chart's panels are pictures drawn on the server, shown at the column's width.
    chart = page.locator('[data-testid="stMain"] img[src^="data:image/svg"]:visible').first
    chart.wait_for()
    expect(chart).to_be_visible()
    page.get_by_text("To compare two days lined up", exact=False).wait_for()
    # The photos, not the chart's pictures.
    strip = page.locator('[data-testid="stMain"] [data-testid="stImage"] img:not([src^="data:image/svg"])')
    expect(strip).to_have_count(2)  # the strip of two thumbnails (days are compared on Photos)
    shots.take(page, "chart with band flag and photo strip")

    goto_page(page, "export", "Export & backup")
    pdf = _download(page, "Prepare PDF", "summary")
    assert pdf.startswith(b"%PDF")
    (ARTIFACTS / "journey-summary.pdf").write_bytes(pdf)
    # A backup is protected with a passphrase unless the patient chooses otherwise.
    for label in ("Passphrase", "Passphrase again"):
        field = page.get_by_label(label, exact=True)
        field.fill(PASSPHRASE)
        field.press("Enter")
        wait_idle(page, SLOW_MS)
    backup = _download(page, "Prepare backup for download", "backup")
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(backup)).namelist()
    shots.take(page, "pdf and backup downloaded")

    target = tmp_path / "new-computer" / "journal"
    page.get_by_label("Restore into this folder").fill(str(target))
    upload = tmp_path / "backup.zip"
    upload.write_bytes(backup)
    # The restore's uploader (Check an export has one too, further down).
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Backup file (.zip)")
    uploader.locator('input[type="file"]').set_input_files(str(upload))
    restore = page.get_by_role("button", name="Restore", exact=True)
    expect(restore).to_be_enabled()
    passphrase = page.get_by_label("Passphrase of this backup")
    passphrase.fill(PASSPHRASE)
    passphrase.press("Enter")
    wait_idle(page, SLOW_MS)
    restore.click()
    page.locator('[data-testid="stAlertContentSuccess"]').wait_for(timeout=SLOW_MS)
    shots.take(page, "restored")
    return target


def _same_journal_in_restored_folder(page, shots: Screenshots, original: Path, restored: Path) -> None:
    assert _snapshot(restored) == _snapshot(original)
    entries, photos, _ = _snapshot(restored)
    assert len(entries) == 4 and len(photos) == 2
    with (
        journal_server(restored, TODAY, log_path=ARTIFACTS / "journey-restored-server.log") as url,
        shots.on_failure(page),
    ):
        open_link(page, url)
        page.get_by_role("heading", name="Face: day 3 after your treatment").wait_for()
        page.get_by_text("Keep an eye on it").first.wait_for()
        wait_idle(page)
        shots.take(page, "restored journal home")
        goto_page(page, "gallery", "Photos")
        page.get_by_text("2 photos in date order, the latest page first.").wait_for()
        shots.take(page, "restored journal photos")
