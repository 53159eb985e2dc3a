"""Which flagged days the PDF shows as photos, beside the area's first photo.

A dermatologist reading "redness above the expected course on day 8" wants to
see day 8. Each flagged day (an area and the day a flag started) is shown with
the photo of that day, or the nearest one at most PHOTO_TOLERANCE_DAYS away,
next to the area's first photo in the summary. Only the most serious few
(MOST_FLAGGED_DAYS) are shown, so the summary stays short; the flags table on
page 1 lists them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from recovery.flags import Flag
from recovery.model import Photo
from recovery.vocabulary import Area, Severity

MOST_FLAGGED_DAYS = 4
PHOTO_TOLERANCE_DAYS = 2


@dataclass(frozen=True)
class FlaggedDay:
    area: Area
    day: dt.date  # the day the flags started
    severity: Severity  # the most serious of that day's flags
    action: str  # what its flag asks, naming who can help ("See a doctor today", "Book a dermatologist")
    titles: tuple[str, ...]  # the cards' titles, most serious first, no repeats
    photo: Photo  # of that day, or the nearest within the tolerance
    baseline: Photo  # the area's first photo of the same view in the summary

    @property
    def label(self) -> str:
        """E.g. "See a doctor today: Warning sign: The area feels warm or hot"."""
        return f"{self.action}: {'; '.join(self.titles)}"


@dataclass(frozen=True)
class FlaggedPhotos:
    shown: tuple[FlaggedDay, ...]  # by area, then date
    flagged_days: int  # every flagged (area, day), shown or not
    without_photo: int  # flagged days with no photo near enough


def flagged_photos(
    flags: Iterable[Flag],
    photos: Sequence[Photo],
    titles: Mapping[Flag, str],
    most: int = MOST_FLAGGED_DAYS,
) -> FlaggedPhotos:
    """The `most` most serious flagged days that have a photo (on a tie, the later day)."""
    by_day: dict[tuple[Area, dt.date], list[Flag]] = {}
    for flag in flags:
        by_day.setdefault((flag.area, flag.first_day), []).append(flag)
    by_area: dict[Area, list[Photo]] = {}
    for photo in sorted(photos, key=lambda p: (p.day, p.id)):
        by_area.setdefault(photo.area, []).append(photo)
    candidates = []
    for (area, day), group in by_day.items():
        own = by_area.get(area, [])
        near = nearest_photo(own, day)
        if near is None:
            continue
        group.sort(key=lambda f: -f.severity.rank)
        named = tuple(dict.fromkeys(titles.get(f) or _fallback_title(f) for f in group))
        # Beside the first photo of the same view (a close-up beside the first close-up).
        first = next(photo for photo in own if photo.view is near.view)
        candidates.append(FlaggedDay(area, day, group[0].severity, group[0].action, named, near, first))
    candidates.sort(key=lambda d: (-d.severity.rank, -d.day.toordinal()))
    shown = sorted(candidates[:most], key=lambda d: (d.area, d.day))
    return FlaggedPhotos(tuple(shown), len(by_day), len(by_day) - len(candidates))


def nearest_photo(photos: Sequence[Photo], day: dt.date) -> Photo | None:
    """The first photo of `day`, else the nearest day's within the tolerance (on a tie the later)."""
    near = [p for p in photos if abs((p.day - day).days) <= PHOTO_TOLERANCE_DAYS]
    if not near:
        return None
    return min(near, key=lambda p: (abs((p.day - day).days), -p.day.toordinal(), p.id))


def _fallback_title(flag: Flag) -> str:
    return flag.sign.label if flag.sign is not None else "Flag"
