"""Calibration, alignment and the quality gate as the journal stores them (issue 13)."""

from __future__ import annotations

import datetime as dt
import io
import json

import numpy as np
import pytest
from PIL import Image

from healing_journal import Journal
from recovery.photo_trend import UNCALIBRATED_CAVEAT, chart_points
from recovery.vocabulary import Sign
from store.photos.analysed import Region, retake_reasons
from tests import synthetic_card as synth_card
from tests import synthetic_skin as synth
from tests import synthetic_views as views
from tests.conftest import FIXED_DAY
from ui import photo_composites

ROI = (0.35, 0.3, 0.65, 0.65)
CARD = synth_card.corners((470, 800), 300, angle_deg=-8)  # scene pixels, bottom-left of the view


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def photo(matrix=None, *, card=True, gain=1.0, cast=(1.0, 1.0, 1.0), seed=1) -> bytes:
    linear = views.scene()
    if card:
        linear = synth_card.place(linear, CARD)
    linear = synth.relight(linear, gain, cast)
    return _jpeg(views.view(views.view_matrix() if matrix is None else matrix, seed, linear))


def _day(offset: int) -> dt.date:
    return FIXED_DAY - dt.timedelta(days=10 - offset)


@pytest.fixture
def area(journal: Journal) -> Journal:
    journal.add_treatment(_day(0), "face")
    journal.set_region("face", Region(ROI))
    return journal


def add(journal: Journal, offset: int, data: bytes) -> int:
    entry = journal.save_entry(_day(offset), "face")
    return journal.add_photo(entry, data, f"day{offset}.jpg")


def test_a_photo_with_the_card_is_calibrated_and_keeps_the_correction_and_scale(area: Journal) -> None:
    first = area.photo(add(area, 0, photo()))
    assert first.calibration == "card" and first.card_found is True and first.card_problem is None
    assert json.loads(first.card_correction)["gains"] == pytest.approx([1, 1, 1], abs=0.03)
    assert 0 <= first.card_residual_delta_e < 1.0
    # The card was placed at 0.75 view pixels per scene pixel; the photo is stored at its full size.
    expected_mm_per_px = 1 / (synth_card.px_per_mm(CARD) * views.BASE_SCALE)
    assert (first.width, first.height) == views.VIEW_SIZE
    assert first.mm_per_px == pytest.approx(expected_mm_per_px, rel=0.02)
    assert first.spot_area_mm2 is not None and first.spot_area_mm2 >= 0
    assert first.alignment == "baseline" and first.registration is None and first.aligned_to is None
    assert retake_reasons(first, first) == []


def test_without_card_the_reference_patch_normalises_and_without_either_it_is_uncalibrated(area: Journal) -> None:
    bare = area.photo(add(area, 0, photo(card=False)))
    assert bare.calibration == "none" and bare.card_found is False
    area.set_region("face", Region(ROI, (0.03, 0.05, 0.2, 0.3)))
    assert area.photo(bare.id).calibration == "reference"
    assert area.photo(bare.id).delta_a_star is not None


def test_later_photos_are_aligned_to_the_first_and_measure_the_same_skin(area: Journal) -> None:
    first = area.photo(add(area, 0, photo(seed=1)))
    moved = area.photo(add(area, 1, photo(views.view_matrix(60, -40, 12, 1.15), seed=2)))
    assert moved.alignment == "aligned" and moved.aligned_to == first.id and moved.region_covered is True
    registration = json.loads(moved.registration)
    assert registration["inliers"] >= 25 and registration["error_px"] < 3
    assert moved.a_star == pytest.approx(first.a_star, abs=0.5)
    assert not moved.lighting_differs
    assert retake_reasons(moved, first) == []
    # Saving the region again re-measures and re-aligns every photo of the area.
    area.set_region("face", Region((0.4, 0.35, 0.6, 0.6)))
    again = area.photo(moved.id)
    assert again.alignment == "aligned" and again.aligned_to == first.id


