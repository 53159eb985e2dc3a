"""Photo measurements as the journal keeps them: columns, regions, lighting check, retake reasons.

The maths lives in photometry (card, alignment, measurement, quality gate);
this module turns its results into database columns and back, and knows each
area's chosen region and baseline photo.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
from PIL import Image

from recovery.language import N_, _
from recovery.model import Photo
from store.schema import CALIBRATION_COLUMNS, MEASUREMENT_COLUMNS

if TYPE_CHECKING:  # OpenCV loads only when a photo is analysed
    from photometry.alignment import Features
    from photometry.analysis import Baseline
    from photometry.lighting import LightProbes
    from photometry.metrics import Rect
    from photometry.quality import PhotoFacts


@dataclass(frozen=True)
class Region:
    """Where to measure in an area's photos, in relative coordinates (0..1)."""

    roi: tuple[float, float, float, float]
    reference: tuple[float, float, float, float] | None = None

    def to_rects(self) -> tuple[Rect, Rect | None]:
        from photometry.metrics import Rect

        return Rect(*self.roi), Rect(*self.reference) if self.reference else None


def default_region() -> Region:
    from photometry.metrics import DEFAULT_ROI

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


def _measurement_columns(measurements: Any) -> dict[str, Any]:
    result = measurements.as_dict()
    mean_r, mean_g, mean_b = result.pop("mean_rgb")
    columns = {**result, "mean_r": mean_r, "mean_g": mean_g, "mean_b": mean_b}
    return {name: columns[name] for name in MEASUREMENT_COLUMNS}


@dataclass(frozen=True)
class BaselinePhoto:
    """The area's first photo, as a new photo is compared with it."""

    id: int
    path: Path
    sha256: str
    row: Mapping[str, Any]  # its stored columns (sharpness, card_found, light, ...)


def analysed_columns(
    preview: Image.Image, region: Region, stored_size: tuple[int, int], baseline: BaselinePhoto | None
) -> dict[str, Any]:
    """Every measurement and calibration column for one photo: card, alignment to
    `baseline` (None: this photo is the area's baseline), measurements.

    All columns are empty when the photo is too small for the region (a tiny
    image, a thin panorama): that costs the measurements, not the photo.
    """
    from photometry.analysis import analyse

    roi, reference = region.to_rects()
    compared = None
    if baseline is not None:
        try:
            compared = _baseline(baseline)
        except (OSError, ValueError, SyntaxError):
            compared = None  # its file is missing or unreadable (reported when the journal opens)
    analysis = analyse(preview, roi, reference, compared)
    if baseline is not None and compared is None:
        from dataclasses import replace

        from photometry.analysis import NOT_ALIGNED

        # Stored in English (as photometry's problems are), translated where it is shown.
        problem = N_("the first photo of this area could not be read to line this one up with it")
        analysis = replace(analysis, alignment=NOT_ALIGNED, alignment_problem=problem)
    if analysis.measurements is None:
        return {**dict.fromkeys(MEASUREMENT_COLUMNS), **dict.fromkeys(CALIBRATION_COLUMNS)}
    columns = _measurement_columns(analysis.measurements)
    calibration, correction = analysis.calibration, analysis.calibration.correction
    # The card's scale was found on the preview; the record keeps it per stored pixel.
    mm_per_px = calibration.mm_per_px * preview.width / stored_size[0] if calibration.mm_per_px else None
    columns.update(
        calibration=analysis.measurements.calibration,
        card_found=int(calibration.card_found),
        card_correction=correction.to_json() if correction else None,
        card_residual_delta_e=correction.residual_delta_e if correction else None,
        card_problem=calibration.problem,
        mm_per_px=mm_per_px,
        spot_area_mm2=analysis.measurements.spot_area_mm2,
        light=analysis.measurements.light.to_json(),
        alignment=analysis.alignment,
        alignment_problem=analysis.alignment_problem,
        registration=analysis.registration.to_json() if analysis.registration else None,
        aligned_to=baseline.id if baseline is not None else None,
        region_covered=int(analysis.region_covered),
    )
    return columns


