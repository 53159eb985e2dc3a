"""Objective measurements of one journal photo: colour, spots, sharpness, exposure, light.

Colour follows docs/clinical-basis.md ("Measuring from photos"): CIELAB from a
proper sRGB (D65) conversion in floating point, the Individual Typology Angle,
an erythema index on linear RGB, and pigment spots told from shadows by their
colour (photometry.spots).

When the reference card was found, its correction (photometry.calibration) is
applied in linear light before anything is measured, so colour is comparable
between days and cameras; its scale turns spot areas into mm². Without a card,
an untreated reference patch still gives `delta_a_star` (treated minus
untreated skin, in which most of the light cancels); without either the
numbers are only comparable within one set-up, and `calibration` says so.

Pure numpy/scipy on a PIL image; nothing here knows about Streamlit or storage.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from PIL import Image
from scipy import ndimage

from photometry import lighting, spots
from photometry.calibration import Correction
from photometry.colour import DECODE_LUT, ita_category, linear_to_lab, srgb_to_lab
from photometry.regions import DEFAULT_ROI, Rect

__all__ = [
    "DEFAULT_ROI",
    "Measurements",
    "Rect",
    "ita_category",
    "lighting_differs",
    "measure",
    "spot_mask",
    "spot_outlines",
    "srgb_to_lab",
]

# The caller already downscales to ~1024 px; anything much larger is reduced
# again so timing and the pixel-based parameters below stay predictable.
MAX_LONG_SIDE = 1100
WORKING_LONG_SIDE = 1024
BACKGROUND_WINDOW_FRACTION = 1 / 6  # of the ROI's short side: the local skin around a spot

# How the colour of a photo was made comparable with other days.
CALIBRATED_BY_CARD = "card"
NORMALISED_BY_REFERENCE = "reference"
UNCALIBRATED = "none"


@dataclass(frozen=True)
class Measurements:
    """What `measure` found in one photo.

    Colour values are medians over the ROI in CIELAB (D65), after the card's
    correction when there is one: `a_star` redness, `l_star` lightness,
    `b_star` yellowness; `delta_a_star` is ROI minus the reference patch (None
    without one). `ita` is the Individual Typology Angle in degrees.
    `spot_fraction` is spot pixels / ROI pixels, `spot_area_mm2` their area when
    the scale is known. `sharpness` is the variance of the Laplacian (higher is
    sharper; compare within a series). `clipped_*` are fractions of the whole
    frame; `mean_rgb` is the frame's mean 8-bit sRGB colour. `light` holds the
    lighting probes (photometry.lighting) used by `lighting_differs`;
    `calibration` is "card", "reference" or "none".
    """

    a_star: float
    delta_a_star: float | None
    erythema_index: float
    l_star: float
    b_star: float
    ita: float
    ita_category: str
    spot_count: int
    spot_fraction: float
    spot_area_mm2: float | None
    sharpness: float
    clipped_highlights: float
    clipped_shadows: float
    mean_rgb: tuple[float, float, float]
    calibration: str
    light: lighting.LightProbes

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["mean_rgb"] = list(self.mean_rgb)  # JSON-friendly
        data["light"] = self.light.to_json()
        return data


# --- image handling -------------------------------------------------------


def _working_pixels(image: Image.Image) -> tuple[np.ndarray, float]:
    """RGB uint8 array at working size, and the factor back to the input size."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    long_side = max(image.size)
    if long_side <= MAX_LONG_SIDE:
        return np.asarray(image), 1.0
    scaled = image.copy()
    scaled.thumbnail((WORKING_LONG_SIDE, WORKING_LONG_SIDE), Image.Resampling.BOX)
    return np.asarray(scaled), long_side / max(scaled.size)


def _crop(pixels: np.ndarray, rect: Rect) -> np.ndarray:
    height, width = pixels.shape[:2]
    left, top, right, bottom = rect.to_pixels(width, height)
    return pixels[top:bottom, left:right]


def _linear(pixels: np.ndarray, correction: Correction | None) -> np.ndarray:
    """Linear light (float32), the card's correction applied.

    For colour pixels both are one table lookup per channel (OpenCV's LUT):
    the table holds each level already multiplied by its channel's gain, the
    very float32 products `correction.apply` makes, so the values are the
    same; numpy's per-channel multiply alone took eight times as long.
    """
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 3:
        linear = DECODE_LUT[pixels]
        return linear if correction is None else correction.apply(linear)
    import cv2

    table = DECODE_LUT if correction is None else DECODE_LUT[:, None] * np.asarray(correction.gains, np.float32)
    return np.asarray(cv2.LUT(np.ascontiguousarray(pixels), table.reshape(1, 256, -1)))


