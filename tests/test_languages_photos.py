"""Photos in the patient's language (issue 23): why a photo is refused or may need
retaking, its technical figures, the PDF's measurement names, and the label drawn
on a comparison picture, in Spanish and Arabic; and where the advice comes from
(our own words translated, the citations as published).

The reasons are kept in English where they are stored (a photo's card and alignment
problems are columns of the journal) and translated where they are shown, so the
checks here go through the real store, the real PDF (read back with poppler) and
real drawing with Pillow.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from photometry import alignment
from photometry.lighting import UNCHECKED_MESSAGE
from recovery.course import EXPECTED_COURSE
from recovery.flags import RULES
from recovery.language import _, speaking
from recovery.model import Photo
from recovery.photo_metric_names import MEASUREMENT_NAMES, Measure
from recovery.photo_trend import SOURCE as PHOTO_SOURCE
from recovery.source_words import OWN_WORDS, said_source
from store.errors import PhotoRejected, StorageError
from store.photos.analysed import lighting_note, retake_reasons
from tests.browser import ARTIFACTS
from tests.journals import reopen
from tests.photo_journal import build, photo
from tests.programs import require_programs
from ui import photo_composites, photo_numbers, photo_status
from ui.photo_paging import Window, window_label

TODAY = dt.date(2026, 12, 6)
DARK = "Part of the photo is too dark to see. Use more, softer light."
CARD_UNREADABLE = "the card's grey patches cannot be read (too dark or covered)"  # as photometry stores it


def _in(code: str, message: str) -> str:
    with speaking(code):
        return _(message)


def _arabic(text: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in text)


# --- why a photo may need retaking, or was refused ---------------------------------------------------


def test_a_too_dark_photo_is_said_in_spanish() -> None:
    row = {"id": 7, "clipped_shadows": 0.5, "sharpness": 40.0}
    with speaking("es"):
        reasons = retake_reasons(row, None)
    assert reasons == [_in("es", DARK)]
    assert reasons[0] != DARK and "oscura" in reasons[0]
    assert retake_reasons(row, None) == [DARK]  # English where English is spoken


def test_a_stored_card_problem_is_said_in_arabic_around_and_inside() -> None:
    """The problem is stored in photometry's English; the sentence and the problem are both translated."""
    row = {"id": 7, "card_found": 1, "card_problem": CARD_UNREADABLE}
    with speaking("ar"):
        (reason,) = retake_reasons(row, None)
    assert reason == _in("ar", "The reference card is in the photo, but {problem}.").format(
        problem=_in("ar", CARD_UNREADABLE)
    )
    assert _arabic(reason) and "card" not in reason


def test_light_not_checked_and_the_photo_page_say_it_in_spanish() -> None:
    measured_before_probes = {"id": 3, "mean_r": 120.0}
    with speaking("es"):
        note = lighting_note(measured_before_probes, None)
        stored = cast(
            Photo,
            SimpleNamespace(measuring=False, calibration="none", card_problem=CARD_UNREADABLE, is_calibrated=False),
        )
        sentence = photo_status.calibration_sentence(stored)
    assert note == _in("es", UNCHECKED_MESSAGE) and note != UNCHECKED_MESSAGE
    assert _in("es", CARD_UNREADABLE) in sentence and CARD_UNREADABLE not in sentence


def test_a_refused_file_is_named_in_spanish(tmp_path: Path) -> None:
    with reopen(tmp_path / "journal", TODAY) as journal:
        journal.add_treatment(TODAY - dt.timedelta(days=2), ["face"])
        entry = journal.save_entry(TODAY, "face", redness=1)
        with speaking("es"), pytest.raises(PhotoRejected) as refused:
            journal.add_photo(entry, b"", "vacia.jpg")
        assert str(refused.value) == "vacia.jpg: " + _in(
            "es", "the file is empty: it holds no picture (try copying or exporting the photo again)"
        )
        assert "el archivo está vacío" in str(refused.value)
        assert not journal.photos(entry_id=entry)  # nothing left behind


