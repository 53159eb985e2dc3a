"""Aftercare across the first week of a course, day by day."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from recovery.course import AFTERCARE_WINDOW_DAYS
from recovery.vocabulary import AFTERCARE


def first_week(entries: Iterable[Mapping], treatment_id: int, last_day: int = AFTERCARE_WINDOW_DAYS) -> list[dict]:
    """One row per aftercare item: {"item": label, 0: True/False/None, ..., 7: ...}.

    None means the day was not logged or the item not answered, which is
    different from a day the patient said it was not done.
    """
    by_day = {
        e["days_since_treatment"]: e
        for e in entries
        if e.get("treatment_id") == treatment_id and e.get("days_since_treatment") is not None
    }
    rows = []
    for item in AFTERCARE:
        row: dict = {"item": item.label}
        for day in range(last_day + 1):
            value = by_day.get(day, {}).get(item.key)
            row[day] = None if value is None else bool(value)
        rows.append(row)
    return rows
