"""Checks on what the patient enters, with messages that name the problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from recovery.countries import COUNTRY_NAMES
from recovery.language import LANGUAGES
from recovery.vocabulary import AREAS, RATING_MAX, RATING_MIN, VIEWS, YES_NO_KEYS, Area, View
from store.errors import InvalidEntry

MAX_NOTES = 5000
MAX_NEEDLE_DEPTH_MM = 5.0


def day(value: dt.date | str, today: dt.date, *, what: str = "The day") -> dt.date:
    """A calendar day that is not in the future."""
    chosen = _date(value, what)
    if chosen > today:
        raise InvalidEntry(f"{what} {chosen.isoformat()} is in the future; only today or earlier days can be logged.")
    return chosen


# How far ahead a booked session may be dated.
MAX_DAYS_AHEAD = 366


def session_day(value: dt.date | str, today: dt.date) -> dt.date:
    """A treatment's day: a past session, or one booked up to a year ahead (its
    reminder and Home's countdown come from it; nothing is logged against it before it)."""
    chosen = _date(value, "The treatment day")
    if chosen > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidEntry(f"The treatment day {chosen.isoformat()} is more than a year ahead.")
    return chosen


def _date(value: dt.date | str, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidEntry(f"{what} '{value}' is not a date (use YYYY-MM-DD).") from None
    if not isinstance(value, dt.date):
        raise InvalidEntry(f"{what} must be a date, not {type(value).__name__}.")
    return value


def area(value: Any) -> Area:
    if value not in AREAS:
        raise InvalidEntry(f"Unknown area '{value}'; choose one of: {', '.join(AREAS)}.")
    return Area(value)


def view(value: Any) -> View:
    """A photo's view (recovery.vocabulary.View), refused when unknown."""
    if value not in VIEWS:
        raise InvalidEntry(f"Unknown photo view '{value}'; choose one of: {', '.join(VIEWS)}.")
    return View(value)


def areas(value: str | Iterable[str]) -> list[Area]:
    chosen = [value] if isinstance(value, str) else list(value)
    if not chosen:
        raise InvalidEntry("A treatment needs at least one treated area.")
    return sorted({area(item) for item in chosen}, key=AREAS.index)


def rating(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidEntry(
            f"The {name} rating must be a whole number from {RATING_MIN} to {RATING_MAX}, not {value!r}."
        )
    if not RATING_MIN <= value <= RATING_MAX:
        raise InvalidEntry(
            f"The {name} rating must be from {RATING_MIN} to {RATING_MAX}; {value} is outside the scale."
        )
    return value


def answers(values: Mapping[str, Any]) -> dict[str, int | None]:
    """A day's yes/no items as 1/0; an item not given stays None (not answered)."""
    return yes_no(values, YES_NO_KEYS, "entry field")


def yes_no(values: Mapping[str, Any], keys: Iterable[str], what: str) -> dict[str, int | None]:
    """Yes/no answers as 1/0 for `keys`; one not given stays None (not answered)."""
    known = tuple(keys)
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise InvalidEntry(f"Unknown {what}(s): {', '.join(unknown)}.")
    return {key: None if values.get(key) is None else int(bool(values[key])) for key in known}


def notes(value: Any, what: str = "Notes") -> str:
    text = "" if value is None else str(value)
    if len(text) > MAX_NOTES:
        raise InvalidEntry(f"{what} are {len(text)} characters long; keep them under {MAX_NOTES}.")
    return text


def needle_depth(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        depth = float(value)
    except (TypeError, ValueError):
        raise InvalidEntry(f"Needle depth must be a number of millimetres, not {value!r}.") from None
    if not 0 < depth <= MAX_NEEDLE_DEPTH_MM:
        raise InvalidEntry(f"Needle depth {depth} mm is outside 0-{MAX_NEEDLE_DEPTH_MM:g} mm.")
    return depth


def fitzpatrick(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
        raise InvalidEntry(f"Skin type must be a Fitzpatrick type from 1 (I) to 6 (VI), not {value!r}.")
    return value


def language(value: Any) -> str | None:
    """A shipped language code ("en", "es", "ar"), or None (not chosen)."""
    if value is None or value == "":
        return None
    code = value.strip().lower() if isinstance(value, str) else value
    if not isinstance(code, str) or code not in LANGUAGES:
        shipped = ", ".join(f"'{c}' ({name})" for c, name in LANGUAGES.items())
        raise InvalidEntry(f"Unknown language {value!r:.40}: the journal speaks {shipped}.")
    return code


def country(value: Any) -> str | None:
    """An ISO 3166-1 alpha-2 country code ("ES"), or None (not set)."""
    if value is None or value == "":
        return None
    code = value.strip().upper() if isinstance(value, str) else value
    if not isinstance(code, str) or code not in COUNTRY_NAMES:
        raise InvalidEntry(
            f"Unknown country {value!r:.40}: give its two-letter ISO 3166 code, such as 'ES' for Spain "
            "or 'GB' for the United Kingdom."
        )
    return str(code)