@pytest.mark.parametrize("measure_later", [False, True], ids=["measured-at-once", "measured-later"])
def test_a_photo_that_cannot_be_written_is_said_in_spanish(tmp_path: Path, measure_later: bool) -> None:
    """The files are written in a helper thread: it speaks the caller's language too."""
    import shutil

    folder = tmp_path / "journal"
    with reopen(folder, TODAY) as journal:
        journal.add_treatment(TODAY - dt.timedelta(days=2), ["face"])
        entry = journal.save_entry(TODAY, "face", redness=1)
        for kind in ("photos", "thumbs"):  # folders that cannot hold files: every write fails
            shutil.rmtree(folder / kind, ignore_errors=True)
            (folder / kind).write_bytes(b"")
        with speaking("es"), pytest.raises(StorageError) as failed:
            journal.add_photo(entry, photo(0), "cara.jpg", measure_later=measure_later)
        spanish = _in("es", "The photo could not be written to {folder}: {why}.").split("{folder}")[0]
        assert spanish != "The photo could not be written to "
        assert str(failed.value).startswith(spanish), str(failed.value)
        assert not journal.photos(entry_id=entry)  # nothing left behind


def test_a_photos_figures_have_the_languages_names_and_decimal_mark() -> None:
    shown = cast(
        Photo,
        SimpleNamespace(
            **{
                **dict.fromkeys((m.value for m in Measure), None),
                "a_star": 14.25,
                "spot_fraction": 0.123,
                "ita": 30.5,
            },
            ita_category="intermediate",
            registration=None,
            card_correction=None,
            card_residual_delta_e=None,
            mm_per_px=0.05,
            region_covered=False,
            clipped_highlights=0.02,
            clipped_shadows=0.0,
        ),
    )
    with speaking("es"):
        lines = "\n".join(photo_numbers.plain_lines(shown))
        details = "\n".join(photo_status.details(shown))
    assert "Rojez medida:** 14,2." in lines  # the plain name and the decimal comma
    assert "12,3\u00a0%" in lines and "30,5" in lines and "intermedia" in lines and "intermediate" not in lines
    assert "0,0500 mm por píxel" in details and "Blanco quemado: 2,0\u00a0%" in details
    assert "Measured" not in lines and "Scale" not in details
    with speaking("ar"):
        arabic = "\n".join(photo_numbers.plain_lines(shown))
    assert _in("ar", "measured redness") in arabic and "Measured" not in arabic


# --- the PDF's measurement names ----------------------------------------------------------------------


def _letters(text: str) -> str:
    """Only the letters: poppler spaces out joined Arabic letters and marks right-to-left runs."""
    return "".join(char for char in text if char.isalpha())


def test_the_arabic_pdf_names_the_photo_measurements_in_arabic_in_order(tmp_path: Path) -> None:
    require_programs("pdftotext", package="poppler-utils")
    folder = build(tmp_path / "journal", TODAY, [photo(0), photo(1), photo(2)])
    with reopen(folder, TODAY) as journal:
        pdf = journal.export_pdf(language="ar")
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "\ufffd" not in text
    letters = _letters(text)
    with speaking("ar"):
        key = [
            _("redness"),
            MEASUREMENT_NAMES[Measure.REDNESS].plain,
            _("vs untreated"),
            MEASUREMENT_NAMES[Measure.REDNESS_VS_UNTREATED].plain,
            _("index"),
            MEASUREMENT_NAMES[Measure.ERYTHEMA_INDEX].plain,
            _("spots"),
            MEASUREMENT_NAMES[Measure.SPOT_COUNT].plain,
        ]
    # The key under the photos, its words in the order written.
    at = letters.index(_letters(key[0] + key[1]))
    for words in key[1:]:
        found = letters.index(_letters(words), at)
        assert found >= at, words
        at = found
    for english in ("Under each photo", "measured redness", "vs untreated", "dark spots found"):
        assert english not in text, english


# --- the label drawn on a comparison picture ------------------------------------------------------------


def _drawn(labels: tuple[str, str]) -> np.ndarray:
    side = Image.new("RGB", (480, 360), (180, 140, 120))
    return np.asarray(photo_composites.wipe(side, side, 0.5, labels=labels))


