"""The demo's photos: one patch of synthetic skin, photographed again each day.

A demo whose photos cannot be lined up hides what the Photos page does, so
every day's photo shows the *same* skin (pores, freckles, a few hairs: the
texture the app's ORB + RANSAC alignment needs), framed a little differently:
shifted, turned and closer or further, as a phone held by hand would. The
treated patch reddens and fades, and marks appear, in the skin's own place,
so they stay put when the photos are lined up. The reference card lies beside
the area on some days, where a patient would lay it, at its own angle.

Built in linear light (shading and redness multiply there), encoded to sRGB
like a camera. Everything is seeded: the same day gives the same bytes.
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from photometry import card
from photometry.colour import DECODE_LUT

SCENE_SIZE = (1600, 1200)  # the skin the photos are cut from, larger than any framing
PHOTO_SIZE = (1200, 900)
BASE_SCALE = 0.75  # scene pixels -> photo pixels on the first day
SKIN_TONE = (214, 166, 138)  # sRGB, light-intermediate
# Absorption per unit amount, as exponents on linear R, G, B (Beer-Lambert):
# blood takes green and some blue, melanin more blue than red.
HAEMOGLOBIN = np.array([0.0, 0.35, 0.2], np.float32)
MELANIN = np.array([0.6, 0.85, 1.1], np.float32)
REDNESS_STRENGTH = 1.2  # density at redness 1.0 (a rating of 4)
SPOT_STRENGTH = 0.8
# The card's corners are laid on the photo, not the skin: it moves on its own.
CARD_CENTRE = (0.12, 0.88)  # relative to the photo: bottom-left, clear of the measured region
CARD_WIDTH = 0.19  # of the photo's width


@dataclass(frozen=True)
class Framing:
    """How the phone was held: shift (photo pixels), turn (degrees), scale (>1: closer)."""

    dx: float = 0.0
    dy: float = 0.0
    angle_deg: float = 0.0
    scale: float = 1.0


def framing_of(shot: int) -> Framing:
    """A hand-held framing for the `shot`-th day of the journal: within about
    40 px, 8 degrees and 8 % of the first's, which the alignment handles (it is
    tested on wider ones). Shot 0 is the first photo, the one every other is
    lined up with."""
    if shot == 0:
        return Framing()
    rng = np.random.default_rng(1000 + shot)
    dx, dy = rng.uniform(-40, 40, 2)
    return Framing(float(dx), float(dy), float(rng.uniform(-8, 8)), float(rng.uniform(0.93, 1.08)))


def _srgb_decode(encoded: np.ndarray) -> np.ndarray:
    return np.where(encoded <= 0.04045, encoded / 12.92, ((encoded + 0.055) / 1.055) ** 2.4)


def _smooth_noise(size: tuple[int, int], grid: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    coarse = rng.standard_normal((grid[1], grid[0])).astype(np.float32)
    return cv2.resize(coarse, size, interpolation=cv2.INTER_CUBIC)


def _absorb(linear: np.ndarray, absorption: np.ndarray, density: np.ndarray) -> np.ndarray:
    result = linear.copy()
    for channel, coefficient in enumerate(absorption):
        if coefficient:
            result[..., channel] *= np.exp(-coefficient * density)
    return result


@functools.cache
def _skin(patch: int) -> np.ndarray:
    """The untreated skin of one area (`patch`) in linear RGB (float32, H x W x 3);
    built once per process."""
    width, height = SCENE_SIZE
    rng = np.random.default_rng(7 + patch)
    base = _srgb_decode(np.array(SKIN_TONE, np.float32) / 255.0).astype(np.float32)
    brightness = 1.0 + 0.04 * _smooth_noise(SCENE_SIZE, (24, 18), rng)
    brightness *= 1.0 + 0.03 * rng.standard_normal((height, width), dtype=np.float32)
    linear = base * brightness[..., None]
    linear = _absorb(linear, HAEMOGLOBIN, 0.08 * _smooth_noise(SCENE_SIZE, (40, 30), rng))
    # Pores: many 1-2 px dots; freckles: a few dozen soft brown dots; hairs: thin lines.
    pores = np.zeros((height, width), np.float32)
    count = int(4000 * width * height / 1e6)
    pores[rng.integers(1, height - 1, count), rng.integers(1, width - 1, count)] = rng.uniform(0.15, 0.35, count)
    pores = cv2.dilate(pores, cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))) * 0.5 + pores * 0.5
    freckles = np.zeros((height, width), np.float32)
    for x, y, r in zip(rng.uniform(60, width - 60, 40), rng.uniform(60, height - 60, 40), rng.uniform(4, 8, 40)):
        # Around the treated area, not in it: the photos' spot count then starts at
        # none and shows just the new marks, as the patient's ratings do.
        if abs(x / width - 0.5) < 0.3 and abs(y / height - 0.5) < 0.3:
            continue
        cv2.circle(freckles, (round(x), round(y)), round(r), 0.6, -1, cv2.LINE_AA)
    for x, y, turn in zip(rng.uniform(100, width - 100, 12), rng.uniform(100, height - 100, 12), rng.uniform(0, 3, 12)):
        if abs(x / width - 0.5) < 0.3 and abs(y / height - 0.5) < 0.3:
            continue  # hairs, too, around the treated area
        reach = 0.07 * width
        ends = (round(x - reach * math.cos(turn)), round(y - reach * math.sin(turn)))
        cv2.line(freckles, ends, (round(x + reach * math.cos(turn)), round(y + reach * math.sin(turn))), 2.0, 2)
    return _absorb(linear, MELANIN, np.maximum(pores, cv2.GaussianBlur(freckles, (0, 0), 1.2)))


@functools.cache
def _treated() -> np.ndarray:
    """Where redness shows: a soft patch over the middle of the skin (scene pixels)."""
    width, height = SCENE_SIZE
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    return np.asarray(np.exp(-(((xs - width / 2) / (width * 0.2)) ** 4 + ((ys - height / 2) / (height * 0.2)) ** 4)))


@functools.cache
def _marks(count: int) -> np.ndarray:
    """`count` new brown marks inside the treated patch, always at the same places."""
    width, height = SCENE_SIZE
    rng = np.random.default_rng(1234)
    density = np.zeros((height, width), np.float32)
    for _ in range(count):
        x, y = rng.uniform(0.4, 0.6) * width, rng.uniform(0.4, 0.6) * height
        cv2.circle(density, (round(x), round(y)), round(rng.uniform(7, 12)), 1.0, -1, cv2.LINE_AA)
    return cv2.GaussianBlur(density, (0, 0), 2.0)


def _view_matrix(framing: Framing) -> np.ndarray:
    """Scene pixels -> photo pixels for `framing` (2 x 3)."""
    turn = math.radians(framing.angle_deg)
    factor = BASE_SCALE * framing.scale
    rotation = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]]) * factor
    centre = np.array(SCENE_SIZE, np.float64) / 2
    shift = np.array(PHOTO_SIZE, np.float64) / 2 + [framing.dx, framing.dy] - rotation @ centre
    return np.column_stack([rotation, shift])


def _lay_card(linear: np.ndarray, angle_deg: float) -> np.ndarray:
    """The printed card laid flat beside the area (its printed colours act as reflectance)."""
    height, width = linear.shape[:2]
    card_width = CARD_WIDTH * width
    card_height = card_width * card.CARD_HEIGHT_MM / card.CARD_WIDTH_MM
    bitmap = card.card_bitmap(max(2.0, 1.5 * card_width / card.CARD_WIDTH_MM))
    bh, bw = bitmap.shape[:2]
    turn = math.radians(angle_deg)
    rotation = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    local = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * [card_width / 2, card_height / 2]
    outline = local @ rotation.T + [CARD_CENTRE[0] * width, CARD_CENTRE[1] * height]
    source = np.array([[0, 0], [bw, 0], [bw, bh], [0, bh]], np.float32)
    homography = cv2.getPerspectiveTransform(source, outline.astype(np.float32))
    warped = cv2.warpPerspective(DECODE_LUT[bitmap], homography, (width, height), flags=cv2.INTER_AREA)
    cover = cv2.warpPerspective(np.ones((bh, bw), np.float32), homography, (width, height))[..., None]
    return linear * (1 - cover) + warped * cover


# Encoding through a table over 16-bit linear values: quick, and exact to well under one 8-bit step.
_ENCODE = np.linspace(0, 1, 65536)
_ENCODE_LUT = np.clip(
    np.where(_ENCODE <= 0.0031308, _ENCODE * 12.92, 1.055 * _ENCODE ** (1 / 2.4) - 0.055) * 255 + 0.5, 0, 255
).astype(np.uint8)


def day_photo(shot: int, redness: float, marks: int = 0, *, with_card: bool = False, patch: int = 0) -> bytes:
    """The JPEG of area `patch` taken on the journal's `shot`-th day: redness 0-1
    in the treated patch, `marks` new brown marks, the card beside the area when
    `with_card`."""
    skin = _skin(patch)
    if redness > 0:
        skin = _absorb(skin, HAEMOGLOBIN, REDNESS_STRENGTH * float(np.clip(redness, 0, 1)) * _treated())
    if marks:
        skin = _absorb(skin, MELANIN, SPOT_STRENGTH * _marks(marks))
    framing = framing_of(shot)
    photo = cv2.warpAffine(
        skin, _view_matrix(framing), PHOTO_SIZE, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
    )
    if with_card:
        photo = _lay_card(photo, angle_deg=-6 + 3 * (shot % 5))
    # Fresh sensor noise each day: the alignment must rely on the skin, as with real photos.
    grain = 1 + 0.015 * np.random.default_rng(shot).standard_normal(photo.shape[:2]).astype(np.float32)
    index = (np.clip(photo * grain[..., None], 0.0, 1.0) * 65535 + 0.5).astype(np.uint16)
    buffer = io.BytesIO()
    Image.fromarray(_ENCODE_LUT[index], "RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()
