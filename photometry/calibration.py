"""Finding the reference card in a photo and normalising exposure and white balance from it.

The card's four ArUco markers give a homography from the card (millimetres) to
the photo (pixels): where its neutral patches are, how large a millimetre is,
and which part of the frame is card rather than skin. The neutral patches,
read in linear light, give one gain per channel that maps them back onto their
printed grey levels: a von Kries correction of exposure and white balance
together. Patches that are clipped (too bright) or lost in noise (too dark) are
left out, so a bright light still leaves the greys to calibrate with. What the
correction could not explain is reported as the mean CIEDE2000 difference of
the corrected patches from their targets.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from photometry import card
from photometry.colour import DECODE_LUT, delta_e_2000, linear_to_lab, srgb_decode
from photometry.words import N_

RECTIFIED_PX_PER_MM = 4.0
PATCH_INSET = 0.25  # of a patch's width and height, left out on each side (edges blur)
CLIPPED_LEVEL = 250  # 8-bit value from which a channel counts as clipped
CLIPPED_SHARE = 0.05  # of a patch's pixels clipped in any channel: the patch is not used
DARKEST_LEVEL = 6  # 8-bit median below which a channel is mostly noise
MIN_SIDE = 64  # pixels; a card cannot be read in a smaller image
MIN_MARKERS = 2  # one marker alone places the patches too loosely
MIN_PATCHES = 2  # usable neutral patches needed for a correction
MAX_REPROJECTION_MM = 1.0  # marker corners further off than this: not our flat card
# A correction this large means the card is not lit like the skin (in shade, or
# a different card); it is refused rather than applied.
MAX_GAIN_RATIO = 8.0

PATCH_TARGETS = srgb_decode(np.array(card.PATCH_LEVELS, np.float64) / 255.0)


@dataclass(frozen=True)
class Correction:
    """Per-channel gains in linear light, and how well they fit the card's patches."""

    gains: tuple[float, float, float]
    residual_delta_e: float  # mean CIEDE2000 of the corrected patches from their targets
    patches_used: int

    def apply(self, linear: np.ndarray) -> np.ndarray:
        """Corrected linear RGB (values may exceed 1 where the photo was near clipping)."""
        return linear * np.asarray(self.gains, dtype=linear.dtype)

    def to_json(self) -> str:
        return json.dumps({"gains": [round(g, 6) for g in self.gains]})

    @classmethod
    def from_json(cls, text: str, residual_delta_e: float = 0.0, patches_used: int = 0) -> Correction:
        gains = json.loads(text)["gains"]
        return cls((float(gains[0]), float(gains[1]), float(gains[2])), residual_delta_e, patches_used)


@dataclass(frozen=True)
class CardDetection:
    """Where the card is in a photo (pixel coordinates of the image searched)."""

    homography: np.ndarray  # card millimetres -> image pixels, 3x3
    markers_found: int
    outline: np.ndarray  # the card's corners in pixels, 4x2, clockwise from its top-left
    mm_per_px: float  # at the card's centre
    patch_rgb: np.ndarray  # median 8-bit sRGB of each neutral patch's interior, n x 3
    patch_clipped: np.ndarray  # n booleans

    def contains(self, width: int, height: int) -> np.ndarray:
        """Boolean mask (height x width) of the pixels covered by the card."""
        import cv2

        mask = np.zeros((height, width), np.uint8)
        cv2.fillConvexPoly(mask, np.round(self.outline).astype(np.int32), 1)
        return mask.astype(bool)


@dataclass(frozen=True)
class Calibration:
    """What the card gave for one photo; `correction` is None when it cannot be trusted."""

    card: CardDetection | None
    correction: Correction | None
    problem: str | None = None  # why a found card gave no correction, in plain words

    @property
    def card_found(self) -> bool:
        return self.card is not None

    @property
    def mm_per_px(self) -> float | None:
        return self.card.mm_per_px if self.card is not None else None


@lru_cache(maxsize=1)
def _detector() -> Any:
    import cv2

    dictionary = cv2.aruco.getPredefinedDictionary(getattr(cv2.aruco, card.ARUCO_DICTIONARY))
    parameters = cv2.aruco.DetectorParameters()
    # Sub-pixel corners: the millimetre scale is only as good as they are.
    parameters.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
    return cv2.aruco.ArucoDetector(dictionary, parameters)


def detect_card(pixels: np.ndarray) -> CardDetection | None:
    """The reference card in an 8-bit RGB array, or None when it is not (clearly) there."""
    import cv2

    if min(pixels.shape[:2]) < MIN_SIDE:
        return None
    grey = cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_RGB2GRAY)
    found_corners, ids, _ = _detector().detectMarkers(grey)
    if ids is None:
        return None
    card_corners = card.marker_corners_mm()
    source, target, seen = [], [], set()
    for marker_id, corners in zip(ids.ravel().tolist(), found_corners):
        if marker_id in card_corners and marker_id not in seen:
            seen.add(marker_id)
            source.append(card_corners[marker_id])
            target.append(corners.reshape(4, 2))
    if len(seen) < MIN_MARKERS:
        return None
    src = np.concatenate(source).astype(np.float64)
    dst = np.concatenate(target).astype(np.float64)
    homography, _ = cv2.findHomography(src, dst, 0)
    if homography is None or not _fits(homography, src, dst):
        return None
    return _detection(pixels, homography, len(seen))


