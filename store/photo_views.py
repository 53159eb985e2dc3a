"""Seeing change in an area's photos: two days at the same aligned crop, and an aligned time-lapse.

Library functions for the Photos page (which shows them: a comparison slider,
a downloadable animation). They read the stored photos and their registration
to the area's first photo (see store.measurements / photometry.alignment) and
return images or bytes; nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image

from photometry import alignment
from photometry.alignment import Registration
from photometry.regions import Rect
from store.imaging import decode_preview
from store.measurements import Region

CROP_MARGIN = 0.08  # of the frame, around the measuring region


class CannotCompare(ValueError):
    """The photos cannot be shown aligned; the message says why, plainly."""


def crop_around(region: Region, margin: float = CROP_MARGIN) -> Rect:
    """The measuring region with a margin of surrounding skin, within the frame."""
    left, top, right, bottom = region.roi
    return Rect(max(0.0, left - margin), max(0.0, top - margin), min(1.0, right + margin), min(1.0, bottom + margin))


def _matrix(photo: Any, baseline: Any) -> np.ndarray | None:
    """The photo's registration to `baseline`, None for the baseline itself."""
    if photo.id == baseline.id:
        return None
    registration = Registration.from_json(getattr(photo, "registration", None))
    if registration is None or getattr(photo, "aligned_to", None) != baseline.id:
        raise CannotCompare(
            f"The photo of {photo.day.isoformat()} is not lined up with the first photo of this area"
            + (f": {photo.alignment_problem}." if getattr(photo, "alignment_problem", None) else ".")
        )
    return registration.matrix


def _preview(photo: Any) -> Image.Image:
    with open(photo.path, "rb") as handle:
        return decode_preview(handle.read())


def comparison_pair(
    first: Any, second: Any, baseline: Any, region: Region, long_side: int = 900
) -> tuple[Image.Image, Image.Image]:
    """Two photos of an area (Photo records) at the same aligned crop around the region,
    the same size: the two sides of a comparison slider. Raises CannotCompare."""
    crop = crop_around(region)
    size = (baseline.width, baseline.height)
    return (
        alignment.aligned_crop(_preview(first), _matrix(first, baseline), crop, long_side, size),
        alignment.aligned_crop(_preview(second), _matrix(second, baseline), crop, long_side, size),
    )


def timelapse(
    photos: Sequence[Any], baseline: Any, region: Region, fmt: str = "WEBP", long_side: int = 640
) -> tuple[bytes, list[Any]]:
    """An animated WebP (or GIF) of an area's photos in day order, aligned to the
    area's first photo; returns the bytes and the photos left out (not aligned)."""
    frames, captions, left_out = [], [], []
    for photo in photos:
        try:
            matrix = _matrix(photo, baseline)
        except CannotCompare:
            left_out.append(photo)
            continue
        frames.append((_preview(photo), matrix))
        captions.append(f"{photo.day.isoformat()}  {getattr(photo, 'day_label', '')}".strip())
    if not frames:
        raise CannotCompare("None of these photos is lined up with the first photo of this area.")
    data = alignment.timelapse(
        frames, crop_around(region), (baseline.width, baseline.height), long_side=long_side, fmt=fmt, captions=captions
    )
    return data, left_out
