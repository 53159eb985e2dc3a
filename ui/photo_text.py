"""Words about a photo that every screen shows the same way: its alt text, for
whoever cannot see it (the area and the day, as a screen reader reads it out)."""

from __future__ import annotations

from recovery.model import Photo


def photo_alt(photo: Photo) -> str:
    """E.g. "Photo of the face, day 3, 27 November 2026"."""
    return f"Photo of the {photo.area.label.lower()}, {photo.day_label}, {photo.day:%d %B %Y}"


def outlined_alt(photo: Photo) -> str:
    """The photo with the measured region (and what was found) drawn over it."""
    return f"{photo_alt(photo)}, with the measured region outlined"


def comparison_alt(earlier: Photo, later: Photo) -> str:
    """The wipe picture: the earlier photo left of the boundary, the later one right of it."""
    return (
        f"The {earlier.area.label.lower()} on {earlier.day_label} ({earlier.day:%d %B %Y}, left) and on "
        f"{later.day_label} ({later.day:%d %B %Y}, right), lined up with each other"
    )


def timelapse_alt(frames: list[Photo]) -> str:
    first, last = frames[0], frames[-1]
    return (
        f"Time-lapse of the {first.area.label.lower()}: {len(frames)} photos from {first.day_label} "
        f"({first.day:%d %B %Y}) to {last.day_label} ({last.day:%d %B %Y})"
    )
