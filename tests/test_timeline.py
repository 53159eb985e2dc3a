"""Placing days in treatment courses, naming them, and the first week's aftercare."""

from __future__ import annotations

import datetime as dt

from recovery.adherence import first_week
from recovery.timeline import NO_TREATMENT, TreatmentCalendar, day_label
from recovery.vocabulary import AFTERCARE
from tests import builders

T0 = dt.date(2026, 9, 1)
SERIES = [
    {"id": 7, "day": T0, "areas": ["face", "neck"]},
    {"id": 8, "day": T0 + dt.timedelta(days=28), "areas": ["face"]},
]


def _calendar() -> TreatmentCalendar:
    return TreatmentCalendar(builders.treatment(t) for t in SERIES)


def test_a_day_belongs_to_the_latest_treatment_of_its_area() -> None:
    calendar = _calendar()
    assert calendar.place(T0 - dt.timedelta(days=2), "face") == NO_TREATMENT.__class__(None, None, -2)
    assert calendar.place(T0 + dt.timedelta(days=27), "face").treatment_id == 7
    second = calendar.place(T0 + dt.timedelta(days=30), "face")
    assert (second.treatment_id, second.days_since_treatment) == (8, 2)
    # The neck had one session only: its count goes on.
    assert calendar.place(T0 + dt.timedelta(days=30), "neck").days_since_treatment == 30
    assert calendar.place(T0, "hands") == NO_TREATMENT


def test_sessions_are_numbered_per_area_and_the_latest_is_known() -> None:
    calendar = _calendar()
    assert calendar.session_number(8, "face") == 2
    assert calendar.session_number(7, "neck") == 1
    assert calendar.session_number(8, "neck") is None
    assert calendar.latest("neck") == (T0, 7)
    assert calendar.latest() == (T0 + dt.timedelta(days=28), 8)
    assert TreatmentCalendar([]).latest() is None


def test_day_labels() -> None:
    assert day_label(0) == "day 0"
    assert day_label(-3) == "before treatment (3 d)" and day_label(-3, short=True) == "3 d before"
    assert day_label(None) == "no treatment recorded" and day_label(None, short=True) == "no treatment"


def test_first_week_aftercare_follows_the_window_it_is_given() -> None:
    rows = [
        {"day": T0, "sunscreen": 1, "sun_avoided": 0},
        {"day": T0 + dt.timedelta(days=2), "sunscreen": 0},
        {"day": T0 + dt.timedelta(days=9), "sunscreen": 1},
    ]
    entries = builders.snapshot(rows, SERIES[:1]).entries
    week = {row.question.key: row.days for row in first_week(entries, 7, last_day=7)}
    assert [row.question for row in first_week(entries, 7, last_day=7)] == list(AFTERCARE)
    assert week["sunscreen"] == (True, None, False, None, None, None, None, None)
    assert week["sun_avoided"][0] is False and week["hydrated"] == (None,) * 8
    longer = {row.question.key: row.days for row in first_week(entries, 7, last_day=10)}
    assert len(longer["sunscreen"]) == 11 and longer["sunscreen"][9] is True
