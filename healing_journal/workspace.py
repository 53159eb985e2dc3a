"""One run of the app or of a CLI command: the journal read once, judged once.

A `Workspace` holds the open journal (for writing) and, on first use, its
snapshot and recovery view; pages, exporters and the CLI of one run share
them. A new run (the next click) makes a new Workspace, so nothing is ever
stale longer than a run. Across runs, the snapshot's records and the view are
reused only for the very same rows (their `revision`), day and thresholds.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from recovery.model import JournalSnapshot, Photo
from recovery.view import RecoveryView, judge
from recovery.vocabulary import Area
from store.journal import Journal
from store.recent import RecentResults

_RECENT_VIEWS: RecentResults[RecoveryView] = RecentResults(size=4)


class Workspace:
    def __init__(self, journal: Journal):
        self.journal = journal

    @cached_property
    def snapshot(self) -> JournalSnapshot:
        return self.journal.snapshot()

    @cached_property
    def view(self) -> RecoveryView:
        snapshot, thresholds = self.snapshot, self.journal.settings.thresholds
        # The same rows, day and thresholds are judged the same: a click that
        # changed nothing reuses the last judgement (store.recent). The folder
        # too: the view holds the snapshot, whose photos name their files.
        key = (snapshot.revision, snapshot.today, snapshot.is_demo, str(self.journal.folder), thresholds)
        return _RECENT_VIEWS.get(key, lambda: judge(snapshot, thresholds))

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
        return summary_pdf(self.view, read_photo=reader, area=area, start=start, end=end)

    def csv(self, area: Area | str | None = None, start: dt.date | None = None, end: dt.date | None = None) -> bytes:
        """The entries as CSV, units and scales named in the header (see export.csv_export)."""
        from export.csv_export import entries_csv, story_of

        entries = self.snapshot.narrowed(area, start, end).entries
        story = story_of(self.view, start, end)
        return entries_csv(entries, demo=self.snapshot.is_demo, story=story)

    def fhir(
        self, area: Area | str | None = None, *, include_photos: bool = False, generated_at: dt.datetime | None = None
    ) -> bytes:
        """A FHIR R4 Bundle of patient-reported observations (see export.fhir)."""
        from export.fhir import PhotoContent, journal_bundle

        narrowed = self.snapshot.narrowed(area)
        photos = (
            PhotoContent(p.day, p.area, self.read_photo(p), p.width, p.height, p.day_label)
            for p in (narrowed.photos if include_photos else ())
        )
        moment = generated_at or dt.datetime.now(dt.UTC)
        return journal_bundle(narrowed, photos, generated_at=moment, cards=self.view.narrowed(area).cards)

    def calendar_ics(self) -> bytes:
        """Reminders to log, as an iCalendar file (see export.calendar); raises
        NothingToRemind, naming why, when no check-in is left.

        Made from this run's snapshot, so a changed treatment changes the file.
        DTSTAMP is the start of the settings' today (UTC): the settings seam
        keeps days, not hours, and a pinned day gives the same file every time."""
        from export.calendar import calendar_ics

        stamp = dt.datetime.combine(self.today, dt.time(), tzinfo=dt.UTC)
        return calendar_ics(self.snapshot, self.journal.settings.thresholds, stamp=stamp)
