"""Log a day as a patient uses it on a phone: the camera only on request, a
clear refusal of a future day, and every photo that was not saved named in
the message that follows Save, beside the Save button.

Each AppTest is one browser tab on a real journal folder; photos are real
files decoded by the real ingest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from demo.skin import skin_photo
from recovery.vocabulary import Sign
from store.photos.imaging import MAX_PHOTO_MB
from tests.app_frame import open_framed
from tests.journals import reopen
from ui.widgets import escape_markdown

FIXED = dt.date(2026, 11, 24)
S = f"{FIXED.isoformat()}-face"


@pytest.fixture(autouse=True)
def folder(app_folder: Path, navigation_only: None) -> Path:
    return app_folder  # tests/app_frame.py


def clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def cameras(at: AppTest) -> list[object]:
    return [element for element in at.main if getattr(element, "type", "") == "camera_input"]


def uploader(at: AppTest):  # type: ignore[no-untyped-def]
    (found,) = [u for u in at.file_uploader if u.key and u.key.startswith(f"files-{S}-")]
    return found


def save(at: AppTest) -> AppTest:
    (button,) = [b for b in at.button if b.label == "Save day"]
    return button.click().run()


def test_the_camera_starts_only_when_the_patient_asks_for_it() -> None:
    at = open_framed("log_day.py")
    clean(at)
    assert not cameras(at), "opening the page must not start the camera"
    at.toggle(key=f"camera-on-{S}").set_value(True).run()
    clean(at)
    assert len(cameras(at)) == 1
    # Rating a sign afterwards does not need the camera to be on again.
    at.toggle(key=f"camera-on-{S}").set_value(False).run()
    assert not cameras(at)


def test_a_future_day_is_refused_in_plain_words_and_offers_no_save() -> None:
    at = open_framed("log_day.py")
    at.date_input(key="log_day").set_value(FIXED + dt.timedelta(days=2)).run()
    clean(at)
    (error,) = [e.value for e in at.error]
    assert "Thursday 26 November 2026 has not come yet" in error and "24 November" in error
    assert not [b for b in at.button if b.label == "Save day"]
    assert not at.radio, "no form for a day that cannot be saved"


def test_photos_that_were_not_saved_are_named_beside_save(folder: Path) -> None:
    at = open_framed("log_day.py")
    good = skin_photo(0.4, seed=1, size=(640, 480))
    too_big = b"\xff\xd8" + bytes((MAX_PHOTO_MB * 2**20) + 10)
    uploader(at).set_value(
        [
            ("good.jpg", good, "image/jpeg"),
            ("holiday.jpg", too_big, "image/jpeg"),
            ("scan.jpg", b"this is not an image", "image/jpeg"),
        ]
    )
    at.run()  # choosing files reruns the page: the good ones wait with the day's draft
    clean(at)
    # The one too large is refused at once, by name, next to the uploader ...
    assert any(
        escape_markdown("holiday.jpg") in e.value and f"larger than {MAX_PHOTO_MB} MB" in e.value for e in at.error
    ), [e.value for e in at.error]
    at.radio(key=f"redness-{S}").set_value(2).run()
    at = save(at)
    clean(at)
    # ... and after Save, the message beside the button names every photo not saved, with why.
    success = " ".join(s.value for s in at.success)
    assert escape_markdown("Saved Face for Tuesday 24 November 2026.") in success
    assert escape_markdown("1 photo added.") in success
    (refused,) = [e.value for e in at.error if "Not saved" in e.value]
    assert escape_markdown("holiday.jpg") in refused and escape_markdown("scan.jpg") in refused
    assert "2 photo" in refused
    with reopen(folder, FIXED) as journal:
        (photo,) = journal.photos()
        assert photo.source_name == "good.jpg"
        assert journal.entry(FIXED, "face").rating(Sign.REDNESS) == 2


def test_the_days_own_photos_are_shown(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        entry = journal.save_entry(FIXED, "face", redness=1)
        journal.add_photo(entry, skin_photo(0.3, seed=2, size=(640, 480)), filename="morning.jpg")
    at = open_framed("log_day.py")
    clean(at)
    assert "Photos of this day" in [h.value for h in at.header]
    assert any(t.value == "morning.jpg" for t in at.text)
