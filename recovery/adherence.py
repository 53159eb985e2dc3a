"""Aftercare across the first week of a course, day by day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from recovery.model import Entry
from recovery.vocabulary import AFTERCARE, Question


@dataclass(frozen=True)
class AftercareRow:
    """One aftercare item over days 0..last: True done, False not done, None not
    logged or not answered (which is not the same as "not done")."""

    question: Question
    days: tuple[bool | None, ...]


def first_week(entries: Iterable[Entry], treatment_id: int, last_day: int) -> list[AftercareRow]:
    """One row per aftercare item for days 0..last_day of one treatment course."""
    by_day = {
        e.days_since_treatment: e
        for e in entries
        if e.treatment_id == treatment_id and e.days_since_treatment is not None
    }
    rows = []
    for question in AFTERCARE:
        days = tuple(by_day[day].answer(question.key) if day in by_day else None for day in range(last_day + 1))
        rows.append(AftercareRow(question, days))
    return rows