@dataclass(frozen=True)
class _RoiContext:
    """Linear RGB and CIELAB of the ROI plus a margin of surrounding skin.

    Spot detection needs the surroundings to judge the ROI's edges honestly;
    computing colour once for both keeps `measure` fast.
    """

    linear: np.ndarray
    inner: tuple[slice, slice]  # the ROI inside `linear`
    box: tuple[int, int, int, int]  # the ROI in working pixels
    window: int  # size of the local background, in pixels


def _roi_context(pixels: np.ndarray, roi: Rect, correction: Correction | None = None) -> _RoiContext:
    height, width = pixels.shape[:2]
    left, top, right, bottom = box = roi.to_pixels(width, height)
    window = max(9, int(min(right - left, bottom - top) * BACKGROUND_WINDOW_FRACTION))
    outer_left, outer_top = max(0, left - window), max(0, top - window)
    outer_right, outer_bottom = min(width, right + window), min(height, bottom + window)
    linear = _linear(pixels[outer_top:outer_bottom, outer_left:outer_right], correction)
    inner = (slice(top - outer_top, bottom - outer_top), slice(left - outer_left, right - outer_left))
    return _RoiContext(linear, inner, box, window)


def _spot_labels(context: _RoiContext) -> tuple[np.ndarray, int]:
    return spots.find_spots(context.linear, context.inner, context.window)


def spot_mask(image: Image.Image, roi: Rect = DEFAULT_ROI, correction: Correction | None = None) -> np.ndarray:
    """Boolean mask of detected spots, in the pixel grid of `image`."""
    pixels, scale = _working_pixels(image)
    context = _roi_context(pixels, roi, correction)
    labels, _ = _spot_labels(context)
    left, top, right, bottom = context.box
    mask = np.zeros(pixels.shape[:2], dtype=bool)
    mask[top:bottom, left:right] = labels > 0
    if scale == 1.0:
        return mask
    return np.asarray(Image.fromarray(mask).resize(image.size, Image.Resampling.NEAREST))


