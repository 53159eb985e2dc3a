"""Photo measurements as the journal keeps them: columns, regions, lighting check.

The maths lives in photometry.measurement; this module turns its results into
database columns and back, and knows each area's chosen region.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PIL import Image

from store.schema import MEASUREMENT_COLUMNS


@dataclass(frozen=True)
class Region:
    """Where to measure in an area's photos, in relative coordinates (0..1)."""

    roi: tuple[float, float, float, float]
    reference: tuple[float, float, float, float] | None = None

    def to_rects(self):
        from photometry.measurement import Rect

        return Rect(*self.roi), Rect(*self.reference) if self.reference else None


def default_region() -> Region:
    from photometry.measurement import DEFAULT_ROI

    return Region((DEFAULT_ROI.left, DEFAULT_ROI.top, DEFAULT_ROI.right, DEFAULT_ROI.bottom))


def region_from_row(roi: str | None, reference: str | None) -> Region:
    if roi is None:
        return default_region()
    return Region(tuple(json.loads(roi)), tuple(json.loads(reference)) if reference else None)


def region_to_row(region: Region) -> dict[str, Any]:
    region.to_rects()  # validates, raising ValueError with a readable message
    return {
        "roi": json.dumps(list(region.roi)),
        "reference": json.dumps(list(region.reference)) if region.reference else None,
    }


def measure_columns(preview: Image.Image, region: Region) -> dict[str, Any]:
    """Database columns for one photo's measurements."""
    from photometry.measurement import measure

    roi, reference = region.to_rects()
    result = measure(preview, roi, reference).as_dict()
    mean_r, mean_g, mean_b = result.pop("mean_rgb")
    columns = {**result, "mean_r": mean_r, "mean_g": mean_g, "mean_b": mean_b}
    return {name: columns[name] for name in MEASUREMENT_COLUMNS}


def lighting_differs(baseline: Mapping[str, Any] | None, row: Mapping[str, Any]) -> bool:
    """Whether a photo's light differs markedly from the area's first photo."""
    if baseline is None or row.get("mean_r") is None or baseline.get("mean_r") is None:
        return False
    from photometry import lighting

    def mean_rgb(record: Mapping[str, Any]) -> tuple[float, float, float]:
        return record["mean_r"], record["mean_g"], record["mean_b"]

    return lighting.differs(mean_rgb(baseline), mean_rgb(row))


ROI_COLOUR = (255, 255, 255)
REFERENCE_COLOUR = (0, 160, 255)
SPOT_COLOUR = (255, 200, 0)


def annotated_preview(photo_path, region: Region, show_spots: bool = True) -> Image.Image:
    """The photo (analysis size) with the region, the reference patch and detected spots drawn on it."""
    from PIL import ImageDraw

    from photometry.measurement import spot_outlines
    from store.imaging import decode_preview

    with open(photo_path, "rb") as handle:
        preview = decode_preview(handle.read())
    roi, reference = region.to_rects()
    outlines = spot_outlines(preview, roi) if show_spots else []
    draw = ImageDraw.Draw(preview)
    line = max(2, preview.width // 300)
    draw.rectangle(roi.to_pixels(*preview.size), outline=ROI_COLOUR, width=line)
    if reference is not None:
        draw.rectangle(reference.to_pixels(*preview.size), outline=REFERENCE_COLOUR, width=line)
    for left, top, right, bottom in outlines:
        pad = line * 2
        draw.ellipse((left - pad, top - pad, right + pad, bottom + pad), outline=SPOT_COLOUR, width=line)
    return preview
