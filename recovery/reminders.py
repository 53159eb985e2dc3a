"""When to remind the patient to log: the check-in days of a treatment course.

The journal asks for an entry every day while the skin heals and one a week
while late marks or infections could still appear; the gap rule in
recovery.flags points out what was missed. The reminders follow the same
windows, from the same thresholds: daily on days 1 to `gap_window_days`, then
on the first day of each following week to week `follow_up_weeks`. A patient
who logs on every reminder day never sees a gap flag.

Reminders are made for the latest treatment on or before today and for any
treatment dated later (a session the patient already has booked): that one
also gets a reminder of its own day. A course's check-ins stop when the next
one starts. Days before today are left out: a reminder is about what is next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from recovery.course import Thresholds
from recovery.language import _, full_date
from recovery.model import JournalSnapshot, Treatment

# In the evening the whole day can be judged, and there is time to log it.
REMINDER_TIME = dt.time(19, 0)
# A week leaves time to see a doctor and fill a prescription before the session
# (docs/clinical-basis.md, "Cold sores"); the tablets themselves start around it.
ANTIVIRAL_LEAD_DAYS = 7


class ReminderKind(StrEnum):
    DAILY = "daily"  # a check-in in the first days
    WEEKLY = "weekly"  # a check-in once a week after them
    LAST = "last"  # the last weekly entry, six weeks after the session (Home's "Week 6")
    SESSION = "session"  # a treatment day still to come
    ANTIVIRAL = "antiviral"  # before a booked session, for someone who gets cold sores


@dataclass(frozen=True)
class Reminder:
    kind: ReminderKind
    day: dt.date
    treatment: Treatment
    # Days since the treatment for a daily check-in, the week's number for a
    # weekly one, 0 for the session itself, days before it for the antiviral one.
    index: int

    @property
    def key(self) -> str:
        """Stable for the same treatment, kind and day of the course, whatever else changes."""
        return f"t{self.treatment.id}-{self.kind.value}-{self.index}"


class NothingToRemind(ValueError):
    """No check-in is left to remind of; the message says why, in the patient's words."""


@dataclass(frozen=True)
class CheckIn:
    kind: ReminderKind
    index: int
    days_since_treatment: int


def check_ins(thresholds: Thresholds = Thresholds()) -> tuple[CheckIn, ...]:
    """The check-in days of one course, in order."""
    daily = [CheckIn(ReminderKind.DAILY, day, day) for day in range(1, thresholds.gap_window_days + 1)]
    # The weekly windows of recovery.flags (_weekly_gaps): week n runs from day
    # 7(n-1) to day 7n-1, starting no earlier than the day after the daily
    # window; the reminder comes on its first day, leaving the week to catch up.
    first_weekly_day = thresholds.gap_window_days + 1
    weekly = [
        CheckIn(ReminderKind.WEEKLY, week, max(first_weekly_day, (week - 1) * 7))
        for week in range(1, thresholds.follow_up_weeks + 1)
        if week * 7 - 1 >= first_weekly_day
    ]
    # The weekly reminders open the windows; the course ends with its last entry on
    # the day the follow-up weeks complete, the milestone and photo day Home names.
    last = CheckIn(ReminderKind.LAST, thresholds.follow_up_weeks, thresholds.follow_up_weeks * 7)
    return (*daily, *weekly, last)


def reminders(snapshot: JournalSnapshot, thresholds: Thresholds = Thresholds()) -> tuple[Reminder, ...]:
    """Every reminder from today on, by day (a session before the check-ins of its day)."""
    courses = _courses(snapshot)
    found: list[Reminder] = []
    for number, treatment in enumerate(courses):
        ends = courses[number + 1].day if number + 1 < len(courses) else None
        found += _course_reminders(treatment, ends, snapshot.today, thresholds)
        if snapshot.profile.cold_sores and treatment.day > snapshot.today:
            found.append(_antiviral(treatment, snapshot.today))
    return tuple(sorted(found, key=lambda r: (r.day, r.kind != ReminderKind.SESSION, r.treatment.id)))


def required_reminders(snapshot: JournalSnapshot, thresholds: Thresholds = Thresholds()) -> tuple[Reminder, ...]:
    """The reminders, or NothingToRemind naming why there are none."""
    found = reminders(snapshot, thresholds)
    if found:
        return found
    if not snapshot.treatments:
        raise NothingToRemind(
            _(
                "There is no treatment in your journal yet. Add your treatment first: "
                "the reminders count the days from it."
            )
        )
    latest = _courses(snapshot)[0]
    raise NothingToRemind(
        _(
            "The check-ins after your latest treatment, on {date}, are all behind you (daily for {days} days, "
            "then weekly to week {weeks}). Add your next treatment to get reminders for it."
        ).format(date=full_date(latest.day), days=thresholds.gap_window_days, weeks=thresholds.follow_up_weeks)
    )


def _courses(snapshot: JournalSnapshot) -> list[Treatment]:
    """The latest treatment on or before today, then every later one, by day."""
    by_day = sorted(snapshot.treatments, key=lambda t: (t.day, t.id))
    past = [t for t in by_day if t.day <= snapshot.today]
    return past[-1:] + [t for t in by_day if t.day > snapshot.today]


def _antiviral(session: Treatment, today: dt.date) -> Reminder:
    """Ask a doctor about antiviral tablets a week before the session, or today if it is sooner."""
    day = max(today, session.day - dt.timedelta(days=ANTIVIRAL_LEAD_DAYS))
    return Reminder(ReminderKind.ANTIVIRAL, day, session, (session.day - day).days)


def _course_reminders(
    treatment: Treatment, ends: dt.date | None, today: dt.date, thresholds: Thresholds
) -> Iterator[Reminder]:
    if treatment.day > today:
        yield Reminder(ReminderKind.SESSION, treatment.day, treatment, 0)
    for check_in in check_ins(thresholds):
        day = treatment.day + dt.timedelta(days=check_in.days_since_treatment)
        if day >= today and (ends is None or day < ends):
            yield Reminder(check_in.kind, day, treatment, check_in.index)