def _baseline(photo: BaselinePhoto) -> Baseline:
    from photometry.analysis import Baseline

    features, size = _baseline_features(str(photo.path), photo.sha256)
    return Baseline(features, size, photo_facts(photo.row))


@lru_cache(maxsize=8)
def _baseline_features(path: str, sha256: str) -> tuple[Features, tuple[int, int]]:
    """Features of a stored photo's preview; cached, as every new photo of the
    area is compared with the same baseline (`sha256` keys the content)."""
    from photometry.alignment import features
    from store.photos.imaging import decode_preview

    with open(path, "rb") as handle:
        preview = decode_preview(handle.read())
    return features(np.asarray(preview)), preview.size


# A photo as stored: its database row (while it is being written) or its Photo record.
StoredPhoto: TypeAlias = Mapping[str, Any] | Photo


def photo_facts(row: StoredPhoto) -> PhotoFacts:
    """What the quality gate needs, from a stored row (mapping) or a Photo record."""
    from photometry.alignment import Registration
    from photometry.quality import PhotoFacts

    def get(name: str) -> Any:
        return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)

    covered = get("region_covered")
    return PhotoFacts(
        sharpness=get("sharpness"),
        clipped_highlights=get("clipped_highlights"),
        clipped_shadows=get("clipped_shadows"),
        card_found=bool(get("card_found")),
        card_problem=get("card_problem"),
        light=_light(row, get),
        registration=Registration.from_json(get("registration")),
        alignment_problem=get("alignment_problem"),
        region_covered=True if covered is None else bool(covered),
    )


def _light(row: StoredPhoto, get: Callable[[str], Any]) -> LightProbes | None:
    from photometry.lighting import LightProbes

    probes = LightProbes.from_json(get("light"))
    if probes is not None or get("mean_r") is None:
        return probes
    # Measured before lighting probes existed: the frame's mean colour is
    # mostly skin, which heals, so it is no probe of the light. Such a photo
    # has nothing to be judged on until its area is measured again.
    return LightProbes({})


def lighting_check(baseline: Mapping[str, Any] | None, row: Mapping[str, Any]) -> str | None:
    """How a photo's light compares with the area's first photo (`baseline` None:
    it is the first): photometry.lighting's SAME, DIFFERS or UNCHECKED, judged on
    the card, the frame's neutral surroundings or the reference patch, never on
    skin. None for a photo that was not measured (too small for the region)."""
    from photometry import lighting

    # Only the light: the rest of photo_facts (the registration's JSON, ...) is
    # not needed here, and the snapshot asks this for every photo.
    light = _light(row, row.get)
    if light is None:
        return None
    return lighting.check(None if baseline is None else _light(baseline, baseline.get), light)


def lighting_differs(baseline: Mapping[str, Any] | None, row: Mapping[str, Any]) -> bool:
    """Whether a photo's light was judged and found to differ markedly from the area's first photo."""
    from photometry.lighting import DIFFERS

    return baseline is not None and lighting_check(baseline, row) == DIFFERS


def lighting_note(photo: StoredPhoto, baseline: StoredPhoto | None) -> str | None:
    """The plain note when a stored photo's light cannot be checked against the
    area's first photo (nothing neutral in view); None when it was checked. In the
    current language (recovery.language), as the retake reasons."""
    from photometry.quality import lighting_note as note

    same = baseline is not None and _id(baseline) == _id(photo)
    return note(photo_facts(photo), None if same or baseline is None else photo_facts(baseline), say=_)


def retake_reasons(photo: StoredPhoto, baseline: StoredPhoto | None) -> list[str]:
    """Plain 'retake?' reasons for a stored photo (a Photo record or a row), judged
    against the area's first photo; empty when it looks fine. Call right after
    add_photo; the patient may keep the photo anyway. In the current language."""
    from photometry.quality import retake_reasons as reasons

    same = baseline is not None and _id(baseline) == _id(photo)
    return [
        reason.message
        for reason in reasons(photo_facts(photo), None if same or baseline is None else photo_facts(baseline), say=_)
    ]


def _id(record: StoredPhoto) -> Any:
    return record.get("id") if isinstance(record, Mapping) else record.id
