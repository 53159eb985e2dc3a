"""Was a photo taken in markedly different light from the area's baseline photo?

The check must never see the redness it is there to protect: healing skin
changes colour by itself, so a light read from skin would call healing a
change of light. It reads the light only from what does not heal, in order of
trust:

- the reference card: its neutral patches give the light's strength per
  channel directly (the inverse of the correction's gains);
- the frame's neutral surroundings: tiles of the frame, outside the measuring
  region, that were grey and not skin in the baseline photo (a plain wall,
  clothing, a towel), compared tile by tile at the same place, as a lined-up
  photo is measured in the baseline's frame;
- the untreated reference patch the patient marked.

Two photos are compared on the best source both have. When they share none,
the light cannot be checked: that is said as such (UNCHECKED), never guessed
from the skin and never passed off as "the same". Values are linear RGB, so
a change of exposure is a ratio and a colour cast a shift in chromaticity.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from photometry.colour import DECODE_LUT, linear_to_lab, to_linear
from photometry.regions import Rect
from photometry.words import N_

RGB = tuple[float, float, float]
SOURCES = ("card", "frame", "reference")  # most trusted first

BRIGHTNESS_TOLERANCE = 1.4  # ratio of linear luminance (about half a stop)
CHROMATICITY_TOLERANCE = 0.03  # distance in linear (r, b) chromaticity

# The frame's neutral tiles.
GRID = 16  # tiles a side: 256 tiles, each a few hundred pixels at working size
TILE_STEP = 2  # every 2nd pixel each way is plenty for a tile's mean and its neutral share
# Grey, not skin: skin of every type has a CIELAB chroma of about 12 and more
# (its melanin and blood are coloured), and treated skin more; a wall or
# white, grey or black clothing under daylight-balanced light stays below 10.
NEUTRAL_CHROMA = 10.0
NEUTRAL_LIGHTNESS = (20.0, 95.0)  # below: noise and crushed blacks; above: near clipping
NEUTRAL_SHARE = 0.8  # of a tile's pixels, so an edge of skin or hair hardly weighs
CLIPPED_LEVEL = 250  # 8-bit; a tile with clipped pixels no longer scales with the light
CLIPPED_SHARE = 0.01
HIDDEN_SHARE = 0.05  # of a tile outside the photo (after lining up) or under the card
MIN_NEUTRAL_TILES = 6  # about 2 % of the frame: less is too little to judge the light on

# What comparing two photos' light can say.
SAME = "same"
DIFFERS = "differs"
UNCHECKED = "unchecked"

UNCHECKED_MESSAGE = N_(
    "Light not checked: nothing neutral in view (a plain wall behind you, or the reference card, "
    "lets the app check it)."
)


@dataclass(frozen=True)
class FrameLight:
    """The frame in GRID x GRID tiles: each usable tile's mean linear RGB, and which are neutral.

    `lined_up` says the tiles are in the area's baseline frame (the baseline
    itself, or a photo lined up with it), so the same tile is the same place.
    """

    tiles: tuple[RGB | None, ...]  # row by row; None: in the region, hidden or clipped
    neutral: frozenset[int]  # usable tiles that are grey and not skin in this photo
    lined_up: bool = True

    def to_data(self) -> dict[str, Any]:
        return {
            "grid": GRID,
            "lined_up": self.lined_up,
            "neutral": sorted(self.neutral),
            "tiles": [None if tile is None else [round(v, 5) for v in tile] for tile in self.tiles],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> FrameLight | None:
        if data.get("grid") != GRID:
            return None  # another layout: not comparable tile by tile
        tiles = tuple(
            None if tile is None else (float(tile[0]), float(tile[1]), float(tile[2])) for tile in data["tiles"]
        )
        return cls(tiles, frozenset(int(i) for i in data["neutral"]), bool(data.get("lined_up", True)))


@dataclass(frozen=True)
class LightProbes:
    """The light as each available source sees it: card and reference as linear RGB, the frame in tiles."""

    values: Mapping[str, RGB]
    frame: FrameLight | None = None

    def to_json(self) -> str:
        data: dict[str, Any] = {source: [round(v, 6) for v in rgb] for source, rgb in self.values.items()}
        if self.frame is not None:
            data["frame"] = self.frame.to_data()
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str | None) -> LightProbes | None:
        """Probes as stored. Records from before the frame was read in neutral
        tiles carry a "surround": the mean of everything outside the region,
        mostly treated skin on a face. It is left out (such a photo's light is
        judged on its card or reference patch, or not checked) rather than
        trusted: the photo cannot be re-read here, and the journal measures it
        anew whenever the area's region is saved again."""
        if not text:
            return None
        data = json.loads(text)
        values = {
            source: (float(v[0]), float(v[1]), float(v[2]))
            for source, v in data.items()
            if source in SOURCES and source != "frame"
        }
        frame = FrameLight.from_data(data["frame"]) if isinstance(data.get("frame"), Mapping) else None
        return cls(values, frame)


