"""The words a share record keeps for what a file held."""

from __future__ import annotations

import datetime as dt

from recovery.shares import included_words
from recovery.vocabulary import Area


def test_areas_period_and_photos_in_words() -> None:
    days = [dt.date(2026, 12, 6), dt.date(2026, 11, 2), dt.date(2026, 11, 20)]
    assert included_words(["neck", Area.FACE], days, 42) == "Face, neck · 02 Nov–06 Dec 2026 · 42 photos"


def test_one_day_a_new_year_and_the_counts() -> None:
    assert included_words(["face"], [dt.date(2026, 12, 6)], 1) == "Face · 06 Dec 2026 · 1 photo"
    across = [dt.date(2025, 12, 28), dt.date(2026, 1, 6)]
    assert included_words(["face"], across, 0) == "Face · 28 Dec 2025–06 Jan 2026 · no photos"
    assert included_words([], [], None) == "no area · no days logged · selected photos"
