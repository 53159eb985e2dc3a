"""What a shared file holds, in the words the share record keeps (issue 22):
"Face, neck · 02 Nov–06 Dec 2026 · 42 photos"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from recovery.vocabulary import AREAS, Area


def included_words(areas: Iterable[Area | str], days: Iterable[dt.date], photos: int | None) -> str:
    """The areas, the first and last day and the photos of a file; `photos` None = some
    photos chosen by the export itself (the PDF prints the milestone days')."""
    named = set(areas)
    shown = [area.label for area in AREAS if area in named]
    listed = ", ".join([shown[0], *(label.lower() for label in shown[1:])]) if shown else "no area"
    return " · ".join((listed, _period(sorted(set(days))), _photos(photos)))


def _period(days: list[dt.date]) -> str:
    if not days:
        return "no days logged"
    first, last = days[0], days[-1]
    if first == last:
        return f"{last:%d %b %Y}"
    start = f"{first:%d %b}" if first.year == last.year else f"{first:%d %b %Y}"
    return f"{start}–{last:%d %b %Y}"


def _photos(count: int | None) -> str:
    if count is None:
        return "selected photos"
    if count == 0:
        return "no photos"
    return "1 photo" if count == 1 else f"{count} photos"
