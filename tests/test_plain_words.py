"""Plain words first: a patient reads "measured redness", "sharpness", "skin
tone"; the technical names (CIELAB a*, variance of the Laplacian, ITA°, ΔE2000)
are only behind a "Details" fold (in the PDF: one footnote, "Technical names"),
and all of them come from one table (recovery.photo_metric_names)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from recovery.model import Photo
from recovery.photo_metric_names import MEASUREMENT_NAMES, Measure
from tests import photo_journal as pj

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)
TECHNICAL = re.compile(r"CIELAB|Laplacian|ITA°|ΔE|Δa\*|\b[Lab]\*")
# Where a patient reads: the screens and what they are built from.
SCREENS = ("pages", "ui", "charts")


def test_every_measurement_has_a_plain_name_without_jargon() -> None:
    photo_fields = {field.name for field in dataclasses.fields(Photo)}
    for measure, name in MEASUREMENT_NAMES.items():
        assert measure is Measure.COLOUR_DIFFERENCE or measure.value in photo_fields, measure
        assert not TECHNICAL.search(name.plain + name.meaning), name
        assert name.plain == name.plain.lower() and name.technical and name.method
    assert set(MEASUREMENT_NAMES) == set(Measure)
    assert MEASUREMENT_NAMES[Measure.REDNESS].both == "measured redness (CIELAB a*)"
    assert MEASUREMENT_NAMES[Measure.SHARPNESS].technical == "variance of the Laplacian"
    assert MEASUREMENT_NAMES[Measure.SKIN_TONE].title == "Skin tone"


def test_no_screen_spells_a_technical_name_itself() -> None:
    """Every technical name a screen shows comes from the table (and so sits beside its plain name)."""
    found = []
    for folder in SCREENS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if TECHNICAL.search(line) and not line.lstrip().startswith("#"):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


@pytest.fixture
def one_photo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = pj.build(tmp_path / "journal", TODAY, [pj.photo(0)])
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("JOURNAL_TODAY", TODAY.isoformat())
    monkeypatch.setenv("JOURNAL_DATA_DIR", str(folder))
    return folder


def test_the_photo_view_names_each_measurement_plainly_and_the_details_technically(one_photo: Path) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / "gallery.py"), default_timeout=60).run()
    (opener,) = [b for b in at.button if b.label == "Open"]
    opener.click().run()
    assert not at.exception, [e.value for e in at.exception]
    (details,) = [e for e in at.expander if e.label == "Details"]
    inside = " ".join(m.value for m in details.markdown)
    outside = " ".join(m.value for m in at.markdown).replace(inside, "")
    for plain in ("Measured redness", "Sharpness", "Skin tone", "Dark spots found"):
        assert f"**{plain}:**" in outside, plain
    assert not TECHNICAL.search(outside), TECHNICAL.search(outside)
    # Behind the fold: the technical names, each with its plain one.
    for both in ("Measured redness = CIELAB a\\*", "Sharpness = variance of the Laplacian", "Skin tone = ITA°"):
        assert both in inside, both


# --- plain words first: thumbnails, the photo view, the PDF -----------------------------------

PDF_TECHNICAL = re.compile(r"CIELAB|CEA|Draize|Laplacian|ITA°|ΔE|\b[Lab]\*")


def test_a_photo_without_card_or_patch_says_so_plainly() -> None:
    from ui.photo_status import calibration_sentence, calibration_short

    photo = Photo(1, 1, TODAY, "face", 0, Path("p.jpg"), Path("t.jpg"), 640, 480, calibration="none")
    assert calibration_short(photo) == "No card"
    assert "calibrat" not in calibration_short(photo).lower() + calibration_sentence(photo).lower()


def test_skin_tone_reads_plainly_and_keeps_its_technical_name() -> None:
    name = MEASUREMENT_NAMES[Measure.SKIN_TONE]
    assert "angle" not in name.plain and name.technical == "ITA°"


def test_the_pdf_keeps_technical_names_for_one_footnote(one_photo: Path, tmp_path: Path) -> None:
    import subprocess

    from export.pdf import TECHNICAL_NAMES
    from healing_journal import Journal, Settings

    with Journal.open(one_photo, settings=Settings(data_dir=one_photo, today=lambda: TODAY)) as journal:
        (tmp_path / "summary.pdf").write_bytes(journal.export_pdf())
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "summary.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    # The footnote: from "Technical names:" to the next blank line.
    before, heading, rest = text.partition(f"{TECHNICAL_NAMES}:")
    footnote, _, after = rest.partition("\n\n")
    assert heading, "one footnote names the clinical scales and the measurements technically"
    for name in ("CIELAB a*", "Clinician's Erythema Assessment", "Draize"):
        assert name in " ".join(footnote.split()), name
    plain = before + after
    assert not PDF_TECHNICAL.search(plain), PDF_TECHNICAL.search(plain)
