"""Objective measurements of one journal photo: colour, spots, sharpness, exposure.

Colour follows shared/clinical-notes.md ("Measuring from photos"): CIELAB from a
proper sRGB (D65) conversion in floating point, the Individual Typology Angle,
an erythema index on linear RGB, and dark brownish spots found against the
*local* skin background so that shadows are not counted.

Pure numpy/scipy on a PIL image; nothing here knows about Streamlit or storage.
Camera white balance and exposure drift between days, so absolute values are
only comparable within one person and one set-up: prefer `delta_a_star`
(against an untreated reference patch) and `lighting_differs` (against the
baseline photo) when interpreting a series.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

from photometry import lighting

# The caller already downscales to ~1024 px; anything much larger is reduced
# again so timing and the pixel-based parameters below stay predictable.
MAX_LONG_SIDE = 1100
WORKING_LONG_SIDE = 1024

# sRGB primaries with D65 white (IEC 61966-2-1), linear RGB -> XYZ.
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_D65_WHITE = np.array([0.95047, 1.0, 1.08883])

# Spot detection, in CIELAB units and fractions of the ROI so that the result
# does not depend on the photo's resolution.
SPOT_MIN_DARKENING = 4.0  # L* below the local background
SPOT_MIN_BROWNING = 1.0  # b* above the local background; shadows lower b*
SPOT_MIN_AREA_FRACTION = 0.0002  # of the ROI; smaller blobs are pores or noise
SPOT_MAX_AREA_FRACTION = 0.05  # larger "spots" are shading, not pigment
SPOT_MIN_FILL = 0.3  # area / bounding box; rejects diagonal hairs and shadow edges
SPOT_MAX_ELONGATION = 3.0  # bounding box long / short side; rejects straight hairs
BACKGROUND_WINDOW_FRACTION = 1 / 6  # of the ROI's short side
BACKGROUND_BLOCK = 4  # pixels per cell of the coarse background grid

# Lighting check between a photo and its baseline (see photometry.lighting).
BRIGHTNESS_TOLERANCE = lighting.BRIGHTNESS_TOLERANCE
CHROMATICITY_TOLERANCE = lighting.CHROMATICITY_TOLERANCE


# (lower bound exclusive, label) from the lightest category down, after
# Chardon et al. / Del Bino et al.
_ITA_CATEGORIES: tuple[tuple[float, str], ...] = (
    (55.0, "very light"),
    (41.0, "light"),
    (28.0, "intermediate"),
    (10.0, "tan"),
    (-30.0, "brown"),
)


@dataclass(frozen=True)
class Rect:
    """A region in relative coordinates (0..1 of the image width / height)."""

    left: float
    top: float
    right: float
    bottom: float

    def __post_init__(self) -> None:
        values = (self.left, self.top, self.right, self.bottom)
        if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in values):
            raise ValueError(f"Region edges must be finite numbers, got {values}.")
        if not 0 <= self.left < self.right <= 1:
            raise ValueError(f"Region needs 0 <= left < right <= 1, got left={self.left}, right={self.right}.")
        if not 0 <= self.top < self.bottom <= 1:
            raise ValueError(f"Region needs 0 <= top < bottom <= 1, got top={self.top}, bottom={self.bottom}.")

    def to_pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """Pixel box (left, top, right, bottom), right/bottom exclusive."""
        left, top = round(self.left * width), round(self.top * height)
        right, bottom = round(self.right * width), round(self.bottom * height)
        if right - left < 8 or bottom - top < 8:
            raise ValueError(
                f"Region {self} covers fewer than 8x8 pixels of a {width}x{height} photo; choose a larger region."
            )
        return left, top, right, bottom


DEFAULT_ROI = Rect(0.25, 0.25, 0.75, 0.75)


@dataclass(frozen=True)
class Measurements:
    """What `measure` found in one photo.

    Colour values are medians over the ROI in CIELAB (D65): `a_star` redness,
    `l_star` lightness, `b_star` yellowness; `delta_a_star` is ROI minus the
    reference patch (None without one). `ita` is the Individual Typology Angle
    in degrees. `spot_fraction` is spot pixels / ROI pixels. `sharpness` is
    the variance of the Laplacian (higher is sharper; compare within a series).
    `clipped_*` are fractions of the whole frame; `mean_rgb` is the frame's
    mean 8-bit sRGB colour, used by `lighting_differs`.
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
    sharpness: float
    clipped_highlights: float
    clipped_shadows: float
    mean_rgb: tuple[float, float, float]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["mean_rgb"] = list(self.mean_rgb)  # JSON-friendly
        return data


