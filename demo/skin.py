"""Synthetic photos of skin: a textured skin tone with redness and spots laid on."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageFilter

SKIN_RGB = (224, 178, 150)
REDNESS_RGB = (205, 95, 90)
SPOT_RGB = (150, 100, 70)


def skin_photo(
    redness: float,
    spots: int = 0,
    *,
    size: tuple[int, int] = (1200, 900),
    seed: int = 0,
    brightness: float = 1.0,
) -> bytes:
    """A JPEG of synthetic skin; redness 0-1 tints the centre, spots are dark dots."""
    rng = np.random.default_rng(seed)
    width, height = size
    base = np.empty((height, width, 3), dtype=np.float32)
    base[:] = SKIN_RGB
    # Pores and texture: fine noise, smoothed a little.
    texture = rng.normal(0, 6, (height, width, 1)).astype(np.float32)
    base += texture
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    centre = np.exp(-(((xx - width / 2) / (width * 0.28)) ** 2 + ((yy - height / 2) / (height * 0.28)) ** 2))
    tint = np.clip(redness, 0, 1) * 0.75 * centre[..., None]
    base = base * (1 - tint) + np.array(REDNESS_RGB, dtype=np.float32) * tint
    spot_rng = np.random.default_rng(1234)  # the same spots on every day
    for _ in range(spots):
        cx = spot_rng.uniform(0.35, 0.65) * width
        cy = spot_rng.uniform(0.35, 0.65) * height
        radius = spot_rng.uniform(0.008, 0.014) * width
        inside = ((xx - cx) ** 2 + (yy - cy) ** 2) < radius**2
        base[inside] = base[inside] * 0.3 + np.array(SPOT_RGB) * 0.7
    image = Image.fromarray(np.clip(base * brightness, 0, 255).astype(np.uint8), "RGB")
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()
