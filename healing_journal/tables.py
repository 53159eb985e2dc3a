"""Entries as a pandas table, for scripts and notebooks."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from recovery.model import Entry
from recovery.vocabulary import RATED_SIGNS, YES_NO_KEYS

ENTRY_COLUMNS = [
    "id",
    "day",
    "area",
    "days_since_treatment",
    "day_label",
    "treatment_id",
    "treatment_day",
    *(sign.value for sign in RATED_SIGNS),
    *YES_NO_KEYS,
    "notes",
    "photo_count",
    "updated_at",
]


def entries_frame(entries: Iterable[Entry]) -> pd.DataFrame:
    """One row per entry; yes/no answers as True/False/None, ratings as numbers or None."""
    rows = [
        {
            "id": e.id,
            "day": e.day,
            "area": e.area.value,
            "days_since_treatment": e.days_since_treatment,
            "day_label": e.day_label,
            "treatment_id": e.treatment_id,
            "treatment_day": e.treatment_day,
            **{sign.value: e.rating(sign) for sign in RATED_SIGNS},
            **{key: e.answer(key) for key in YES_NO_KEYS},
            "notes": e.notes,
            "photo_count": e.photo_count,
            "updated_at": e.updated_at,
        }
        for e in entries
    ]
    return pd.DataFrame.from_records(rows, columns=ENTRY_COLUMNS)
