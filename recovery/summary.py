"""Each sign's course in one line: peak, latest, and since when it is back to normal.

What a dermatologist reads first in the summary, before any chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from recovery.course import within_band
from recovery.model import Entry
from recovery.usual_skin import UsualSkin, baseline_of
from recovery.vocabulary import RATED_SIGNS, Area, Depth, Sign


@dataclass(frozen=True)
class SignCourse:
    area: Area
    treatment_id: int
    sign: Sign
    first_day: int  # first logged rating of the course
    peak: int
    peak_day: int
    latest: int
    latest_day: int
    latest_date: dt.date
    # First day from which every logged rating stayed within its expected band
    # (first_day: throughout); None while the latest rating is still above it.
    normal_from_day: int | None


class _HasDepth(Protocol):
    @property
    def depth(self) -> Depth: ...


def latest_courses(
    entries: Iterable[Entry],
    courses: Mapping[tuple[Area, int], _HasDepth] | None = None,
    known: Mapping[Area, UsualSkin] | None = None,
) -> list[SignCourse]:
    """For the latest treatment course of each area, one line per rated sign,
    judged against the course's depth and the area's baseline."""
    latest: dict[Area, tuple[int, list[Entry]]] = {}
    for entry in sorted(entries, key=lambda e: e.day):
        if not entry.in_course or entry.treatment_id is None:
            continue
        current = latest.get(entry.area)
        if current is None or current[0] != entry.treatment_id:
            current = (entry.treatment_id, [])
            latest[entry.area] = current
        current[1].append(entry)
    lines = []
    for area, (treatment_id, course) in sorted(latest.items()):
        judged = (courses or {}).get((area, treatment_id))
        depth = judged.depth if judged is not None else Depth.MEDIUM
        baseline = baseline_of(known or {}, area)
        for sign in RATED_SIGNS:
            line = _sign_course(area, treatment_id, sign, course, depth, baseline.level(sign))
            if line is not None:
                lines.append(line)
    return lines


def _rated(course: Sequence[Entry], sign: Sign) -> list[tuple[Entry, int, int]]:
    """(entry, days since treatment, rating) of the days the sign was rated."""
    rated = []
    for entry in course:
        rating, since = entry.rating(sign), entry.days_since_treatment
        if rating is not None and since is not None:
            rated.append((entry, since, rating))
    return rated


def _sign_course(
    area: Area, treatment_id: int, sign: Sign, course: Sequence[Entry], depth: Depth, baseline: int
) -> SignCourse | None:
    rated = _rated(course, sign)
    if not rated:
        return None
    _, peak_day, peak = max(rated, key=lambda item: (item[2], -item[1]))
    latest, latest_day, latest_rating = rated[-1]
    return SignCourse(
        area=area,
        treatment_id=treatment_id,
        sign=sign,
        first_day=rated[0][1],
        peak=peak,
        peak_day=peak_day,
        latest=latest_rating,
        latest_day=latest_day,
        latest_date=latest.day,
        normal_from_day=_normal_from(sign, rated, depth, baseline),
    )


def _normal_from(sign: Sign, rated: Sequence[tuple[Entry, int, int]], depth: Depth, baseline: int) -> int | None:
    normal_from = None
    for _, since, rating in rated:
        if not within_band(sign, since, rating, depth, baseline):
            normal_from = None
        elif normal_from is None:
            normal_from = since
    return normal_from
