"""The "Retake?" question about a photo just stored, in words shared by the
computer's Log a day (ui.photo_feedback, a dialog) and the phone's page
(phone.views, a list after Save): blurred, burnt out or dark, card missing
when the area uses one, light differing, framed far from the first photo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from recovery.model import JournalSnapshot, Photo
from recovery.view_choice import of_view
from recovery.vocabulary import Area
from store.photos.analysed import lighting_note, retake_reasons


@dataclass(frozen=True)
class RetakeQuestion:
    photo_id: int
    name: str  # the file's name as uploaded
    day: dt.date
    area: Area
    reasons: tuple[str, ...]


def question(snapshot: JournalSnapshot, photo: Photo) -> RetakeQuestion | None:
    """The "retake?" question for a stored photo, None when it looks fine."""
    # Judged against the first photo of its own view (a close-up is not a worse front).
    same_view = of_view(snapshot.photos_of(photo.area), photo.view)
    baseline = same_view[0] if same_view else None
    reasons = retake_reasons(photo, baseline)
    if not reasons:
        return None  # a light that cannot be checked alone is no reason to retake (the photo view says it)
    note = lighting_note(photo, baseline)
    if note is not None:
        reasons.append(note)  # beside the reasons, so a retake can bring a wall or the card into view
    return RetakeQuestion(photo.id, photo.source_name or "photo", photo.day, photo.area, tuple(reasons))
