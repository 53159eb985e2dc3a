"""The daily entries as CSV: one row per day and area, units and scales in the header.

A spreadsheet drops any legend, so every column name carries its own unit or
scale. The bytes are deterministic (fixed column order, UTF-8, "\\n" line
endings, no timestamps) so the same journal always exports the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from recovery.vocabulary import AFTERCARE, PRESENCE_SIGNS, RATED_SIGNS, RATING_MAX, RATING_MIN, SCALES, WARNING_SIGNS

# Column key -> header. Keys are the fields of Journal.entry_records().
# The scale each rating follows (see shared/clinical-notes.md).
_SCALE_BASIS: dict[str, str] = {"redness": " CEA-based", "swelling": " Draize-based", "spots": ""}


def _rating_header(sign: str) -> str:
    """e.g. "redness (0-4 CEA-based: 0 clear .. 4 severe)", from the app's own scale words."""
    low, high = (SCALES[sign][level].split(":")[0] for level in (RATING_MIN, RATING_MAX))
    return f"{sign} ({RATING_MIN}-{RATING_MAX}{_SCALE_BASIS[sign]}: {RATING_MIN} {low} .. {RATING_MAX} {high})"


RATING_HEADERS: dict[str, str] = {sign: _rating_header(sign) for sign in RATED_SIGNS}

_CHECK_KEYS: tuple[str, ...] = (*PRESENCE_SIGNS, *(c.key for c in AFTERCARE), *(c.key for c in WARNING_SIGNS))

COLUMNS: tuple[tuple[str, str], ...] = (
    ("day", "day (YYYY-MM-DD)"),
    ("area", "area"),
    ("days_since_treatment", "days_since_treatment (days)"),
    ("treatment_day", "treatment_day (YYYY-MM-DD)"),
    *RATING_HEADERS.items(),
    *((key, f"{key} (yes/no)") for key in _CHECK_KEYS),
    ("photo_count", "photo_count (photos)"),
    ("notes", "notes"),
)

# A cell starting with one of these is run as a formula by spreadsheet apps
# (CSV injection); the export goes to other people's computers.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def entries_csv(records: Iterable[Mapping[str, Any]]) -> bytes:
    """CSV bytes of entry records (as from Journal.entry_records()), in the given order.

    Empty cells mean "not rated / not answered"; yes/no items are "yes" or "no".
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header for _, header in COLUMNS)
    for record in records:
        writer.writerow(_FORMATTERS.get(key, _plain)(record.get(key)) for key, _ in COLUMNS)
    return buffer.getvalue().encode("utf-8")


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else _plain(value)


def _yes_no(value: Any) -> str:
    return "" if value is None else ("yes" if value else "no")


def _text(value: Any) -> str:
    # One line-ending convention inside quoted cells too, for stable bytes.
    text = _plain(value).replace("\r\n", "\n").replace("\r", "\n")
    return "'" + text if text.startswith(_FORMULA_START) else text


_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "day": _day,
    "treatment_day": _day,
    "notes": _text,
    **{key: _yes_no for key in _CHECK_KEYS},
}