def test_an_arabic_label_is_drawn_in_arabic_letters_joined_by_shaping() -> None:
    day = cast(Photo, SimpleNamespace(day=dt.date(2026, 11, 24)))
    label = "24 نوفمبر 2026 · اليوم 3"
    with speaking("ar"):
        face = photo_composites.label_font()
        drawn = photo_composites.drawn_label(day, label)
        picture = _drawn((drawn, ""))
        fallback = _drawn((day.day.isoformat(), ""))
    assert face is not None and face.name == photo_composites.ARABIC_FACE  # the PDF's Arabic face, shaped (raqm)
    assert drawn == "24 نوفمبر 2026، اليوم 3"  # the words, not the digits; the face has no "·"
    assert (picture != fallback).any()
    # Shaped: the letters joined and ordered right to left, unlike the same face laid out letter by letter.
    size = max(12, 360 // 24)
    shaped = alignment.label_face(face, size)
    basic = ImageFont.truetype(str(face), size, layout_engine=ImageFont.Layout.BASIC)
    assert _ink(drawn, shaped) != _ink(drawn, basic)
    # What is drawn is that shaped text: the label's box in the picture matches it.
    box = ImageDraw.Draw(Image.new("RGB", (1, 1))).textbbox((0, 0), drawn, font=shaped)
    assert (picture[: box[3], : box[2]] == 255).any()
    ARTIFACTS.mkdir(exist_ok=True)
    Image.fromarray(picture).save(ARTIFACTS / "label-ar.png")  # kept, to be looked at


def _ink(text: str, font: ImageFont.FreeTypeFont) -> bytes:
    image = Image.new("L", (600, 60))
    ImageDraw.Draw(image).text((5, 5), text, fill=255, font=font)
    return image.tobytes()


def test_a_label_the_face_cannot_draw_whole_falls_back_to_the_day_in_digits() -> None:
    day = cast(Photo, SimpleNamespace(day=dt.date(2026, 11, 24)))
    with speaking("ar"):
        assert photo_composites.drawn_label(day, "24 نوفمبر 2026 (2)") == "2026-11-24"  # no brackets in the face
    with speaking("es"):
        assert photo_composites.drawn_label(day, "24 nov 2026 · día 3") == "24 nov 2026 · día 3"


# --- where the advice comes from ------------------------------------------------------------------------


def test_a_source_keeps_its_citation_and_says_our_own_words_in_spanish() -> None:
    source = "Microneedling patient guide, 'When to Seek Medical Attention'; Review of published studies (Nov 2026)"
    with speaking("es"):
        said = said_source(source)
    assert said == (
        "Guía para pacientes sobre microneedling, 'When to Seek Medical Attention'; "
        "Revisión de estudios publicados (nov. 2026)"
    )
    assert said_source(source) == source  # English as written


@pytest.mark.parametrize("code", ["es", "ar"])
def test_no_source_of_a_rule_or_band_keeps_our_own_english_words(code: str) -> None:
    sources = {band.source for band in EXPECTED_COURSE} | {rule.source for rule in RULES.values()} | {PHOTO_SOURCE}
    with speaking(code):
        said = {source: said_source(source) for source in sources}
    left = [(source, own) for source, words in said.items() for own in OWN_WORDS if own in words]
    assert not left, left
    # Each source with any of our words is said differently; the citations' authors stay.
    assert sum(words != source for source, words in said.items()) >= len(sources) // 2
    assert any("Martin & Huang, JAAD Case Rep 2021" in words for words in said.values())


def test_the_photos_pages_are_listed_in_spanish_and_arabic() -> None:
    photos = [cast(Photo, SimpleNamespace(day=dt.date(2026, 10, 1) + dt.timedelta(days=n))) for n in range(40)]
    with speaking("es"):
        spanish = window_label(Window(8, 16, 40), photos)
    with speaking("ar"):
        arabic = window_label(Window(39, 40, 40), photos)
    assert spanish == "Fotos 9-16 de 40: 9 oct a 16 oct 2026"
    assert arabic.startswith("الصورة 40 من 40: ") and _arabic(arabic.split(":")[1])


def test_the_measured_redness_source_is_english_words_whatever_language_imports_it() -> None:
    """Made once at import: its words are translated where shown (said_source), never frozen."""
    import sys

    script = "from recovery.language import use; use('es'); from recovery.photo_trend import SOURCE; print(SOURCE)"
    root = Path(__file__).resolve().parent.parent
    said = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True)
    assert said.stdout.startswith("Healing Journal: measured redness from your photos"), said.stdout


def test_a_time_lapse_kept_in_one_language_is_made_again_in_another() -> None:
    """The frames carry the day drawn in words: the kept GIF is keyed by the language too."""
    from store.photos.analysed import default_region
    from ui.seeing_change import _signature

    with speaking("en"):
        english = _signature([], default_region())
    with speaking("ar"):
        arabic = _signature([], default_region())
    assert english != arabic