# --- colour ---------------------------------------------------------------


def _srgb_decode(values: np.ndarray) -> np.ndarray:
    """sRGB-encoded 0..1 -> linear light (the exact piecewise curve)."""
    return np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)


# A 256-entry table makes decoding 8-bit pixels a single lookup.
_DECODE_LUT = _srgb_decode(np.arange(256) / 255.0).astype(np.float32)


def _to_linear(rgb: np.ndarray) -> np.ndarray:
    if rgb.dtype == np.uint8:
        return _DECODE_LUT[rgb]
    return _srgb_decode(np.clip(np.asarray(rgb, dtype=np.float64), 0, 255) / 255.0)


def _linear_to_lab(linear: np.ndarray) -> np.ndarray:
    xyz = linear @ (_RGB_TO_XYZ.T / _D65_WHITE).astype(linear.dtype)
    epsilon, kappa = 216 / 24389, 24389 / 27
    f = np.cbrt(xyz)
    # Near black the cube root is replaced by a line; such pixels are rare,
    # so patching them in place is much cheaper than np.where over everything.
    dark = xyz <= epsilon
    if dark.any():
        f[dark] = (kappa * xyz[dark] + 16) / 116
    lab = np.empty_like(f)
    lab[..., 0] = 116 * f[..., 1] - 16
    lab[..., 1] = 500 * (f[..., 0] - f[..., 1])
    lab[..., 2] = 200 * (f[..., 1] - f[..., 2])
    return lab


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """8-bit sRGB values (uint8, or float 0..255), shape (..., 3) -> CIELAB (D65).

    Returns float L* (0..100), a*, b* with the same leading shape.
    """
    rgb = np.asarray(rgb)
    if rgb.shape[-1:] != (3,):
        raise ValueError(f"Expected an array of RGB triples, got shape {rgb.shape}.")
    return _linear_to_lab(_to_linear(rgb))


def ita_category(ita: float) -> str:
    """Skin category of an Individual Typology Angle (Chardon / Del Bino)."""
    for lower_bound, label in _ITA_CATEGORIES:
        if ita > lower_bound:
            return label
    return "dark"


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


@dataclass(frozen=True)
class _RoiContext:
    """Linear RGB and CIELAB of the ROI plus a margin of surrounding skin.

    Spot detection needs the surroundings to judge the ROI's edges honestly;
    computing colour once for both keeps `measure` fast.
    """

    linear: np.ndarray
    lab: np.ndarray
    inner: tuple[slice, slice]  # the ROI inside `linear` / `lab`
    box: tuple[int, int, int, int]  # the ROI in working pixels
    window: int  # size of the local background, in pixels


def _roi_context(pixels: np.ndarray, roi: Rect) -> _RoiContext:
    height, width = pixels.shape[:2]
    left, top, right, bottom = box = roi.to_pixels(width, height)
    window = max(9, int(min(right - left, bottom - top) * BACKGROUND_WINDOW_FRACTION))
    outer_left, outer_top = max(0, left - window), max(0, top - window)
    outer_right, outer_bottom = min(width, right + window), min(height, bottom + window)
    linear = _DECODE_LUT[pixels[outer_top:outer_bottom, outer_left:outer_right]]
    inner = (slice(top - outer_top, bottom - outer_top), slice(left - outer_left, right - outer_left))
    return _RoiContext(linear, _linear_to_lab(linear), inner, box, window)


# --- spots ----------------------------------------------------------------


def _spot_labels(context: _RoiContext) -> tuple[np.ndarray, int]:
    """Labelled spot components in the ROI (0 = skin) and their count.

    Each pixel is compared with its local background so that gradual shading,
    which shifts a whole neighbourhood, cancels out, while a compact pigmented
    spot stands out as darker *and* browner (a shadow lowers b*, pigment
    raises it).
    """
    # A light blur suppresses pixel noise and skin grain before thresholding.
    lightness = ndimage.uniform_filter(context.lab[..., 0], 3)
    yellowness = ndimage.uniform_filter(context.lab[..., 2], 3)
    candidates = _spot_candidates(lightness, yellowness, context.window, None)
    # Second pass: background without the first-pass spots, so that large
    # spots do not drag their own background down.
    candidates = _spot_candidates(lightness, yellowness, context.window, ~candidates)
    mask = _open_close(candidates[context.inner])
    labels, count = ndimage.label(mask)
    return _keep_spot_shaped(labels, count, mask.size)


