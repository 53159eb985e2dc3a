"""Synthetic skin photos with known truth, for photo-measurement tests.

Images are built in *linear* light, where the physics is multiplicative:
blood absorbs green (and some blue), melanin absorbs more blue than red,
shadows and exposure scale all channels. `to_image` then encodes to 8-bit
sRGB like a camera would. Mottling is defined on a fixed coarse grid and scaled
to the requested size, so the same seed gives the same skin at any resolution
(only the per-pixel grain differs).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from photometry.metrics import Rect

SKIN_TONE = (210, 160, 135)  # sRGB; light-intermediate skin, a* ~ 15
# One tone (sRGB) inside each ITA category (Chardon / Del Bino), lightest first.
ITA_TONES = {
    "very light": (232, 200, 180),
    "light": (220, 178, 150),
    "intermediate": (205, 158, 128),
    "tan": (185, 130, 95),
    "brown": (160, 105, 75),
    "dark": (95, 62, 46),
}
REFERENCE_PATCH = Rect(0.03, 0.05, 0.2, 0.3)  # untreated, outside DEFAULT_ROI
# Absorption per unit amount, as exponents on linear R, G, B.
HAEMOGLOBIN = np.array([0.0, 0.35, 0.2], np.float32)
MELANIN = np.array([0.6, 0.85, 1.1], np.float32)
NEUTRAL = np.array([1.0, 1.0, 1.0], np.float32)  # a shadow: all channels alike
# Melanin deep in the dermis looks grey-brown: darker, with less colour shift.
GREY_BROWN = np.array([0.75, 0.85, 0.95], np.float32)


def _srgb_decode(encoded: np.ndarray) -> np.ndarray:
    return np.where(encoded <= 0.04045, encoded / 12.92, ((encoded + 0.055) / 1.055) ** 2.4)


def _srgb_encode(linear: np.ndarray) -> np.ndarray:
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)


def _smooth_noise(width: int, height: int, grid: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Low-frequency noise (std ~1) defined on `grid` cells, scaled to the image."""
    coarse = rng.standard_normal((grid[1], grid[0])).astype(np.float32)
    return np.asarray(Image.fromarray(coarse, "F").resize((width, height), Image.Resampling.BICUBIC))


def skin(width: int = 1024, height: int = 768, tone=SKIN_TONE, seed: int = 0) -> np.ndarray:
    """Textured skin in linear RGB (float32, HxWx3): mottling plus fine grain."""
    rng = np.random.default_rng(seed)
    base = _srgb_decode(np.array(tone, np.float32) / 255.0).astype(np.float32)
    # Mottling: slow variations of brightness and of redness.
    brightness = 1.0 + 0.04 * _smooth_noise(width, height, (24, 18), rng)
    blotches = 0.08 * _smooth_noise(width, height, (40, 30), rng)
    # Grain: pores and sensor noise, per pixel, luminance only.
    brightness *= 1.0 + 0.03 * rng.standard_normal((height, width), dtype=np.float32)
    return _absorb(base * brightness[..., None], HAEMOGLOBIN, blotches)


def _absorb(linear: np.ndarray, absorption: np.ndarray, density: np.ndarray) -> np.ndarray:
    """Beer-Lambert: each channel times exp(-absorption * density).

    Channel by channel on 2-D arrays, which is several times faster than
    broadcasting exp over the whole HxWx3 array.
    """
    result = linear.copy()
    for channel, coefficient in enumerate(absorption):
        if coefficient:
            result[..., channel] *= np.exp(-coefficient * density)
    return result


def add_blood(linear: np.ndarray, density: np.ndarray) -> np.ndarray:
    """Erythema of strength `density` (HxW, 0 none, ~1 marked) wherever it is given."""
    return _absorb(linear, HAEMOGLOBIN, density)


WALL = Rect(0.0, 0.8, 1.0, 1.0)  # a plain wall across the bottom of the frame, outside DEFAULT_ROI


