"""The demo journal: it shows flags and cards, and every export says it is synthetic.

A demo is built with the real generator into a real folder; flags come from
recovery.view.judge, the exports from the same Workspace the app uses, read
back with independent tools (pdftotext and pdftoppm, the csv module,
fhir.resources, zipfile, icalendar).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import zipfile
from pathlib import Path

import icalendar
import numpy as np
import pytest
from PIL import Image

from demo.generate import MARKS_FROM_DAY, SUN_LAPSE_DAY, WARNING_DAY, WARNING_SIGN
from demo.scene import day_photo
from export.csv_export import COLUMNS, DEMO_COLUMN, STORY_HEADERS
from export.demo_mark import DEMO_MARK
from export.signed import table_part
from healing_journal import Journal, Settings
from recovery.flags import RuleId
from recovery.view import RecoveryView, judge
from recovery.vocabulary import Severity, Sign
from store.backup import DEMO_MEMBER, MANIFEST, backup
from store.backup.format import DEMO_NOTE
from tests.demo_journals import DemoJournals
from tests.journals import reopen

TODAY = dt.date(2026, 11, 24)
HTEST = "HTEST"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_journals: DemoJournals) -> Path:
    """The demo as `bash run.sh --demo` makes it: 28 days of the face."""
    folder = tmp_path_factory.mktemp("demo") / "journal"
    demo_journals.copy(folder, today=TODAY)
    return folder


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A patient's journal with the same kind of content, not a demo."""
    folder = tmp_path_factory.mktemp("real") / "journal"
    with reopen(folder, TODAY) as journal:
        journal.add_treatment(TODAY - dt.timedelta(days=3), ["face"], practitioner="Dr. Lee")
        journal.save_entry(TODAY - dt.timedelta(days=3), "face", redness=3, swelling=2)
        journal.save_entry(TODAY, "face", redness=1, swelling=0)
    return folder


def view_of(folder: Path) -> RecoveryView:
    with reopen(folder, TODAY) as journal:
        return judge(journal.snapshot(), journal.settings.thresholds)


# --- the demo shows flags ------------------------------------------------------------------


def test_the_demo_raises_a_call_an_urgent_warning_and_an_aftercare_flag(demo: Path) -> None:
    view = view_of(demo)
    assert view.snapshot.is_demo
    found = {(flag.rule_id, flag.severity, flag.days_since_treatment) for flag in view.flags}
    assert (RuleId.WARNING, Severity.URGENT, WARNING_DAY) in found
    assert (RuleId.AFTERCARE_SUN, Severity.WATCH, SUN_LAPSE_DAY) in found
    persisting = [f for f in view.flags if f.rule_id == RuleId.PERSIST and f.sign == Sign.REDNESS]
    # Faint pink in the second week after 1 mm is a watch (clinical rules v3, docs/clinical-basis.md,
    # "Faint pink after day 7"); it is flagged from day 3 on, as one watch.
    assert any(f.severity == Severity.WATCH for f in persisting), "redness above its band"
    (warning,) = [f for f in view.flags if f.rule_id == RuleId.WARNING]
    assert warning.question == WARNING_SIGN
    assert len(view.cards) >= 4, "one card per cause"
    # Those have eased by the demo's today: their cards show, as history, what flags look like.
    eased = {card.title for card in view.cards if not card.is_open}
    assert {"Redness", "Sun protection"} <= eased and any(title.startswith("Warning sign") for title in eased)


def test_one_flag_is_still_open_on_the_demos_today(demo: Path) -> None:
    """New marks from day 10 still there today: Home shows a card to act on, not "On track"."""
    view = view_of(demo)
    (card,) = view.open_cards("face")
    assert card.sign == Sign.SPOTS and card.severity.rank >= Severity.WATCH.rank
    assert card.lead.advice and view.status("face") is card.severity
    assert {flag.sign for flag in view.open_flags} == {Sign.SPOTS}
    assert min(flag.days_since_treatment or 0 for flag in view.open_flags) == MARKS_FROM_DAY


def test_every_demo_photo_lines_up_and_some_show_the_card(demo: Path) -> None:
    """The Photos page's compare and time-lapse need photos of the same skin, lined up."""
    with reopen(demo, TODAY) as journal:
        photos = journal.snapshot().photos_of("face")
    first, *later = photos
    assert len(later) >= 8
    assert all(photo.aligned_to == first.id and photo.registration for photo in later), [
        (photo.day, photo.alignment) for photo in later if not photo.registration
    ]
    with_card = [photo for photo in photos if photo.card_found]
    assert 2 <= len(with_card) < len(photos), "the card is in view on some days, not all"
    assert first.card_found, "the first photo, which all are compared with, is calibrated"
    assert any(photo.spot_count for photo in photos if (photo.days_since_treatment or 0) >= MARKS_FROM_DAY)


def test_demo_photos_are_deterministic() -> None:
    assert day_photo(3, 0.5, 2, with_card=True) == day_photo(3, 0.5, 2, with_card=True)
    assert day_photo(3, 0.5) != day_photo(4, 0.5), "each day framed and exposed afresh"


def test_earlier_sessions_stay_textbook_and_the_latest_raises_the_flags(
    tmp_path: Path, demo_journals: DemoJournals
) -> None:
    folder = tmp_path / "demo"
    demo_journals.copy(folder, days=40, today=TODAY)  # sessions on day 0 and day 28
    view = view_of(folder)
    first, latest = view.snapshot.treatments
    assert {flag.treatment_id for flag in view.flags} == {latest.id}
    assert any(flag.severity.rank >= Severity.CONTACT.rank for flag in view.flags)


