"""The same synthetic skin photographed from different places: known shifts, turns and scales.

A large textured scene (pores, freckles, hairs, a red treated patch) is viewed
through a similarity transform per "day", with fresh sensor noise each time,
so registration has to rely on the skin, as with real photos.
"""

from __future__ import annotations

import functools
import math

import cv2
import numpy as np
from PIL import Image

from photometry.regions import Rect
from tests import synthetic_skin as synth

SCENE_SIZE = (1600, 1200)
VIEW_SIZE = (1024, 768)
BASE_SCALE = 0.75  # scene pixels -> photo pixels of the baseline view


@functools.cache
def scene(seed: int = 3) -> np.ndarray:
    width, height = SCENE_SIZE
    linear = synth.skin(width, height, seed=seed)
    linear = synth.add_pores(linear, seed=seed + 1)
    everywhere = Rect(0.05, 0.05, 0.95, 0.95)
    linear = synth.add_spots(linear, synth.spot_centres(25, everywhere, 0.004, seed + 2), 0.004)
    linear = synth.add_hairs(linear, 12, everywhere, 0.002, seed + 3)
    return synth.add_redness(linear, Rect(0.3, 0.3, 0.7, 0.7), 0.6)


def view_matrix(dx: float = 0, dy: float = 0, angle_deg: float = 0, scale: float = 1.0) -> np.ndarray:
    """Scene pixels -> photo pixels: the baseline view shifted (photo pixels), turned and scaled."""
    centre = np.array(SCENE_SIZE, np.float64) / 2
    turn = math.radians(angle_deg)
    rotation = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]]) * BASE_SCALE * scale
    shift = np.array(VIEW_SIZE, np.float64) / 2 + [dx, dy] - rotation @ centre
    return np.vstack([np.c_[rotation, shift], [0, 0, 1]])


def view(matrix: np.ndarray, noise_seed: int, linear: np.ndarray | None = None) -> Image.Image:
    source = scene() if linear is None else linear
    warped = cv2.warpAffine(source, matrix[:2], VIEW_SIZE, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    grain = 1 + 0.015 * np.random.default_rng(noise_seed).standard_normal(warped.shape[:2]).astype(np.float32)
    return synth.to_image(warped * grain[..., None])


def photo_to_baseline(photo: np.ndarray, baseline: np.ndarray) -> np.ndarray:
    """The true mapping from a view's pixels to the baseline view's pixels."""
    return baseline @ np.linalg.inv(photo)
