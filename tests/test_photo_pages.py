"""The photo screens of issue 13, driven with Streamlit's AppTest against real journals.

Photos page: the reference card downloads (real PDF and PNG bytes, made when
asked for), every photo's calibration and alignment in plain words with the
figures behind a fold, two days compared at the same lined-up crop with a
wipe slider (side by side when a photo cannot be lined up), and an aligned
time-lapse. Log a day: "Retake?" right after a blurred upload, and deleting
the photo with one click.

What the page shows as pictures and downloads is read back from Streamlit's
own media store (the test harness's MediaFileManager is recorded, not
replaced), so the tests check the very bytes a browser would get.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest, app_test

from healing_journal import Journal, Settings
from photometry import card
from store.photos.analysed import Region
from tests import photo_journal as pj
from ui import photo_composites, seeing_change, session
from ui.photo_status import BEING_MEASURED
from ui.widgets import escape_markdown

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)
TIMEOUT = 60
RETAKE = "may not compare well with your other photos"  # the question in the "Retake?" dialog


class _Recorded(MediaFileManager):
    """Streamlit's own media manager, remembered so a test can read what a run stored."""

    latest: MediaFileManager | None = None

    def __init__(self, storage) -> None:
        super().__init__(storage)
        _Recorded.latest = self


@pytest.fixture(autouse=True)
def _app_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # .streamlit/config.toml (127.0.0.1 only)
    monkeypatch.setenv("JOURNAL_TODAY", TODAY.isoformat())
    monkeypatch.setattr(app_test, "MediaFileManager", _Recorded)


