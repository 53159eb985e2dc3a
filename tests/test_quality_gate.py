"""The quality gate after an upload, on generated photos of one area over several days."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from PIL import Image, ImageFilter

from photometry.analysis import ALIGNED, IS_BASELINE, NOT_ALIGNED, Analysis, Baseline, analyse
from photometry.quality import PhotoFacts, retake_reasons
from photometry.regions import Rect
from tests import synthetic_card as synth_card
from tests import synthetic_skin as synth
from tests import synthetic_views as views

ROI = Rect(0.35, 0.3, 0.65, 0.65)
# The card lies on the skin at the bottom-left of the baseline's view (scene pixels).
CARD = synth_card.corners((470, 800), 300, angle_deg=-8)


@functools.cache
def scene_with_card(redness: float = 0.0) -> np.ndarray:
    scene = views.scene()
    if redness:
        scene = synth.add_redness(scene, Rect(0.36, 0.3, 0.65, 0.62), redness)  # covers ROI
    return synth_card.place(scene, CARD)


def day(matrix=None, *, redness=0.0, card=True, gain=1.0, cast=(1.0, 1.0, 1.0), seed=5) -> Image.Image:
    linear = scene_with_card(redness) if card else views.scene()
    linear = synth.relight(linear, gain, cast)
    return views.view(views.view_matrix() if matrix is None else matrix, seed, linear)


@pytest.fixture(scope="module")
def baseline() -> tuple[Analysis, Baseline]:
    first = analyse(day(seed=1), ROI)
    assert first.alignment == IS_BASELINE and first.calibration.correction is not None
    return first, Baseline(first.features, (views.VIEW_SIZE), first.facts())


def reasons(image: Image.Image, baseline) -> list[str]:
    analysis = analyse(image, ROI, baseline=baseline[1])
    return [reason.code for reason in retake_reasons(analysis.facts(), baseline[1].facts)]


def test_a_good_photo_of_the_next_day_passes(baseline):
    assert reasons(day(views.view_matrix(20, -15, 4, 1.05), seed=2), baseline) == []


def test_a_redder_day_under_the_same_light_passes(baseline):
    redder = analyse(day(views.view_matrix(-10, 10, -3), redness=0.8, seed=3), ROI, baseline=baseline[1])
    assert retake_reasons(redder.facts(), baseline[1].facts) == []
    assert redder.alignment == ALIGNED
    assert redder.measurements.a_star > baseline[0].measurements.a_star + 3


def test_blurred_photo(baseline):
    found = reasons(day(seed=4).filter(ImageFilter.GaussianBlur(2.5)), baseline)
    # So blurred that the card's markers cannot be read either.
    assert found == ["blurred", "card_missing"]
    assert reasons(day(seed=4).filter(ImageFilter.GaussianBlur(1.2)), baseline) == ["blurred"]


def test_burnt_out_photo(baseline):
    assert "clipped" in reasons(day(gain=2.2, seed=6), baseline)


def test_card_missing_when_the_area_uses_one(baseline):
    found = reasons(day(card=False, seed=7), baseline)
    assert found == ["card_missing"]


def test_dim_yellow_light(baseline):
    assert reasons(day(gain=0.55, cast=(1.05, 1.0, 0.65), seed=8), baseline) == ["light_differs"]


def test_framed_far_from_the_baseline(baseline):
    found = analyse(day(views.view_matrix(0, 0, 0, 1.6), seed=9), ROI, baseline=baseline[1])
    reasons_found = retake_reasons(found.facts(), baseline[1].facts)
    assert [r.code for r in reasons_found] == ["framing"]
    assert "closer" in reasons_found[0].message


def test_other_skin_cannot_be_aligned(baseline):
    other = synth.to_image(synth.add_pores(synth.skin(seed=50), seed=51))
    analysis = analyse(other, ROI, baseline=baseline[1])
    assert analysis.alignment == NOT_ALIGNED and analysis.registration is None
    codes = [r.code for r in retake_reasons(analysis.facts(), baseline[1].facts)]
    assert "not_aligned" in codes and "card_missing" in codes


def test_aligned_measurement_reads_the_same_skin_as_the_baseline(baseline):
    # Moved, turned and closer: aligned, the region still holds the same skin, so colour agrees.
    moved = analyse(day(views.view_matrix(60, -40, 12, 1.15), seed=10), ROI, baseline=baseline[1])
    assert moved.alignment == ALIGNED and moved.region_covered
    assert moved.measurements.a_star == pytest.approx(baseline[0].measurements.a_star, abs=0.5)
    assert moved.measurements.calibration == "card"


def test_the_first_photo_has_nothing_to_differ_from():
    facts = PhotoFacts(sharpness=50.0, clipped_highlights=0.0, clipped_shadows=0.0)
    assert retake_reasons(facts) == []
    assert [r.code for r in retake_reasons(PhotoFacts(sharpness=0.5))] == ["blurred"]


def test_a_card_over_the_measured_area_is_named():
    scene = synth_card.place(views.scene(), synth_card.corners((760, 560), 300, angle_deg=10))
    analysis = analyse(views.view(views.view_matrix(), 12, scene), ROI)
    assert analysis.calibration.correction is not None  # still usable to correct colour
    (reason,) = retake_reasons(analysis.facts())
    assert reason.code == "card_problem" and "covers part of the measured area" in reason.message
