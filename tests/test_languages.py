"""The patient's language (issue 23): stored with the journal, followed by the cards and
the exports, spoken per run (never a process-wide switch), and the served page's lang/dir.

- `save_profile(language="es")` ("en", "es", "ar") is stored; any other code is refused
  with a clear message and nothing saved; an older journal gains the column empty.
- The cards and the PDF speak the profile's language; an export names another
  (`export_pdf(language="ar")`); the Arabic words come back from the PDF in order.
- Two threads speaking different languages at once each get their own words.
- The access gate sets <html lang dir> on the served page from the profile.

Real journals (SQLite), real PDF read back with poppler.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from access import document
from healing_journal import Journal
from recovery import flag_words
from recovery.card_words import card_words
from recovery.language import _, day_month, left_to_right, speaking
from recovery.vocabulary import Severity, Sign
from store.errors import InvalidEntry
from store.journal import DB_NAME
from store.schema import migrations
from tests.journals import reopen
from tests.programs import require_programs

TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with reopen(tmp_path / "journal", TODAY) as opened:
        opened.add_treatment(TODAY - dt.timedelta(days=5), ["face"], needle_depth_mm=1.0, practitioner="Dr Lima")
        yield opened


def _emergency_card(journal: Journal, language: str | None = None):  # type: ignore[no-untyped-def]
    journal.save_entry(TODAY, "face", breathing=True)
    view = journal.workspace(language).view
    (card,) = [c for c in view.open_cards("face") if c.severity is Severity.EMERGENCY]
    return card


def _in(code: str, message: str) -> str:
    with speaking(code):
        return _(message)


# --- stored with the journal ------------------------------------------------------------


@pytest.mark.parametrize("code", ["en", "es", "ar"])
def test_the_language_is_stored_with_the_journal(journal: Journal, code: str) -> None:
    journal.save_profile(name="Alex", language=code)
    assert journal.profile().language == code
    assert document.page_language(journal.folder) == code


def test_an_unknown_language_is_refused_and_nothing_is_saved(journal: Journal) -> None:
    journal.save_profile(name="Alex", language="es")
    with pytest.raises(InvalidEntry, match=r"Unknown language 'fr'.*'es' \(Español\)"):
        journal.save_profile(name="Changed", language="fr")
    assert journal.profile().name == "Alex" and journal.profile().language == "es"


def test_an_older_journal_gains_the_language_not_chosen(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    db = Database(folder / DB_NAME)
    migrations.apply(db, stop_before="m009_profile_language")
    db["profile"].insert({"id": 1, "name": "Old", "version": "0123456789abcdef"})
    db.close()
    with reopen(folder, TODAY) as journal:
        assert journal.profile().name == "Old" and journal.profile().language is None
        assert document.page_language(folder) == "en"


# --- the cards and the exports follow it ---------------------------------------------------


def test_the_emergency_card_speaks_the_profiles_language(journal: Journal) -> None:
    """The flags are judged in the workspace's language; a card's words are said in the
    language of the run that shows them (the app's run speaks the profile's)."""
    journal.save_profile(country="ES", language="es")
    card = _emergency_card(journal)
    with speaking("es"):
        words = card_words(card)
        assert words.severity == _("Call emergency services now") != "Call emergency services now"
        assert words.advice == flag_words.emergency_advice(card.calls) and "España: 112" in words.advice
        assert _("Trouble breathing or swallowing") in words.title


def test_arabic_names_the_country_and_its_numbers_in_arabic(journal: Journal) -> None:
    journal.save_profile(country="SA", language="ar")
    card = _emergency_card(journal)
    with speaking("ar"):
        words = card_words(card)
        assert words.since == f"مفتوح منذ {day_month(TODAY)} (اليوم 5)"
    assert "المملكة العربية السعودية: 997 أو 911" in words.advice


def test_a_script_names_another_language_than_the_profiles(journal: Journal) -> None:
    journal.save_profile(language="es")
    assert _emergency_card(journal, "en").lead.advice.startswith("Call emergency services now")
    assert _emergency_card(journal).lead.advice.startswith(_in("es", "Call emergency services now"))


def test_two_threads_speak_their_own_language_at_once(journal: Journal) -> None:
    """Streamlit runs each session's page in its own thread: one patient's language never leaks."""
    seen: dict[str, list[str]] = {"es": [], "ar": []}
    start = threading.Barrier(2)

    def speak(code: str) -> None:
        start.wait()
        for _round in range(200):
            with speaking(code):
                seen[code].append(Sign.REDNESS.label)

    threads = [threading.Thread(target=speak, args=(code,)) for code in seen]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(seen["es"]) == {"Enrojecimiento"} and set(seen["ar"]) == {"الاحمرار"}
    assert Sign.REDNESS.label == "Redness"  # this thread was never switched


# --- the PDF read back --------------------------------------------------------------------


def _letters(text: str) -> str:
    """Only the letters: poppler spaces out joined Arabic letters and marks right-to-left runs."""
    return "".join(char for char in text if char.isalpha())


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    require_programs("pdftotext", package="poppler-utils")
    path = tmp_path / "summary.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_arabic_pdf_gives_back_the_arabic_words_in_order(journal: Journal, tmp_path: Path) -> None:
    journal.save_profile(country="SA")
    journal.save_entry(TODAY - dt.timedelta(days=1), "face", redness=3)
    journal.save_entry(TODAY, "face", breathing=True)
    text = _pdf_text(journal.export_pdf(include_photos=False, language="ar"), tmp_path)
    assert "\ufffd" not in text  # every Arabic letter had a font
    letters = _letters(text)
    (redness,) = [flag for flag in journal.workspace("ar").view.flags if flag.sign is Sign.REDNESS]
    with speaking("ar"):
        expected = [
            Sign.REDNESS.label,
            _("Call emergency services now"),
            " ".join(redness.advice.split()[:3]),  # the first words of a paragraph wrapped in its cell
        ]
    for words in expected:
        assert _letters(words) in letters, words
    assert "997" in text


def test_the_pdf_follows_the_profiles_language_and_english_stays_english(journal: Journal, tmp_path: Path) -> None:
    journal.save_entry(TODAY, "face", breathing=True)
    journal.save_profile(language="es")
    spanish = " ".join(_pdf_text(journal.export_pdf(include_photos=False), tmp_path).split())
    english = " ".join(_pdf_text(journal.export_pdf(include_photos=False, language="en"), tmp_path).split())
    assert _in("es", "Call emergency services now") in spanish and "Call emergency services now" not in spanish
    assert "Call emergency services now" in english


PDF_HEADINGS = ("Treatments", "Flags raised by the app", "At a glance", "Daily ratings, aftercare and warning signs")


def test_the_spanish_pdf_has_its_headings_columns_and_footer_in_spanish(journal: Journal, tmp_path: Path) -> None:
    journal.save_entry(TODAY - dt.timedelta(days=1), "face", redness=3)
    text = " ".join(_pdf_text(journal.export_pdf(include_photos=False, language="es"), tmp_path).split())
    for english in (*PDF_HEADINGS, "Microneedling recovery summary", "Patient-recorded observations, not a diagnosis."):
        assert _in("es", english) in text, english
        assert english not in text
    assert "Resumen de la recuperación" in text  # written in the catalogue, not the English itself
    assert "Página 1 de" in text and "Page 1" not in text


def test_the_arabic_pdf_gives_back_its_headings_in_order(journal: Journal, tmp_path: Path) -> None:
    journal.save_entry(TODAY - dt.timedelta(days=1), "face", redness=3)
    text = _pdf_text(journal.export_pdf(include_photos=False, language="ar"), tmp_path)
    letters = _letters(text)
    for english in (
        *PDF_HEADINGS,
        "Microneedling recovery summary",
        "What the app advised",
        "Within the expected course",
    ):
        arabic = _in("ar", english)
        assert arabic != english and _letters(arabic) in letters, english
    assert "Treatments" not in text and "Page 1" not in text


# --- the served page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "tag"), [("ar", b'<html lang="ar" dir="rtl">'), ("es", b'<html lang="es" dir="ltr">')]
)
def test_the_served_page_names_its_language_and_direction(code: str, tag: bytes) -> None:
    page = b'<!doctype html><html lang="en"><head></head><body></body></html>'
    assert document.rewritten(page, code) == page.replace(b'<html lang="en">', tag)
    assert document.is_page_request("GET", "/") and document.is_page_request("GET", "/log_day")
    assert not document.is_page_request("GET", "/static/js/index.js")
    assert not document.is_page_request("GET", "/_stcore/health")


def test_a_path_in_an_arabic_sentence_keeps_reading_left_to_right() -> None:
    with speaking("ar"):
        assert left_to_right("/home/me/journal") == "\u2066/home/me/journal\u2069"
    with speaking("es"):
        assert left_to_right("/home/me/journal") == "/home/me/journal"


def _callback_app() -> None:
    import streamlit as st

    from recovery.language import current, use
    from ui.language import in_page_language

    use("es")  # what journal_app does for the page, after Streamlit has run the callbacks
    heard = st.session_state.setdefault("heard", [])
    st.button("plain", on_click=lambda: heard.append(("plain", current())))
    st.button("kept", on_click=in_page_language(lambda: heard.append(("kept", current()))))
    use("en")  # the next run starts in English, as a new run's thread does


def test_a_widgets_callback_speaks_the_page_language_it_was_made_in() -> None:
    """Streamlit runs a callback before the page's run sets the journal's language: a
    refused photo or a recorded share would otherwise be said in English."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_callback_app).run()
    at.button[0].click().run()
    at.button[1].click().run()
    assert at.session_state["heard"] == [("plain", "en"), ("kept", "es")]


def test_a_journal_folder_that_cannot_be_read_has_no_language_and_raises_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root every folder is readable here, so the operating system's refusal is staged."""
    from store.journal import stored_language

    def refused(self: Path) -> bool:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "is_file", refused)
    assert stored_language(tmp_path) is None
