"""The dermatologist summary PDF: it opens, says what it should, carries no metadata, stays small."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image

from demo.skin import skin_photo
from export.pdf import FOOTER, TITLE, summary_pdf
from export.pdf_fonts import FontChoice, choose_font
from export.pdf_photos import clean_jpeg, grid_photos
from tests import builders
from tests.journals import reopen
from tests.programs import require_programs

TODAY = dt.date(2026, 3, 30)
MAX_BYTES = 5 * 1024 * 1024
SECRET_MAKE = "SecretCam-X1"


@pytest.fixture(autouse=True, scope="module")
def poppler() -> None:
    """The PDF is read back with poppler-utils; without it these tests fail, never skip."""
    require_programs("pdftoppm", "pdftotext", "pdfimages", "pdfinfo", package="poppler-utils")


def _photo_with_exif() -> bytes:
    image = Image.new("RGB", (1200, 900), (214, 160, 140))
    exif = Image.Exif()
    exif[0x010F] = SECRET_MAKE  # Make
    exif[0x0110] = "Model-42"  # Model
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory, demo_journals) -> tuple[Path, bytes]:
    """A 30-day demo journal with a photo every day, an urgent flag, a Unicode note and an EXIF photo."""
    folder = demo_journals.copy(tmp_path_factory.mktemp("pdf") / "journal", days=30, photo_every_day=True, today=TODAY)
    with reopen(folder, TODAY) as journal:
        day = TODAY - dt.timedelta(days=20)
        entry = journal.save_entry(
            day,
            "face",
            redness=3,
            swelling=1,
            spots=1,
            warmth=True,
            sunscreen=False,
            notes="Zażółć gęślą jaźń, Ж, 漢字 😀\x07 " + "a very long note that must wrap " * 12,
        )
        for photo in journal.photos(entry_id=entry):
            journal.delete_photo(photo.id)
        journal.add_photo(entry, _photo_with_exif(), "camera.jpg")
        pdf = journal.export_pdf()
    path = folder.parent / "summary.pdf"
    path.write_bytes(pdf)
    return path, pdf


def _text(path: Path) -> list[str]:
    """pdftotext's text, one string per page."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [page for page in out.split("\f") if page.strip()]


def _page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _assert_renders(path: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(prefix)], check=True)
    (png,) = tmp_path.glob("page*.png")
    with Image.open(png) as image:
        grey = image.convert("L")
        assert grey.size[0] > 400 and grey.size[1] > 600
        dark = sum(grey.histogram()[:128])
        assert dark > 500, "page 1 rendered blank"


def test_pdf_parses_and_page_one_renders(demo_pdf, tmp_path):
    path, pdf = demo_pdf
    assert pdf.startswith(b"%PDF-")
    _assert_renders(path, tmp_path)


def test_text_holds_profile_treatments_flags_and_dates(demo_pdf):
    path, _ = demo_pdf
    text = "\n".join(_text(path))
    first = TODAY - dt.timedelta(days=29)
    assert TITLE in text
    assert "Demo patient" in text
    assert "Fitzpatrick III" in text
    assert f"{first.isoformat()} to {TODAY.isoformat()}: 30 days logged" in text
    assert first.isoformat() in text and (first + dt.timedelta(days=28)).isoformat() in text  # both sessions
    assert "Demo pen" in text and "1 mm" in text and "hyaluronic acid" in text
    # The urgent flag: its date, severity and what the app advised.
    flag_day = (TODAY - dt.timedelta(days=20)).isoformat()
    # Severity in the app's own words, the same as on the cards and in the chart legend.
    assert re.search(rf"{flag_day}\s+Face\s+See a doctor", text)  # the area in the app's words
    assert "See a doctor today: your GP" in text
    # Sun without protection in the first week is not the case here: no risk factor.
    assert "none recorded" in text
    # The photo grid's labels.
    assert "day 0 after session 1" in text and "day 14 after session 1" in text


