"""The recovery view: the journal judged once.

`judge(snapshot)` runs every rule once over a snapshot and keeps what the
screens, the exporters and the CLI ask about: the flags, which of them are
still open, the cards they make (one per cause), the risk factors, each
area's baseline, the photo measurements per day and the at-a-glance lines.
Nothing here reads the database; nothing above it judges again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from recovery.cards import Card, cards
from recovery.course import Thresholds
from recovery.emergency_numbers import emergency_calls
from recovery.flags import Course, Flag, course_key, courses_of, evaluate, sort_key, status_for
from recovery.model import Entry, JournalSnapshot, within
from recovery.photo_trend import DailyMeasurement, daily_measurements, disagreements
from recovery.resolution import Judge, open_flags
from recovery.risk import RiskFactor, risk_factors
from recovery.summary import SignCourse, latest_courses
from recovery.usual_skin import UsualSkin, baseline_of, baselines
from recovery.vocabulary import Area, Severity


@dataclass(frozen=True)
class RecoveryView:
    snapshot: JournalSnapshot
    thresholds: Thresholds
    flags: tuple[Flag, ...]  # most serious first, then oldest
    open_flags: frozenset[Flag]
    cards: tuple[Card, ...]  # one per cause: open ones first, most serious first
    risk_factors: tuple[RiskFactor, ...]
    baselines: dict[Area, UsualSkin]
    courses: dict[tuple[Area, int], Course]
    measurements: tuple[DailyMeasurement, ...]
    summary: tuple[SignCourse, ...]

    def is_open(self, flag: Flag) -> bool:
        return flag in self.open_flags

    def flags_of(self, area: Area | str | None = None, treatment_id: int | None = None) -> tuple[Flag, ...]:
        """One area's flags (and, with a treatment, those of its course or of no course)."""
        return tuple(
            flag
            for flag in self.flags
            if (area is None or flag.area == area)
            and (treatment_id is None or flag.treatment_id in (treatment_id, None))
        )

    def still_open(self, area: Area | str | None = None) -> tuple[Flag, ...]:
        """What to act on today, most serious first."""
        return tuple(flag for flag in self.flags_of(area) if flag in self.open_flags)

    def open_cards(self, area: Area | str | None = None) -> tuple[Card, ...]:
        return tuple(card for card in self.cards if card.is_open and (area is None or card.area == area))

    def status(self, area: Area | str) -> Severity | None:
        """The most serious open flag of an area, or None."""
        return status_for(self.still_open(area), area)

    def has_logged(self, area: Area | str) -> bool:
        """Whether anything was logged for the area since its first treatment: no
        reassuring word is said before that."""
        return any(e.area == area and e.in_course for e in self.snapshot.entries)

    def baseline(self, area: Area | str) -> UsualSkin:
        return baseline_of(self.baselines, Area(area))

    def course_of(self, entry: Entry) -> Course | None:
        if entry.treatment_id is None:
            return None
        return self.courses.get(course_key(entry.area, entry.treatment_id))

    def measurements_of(self, area: Area | str) -> tuple[DailyMeasurement, ...]:
        return tuple(m for m in self.measurements if m.area == area)

    def narrowed(
        self, area: Area | str | None = None, start: dt.date | None = None, end: dt.date | None = None
    ) -> RecoveryView:
        """This view limited to one area and a date range (an export's choice).
        Flags keep what the whole journal said; those of the area that started
        in the range remain."""
        snapshot = self.snapshot.narrowed(area, start, end)
        return replace(
            self,
            snapshot=snapshot,
            flags=tuple(f for f in self.flags_of(area) if within(f.first_day, start, end)),
            cards=tuple(c for c in self.cards if (area is None or c.area == area) and within(c.since, start, end)),
            measurements=tuple(
                m for m in self.measurements if (area is None or m.area == area) and within(m.day, start, end)
            ),
            summary=tuple(latest_courses(snapshot.entries, self.courses, self.baselines)),
        )


def judge(snapshot: JournalSnapshot, thresholds: Thresholds = Thresholds()) -> RecoveryView:
    """Every rule, once, over the whole journal."""
    until_today = [e for e in snapshot.entries if e.day <= snapshot.today]
    factors = risk_factors(snapshot.profile, snapshot.treatments, until_today, thresholds)
    known = baselines(snapshot.entries)
    courses = courses_of(snapshot, factors, known)
    measurements = daily_measurements(snapshot.photos)
    flags = evaluate(snapshot, thresholds, factors, courses) + disagreements(snapshot.entries, measurements)
    ordered = tuple(sorted(flags, key=sort_key))
    judged = Judge(snapshot.entries, courses, snapshot.today, thresholds)
    still = frozenset(open_flags(ordered, judged))
    eased = {flag: day for flag in ordered if flag not in still and (day := judged.eased_on(flag)) is not None}
    latest = {area: treatment.id for treatment in snapshot.treatments for area in treatment.areas}
    return RecoveryView(
        snapshot=snapshot,
        thresholds=thresholds,
        flags=ordered,
        open_flags=still,
        cards=cards(
            ordered,
            still,
            {t.id: t for t in snapshot.treatments},
            latest,
            eased,
            emergency_calls(snapshot.profile.country),
        ),  # fmt: skip
        risk_factors=factors,
        baselines=known,
        courses=courses,
        measurements=measurements,
        summary=tuple(latest_courses(snapshot.entries, courses, known)),
    )
