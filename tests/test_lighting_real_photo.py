"""The lighting check on a real photograph of a person: healing is not a change of light.

Issue: the light was judged from the frame outside the measuring region, which
on a face is treated skin too, so fading redness read as "the light differs
from your first photo". Here only the skin's redness fades (tests/real_photo.py)
and the phone is held a little differently each day; the app's own pipeline
judges each day against day 0, as when the photo is saved.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from healing_journal import Journal
from photometry import lighting
from photometry.analysis import ALIGNED, Baseline, analyse
from photometry.quality import retake_reasons
from photometry.regions import DEFAULT_ROI
from store.photos.analysed import retake_reasons as stored_retake_reasons
from tests import real_photo
from tests.conftest import FIXED_DAY


def _baseline(crop: real_photo.Crop) -> Baseline:
    first = analyse(real_photo.photo(0, crop=crop), DEFAULT_ROI)
    return Baseline(first.features, (real_photo.SIZE, real_photo.SIZE), first.facts())


def _judged(image: Image.Image, baseline: Baseline) -> tuple[lighting.Comparison, list[str]]:
    analysis = analyse(image, DEFAULT_ROI, baseline=baseline)
    assert analysis.alignment == ALIGNED
    facts = analysis.facts()
    codes = [reason.code for reason in retake_reasons(facts, baseline.facts)]
    return lighting.compare(baseline.facts.light, facts.light), codes


@pytest.fixture(scope="module")
def face() -> Baseline:
    return _baseline(real_photo.FACE)


def test_fading_redness_is_never_read_as_a_change_of_light(face: Baseline) -> None:
    for day in real_photo.DAYS[1:]:
        comparison, codes = _judged(real_photo.photo(day), face)
        # Checked, on the wall behind her, and found the same.
        assert comparison.verdict == lighting.SAME and comparison.source == "frame", day
        assert "light_differs" not in codes, day
        # Redness moves the skin's colour a lot; the light as read must not move with it.
        assert comparison.colour_shift is not None and comparison.colour_shift < 0.004, day
        assert comparison.brightness_ratio == pytest.approx(1.0, abs=0.03), day


def test_the_same_photo_under_a_warm_dim_lamp_is_flagged(face: Baseline) -> None:
    for day in (0, 7, 14):
        comparison, codes = _judged(real_photo.photo(day, real_photo.WARM_DIM_LAMP), face)
        assert comparison.verdict == lighting.DIFFERS and comparison.source == "frame", day
        assert codes == ["light_differs"], day


def test_a_close_up_of_healing_skin_is_never_flagged_for_light() -> None:
    # The frame outside the region is (nearly) all treated skin: the light is
    # read from what neutral remains, or said to be unchecked; never from skin.
    close = _baseline(real_photo.CLOSE_UP)
    for day in real_photo.DAYS[1:]:
        comparison, codes = _judged(real_photo.photo(day, crop=real_photo.CLOSE_UP), close)
        assert comparison.verdict != lighting.DIFFERS, day
        assert "light_differs" not in codes, day


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def test_the_journal_asks_no_retake_for_healing_but_does_under_the_lamp(journal: Journal) -> None:
    start = FIXED_DAY - dt.timedelta(days=20)
    journal.add_treatment(start, "face")
    ids = []
    for day in real_photo.DAYS:
        entry = journal.save_entry(start + dt.timedelta(days=day), "face")
        ids.append(journal.add_photo(entry, _jpeg(real_photo.photo(day)), filename=f"day{day}.jpg"))
    first = journal.photo(ids[0])
    for photo_id in ids:
        photo = journal.photo(photo_id)
        assert not photo.lighting_differs and not photo.lighting_unchecked, photo.day
        assert retake_reasons_text(photo, first) == "", photo.day
    entry = journal.save_entry(start + dt.timedelta(days=15), "face")
    lamp = journal.photo(journal.add_photo(entry, _jpeg(real_photo.photo(15, real_photo.WARM_DIM_LAMP)), "lamp.jpg"))
    assert lamp.lighting_differs
    assert "light differs" in retake_reasons_text(lamp, first)


def retake_reasons_text(photo, first) -> str:
    return " ".join(stored_retake_reasons(photo, first))
