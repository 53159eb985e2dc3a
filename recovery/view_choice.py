"""Which view of an area stands for it when days are compared as one series.

Photos are compared within a view (docs/clinical-basis.md, "Photo views"): a
side view sees other skin than the front, so a day's figure or a grid of days
follows one view. A named view photographed on two days or more is preferred
to photos of no named view (those come from before views existed, or from a
quick upload): once the patient follows the guides, the series follows them,
even when the older, unnamed photos are still the more numerous.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from recovery.model import Photo
from recovery.vocabulary import VIEWS, View

# Days a named view needs before it stands for the area (one day is no series yet).
NAMED_VIEW_MIN_DAYS = 2


def of_view(photos: Sequence[Photo], view: View) -> list[Photo]:
    """The photos of one view, in their order."""
    return [photo for photo in photos if photo.view is view]


def chosen_view(photos: Sequence[Photo]) -> View | None:
    """The view photographed on the most days among named views with two days or
    more (ties: first in the vocabulary); else the one on the most days."""
    days: dict[View, set[dt.date]] = {}
    for photo in photos:
        days.setdefault(photo.view, set()).add(photo.day)
    if not days:
        return None
    named = [view for view in days if view is not View.UNSPECIFIED and len(days[view]) >= NAMED_VIEW_MIN_DAYS]
    return min(named or days, key=lambda view: (-len(days[view]), view is View.UNSPECIFIED, VIEWS.index(view)))


def main_view(photos: Sequence[Photo]) -> list[Photo]:
    """The photos of the chosen view only (a grid of photos, which names its view)."""
    chosen = chosen_view(photos)
    return [] if chosen is None else of_view(photos, chosen)


def series_photos(photos: Sequence[Photo]) -> list[Photo]:
    """The chosen view's photos, and on days without one, the photos of no named
    view (the area's photo as it was taken before views): a measured series keeps
    its history, and never mixes in another named view."""
    chosen = chosen_view(photos)
    covered = {photo.day for photo in photos if photo.view is chosen}
    return [
        photo
        for photo in photos
        if photo.view is chosen or (photo.view is View.UNSPECIFIED and photo.day not in covered)
    ]
