"""Accuracy of photo measurements on synthetic skin with known truth."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image, ImageFilter

from photometry import lighting
from photometry.metrics import (
    DEFAULT_ROI,
    Measurements,
    Rect,
    ita_category,
    lighting_differs,
    measure,
    spot_mask,
    spot_outlines,
    srgb_to_lab,
)
from recovery.photo_trend import redness_relative
from tests import synthetic_skin as synth

LADDER = (0.0, 0.25, 0.5, 0.75, 1.0)  # erythema amounts, mild to marked
SPOT_RADIUS = 0.008  # of the image width: ~8 px at 1024 px


def ranks(values) -> list[int]:
    return list(np.argsort(np.argsort(values)))


@pytest.fixture(scope="module")
def plain_skin() -> np.ndarray:
    return synth.skin(seed=1)


@pytest.fixture(scope="module")
def ladder(plain_skin) -> list[Image.Image]:
    return [synth.to_image(synth.add_redness(plain_skin, DEFAULT_ROI, amount)) for amount in LADDER]


# --- colour conversion ----------------------------------------------------


@pytest.mark.parametrize(
    "rgb, lab",
    [
        ((255, 255, 255), (100.0, 0.0, 0.0)),
        ((0, 0, 0), (0.0, 0.0, 0.0)),
        ((255, 0, 0), (53.24, 80.09, 67.20)),
        ((0, 255, 0), (87.73, -86.18, 83.18)),
        ((0, 0, 255), (32.30, 79.19, -107.86)),
        ((128, 128, 128), (53.59, 0.0, 0.0)),
    ],
)
def test_srgb_to_lab_matches_reference_values(rgb, lab):
    for dtype in (np.uint8, np.float64):
        result = srgb_to_lab(np.array([[rgb]], dtype=dtype))[0, 0]
        assert result == pytest.approx(lab, abs=0.02)


def test_srgb_to_lab_rejects_non_rgb_shapes():
    with pytest.raises(ValueError, match="RGB triples"):
        srgb_to_lab(np.zeros((4, 4)))


@pytest.mark.parametrize(
    "edges, message",
    [
        ((0.5, 0.2, 0.4, 0.8), "left < right"),
        ((-0.1, 0.2, 0.4, 0.8), "left < right"),
        ((0.1, 0.9, 0.4, 0.8), "top < bottom"),
        ((0.1, 0.2, 0.4, 1.5), "top < bottom"),
        ((0.1, float("nan"), 0.4, 0.8), "finite"),
    ],
)
def test_rect_validation_messages(edges, message):
    with pytest.raises(ValueError, match=message):
        Rect(*edges)


def test_tiny_region_is_rejected_readably():
    with pytest.raises(ValueError, match="fewer than 8x8 pixels"):
        measure(Image.new("RGB", (100, 100)), roi=Rect(0.5, 0.5, 0.52, 0.52))


@pytest.mark.parametrize(
    "ita, category",
    [
        (60, "very light"),
        (55, "light"),
        (41.5, "light"),
        (41, "intermediate"),
        (30, "intermediate"),
        (20, "tan"),
        (0, "brown"),
        (-30, "dark"),
        (-45, "dark"),
    ],
)
def test_ita_categories(ita, category):
    assert ita_category(ita) == category


@pytest.mark.parametrize(
    "a_star, baseline, expected",
    [(15, 15, 0.0), (10, 15, 0.0), (17.5, 15, 0.5), (25, 15, 2.0), (60, 15, 4.0)],
)
def test_redness_relative_scales_and_clamps(a_star, baseline, expected):
    assert redness_relative(a_star, baseline) == pytest.approx(expected)


# --- redness ----------------------------------------------------------------


@pytest.fixture(scope="module")
def ladder_results(ladder) -> list[Measurements]:
    return [measure(photo, reference=synth.REFERENCE_PATCH) for photo in ladder]


def test_redness_ladder_is_ranked_correctly(ladder_results):
    results = ladder_results
    expected = list(range(len(LADDER)))
    assert ranks([m.a_star for m in results]) == expected
    assert ranks([m.delta_a_star for m in results]) == expected
    assert ranks([m.erythema_index for m in results]) == expected
    # Untouched skin: treated area and reference patch are the same colour.
    assert abs(results[0].delta_a_star) < 1.0


@pytest.mark.parametrize("factor", [0.8, 1.2])
@pytest.mark.parametrize("how", ["exposure", "encoded"])
def test_brightness_change_moves_delta_a_star_less_than_a_ladder_step(plain_skin, ladder_results, factor, how):
    deltas = [m.delta_a_star for m in ladder_results]
    smallest_step = min(np.diff(deltas))
    middle = synth.add_redness(plain_skin, DEFAULT_ROI, LADDER[2])
    if how == "exposure":  # camera exposure: scales linear light
        changed = synth.to_image(synth.relight(middle, gain=factor))
    else:  # editor brightness: scales the encoded 8-bit values
        changed = synth.brighten_encoded(synth.to_image(middle), factor)
    shifted = measure(changed, reference=synth.REFERENCE_PATCH).delta_a_star
    assert abs(shifted - deltas[2]) < smallest_step


def test_measurements_are_plausible_for_the_skin_tone(ladder):
    result = measure(ladder[0])
    expected_l, expected_a, expected_b = srgb_to_lab(np.array(synth.SKIN_TONE, np.uint8))
    assert result.l_star == pytest.approx(expected_l, abs=1.5)
    assert result.a_star == pytest.approx(expected_a, abs=1.5)
    assert result.b_star == pytest.approx(expected_b, abs=1.5)
    assert result.ita_category == ita_category(result.ita)
    assert result.delta_a_star is None
    assert set(result.as_dict()) == set(Measurements.__dataclass_fields__)
    assert json.loads(json.dumps(result.as_dict()))["mean_rgb"] == list(result.mean_rgb)
    assert all(type(value) in (int, float, str, list, type(None)) for value in result.as_dict().values())


# --- spots ------------------------------------------------------------------


def spotted(skin: np.ndarray, count: int, seed: int = 7) -> tuple[Image.Image, list]:
    centres = synth.spot_centres(count, DEFAULT_ROI, SPOT_RADIUS, seed)
    return synth.to_image(synth.add_spots(skin, centres, SPOT_RADIUS)), centres


@pytest.mark.parametrize("count", [0, 3, 12])
def test_spots_are_counted(plain_skin, count):
    photo, _ = spotted(plain_skin, count)
    assert abs(measure(photo).spot_count - count) <= 1


def test_smooth_shadow_is_not_a_spot(plain_skin):
    photo = synth.to_image(synth.add_shadow(plain_skin, depth=0.6))
    assert measure(photo).spot_count == 0


def test_warm_shadow_is_not_a_spot(plain_skin):
    # Shade that also turns yellower: only the local background rejects it.
    photo = synth.to_image(synth.add_shadow(plain_skin, depth=0.6, warmth=1.0))
    assert measure(photo).spot_count == 0


def test_small_grey_marks_are_not_pigment_spots(plain_skin):
    # Compact and darker, like cast shadows of dust or a pen dot, but not browner.
    centres = synth.spot_centres(6, DEFAULT_ROI, SPOT_RADIUS, seed=2)
    photo = synth.to_image(synth.add_spots(plain_skin, centres, SPOT_RADIUS, strength=0.4, absorption=synth.NEUTRAL))
    assert measure(photo).spot_count == 0


def test_hairs_are_not_spots(plain_skin):
    photo = synth.to_image(synth.add_hairs(plain_skin, 4, DEFAULT_ROI, width=0.005, seed=4))
    assert measure(photo).spot_count == 0


def test_spots_in_shadow_are_still_counted(plain_skin):
    photo, _ = spotted(synth.add_shadow(plain_skin, depth=0.5), 5, seed=3)
    assert abs(measure(photo).spot_count - 5) <= 1


def test_spot_outlines_surround_the_spots(plain_skin):
    photo, centres = spotted(plain_skin, 3)
    boxes = spot_outlines(photo)
    assert len(boxes) == measure(photo).spot_count
    width, height = photo.size
    for cx, cy in centres:
        x, y = cx * width, cy * height
        assert any(left <= x <= right and top <= y <= bottom for left, top, right, bottom in boxes)


def test_spot_mask_and_fraction_match_the_painted_area(plain_skin):
    photo, _ = spotted(plain_skin, 12)
    mask = spot_mask(photo)
    assert mask.shape == (photo.height, photo.width)
    roi_pixels = (photo.width // 2) * (photo.height // 2)
    painted = 12 * np.pi * (SPOT_RADIUS * photo.width) ** 2 / roi_pixels
    result = measure(photo)
    assert result.spot_fraction == pytest.approx(mask.sum() / roi_pixels, rel=0.01)
    assert result.spot_fraction == pytest.approx(painted, rel=0.4)


# --- lighting -----------------------------------------------------------------
# The light is read on what does not heal: here a plain wall across the bottom.


@pytest.fixture(scope="module")
def skin_and_wall(plain_skin) -> np.ndarray:
    return synth.add_wall(plain_skin)


def test_dim_yellow_photo_is_flagged(skin_and_wall):
    baseline = measure(synth.to_image(skin_and_wall))
    dim_yellow = measure(synth.to_image(synth.relight(skin_and_wall, 0.55, cast=(1.0, 0.95, 0.6))))
    assert lighting_differs(baseline, dim_yellow)


@pytest.mark.parametrize(
    "gain, cast",
    [(0.35, (1, 1, 1)), (1.0, (1.0, 1.0, 0.6)), (1.0, (0.7, 1.0, 1.2))],
)
def test_exposure_or_colour_cast_alone_is_flagged(skin_and_wall, gain, cast):
    baseline = measure(synth.to_image(skin_and_wall))
    other = measure(synth.to_image(synth.relight(skin_and_wall, gain, cast)))
    assert lighting_differs(baseline, other)


def test_jpeg_quality_does_not_count_as_different_lighting(skin_and_wall):
    photo = synth.to_image(skin_and_wall)
    high = measure(synth.jpeg_roundtrip(photo, 95))
    low = measure(synth.jpeg_roundtrip(photo, 70))
    assert not lighting_differs(high, low)
    assert not lighting_differs(high, high)
    assert lighting.check(high.light, low.light) == lighting.SAME


def test_small_exposure_drift_is_tolerated(skin_and_wall):
    baseline = measure(synth.to_image(skin_and_wall))
    other = measure(synth.to_image(synth.relight(skin_and_wall, 1.15, cast=(1.0, 1.0, 0.97))))
    assert not lighting_differs(baseline, other)


def test_a_frame_of_skin_alone_leaves_the_light_unchecked_not_flagged(plain_skin):
    # Skin outside the region heals too: it is no probe of the light, so even a
    # dim yellow light is "not checked" here, never guessed from the skin.
    baseline = measure(synth.to_image(synth.add_redness(plain_skin, Rect(0, 0, 1, 1), 0.8)))
    calmer = measure(synth.to_image(synth.add_redness(plain_skin, Rect(0, 0, 1, 1), 0.1)))
    dim_yellow = measure(synth.to_image(synth.relight(plain_skin, 0.55, cast=(1.0, 0.95, 0.6))))
    for other in (calmer, dim_yellow):
        assert lighting.check(baseline.light, other.light) == lighting.UNCHECKED
        assert not lighting_differs(baseline, other)
    assert lighting.check(None, baseline.light) == lighting.UNCHECKED  # as a first photo, too


def test_light_probes_stored_before_the_neutral_frame_stay_readable():
    # Old records kept the mean of the frame around the region ("surround"):
    # skin on a face, so it is not trusted; the card and the patch still are.
    old = lighting.LightProbes.from_json('{"surround": [0.3, 0.2, 0.15], "reference": [0.4, 0.3, 0.2]}')
    assert old is not None and old.values == {"reference": (0.4, 0.3, 0.2)} and old.frame is None
    only_surround = lighting.LightProbes.from_json('{"surround": [0.3, 0.2, 0.15]}')
    assert lighting.check(only_surround, only_surround) == lighting.UNCHECKED


def test_light_probes_round_trip_through_json(skin_and_wall):
    probes = measure(synth.to_image(skin_and_wall)).light
    again = lighting.LightProbes.from_json(probes.to_json())
    assert again is not None and again.frame is not None
    assert again.frame.neutral == probes.frame.neutral and len(again.frame.neutral) >= lighting.MIN_NEUTRAL_TILES
    assert lighting.check(probes, again) == lighting.SAME


# --- resolution, sharpness, clipping -------------------------------------------


@pytest.fixture(scope="module")
def twelve_megapixels() -> Image.Image:
    linear = synth.skin(4000, 3000, seed=5)
    linear = synth.add_redness(linear, DEFAULT_ROI, 0.6)
    centres = synth.spot_centres(3, DEFAULT_ROI, SPOT_RADIUS, seed=11)
    return synth.to_image(synth.add_spots(linear, centres, SPOT_RADIUS))


def caller_downscale(image: Image.Image) -> Image.Image:
    """What the app does at ingest: shrink to ~1024 px on the long side."""
    small = image.copy()
    small.thumbnail((1024, 1024))
    return small


def test_resolution_does_not_change_the_measurements(twelve_megapixels):
    three_megapixels = twelve_megapixels.resize((2000, 1500), Image.Resampling.LANCZOS)
    from_12 = measure(caller_downscale(twelve_megapixels))
    from_3 = measure(caller_downscale(three_megapixels))
    assert abs(from_12.a_star - from_3.a_star) < 1.0
    assert from_12.spot_count == from_3.spot_count == 3


def test_oversized_photo_is_measured_like_its_downscaled_copy(twelve_megapixels):
    direct = measure(twelve_megapixels)
    assert abs(direct.a_star - measure(caller_downscale(twelve_megapixels)).a_star) < 1.0
    assert direct.spot_count == 3
    # Outlines come back in the pixel grid of the image that was passed in.
    boxes = spot_outlines(twelve_megapixels)
    assert all(right > 1000 and bottom > 750 for _, _, right, bottom in boxes)


def test_blur_lowers_sharpness(ladder):
    sharp = measure(ladder[0]).sharpness
    blurred = measure(ladder[0].filter(ImageFilter.GaussianBlur(3))).sharpness
    assert blurred < sharp / 5


def test_clipping_fractions():
    pixels = np.full((200, 400, 3), 128, np.uint8)
    pixels[:, :100] = 255  # a quarter blown out
    pixels[:50, 300:] = 0  # a sixteenth crushed
    pixels[50:100, 300:] = (255, 0, 0)  # saturated red: highlight, not shadow
    result = measure(Image.fromarray(pixels))
    assert result.clipped_highlights == pytest.approx(0.25 + 1 / 16)
    assert result.clipped_shadows == pytest.approx(1 / 16)
    assert result.mean_rgb[1] == pytest.approx(128 * 0.625 + 255 * 0.25)
