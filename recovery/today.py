"""Today in a course of healing: what is normal now, whether a photo is due,
and the milestones ahead. Read by Home; the reminders calendar follows the
same days.

What is normal comes from the expected course (`recovery.course`), so Home
can never say "normal" about a rating the flag rules would call unusual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from recovery.course import FOLLOW_UP_WEEKS, expected_band, expected_max
from recovery.language import _, day_month
from recovery.model import JournalSnapshot, Photo, Treatment
from recovery.usual_skin import UsualSkin
from recovery.vocabulary import PRESENCE_SIGNS, RATED_SIGNS, Area, Sign

# Days a dermatologist wants a photo of, in the same framing (clinical notes,
# "What a dermatologist wants"): 0, 1, 3, 7, 14, 30, then the weekly
# follow-up entries to the end of follow-up.
PHOTO_DAYS: tuple[int, ...] = tuple(sorted({0, 1, 3, 7, 14, 30, *range(21, FOLLOW_UP_WEEKS * 7 + 1, 7)}))
# After the first two weeks the journal asks for one entry a week (recovery.course).
DAILY_DAYS = 14


# A milestone counts as done when the area was logged on its day or up to this
# many days either side: a patient who logged on day 2 and day 5 did look at
# their skin around day 3, and the weekly follow-ups are rarely kept to the day.
# A passed milestone with no such day is not ticked: a tick on nothing logged
# would tell the patient a check happened that did not.
MILESTONE_LEEWAY_DAYS = 2


@dataclass(frozen=True)
class Milestone:
    day: int  # days since treatment
    date: dt.date
    title: str
    what: str
    logged: bool = False  # the area was logged around it (logged_around)
    wants_photo: bool = False  # a photo on its day, compared with the first
    photo: str = ""  # what to do about that photo, from the photos there are (photo_sentence)

    def passed(self, today: dt.date) -> bool:
        return self.date < today


def logged_around(milestone: Milestone, logged_days: Iterable[dt.date]) -> bool:
    """Whether one of `logged_days` falls within MILESTONE_LEEWAY_DAYS of the milestone."""
    return any(abs((day - milestone.date).days) <= MILESTONE_LEEWAY_DAYS for day in logged_days)


@dataclass(frozen=True)
class Today:
    """One treated area on one day of its course."""

    area: Area
    treatment: Treatment
    day: int  # days since that treatment
    normal_now: str  # one plain sentence
    still_normal: str  # the highest level of each sign still normal today, in words
    logged: bool
    photos_today: int
    milestones: tuple[Milestone, ...]

    @property
    def photo_due(self) -> bool:
        return self.day in PHOTO_DAYS and not self.photos_today

    @property
    def log_due(self) -> bool:
        """A daily entry in the first two weeks, then one on each follow-up day."""
        return not self.logged and (self.day <= DAILY_DAYS or self.day in PHOTO_DAYS)


def today_in_course(snapshot: JournalSnapshot, area: Area, baseline: UsualSkin) -> Today | None:
    """Where today falls for one area; None before its first treatment."""
    every = snapshot.treatments_of(area)
    treatments = [t for t in every if t.day <= snapshot.today]
    if not treatments:
        return None
    treatment = treatments[-1]
    booked = [t for t in every if t.day > snapshot.today]
    day = (snapshot.today - treatment.day).days
    entry = snapshot.entry(snapshot.today, area)
    logged_days = [
        e.day for e in snapshot.entries_of(area) if e.treatment_id == treatment.id and e.day <= snapshot.today
    ]
    photos = snapshot.photos_of(area)
    marked = tuple(
        replace(
            milestone,
            logged=logged_around(milestone, logged_days),
            photo=photo_sentence(milestone, photos, treatment.day) if milestone.wants_photo else "",
        )
        for milestone in milestones(treatment.day, booked[0].day if booked else None)
    )
    return Today(
        area=area,
        treatment=treatment,
        day=day,
        normal_now=normal_now(day, treatment),
        still_normal=still_normal(day, treatment, baseline),
        logged=entry is not None,
        photos_today=entry.photo_count if entry is not None else 0,
        milestones=marked,
    )


def first_photo(photos: Sequence[Photo], treatment_day: dt.date) -> Photo | None:
    """The photo later ones are compared with: the latest before the treatment (the
    skin as it was), else the first of the course. `photos` are in date order."""
    before = [p for p in photos if p.day < treatment_day]
    course = [p for p in photos if p.day >= treatment_day]
    return before[-1] if before else course[0] if course else None


def photo_sentence(milestone: Milestone, photos: Sequence[Photo], treatment_day: dt.date) -> str:
    """What a milestone says about its photo. It names the photo it will be compared
    with by its real day (the patient may have none of day 0), and asks for nothing
    once the milestone's day has its photo: a task already done reads as undone."""
    first = first_photo([p for p in photos if p.day < milestone.date], treatment_day)
    taken = any(p.day == milestone.date for p in photos)
    if first is None:
        return (
            _("Its photo is taken ✓.")
            if taken
            else _("Take a photo: it will be your first, and later ones are compared with it.")
        )
    named = {"day": first.day_label, "date": day_month(first.day)}
    if taken:
        return _("Its photo is taken ✓: compare it with your first photo ({day}, {date}).").format(**named)
    return _("Take a photo in the same light to compare with your first photo ({day}, {date}).").format(**named)


