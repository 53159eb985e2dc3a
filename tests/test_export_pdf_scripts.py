"""The PDF takes any note in any script: long notes wrap across pages, every script prints.

Rendered with poppler (pdftoppm must draw every page without an error) and
read back with pdftotext, which gives the characters the fonts drew.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from export.pdf import summary_pdf
from export.pdf_fonts import REPLACEMENT, choose_font
from tests import builders
from tests.programs import require_programs

TODAY = dt.date(2026, 11, 24)
LONG = "Day 0. " + "A long note about how the skin felt, what I applied and when. " * 52  # ~3,300 characters
SHORT_LINES = "\n".join(f"line {number}: fine" for number in range(74))
SCRIPTS = {
    "Greek": "Ελαφριά ερυθρότητα",
    "Cyrillic": "Лёгкое покраснение",
    "Chinese": "今天发红减轻了",
    "Japanese": "赤みが引いた",
    "Korean": "붉은기가 줄었다",
    "Arabic": "الاحمرار خفيف اليوم",
    "Hebrew": "האדמומיות פחתה",
}


@pytest.fixture(autouse=True, scope="module")
def poppler() -> None:
    require_programs("pdftoppm", "pdftotext", package="poppler-utils")


def _pdf(tmp_path: Path, notes: list[str], name: str = "") -> Path:
    entries = [
        {"day": TODAY - dt.timedelta(days=len(notes) - 1 - i), "area": "face", "redness": 2, "notes": note}
        for i, note in enumerate(notes)
    ]
    treatment = {"id": 1, "day": TODAY - dt.timedelta(days=len(notes)), "areas": ("face",)}
    view = builders.view(entries, {"name": name}, [treatment], TODAY)
    path = tmp_path / "summary.pdf"
    path.write_bytes(summary_pdf(view))
    return path


def _render(path: Path, tmp_path: Path) -> int:
    """Every page drawn by poppler; returns how many."""
    result = subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], capture_output=True, text=True
    )
    assert result.returncode == 0 and "Error" not in result.stderr, result.stderr
    return len(list(tmp_path.glob("page-*.png")))


def _text(path: Path) -> str:
    """The PDF's text with every run of white space (line breaks of wrapped lines) as one space."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def _letters(text: str) -> str:
    """Only the letters: poppler spaces out joined Arabic letters and marks the right-to-left runs."""
    return "".join(char for char in text if char.isalpha())


def test_a_note_of_3200_characters_and_one_of_74_lines_wrap_across_pages(tmp_path: Path) -> None:
    path = _pdf(tmp_path, [LONG, SHORT_LINES, "short"])
    pages = _render(path, tmp_path)
    text = _text(path)
    assert "Notes in full" in text
    assert "line 73: fine" in text and text.count("A long note about how the skin felt") >= 52
    assert "in full under 'Notes in full'" in text  # the table cell says where the rest is
    assert pages >= 3


@pytest.mark.parametrize("count", [1, 6])
def test_many_long_notes(tmp_path: Path, count: int) -> None:
    path = _pdf(tmp_path, [LONG + str(i) for i in range(count)])
    _render(path, tmp_path)
    assert _text(path).count("Day 0. A long note") >= count


def test_every_script_prints_with_its_own_letters(tmp_path: Path) -> None:
    path = _pdf(tmp_path, list(SCRIPTS.values()), name="Zoë Ελένη 李")
    _render(path, tmp_path)
    text = _text(path)
    for script, note in SCRIPTS.items():
        if script in ("Arabic", "Hebrew"):
            # Right to left, in logical order: every letter, in the order written.
            assert _letters(note) in _letters(text), script
        else:
            assert note in text, script
    assert "??" not in text and REPLACEMENT not in text


def test_emoji_print_and_what_no_font_has_is_marked_visibly(tmp_path: Path) -> None:
    unknown = "\U000f0001"  # a private-use character: no font draws it
    path = _pdf(tmp_path, [f"better today 😀 👍 {unknown} end"])
    _render(path, tmp_path)
    text = _text(path)
    assert "better today" in text and "end" in text
    assert "😀" in text and "👍" in text
    assert REPLACEMENT in text and "??" not in text


def test_only_the_faces_a_journal_needs_are_loaded() -> None:
    latin = choose_font(["fine today", "café"])
    assert [face.family for face in latin.faces] == ["Lato", "NotoSans", "NotoSansSymbols"]
    assert not latin.shaping
    everything = choose_font(SCRIPTS.values())
    families = {face.family for face in everything.faces}
    assert {"NotoSansArabic", "NotoSansHebrew", "NotoSansCJK"} <= families
    assert everything.shaping, "right-to-left and joined letters need the shaping engine"
