"""The dermatologist's PDF shows each flagged day's photo beside the area's first
photo (the most serious few), and page 1 carries a small chart of the course;
the demo journal's whole summary stays within six pages.

Read back with poppler (pdftotext, pdfimages) as in tests/test_export_pdf.py:
the pictures on each page are counted, and the flagged day's picture is
matched, pixel by pixel, against the photos of the journal.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from export.pdf_flagged import PHOTO_TOLERANCE_DAYS, flagged_photos, nearest_photo
from export.pdf_photos import LANDSCAPE, clean_jpeg, grid_photos
from recovery.view_choice import main_view
from recovery.vocabulary import Area, Severity, View
from tests.demo_journals import DemoJournals
from tests.journals import reopen

TODAY = dt.date(2026, 11, 26)
MAX_PAGES = 6


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_journals: DemoJournals) -> tuple[Path, Path]:
    """The demo journal as `python -m demo` makes it (28 days of the face, with flags), and its PDF."""
    folder = tmp_path_factory.mktemp("flagged") / "journal"
    demo_journals.copy(folder, today=TODAY)
    with reopen(folder, TODAY) as journal:
        pdf = journal.export_pdf()
    path = folder.parent / "summary.pdf"
    path.write_bytes(pdf)
    return folder, path


def _pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in out.split("\f") if page.strip()]


def _images_per_page(path: Path) -> dict[int, int]:
    """How many pictures each page places (pdfimages lists every placement)."""
    listing = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    counts: dict[int, int] = {}
    for line in listing.splitlines()[2:]:
        page = int(line.split()[0])
        counts[page] = counts.get(page, 0) + 1
    return counts


def _pictures(path: Path, page: int, folder: Path) -> list[Image.Image]:
    """The pictures of one page, in the order they are drawn."""
    folder.mkdir(exist_ok=True)
    subprocess.run(["pdfimages", "-j", "-f", str(page), "-l", str(page), str(path), str(folder / "img")], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(folder.glob("img-*.jpg"))]


def _difference(first: Image.Image, second: Image.Image) -> float:
    return float(np.abs(np.asarray(first, np.float32) - np.asarray(second, np.float32)).mean())


def _expected_pairs(folder: Path) -> tuple[list, list, object]:
    """From the journal itself: each flagged (area, day), its nearest photo within the tolerance."""
    with reopen(folder, TODAY) as journal:
        workspace = journal.workspace()
        photos = list(workspace.snapshot.photos)
        flags = list(workspace.view.flags)
        stored = {photo.id: journal.read_photo(photo) for photo in photos}
    flagged = sorted({(f.area, f.first_day) for f in flags})
    pairs = []
    for area, day in flagged:
        near = [p for p in photos if p.area == area and abs((p.day - day).days) <= PHOTO_TOLERANCE_DAYS]
        if near:
            pairs.append((area, day, min(near, key=lambda p: (abs((p.day - day).days), -p.day.toordinal()))))
    return pairs, photos, stored


def test_the_demo_summary_stays_within_six_pages(demo) -> None:
    _, path = demo
    assert len(_pages(path)) <= MAX_PAGES


def test_page_one_has_a_small_chart_of_the_course(demo, tmp_path: Path) -> None:
    _, path = demo
    first = _pages(path)[0]
    assert "The latest course in small" in first and "Face, treated 2026-10-30" in first
    assert _images_per_page(path).get(1) == 1, "the small chart is page 1's one picture"
    # A chart, not a blank: the band's green and the ratings' dark blue are drawn.
    subprocess.run(["pdfimages", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "chart")], check=True)
    (png,) = tmp_path.glob("chart-*.png")
    chart = np.asarray(Image.open(png).convert("RGB"), np.int16)
    width, height = chart.shape[1], chart.shape[0]
    assert width > 3 * height, "a row of small panels"
    green = (chart[..., 1] > chart[..., 0] + 15) & (chart[..., 1] > chart[..., 2])
    blue = (chart[..., 2] > 90) & (chart[..., 0] < 60)
    assert green.mean() > 0.01 and blue.mean() > 0.001


def test_each_flagged_day_is_shown_beside_the_first_photo(demo, tmp_path: Path) -> None:
    folder, path = demo
    pairs, photos, stored = _expected_pairs(folder)
    assert 1 <= len(pairs) <= 4, "the demo's flags fall on a few days with photos"
    pages = _pages(path)
    (number,) = [i for i, text in enumerate(pages, start=1) if "Flagged days beside the first photo" in text]
    text = pages[number - 1]
    # Labelled with the severity, the flag's title, the day and the date.
    assert "See a doctor today: Warning sign: The area feels warm or hot" in text
    # The demo's faint pink on days 8-10 after 1 mm is a watch (clinical rules v3), one with day 3's.
    assert "Keep an eye on it: Sun protection" in text
    for _, day, photo in pairs:
        assert f"{photo.day:%a} {photo.day.isoformat()}" in text
        # A flagged day without its own photo says which day it stands in for.
        assert photo.day == day or f"Nearest to {day:%a %d %b}" in text
    assert text.count("First photo ") == len(pairs)
    # The pictures: two per flagged day, then the fixed-day grid.
    grid = grid_photos(photos)
    assert _images_per_page(path)[number] == 2 * len(pairs) + len(grid)
    pictures = _pictures(path, number, tmp_path / "page")
    candidates = {photo.id: Image.open(io.BytesIO(clean_jpeg(stored[photo.id], LANDSCAPE))) for photo in photos}

    def which(picture: Image.Image) -> int:
        """The journal photo the picture was made from (the very same pixels)."""
        found = min(candidates, key=lambda pid: _difference(picture, candidates[pid].convert("RGB")))
        assert _difference(picture, candidates[found].convert("RGB")) < 1.0
        return found

    first_id = photos[0].id
    for index, (_, _, photo) in enumerate(pairs):
        assert which(pictures[2 * index]) == first_id
        assert which(pictures[2 * index + 1]) == photo.id, f"the photo of {photo.day}"


@dataclass(frozen=True)
class _Flag:
    """What the choice reads of a flag (a real Flag has far more to fill in)."""

    area: Area
    first_day: dt.date
    severity: Severity
    sign: None = None

    @property
    def action(self) -> str:
        return self.severity.word


def _flag(area: str, day: int, severity: Severity) -> _Flag:
    return _Flag(Area(area), dt.date(2026, 1, day), severity)


@dataclass(frozen=True)
class _Photo:
    area: Area
    day: dt.date
    id: int
    view: View = View.UNSPECIFIED


def _photo(area: str, day: int, pid: int, view: View = View.UNSPECIFIED) -> _Photo:
    return _Photo(Area(area), dt.date(2026, 1, day), pid, view)


def test_a_flagged_days_photo_stands_beside_the_first_photo_of_its_own_view() -> None:
    photos = [_photo("face", 1, 1, View.FRONT), _photo("face", 2, 2, View.LEFT), _photo("face", 5, 3, View.LEFT)]
    chosen = flagged_photos([_flag("face", 5, Severity.CONTACT)], photos, {})
    (day,) = chosen.shown
    assert (day.photo.id, day.baseline.id) == (3, 2)


def test_the_pdf_grid_shows_the_view_photographed_on_the_most_days() -> None:
    photos = [_photo("face", 1, 1, View.FRONT), _photo("face", 1, 2, View.LEFT), _photo("face", 4, 3, View.LEFT)]
    photos += [_photo("face", 6, 4), _photo("face", 7, 5)]  # two days of no named view: named views win ties
    assert [p.id for p in main_view(photos)] == [2, 3]


def test_the_most_serious_flagged_days_with_a_photo_are_chosen() -> None:
    photos = [_photo("face", d, d) for d in (1, 3, 5, 7, 9, 11, 20)] + [_photo("neck", 2, 100)]
    flags = [
        _flag("face", 3, Severity.WATCH),
        _flag("face", 3, Severity.CONTACT),  # one day, its most serious flag
        _flag("face", 6, Severity.WATCH),  # no photo that day: day 7 is the nearest (later on a tie)
        _flag("face", 9, Severity.URGENT),
        _flag("face", 11, Severity.WATCH),
        _flag("face", 15, Severity.EMERGENCY),  # no photo within two days
        _flag("neck", 2, Severity.INFO),
    ]
    titles = {flags[1]: "Redness", flags[0]: "Sun protection"}
    chosen = flagged_photos(flags, photos, titles, most=4)  # type: ignore[arg-type]
    assert chosen.flagged_days == 6 and chosen.without_photo == 1
    shown = [(d.area.value, d.day.day, d.photo.id, d.severity) for d in chosen.shown]
    # The four most serious (on a tie the later), by area then date; neck's info note left out.
    assert shown == [
        ("face", 3, 3, Severity.CONTACT),
        ("face", 6, 7, Severity.WATCH),
        ("face", 9, 9, Severity.URGENT),
        ("face", 11, 11, Severity.WATCH),
    ]
    assert chosen.shown[0].titles == ("Redness", "Sun protection")
    assert chosen.shown[0].label == f"{Severity.CONTACT.word}: Redness; Sun protection"
    assert all(d.baseline.id == 1 for d in chosen.shown)
    assert nearest_photo(photos[:1], dt.date(2026, 1, 4)) is None


def test_a_summary_without_flags_has_no_flagged_photos(tmp_path: Path) -> None:
    with reopen(tmp_path / "calm", TODAY) as journal:
        journal.add_treatment(TODAY - dt.timedelta(days=2), "face", needle_depth_mm=0.5)
        for offset in range(3):
            journal.save_entry(TODAY - dt.timedelta(days=2 - offset), "face", redness=max(0, 2 - offset))
        pdf = journal.export_pdf()
    path = tmp_path / "calm.pdf"
    path.write_bytes(pdf)
    text = " ".join(_pages(path))
    assert "Flagged days beside" not in text
    assert re.search(r"None: every logged day stayed within the expected course", text)


def test_the_charts_the_summary_draws_are_valid_vega_lite(demo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF renders its charts without Altair's schema check (it is slow): checked here instead."""
    import export.pdf as pdf_module

    drawn = []
    draw = pdf_module._chart_png

    def recorded(chart):
        drawn.append(chart)
        return draw(chart)

    monkeypatch.setattr(pdf_module, "_chart_png", recorded)
    folder, _ = demo
    with reopen(folder, TODAY) as journal:
        journal.export_pdf()
    assert len(drawn) == 2, "page 1's small chart and the full one"
    for chart in drawn:
        assert chart.to_dict(validate=True)["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
