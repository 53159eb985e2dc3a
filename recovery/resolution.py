"""Which flags are still open: the condition behind them has not eased since.

A flag keeps its first day for the record (the chart, the PDF); the home page
shows only open ones, so a redness that lasted into day 4 and then cleared does
not leave the patient on "keep an eye on it" for weeks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from recovery.course import AFTERCARE_WINDOW_DAYS, expected_band
from recovery.flags import Flag

_SIGN_RULES = ("persist_watch", "persist_contact", "worsening")
_SPOT_RULES = ("spot_new", "spot_persist", "spot_darker")


def _later_entries(flag: Flag, entries: Iterable[Mapping]) -> list[Mapping]:
    """The area's entries after the flag's first day, oldest first."""
    later = [e for e in entries if e["area"] == flag.area and e["day"] > flag.first_day]
    return sorted(later, key=lambda e: e["day"])


def _latest_rated(entries: list[Mapping], key: str) -> Mapping | None:
    rated = [e for e in entries if e.get(key) is not None]
    return rated[-1] if rated else None


def is_open(flag: Flag, entries: Iterable[Mapping], today: dt.date) -> bool:
    """Whether the patient should still act on this flag today."""
    later = _later_entries(flag, entries)
    if flag.rule_id in _SIGN_RULES and flag.sign:
        latest = _latest_rated(later, flag.sign)
        if latest is None or latest.get("days_since_treatment") is None:
            return True
        within = latest[flag.sign] <= expected_band(flag.sign, latest["days_since_treatment"]).max_rating
        return not within
    if flag.rule_id in _SPOT_RULES:
        latest = _latest_rated(later, "spots")
        return latest is None or latest["spots"] > 0
    if flag.rule_id.startswith("warning_"):
        latest = _latest_rated(later, flag.rule_id.removeprefix("warning_"))
        return latest is None or bool(latest[flag.rule_id.removeprefix("warning_")])
    if flag.rule_id == "aftercare_sun":
        # The lapse matters for the sensitive first week; its risk stays listed
        # among the risk factors afterwards.
        since = flag.days_since_treatment or 0
        return since + (today - flag.first_day).days <= AFTERCARE_WINDOW_DAYS
    if flag.rule_id == "gap":
        return not later
    return True


def open_flags(flags: Iterable[Flag], entries: list[Mapping], today: dt.date) -> list[Flag]:
    return [flag for flag in flags if is_open(flag, entries, today)]