def _fits(homography: np.ndarray, src: np.ndarray, dst: np.ndarray) -> bool:
    """The markers lie where one flat card would put them (to within MAX_REPROJECTION_MM)."""
    projected = _project(homography, src)
    error_px = float(np.sqrt(np.mean(np.sum((projected - dst) ** 2, axis=1))))
    return error_px * _mm_per_px(homography) <= MAX_REPROJECTION_MM


def _project(homography: np.ndarray, points: np.ndarray) -> np.ndarray:
    homogeneous = np.c_[points, np.ones(len(points))] @ homography.T
    return homogeneous[:, :2] / homogeneous[:, 2:3]


def _mm_per_px(homography: np.ndarray) -> float:
    """Millimetres per pixel at the card's centre, from the homography's local area scale."""
    centre = np.array([[card.CARD_WIDTH_MM / 2, card.CARD_HEIGHT_MM / 2]])
    step = 1.0
    here = _project(homography, centre)[0]
    along_x = _project(homography, centre + [step, 0])[0] - here
    along_y = _project(homography, centre + [0, step])[0] - here
    area_px_per_mm2 = abs(along_x[0] * along_y[1] - along_x[1] * along_y[0])
    return 1.0 / math.sqrt(max(area_px_per_mm2, 1e-12))


def _detection(pixels: np.ndarray, homography: np.ndarray, markers: int) -> CardDetection:
    import cv2

    scale = np.diag([1 / RECTIFIED_PX_PER_MM, 1 / RECTIFIED_PX_PER_MM, 1.0])
    size = (round(card.CARD_WIDTH_MM * RECTIFIED_PX_PER_MM), round(card.CARD_HEIGHT_MM * RECTIFIED_PX_PER_MM))
    rectified = cv2.warpPerspective(
        np.ascontiguousarray(pixels), homography @ scale, size, flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    )
    rgb, clipped = [], []
    for box in card.patch_boxes():
        inset_x, inset_y = box.width * PATCH_INSET, box.height * PATCH_INSET
        left, right = (
            (box.left + inset_x) * RECTIFIED_PX_PER_MM,
            (box.left + box.width - inset_x) * RECTIFIED_PX_PER_MM,
        )
        top, bottom = (
            (box.top + inset_y) * RECTIFIED_PX_PER_MM,
            (box.top + box.height - inset_y) * RECTIFIED_PX_PER_MM,
        )
        patch = rectified[round(top) : round(bottom), round(left) : round(right)].reshape(-1, 3)
        rgb.append(np.median(patch, axis=0))
        clipped.append(np.mean(np.any(patch >= CLIPPED_LEVEL, axis=1)) > CLIPPED_SHARE)
    outline_mm = np.array(
        [[0, 0], [card.CARD_WIDTH_MM, 0], [card.CARD_WIDTH_MM, card.CARD_HEIGHT_MM], [0, card.CARD_HEIGHT_MM]]
    )
    return CardDetection(
        homography=homography,
        markers_found=markers,
        outline=_project(homography, outline_mm),
        mm_per_px=_mm_per_px(homography),
        patch_rgb=np.array(rgb),
        patch_clipped=np.array(clipped),
    )


def fit_correction(detection: CardDetection) -> Correction | str:
    """Gains from the usable patches, or a plain reason why there are none."""
    usable = ~detection.patch_clipped & np.all(detection.patch_rgb >= DARKEST_LEVEL, axis=1)
    if usable.sum() < MIN_PATCHES:
        if detection.patch_clipped.sum() >= len(usable) - 1:
            return N_("the card is too brightly lit (its grey patches are washed out)")
        return N_("the card's grey patches cannot be read (too dark or covered)")
    measured = DECODE_LUT[np.round(detection.patch_rgb[usable]).astype(np.uint8)].astype(np.float64)
    targets = PATCH_TARGETS[usable]
    # Least squares through the origin, per channel: sum(t m) / sum(m m).
    gains = (targets[:, None] * measured).sum(axis=0) / np.maximum((measured**2).sum(axis=0), 1e-12)
    if gains.max() / max(gains.min(), 1e-12) > MAX_GAIN_RATIO or not np.all(np.isfinite(gains)):
        return N_("the card's colours are far from grey (coloured light on it, or another card)")
    corrected = np.clip(measured * gains, 0, None)
    target_lab = linear_to_lab(np.repeat(targets[:, None], 3, axis=1))
    residual = float(np.mean(delta_e_2000(linear_to_lab(corrected), target_lab)))
    return Correction((float(gains[0]), float(gains[1]), float(gains[2])), residual, int(usable.sum()))


def calibrate(pixels: np.ndarray) -> Calibration:
    """Find the card in an 8-bit RGB array and fit the correction it gives."""
    detection = detect_card(pixels)
    if detection is None:
        return Calibration(None, None)
    fitted = fit_correction(detection)
    if isinstance(fitted, str):
        return Calibration(detection, None, fitted)
    return Calibration(detection, fitted)
