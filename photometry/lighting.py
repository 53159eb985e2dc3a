"""Was a photo taken in markedly different light from the baseline photo?

Plain arithmetic on the frames' mean colours, so that listing photos can mark
them without loading numpy or decoding anything.
"""

from __future__ import annotations

import math

RGB = tuple[float, float, float]

BRIGHTNESS_TOLERANCE = 0.25  # relative change in mean luma
CHROMATICITY_TOLERANCE = 0.02  # distance in (r, b) chromaticity


def _luma(rgb: RGB) -> float:
    # Gamma-encoded luma tracks perceived brightness; a one-stop exposure
    # change moves it by roughly a quarter.
    red, green, blue = rgb
    return 0.299 * red + 0.587 * green + 0.114 * blue


def _chromaticity(rgb: RGB) -> tuple[float, float]:
    total = max(sum(rgb), 1e-6)
    return rgb[0] / total, rgb[2] / total


def differs(baseline_rgb: RGB, other_rgb: RGB) -> bool:
    """True when brightness (luma) moved by more than BRIGHTNESS_TOLERANCE
    relative, or the colour cast (r, b chromaticity) by more than
    CHROMATICITY_TOLERANCE. Colour measurements across such photos are not
    comparable, so the app warns."""
    base_luma = max(_luma(baseline_rgb), 1e-6)
    if abs(_luma(other_rgb) - base_luma) / base_luma > BRIGHTNESS_TOLERANCE:
        return True
    base_r, base_b = _chromaticity(baseline_rgb)
    other_r, other_b = _chromaticity(other_rgb)
    return math.hypot(other_r - base_r, other_b - base_b) > CHROMATICITY_TOLERANCE