def probes(
    pixels: np.ndarray,
    roi: Rect,
    reference: Rect | None = None,
    card_gains: RGB | None = None,
    card_mask: np.ndarray | None = None,
    lined_up: bool = True,
) -> LightProbes:
    """Every light probe a photo offers; `pixels` is the uncorrected photo, 8-bit sRGB.

    `card_mask` is what the frame must not read (the card, and what a lined-up
    photo did not cover); `lined_up` False when the photo is not in the area's
    baseline frame."""
    height, width = pixels.shape[:2]
    values: dict[str, RGB] = {}
    if card_gains is not None:
        values["card"] = _rgb(1.0 / np.asarray(card_gains, np.float64))
    if reference is not None:
        left, top, right, bottom = reference.to_pixels(width, height)
        # The median of 8-bit values, then decoded: the same as the median in linear light.
        median = np.median(pixels[top:bottom, left:right].reshape(-1, 3), axis=0)
        values["reference"] = _rgb(to_linear(median))
    return LightProbes(values, frame_light(pixels, roi, card_mask, lined_up))


def frame_light(pixels: np.ndarray, roi: Rect, hidden: np.ndarray | None = None, lined_up: bool = True) -> FrameLight:
    """The frame's tiles outside `roi`: mean linear RGB of each usable one, and which are neutral."""
    height, width = pixels.shape[:2]
    import cv2  # OpenCV loads only when a photo is analysed

    # Contiguous, for OpenCV: its table lookup and per-pixel maximum give the very
    # values of numpy's fancy indexing and max over the last axis, several times faster.
    sample = np.ascontiguousarray(pixels[::TILE_STEP, ::TILE_STEP])
    linear = np.asarray(cv2.LUT(sample, np.repeat(DECODE_LUT[None, :, None], 3, axis=2)))
    lab = linear_to_lab(linear)
    neutral = (
        (np.hypot(lab[..., 1], lab[..., 2]) < NEUTRAL_CHROMA)
        & (lab[..., 0] > NEUTRAL_LIGHTNESS[0])
        & (lab[..., 0] < NEUTRAL_LIGHTNESS[1])
    )
    red, green, blue = cv2.split(sample)
    clipped = np.asarray(cv2.max(cv2.max(red, green), blue)) >= CLIPPED_LEVEL
    hidden_sample = hidden[::TILE_STEP, ::TILE_STEP] if hidden is not None else np.zeros(neutral.shape, bool)
    left, top, right, bottom = roi.to_pixels(width, height)
    rows = np.linspace(0, sample.shape[0], GRID + 1).round().astype(int)
    cols = np.linspace(0, sample.shape[1], GRID + 1).round().astype(int)
    # Every tile's sums at once (a Python loop over 256 tiles, four numpy calls
    # each, took most of this function's time); tiles too thin to hold a pixel
    # (a tiny photo) are refused below before their sums are read.
    counts = np.maximum(np.outer(np.diff(rows), np.diff(cols)), 1)
    masks = np.stack([hidden_sample, clipped, neutral], axis=-1)
    shares = _tile_sums(masks, rows, cols, np.int32) / counts[..., None]
    hidden_share, clipped_share, neutral_share = np.moveaxis(shares, -1, 0)
    means = _tile_sums(linear, rows, cols, np.float64) / counts[..., None]
    tiles: list[RGB | None] = []
    neutral_tiles = set()
    for row in range(GRID):
        for col in range(GRID):
            y0, y1, x0, x1 = rows[row], rows[row + 1], cols[col], cols[col + 1]
            # The region's treated skin is never read, not even a tile's edge of it.
            in_region = (
                y0 * TILE_STEP < bottom and y1 * TILE_STEP > top and x0 * TILE_STEP < right and x1 * TILE_STEP > left
            )
            if (
                in_region
                or y1 <= y0
                or x1 <= x0
                or hidden_share[row, col] > HIDDEN_SHARE
                or clipped_share[row, col] > CLIPPED_SHARE
            ):
                tiles.append(None)
                continue
            tiles.append(_rgb(means[row, col]))
            if neutral_share[row, col] >= NEUTRAL_SHARE:
                neutral_tiles.add(len(tiles) - 1)
    return FrameLight(tuple(tiles), frozenset(neutral_tiles), lined_up)


