"""Which flags are still open: the condition behind them has not eased since.

A flag keeps its first day for the record (the chart, the PDF); the home page
asks the patient to act only on open ones, so a redness that lasted into day 4
and then cleared does not leave the patient on "keep an eye on it" for weeks.

Danger never closes by itself: an urgent or emergency flag stays open for at
least `danger_open_days` (72 hours) and until the signs around it (the
ratings an infection or a reaction would raise) are back within their bands
and the warning sign has been answered "no" since. Leaving a box unticked is
not an answer, and neither is a day not logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from recovery.course import Thresholds
from recovery.flags import (
    DANGER,
    RELATED_BY_SIGN,
    RELATED_SIGNS,
    SIGN_RULES,
    SPOT_RULES,
    Course,
    Flag,
    RuleId,
    course_key,
)
from recovery.model import Entry
from recovery.vocabulary import Area, Sign


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


class Judge:
    """Decides, for each flag, whether the patient should still act on it today."""

    def __init__(
        self,
        entries: Sequence[Entry],
        courses: Mapping[tuple[Area, int], Course],
        today: dt.date,
        thresholds: Thresholds = Thresholds(),
    ):
        self.entries = [e for e in entries if e.day <= today]
        self.courses = courses
        self.today = today
        self.thresholds = thresholds

    def is_open(self, flag: Flag) -> bool:
        later = _later_entries(flag, self.entries)
        if flag.severity in DANGER:
            return self._danger_open(flag, later)
        if flag.rule_id in SIGN_RULES and flag.sign is not None:
            return not self._sign_back_within(flag.sign, later)
        if flag.rule_id in SPOT_RULES:
            return not self._spots_clear(later)
        if flag.rule_id in (RuleId.WARNING, RuleId.EMERGENCY) and flag.question is not None:
            answered = _latest_answered(later, flag.question)
            return answered is None or bool(answered.answer(flag.question))
        if flag.rule_id in (RuleId.AFTERCARE_SUN, RuleId.ACTIVES, RuleId.MAKEUP):
            # A lapse matters for the sensitive first week; the risk it adds
            # stays listed among the risk factors of its course afterwards.
            since = flag.days_since_treatment or 0
            return since + (self.today - flag.first_day).days <= self.thresholds.aftercare_window_days
        if flag.rule_id is RuleId.GAP:
            return not later
        return True

    def eased_on(self, flag: Flag) -> dt.date | None:
        """The day a closed flag eased (None while it is open): the first day of
        the run of days, up to today, on which it was judged closed with what was
        logged by then. A flag that eased, came back and eased again gives the
        latest easing, the one the patient remembers."""
        if self.is_open(flag):
            return None
        day = self.today
        while day > flag.first_day:
            before = day - dt.timedelta(days=1)
            if before == flag.first_day or Judge(self.entries, self.courses, before, self.thresholds).is_open(flag):
                return day
            day = before
        return day

    def _danger_open(self, flag: Flag, later: list[Entry]) -> bool:
        if (self.today - flag.first_day).days < self.thresholds.danger_open_days:
            return True
        signs: tuple[Sign, ...] = RELATED_SIGNS.get(flag.question or "", ())
        if flag.sign is not None:
            # A climb of pain closes like the ticked sign it stands for.
            signs = (*signs, *RELATED_BY_SIGN.get(flag.sign, ()), flag.sign)
        # Every related sign rated since is back within its band, and at least
        # one was rated: no rating at all is no evidence of calm skin.
        rated = [sign for sign in signs if _latest_rated(later, sign) is not None]
        if not rated or any(not self._sign_back_within(sign, later) for sign in rated):
            return True
        if flag.question is None:
            return False
        # The warning sign itself answered "no" on the latest day it was answered.
        answered = _latest_answered(later, flag.question)
        return answered is None or bool(answered.answer(flag.question))

    def _sign_back_within(self, sign: Sign, later: list[Entry]) -> bool:
        """The sign's latest rating since the flag is within what its course expects."""
        latest = _latest_rated(later, sign)
        rating = latest.rating(sign) if latest is not None else None
        if latest is None or rating is None:
            return False
        if not latest.in_course or latest.treatment_id is None:
            return rating == 0
        course = self.courses.get(course_key(latest.area, latest.treatment_id))
        if course is None:
            return rating == 0
        return not course.band_excess(sign, latest, rating)

    def _spots_clear(self, later: list[Entry]) -> bool:
        latest = _latest_rated(later, Sign.SPOTS)
        if latest is None or latest.treatment_id is None:
            return False
        course = self.courses.get(course_key(latest.area, latest.treatment_id))
        usual = course.baseline.level(Sign.SPOTS) if course is not None else 0
        return (latest.rating(Sign.SPOTS) or 0) <= usual


def open_flags(flags: Iterable[Flag], judge: Judge) -> list[Flag]:
    return [flag for flag in flags if judge.is_open(flag)]