def normal_now(day: int, treatment: Treatment) -> str:
    """One sentence on what healing looks like today, from the course's redness band
    (the sign patients watch most), with the week's dryness where it applies."""
    if day > FOLLOW_UP_WEEKS * 7:
        return _("Your follow-up weeks are over: your skin is expected to look like it did before treatment.")
    sentence = _(expected_band(Sign.REDNESS, day, treatment.depth).reason)
    if expected_max(Sign.DRYNESS, day, treatment.depth) and day >= 2:
        sentence += " " + _("Some dryness or light peeling is common this week.")
    return sentence


def still_normal(day: int, treatment: Treatment, baseline: UsualSkin) -> str:
    """'redness up to mild, swelling up to slight, ...'; what goes beyond is worth a look."""
    parts = []
    for sign in RATED_SIGNS:
        level = expected_max(sign, day, treatment.depth, baseline.level(sign))
        if level:
            parts.append(_("{sign} up to {level}").format(sign=sign.label.lower(), level=sign.level_names[level]))
    parts += [sign.label.lower() for sign in PRESENCE_SIGNS if expected_max(sign, day, treatment.depth)]
    if not parts:
        return _("No sign of the treatment is expected any more: anything new is worth logging.")
    return _("Still normal today: {signs}.").format(signs=_(", ").join(parts))


def milestones(treatment_day: dt.date, next_session: dt.date | None = None) -> tuple[Milestone, ...]:
    """The checkpoints of one course, and the next session when one is booked, by date.
    The words are the app's own summary of the expected course (docs/clinical-basis.md, "Expected course")."""

    def on(day: int, title: str, what: str, wants_photo: bool = False) -> Milestone:
        return Milestone(day, treatment_day + dt.timedelta(days=day), title, what, wants_photo=wants_photo)

    weeks = FOLLOW_UP_WEEKS
    booked: tuple[Milestone, ...] = ()
    if next_session is not None:
        what = _("Tell your practitioner about anything this journal still shows as open before they treat again.")
        booked = (on((next_session - treatment_day).days, _("Next session"), what),)
    course = (
        on(3, _("Day 3"), _("Redness and swelling are usually faint or gone by now."), wants_photo=True),
        on(
            7,
            _("Day 7"),
            _("The first week's aftercare ends: sun protection stays wise, gentle products can return."),
        ),
        on(14, _("Two-week check"), _("Look for new brown or grey marks."), wants_photo=True),
        on(
            weeks * 7,
            _("Week {week}").format(week=weeks),
            _("The last weekly entry: late spots or bumps would show by now."),
        ),
    )
    # A course's later checkpoints give way to the next session, which starts a new course.
    kept = [m for m in course if next_session is None or m.date < next_session]
    return tuple(sorted((*kept, *booked), key=lambda m: m.date))