def test_every_page_has_footer_export_date_and_number(demo_pdf):
    path, _ = demo_pdf
    pages = _text(path)
    assert len(pages) == _page_count(path)
    for number, page in enumerate(pages, start=1):
        assert FOOTER in page
        assert f"Exported {TODAY.isoformat()}" in page
        assert f"Page {number} of {len(pages)}" in page


def test_unicode_notes_print(demo_pdf):
    path, _ = demo_pdf
    text = "\n".join(_text(path))
    assert "Zażółć gęślą jaźń" in text
    assert choose_font().family == "Lato", "the fonts come with the app (requirements.txt)"
    assert "Ж" in text and "漢字" in text  # Cyrillic and CJK from the packaged Noto fonts
    assert "\x07" not in text and "??" not in text


def test_embedded_images_carry_no_exif(demo_pdf, tmp_path):
    path, pdf = demo_pdf
    assert SECRET_MAKE.encode() not in pdf
    assert b"Exif" not in pdf
    subprocess.run(["pdfimages", "-j", str(path), str(tmp_path / "img")], check=True)
    jpegs = sorted(tmp_path.glob("img-*.jpg"))
    assert len(jpegs) >= 6  # D0, 1, 3, 7, 14 and the latest at least
    for jpeg in jpegs:
        data = jpeg.read_bytes()
        assert b"Exif" not in data
        with Image.open(jpeg) as image:
            assert not image.getexif()
            assert "icc_profile" not in image.info
            assert image.size == (600, 450)  # same crop (4:3) and size for every photo


def test_thirty_days_thirty_photos_stay_small_and_short(demo_pdf):
    path, pdf = demo_pdf
    assert len(pdf) < MAX_BYTES
    # Page 1, the chart, the daily table (seven ratings wide, over two pages for
    # 30 days with long notes), the photos.
    assert _page_count(path) <= 6


def test_empty_journal_exports(tmp_path):
    with reopen(tmp_path / "empty", TODAY) as journal:
        pdf = journal.export_pdf()
    path = tmp_path / "empty.pdf"
    path.write_bytes(pdf)
    _assert_renders(path, tmp_path)
    text = "\n".join(_text(path))
    assert "not given" in text and "No treatment recorded" in text and "no days logged" in text
    assert "No photos in this period" in text
    assert FOOTER in text


def test_journal_without_photos_exports(tmp_path):
    with reopen(tmp_path / "j", TODAY) as journal:
        journal.save_profile(name="Ana", fitzpatrick=5)
        journal.add_treatment(TODAY - dt.timedelta(days=3), "neck", device="Pen", needle_depth_mm=1.5, serums="")
        for offset in range(4):
            journal.save_entry(TODAY - dt.timedelta(days=3 - offset), "neck", redness=2, swelling=1, spots=0)
        pdf = journal.export_pdf()
    path = tmp_path / "nophotos.pdf"
    path.write_bytes(pdf)
    _assert_renders(path, tmp_path)
    text = "\n".join(_text(path))
    assert "Ana" in text and "Fitzpatrick V" in text
    assert "Skin type IV-VI" in text and "Deep needling" in text  # risk factors that apply
    assert "1.5 mm" in text
    assert "No photos in this period" in text


def test_area_and_dates_narrow_the_summary(demo_pdf, tmp_path):
    folder = demo_pdf[0].parent / "journal"
    start, end = TODAY - dt.timedelta(days=29), TODAY - dt.timedelta(days=25)
    with reopen(folder, TODAY) as journal:
        pdf = journal.export_pdf(area="face", start=start, end=end, include_photos=False)
    path = tmp_path / "range.pdf"
    path.write_bytes(pdf)
    text = "\n".join(_text(path))
    assert f"{start.isoformat()} to {end.isoformat()}: 5 days logged" in text
    assert (end + dt.timedelta(days=1)).isoformat() not in text
    assert "leave the photos out" in text
    assert _page_count(path) <= 3


def test_core_font_fallback_still_exports(tmp_path):
    core = FontChoice("helvetica")
    assert core.printable("café Ж 😀") == "café ? ?"
    entry = {"day": TODAY, "area": "face", "redness": 1, "notes": "Ж note"}
    view = builders.view([entry], {"name": "Zoë Ж"}, [], TODAY)
    pdf = summary_pdf(view, font=core)
    path = tmp_path / "core.pdf"
    path.write_bytes(pdf)
    text = "\n".join(_text(path))
    assert "Zoë ?" in text and "? note" in text