def add_wall(linear: np.ndarray, rect: Rect = WALL, grey: float = 0.3, seed: int = 9) -> np.ndarray:
    """A plain, slightly mottled neutral-grey surface (linear `grey`) over `rect`: what
    the lighting check reads the light on when no card is in view."""
    height, width = linear.shape[:2]
    left, top, right, bottom = rect.to_pixels(width, height)
    shade = 1.0 + 0.03 * _smooth_noise(right - left, bottom - top, (8, 4), np.random.default_rng(seed))
    result = linear.copy()
    result[top:bottom, left:right] = (grey * shade)[..., None]
    return result


def region_mask(shape: tuple[int, int], rect: Rect, feather: float = 0.02) -> np.ndarray:
    """Float mask 0..1 of `rect` with edges softened over `feather` of the width."""
    height, width = shape
    ramp = max(feather * width, 1.0)
    xs = np.arange(width, dtype=np.float32) + 0.5
    ys = np.arange(height, dtype=np.float32) + 0.5
    inside_x = np.clip(np.minimum(xs - rect.left * width, rect.right * width - xs) / ramp + 0.5, 0, 1)
    inside_y = np.clip(np.minimum(ys - rect.top * height, rect.bottom * height - ys) / ramp + 0.5, 0, 1)
    return inside_y[:, None] * inside_x[None, :]


def add_redness(linear: np.ndarray, rect: Rect, amount: float) -> np.ndarray:
    """Erythema of strength `amount` (0 none, ~1 marked) inside `rect`."""
    return _absorb(linear, HAEMOGLOBIN, amount * region_mask(linear.shape[:2], rect))


def spot_centres(count: int, rect: Rect, radius: float, seed: int) -> list[tuple[float, float]]:
    """Relative centres of `count` non-overlapping spots well inside `rect`."""
    rng = np.random.default_rng(seed)
    margin = 3 * radius
    centres: list[tuple[float, float]] = []
    while len(centres) < count:
        x = rng.uniform(rect.left + margin, rect.right - margin)
        y = rng.uniform(rect.top + margin * 4 / 3, rect.bottom - margin * 4 / 3)
        # Distances measured in widths; 4:3 frame so y is scaled to match.
        if all(np.hypot(x - cx, (y - cy) * 0.75) > 4 * radius for cx, cy in centres):
            centres.append((x, y))
    return centres


def add_spots(
    linear: np.ndarray,
    centres: list[tuple[float, float]],
    radius: float,
    strength: float = 0.6,
    absorption: np.ndarray = MELANIN,
    radii: list[float] | None = None,
) -> np.ndarray:
    """Round spots, brown (melanin) by default; `radius` relative to the width.

    Pass absorption=NEUTRAL for grey marks such as small cast shadows, and
    `radii` (pixels, one per centre) to set each spot's size exactly.
    """
    height, width = linear.shape[:2]
    r_px = radius * width
    density = np.zeros((height, width), np.float32)
    for index, (cx, cy) in enumerate(centres):
        # Vary size a little so spots are not identical stamps.
        r = radii[index] if radii is not None else r_px * (0.8 + 0.4 * ((index * 7) % 5) / 4)
        x0, x1 = int(max(cx * width - 2 * r, 0)), int(min(cx * width + 2 * r + 1, width))
        y0, y1 = int(max(cy * height - 2 * r, 0)), int(min(cy * height + 2 * r + 1, height))
        ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32) + 0.5
        distance = np.hypot(xs - cx * width, ys - cy * height)
        edge = np.clip((r - distance) / max(0.15 * r, 1.0) + 0.5, 0, 1)  # soft rim
        density[y0:y1, x0:x1] = np.maximum(density[y0:y1, x0:x1], edge)
    return _absorb(linear, absorption, strength * density)


def add_shadow(linear: np.ndarray, depth: float = 0.6, warmth: float = 0.0) -> np.ndarray:
    """A smooth diagonal shadow: full light top-left, `depth` darker bottom-right.

    `warmth` > 0 makes the shade yellower as it deepens (blue falls off faster),
    as with skylight versus indoor light, so darkening and b* rise together.
    """
    height, width = linear.shape[:2]
    xs = np.linspace(0, 1, width, dtype=np.float32)
    ys = np.linspace(0, 1, height, dtype=np.float32)
    ramp = (xs[None, :] + ys[:, None]) / 2
    falloff = 1.0 - depth * ramp * ramp * (3 - 2 * ramp)  # smoothstep
    exponents = np.array([1.0, 1.0 + warmth / 2, 1.0 + warmth], np.float32)
    return linear * falloff[..., None] ** exponents


