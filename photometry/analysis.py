"""Everything measured from one photo at ingest, in order: card, alignment, measurement.

1. Find the reference card and fit its correction (photometry.calibration).
2. Register the photo to its area's baseline (photometry.alignment), with the
   card masked out; the measuring region is defined on the baseline, so the
   photo is resampled into the baseline's frame before measuring: the same
   skin is measured every day.
3. Measure colour and spots in that frame, corrected by the card; sharpness
   and clipping are read from the photo as taken, so resampling cannot make a
   photo look blurred.

The result also carries what the quality gate needs (`facts`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from photometry import alignment
from photometry.alignment import Features, NotAligned, Registration
from photometry.calibration import Calibration, calibrate
from photometry.metrics import Measurements, measure, sharpness
from photometry.quality import PhotoFacts
from photometry.regions import Rect

CARD_OVER_REGION = 0.02  # share of the measuring region the card may cover before the gate objects

# How a photo relates to its area's baseline.
IS_BASELINE = "baseline"
ALIGNED = "aligned"
NOT_ALIGNED = "not aligned"


@dataclass(frozen=True)
class Baseline:
    """What a new photo is compared with: the area's first photo."""

    features: Features
    size: tuple[int, int]  # (width, height) of the image its features were found in
    facts: PhotoFacts


@dataclass(frozen=True)
class Analysis:
    measurements: Measurements | None  # None when the photo is too small for the region
    calibration: Calibration
    registration: Registration | None
    alignment: str  # IS_BASELINE, ALIGNED or NOT_ALIGNED
    alignment_problem: str | None
    region_covered: bool
    features: Features  # of this photo, for when it is (or becomes) a baseline

    def facts(self) -> PhotoFacts:
        m = self.measurements
        return PhotoFacts(
            sharpness=m.sharpness if m else None,
            clipped_highlights=m.clipped_highlights if m else None,
            clipped_shadows=m.clipped_shadows if m else None,
            card_found=self.calibration.card_found,
            card_problem=self.calibration.problem,
            light=m.light if m else None,
            registration=self.registration,
            alignment_problem=self.alignment_problem,
            region_covered=self.region_covered,
        )


def analyse(image: Image.Image, roi: Rect, reference: Rect | None = None, baseline: Baseline | None = None) -> Analysis:
    """Card, alignment and measurements of one photo (a preview of about 1024 px)."""
    image = image if image.mode == "RGB" else image.convert("RGB")
    pixels = np.asarray(image)
    calibration = calibrate(pixels)
    card_mask = calibration.card.contains(*image.size) if calibration.card is not None else None
    # The card moves between days on its own: its features would pull the fit
    # (and, with their strong corners, crowd out the skin's), so it is masked.
    own_features = alignment.features(pixels, exclude=card_mask)
    registration, problem = None, None
    if baseline is not None:
        try:
            registration = alignment.register(own_features, baseline.features)
        except NotAligned as exc:
            problem = str(exc)
    covered = registration is None or alignment.covers(registration.matrix, roi)
    if card_mask is not None and _share_of_region(card_mask, roi, registration) > CARD_OVER_REGION:
        calibration = replace(calibration, problem="it covers part of the measured area; lay it beside the area")
    try:
        if registration is not None and covered:
            measurements = _measure_aligned(image, roi, reference, calibration, card_mask, registration, baseline)
        else:
            lined_up = baseline is None  # a baseline is its own frame; otherwise it was not lined up
            measurements = _measure_as_taken(image, roi, reference, calibration, card_mask, lined_up)
    except ValueError:
        measurements = None  # a tiny photo or a thin panorama: no region fits
    status = IS_BASELINE if baseline is None else ALIGNED if registration is not None else NOT_ALIGNED
    return Analysis(measurements, calibration, registration, status, problem, covered, own_features)


def _measure_as_taken(
    image: Image.Image,
    roi: Rect,
    reference: Rect | None,
    calibration: Calibration,
    card_mask: np.ndarray | None,
    lined_up: bool,
) -> Measurements:
    return measure(
        image,
        roi,
        reference,
        correction=calibration.correction,
        mm_per_px=calibration.mm_per_px,
        exclude=card_mask,
        lined_up=lined_up,
    )


def _measure_aligned(
    image: Image.Image,
    roi: Rect,
    reference: Rect | None,
    calibration: Calibration,
    card_mask: np.ndarray | None,
    registration: Registration,
    baseline: Baseline | None,
) -> Measurements:
    assert baseline is not None
    size = _frame_size(image.size, baseline.size)
    warped = alignment.warp_to_baseline(image, registration.matrix, size)
    # What the photo did not cover (and the card) must not count as surroundings.
    shown = np.full((image.height, image.width), 255, np.uint8)
    if card_mask is not None:
        shown[card_mask] = 0
    visible = np.asarray(alignment.warp_to_baseline(Image.fromarray(shown, "L"), registration.matrix, size))
    exclude = visible < 128
    if reference is not None and not alignment.covers(registration.matrix, reference):
        reference = None
    mm_per_px = calibration.mm_per_px
    if mm_per_px is not None:
        transform = alignment.pixel_matrix(registration.matrix, image.size, size)
        mm_per_px /= math.sqrt(abs(float(np.linalg.det(transform[:2, :2]))))
    # Sharpness and clipping as taken: resampling blurs a little and adds black borders.
    pixels = np.asarray(image)
    aligned = measure(
        warped,
        roi,
        reference,
        correction=calibration.correction,
        mm_per_px=mm_per_px,
        exclude=exclude,
        as_taken=pixels,
    )
    region_as_taken = _bounding_crop(pixels, alignment.region_in_photo(registration.matrix, roi))
    return replace(aligned, sharpness=sharpness(region_as_taken))


def _share_of_region(card_mask: np.ndarray, roi: Rect, registration: Registration | None) -> float:
    """How much of the measuring region (where it lies in this photo) the card covers."""
    import cv2

    height, width = card_mask.shape
    corners = np.array(roi.corners()) if registration is None else alignment.region_in_photo(registration.matrix, roi)
    region = np.zeros((height, width), np.uint8)
    cv2.fillConvexPoly(region, np.round(corners * [width, height]).astype(np.int32), 1)
    inside = region.astype(bool)
    return float((inside & card_mask).sum() / max(inside.sum(), 1))


def _frame_size(photo_size: tuple[int, int], baseline_size: tuple[int, int]) -> tuple[int, int]:
    """The baseline's frame at about the photo's resolution."""
    width = photo_size[0]
    return width, max(1, round(width * baseline_size[1] / baseline_size[0]))


def _bounding_crop(pixels: np.ndarray, corners: np.ndarray) -> np.ndarray:
    height, width = pixels.shape[:2]
    left, top = np.clip(corners.min(axis=0) * [width, height], 0, [width, height]).astype(int)
    right, bottom = np.clip(np.ceil(corners.max(axis=0) * [width, height]), 0, [width, height]).astype(int)
    if right - left < 8 or bottom - top < 8:
        return pixels
    return pixels[top:bottom, left:right]
