"""Measurements from photos, read beside the patient's own ratings.

Photos are compared with calm skin of the same area (a photo from before the
treatment, else the least red day), as uncalibrated cameras allow only
relative measurement. A disagreement between a rating and a measurement is a
note, never an alarm: light, angle and camera all move the numbers.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from recovery.flags import Flag, RuleId
from recovery.language import N_, _
from recovery.model import Entry, Photo
from recovery.photo_metric_names import MEASUREMENT_NAMES, Measure
from recovery.view_choice import series_photos
from recovery.vocabulary import Area, Severity, Sign

MEASURED_REDNESS = N_("Redness measured from photo (0-4 scale, relative to your calmest photo)")
MEASURED_SPOTS = N_("Dark spots counted in photo: {count}")
# Rated "clear" yet measured two scale steps redder than the baseline photo.
DISAGREEMENT_STEPS = 2.0
REDNESS_STEP_A_STAR = 5.0  # a* units per step of the 0-4 redness scale
UNCALIBRATED_CAVEAT = N_("(not calibrated: no reference card or untreated patch in the photo)")
LIGHTING_CAVEAT = N_("(lighting differs from your first photo: compare with care)")
SOURCE = (
    f"Healing Journal: {MEASUREMENT_NAMES[Measure.REDNESS].plain_words} from your photos, relative to your calmest "
    f"photo (technically {MEASUREMENT_NAMES[Measure.REDNESS].technical}; Ly et al., JID 2020)"
)


@dataclass(frozen=True)
class DailyMeasurement:
    """What the photos of one day and area measure, medians of that day's photos."""

    area: Area
    day: dt.date
    days_since_treatment: int
    redness_scaled: float  # 0-4, relative to the area's calmest photo
    a_star_above_baseline: float
    spot_count: int
    lighting_differs: bool
    # False when a photo of the day had neither the reference card nor an untreated patch.
    calibrated: bool = True
    # A photo of the day showed nothing neutral to check its light on.
    lighting_unchecked: bool = False


def redness_relative(a_star: float, baseline_a_star: float) -> float:
    """Redness above baseline on the 0-4 rating scale, for charts.

    Each REDNESS_STEP_A_STAR (5) units of a* above the baseline photo count as
    one step; less red than baseline is 0 and the scale tops out at 4. This is
    a display aid next to the patient's own rating, not a clinical grade.
    """
    steps = (a_star - baseline_a_star) / REDNESS_STEP_A_STAR
    return float(min(max(steps, 0.0), 4.0))


def _redness_value(photo: Photo) -> float:
    # With a reference patch, the difference to untreated skin cancels most
    # of the light's influence, so it is preferred.
    value = photo.delta_a_star if photo.delta_a_star is not None else photo.a_star
    assert value is not None  # only measured photos are passed in
    return value


def daily_measurements(photos: Iterable[Photo]) -> tuple[DailyMeasurement, ...]:
    """Per (area, day): relative redness on the 0-4 scale and spot count, from the photos of
    the area's chosen view (recovery.view_choice)."""
    measured: dict[Area, list[Photo]] = {}
    for photo in photos:
        if photo.a_star is not None and photo.days_since_treatment is not None:
            measured.setdefault(photo.area, []).append(photo)
    by_day: dict[tuple[Area, dt.date], list[Photo]] = {}
    for area_photos in measured.values():
        for photo in series_photos(area_photos):  # one view per area: another view sees other skin
            by_day.setdefault((photo.area, photo.day), []).append(photo)
    redness = {key: statistics.median(_redness_value(p) for p in group) for key, group in by_day.items()}
    baselines = _baselines(redness, by_day)
    rows = []
    for (area, day), group in sorted(by_day.items(), key=lambda item: item[0][1]):
        rows.append(
            DailyMeasurement(
                area=area,
                day=day,
                days_since_treatment=group[0].days_since_treatment or 0,
                redness_scaled=redness_relative(redness[(area, day)], baselines[area]),
                a_star_above_baseline=redness[(area, day)] - baselines[area],
                spot_count=int(statistics.median(p.spot_count or 0 for p in group)),
                lighting_differs=any(p.lighting_differs for p in group),
                calibrated=all(p.is_calibrated for p in group),
                lighting_unchecked=any(p.lighting_unchecked for p in group),
            )
        )
    return tuple(rows)


def _baselines(
    redness: Mapping[tuple[Area, dt.date], float], by_day: Mapping[tuple[Area, dt.date], list[Photo]]
) -> dict[Area, float]:
    """Each area's calm-skin redness: its photos from before treatment when there
    are any, else its least red day (treated skin is reddest on day 0, so the
    first photo would make a poor baseline)."""
    baselines: dict[Area, float] = {}
    for area in {area for area, _day in redness}:
        before = [v for (a, d), v in redness.items() if a == area and (by_day[(a, d)][0].days_since_treatment or 0) < 0]
        values = before or [v for (a, _day), v in redness.items() if a == area]
        baselines[area] = statistics.median(before) if before else min(values)
    return baselines


@dataclass(frozen=True)
class MeasuredPoint:
    """One point of a chart's dashed 'measured' line."""

    sign: Sign
    day: int
    date: dt.date
    value: float  # on the sign's 0-4 scale
    what: str  # the tooltip
    calibrated: bool = True


def chart_points(measurements: Iterable[DailyMeasurement]) -> list[MeasuredPoint]:
    """Points for the recovery chart's dashed 'measured' lines, by sign."""
    points = []
    for m in measurements:
        if m.days_since_treatment < 0:
            continue
        # In the current language: the chart's tooltips say them.
        caveats = [_(LIGHTING_CAVEAT)] if m.lighting_differs else []
        if not m.calibrated:
            caveats.append(_(UNCALIBRATED_CAVEAT))
        caveat = "".join(f" {words}" for words in caveats)
        day, redness = m.days_since_treatment, m.redness_scaled
        points.append(MeasuredPoint(Sign.REDNESS, day, m.day, redness, _(MEASURED_REDNESS) + caveat, m.calibrated))
        # The spots panel reads 0-4; larger counts are drawn at the top.
        spots = min(m.spot_count, Sign.SPOTS.top)
        what = _(MEASURED_SPOTS).format(count=m.spot_count) + caveat
        points.append(MeasuredPoint(Sign.SPOTS, day, m.day, spots, what, m.calibrated))
    return points


def disagreements(entries: Iterable[Entry], measurements: Sequence[DailyMeasurement]) -> list[Flag]:
    """An info note where a 'clear' rating meets a clearly redder photo (the first such day)."""
    measured = {(m.area, m.day): m for m in measurements}
    for entry in entries:
        m = measured.get((entry.area, entry.day))
        if m is None or entry.rating(Sign.REDNESS) != 0 or m.redness_scaled < DISAGREEMENT_STEPS:
            continue
        steps = m.a_star_above_baseline / REDNESS_STEP_A_STAR
        return [
            Flag(
                rule_id=RuleId.MEASURED_DISAGREES,
                severity=Severity.INFO,
                sign=Sign.REDNESS,
                area=entry.area,
                first_day=entry.day,
                days_since_treatment=entry.days_since_treatment,
                message=_(
                    "You rated the redness as clear, but the photo of this day measures about "
                    "{steps} scale steps redder than your calmest photo."
                ).format(steps=f"{steps:.0f}"),
                advice=_(
                    "Look at the photos side by side in good light; light and camera settings can also cause this."
                ),
                source=SOURCE,
                treatment_id=entry.treatment_id,
            )
        ]
    return []
