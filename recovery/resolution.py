"""Which flags are still open: the condition behind them has not eased since.

A flag keeps its first day for the record (the chart, the PDF); the home page
shows only open ones, so a redness that lasted into day 4 and then cleared does
not leave the patient on "keep an eye on it" for weeks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from recovery.course import Thresholds, within_band
from recovery.flags import SIGN_RULES, SPOT_RULES, Flag, RuleId
from recovery.model import Entry
from recovery.vocabulary import Sign


def _later_entries(flag: Flag, entries: Iterable[Entry]) -> list[Entry]:
    """The area's entries after the flag's first day, oldest first."""
    later = [e for e in entries if e.area == flag.area and e.day > flag.first_day]
    return sorted(later, key=lambda e: e.day)


def _latest_rated(entries: Sequence[Entry], sign: Sign) -> Entry | None:
    rated = [e for e in entries if e.rating(sign) is not None]
    return rated[-1] if rated else None


def _latest_answered(entries: Sequence[Entry], key: str) -> Entry | None:
    answered = [e for e in entries if e.answer(key) is not None]
    return answered[-1] if answered else None


def is_open(flag: Flag, entries: Iterable[Entry], today: dt.date, thresholds: Thresholds = Thresholds()) -> bool:
    """Whether the patient should still act on this flag today."""
    later = _later_entries(flag, entries)
    if flag.rule_id in SIGN_RULES and flag.sign is not None:
        latest = _latest_rated(later, flag.sign)
        rating = latest.rating(flag.sign) if latest else None
        if latest is None or rating is None or latest.days_since_treatment is None:
            return True
        return not within_band(flag.sign, latest.days_since_treatment, rating)
    if flag.rule_id in SPOT_RULES:
        latest = _latest_rated(later, Sign.SPOTS)
        return latest is None or (latest.rating(Sign.SPOTS) or 0) > 0
    if flag.rule_id is RuleId.WARNING and flag.question is not None:
        answered = _latest_answered(later, flag.question)
        return answered is None or bool(answered.answer(flag.question))
    if flag.rule_id is RuleId.AFTERCARE_SUN:
        # The lapse matters for the sensitive first week; its risk stays listed
        # among the risk factors afterwards.
        since = flag.days_since_treatment or 0
        return since + (today - flag.first_day).days <= thresholds.aftercare_window_days
    if flag.rule_id is RuleId.GAP:
        return not later
    return True


def open_flags(
    flags: Iterable[Flag], entries: Sequence[Entry], today: dt.date, thresholds: Thresholds = Thresholds()
) -> list[Flag]:
    return [flag for flag in flags if is_open(flag, entries, today, thresholds)]
