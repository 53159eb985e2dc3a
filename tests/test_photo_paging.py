"""Every photo day reachable, a page at a time, on the Recovery chart's photo strip
and on the Photos page; every photo there has alt text naming the area and the day,
and the pages' headings go h1, h2, h3 without a jump.

The journal is the demo with a photo every day (21 days of the face), read
through Streamlit's AppTest; the photos a page shows are told apart by their
alt text, the very words a screen reader says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from demo.skin import skin_photo
from healing_journal import Journal, Settings
from tests.app_frame import open_framed
from tests.demo_journals import DemoJournals
from ui.photo_paging import Window, windows
from ui.photo_text import comparison_alt, photo_alt

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)
DAYS = 21
TIMEOUT = 60


@pytest.fixture(scope="module")
def every_day(tmp_path_factory: pytest.TempPathFactory, demo_journals: DemoJournals) -> Path:
    folder = tmp_path_factory.mktemp("paging") / "journal"
    demo_journals.copy(folder, days=DAYS, areas=["face"], today=TODAY, photo_every_day=True)
    return folder


@pytest.fixture(autouse=True)
def _app_env(monkeypatch: pytest.MonkeyPatch, every_day: Path, navigation_only: None) -> Iterator[None]:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("JOURNAL_TODAY", TODAY.isoformat())
    monkeypatch.setenv("JOURNAL_DATA_DIR", str(every_day))
    yield


def _alts(at: AppTest) -> list[str]:
    """The alt text of every picture on the page, in page order."""
    return [img.alt for image in at.image for img in image.proto.imgs]


def _photos(folder: Path) -> list:
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY)) as journal:
        return list(journal.photos(area="face"))


def _clean(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _button(at: AppTest, label: str):
    (found,) = [b for b in at.button if b.label == label]
    return found


def _headings(at: AppTest) -> list[tuple[int, str]]:
    """(level, text) of every title, header and subheader, in page order."""
    levels = {"title": 1, "header": 2, "subheader": 3}
    found = []
    for node in at.main:
        for element in _walk(node):
            if element.type in levels:
                found.append((levels[element.type], element.value))
    return found


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _no_jump(headings: list[tuple[int, str]]) -> None:
    for (before, _), (level, text) in zip(headings, headings[1:]):
        assert level <= before + 1, f"{text!r} (h{level}) follows an h{before}: {headings}"


# --- the pages of photos, as numbers -----------------------------------------------------


def test_pages_are_cut_from_the_latest_end_and_cover_every_photo() -> None:
    assert windows(40, 8)[-1] == Window(32, 40, 40) and len(windows(40, 8)) == 5
    cut = windows(42, 8)
    assert cut[0] == Window(0, 2, 42) and cut[-1] == Window(34, 42, 42)
    covered = [i for window in cut for i in range(window.start, window.stop)]
    assert covered == list(range(42))
    assert windows(0, 8) == [] and windows(3, 8) == [Window(0, 3, 3)]
    assert cut[1].label == "Photos 3-10 of 42" and Window(0, 1, 9).label == "Photo 1 of 9"
    with pytest.raises(ValueError):
        windows(5, 0)


# --- the Recovery chart's strip ---------------------------------------------------------


def test_every_photo_of_the_course_is_reachable_on_the_recovery_chart(every_day: Path) -> None:
    photos = _photos(every_day)
    course = [p for p in photos if p.days_since_treatment is not None and p.days_since_treatment >= 0]
    assert len(course) > 8, "the strip needs more than one page"
    at = _clean(open_framed("recovery_chart.py", timeout=TIMEOUT))
    (choice,) = [s for s in at.selectbox if s.label == "Photos shown"]
    pages = len(choice.options)
    assert pages == -(-len(course) // 8)
    # The latest photos first, and the page says which of how many; the list reads latest first.
    assert choice.value == 0
    assert f"of {len(course)}:" in choice.options[0] and course[-1].day.strftime("%d %b %Y") in choice.options[0]
    assert choice.options[-1].startswith("Photos 1-")
    seen = [alt for alt in _alts(at) if alt.startswith("Photo of the face")]
    assert seen == [photo_alt(p) for p in course[-8:]]
    assert _button(at, "Later").disabled and not _button(at, "Earlier").disabled

    # "Earlier" until the first page: every day of the course was shown once.
    for _ in range(pages - 1):
        _button(at, "Earlier").click().run()
        _clean(at)
        seen = [alt for alt in _alts(at) if alt.startswith("Photo of the face")] + seen
    assert seen == [photo_alt(p) for p in course]
    assert _button(at, "Earlier").disabled

    # A jump to any page from the list: the second page from the first photo.
    at.selectbox(key=choice.key).set_value(pages - 2).run()
    _clean(at)
    start = len(course) - 8 * (pages - 1)
    assert [a for a in _alts(at) if a.startswith("Photo of the face")] == [
        photo_alt(p) for p in course[start : start + 8]
    ]


def test_the_recovery_chart_headings_do_not_jump(every_day: Path) -> None:
    at = _clean(open_framed("recovery_chart.py", timeout=TIMEOUT))
    headings = _headings(at)
    assert (1, "Recovery chart") in headings and (2, "Photos by day") in headings
    _no_jump(headings)


# --- the Photos page ---------------------------------------------------------------------


def test_every_photo_is_reachable_on_the_photos_page(every_day: Path) -> None:
    photos = _photos(every_day)
    at = _clean(open_framed("gallery.py", timeout=TIMEOUT))
    (choice,) = [s for s in at.selectbox if s.label == "Photos shown"]
    assert len(choice.options) == -(-len(photos) // 12)
    assert choice.options[0].startswith(f"Photos {len(photos) - 11}-{len(photos)} of {len(photos)}")
    # The thumbnails come first; the comparison (the first and the latest day, lined up) and
    # the region editor's photo follow.
    wipe = comparison_alt(photos[0], photos[-1])
    assert _alts(at)[:13] == [photo_alt(p) for p in photos[-12:]] + [wipe]
    _button(at, "Earlier").click().run()
    _clean(at)
    rest = len(photos) - 12
    assert _alts(at)[: rest + 1] == [photo_alt(p) for p in photos[:rest]] + [wipe]
    # Opening a photo of the earlier page shows that photo, described.
    [b for b in at.button if b.label == "Open"][0].click().run()
    _clean(at)
    assert f"{photo_alt(photos[0])}, with the measured region outlined" in _alts(at)
    assert photo_alt(photos[0]) in _alts(at)  # the full-size tab


def test_every_picture_on_the_photos_page_has_alt_text(every_day: Path) -> None:
    at = _clean(open_framed("gallery.py", timeout=TIMEOUT))
    alts = _alts(at)
    assert alts and all(alt.strip() for alt in alts), alts
    # The demo's photos line up: the two days are one wipe picture, described as both.
    assert not any("cannot" in w.value or "not lined up" in w.value for w in at.warning)
    photos = _photos(every_day)
    assert alts[-2:] == [
        comparison_alt(photos[0], photos[-1]),
        f"{photo_alt(photos[-1])}, with the regions you chose marked",
    ]
    _no_jump(_headings(at))
    assert (2, "Seeing change") in _headings(at)


def test_photo_alt_names_the_area_and_the_day(every_day: Path) -> None:
    photo = _photos(every_day)[3]
    assert photo_alt(photo) == f"Photo of the face, {photo.day_label}, {photo.day:%d %B %Y}"
    assert photo.day_label in photo_alt(photo) and "day" in photo.day_label


def test_a_new_photo_shows_at_once_on_the_latest_page(every_day: Path) -> None:
    """Last in this module: it adds a photo to the shared journal."""
    at = _clean(open_framed("gallery.py", timeout=TIMEOUT))
    before = _photos(every_day)
    with Journal.open(every_day, settings=Settings(data_dir=every_day, today=lambda: TODAY)) as journal:
        entry = journal.entry(TODAY, "face")
        assert entry is not None
        journal.add_photo(entry.id, skin_photo(0.1, seed=99), filename="another.jpg")
    at.run()
    _clean(at)
    after = _photos(every_day)
    assert len(after) == len(before) + 1
    (choice,) = [s for s in at.selectbox if s.label == "Photos shown"]
    latest = f"of {len(after)}: {after[-12].day:%d %b} to {after[-1].day:%d %b %Y}"
    assert choice.value == 0 and choice.options[0].endswith(latest), choice.options[0]
    assert _alts(at)[:12] == [photo_alt(p) for p in after[-12:]]
