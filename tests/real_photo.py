"""A real photograph of a person, healing only in the skin: the lighting check's hard case.

The photo is scikit-image's astronaut (Eileen Collins, a NASA portrait in the
public domain), shipped inside the scikit-image wheel: read from the
installed package's files, nothing is downloaded. Everything done to it is in
linear light:

- "redness": haemoglobin absorption (Beer-Lambert, as tests/synthetic_skin.py)
  on the pixels a simple colour rule calls skin, strong on day 0 and fading;
- "framing": the phone held a little differently each day (shift, turn, scale);
- "lamp": the whole scene under another light (exposure and white balance).
"""

from __future__ import annotations

import functools
import importlib.resources
import math

import cv2
import numpy as np
from PIL import Image

from photometry.colour import DECODE_LUT, srgb_to_lab
from tests import synthetic_skin as synth

DAYS = (0, 1, 2, 3, 4, 5, 7, 10, 12, 14)  # ten saves over two weeks
DAY0_REDNESS = 1.5  # haemoglobin density on day 0: a* on the face up by about 15, fading to 1
FADE_DAYS = 4.0  # e-folding time of the redness
WARM_DIM_LAMP = (0.45, (1.2, 1.0, 0.65))  # exposure, per-channel cast (a tungsten desk lamp)


# How a patient frames a photo of a treated face (left, top, right, bottom in
# the 512 x 512 portrait). FACE: the face in the middle, hair, the wall behind
# and the collar around it. CLOSE_UP: the face fills the frame, a strip of
# wall at the sides at most (the frame outside the region is treated skin).
FACE = (110, 0, 370, 260)
CLOSE_UP = (165, 55, 295, 185)
SIZE = 640  # pixels a side, about what the app measures (a ~1000 px preview)
Crop = tuple[int, int, int, int]
Lamp = tuple[float, tuple[float, float, float]]


@functools.cache
def astronaut(crop: Crop = FACE) -> np.ndarray:
    """The portrait cropped as framed, 8-bit sRGB (SIZE x SIZE)."""
    path = importlib.resources.files("skimage") / "data" / "astronaut.png"
    with path.open("rb") as handle:
        portrait = Image.open(handle).convert("RGB")
    return np.asarray(portrait.crop(crop).resize((SIZE, SIZE), Image.Resampling.LANCZOS))


@functools.cache
def skin_mask(crop: Crop = FACE) -> np.ndarray:
    """Float 0..1: where the photo shows skin, by colour alone (CIELAB).

    Skin is moderately saturated, orange-red to yellow and neither very dark
    nor white. The rule also catches some hair and warm highlights on the
    flag: that only makes more of the photo "heal", a harder test.
    """
    lab = srgb_to_lab(astronaut(crop))
    lightness, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    chroma = np.hypot(a, b)
    hue = np.degrees(np.arctan2(b, a))
    mask = (lightness > 30) & (lightness < 92) & (chroma > 10) & (chroma < 40) & (hue > 20) & (hue < 75)
    # Pores and freckles the rule misses are skin too: closed over, then
    # softened, as blood does not stop at a pixel boundary.
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (25, 25))
    closed = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, kernel)
    return cv2.GaussianBlur(closed.astype(np.float32), (0, 0), 3.0)


def redness(day: int) -> float:
    return DAY0_REDNESS * math.exp(-day / FADE_DAYS)


def framing(day: int) -> np.ndarray:
    """2x3 affine matrix: the phone a few pixels off, turned a degree or two, a little closer or further."""
    centre = (SIZE / 2, SIZE / 2)
    angle = 2.0 * math.sin(0.7 * day + 1)
    scale = 1.0 + 0.03 * math.sin(0.5 * day + 2)
    matrix = cv2.getRotationMatrix2D(centre, angle, scale)
    matrix[:, 2] += (6.0 * math.sin(1.1 * day), 5.0 * math.cos(1.3 * day))
    return matrix


def scene(day: int, lamp: Lamp | None = None, crop: Crop = FACE) -> np.ndarray:
    """Linear RGB of the person on `day`: only the skin's redness differs between days."""
    linear = DECODE_LUT[astronaut(crop)]
    linear = synth.add_blood(linear, redness(day) * skin_mask(crop))
    if lamp is not None:
        linear = synth.relight(linear, *lamp)
    return linear


def photo(day: int, lamp: Lamp | None = None, crop: Crop = FACE) -> Image.Image:
    """The day's photo as the phone takes it: framed a little differently, fresh sensor noise, 8-bit sRGB."""
    linear = scene(day, lamp, crop)
    height, width = linear.shape[:2]
    framed = cv2.warpAffine(
        linear, framing(day), (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
    )
    grain = 1 + 0.01 * np.random.default_rng(100 + day).standard_normal((height, width)).astype(np.float32)
    return synth.to_image(framed * grain[..., None])