def _open_close(mask: np.ndarray) -> np.ndarray:
    """Morphological opening then closing with a 3x3 square.

    Opening drops specks of grain, closing fills pinholes in real spots.
    Separable min/max filters on bytes do this several times faster than
    scipy's binary morphology (they differ only in how borders are treated).
    """
    grid = mask.view(np.uint8)
    opened = ndimage.maximum_filter(ndimage.minimum_filter(grid, 3), 3)
    closed = ndimage.minimum_filter(ndimage.maximum_filter(opened, 3), 3)
    return closed.astype(bool)


def _spot_candidates(
    lightness: np.ndarray, yellowness: np.ndarray, window: int, valid: np.ndarray | None
) -> np.ndarray:
    darker = _local_mean(lightness, window, valid) - lightness >= SPOT_MIN_DARKENING
    browner = yellowness - _local_mean(yellowness, window, valid) >= SPOT_MIN_BROWNING
    return darker & browner


def _local_mean(values: np.ndarray, window: int, valid: np.ndarray | None) -> np.ndarray:
    """Box mean over `window`, counting only pixels where `valid` is True.

    The background varies slowly, so it is filtered on a grid of
    BACKGROUND_BLOCK-pixel cells and interpolated back: 16 times less work.
    """
    height, width = values.shape
    coarse_size = (max(1, width // BACKGROUND_BLOCK), max(1, height // BACKGROUND_BLOCK))

    def shrink(grid: np.ndarray) -> np.ndarray:
        image = Image.fromarray(np.ascontiguousarray(grid, np.float32), "F")
        return np.asarray(image.resize(coarse_size, Image.Resampling.BOX))

    size = max(3, window // BACKGROUND_BLOCK)
    plain = ndimage.uniform_filter(shrink(values), size)
    if valid is None:
        coarse = plain
    else:
        weights = valid.astype(np.float32)
        total = ndimage.uniform_filter(shrink(values * weights), size)
        share = ndimage.uniform_filter(shrink(weights), size)
        # Where a window is almost all spot (rare), fall back to the plain mean.
        coarse = np.where(share > 0.05, total / np.maximum(share, 1e-6), plain)
    full = Image.fromarray(coarse.astype(np.float32), "F").resize((width, height), Image.Resampling.BILINEAR)
    return np.asarray(full)


def _keep_spot_shaped(labels: np.ndarray, count: int, roi_area: int) -> tuple[np.ndarray, int]:
    """Drop components too small (grain), too large (shading) or not compact (hairs)."""
    if count == 0:
        return labels, 0
    areas = np.bincount(labels.ravel(), minlength=count + 1)
    keep = np.zeros(count + 1, dtype=bool)
    for index, (rows, cols) in enumerate(ndimage.find_objects(labels), start=1):
        sides = sorted((rows.stop - rows.start, cols.stop - cols.start))
        keep[index] = (
            SPOT_MIN_AREA_FRACTION * roi_area <= areas[index] <= SPOT_MAX_AREA_FRACTION * roi_area
            and areas[index] / (sides[0] * sides[1]) >= SPOT_MIN_FILL
            and sides[1] <= SPOT_MAX_ELONGATION * sides[0]
        )
    relabelled = np.cumsum(keep) * keep  # kept labels become 1..n, others 0
    return relabelled[labels], int(keep.sum())


def spot_mask(image: Image.Image, roi: Rect = DEFAULT_ROI) -> np.ndarray:
    """Boolean mask of detected spots, in the pixel grid of `image`."""
    pixels, scale = _working_pixels(image)
    context = _roi_context(pixels, roi)
    labels, _ = _spot_labels(context)
    left, top, right, bottom = context.box
    mask = np.zeros(pixels.shape[:2], dtype=bool)
    mask[top:bottom, left:right] = labels > 0
    if scale == 1.0:
        return mask
    return np.asarray(Image.fromarray(mask).resize(image.size, Image.Resampling.NEAREST))


def spot_outlines(image: Image.Image, roi: Rect = DEFAULT_ROI) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (left, top, right, bottom) of spots, in pixels of `image`.

    right and bottom are exclusive (subtract 1 for PIL's ImageDraw.rectangle).
    """
    pixels, scale = _working_pixels(image)
    context = _roi_context(pixels, roi)
    labels, _ = _spot_labels(context)
    left, top = context.box[:2]
    boxes = []
    for rows, cols in filter(None, ndimage.find_objects(labels)):
        box = (cols.start + left, rows.start + top, cols.stop + left, rows.stop + top)
        boxes.append(tuple(round(edge * scale) for edge in box))
    return boxes


# --- the measurement ------------------------------------------------------


def _sharpness(roi_pixels: np.ndarray) -> float:
    grey = roi_pixels.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    return float(ndimage.laplace(grey).var())


def _erythema_index(roi_linear: np.ndarray) -> float:
    # Blood absorbs green, so red relative to green rises with erythema.
    red = float(roi_linear[..., 0].mean())
    green = float(roi_linear[..., 1].mean())
    return 100.0 * math.log10(max(red, 1e-6) / max(green, 1e-6))


def _median_a_star(pixels: np.ndarray, rect: Rect) -> float:
    return float(np.median(srgb_to_lab(_crop(pixels, rect))[..., 1]))


def _exposure(pixels: np.ndarray) -> tuple[float, float, tuple[float, float, float]]:
    """Clipped highlights, clipped shadows and mean RGB of the whole frame."""
    # Channel by channel: numpy reductions over the last axis are slow.
    red, green, blue = (pixels[..., channel] for channel in range(3))
    highlights = np.count_nonzero((red >= 250) | (green >= 250) | (blue >= 250))
    shadows = np.count_nonzero((red <= 5) & (green <= 5) & (blue <= 5))
    mean_rgb = tuple(float(np.mean(channel, dtype=np.float64)) for channel in (red, green, blue))
    return float(highlights / red.size), float(shadows / red.size), mean_rgb


_HELPER: ThreadPoolExecutor | None = None


def _helper() -> ThreadPoolExecutor:
    global _HELPER
    if _HELPER is None:
        _HELPER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="measure")
    return _HELPER


def measure(image: Image.Image, roi: Rect = DEFAULT_ROI, reference: Rect | None = None) -> Measurements:
    """Measure colour, spots, sharpness and exposure of one photo.

    `roi` is the treated skin, `reference` an optional untreated patch in the
    same photo; medians keep hair, pores and small spots from skewing colour.
    """
    pixels, _ = _working_pixels(image)
    context = _roi_context(pixels, roi)
    # Spot detection, the longest part, runs beside the colour statistics:
    # numpy and scipy release the GIL, so on two cores both finish together.
    spots = _helper().submit(_spot_labels, context)
    roi_lab = context.lab[context.inner]
    l_star, a_star, b_star = (float(np.median(roi_lab[..., i])) for i in range(3))
    delta = None if reference is None else a_star - _median_a_star(pixels, reference)
    ita = math.degrees(math.atan2(l_star - 50.0, b_star))
    highlights, shadows, mean_rgb = _exposure(pixels)
    erythema = _erythema_index(context.linear[context.inner])
    sharpness = _sharpness(_crop(pixels, roi))
    spot_labels, spot_count = spots.result()
    return Measurements(
        a_star=a_star,
        delta_a_star=delta,
        erythema_index=erythema,
        l_star=l_star,
        b_star=b_star,
        ita=ita,
        ita_category=ita_category(ita),
        spot_count=spot_count,
        spot_fraction=float(np.count_nonzero(spot_labels) / spot_labels.size),
        sharpness=sharpness,
        clipped_highlights=highlights,
        clipped_shadows=shadows,
        mean_rgb=mean_rgb,
    )


# --- comparing photos -----------------------------------------------------


def lighting_differs(baseline: Measurements, other: Measurements) -> bool:
    """True when `other` was lit or exposed markedly differently from `baseline`
    (see photometry.lighting, which compares the frames' mean colours)."""
    return lighting.differs(baseline.mean_rgb, other.mean_rgb)
