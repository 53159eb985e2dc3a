"""The Export & backup page in a real browser: prepare, download, restore.

Runs the app through launch.py on a demo journal and drives Debian's Chromium
(tests/browser.py). Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from healing_journal import Journal
from store.backup import inspect
from tests.browser import (
    ARTIFACTS,
    Screenshots,
    goto_page,
    journal_server,
    open_link,
    wait_idle,
)

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 3, 30)
PASSPHRASE = "browser test passphrase"
PDF_TIMEOUT_MS = 120_000  # charts and photos on a busy machine


@pytest.fixture
def demo_folder(tmp_path: Path, demo_journals) -> Path:
    return demo_journals.copy(tmp_path / "journal", days=30, photo_every_day=True, today=TODAY)


def _prepare_and_download(page, prepare: str, file_part: str):
    page.get_by_role("button", name=re.compile(re.escape(prepare))).click()
    wait_idle(page, PDF_TIMEOUT_MS)
    button = page.locator('[data-testid="stDownloadButton"] button').filter(has_text=file_part)
    button.wait_for(timeout=PDF_TIMEOUT_MS)
    with page.expect_download(timeout=PDF_TIMEOUT_MS) as download:
        button.click()
    return download.value


def test_export_page_downloads_pdf_and_backup_and_restores(browser_page, demo_folder: Path) -> None:
    shots = Screenshots("export")
    try:
        _flow(browser_page, demo_folder, shots)
    except Exception:
        shots.take(browser_page, "failure")
        raise


def _outside_since(page, start: int) -> list[str]:
    """Requests to anywhere but this computer made after the first `start` requests."""
    log = page.requests
    outside = set(log.outside())
    return [url for url in log.urls[start:] if url in outside]


def _flow(page, demo_folder: Path, shots: Screenshots) -> None:
    with journal_server(demo_folder, TODAY) as url:
        open_link(page, url)
        page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
        goto_page(page, "export", "Export & backup")
        shots.take(page, "export page")
        # The app frame's own page icon is not this page's business: count from here.
        before_export = len(page.requests.urls)

        pdf = _prepare_and_download(page, "Prepare PDF", "summary")
        assert pdf.suggested_filename.endswith(".pdf")
        data = Path(pdf.path()).read_bytes()
        assert data.startswith(b"%PDF")
        assert b"%%EOF" in data[-64:]
        (ARTIFACTS / "export-summary.pdf").write_bytes(data)
        assert Journal.verify_export(data).ok  # signed, and unchanged on its way through the browser
        shots.take(page, "pdf prepared")

        # Encrypted by default: the passphrase twice, then the download.
        for label in ("Passphrase", "Passphrase again"):
            field = page.get_by_label(label, exact=True)
            field.fill(PASSPHRASE)
            field.press("Enter")
            wait_idle(page, PDF_TIMEOUT_MS)
        backup = _prepare_and_download(page, "Prepare backup for download", "backup")
        assert backup.suggested_filename.endswith(".zip")
        archive_bytes = Path(backup.path()).read_bytes()
        with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
            assert "manifest.json" in archive.namelist()
            assert all(info.flag_bits & 1 for info in archive.infolist())  # manifest encrypted too
            assert any(name.startswith("photos/") for name in archive.namelist())
        assert inspect(archive_bytes).encrypted
        shots.take(page, "backup prepared")

        # Restore the backup just made into the proposed new folder.
        target = Path(page.get_by_label("Restore into this folder").input_value())
        assert not target.exists()
        upload = demo_folder.parent / "backup.zip"
        upload.write_bytes(archive_bytes)
        _uploader(page, "Backup file (.zip)").set_input_files(str(upload))
        restore = page.get_by_role("button", name=re.compile(r"Restore$"))
        expect(restore).to_be_enabled()  # the upload has reached the server
        passphrase = page.get_by_label("Passphrase of this backup")
        passphrase.fill(PASSPHRASE)
        passphrase.press("Enter")
        wait_idle(page, PDF_TIMEOUT_MS)
        shots.take(page, "backup chosen")
        restore.click()
        wait_idle(page, PDF_TIMEOUT_MS)
        success = page.locator('[data-testid="stAlertContentSuccess"]')
        success.wait_for(timeout=PDF_TIMEOUT_MS)
        assert str(target) in success.inner_text()
        # The command, as code: it streams in just after the message, so wait for it.
        expect(page.locator('[data-testid="stMain"] [data-testid="stCode"]')).to_contain_text("start.py --folder")
        assert (target / "journal.sqlite3").exists()
        shots.take(page, "restored")

        # Check an export: the PDF just downloaded, untouched.
        _uploader(page, "Exported file").set_input_files(str(ARTIFACTS / "export-summary.pdf"))
        wait_idle(page, PDF_TIMEOUT_MS)
        verdict = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Untouched since it was signed")
        verdict.wait_for(timeout=PDF_TIMEOUT_MS)
        shots.take(page, "export checked")
        assert _outside_since(page, before_export) == [], "exporting asked for something outside this computer"


def _uploader(page, label: str):
    """The file input of the uploader labelled `label` (the page has two: restore, and check an export)."""
    return page.locator('[data-testid="stFileUploader"]').filter(has_text=label).locator('input[type="file"]')


def tab_to(page, reached_js: str, most: int = 12) -> None:
    """Press Tab until the focus is where `reached_js` says (past "show passphrase" eyes and the like)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(reached_js):
            return
    raise AssertionError(f"Tab never reached {reached_js}")


def test_a_passphrase_typed_with_the_keyboard_and_tab_makes_an_encrypted_backup(browser_page, tmp_path: Path) -> None:
    """Typed, Tab to the second field, typed again, Tab to the button, Enter: as a patient does (no clicks)."""
    page = browser_page
    shots = Screenshots("export-tab")
    folder = tmp_path / "journal"
    saved_into = tmp_path / "backups"
    saved_into.mkdir()
    with journal_server(folder, TODAY) as url:
        open_link(page, url)
        page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
        goto_page(page, "export", "Export & backup")
        folder_field = page.get_by_label("Save into this folder")
        folder_field.fill(str(saved_into))
        folder_field.press("Enter")
        wait_idle(page)
        page.get_by_label("Passphrase", exact=True).click()
        page.keyboard.type(PASSPHRASE, delay=20)
        tab_to(page, "() => document.activeElement.getAttribute('aria-label') === 'Passphrase again'")
        page.keyboard.type(PASSPHRASE, delay=20)
        tab_to(page, "() => (document.activeElement.innerText || '').includes('Save backup')")
        page.keyboard.press("Enter")
        wait_idle(page, PDF_TIMEOUT_MS)
        shots.take(page, "after save")
        errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
        assert not errors, f"the typed passphrases did not both arrive: {errors}"
        page.locator('[data-testid="stAlertContentSuccess"]').wait_for(timeout=PDF_TIMEOUT_MS)
        (archive,) = saved_into.glob("*.zip")
        assert inspect(archive).encrypted
