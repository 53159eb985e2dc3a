"""Words about a photo that every screen shows the same way: its alt text, for
whoever cannot see it (the area and the day, as a screen reader reads it out)."""

from __future__ import annotations

from recovery.language import _, full_date, ngettext
from recovery.model import Photo
from recovery.vocabulary import View


def photo_alt(photo: Photo) -> str:
    """E.g. "Photo of the face, day 3, 27 November 2026" (and its view, when named: "(Left side)")."""
    alt = _("Photo of the {area}, {day}, {date}").format(
        area=photo.area.label.lower(), day=photo.day_label, date=full_date(photo.day)
    )
    return with_view(alt, photo)


def with_view(text: str, photo: Photo) -> str:
    """A description of a photo (or of photos of one view) with the view named, when it has a name."""
    return text if photo.view is View.UNSPECIFIED else f"{text} ({photo.view.label})"


def outlined_alt(photo: Photo) -> str:
    """The photo with the measured region (and what was found) drawn over it."""
    return _("{photo}, with the measured region outlined").format(photo=photo_alt(photo))


def comparison_alt(earlier: Photo, later: Photo) -> str:
    """The wipe picture: the earlier photo left of the boundary, the later one right of it."""
    described = _(
        "The {area} on {earlier_day} ({earlier_date}, left) and on {later_day} ({later_date}, right), "
        "lined up with each other"
    ).format(
        area=earlier.area.label.lower(),
        earlier_day=earlier.day_label,
        earlier_date=full_date(earlier.day),
        later_day=later.day_label,
        later_date=full_date(later.day),
    )
    return with_view(described, earlier)


def timelapse_alt(frames: list[Photo]) -> str:
    first, last = frames[0], frames[-1]
    described = ngettext(
        "Time-lapse of the {area}: {count} photo from {first_day} ({first_date}) to {last_day} ({last_date})",
        "Time-lapse of the {area}: {count} photos from {first_day} ({first_date}) to {last_day} ({last_date})",
        len(frames),
    ).format(
        area=first.area.label.lower(),
        count=len(frames),
        first_day=first.day_label,
        first_date=full_date(first.day),
        last_day=last.day_label,
        last_date=full_date(last.day),
    )
    return with_view(described, first)