def add_hairs(linear: np.ndarray, count: int, rect: Rect, width: float, seed: int) -> np.ndarray:
    """Dark brown straight hairs crossing `rect`; `width` relative to the image width."""
    rng = np.random.default_rng(seed)
    height, image_width = linear.shape[:2]
    ys, xs = np.mgrid[0:height, 0:image_width].astype(np.float32) + 0.5
    density = np.zeros((height, image_width), np.float32)
    half_width = width * image_width / 2
    for _ in range(count):
        cx = rng.uniform(rect.left, rect.right) * image_width
        cy = rng.uniform(rect.top, rect.bottom) * height
        angle = rng.uniform(0, np.pi)
        # Distance from the line through (cx, cy) at `angle`, limited in length.
        along = (xs - cx) * np.cos(angle) + (ys - cy) * np.sin(angle)
        across = np.abs(-(xs - cx) * np.sin(angle) + (ys - cy) * np.cos(angle))
        core = np.clip(half_width - across + 0.5, 0, 1) * (np.abs(along) < 0.15 * image_width)
        density = np.maximum(density, core)
    return _absorb(linear, MELANIN, 2.0 * density)


def add_pores(linear: np.ndarray, per_megapixel: int = 4000, seed: int = 0) -> np.ndarray:
    """Pores: many tiny (1-2 px) darker dots, slightly brownish, scattered everywhere."""
    rng = np.random.default_rng(seed)
    height, width = linear.shape[:2]
    count = int(per_megapixel * width * height / 1e6)
    density = np.zeros((height, width), np.float32)
    ys = rng.integers(1, height - 1, count)
    xs = rng.integers(1, width - 1, count)
    depth = rng.uniform(0.15, 0.35, count).astype(np.float32)
    density[ys, xs] = depth
    # A plus-shaped footprint: the dot and, at half depth, its four neighbours.
    spread = density.copy()
    for dy, dx in ((0, 1), (0, -1), (1, 0), (-1, 0)):
        spread = np.maximum(spread, np.roll(density, (dy, dx), axis=(0, 1)) * 0.5)
    return _absorb(linear, (MELANIN + NEUTRAL) / 2, spread)


def add_soft_shadow(linear: np.ndarray, centre: tuple[float, float], radius: float, depth: float) -> np.ndarray:
    """A soft round shadow (a nose or a finger's), neutral: `depth` darker at its centre.

    `centre` and `radius` are relative to the width; the edge fades over half the radius.
    """
    height, width = linear.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32) + 0.5
    distance = np.hypot(xs - centre[0] * width, ys - centre[1] * height) / (radius * width)
    fall = np.clip((1.25 - distance) / 0.5, 0, 1)
    falloff = 1.0 - depth * fall * fall * (3 - 2 * fall)
    return linear * falloff[..., None]


def relight(linear: np.ndarray, gain: float = 1.0, cast=(1.0, 1.0, 1.0)) -> np.ndarray:
    """Different exposure (`gain`) and white balance (`cast` per channel)."""
    return linear * gain * np.array(cast, np.float32)


# Encoding through a table over 16-bit linear values: exact to well under one
# 8-bit step, and fast enough to build 12-megapixel test photos.
_ENCODE_LUT = np.clip(_srgb_encode(np.linspace(0, 1, 65536)) * 255.0 + 0.5, 0, 255).astype(np.uint8)


def to_image(linear: np.ndarray) -> Image.Image:
    """Encode linear light to an 8-bit sRGB PIL image, as a camera would."""
    index = (np.clip(linear, 0.0, 1.0) * 65535 + 0.5).astype(np.uint16)
    return Image.fromarray(_ENCODE_LUT[index], "RGB")


def jpeg_roundtrip(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def brighten_encoded(image: Image.Image, factor: float) -> Image.Image:
    """Scale the 8-bit sRGB values, like a 'brightness' slider in an editor."""
    pixels = np.asarray(image, np.float32) * factor
    return Image.fromarray(np.clip(pixels + 0.5, 0, 255).astype(np.uint8), "RGB")
