"""Measurements from photos, read beside the patient's own ratings.

Photos are compared with calm skin of the same area (a photo from before the
treatment, else the least red day), as uncalibrated cameras allow only
relative measurement. A disagreement between
a rating and a measurement is a note, never an alarm: light, angle and camera
all move the numbers.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence

from recovery.flags import Flag

MEASURED_REDNESS = "Redness measured from photo (0-4 scale, relative to your calmest photo)"
MEASURED_SPOTS = "Dark spots counted in photo"
# Rated "clear" yet measured two scale steps redder than the baseline photo.
DISAGREEMENT_STEPS = 2.0
REDNESS_STEP_A_STAR = 5.0  # a* units per step of the 0-4 redness scale
UNCALIBRATED_CAVEAT = " (not calibrated: no reference card or untreated patch in the photo)"
SOURCE = "Healing Journal photo measurement (CIELAB a*, Ly et al., JID 2020), relative to your calmest photo"


def redness_relative(a_star: float, baseline_a_star: float) -> float:
    """Redness above baseline on the 0-4 rating scale, for charts.

    Each REDNESS_STEP_A_STAR (5) units of a* above the baseline photo count as
    one step; less red than baseline is 0 and the scale tops out at 4. This is
    a display aid next to the patient's own rating, not a clinical grade.
    """
    steps = (a_star - baseline_a_star) / REDNESS_STEP_A_STAR
    return float(min(max(steps, 0.0), 4.0))


def _redness_value(photo) -> float | None:
    # With a reference patch, the difference to untreated skin cancels most
    # of the light's influence, so it is preferred.
    return photo.delta_a_star if photo.delta_a_star is not None else photo.a_star


def _calibrated(photo) -> bool:
    """Colour made comparable between days: by the reference card, or against the untreated patch."""
    how = getattr(photo, "calibration", None)
    if how is None:  # measured before calibration was recorded
        return photo.delta_a_star is not None
    return how in ("card", "reference")


def daily_measurements(photos: Sequence) -> list[dict]:
    """Per (area, day): relative redness on the 0-4 scale and spot count, medians of that day's photos."""
    by_day: dict[tuple[str, dt.date], list] = {}
    for photo in photos:
        if photo.a_star is not None and photo.days_since_treatment is not None:
            by_day.setdefault((photo.area, photo.day), []).append(photo)
    redness = {key: statistics.median(_redness_value(p) for p in group) for key, group in by_day.items()}
    baselines = _baselines(redness, by_day)
    rows = []
    for (area, day), group in sorted(by_day.items(), key=lambda item: item[0][1]):
        above = redness[(area, day)] - baselines[area]
        rows.append(
            {
                "area": area,
                "day": day,
                "days_since_treatment": group[0].days_since_treatment,
                "redness_scaled": redness_relative(redness[(area, day)], baselines[area]),
                "a_star_above_baseline": above,
                "spot_count": int(statistics.median(p.spot_count or 0 for p in group)),
                "lighting_differs": any(p.lighting_differs for p in group),
                # False when any photo of the day had neither the card nor a reference patch.
                "calibrated": all(_calibrated(p) for p in group),
            }
        )
    return rows


def _baselines(
    redness: Mapping[tuple[str, dt.date], float], by_day: Mapping[tuple[str, dt.date], list]
) -> dict[str, float]:
    """Each area's calm-skin redness: its photos from before treatment when there
    are any, else its least red day (treated skin is reddest on day 0, so the
    first photo would make a poor baseline)."""
    baselines: dict[str, float] = {}
    for area in {area for area, _ in redness}:
        before = [v for (a, d), v in redness.items() if a == area and by_day[(a, d)][0].days_since_treatment < 0]
        values = before or [v for (a, _), v in redness.items() if a == area]
        baselines[area] = statistics.median(before) if before else min(values)
    return baselines


def chart_rows(measurements: Iterable[Mapping]) -> list[dict]:
    """Rows for the recovery chart's dashed 'measured' lines."""
    rows = []
    for m in measurements:
        if m["days_since_treatment"] < 0:
            continue
        caveat = " (lighting differs from your first photo: compare with care)" if m["lighting_differs"] else ""
        if not m.get("calibrated", True):
            caveat += UNCALIBRATED_CAVEAT
        common = {"day": m["days_since_treatment"], "date": m["day"].isoformat()}
        common["calibrated"] = m.get("calibrated", True)
        rows.append({**common, "sign": "Redness", "value": m["redness_scaled"], "what": MEASURED_REDNESS + caveat})
        # The spots panel reads 0-4; larger counts are drawn at the top.
        rows.append(
            {
                **common,
                "sign": "Spots (darker patches)",
                "value": min(m["spot_count"], 4),
                "what": f"{MEASURED_SPOTS}: {m['spot_count']}{caveat}",
            }
        )
    return rows


def disagreements(entries: Iterable[Mapping], measurements: Iterable[Mapping]) -> list[Flag]:
    """Info notes where a 'clear' rating meets a clearly redder photo."""
    measured = {(m["area"], m["day"]): m for m in measurements}
    notes = []
    for entry in entries:
        m = measured.get((entry["area"], entry["day"]))
        if m is None or entry.get("redness") != 0 or m["redness_scaled"] < DISAGREEMENT_STEPS:
            continue
        notes.append(
            Flag(
                rule_id="measured_redness_disagrees",
                severity="info",
                sign="redness",
                area=entry["area"],
                first_day=entry["day"],
                days_since_treatment=entry.get("days_since_treatment"),
                message=(
                    f"You rated the redness as clear, but the photo of this day measures about "
                    f"{m['a_star_above_baseline'] / REDNESS_STEP_A_STAR:.0f} scale steps redder "
                    "than your calmest photo."
                ),
                advice="Look at the photos side by side in good light; light and camera settings can also cause this.",
                source=SOURCE,
                treatment_id=entry.get("treatment_id"),
            )
        )
    return notes[:1] if notes else []


# One line per number shown beside a photo (the README documents the same names).
MEASUREMENT_HELP: dict[str, tuple[str, str]] = {
    "a_star": ("Redness (a*)", "Median CIELAB a* in the measured region: higher is redder."),
    "delta_a_star": (
        "Redness vs untreated skin (Δa*)",
        "Region minus your reference patch: light affects both, so this is steadier.",
    ),
    "erythema_index": (
        "Erythema index",
        "100·log10(R/G) on linear light: blood absorbs green, so redder skin scores higher.",
    ),
    "l_star": ("Lightness (L*)", "0 black to 100 white; dark spots lower it."),
    "b_star": ("Yellowness (b*)", "Higher is more yellow."),
    "ita": ("Skin tone angle (ITA°)", "A check against your skin type, not a replacement for it."),
    "spot_count": (
        "Dark spots found",
        "Patches darker than the skin around them and shifted in colour the way pigment shifts it;"
        " shadows, hairs and pores are left out.",
    ),
    "spot_area_mm2": ("Area of the spots (mm²)", "Measured with the reference card's scale, when it was in the photo."),
    "spot_fraction": ("Area covered by spots", "Share of the measured region."),
    "sharpness": ("Sharpness", "Variance of the Laplacian: low values mean a blurred photo."),
}