def _use(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Path:
    monkeypatch.setenv("JOURNAL_DATA_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def three_days(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Day 0 and day 2 of the same skin with the card, framed differently; day 4 of other skin."""
    folder = tmp_path_factory.mktemp("photos") / "journal"
    return pj.build(folder, TODAY, [pj.photo(0), pj.photo(1), pj.stray()])


@pytest.fixture(scope="module")
def aligned_days(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four days of the same skin, every photo lined up with the first."""
    folder = tmp_path_factory.mktemp("aligned") / "journal"
    return pj.build(folder, TODAY, [pj.photo(0), pj.photo(1), pj.photo(2), pj.photo(3, card=False)])


def _open(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=TIMEOUT).run()
    _clean(at)
    return at


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _stored(url: str) -> bytes:
    assert _Recorded.latest is not None and url, url
    return _Recorded.latest._storage.get_file(url.rsplit("/", 1)[-1]).content  # type: ignore[attr-defined]


def _image_bytes(element) -> bytes:
    (shown,) = element.proto.imgs
    return _stored(shown.url)


def _download(at: AppTest, label: str) -> tuple[bytes, str]:
    """What pressing a download button would send: made now if the button defers it."""
    (button,) = [b for b in at.get("download_button") if b.proto.label == label]
    proto = button.proto
    if proto.deferred_file_id:
        assert not proto.url, "deferred: nothing is made before the press"
        assert _Recorded.latest is not None
        return _stored(_Recorded.latest.execute_deferred(proto.deferred_file_id)), "deferred"
    return _stored(proto.url), "ready"


def _button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


# --- the reference card ---------------------------------------------------------------


@pytest.mark.parametrize("folder_fixture", ["three_days", "empty"])
def test_the_reference_card_downloads_as_real_pdf_and_png(
    folder_fixture: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "new" if folder_fixture == "empty" else request.getfixturevalue(folder_fixture)
    _use(monkeypatch, folder)
    at = _open("gallery.py")
    (expander,) = [e for e in at.expander if e.label == "Reference card for steadier photos"]
    text = " ".join(m.value for m in expander.markdown)
    assert "hold beside the treated skin" in text and "compared fairly" in text
    assert "100 %" in text and "matte paper" in text and "50 mm" in text

    pdf, how = _download(at, "Download card (PDF)")
    assert how == "deferred"
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    # One page, A4 wide (210 mm) and Letter high (11 in), in points: it prints at 100 % on either.
    assert b"/MediaBox [0 0 595.28 792.00]" in pdf and b"/Count 1" in pdf

    png, how = _download(at, "Download card (PNG)")
    assert how == "deferred"
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG"
    assert picture.info["dpi"][0] == pytest.approx(card.PNG_DPI, abs=0.5)
    assert picture.width == round(card.PAGE_WIDTH_MM * card.PNG_DPI / 25.4)


# --- calibration and alignment in plain words -------------------------------------------


def test_every_photo_says_how_it_was_calibrated_and_lined_up(three_days: Path, monkeypatch) -> None:
    _use(monkeypatch, three_days)
    at = _open("gallery.py")
    statuses = [c.value for c in at.caption if "·" in c.value and ("Card" in c.value or "card" in c.value)]
    assert statuses == ["Card ✓ · First photo", "Card ✓ · Lined up", "No card · Not lined up"]

    # The photo view: two plain sentences, the figures only inside "Details".
    [b for b in at.button if b.label == "Open"][1].click().run()
    _clean(at)
    words = " ".join(m.value for m in at.markdown)
    assert "Calibrated with the reference card" in words and "Lined up with your first photo" in words
    (details,) = [e for e in at.expander if e.label == "Details"]
    figures = " ".join(m.value for m in details.markdown)
    assert "Registration" in figures and "ΔE2000" in figures and "mm per pixel" in figures
    outside = words.replace(figures, "")
    assert "ΔE2000" not in outside and "px" not in outside

    at = _open("gallery.py")
    [b for b in at.button if b.label == "Open"][2].click().run()
    words = " ".join(m.value for m in at.markdown)
    assert "No reference card" in words and "Could not be lined up" in words and "same skin" in words


def test_a_photo_still_being_measured_says_so_on_photos_and_is_not_compared_yet(tmp_path: Path, monkeypatch) -> None:
    _use(monkeypatch, _first_photo_yesterday(tmp_path / "journal"))
    journal = session.journal()
    journal.photo_work.close()  # held back: what the page shows until it is measured
    journal.add_photo(journal.save_entry(TODAY, "face"), pj.photo(1), filename="today.jpg", measure_later=True)
    at = _open("gallery.py")
    captions = [c.value for c in at.caption]
    assert BEING_MEASURED in captions and "Card ✓ · First photo" in captions
    assert any("Still being lined up and measured, so not compared yet" in c for c in captions)
    [b for b in at.button if b.label == "Open"][1].click().run()
    words = " ".join(m.value for m in at.markdown)
    assert "being lined up with your first photo" in words and "Calibrated" not in words

    journal.measure_waiting()
    at = _open("gallery.py")
    captions = [c.value for c in at.caption]
    assert BEING_MEASURED not in captions and "Card ✓ · Lined up" in captions
    assert not any("Still being lined up" in c for c in captions)


# --- comparing two days ----------------------------------------------------------------


def _compare(at: AppTest):
    """The comparison picture: the one image in the "Compare two days" tab."""
    (tab,) = [t for t in at.tabs if t.label == "Compare two days"]
    return tab.image


def test_two_days_are_compared_at_the_same_aligned_crop_with_a_wipe(three_days: Path, monkeypatch) -> None:
    _use(monkeypatch, three_days)
    at = _open("gallery.py")
    with Journal.open(three_days, settings=Settings(data_dir=three_days, today=lambda: TODAY)) as journal:
        first, second, _ = journal.photos(area="face")
        region = journal.region("face")
    at.selectbox(key="compare-b-face").set_value(second.id).run()
    _clean(at)
    assert not at.warning
    (image,) = _compare(at)
    (described,) = image.proto.imgs
    assert (
        described.alt == f"The face on {first.day_label} ({first.day:%d %B %Y}, left) and on {second.day_label} "
        f"({second.day:%d %B %Y}, right), lined up with each other"
    )
    shown = Image.open(io.BytesIO(_image_bytes(image)))
    earlier, later = photo_composites.comparison_pair(first, second, first, region, long_side=900)
    assert shown.size == earlier.size == later.size and max(shown.size) == 900
    # The crop keeps the first photo's shape around the region (landscape here).
    crop = photo_composites.crop_around(region)
    expected_aspect = (crop.right - crop.left) * first.width / ((crop.bottom - crop.top) * first.height)
    assert shown.width / shown.height == pytest.approx(expected_aspect, rel=0.01)

    # The slider moves the boundary: all later at 0, all earlier at 100 (labels aside).
    lower_half = (0, shown.height // 2, shown.width, shown.height)
    for position, side in ((0, later), (100, earlier)):
        at.slider(key="compare-wipe-face").set_value(position).run()
        _clean(at)
        (image,) = _compare(at)
        wiped = Image.open(io.BytesIO(_image_bytes(image))).convert("RGB")
        assert pj.difference(wiped.crop(lower_half), side.crop(lower_half)) < 2.0  # JPEG on the way to the page
    # The two days show the same skin: the aligned sides differ only by noise.
    assert pj.difference(earlier, later) < 12


def test_a_day_that_cannot_be_lined_up_is_shown_side_by_side(three_days: Path, monkeypatch) -> None:
    _use(monkeypatch, three_days)
    at = _open("gallery.py")
    with Journal.open(three_days, settings=Settings(data_dir=three_days, today=lambda: TODAY)) as journal:
        _, _, stray = journal.photos(area="face")
    at.selectbox(key="compare-b-face").set_value(stray.id).run()
    _clean(at)
    (warning,) = at.warning
    assert "not lined up" in warning.value and "side by side" in warning.value
    pictures = [Image.open(io.BytesIO(_image_bytes(image))) for image in _compare(at)]
    assert len(pictures) == 2 and pictures[0].size == pictures[1].size
    assert not [s for s in at.slider if s.key == "compare-wipe-face"], "no wipe without alignment"


def test_a_portrait_area_is_compared_in_portrait(tmp_path: Path, monkeypatch) -> None:
    folder = pj.build(tmp_path / "portrait", TODAY, [pj.portrait(0), pj.portrait(1)])
    _use(monkeypatch, folder)
    at = _open("gallery.py")
    _clean(at)
    (image,) = _compare(at)
    shown = Image.open(io.BytesIO(_image_bytes(image)))
    # Made as tall as it is shown (it fits the window), in the first photo's portrait shape.
    assert shown.height == seeing_change.PORTRAIT_HEIGHT and shown.width < shown.height
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY)) as journal:
        first = journal.photos(area="face")[0]
        aspect = photo_composites.crop_aspect(journal.region("face"), first)
    assert (first.width, first.height) == (768, 1024)
    assert shown.width / shown.height == pytest.approx(aspect, rel=0.01)


# --- the time-lapse ---------------------------------------------------------------------


def test_the_time_lapse_has_one_frame_per_photo_and_downloads(aligned_days: Path, monkeypatch) -> None:
    _use(monkeypatch, aligned_days)
    at = _open("gallery.py")
    (tab,) = [t for t in at.tabs if t.label == "Time-lapse"]
    assert not tab.image, "made only when asked for"
    _button(at, "Make time-lapse").click().run()
    _clean(at)
    (tab,) = [t for t in at.tabs if t.label == "Time-lapse"]
    (image,) = tab.image
    shown = Image.open(io.BytesIO(_image_bytes(image)))
    assert shown.format == "GIF" and shown.is_animated and shown.n_frames == 4
    assert max(shown.size) == 640

    gif, how = _download(at, "Download time-lapse (GIF)")
    assert how == "ready" and Image.open(io.BytesIO(gif)).n_frames == 4
    webp, how = _download(at, "Download time-lapse (WebP, truer colour)")
    animation = Image.open(io.BytesIO(webp))
    assert how == "deferred" and animation.format == "WEBP" and animation.n_frames == 4


def test_the_time_lapse_leaves_out_a_photo_that_cannot_be_lined_up(three_days: Path, monkeypatch) -> None:
    _use(monkeypatch, three_days)
    at = _open("gallery.py")
    _button(at, "Make time-lapse").click().run()
    _clean(at)
    (tab,) = [t for t in at.tabs if t.label == "Time-lapse"]
    (image,) = tab.image
    assert Image.open(io.BytesIO(_image_bytes(image))).n_frames == 2
    assert any("Left out" in c.value and "24 Nov 2026" in c.value for c in tab.caption)


# --- the quality gate on Log a day ---------------------------------------------------------


def _first_photo_yesterday(folder: Path) -> Path:
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY)) as journal:
        journal.add_treatment(TODAY - dt.timedelta(days=1), "face")
        journal.set_region("face", Region(pj.ROI))  # beside the card
        entry_id = journal.save_entry(TODAY - dt.timedelta(days=1), "face")
        journal.add_photo(entry_id, pj.photo(0), filename="first.jpg")
    return folder


def _upload_and_save(at: AppTest, name: str, data: bytes, *, measured: bool = True) -> AppTest:
    # The uploader gets a new key after each save (so a photo is never sent twice).
    prefix = f"files-{TODAY.isoformat()}-face-"
    (uploader,) = [u for u in at.file_uploader if u.key and u.key.startswith(prefix)]
    uploader.set_value((name, data, "image/jpeg"))
    _button(at, "Save day").click().run()
    _clean(at)
    if measured:
        # Save answers before the photo is measured (ui.photo_waiting); in a browser the
        # page runs again once it is: here, the run after the app's journal is done.
        session.journal().wait_for_photo_work()
        at.run()
        _clean(at)
    return at


def _today_photos(folder: Path) -> list:
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY)) as journal:
        return [p for p in journal.photos(area="face") if p.day == TODAY]


def test_a_blurred_upload_asks_retake_and_the_photo_is_deleted_with_one_click(tmp_path: Path, monkeypatch) -> None:
    folder = _use(monkeypatch, _first_photo_yesterday(tmp_path / "journal"))
    at = _upload_and_save(_open("log_day.py"), "shaky.jpg", pj.blurred(1))
    (question,) = [w.value for w in at.warning if RETAKE in w.value]
    assert "shaky\\.jpg" in question and "blurred" in question  # the name as typed, Markdown-escaped
    described = [shown.alt for image in at.image for shown in image.proto.imgs]
    assert f"Photo of the face, day 1, {TODAY:%d %B %Y}" in described  # the photo in question
    (stored,) = _today_photos(folder)
    assert stored.path.exists() and stored.thumb_path.exists(), "kept until the patient decides"

    _button(at, "Delete it and retake").click().run()
    _clean(at)
    assert not [w for w in at.warning if RETAKE in w.value]
    assert any("was deleted" in s.value for s in at.success)
    assert _today_photos(folder) == []
    assert not stored.path.exists() and not stored.thumb_path.exists()


def test_keeping_the_photo_is_the_default_and_one_click_dismisses_the_question(tmp_path: Path, monkeypatch) -> None:
    folder = _use(monkeypatch, _first_photo_yesterday(tmp_path / "journal"))
    at = _upload_and_save(_open("log_day.py"), "shaky.jpg", pj.blurred(1))
    at.run()  # another run (any click): the question stays, the photo too
    assert [w for w in at.warning if RETAKE in w.value]
    _button(at, "Keep it").click().run()
    _clean(at)
    assert not [w for w in at.warning if RETAKE in w.value]
    assert len(_today_photos(folder)) == 1


def test_a_saved_photo_is_shown_being_measured_and_asked_about_once_measured(tmp_path: Path, monkeypatch) -> None:
    _use(monkeypatch, _first_photo_yesterday(tmp_path / "journal"))
    journal = session.journal()
    journal.photo_work.close()  # the background work held back: what the page shows meanwhile
    at = _upload_and_save(_open("log_day.py"), "shaky.jpg", pj.blurred(1), measured=False)
    assert any("being lined up" in i.value for i in at.info)
    assert BEING_MEASURED in [c.value for c in at.caption]
    assert not [w for w in at.warning if RETAKE in w.value], "never judged before it is measured"
    # Read through the app's journal: opening another would measure it (what a next start does).
    (stored,) = [p for p in journal.photos(area="face") if p.day == TODAY]
    assert stored.measuring and stored.sharpness is None
    at.run()  # any run meanwhile: still waiting, still not asked
    assert not [w for w in at.warning if RETAKE in w.value]

    assert journal.measure_waiting() == 1
    at.run()
    _clean(at)
    (question,) = [w.value for w in at.warning if RETAKE in w.value]
    assert "blurred" in question
    assert not any("being lined up" in i.value for i in at.info)
    assert BEING_MEASURED not in [c.value for c in at.caption]


def test_a_good_photo_and_one_without_the_card_are_told_apart(tmp_path: Path, monkeypatch) -> None:
    folder = _use(monkeypatch, _first_photo_yesterday(tmp_path / "journal"))
    at = _upload_and_save(_open("log_day.py"), "good.jpg", pj.photo(1), measured=False)
    assert any(escape_markdown("1 photo added") in s.value for s in at.success)
    session.journal().wait_for_photo_work()
    at.run()
    assert not [w for w in at.warning if RETAKE in w.value]

    # The first photo had the card: one without it is asked about, by name and reason.
    at = _upload_and_save(at, "nocard.jpg", pj.photo(2, card=False))
    (question,) = [w.value for w in at.warning if RETAKE in w.value]
    assert "nocard\\.jpg" in question and "reference card is not in the photo" in question
    assert len(_today_photos(folder)) == 2


def test_the_comparison_opens_on_the_latest_day_that_is_lined_up(three_days: Path, monkeypatch) -> None:
    _use(monkeypatch, three_days)
    at = _open("gallery.py")
    with Journal.open(three_days, settings=Settings(data_dir=three_days, today=lambda: TODAY)) as journal:
        first, second, _stray = journal.photos(area="face")
    assert at.selectbox(key="compare-a-face").value == first.id
    assert at.selectbox(key="compare-b-face").value == second.id
    assert not at.warning and len(_compare(at)) == 1
