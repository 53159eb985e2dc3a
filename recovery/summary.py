"""Each sign's course in one line: peak, latest, and since when it is back to normal.

What a dermatologist reads first in the summary, before any chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from recovery.course import expected_band
from recovery.vocabulary import RATED_SIGNS


@dataclass(frozen=True)
class SignCourse:
    area: str
    treatment_id: int
    sign: str
    first_day: int  # first logged rating of the course
    peak: int
    peak_day: int
    latest: int
    latest_day: int
    latest_date: dt.date
    # First day from which every logged rating stayed within its expected band
    # (first_day: throughout); None while the latest rating is still above it.
    normal_from_day: int | None


def latest_courses(entries: Iterable[Mapping]) -> list[SignCourse]:
    """For the latest treatment course of each area, one line per rated sign."""
    courses: dict[str, tuple[int, list[Mapping]]] = {}
    for entry in sorted(entries, key=lambda e: e["day"]):
        if entry.get("treatment_id") is None or (entry.get("days_since_treatment") or 0) < 0:
            continue
        current = courses.get(entry["area"])
        if current is None or current[0] != entry["treatment_id"]:
            current = (entry["treatment_id"], [])
            courses[entry["area"]] = current
        current[1].append(entry)
    lines = []
    for area, (treatment_id, course) in sorted(courses.items()):
        for sign in RATED_SIGNS:
            line = _sign_course(area, treatment_id, sign, course)
            if line is not None:
                lines.append(line)
    return lines


def _sign_course(area: str, treatment_id: int, sign: str, course: list[Mapping]) -> SignCourse | None:
    rated = [e for e in course if e.get(sign) is not None]
    if not rated:
        return None
    peak = max(rated, key=lambda e: (e[sign], -e["days_since_treatment"]))
    latest = rated[-1]
    return SignCourse(
        area=area,
        treatment_id=treatment_id,
        sign=sign,
        first_day=rated[0]["days_since_treatment"],
        peak=peak[sign],
        peak_day=peak["days_since_treatment"],
        latest=latest[sign],
        latest_day=latest["days_since_treatment"],
        latest_date=latest["day"],
        normal_from_day=_normal_from(sign, rated),
    )


def _normal_from(sign: str, rated: list[Mapping]) -> int | None:
    normal_from = None
    for entry in rated:
        within = entry[sign] <= expected_band(sign, entry["days_since_treatment"]).max_rating
        if not within:
            normal_from = None
        elif normal_from is None:
            normal_from = entry["days_since_treatment"]
    return normal_from
