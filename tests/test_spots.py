"""Pigment spots versus shadows, hairs and pores, on generated skin of every ITA category."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image

from photometry.calibration import calibrate
from photometry.metrics import DEFAULT_ROI, measure, spot_sizes_mm2, srgb_to_lab
from tests import synthetic_card as synth_card
from tests import synthetic_skin as synth

SPOT_RADIUS = 0.008  # of the width: ~8 px at 1024 px
SIZES = (0.6, 1.0, 1.6)  # spot radii as multiples of SPOT_RADIUS: several sizes in one photo
CATEGORIES = list(synth.ITA_TONES)


@pytest.fixture(scope="module", params=CATEGORIES)
def category_skin(request) -> tuple[str, np.ndarray]:
    tone = synth.ITA_TONES[request.param]
    return request.param, synth.add_pores(synth.skin(tone=tone, seed=1), seed=2)


def spotted(skin: np.ndarray, count: int, absorption=synth.MELANIN, seed: int = 7) -> Image.Image:
    centres = synth.spot_centres(count, DEFAULT_ROI, SPOT_RADIUS, seed)
    radii = [SPOT_RADIUS * skin.shape[1] * SIZES[i % len(SIZES)] for i in range(count)]
    return synth.to_image(synth.add_spots(skin, centres, SPOT_RADIUS, absorption=absorption, radii=radii))


def test_the_generated_tones_cover_every_ita_category(category_skin):
    name, skin = category_skin
    assert measure(synth.to_image(skin)).ita_category == name


@pytest.mark.parametrize("absorption", [synth.MELANIN, synth.GREY_BROWN], ids=["brown", "grey-brown"])
@pytest.mark.parametrize("count", [0, 3, 12])
def test_spots_are_counted_on_every_skin_category(category_skin, count, absorption):
    _, skin = category_skin
    assert abs(measure(spotted(skin, count, absorption)).spot_count - count) <= 1


def test_shadows_hairs_and_pores_are_not_spots(category_skin):
    _, skin = category_skin
    cases = {
        "pores only": skin,
        "diagonal shadow": synth.add_shadow(skin, depth=0.6),
        "warm shadow": synth.add_shadow(skin, depth=0.6, warmth=1.0),
        "soft round shadow": synth.add_soft_shadow(skin, (0.45, 0.5), 0.08, 0.5),
        "small soft shadows": synth.add_soft_shadow(
            synth.add_soft_shadow(skin, (0.35, 0.4), 0.02, 0.5), (0.6, 0.6), 0.015, 0.6
        ),
        "hairs": synth.add_hairs(skin, 4, DEFAULT_ROI, width=0.005, seed=4),
        "grey marks": synth.add_spots(
            skin, synth.spot_centres(6, DEFAULT_ROI, SPOT_RADIUS, 2), SPOT_RADIUS, 0.4, synth.NEUTRAL
        ),
        "redness": synth.add_redness(skin, DEFAULT_ROI, 1.0),
    }
    counts = {name: measure(synth.to_image(linear)).spot_count for name, linear in cases.items()}
    assert counts == dict.fromkeys(cases, 0)


def test_spots_in_a_shadow_are_still_counted(category_skin):
    _, skin = category_skin
    photo = spotted(synth.add_soft_shadow(skin, (0.5, 0.5), 0.2, 0.5), 5, seed=3)
    assert abs(measure(photo).spot_count - 5) <= 1


def test_the_issue_example_a_brown_mark_with_lower_b_star_is_a_spot_and_its_shadow_twin_is_not():
    # A brown mark (130, 90, 70) on skin (205, 160, 135) has *lower* b* than the
    # skin; a shadow as dark (129, 101, 85) keeps the skin's chromaticity.
    skin_rgb, mark_rgb, shadow_rgb = (205, 160, 135), (130, 90, 70), (129, 101, 85)
    lab = srgb_to_lab(np.array([skin_rgb, mark_rgb, shadow_rgb], np.uint8))
    assert lab[1, 2] < lab[0, 2]  # the premise: b* alone would miss the mark
    rng = np.random.default_rng(5)
    pixels = np.empty((600, 800, 3), np.uint8)
    pixels[:] = skin_rgb
    ys, xs = np.mgrid[0:600, 0:800]
    for colour, centres in ((mark_rgb, [(300, 250), (420, 330)]), (shadow_rgb, [(520, 220), (330, 380)])):
        for cx, cy in centres:
            pixels[np.hypot(xs - cx, ys - cy) < 9] = colour
    noisy = np.clip(pixels.astype(np.int16) + rng.integers(-2, 3, pixels.shape), 0, 255).astype(np.uint8)
    assert measure(Image.fromarray(noisy)).spot_count == 2


def test_spot_sizes_are_measured_in_square_millimetres_with_the_card():
    skin = synth.add_pores(synth.skin(seed=4), seed=5)
    radii_px = [5.0, 8.0, 12.0, 16.0]
    centres = [(0.33, 0.35), (0.62, 0.32), (0.38, 0.62), (0.62, 0.62)]
    skin = synth.add_spots(skin, centres, SPOT_RADIUS, radii=radii_px)
    outline = synth_card.corners((880, 660), 240, angle_deg=12)
    photo = synth.to_image(synth_card.place(skin, outline))
    calibration = calibrate(np.asarray(photo))
    assert calibration.mm_per_px == pytest.approx(1 / synth_card.px_per_mm(outline), rel=0.02)
    sizes = spot_sizes_mm2(photo, calibration.mm_per_px, correction=calibration.correction)
    truth = sorted((math.pi * r * r * calibration.mm_per_px**2 for r in radii_px), reverse=True)
    assert len(sizes) == len(truth)
    for found, expected in zip(sizes, truth):
        assert found == pytest.approx(expected, rel=0.2)
    total = measure(photo, correction=calibration.correction, mm_per_px=calibration.mm_per_px).spot_area_mm2
    assert total == pytest.approx(sum(sizes), rel=1e-6)
