"""One run of the app or of a CLI command: the journal read once, judged once.

A `Workspace` holds the open journal (for writing) and, on first use, its
snapshot and recovery view; pages, exporters and the CLI of one run share
them. A new run (the next click) makes a new Workspace, so nothing is ever
stale longer than a run. Across runs, the snapshot's records and the view are
reused only for the very same rows (their `revision`), day and thresholds.

A workspace speaks one language (recovery.language): the one it is given, else
the profile's, else the language of the page run or block that made it. Its view
is judged and its exports written in that language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from recovery.language import current, speaking
from recovery.model import JournalSnapshot, Photo
from recovery.view import RecoveryView, judge
from recovery.vocabulary import Area
from signing.manifest import Signer
from store.errors import InvalidEntry, NotFound
from store.photos import jpeg
from store.recent import RecentResults
from store.signing_key import signer_for

if TYPE_CHECKING:  # the journal builds workspaces: imported for types only
    from export.dicom import JpegPhoto
    from healing_journal.api import Journal

_RECENT_VIEWS: RecentResults[RecoveryView] = RecentResults(size=4)


class Workspace:
    def __init__(self, journal: Journal, language: str | None = None):
        self.journal = journal
        self._language = language

    @cached_property
    def language(self) -> str:
        """The language this workspace's words are in: the one asked for, the profile's, or the current one."""
        return self._language or self.snapshot.profile.language or current()

    @cached_property
    def snapshot(self) -> JournalSnapshot:
        return self.journal.snapshot()

    @cached_property
    def view(self) -> RecoveryView:
        snapshot, thresholds = self.snapshot, self.journal.settings.thresholds
        # The same rows, day and thresholds are judged the same: a click that
        # changed nothing reuses the last judgement (store.recent). The folder
        # too: the view holds the snapshot, whose photos name their files.
        # And the language: the view's flags carry their words.
        key = (snapshot.revision, snapshot.today, snapshot.is_demo, str(self.journal.folder), thresholds, self.language)
        return _RECENT_VIEWS.get(key, self._judge)

    def _judge(self) -> RecoveryView:
        with speaking(self.language):
            return judge(self.snapshot, self.journal.settings.thresholds)

    @cached_property
    def signer(self) -> Signer:
        """The journal's signing key (made on first need; store.signing_key)."""
        return signer_for(self.journal.folder)

    @property
    def today(self) -> dt.date:
        return self.snapshot.today

    def read_photo(self, photo: Photo) -> bytes:
        return self.journal.read_photo(photo)

    # --- exports: bytes ------------------------------------------------------

    def pdf(
        self,
        area: Area | str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        *,
        include_photos: bool = True,
    ) -> bytes:
        """The summary for a dermatologist (see export.pdf)."""
        # Imported on use, as are the other exporters: fpdf2 and its fonts took about
        # 0.5 s of the first page's start, and no page shows an export before it is asked for.
        from export.pdf import summary_pdf

        reader = self.read_photo if include_photos else None
        with speaking(self.language):
            return summary_pdf(self.view, read_photo=reader, area=area, start=start, end=end, signer=self.signer)

    def csv(self, area: Area | str | None = None, start: dt.date | None = None, end: dt.date | None = None) -> bytes:
        """The entries as CSV, units and scales named in the header (see export.csv_export)."""
        from export.csv_export import entries_csv, story_of
        from export.signed import signed_csv

        entries = self.snapshot.narrowed(area, start, end).entries
        view = self.view
        with speaking(self.language):
            table = entries_csv(entries, demo=self.snapshot.is_demo, story=story_of(view, start, end))
        return signed_csv(table, self.signer)

    def fhir(
        self, area: Area | str | None = None, *, include_photos: bool = False, generated_at: dt.datetime | None = None
    ) -> bytes:
        """A FHIR R4 Bundle of patient-reported observations (see export.fhir)."""
        from export.fhir import PhotoContent, journal_bundle

        narrowed = self.snapshot.narrowed(area)
        photos = (
            PhotoContent(p.day, p.area, self.read_photo(p), p.width, p.height, p.day_label, p.view)
            for p in (narrowed.photos if include_photos else ())
        )
        moment = generated_at or dt.datetime.now(dt.UTC)
        cards = self.view.narrowed(area).cards
        with speaking(self.language):
            return journal_bundle(narrowed, photos, generated_at=moment, cards=cards, signer=self.signer)

    def calendar_ics(self) -> bytes:
        """Reminders to log, as an iCalendar file (see export.calendar); raises
        NothingToRemind, naming why, when no check-in is left.

        Made from this run's snapshot, so a changed treatment changes the file.
        DTSTAMP is the start of the settings' today (UTC): the settings seam
        keeps days, not hours, and a pinned day gives the same file every time."""
        from export.calendar import calendar_ics

        stamp = dt.datetime.combine(self.today, dt.time(), tzinfo=dt.UTC)
        with speaking(self.language):
            return calendar_ics(self.snapshot, self.journal.settings.thresholds, stamp=stamp)

    def dicom(self, photo_ids: Sequence[int] | None = None, *, patient_name: str | None = None) -> bytes:
        """A ZIP of DICOM files, one per photo, with a DICOMDIR, for a hospital's image
        archive (see export.dicom): the photos named (all when None), filed under
        `patient_name` (the profile's name when None; a pseudonym such as initials).

        Raises InvalidEntry (no photos, a name DICOM cannot hold, a photo that
        cannot be carried unchanged) or NotFound (a photo number not in the journal)."""
        from export.dicom import dicom_archive, patient_name_problem  # pydicom loads on first use

        snapshot = self.snapshot
        chosen = _chosen_photos(snapshot.photos, photo_ids)
        name = snapshot.profile.name if patient_name is None else patient_name
        problem = patient_name_problem(name)
        if problem:
            raise InvalidEntry(problem)
        items = [self._jpeg_photo(photo) for photo in chosen]
        return dicom_archive(snapshot, items, patient_name=name, journal_key=_journal_key(snapshot), signer=self.signer)

    def dicom_name_problem(self, name: str) -> str | None:
        """Why `name` cannot be the name in the DICOM files, in words; None if it can."""
        from export.dicom import patient_name_problem

        return patient_name_problem(name)

    def _jpeg_photo(self, photo: Photo) -> JpegPhoto:
        from export.dicom import JpegPhoto

        data = jpeg.as_baseline(self.read_photo(photo))
        info = None if data is None else jpeg.frame(data)
        if data is None or info is None or info.components not in (1, 3):
            raise InvalidEntry(
                f"The photo of {photo.day.isoformat()} ({photo.area}) is a kind of JPEG a DICOM file cannot "
                "carry unchanged; leave it out of the export."
            )
        return JpegPhoto(photo, data, info.components)


def _chosen_photos(photos: Sequence[Photo], photo_ids: Sequence[int] | None) -> list[Photo]:
    if photo_ids is None:
        if not photos:
            raise InvalidEntry("There are no photos to export: the journal holds none yet.")
        return list(photos)
    by_id = {photo.id: photo for photo in photos}
    missing = [str(number) for number in photo_ids if number not in by_id]
    if missing:
        raise NotFound(f"There is no photo number {', '.join(missing)} in the journal.")
    if not photo_ids:
        raise InvalidEntry("There are no photos to export: choose at least one.")
    return [by_id[number] for number in dict.fromkeys(photo_ids)]


def _journal_key(snapshot: JournalSnapshot) -> str:
    """What keeps one journal's DICOM UIDs apart from another's: the content hash
    of its first stored photo (a journal keeps no identity of its own). Deleting
    that photo gives later exports new study and series UIDs, never a clash."""
    first = min(snapshot.photos, key=lambda photo: photo.id)
    return first.sha256
