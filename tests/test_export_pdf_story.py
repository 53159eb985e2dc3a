"""The PDF gives the dermatologist the whole story on one page (issue: clinical rules v3).

Read back with poppler, as a person reads it: compact flag rows ("Redness 2/4 on
D9 (expected 0)"), one row per cause, whom to see in the words of the advice,
table headings that never break mid-word, the reason for treatment, products
and medicines after it, and what the patient did about each flag. Page 1 is
rendered to test-artifacts/pdf-story-page1.png (and a flags page beside it) so
a person can look at it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from export.pdf import summary_pdf
from recovery.model import FlagResponse
from recovery.view import RecoveryView, judge
from recovery.vocabulary import FlagAction, Severity
from tests import builders

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
T0 = dt.date(2026, 9, 1)
AFTERCARE = {"sunscreen": 1, "sun_avoided": 1, "gentle_products": 1, "hydrated": 1, "makeup_avoided": 1}


def day(offset: int) -> dt.date:
    return T0 + dt.timedelta(days=offset)


def _rows() -> list[dict[str, object]]:
    usual = {0: (3, 2, 1), 1: (2, 1, 1), 2: (1, 1, 0)}
    rows = []
    for offset in range(21):
        redness, swelling, pain = usual.get(offset, (0, 0, 0))
        row: dict[str, object] = {"day": day(offset), "area": "face", **AFTERCARE}
        row.update(redness=redness, swelling=swelling, pain=pain, spots=2 if offset >= 5 else 0, itch=0)
        rows.append(row)
    rows[9].update(redness=2)  # two levels above the band on day 9: a call
    rows[6].update(itchy_bumps=1)  # a product reaction on day 6
    return rows


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> tuple[RecoveryView, Path]:
    treatment = {
        "id": 1, "day": T0, "areas": ["face"], "needle_depth_mm": 1.0, "device": "Pen A6",
        "serums": "Vitamin C glow serum", "practitioner": "Ana Lima", "reason": "Acne scars on both cheeks",
    }  # fmt: skip
    products = [
        {"day": day(3), "kind": "skin product", "name": "Radiance night cream"},
        {"day": day(7), "kind": "antibiotic", "name": "Antibiotic tablets from the GP", "notes": "for 7 days"},
    ]
    snapshot = builders.snapshot(_rows(), [treatment], {"name": "Test patient", "cold_sores": True}, day(20), products)
    view = judge(snapshot)
    warning = next(card for card in view.cards if card.cause[0] == "warnings")
    response = FlagResponse(warning.key, FlagAction.SEEN_BY_DOCTOR, "GP prescribed antibiotics", day(7))
    view = judge(dataclasses.replace(snapshot, responses=(response,)))
    path = tmp_path_factory.mktemp("story") / "summary.pdf"
    path.write_bytes(summary_pdf(view))
    return view, path


def _pages(path: Path, layout: str = "-raw") -> list[str]:
    """pdftotext's text per page: "-raw" keeps a table cell's words together, "-layout" keeps rows."""
    out = subprocess.run(["pdftotext", layout, str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [page for page in out.split("\f") if page.strip()]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_flag_rows_are_compact(story: tuple[RecoveryView, Path]) -> None:
    _, path = story
    text = _flat(" ".join(_pages(path)))
    assert "Redness 2/4 on D9 (expected 0)" in text
    # No scale descriptions quoted in the rows.
    assert "where 'clear" not in text and "almost clear: a slight pink" not in text


def test_the_same_marks_are_one_row_sending_to_a_dermatologist(story: tuple[RecoveryView, Path]) -> None:
    view, path = story
    spot_flags = [f for f in view.flags if f.sign is not None and f.sign.value == "spots"]
    assert len(spot_flags) >= 2, "new marks and lasting marks: several flags"
    text = _flat(" ".join(_pages(path)))
    assert text.count("Book a dermatologist") == 1
    row = text[text.index("Book a dermatologist") - 40 :]
    assert "Contact your practitioner" not in row[:120]


def test_urgent_rows_send_to_a_doctor_and_say_what_the_patient_did(story: tuple[RecoveryView, Path]) -> None:
    _, path = story
    text = _flat(_pages(path)[0] + " " + _pages(path)[1])
    assert "See a doctor today" in text
    assert "Seen by a doctor (2026-09-08): GP prescribed antibiotics" in text
    assert "Radiance night cream" in text and "Vitamin C glow serum" in text


def test_page_one_holds_the_reason_products_and_medicines(story: tuple[RecoveryView, Path]) -> None:
    _, path = story
    first = _flat(_pages(path)[0])
    assert "Acne scars on both cheeks" in first
    assert "Products and medicines after treatment" in first
    assert "Antibiotic tablets from the GP" in first and "for 7 days" in first
    assert "A history of cold sores" in first  # among the risk factors
    # Unanswered questions are counted, never listed one by one.
    assert first.count("not answered") <= 2


def test_daily_table_headings_do_not_break_mid_word(story: tuple[RecoveryView, Path]) -> None:
    _, path = story
    text = "\n".join(_pages(path, "-layout"))
    heading = next(line for line in text.splitlines() if line.lstrip().startswith("Date") and "Aftercare" in line)
    # Each heading whole, on the heading's own line: nothing of it wraps to the next.
    assert re.search(r"\bRed\s+Swell\s+Spots\s+Pain\s+Itch\s+Bleed\s+Dry\s+Aftercare\b", heading), heading
    below = text.splitlines()[text.splitlines().index(heading) + 1]
    assert not re.search(r"\b(ness|ling|s|ding)\b", below.split("Notes")[0]), below


def test_no_advice_says_also_with_nothing_before_it(story: tuple[RecoveryView, Path]) -> None:
    view, _ = story
    for flag in view.flags:
        assert " also " not in flag.advice.split(". ")[0], flag.advice


def test_page_one_and_a_flags_page_are_rendered_for_a_person_to_look_at(story: tuple[RecoveryView, Path]) -> None:
    _, path = story
    assert shutil.which("pdftoppm")
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("pdf-story-page*.png"):
        old.unlink()
    prefix = ARTIFACTS / "pdf-story-page"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(path), str(prefix)], check=True)
    pngs = sorted(ARTIFACTS.glob("pdf-story-page*.png"))
    assert len(pngs) == 2 and all(png.stat().st_size > 10_000 for png in pngs)


def test_severity_of_the_worst_row_leads(story: tuple[RecoveryView, Path]) -> None:
    view, _ = story
    assert view.cards[0].severity is Severity.URGENT
