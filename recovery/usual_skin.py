"""The patient's own skin before treatment: the level each sign is judged from.

Many patients are treated *for* pigmentation (melasma, acne marks) or have
background redness (rosacea); judged against zero, their usual skin would
raise flags every day (clinical notes, "Clinical review": judge change against
the patient's own pre-treatment state). Days logged before an area's first
treatment are its baseline; the treatment form can save such a day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from recovery.model import Entry
from recovery.vocabulary import RATED_SIGNS, Area, Sign

# The latest days before treatment describe the usual skin best.
BASELINE_DAYS = 7


@dataclass(frozen=True)
class UsualSkin:
    """Usual level of each rated sign of one area (0 when nothing was logged)."""

    area: Area
    levels: Mapping[Sign, int] = field(default_factory=dict)
    days: int = 0  # how many days before treatment it was taken from

    def level(self, sign: Sign) -> int:
        return self.levels.get(sign, 0)

    @property
    def is_known(self) -> bool:
        return self.days > 0


def _low_median(values: list[int]) -> int:
    # The lower middle value: a baseline is never taken higher than half of its days.
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def baselines(entries: Iterable[Entry]) -> dict[Area, UsualSkin]:
    """Each area's baseline from its days before its first treatment (or none)."""
    before: dict[Area, list[Entry]] = {}
    for entry in entries:
        since = entry.days_since_treatment
        if entry.treatment_id is None and since is not None and since < 0:
            before.setdefault(entry.area, []).append(entry)
    result = {}
    for area, days in before.items():
        recent = sorted(days, key=lambda e: e.day)[-BASELINE_DAYS:]
        levels = {}
        for sign in RATED_SIGNS:
            rated = [level for e in recent if (level := e.rating(sign)) is not None]
            if rated:
                levels[sign] = _low_median(rated)
        result[area] = UsualSkin(area, levels, len(recent))
    return result


def baseline_of(known: Mapping[Area, UsualSkin], area: Area) -> UsualSkin:
    return known.get(area, UsualSkin(area))
