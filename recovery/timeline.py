"""Which treatment a day belongs to, and how many days have passed since it.

A series of treatments of one area (usually three, weeks apart) restarts the
count: a day belongs to the latest treatment of its area on or before it.
A day before the area's first treatment gets a negative count.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from recovery.language import _


class _Treated(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def day(self) -> dt.date: ...
    @property
    def areas(self) -> Iterable[str]: ...


@dataclass(frozen=True)
class Placement:
    treatment_id: int | None
    treatment_day: dt.date | None
    days_since_treatment: int | None


NO_TREATMENT = Placement(None, None, None)


class TreatmentCalendar:
    """Treatment days per area, for placing any day against them quickly."""

    def __init__(self, treatments: Iterable[_Treated]):
        by_area: dict[str, list[tuple[dt.date, int]]] = {}
        for treatment in treatments:
            for area in treatment.areas:
                by_area.setdefault(str(area), []).append((treatment.day, treatment.id))
        self._by_area = {area: sorted(days) for area, days in by_area.items()}

    def place(self, day: dt.date, area: str) -> Placement:
        course = self._by_area.get(str(area))
        if not course:
            return NO_TREATMENT
        index = bisect.bisect_right(course, (day, float("inf"))) - 1
        if index < 0:
            first_day, _first = course[0]
            return Placement(None, None, (day - first_day).days)
        treatment_day, treatment_id = course[index]
        return Placement(treatment_id, treatment_day, (day - treatment_day).days)

    def latest(self, area: str | None = None) -> tuple[dt.date, int] | None:
        """The most recent treatment (day, id) of one area, or of any area."""
        courses = [self._by_area.get(str(area), [])] if area else list(self._by_area.values())
        lasts = [course[-1] for course in courses if course]
        return max(lasts) if lasts else None

    def session_number(self, treatment_id: int, area: str) -> int | None:
        """1 for the area's first treatment, 2 for its second, ..."""
        for number, (_first, known) in enumerate(self._by_area.get(str(area), []), start=1):
            if known == treatment_id:
                return number
        return None


def day_label(days_since_treatment: int | None, *, short: bool = False) -> str:
    """How a day is named beside a photo or in a table (`short` for narrow table cells)."""
    if days_since_treatment is None:
        return _("no treatment") if short else _("no treatment recorded")
    if days_since_treatment < 0:
        days = -days_since_treatment
        return _("{days} d before").format(days=days) if short else _("before treatment ({days} d)").format(days=days)
    return _("day {day}").format(day=days_since_treatment)
