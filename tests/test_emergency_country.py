"""The emergency number follows the country.

- A profile's country (ISO 3166-1 alpha-2) makes the emergency and urgent cards
  name that country's number: in the advice (so the PDF prints it too) and, on an
  emergency card, as links a phone dials; no country, or one the table does not
  hold, keeps the general list (112 in Europe, 999 in the UK, 911 in North America).
- The table is sourced (docs/clinical-basis.md, "Emergency numbers"), covers the
  EU/EEA, the UK, North America, Oceania and the Spanish- and Arabic-speaking
  countries the journal is used in, and holds digits only.
- `save_profile(country="XX")` with an unknown code is refused, naming it; the
  country survives a backup and an older journal gains the column empty.

Real journals (SQLite) throughout; the pages are run by AppTest.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from export.fhir import journal_bundle
from healing_journal import Journal
from recovery.card_words import card_words
from recovery.countries import COUNTRY_NAMES, country_of_locale
from recovery.emergency_numbers import EMERGENCY_NUMBERS, GENERAL_CALLS, emergency_calls
from recovery.vocabulary import Severity
from store.errors import InvalidEntry
from store.journal import DB_NAME
from store.schema import migrations
from tests.app_frame import ROOT, open_framed
from tests.journals import reopen
from ui.flags_view import card_words as card_markdown

TODAY = dt.date(2026, 12, 6)
BASIS = ROOT / "docs" / "clinical-basis.md"

# Country -> the number its cards name first, and one they never name.
FOLLOWS = {
    "ES": ("112", "911"),
    "GB": ("999", "911"),
    "US": ("911", "999"),
    "AU": ("000", "911"),
    "SA": ("997", "112"),
    "MX": ("911", "999"),
    "NZ": ("111", "112"),
    "AR": ("107", "999"),
    "EG": ("123", "911"),
}
GENERAL_NUMBERS = [number for number, _ in GENERAL_CALLS]


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with reopen(tmp_path / "journal", TODAY) as opened:
        opened.add_treatment(TODAY - dt.timedelta(days=5), ["face"], needle_depth_mm=1.0, practitioner="Dr Lima")
        yield opened


def _alarm(journal: Journal, sign: str = "lips_throat"):
    journal.save_entry(TODAY, "face", **{sign: True})
    (card,) = [c for c in journal.workspace().view.open_cards("face") if c.severity.rank >= Severity.URGENT.rank]
    return card


def _tels(text: str) -> list[str]:
    return re.findall(r"tel:(\+?\d+)", text)


# --- the cards ---------------------------------------------------------------------------


@pytest.mark.parametrize("country", sorted(FOLLOWS), ids=sorted(FOLLOWS))
def test_the_emergency_card_names_the_number_of_the_country(journal: Journal, country: str) -> None:
    first, never = FOLLOWS[country]
    journal.save_profile(country=country)
    card = _alarm(journal)
    assert card.severity is Severity.EMERGENCY
    name = COUNTRY_NAMES[country]
    assert f"Call emergency services now ({name}: {first}" in card.advice
    shown = card_markdown(card)
    tels = _tels(shown)
    assert tels[0] == first, shown
    assert never not in tels and never not in card.advice
    assert tels == list(EMERGENCY_NUMBERS[country])


@pytest.mark.parametrize("country", [None, "BO"], ids=["not set", "not in the table"])
def test_without_a_known_country_the_card_names_the_general_list(journal: Journal, country: str | None) -> None:
    journal.save_profile(country=country)
    card = _alarm(journal)
    assert "112 in Europe, 999 in the UK, 911 in North America" in card.advice
    assert _tels(card_markdown(card)) == GENERAL_NUMBERS


def test_the_urgent_card_names_the_number_too(journal: Journal) -> None:
    journal.save_profile(country="SA")
    card = _alarm(journal, "pus")
    assert card.severity is Severity.URGENT
    assert "If you feel very unwell, call emergency services (Saudi Arabia: 997 or 911)." in card.advice
    journal.save_profile(country=None)
    card = _alarm(journal, "pus")
    assert "call emergency services (112 in Europe, 999 in the UK, 911 in North America)." in card.advice


def test_the_pain_climb_names_the_number_of_the_country(journal: Journal) -> None:
    journal.save_profile(country="AU")
    start = TODAY - dt.timedelta(days=5)
    for offset, pain in ((3, 1), (4, 2), (5, 3)):
        journal.save_entry(start + dt.timedelta(days=offset), "face", pain=pain)
    flags = [f for f in journal.flags("face") if f.severity is Severity.URGENT]
    assert flags and all("(Australia: 000)" in flag.advice for flag in flags)


def test_a_change_of_country_changes_the_card_at_once(journal: Journal) -> None:
    journal.save_profile(country="US")
    assert "United States: 911" in _alarm(journal).advice
    journal.save_profile(country="JP")
    assert "Japan: 119" in _alarm(journal).advice


def test_the_phone_card_names_the_same_numbers(journal: Journal) -> None:
    from phone.views import card_html

    journal.save_profile(country="AE")
    html = card_html(card_words(_alarm(journal)))
    assert '<a href="tel:998">998</a>' in html and '<a href="tel:999">999</a>' in html
    assert "tel:112" not in html and "tel:911" not in html
    assert "(United Arab Emirates)" in html


# --- the table ---------------------------------------------------------------------------

EU_EEA = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO"
).split()  # fmt: skip
REQUIRED = [*EU_EEA, "GB", "US", "CA", "MX", "AU", "NZ"]
SPANISH = ["ES", "MX", "AR", "CL", "CO", "PE", "VE", "EC", "UY", "PY", "CR", "PA", "DO", "HN"]
ARABIC = ["SA", "AE", "EG", "MA", "TN", "JO", "LB", "QA", "KW", "BH", "OM"]


def test_the_table_covers_europe_north_america_oceania_and_the_spanish_and_arabic_countries() -> None:
    missing = sorted(set(REQUIRED + SPANISH + ARABIC) - set(EMERGENCY_NUMBERS))
    assert missing == []


def test_every_entry_is_a_country_with_digits_only() -> None:
    assert set(EMERGENCY_NUMBERS) <= set(COUNTRY_NAMES)
    for code, numbers in EMERGENCY_NUMBERS.items():
        assert numbers and all(re.fullmatch(r"\d{2,5}", n) for n in numbers), code
        assert len(set(numbers)) == len(numbers), code


def test_the_eu_and_eea_all_answer_112() -> None:
    assert all("112" in EMERGENCY_NUMBERS[code] for code in EU_EEA)


def test_every_country_of_the_table_is_in_the_clinical_basis_with_its_numbers() -> None:
    text = BASIS.read_text()
    section = text.split("## Emergency numbers", 1)[1].split("\n## ", 1)[0]
    for code, numbers in EMERGENCY_NUMBERS.items():
        line = next((row for row in section.splitlines() if f"| {code} |" in row), None)
        assert line is not None, code
        assert all(number in line for number in numbers), (code, line)


@pytest.mark.parametrize(
    ("locale", "country"),
    [("es-ES", "ES"), ("es-MX", "MX"), ("ar-SA", "SA"), ("en_GB", "GB"), ("zh-Hant-TW", "TW"), ("es", None),
     ("en-001", None), ("", None), (None, None), ("xx-ZZ", None)],
    ids=lambda value: repr(value),
)  # fmt: skip
def test_the_country_of_a_browser_language(locale: str | None, country: str | None) -> None:
    assert country_of_locale(locale) == country


def test_no_country_is_the_general_list() -> None:
    assert emergency_calls(None).calls == GENERAL_CALLS and emergency_calls("BO").calls == GENERAL_CALLS


# --- the profile in the journal ------------------------------------------------------------


@pytest.mark.parametrize("code", ["XX", "Spain", "E", 34], ids=["XX", "Spain", "E", "34"])
def test_an_unknown_country_is_refused_by_name(journal: Journal, code: object) -> None:
    journal.save_profile(name="Alex", country="ES")
    with pytest.raises(InvalidEntry, match=re.escape(repr(code))):
        journal.save_profile(name="Alex", country=code)  # type: ignore[arg-type]
    assert journal.profile().country == "ES", "nothing was saved"


def test_the_country_is_stored_in_capitals_and_cleared_with_none(journal: Journal) -> None:
    journal.save_profile(country="es")
    assert journal.profile().country == "ES"
    journal.save_profile(country=None)
    assert journal.profile().country is None


def test_the_database_refuses_a_country_that_is_not_a_code(journal: Journal) -> None:
    with sqlite3.connect(journal.db_path) as db, pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT OR REPLACE INTO profile (id, country) VALUES (1, 'spain')")


def test_a_backup_restores_the_country(journal: Journal, tmp_path: Path) -> None:
    journal.save_profile(name="Alex", country="CL")
    with Journal.restore(journal.backup(), tmp_path / "restored") as restored:
        assert restored.profile().country == "CL"
        assert "Chile: 131" in _alarm(restored).advice


def test_an_older_journal_gains_an_empty_country(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    db = Database(folder / DB_NAME)
    migrations.apply(db, stop_before="m007_profile_country")
    db["profile"].insert({"id": 1, "name": "Old", "version": "0123456789abcdef"})
    db.close()
    with reopen(folder, TODAY) as journal:
        assert journal.profile().name == "Old" and journal.profile().country is None
    with reopen(folder, TODAY) as journal:  # reopening runs nothing again
        applied = [m.name for m in migrations.applied(Database(journal.db_path))]
        assert applied.count("m007_profile_country") == 1


def test_the_fhir_patient_carries_the_country(journal: Journal) -> None:
    journal.save_profile(name="Alex", country="MA")
    bundle = json.loads(journal_bundle(journal.snapshot(), id_seed="t"))
    (patient,) = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert patient["address"] == [{"country": "MA"}]


def test_the_pdf_prints_the_number_of_the_country(journal: Journal, tmp_path: Path) -> None:
    journal.save_profile(name="Alex", country="CO")
    _alarm(journal)
    path = tmp_path / "summary.pdf"
    path.write_bytes(journal.export_pdf())
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "Colombia: 123" in flat
    assert "911 in North America" not in flat


# --- the pages -------------------------------------------------------------------------------


@pytest.fixture
def app_today() -> dt.date:
    return TODAY  # the pages' day (tests/app_frame.py's app_folder)


@pytest.fixture
def folder(app_folder: Path, navigation_only: None) -> Path:
    with reopen(app_folder, TODAY) as journal:
        journal.add_treatment(TODAY - dt.timedelta(days=5), ["face"], needle_depth_mm=1.0)
    return app_folder


def _readable(text: str) -> str:
    return text.replace("\u2060", "").replace("\\", "")


@pytest.mark.parametrize("country", ["ES", "SA"], ids=["ES", "SA"])
def test_log_a_day_and_home_name_the_number_of_the_country(folder: Path, country: str) -> None:
    with reopen(folder, TODAY) as journal:
        journal.save_profile(country=country)
    first, never = FOLLOWS[country]
    at = open_framed("log_day.py")
    at.checkbox(key=f"lips_throat-{TODAY.isoformat()}-face").check().run()
    (button,) = [b for b in at.button if b.label == "Save day"]
    at = button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    ticks = f"Call emergency services at once ({COUNTRY_NAMES[country]}: {first}"
    assert any(ticks in _readable(m.value) for m in at.markdown), "the form names the number above the signs"
    (alarm,) = [_readable(e.value) for e in at.error if "Call emergency services now" in e.value]
    assert f"[{first}](tel:{first})" in alarm and f"tel:{never}" not in alarm
    home = open_framed("home.py")
    assert not home.exception
    banner = _readable(home.error[0].value)
    assert f"[{first}](tel:{first})" in banner and f"tel:{never}" not in banner


def test_the_profile_offers_the_country_of_the_browser_and_saves_it_when_confirmed(folder: Path) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "journal_app.py"), default_timeout=30)
    at.context = {"locale": "es-MX"}
    at = at.run().switch_page("pages/treatments.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="profile-country").value == "MX"
    assert any("Suggested from your browser's language" in c.value for c in at.caption)
    (button,) = [b for b in at.button if b.label == "Save profile"]
    at = button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    with reopen(folder, TODAY) as journal:
        assert journal.profile().country == "MX"
    assert any("Emergency number on the cards: Mexico: 911." in c.value for c in at.caption)


def test_a_saved_country_is_not_replaced_by_the_browser_language(folder: Path) -> None:
    from streamlit.testing.v1 import AppTest

    with reopen(folder, TODAY) as journal:
        journal.save_profile(country="GB")
    at = AppTest.from_file(str(ROOT / "journal_app.py"), default_timeout=30)
    at.context = {"locale": "es-ES"}
    at = at.run().switch_page("pages/treatments.py").run()
    assert at.selectbox(key="profile-country").value == "GB"
    at.selectbox(key="profile-country").set_value("AU")
    (button,) = [b for b in at.button if b.label == "Save profile"]
    at = button.click().run()
    with reopen(folder, TODAY) as journal:
        assert journal.profile().country == "AU"
