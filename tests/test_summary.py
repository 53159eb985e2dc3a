"""The 'at a glance' lines of the summary: peak, latest, back within the expected course."""

from __future__ import annotations

import datetime as dt
import subprocess

from healing_journal import Journal
from recovery.model import Entry
from recovery.summary import latest_courses
from recovery.timeline import Placement
from recovery.vocabulary import Area, Sign
from tests.conftest import FIXED_DAY

START = dt.date(2026, 11, 1)


def _entries(ratings: dict[int, int], treatment_id: int = 1, start: dt.date = START, area: str = "face") -> list[Entry]:
    return [
        Entry(
            id=0,
            day=start + dt.timedelta(days=day),
            area=Area(area),
            ratings={Sign.REDNESS: redness, Sign.SWELLING: None, Sign.SPOTS: 0},
            placement=Placement(treatment_id, start, day),
        )
        for day, redness in ratings.items()
    ]


def _redness(lines):
    return next(line for line in lines if line.sign == "redness")


def test_a_textbook_course_is_within_the_expected_course_throughout() -> None:
    line = _redness(latest_courses(_entries({0: 3, 1: 2, 2: 1, 3: 0})))
    assert (line.peak, line.peak_day, line.latest, line.latest_day) == (3, 0, 0, 3)
    assert line.normal_from_day == line.first_day == 0


def test_a_sign_back_in_range_later_says_from_when() -> None:
    line = _redness(latest_courses(_entries({0: 3, 3: 2, 4: 2, 5: 1, 6: 0})))
    assert line.normal_from_day == 5


def test_a_sign_still_above_its_band_is_not_yet_normal() -> None:
    line = _redness(latest_courses(_entries({0: 3, 3: 1, 9: 1})))
    assert line.normal_from_day is None and line.latest_day == 9


def test_only_the_latest_course_of_each_area_counts_and_unrated_signs_are_left_out() -> None:
    first = _entries({0: 4, 5: 3})
    second = _entries({0: 2, 1: 1}, treatment_id=2, start=START + dt.timedelta(days=28))
    neck = _entries({0: 1}, area="neck")
    lines = latest_courses(first + second + neck)
    assert {(line.area, line.sign) for line in lines} == {
        ("face", "redness"),
        ("face", "spots"),
        ("neck", "redness"),
        ("neck", "spots"),
    }
    face = next(line for line in lines if line.area == "face" and line.sign == "redness")
    assert face.treatment_id == 2 and face.peak == 2


def test_the_pdf_opens_with_the_glance_table(journal: Journal, tmp_path) -> None:
    journal.add_treatment(FIXED_DAY - dt.timedelta(days=9), "face")
    for day, redness in {0: 3, 4: 2, 9: 1}.items():
        journal.save_entry(FIXED_DAY - dt.timedelta(days=9 - day), "face", redness=redness)
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(journal.export_pdf())
    page_one = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "At a glance" in page_one
    assert "3 · moderate (day 0)" in page_one
    assert "not yet" in page_one