def test_a_photo_that_cannot_be_aligned_says_so(area: Journal) -> None:
    add(area, 0, photo())
    other = synth.to_image(synth.add_pores(synth.skin(seed=60), seed=61))
    stray = area.photo(add(area, 1, _jpeg(other)))
    assert stray.alignment == "not aligned" and stray.registration is None
    assert "same skin" in stray.alignment_problem or "lined up" in stray.alignment_problem
    messages = retake_reasons(stray, area.photos(area="face")[0])
    assert any("cannot be lined up" in m for m in messages)
    assert any("reference card is not in the photo" in m for m in messages)


def test_the_gate_asks_to_retake_a_dim_yellow_photo(area: Journal) -> None:
    first = area.photo(add(area, 0, photo()))
    dim = area.photo(add(area, 1, photo(gain=0.55, cast=(1.05, 1.0, 0.65), seed=3)))
    assert dim.lighting_differs
    (message,) = retake_reasons(dim, first)
    assert "light differs" in message
    # With the card, the colour is corrected all the same.
    assert dim.a_star == pytest.approx(first.a_star, abs=1.5)


def test_uncalibrated_days_are_marked_on_the_chart(area: Journal) -> None:
    add(area, 0, photo(card=False))
    add(area, 2, photo(seed=4))
    points = chart_points(area.measurements("face"))
    by_day = {point.date: point for point in points if point.sign is Sign.REDNESS}
    assert UNCALIBRATED_CAVEAT in by_day[_day(0)].what
    assert by_day[_day(0)].calibrated is False
    assert UNCALIBRATED_CAVEAT not in by_day[_day(2)].what


def test_comparison_pair_and_timelapse_from_stored_photos(area: Journal) -> None:
    add(area, 0, photo(seed=1))
    add(area, 2, photo(views.view_matrix(40, 30, -10, 1.1), seed=2))
    other = synth.to_image(synth.add_pores(synth.skin(seed=70), seed=71))
    add(area, 4, _jpeg(other))
    first, second, stray = area.photos(area="face")
    region = area.region("face")
    left, right = photo_composites.comparison_pair(first, second, first, region, long_side=400)
    assert left.size == right.size and max(left.size) == 400
    difference = np.abs(np.asarray(left, np.float32) - np.asarray(right, np.float32)).mean()
    assert difference < 12  # the same skin, aligned (sensor noise and resampling remain)
    with pytest.raises(photo_composites.CannotCompare, match="not lined up"):
        photo_composites.comparison_pair(first, stray, first, region)
    data, left_out = photo_composites.timelapse(area.photos(area="face"), first, region)
    animation = Image.open(io.BytesIO(data))
    assert animation.format == "WEBP" and animation.n_frames == 2
    assert [p.id for p in left_out] == [stray.id]


def test_annotated_preview_draws_the_region_where_the_same_skin_is(area: Journal) -> None:
    from photometry.alignment import Registration, region_in_photo
    from ui.photo_composites import annotated_preview

    add(area, 0, photo(seed=1))
    moved = area.photo(add(area, 1, photo(views.view_matrix(80, -50, 15, 1.15), seed=2)))
    region = area.region("face")
    drawn = annotated_preview(moved.path, region, show_spots=True, registration=moved.registration)
    plain = annotated_preview(moved.path, region, show_spots=False)
    corners = region_in_photo(Registration.from_json(moved.registration).matrix, region.to_rects()[0])
    x, y = (corners[0] * drawn.size).round().astype(int)
    assert max(abs(a - b) for a, b in zip(drawn.getpixel((int(x), int(y))), (255, 255, 255))) < 40
    # Unaligned, the rectangle sits elsewhere: the two drawings differ.
    assert drawn.tobytes() != plain.tobytes()


def test_a_missing_first_photo_file_costs_the_alignment_not_the_upload(area: Journal) -> None:
    first = area.photo(add(area, 0, photo(seed=1)))
    first.path.unlink()
    later = area.photo(add(area, 1, photo(seed=5)))
    assert later.alignment == "not aligned" and "could not be read" in later.alignment_problem
    assert later.a_star is not None and later.calibration == "card"
