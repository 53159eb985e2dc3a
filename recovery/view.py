"""The recovery view: the journal judged once.

`judge(snapshot)` runs every rule once over a snapshot and keeps what the
screens, the exporters and the CLI ask about: the flags, which of them are
still open, the risk factors, the photo measurements per day and the
at-a-glance lines. Nothing here reads the database; nothing above it judges
again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from recovery.course import Thresholds
from recovery.flags import Flag, evaluate, sort_key, status_for
from recovery.measured import DailyMeasurement, daily_measurements, disagreements
from recovery.model import JournalSnapshot, within
from recovery.resolution import open_flags
from recovery.risk import RiskFactor, risk_factors
from recovery.summary import SignCourse, latest_courses
from recovery.vocabulary import Area, Severity


@dataclass(frozen=True)
class RecoveryView:
    snapshot: JournalSnapshot
    thresholds: Thresholds
    flags: tuple[Flag, ...]  # most serious first, then oldest
    open_flags: frozenset[Flag]
    risk_factors: tuple[RiskFactor, ...]
    measurements: tuple[DailyMeasurement, ...]
    courses: tuple[SignCourse, ...]

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

    def status(self, area: Area | str) -> Severity | None:
        """The most serious open flag of an area, or None."""
        return status_for(self.still_open(area), area)

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
            measurements=tuple(
                m for m in self.measurements if (area is None or m.area == area) and within(m.day, start, end)
            ),
            courses=tuple(latest_courses(snapshot.entries)),
        )


def judge(snapshot: JournalSnapshot, thresholds: Thresholds = Thresholds()) -> RecoveryView:
    """Every rule, once, over the whole journal."""
    until_today = [e for e in snapshot.entries if e.day <= snapshot.today]
    factors = risk_factors(snapshot.profile, snapshot.treatments, until_today, thresholds)
    measurements = daily_measurements(snapshot.photos)
    flags = evaluate(snapshot, thresholds, factors) + disagreements(snapshot.entries, measurements)
    ordered = tuple(sorted(flags, key=sort_key))
    still = open_flags(ordered, snapshot.entries, snapshot.today, thresholds)
    return RecoveryView(
        snapshot=snapshot,
        thresholds=thresholds,
        flags=ordered,
        open_flags=frozenset(still),
        risk_factors=factors,
        measurements=measurements,
        courses=tuple(latest_courses(snapshot.entries)),
    )
