"""Registration of a photo to its area's baseline, aligned crops and the time-lapse."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from photometry import alignment
from photometry.alignment import NotAligned, Registration, features, register
from photometry.regions import Rect
from tests import synthetic_card as synth_card
from tests import synthetic_skin as synth
from tests import synthetic_views as views

WIDTH, HEIGHT = views.VIEW_SIZE
BASELINE = views.view_matrix()


@pytest.fixture(scope="module")
def baseline_photo() -> Image.Image:
    return views.view(BASELINE, noise_seed=1)


@pytest.fixture(scope="module")
def baseline_features(baseline_photo) -> alignment.Features:
    return features(np.asarray(baseline_photo))


def worst_error_px(registration: Registration, truth: np.ndarray) -> float:
    """Largest distance between where the fit and the truth send points of the overlap, in pixels."""
    grid = np.array([[x, y] for x in np.linspace(0, WIDTH, 17) for y in np.linspace(0, HEIGHT, 13)])
    expected = alignment.map_points(truth, grid)
    inside = (expected[:, 0] >= 0) & (expected[:, 0] <= WIDTH) & (expected[:, 1] >= 0) & (expected[:, 1] <= HEIGHT)
    found = alignment.map_points(registration.matrix, grid / [WIDTH, HEIGHT]) * [WIDTH, HEIGHT]
    return float(np.hypot(*(found - expected)[inside].T).max())


@pytest.mark.parametrize(
    "dx, dy, angle, scale",
    [
        (40, -25, 0, 1.0),  # shifted
        (-90, 60, 0, 1.0),
        (0, 0, 12, 1.0),  # turned
        (0, 0, -30, 1.0),
        (0, 0, 0, 1.2),  # closer
        (0, 0, 0, 0.85),  # further
        (-60, 30, -20, 0.87),  # all at once
        (25, 40, 35, 1.13),
    ],
)
def test_registration_recovers_known_shifts_rotations_and_scales(baseline_features, dx, dy, angle, scale):
    matrix = views.view_matrix(dx, dy, angle, scale)
    photo = views.view(matrix, noise_seed=7)
    registration = register(features(np.asarray(photo)), baseline_features)
    assert worst_error_px(registration, views.photo_to_baseline(matrix, BASELINE)) <= 2.0  # at 1024 px
    assert registration.scale == pytest.approx(scale, rel=0.01)
    assert registration.rotation_deg == pytest.approx(-angle, abs=0.5)
    assert registration.inliers >= alignment.MIN_INLIERS and registration.error_px < 3.0
    again = Registration.from_json(registration.to_json())
    assert np.allclose(again.matrix, registration.matrix, atol=1e-6) and again.inliers == registration.inliers


def test_registration_ignores_the_card_which_moves_on_its_own(baseline_photo):
    # The card lies somewhere else each day; masked out, it cannot pull the fit.
    first = synth_card.corners((180, 640), 260, angle_deg=5)
    second = synth_card.corners((860, 130), 260, angle_deg=-25)
    with_card = views.view(BASELINE, 2, synth_card.place(views.scene(), first / views.BASE_SCALE))
    matrix = views.view_matrix(30, -20, 8, 1.05)
    moved = synth_card.place(views.scene(), second / views.BASE_SCALE)
    other = views.view(matrix, 3, moved)

    def card_free(image: Image.Image) -> alignment.Features:
        from photometry.calibration import detect_card

        found = detect_card(np.asarray(image))
        assert found is not None
        return features(np.asarray(image), exclude=found.contains(*image.size))

    registration = register(card_free(other), card_free(with_card))
    assert worst_error_px(registration, views.photo_to_baseline(matrix, BASELINE)) <= 2.0


def test_a_photo_of_other_skin_cannot_be_aligned_and_says_so(baseline_features):
    other_skin = synth.to_image(synth.add_pores(synth.skin(seed=99), seed=98))
    with pytest.raises(NotAligned, match="same skin|lined up"):
        register(features(np.asarray(other_skin)), baseline_features)
    featureless = Image.new("RGB", (WIDTH, HEIGHT), (200, 150, 130))
    with pytest.raises(NotAligned, match="too little skin texture"):
        register(features(np.asarray(featureless)), baseline_features)


def test_region_follows_the_registration(baseline_features):
    matrix = views.view_matrix(-150, -80, 0, 1.0)
    registration = register(features(np.asarray(views.view(matrix, 5))), baseline_features)
    region = Rect(0.3, 0.3, 0.7, 0.7)
    assert alignment.covers(registration.matrix, region)
    where = alignment.region_in_photo(registration.matrix, region)
    # Shifted up-left by (150, 80) px: the same skin appears that much up-left in the photo.
    assert where[0] * [WIDTH, HEIGHT] == pytest.approx([0.3 * WIDTH - 150, 0.3 * HEIGHT - 80], abs=2)
    assert not alignment.covers(registration.matrix, Rect(0.0, 0.0, 0.2, 0.2))


def test_aligned_crops_of_two_days_show_the_same_skin(baseline_photo, baseline_features):
    matrix = views.view_matrix(50, -40, 15, 1.1)
    photo = views.view(matrix, 9)
    registration = register(features(np.asarray(photo)), baseline_features)
    crop = Rect(0.3, 0.3, 0.7, 0.7)
    first, second = alignment.aligned_pair(
        baseline_photo, None, photo, registration.matrix, crop, baseline_photo.size, long_side=400
    )
    assert first.size == second.size == (400, 300)
    a, b = (np.asarray(image, np.float32) for image in (first, second))
    unaligned = np.asarray(baseline_photo.crop((307, 230, 717, 538)).resize((400, 300)), np.float32)
    shifted = np.asarray(photo.crop((307, 230, 717, 538)).resize((400, 300)), np.float32)
    # Aligned, the two days differ by little more than their sensor noise; unaligned, by the texture.
    assert np.abs(a - b).mean() < 0.5 * np.abs(unaligned - shifted).mean()


@pytest.mark.parametrize("fmt", ["WEBP", "GIF"])
def test_timelapse_is_an_animation_of_aligned_frames(baseline_photo, baseline_features, fmt):
    frames = [(baseline_photo, None)]
    for index, (dx, angle) in enumerate([(40, 5), (-30, -10)]):
        photo = views.view(views.view_matrix(dx, 0, angle, 1.0), 20 + index)
        frames.append((photo, register(features(np.asarray(photo)), baseline_features).matrix))
    crop = Rect(0.25, 0.25, 0.75, 0.75)
    captions = ["Day 0", "Day 3", "Day 7"]
    data = alignment.timelapse(frames, crop, baseline_photo.size, long_side=320, fmt=fmt, captions=captions)
    animation = Image.open(io.BytesIO(data))
    assert animation.format == fmt and animation.n_frames == 3 and animation.size == (320, 240)
    first_frame = np.asarray(animation.convert("RGB"), np.float32)
    animation.seek(2)
    last_frame = np.asarray(animation.convert("RGB"), np.float32)
    # Aligned: the frames differ little away from the caption.
    assert np.abs(first_frame[60:, 60:] - last_frame[60:, 60:]).mean() < 8
