"""Typed journal records from the compact dicts the domain tests are written in.

Tests describe a day as `{"day": ..., "area": "face", "redness": 2, "sunscreen": 1}`;
these helpers turn such rows into the frozen records the domain reads (placing
each day in its treatment course exactly as the store does) and run the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from recovery.course import Thresholds
from recovery.flags import Flag
from recovery.flags import evaluate as evaluate_snapshot
from recovery.model import Entry, JournalSnapshot, ProductUse, Profile, Treatment, place_entries
from recovery.view import RecoveryView, judge
from recovery.vocabulary import (
    PROFILE_QUESTION_KEYS,
    RATED_SIGNS,
    TREATMENT_QUESTION_KEYS,
    YES_NO_KEYS,
    Area,
    ProductKind,
    Sign,
)

Row = Mapping[str, Any]


def treatment(row: Row) -> Treatment:
    return Treatment(
        id=row["id"],
        day=row["day"],
        areas=tuple(Area(a) for a in row.get("areas", ("face",))),
        device=row.get("device", ""),
        needle_depth_mm=row.get("needle_depth_mm"),
        practitioner=row.get("practitioner", ""),
        serums=row.get("serums", ""),
        notes=row.get("notes", ""),
        practitioner_contact=row.get("practitioner_contact", ""),
        reason=row.get("reason", ""),
        answers={key: bool(row[key]) for key in TREATMENT_QUESTION_KEYS if row.get(key) is not None},
    )


def entry(row: Row, entry_id: int = 0) -> Entry:
    """An unplaced entry: `place` (or a snapshot) puts it in its course."""
    return Entry(
        id=row.get("id", entry_id),
        day=row["day"],
        area=Area(row.get("area", "face")),
        ratings={sign: row.get(sign.value) for sign in RATED_SIGNS},
        answers={key: None if row.get(key) is None else bool(row[key]) for key in YES_NO_KEYS},
        notes=row.get("notes", ""),
        photo_count=row.get("photo_count", 0),
    )


def profile(row: Row | None) -> Profile:
    row = row or {}
    return Profile(
        name=row.get("name", ""),
        fitzpatrick=row.get("fitzpatrick"),
        melasma_history=bool(row.get("melasma_history")),
        pih_history=bool(row.get("pih_history")),
        cold_sores=bool(row.get("cold_sores")),
        answers={key: bool(row[key]) for key in PROFILE_QUESTION_KEYS if row.get(key) is not None},
    )


def product(row: Row, product_id: int = 0) -> ProductUse:
    return ProductUse(
        id=row.get("id", product_id),
        day=row["day"],
        kind=ProductKind(row.get("kind", ProductKind.SKIN_PRODUCT)),
        name=row["name"],
        notes=row.get("notes", ""),
    )


def snapshot(
    entries: Iterable[Row],
    treatments: Iterable[Row] = (),
    profile_row: Row | None = None,
    today: dt.date | None = None,
    products: Iterable[Row] = (),
) -> JournalSnapshot:
    typed_treatments = tuple(treatment(t) for t in treatments)
    rows = list(entries)
    placed = place_entries((entry(row, index + 1) for index, row in enumerate(rows)), typed_treatments)
    ordered = tuple(sorted(placed, key=lambda e: (e.day, e.area)))
    last = max((e.day for e in ordered), default=dt.date(2024, 1, 1))
    used = tuple(sorted((product(row, n + 1) for n, row in enumerate(products)), key=lambda p: (p.day, p.id)))
    return JournalSnapshot(
        today=today or last, profile=profile(profile_row), treatments=typed_treatments, entries=ordered, products=used
    )


def evaluate(
    entries: Iterable[Row],
    profile_row: Row | None,
    treatments: Iterable[Row],
    today: dt.date,
    thresholds: Thresholds = Thresholds(),
) -> list[Flag]:
    """The flag rules over dict rows, as the store's snapshot would feed them."""
    return evaluate_snapshot(snapshot(entries, treatments, profile_row, today), thresholds)


def view(
    entries: Iterable[Row],
    profile_row: Row | None,
    treatments: Iterable[Row],
    today: dt.date,
    thresholds: Thresholds = Thresholds(),
    products: Iterable[Row] = (),
) -> RecoveryView:
    return judge(snapshot(entries, treatments, profile_row, today, products), thresholds)


def rated(entry: Entry) -> tuple[int | None, ...]:
    """(redness, swelling, spots) of an entry, for compact assertions."""
    return tuple(entry.rating(sign) for sign in (Sign.REDNESS, Sign.SWELLING, Sign.SPOTS))
