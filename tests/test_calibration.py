"""The reference card in generated photos: detection, correction under different lights, lighting check."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from photometry import card
from photometry.calibration import calibrate, detect_card
from photometry.metrics import Rect, lighting_differs, measure
from tests import synthetic_card as synth_card
from tests import synthetic_skin as synth

ROI = Rect(0.2, 0.15, 0.6, 0.6)
REFERENCE = Rect(0.03, 0.7, 0.2, 0.95)  # untreated skin, bottom-left; the card sits bottom-right
LADDER = (0.0, 0.3, 0.6, 0.9)
# (exposure gain, per-channel cast): casts up to ±30 %, exposure -30 % to +15 %.
LIGHTS = {
    "neutral": (1.0, (1.0, 1.0, 1.0)),
    "warm, dim": (0.7, (1.3, 1.0, 0.7)),
    "cool, bright": (1.15, (0.75, 1.0, 1.3)),
    "yellow": (0.85, (1.2, 1.1, 0.75)),
    "blue-green, dim": (0.7, (0.8, 1.05, 1.25)),
}
OUTLINE = synth_card.corners((840, 630), 290, angle_deg=-14, keystone=0.08)


@pytest.fixture(scope="module")
def ladder_scenes() -> list[np.ndarray]:
    skin = synth.add_pores(synth.skin(seed=11), seed=12)
    return [synth_card.place(synth.add_redness(skin, ROI, amount), OUTLINE) for amount in LADDER]


def photo(scene: np.ndarray, light: str) -> Image.Image:
    gain, cast = LIGHTS[light]
    return synth.to_image(synth.relight(scene, gain, cast))


def corrected(image: Image.Image, reference: Rect | None = None):
    calibration = calibrate(np.asarray(image))
    assert calibration.correction is not None, calibration.problem
    return measure(
        image,
        ROI,
        reference,
        correction=calibration.correction,
        mm_per_px=calibration.mm_per_px,
        exclude=calibration.card.contains(*image.size),
    )


def ranks(values) -> list[int]:
    return list(np.argsort(np.argsort(values)))


# --- detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "centre, width, angle, keystone",
    [((300, 250), 260, 0, 0.0), ((700, 500), 330, 37, 0.0), ((520, 400), 300, -120, 0.15), ((250, 560), 220, 200, 0.1)],
)
def test_card_is_found_at_any_position_rotation_and_moderate_perspective(centre, width, angle, keystone):
    outline = synth_card.corners(centre, width, angle, keystone)
    pixels = np.asarray(synth.to_image(synth_card.place(synth.skin(seed=2), outline)))
    found = detect_card(pixels)
    assert found is not None and found.markers_found == 4
    assert np.abs(found.outline - outline).max() < 2.0  # pixels
    if keystone == 0:
        assert found.mm_per_px == pytest.approx(1 / synth_card.px_per_mm(outline), rel=0.01)


def test_no_card_is_found_in_plain_skin_or_with_only_one_marker_visible():
    skin = synth.skin(seed=3)
    assert detect_card(np.asarray(synth.to_image(skin))) is None
    # Three markers covered by a finger-coloured blob: one marker is too little to trust.
    outline = synth_card.corners((512, 384), 400)
    pixels = np.asarray(synth.to_image(synth_card.place(skin, outline))).copy()
    pixels[384 - 120 :, :] = (200, 150, 130)
    pixels[:, 512:] = (200, 150, 130)
    assert detect_card(pixels) is None


def test_the_card_on_the_page_is_the_card_detected():
    # The printed page's bitmap (as the PNG carries it) holds two detectable cards.
    pixels = card.render_bitmap(card.page_shapes(), card.PAGE_WIDTH_MM, card.PAGE_HEIGHT_MM, 4.0)
    left_half = np.ascontiguousarray(pixels[:, : pixels.shape[1] // 2 + 20])
    found = detect_card(left_half)
    assert found is not None and found.markers_found == 4
    assert found.mm_per_px == pytest.approx(0.25, rel=0.01)


# --- correction ------------------------------------------------------------------------


def test_redness_agrees_across_lights_after_correction(ladder_scenes):
    for scene in ladder_scenes:
        under = {light: corrected(photo(scene, light)) for light in LIGHTS}
        values = [m.a_star for m in under.values()]
        assert max(values) - min(values) <= 1.5, {light: round(m.a_star, 2) for light, m in under.items()}
        assert all(m.calibration == "card" for m in under.values())


def test_without_correction_the_same_lights_move_redness_much_more(ladder_scenes):
    # Guards the test above: the lights really are different enough to matter.
    values = [measure(photo(ladder_scenes[1], light), ROI).a_star for light in LIGHTS]
    assert max(values) - min(values) > 5


def test_redness_ladder_ranks_right_under_every_light(ladder_scenes):
    for light in LIGHTS:
        results = [corrected(photo(scene, light)) for scene in ladder_scenes]
        assert ranks([m.a_star for m in results]) == list(range(len(LADDER))), light
        assert ranks([m.erythema_index for m in results]) == list(range(len(LADDER))), light


def test_residual_error_of_the_patches_is_small_and_clipped_white_is_left_out(ladder_scenes):
    for light in LIGHTS:
        calibration = calibrate(np.asarray(photo(ladder_scenes[0], light)))
        assert calibration.correction is not None
        assert calibration.correction.residual_delta_e < 1.0, light
        assert calibration.correction.patches_used >= 5
    # Bright cool light: the blue channel of the white patch clips, the greys carry on.
    bright = calibrate(np.asarray(photo(ladder_scenes[0], "cool, bright")))
    assert bright.card.patch_clipped[0] and bright.correction.patches_used < len(card.PATCH_LEVELS)


def test_a_washed_out_card_gives_a_reason_instead_of_a_correction(ladder_scenes):
    blown = synth.to_image(synth.relight(ladder_scenes[0], 60.0))
    calibration = calibrate(np.asarray(blown))
    assert calibration.card_found and calibration.correction is None
    assert "too brightly lit" in calibration.problem


# --- lighting check ------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["card", "reference", "frame"])
def test_a_redness_ladder_under_one_light_is_never_flagged_but_a_dim_yellow_copy_is(ladder_scenes, source):
    def measured(image: Image.Image):
        if source == "card":
            result = corrected(image)
        elif source == "frame":
            return measure(image, ROI)
        else:
            result = measure(image, ROI, REFERENCE if source == "reference" else None)
        assert result.light.values.keys() >= {source}
        return result

    def only(result):
        # Keep just the source under test, so the comparison cannot fall back to another.
        from photometry.lighting import LightProbes

        probes = (
            LightProbes({}, result.light.frame)
            if source == "frame"
            else LightProbes({source: result.light.values[source]})
        )
        return type(result)(**{**result.__dict__, "light": probes})

    # The frame is read on something neutral: a strip of wall along the top, above the region.
    scenes = [synth.add_wall(scene, Rect(0.0, 0.0, 1.0, 0.12)) for scene in ladder_scenes]
    # A wall under a strongly yellow light is no longer grey, so the frame's
    # first photo is taken in neutral light (under the yellow one its light
    # would be "not checked", see test_photometrics).
    light = "neutral" if source == "frame" else "yellow"
    ladder = [only(measured(photo(scene, light))) for scene in scenes]
    if source == "frame":
        assert len(ladder[0].light.frame.neutral) >= 6  # the wall's tiles
    for other in ladder[1:]:
        assert not lighting_differs(ladder[0], other)
    gain, cast = LIGHTS[light]
    dim_yellow = synth.to_image(synth.relight(scenes[0], gain * 0.6, (cast[0], cast[1], cast[2] * 0.7)))
    assert lighting_differs(ladder[0], only(measured(dim_yellow)))