def _tile_sums(values: np.ndarray, rows: np.ndarray, cols: np.ndarray, dtype: type) -> np.ndarray:
    """Sums of `values` (H x W x C) over the tiles between consecutive `rows` and
    `cols` boundaries, GRID x GRID x C, added up in `dtype`."""
    # reduceat gives a boundary's own row for an empty tile: harmless, those tiles
    # are never read. A tiny photo's empty last tiles start at its very end: a row
    # (column) of zeros there keeps every start a valid index.
    if rows[-2] >= values.shape[0] or cols[-2] >= values.shape[1]:
        values = np.pad(values, ((0, 1), (0, 1), (0, 0)))
    by_rows = np.add.reduceat(values, rows[:-1], axis=0, dtype=dtype)
    return np.add.reduceat(by_rows, cols[:-1], axis=1, dtype=dtype)


def _rgb(values: np.ndarray) -> RGB:
    return float(values[0]), float(values[1]), float(values[2])


def _luminance(rgb: RGB) -> float:
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def _chromaticity(rgb: RGB) -> tuple[float, float]:
    total = max(sum(rgb), 1e-9)
    return rgb[0] / total, rgb[2] / total


@dataclass(frozen=True)
class Comparison:
    """How the light of a photo compares with the baseline's, and on what."""

    verdict: str  # SAME, DIFFERS or UNCHECKED
    source: str | None = None  # card, frame or reference; None when unchecked
    brightness_ratio: float | None = None  # the photo's luminance over the baseline's
    colour_shift: float | None = None  # distance in linear (r, b) chromaticity


def _frame_pair(baseline: FrameLight | None, other: FrameLight | None) -> tuple[RGB, RGB] | None:
    """The baseline's neutral light and the photo's light on the same tiles, or None.

    Tiles are chosen by the baseline (grey and not skin there) and read at the
    same place in the photo, whatever colour they have now: a warm lamp
    yellows a grey wall, and it must still count. Each tile gives the light's
    change per channel; their median keeps out a tile that a moved head or
    hair now covers."""
    if baseline is None or other is None or not (baseline.lined_up and other.lined_up):
        return None
    pairs = [
        (before, after)
        for index in sorted(baseline.neutral)
        if index < len(other.tiles)
        and (before := baseline.tiles[index]) is not None
        and (after := other.tiles[index]) is not None
    ]
    if len(pairs) < MIN_NEUTRAL_TILES:
        return None
    before_rgb = np.array([before for before, _ in pairs], np.float64)
    after_rgb = np.array([after for _, after in pairs], np.float64)
    change = np.median(after_rgb / np.maximum(before_rgb, 1e-9), axis=0)
    level = np.median(before_rgb, axis=0)
    return _rgb(level), _rgb(level * change)


def _source_pair(baseline: LightProbes, other: LightProbes) -> tuple[str, RGB, RGB] | None:
    for source in SOURCES:
        if source == "frame":
            pair = _frame_pair(baseline.frame, other.frame)
            if pair is not None:
                return source, *pair
        elif source in baseline.values and source in other.values:
            return source, baseline.values[source], other.values[source]
    return None


def checkable(probes: LightProbes | None) -> bool:
    """Whether this photo shows anything the light can be judged on (as a baseline, or later)."""
    if probes is None:
        return False
    frame = probes.frame
    return bool(probes.values) or (frame is not None and len(frame.neutral) >= MIN_NEUTRAL_TILES)


def compare(baseline: LightProbes | None, other: LightProbes | None) -> Comparison:
    """The light of `other` against `baseline`: DIFFERS when its brightness moved by
    more than BRIGHTNESS_TOLERANCE (as a ratio) or its colour by more than
    CHROMATICITY_TOLERANCE on the most trusted source both photos have; UNCHECKED
    when they have none in common. `baseline` None: `other` is the baseline, and
    it is UNCHECKED when later photos will have nothing to be judged on."""
    if other is None:
        return Comparison(UNCHECKED)
    if baseline is None:
        return Comparison(SAME if checkable(other) else UNCHECKED)
    found = _source_pair(baseline, other)
    if found is None:
        return Comparison(UNCHECKED)
    source, before, after = found
    ratio = max(_luminance(after), 1e-9) / max(_luminance(before), 1e-9)
    (r0, b0), (r1, b1) = _chromaticity(before), _chromaticity(after)
    shift = math.hypot(r1 - r0, b1 - b0)
    far = not 1 / BRIGHTNESS_TOLERANCE <= ratio <= BRIGHTNESS_TOLERANCE or shift > CHROMATICITY_TOLERANCE
    return Comparison(DIFFERS if far else SAME, source, ratio, shift)


def check(baseline: LightProbes | None, other: LightProbes | None) -> str:
    """SAME, DIFFERS or UNCHECKED (see `compare`)."""
    return compare(baseline, other).verdict


def differs(baseline: LightProbes | None, other: LightProbes | None) -> bool:
    """True only when the light was judged and found to differ: colour
    measurements across such photos are not comparable without a card, so the
    app warns. A first photo, or a photo whose light cannot be checked, is not
    flagged (see `check` for the latter)."""
    if baseline is None or other is None:
        return False
    return check(baseline, other) == DIFFERS
