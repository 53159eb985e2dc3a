"""Was a photo taken in markedly different light from the area's baseline photo?

The check must never see the redness it is there to protect, so it does not
look at the treated skin. It reads the light from, in order of trust:

- the reference card: its neutral patches give the light's strength per
  channel directly (the inverse of the correction's gains);
- the untreated reference patch the patient marked;
- the frame outside the measuring region (and outside the card).

Two photos are compared on the best source both have. Values are linear RGB,
so a change of exposure is a ratio and a colour cast a shift in chromaticity.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from photometry.colour import DECODE_LUT, to_linear
from photometry.regions import Rect

RGB = tuple[float, float, float]
SOURCES = ("card", "reference", "surround")  # most trusted first

BRIGHTNESS_TOLERANCE = 1.4  # ratio of linear luminance (about half a stop)
CHROMATICITY_TOLERANCE = 0.03  # distance in linear (r, b) chromaticity
SURROUND_STEP = 4  # every 4th pixel each way is plenty for a mean


@dataclass(frozen=True)
class LightProbes:
    """The light as each available source sees it, linear RGB (source -> value)."""

    values: Mapping[str, RGB]

    def to_json(self) -> str:
        return json.dumps({source: [round(v, 6) for v in rgb] for source, rgb in self.values.items()})

    @classmethod
    def from_json(cls, text: str | None) -> LightProbes | None:
        if not text:
            return None
        data = json.loads(text)
        return cls({source: (float(v[0]), float(v[1]), float(v[2])) for source, v in data.items() if source in SOURCES})


def probes(
    pixels: np.ndarray,
    roi: Rect,
    reference: Rect | None = None,
    card_gains: RGB | None = None,
    card_mask: np.ndarray | None = None,
) -> LightProbes:
    """Every light probe a photo offers; `pixels` is the uncorrected photo, 8-bit sRGB."""
    height, width = pixels.shape[:2]
    values: dict[str, RGB] = {}
    if card_gains is not None:
        values["card"] = _rgb(1.0 / np.asarray(card_gains, np.float64))
    if reference is not None:
        left, top, right, bottom = reference.to_pixels(width, height)
        # The median of 8-bit values, then decoded: the same as the median in linear light.
        median = np.median(pixels[top:bottom, left:right].reshape(-1, 3), axis=0)
        values["reference"] = _rgb(to_linear(median))
    outside = np.ones((height, width), bool)
    left, top, right, bottom = roi.to_pixels(width, height)
    outside[top:bottom, left:right] = False
    if card_mask is not None:
        outside &= ~card_mask
    sample = outside[::SURROUND_STEP, ::SURROUND_STEP]
    if sample.any():
        surround = DECODE_LUT[pixels[::SURROUND_STEP, ::SURROUND_STEP][sample]]
        values["surround"] = _rgb(surround.mean(axis=0))
    return LightProbes(values)


def _rgb(values: np.ndarray) -> RGB:
    return float(values[0]), float(values[1]), float(values[2])


def _luminance(rgb: RGB) -> float:
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def _chromaticity(rgb: RGB) -> tuple[float, float]:
    total = max(sum(rgb), 1e-9)
    return rgb[0] / total, rgb[2] / total


def common_source(baseline: LightProbes, other: LightProbes) -> str | None:
    return next((source for source in SOURCES if source in baseline.values and source in other.values), None)


def differs(baseline: LightProbes | None, other: LightProbes | None) -> bool:
    """True when the light's brightness moved by more than BRIGHTNESS_TOLERANCE
    (as a ratio) or its colour by more than CHROMATICITY_TOLERANCE, judged on the
    most trusted source both photos have. Colour measurements across such
    photos are not comparable without a card, so the app warns."""
    if baseline is None or other is None:
        return False
    source = common_source(baseline, other)
    if source is None:
        return False
    before, after = baseline.values[source], other.values[source]
    ratio = max(_luminance(after), 1e-9) / max(_luminance(before), 1e-9)
    if not 1 / BRIGHTNESS_TOLERANCE <= ratio <= BRIGHTNESS_TOLERANCE:
        return True
    (r0, b0), (r1, b1) = _chromaticity(before), _chromaticity(after)
    return math.hypot(r1 - r0, b1 - b0) > CHROMATICITY_TOLERANCE