def spot_outlines(
    image: Image.Image, roi: Rect = DEFAULT_ROI, correction: Correction | None = None
) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (left, top, right, bottom) of spots, in pixels of `image`.

    right and bottom are exclusive (subtract 1 for PIL's ImageDraw.rectangle).
    """
    pixels, scale = _working_pixels(image)
    context = _roi_context(pixels, roi, correction)
    labels, _ = _spot_labels(context)
    left, top = context.box[:2]
    boxes = []
    for rows, cols in filter(None, ndimage.find_objects(labels)):
        box = (cols.start + left, rows.start + top, cols.stop + left, rows.stop + top)
        boxes.append(tuple(round(edge * scale) for edge in box))
    return boxes


def spot_sizes_mm2(
    image: Image.Image, mm_per_px: float, roi: Rect = DEFAULT_ROI, correction: Correction | None = None
) -> list[float]:
    """Area of each spot in mm², largest first; `mm_per_px` is for the pixels of `image`."""
    pixels, scale = _working_pixels(image)
    labels, count = _spot_labels(_roi_context(pixels, roi, correction))
    mm2_per_working_px = (mm_per_px * scale) ** 2
    return sorted((float(a) * mm2_per_working_px for a in spots.spot_areas(labels, count)), reverse=True)


# --- the measurement ------------------------------------------------------


def sharpness(roi_pixels: np.ndarray) -> float:
    """Variance of the Laplacian of the grey image (higher is sharper)."""
    import cv2

    # The grey level by OpenCV's per-pixel transform: numpy's product over
    # the last axis of three took most of this function's time.
    weights = np.array([[0.299, 0.587, 0.114]], np.float32)
    grey = cv2.transform(np.ascontiguousarray(roi_pixels, np.float32), weights)
    return float(ndimage.laplace(grey).var())


def _erythema_index(roi_linear: np.ndarray) -> float:
    # Blood absorbs green, so red relative to green rises with erythema.
    red = float(roi_linear[..., 0].mean())
    green = float(roi_linear[..., 1].mean())
    return 100.0 * math.log10(max(red, 1e-6) / max(green, 1e-6))


def _median_a_star(linear: np.ndarray) -> float:
    return float(np.median(linear_to_lab(linear)[..., 1]))


def exposure(pixels: np.ndarray) -> tuple[float, float, tuple[float, float, float]]:
    """Clipped highlights, clipped shadows and mean RGB of the whole frame."""
    import cv2

    # A pixel is burnt out when its brightest channel is, crushed when even its
    # brightest channel is: one per-pixel maximum answers both (OpenCV on
    # bytes; numpy over interleaved channels took five times as long).
    pixels = np.ascontiguousarray(pixels)
    red, green, blue = cv2.split(pixels)
    brightest = cv2.max(cv2.max(red, green), blue)
    highlights = np.count_nonzero(brightest >= 250)
    shadows = np.count_nonzero(brightest <= 5)
    mean_r, mean_g, mean_b, _ = cv2.mean(pixels)
    return float(highlights / red.size), float(shadows / red.size), (float(mean_r), float(mean_g), float(mean_b))


_WORKERS: ThreadPoolExecutor | None = None


def workers() -> ThreadPoolExecutor:
    global _WORKERS
    if _WORKERS is None:
        _WORKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="measure")
    return _WORKERS


def measure(
    image: Image.Image,
    roi: Rect = DEFAULT_ROI,
    reference: Rect | None = None,
    *,
    correction: Correction | None = None,
    mm_per_px: float | None = None,
    exclude: np.ndarray | None = None,
    as_taken: np.ndarray | None = None,
    lined_up: bool = True,
) -> Measurements:
    """Measure colour, spots, sharpness, exposure and light of one photo.

    `roi` is the treated skin, `reference` an optional untreated patch in the
    same photo; medians keep hair, pores and small spots from skewing colour.
    `correction` (from the card) is applied before measuring colour and spots;
    `mm_per_px` (for the pixels of `image`) gives spot areas in mm²;
    `exclude` (a boolean mask in the pixels of `image`) keeps the card, or
    what an aligned photo did not cover, out of the lighting check's view of
    the surroundings. `as_taken` (8-bit RGB) is the photo as the camera framed
    it when `image` was resampled into another frame: clipping is read from it.
    `lined_up` False: `image` is not in the frame of the area's first photo
    (it could not be lined up), so its surroundings are not compared place by place.
    """
    pixels, scale = _working_pixels(image)
    context = _roi_context(pixels, roi, correction)
    # Spot detection, the longest part, runs beside the colour statistics:
    # numpy and scipy release the GIL, so on two cores both finish together.
    found = workers().submit(_spot_labels, context)
    roi_linear = context.linear[context.inner]
    roi_lab = linear_to_lab(roi_linear)
    l_star, a_star, b_star = (float(np.median(roi_lab[..., i])) for i in range(3))
    delta = None if reference is None else a_star - _median_a_star(_linear(_crop(pixels, reference), correction))
    ita = math.degrees(math.atan2(l_star - 50.0, b_star))
    highlights, shadows, mean_rgb = exposure(pixels if as_taken is None else as_taken)
    probes = lighting.probes(
        pixels,
        roi,
        reference,
        correction.gains if correction is not None else None,
        _working_mask(exclude, pixels.shape[:2]),
        lined_up,
    )
    spot_labels, spot_count = found.result()
    spot_pixels = int(np.count_nonzero(spot_labels))
    return Measurements(
        a_star=a_star,
        delta_a_star=delta,
        erythema_index=_erythema_index(roi_linear),
        l_star=l_star,
        b_star=b_star,
        ita=ita,
        ita_category=ita_category(ita),
        spot_count=spot_count,
        spot_fraction=float(spot_pixels / spot_labels.size),
        spot_area_mm2=None if mm_per_px is None else spot_pixels * (mm_per_px * scale) ** 2,
        sharpness=sharpness(_crop(pixels, roi)),
        clipped_highlights=highlights,
        clipped_shadows=shadows,
        mean_rgb=mean_rgb,
        calibration=(
            CALIBRATED_BY_CARD
            if correction is not None
            else NORMALISED_BY_REFERENCE
            if reference is not None
            else UNCALIBRATED
        ),
        light=probes,
    )


def _working_mask(mask: np.ndarray | None, shape: tuple[int, int]) -> np.ndarray | None:
    if mask is None or mask.shape == shape:
        return mask
    resized = Image.fromarray(mask).resize((shape[1], shape[0]), Image.Resampling.NEAREST)
    return np.asarray(resized)


# --- comparing photos -----------------------------------------------------


def lighting_differs(baseline: Measurements, other: Measurements) -> bool:
    """True when `other` was lit or exposed markedly differently from `baseline`,
    judged on the card, the frame's neutral surroundings or the reference patch
    (see photometry.lighting), never on skin."""
    return lighting.differs(baseline.light, other.light)
