"""Log a day asks for the area's due views (issue 22): one photo input per view
not yet photographed that day, each with its guide drawing and sentence; a photo
attached to a view is saved as that view, and that view is no longer asked for.
The Photos page then compares the photos of one chosen view only.

Real journal folder, the page run by AppTest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from demo.skin import skin_photo
from recovery.view_guides import guide_svg
from recovery.vocabulary import View, views_of
from store.photos.analysed import Region
from tests import photo_journal as pj
from tests.journals import reopen
from tests.test_log_day_drafts import FIXED, ROOT, S, clean, tab


@pytest.fixture(autouse=True)
def folder(app_folder: Path) -> Path:
    return app_folder  # tests/app_frame.py


def _view_inputs(at: AppTest) -> list[str]:
    return [u.label for u in at.file_uploader if u.label.startswith("Photo: ")]


def _photo(seed: int) -> tuple[str, bytes, str]:
    return (f"view-{seed}.jpg", skin_photo(0.5, seed=seed, size=(640, 480)), "image/jpeg")


def test_the_face_asks_for_its_four_views_each_with_its_guide() -> None:
    at = tab()
    clean(at)
    assert _view_inputs(at) == [f"Photo: {view.label}" for view in (View.FRONT, View.LEFT, View.RIGHT, View.CLOSE_UP)]
    said = " ".join(m.value for m in at.markdown)
    for view in views_of("face"):
        assert view.guide in said
    assert "Views to take today" in said


def test_a_view_attached_and_saved_is_stored_as_that_view_and_no_longer_asked_for(folder: Path) -> None:
    at = tab()
    at.file_uploader(key=f"view-left-{S}-0").set_value(_photo(4))
    at.run()
    clean(at)
    assert "Photo: Left side" not in _view_inputs(at)  # attached: waiting in the draft
    assert any("view-4.jpg" in t.value and "Left side" in t.value for t in at.text)
    save = [b for b in at.button if b.label == "Save day"][0]
    save.click().run()
    clean(at)
    with reopen(folder, FIXED) as journal:
        (photo,) = journal.photos()
        assert photo.view is View.LEFT
    again = tab()  # another day's visit to the same day
    clean(again)
    assert _view_inputs(again) == ["Photo: Front", "Photo: Right side", "Photo: Close-up with the card"]


def test_when_every_view_is_taken_the_page_says_so(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        entry = journal.save_entry(FIXED, "face", redness=1)
        for seed, view in enumerate(views_of("face")):
            journal.add_photo(entry, skin_photo(0.4, seed=10 + seed, size=(320, 240)), f"{view}.jpg", view=view)
    at = tab()
    clean(at)
    assert _view_inputs(at) == []
    assert any("Every view of this area has a photo today" in s.value for s in at.success)


def test_a_photo_of_the_day_can_be_put_under_another_view(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        entry = journal.save_entry(FIXED, "face", redness=1)
        photo_id = journal.add_photo(entry, skin_photo(0.4, seed=20, size=(320, 240)), "wrong.jpg", view="front")
    at = tab()
    at.selectbox(key=f"view-of-{photo_id}").set_value(View.RIGHT).run()
    [b for b in at.button if b.key == f"set-view-{photo_id}"][0].click().run()
    clean(at)
    assert any("Photo marked as Right side" in s.value for s in at.success), [s.value for s in at.success]
    with reopen(folder, FIXED) as journal:
        assert journal.photo(photo_id).view is View.RIGHT
    assert "Photo: Right side" not in _view_inputs(at) and "Photo: Front" in _view_inputs(at)


@pytest.mark.parametrize("view", list(View))
def test_every_guide_drawing_is_an_svg_titled_with_its_view(view: View) -> None:
    drawing = guide_svg(view)
    assert drawing.startswith("<svg") and f"<title>{view.label}</title>" in drawing and 'role="img"' in drawing


# --- the Photos page: compared view with view ----------------------------------------------


def _viewed_journal(folder: Path) -> None:
    """Two days of the face, each with a front and a left side, and one older unspecified photo."""
    with reopen(folder, FIXED) as journal:
        journal.add_treatment(FIXED - dt.timedelta(days=4), "face")
        journal.set_region("face", Region(pj.ROI))
        old = journal.save_entry(FIXED - dt.timedelta(days=3), "face", redness=2)
        journal.add_photo(old, pj.photo(4), "before-views.jpg")
        for offset, (front, left) in ((2, (0, 1)), (0, (2, 3))):
            entry = journal.save_entry(FIXED - dt.timedelta(days=offset), "face", redness=1)
            journal.add_photo(entry, pj.photo(front), f"front-{offset}.jpg", view="front")
            journal.add_photo(entry, pj.photo(left), f"left-{offset}.jpg", view="left")


def test_the_photos_page_compares_photos_of_the_chosen_view_only(folder: Path) -> None:
    _viewed_journal(folder)
    at = AppTest.from_file(str(ROOT / "pages" / "gallery.py"), default_timeout=60).run()
    clean(at)
    chooser = at.radio(key="seeing-view-face")
    assert chooser.options == ["Unspecified view", "Front", "Left side"] and chooser.value is View.FRONT
    with reopen(folder, FIXED) as journal:
        by_name = {photo.source_name: photo.id for photo in journal.photos()}
    earlier, later = at.selectbox(key="compare-a-face-front"), at.selectbox(key="compare-b-face-front")
    assert len(earlier.options) == 2  # the two front photos, not the left sides nor the older one
    assert {earlier.value, later.value} == {by_name["front-2.jpg"], by_name["front-0.jpg"]}
    chooser.set_value(View.LEFT).run()
    clean(at)
    assert {at.selectbox(key="compare-a-face-left").value, at.selectbox(key="compare-b-face-left").value} == {
        by_name["left-2.jpg"],
        by_name["left-0.jpg"],
    }
    chooser = at.radio(key="seeing-view-face")
    chooser.set_value(View.UNSPECIFIED).run()
    clean(at)
    # One photo of no named view: nothing to compare it with, and it is not mixed with the named ones.
    assert any("Once there are two photos" in c.value for c in at.caption)


def test_import_photos_stores_the_batch_as_the_view_chosen_for_it(folder: Path) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / "import_photos.py"), default_timeout=60).run()
    clean(at)
    choice = at.selectbox(key="import_view_face")
    assert choice.options == [View.UNSPECIFIED.label, *(view.label for view in views_of("face"))]
    choice.set_value(View.RIGHT).run()
    at.file_uploader(key="import-Photos-0").set_value(_photo(5))
    at.run()
    clean(at)
    [b for b in at.button if b.label.startswith("Import 1 photo")][0].click().run()
    clean(at)
    with reopen(folder, FIXED) as journal:
        (photo,) = journal.photos()
        assert photo.view is View.RIGHT