def test_a_real_journal_is_not_a_demo(real: Path) -> None:
    assert not view_of(real).snapshot.is_demo


# --- every export carries the mark -----------------------------------------------------------


def _pdf_pages(folder: Path, tmp_path: Path) -> tuple[list[str], list[Path]]:
    with reopen(folder, TODAY) as journal:
        pdf = journal.export_pdf()
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True)
    pages = [page for page in text.stdout.split("\f") if page.strip()]
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "page")], check=True)
    return pages, sorted(tmp_path.glob("page*.png"))


def _band_pixels(png: Path) -> int:
    """Pixels of the band's amber in the page's top 15 mm."""
    with Image.open(png) as image:
        pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    r, g, b = np.moveaxis(pixels[: round(pixels.shape[0] * 15 / 297)], -1, 0)
    return int(np.count_nonzero((r > 240) & (g > 205) & (g < 240) & (b > 100) & (b < 160)))


def test_every_pdf_page_shows_the_demo_band(demo: Path, tmp_path: Path) -> None:
    pages, images = _pdf_pages(demo, tmp_path)
    assert len(pages) == len(images) > 1
    assert all(DEMO_MARK in page for page in pages)
    for image in images:
        assert _band_pixels(image) > 500, f"{image.name}: no demo band drawn at the top"


def test_a_real_journal_pdf_has_no_band(real: Path, tmp_path: Path) -> None:
    pages, images = _pdf_pages(real, tmp_path)
    assert not any(DEMO_MARK in page for page in pages)
    assert all(_band_pixels(image) == 0 for image in images)


def test_the_csv_marks_every_row_and_still_parses(demo: Path, real: Path) -> None:
    with reopen(demo, TODAY) as journal:
        rows = list(csv.DictReader(io.StringIO(table_part(journal.export_csv()).decode("utf-8"))))
    assert rows and all(row[DEMO_COLUMN] == DEMO_MARK for row in rows)
    assert list(rows[0]) == [DEMO_COLUMN, *(header for header, _ in COLUMNS), *STORY_HEADERS]
    assert rows[0]["area"] == "face" and rows[0]["day (YYYY-MM-DD)"]
    with reopen(real, TODAY) as journal:
        header = journal.export_csv().decode("utf-8").splitlines()[0]
    assert header.startswith("day (YYYY-MM-DD),") and DEMO_MARK not in header


def test_the_fhir_bundle_labels_test_data_and_stays_valid(demo: Path, real: Path) -> None:
    r4b_bundle = pytest.importorskip("fhir.resources.R4B.bundle", reason="fhir.resources validates the export")
    with reopen(demo, TODAY) as journal:
        data = journal.export_fhir(include_photos=True)
    r4b_bundle.Bundle.model_validate_json(data)
    bundle = json.loads(data)
    resources = [entry["resource"] for entry in bundle["entry"]]
    for meta in [bundle["meta"], *(resource["meta"] for resource in resources)]:
        assert [s["code"] for s in meta["security"]] == [HTEST]
        assert [t["display"] for t in meta["tag"]] == [DEMO_MARK]
    (patient,) = [r for r in resources if r["resourceType"] == "Patient"]
    assert DEMO_MARK in patient["text"]["div"]
    with reopen(real, TODAY) as journal:
        plain = json.loads(journal.export_fhir())
    assert "meta" not in plain and all("meta" not in e["resource"] for e in plain["entry"])


def test_the_backup_says_demo_in_its_manifest_and_restores_as_a_demo(demo: Path, real: Path, tmp_path: Path) -> None:
    assert DEMO_NOTE == DEMO_MARK
    with reopen(demo, TODAY) as journal:
        data = backup(journal)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        assert DEMO_MEMBER in archive.namelist()
    assert manifest["demo"] == DEMO_MARK
    with Journal.restore(data, tmp_path / "restored", settings=Settings(today=lambda: TODAY)) as restored:
        assert restored.snapshot().is_demo
    with reopen(real, TODAY) as journal, zipfile.ZipFile(io.BytesIO(backup(journal))) as archive:
        assert "demo" not in json.loads(archive.read(MANIFEST))


def test_the_reminders_say_demo(demo: Path) -> None:
    # The demo's latest session is 27 days old: its weekly check-ins are still ahead.
    with reopen(demo, TODAY) as journal:
        data = journal.workspace().calendar_ics()
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert events and all("(demo journal)" in str(event["SUMMARY"]) for event in events)
    assert all(event.decoded("DTSTART").date() >= TODAY for event in events)


# --- eased cards say when, and calmly -----------------------------------------------------


def test_eased_cards_say_when_they_eased_and_ask_for_nothing(demo: Path) -> None:
    from recovery.vocabulary import EASED, EASED_ADVICE
    from ui.flags_view import card_words

    def card_heading(card) -> str:  # the card's first line on screen
        return card_words(card).split("\n\n")[0]

    view = view_of(demo)
    eased = [card for card in view.cards if not card.is_open]
    assert eased
    for card in eased:
        assert card.eased_on is not None and card.since < card.eased_on <= TODAY
        assert card.advice == EASED_ADVICE and "contact" not in card.advice.lower()
        heading = card_heading(card)
        assert heading.startswith(f"**{EASED}**") and f"eased on {card.eased_on:%d %b}" in heading
        assert card.severity.word not in heading
        days = {flag.first_day: flag.days_since_treatment for flag in card.flags}
        assert f"first seen {card.since:%d %b} (day {days[card.since]})" in heading, "the day of that date"
    (open_card,) = view.open_cards("face")
    assert open_card.eased_on is None and open_card.advice == open_card.lead.advice
    assert card_heading(open_card).startswith(f"**{open_card.severity.word}**")
