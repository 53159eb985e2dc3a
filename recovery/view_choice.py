"""Which view of an area stands for it when days are compared as one series.

Photos are compared within a view (docs/clinical-basis.md, "Photo views"): a
side view sees other skin than the front, so a day's figure or a grid of days
follows one view, the one photographed on the most days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from recovery.model import Photo
from recovery.vocabulary import VIEWS, View


def main_view(photos: Sequence[Photo]) -> list[Photo]:
    """The photos of the view photographed on the most days (ties: the named view
    first in the vocabulary, then photos of no named view)."""
    days: dict[View, set[dt.date]] = {}
    for photo in photos:
        days.setdefault(photo.view, set()).add(photo.day)
    if not days:
        return []
    chosen = min(days, key=lambda view: (-len(days[view]), view is View.UNSPECIFIED, VIEWS.index(view)))
    return [photo for photo in photos if photo.view is chosen]
