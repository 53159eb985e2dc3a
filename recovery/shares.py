"""What a shared file holds, in the words the share record keeps (issue 22):
"Face, neck · 02 Nov–06 Dec 2026 · 42 photos".

The words are made in the language of the moment (the Export page's, the patient's)
and the record keeps them as they were said: a record made in Spanish stays in Spanish.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from recovery.language import _, day_month, ngettext, short_date
from recovery.vocabulary import AREAS, Area


def included_words(areas: Iterable[Area | str], days: Iterable[dt.date], photos: int | None) -> str:
    """The areas, the first and last day and the photos of a file; `photos` None = some
    photos chosen by the export itself (the PDF prints the milestone days')."""
    named = set(areas)
    shown = [area.label for area in AREAS if area in named]
    listed = ", ".join([shown[0], *(label.lower() for label in shown[1:])]) if shown else _("no area")
    return " · ".join((listed, _period(sorted(set(days))), _photos(photos)))


def _period(days: list[dt.date]) -> str:
    if not days:
        return _("no days logged")
    first, last = days[0], days[-1]
    if first == last:
        return short_date(last)
    start = day_month(first) if first.year == last.year else short_date(first)
    return _("{start}–{end}").format(start=start, end=short_date(last))


def _photos(count: int | None) -> str:
    if count is None:
        return _("selected photos")
    if count == 0:
        return _("no photos")
    return ngettext("{count} photo", "{count} photos", count).format(count=count)