def _fake(day: int) -> SimpleNamespace:
    return SimpleNamespace(day=dt.date(2026, 1, 1) + dt.timedelta(days=day), days_since_treatment=day)


def test_photo_days_nearest_when_missing_and_no_repeats():
    photos = [_fake(d) for d in (0, 1, 2, 4, 8, 13, 20)]
    chosen = grid_photos(photos)
    assert [g.photo.days_since_treatment for g in chosen] == [0, 1, 2, 8, 13, 20]
    assert [g.target for g in chosen] == ["D0", "D1", "D3", "D7", "D14", "D30"]
    # The latest is always there, once.
    chosen = grid_photos([_fake(d) for d in (0, 1, 3, 7, 14, 30, 41)])
    assert [g.target for g in chosen] == ["D0", "D1", "D3", "D7", "D14", "D30", "latest"]
    assert grid_photos([]) == []


def test_clean_jpeg_crops_scales_and_strips(tmp_path):
    source = tmp_path / "tall.jpg"
    source.write_bytes(_photo_with_exif())
    with Image.open(io.BytesIO(clean_jpeg(source.read_bytes(), (3, 4)))) as image:
        assert image.size == (450, 600)
        assert not image.getexif()


def test_photo_grid_in_a_series_lays_out_one_session():
    """Sessions on day 0 and day 10: photos of the second session are never
    labelled as fixed days of the first, and a session begun days ago is not
    yet laid out (it has little to compare); its newest photo is 'latest'."""

    def photo(day: int) -> SimpleNamespace:
        since = day if day < 10 else day - 10
        return SimpleNamespace(day=dt.date(2026, 11, 10) + dt.timedelta(days=day), days_since_treatment=since)

    chosen = grid_photos([photo(d) for d in (0, 2, 5, 8, 10, 14)])
    assert [(g.photo.day.day, g.target) for g in chosen] == [(10, "D0"), (12, "D3"), (18, "D7"), (24, "latest")]
    # Once the second session spans a week, it is the one laid out.
    chosen = grid_photos([photo(d) for d in (0, 2, 5, 8, 10, 11, 13, 17)])
    assert [g.target for g in chosen if g.photo.day.day >= 20] == ["D0", "D1", "D3", "D7"]
    assert all(g.photo.day.day >= 20 for g in chosen)


def test_photo_pages_print_the_measured_figures(demo_pdf):
    """The README says the PDF carries the measurements: each grid photo has its figures under it."""
    path, _ = demo_pdf
    photo_pages = [page for page in _text(path) if "At fixed days since treatment" in page or "Photos: Face" in page]
    assert photo_pages
    text = "\n".join(photo_pages)
    assert "Under each photo, measured at import" in text
    figures = re.findall(r"redness -?\d+\.\d(?: · vs untreated [+-]\d+\.\d)?(?: · index -?\d+)? · \d+ spots?", text)
    assert len(figures) >= 6, text


def test_the_photo_grid_shows_one_view_and_names_it(tmp_path: Path) -> None:
    """Issue 22: the fixed-day grid compares one view (the one taken on the most days), named."""
    folder = tmp_path / "journal"
    with reopen(folder, TODAY) as journal:
        journal.add_treatment(TODAY - dt.timedelta(days=3), "face")
        for since, seed in ((0, 1), (2, 2)):
            entry = journal.save_entry(TODAY - dt.timedelta(days=3 - since), "face", redness=2)
            journal.add_photo(entry, skin_photo(0.5, seed=seed, size=(400, 300)), f"left-{since}.jpg", view="left")
        journal.add_photo(entry, skin_photo(0.5, seed=9, size=(400, 300)), "front.jpg", view="front")
        pdf = journal.export_pdf()
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    flat = " ".join(" ".join(_text(path)).split())
    assert "All of the same view: Left side." in flat
