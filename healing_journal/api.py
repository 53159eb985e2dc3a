"""The journal for scripts: persistence plus the conveniences of the README.

`store.journal.JournalStore` writes and reads; `Journal` adds the judged and
exported views as one-call conveniences, and is the one journal class: the
app, the phone's listener and scripts all open this one. Each call reads and judges the journal
afresh, so a script always sees its own latest writes; a program that asks
many questions at once should take one `workspace()` and ask it instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from healing_journal.verify import verify_export
from healing_journal.workspace import Workspace
from recovery.flags import Flag
from recovery.model import Entry, Photo, Profile, Treatment
from recovery.photo_trend import DailyMeasurement
from recovery.risk import RiskFactor
from recovery.vocabulary import Area
from signing.manifest import Verification
from store import backup as backups
from store import validate
from store.errors import NotFound
from store.journal import JournalStore
from store.settings import Settings
from store.signing_key import fingerprint_of

if TYPE_CHECKING:  # pandas costs ~0.5 s to import; only entries() needs it
    import pandas as pd


class Journal(JournalStore):
    """The journal: for the app, the phone and scripts alike (README, "The journal in a script")."""

    def workspace(self, language: str | None = None) -> Workspace:
        """The journal read once and judged once, for several questions in a row; its
        words in `language` ("en", "es", "ar"), by default the profile's."""
        return Workspace(self, validate.language(language))

    # --- reading -------------------------------------------------------------

    def profile(self) -> Profile:
        return self.snapshot().profile

    def treatments(self) -> list[Treatment]:
        """All treatments, oldest first."""
        return list(self.snapshot().treatments)

    def entry(self, day: dt.date | str, area: Area | str) -> Entry | None:
        day = dt.date.fromisoformat(day) if isinstance(day, str) else day
        return self.snapshot().entry(day, area)

    def entry_by_id(self, entry_id: int) -> Entry:
        found = next((e for e in self.snapshot().entries if e.id == entry_id), None)
        if found is None:
            raise NotFound(f"There is no journal entry number {entry_id}.")
        return found

    def entry_list(
        self, area: Area | str | None = None, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[Entry]:
        """Entries by day, then area, each placed in its treatment course."""
        return list(self.snapshot().narrowed(area, start, end).entries)

    def entries(
        self, area: Area | str | None = None, start: dt.date | None = None, end: dt.date | None = None
    ) -> pd.DataFrame:
        """One row per (day, area), with days_since_treatment and photo_count."""
        from healing_journal.tables import entries_frame

        return entries_frame(self.entry_list(area, start, end))

    def logged_days(self, area: Area | str | None = None) -> set[dt.date]:
        return self.snapshot().logged_days(area)

    def photos(self, entry_id: int | None = None, area: Area | str | None = None) -> list[Photo]:
        """Photo records in day order, with absolute paths to the file and thumbnail."""
        return list(self.snapshot().photos_of(area, entry_id))

    # --- judging -------------------------------------------------------------

    def flags(self, area: Area | str | None = None) -> list[Flag]:
        """What persists, worsens or needs attention, most serious first."""
        return list(self.workspace().view.flags_of(area))

    def open_flags(self, area: Area | str | None = None) -> list[Flag]:
        """Flags whose condition has not eased since: what to act on today."""
        return list(self.workspace().view.still_open(area))

    def risk_factors(self) -> list[RiskFactor]:
        return list(self.workspace().view.risk_factors)

    def measurements(self, area: Area | str | None = None) -> list[DailyMeasurement]:
        """Per day and area, what the photos measure relative to the area's calmest photo."""
        view = self.workspace().view
        return list(view.measurements if area is None else view.measurements_of(area))

    # --- exports and backups -------------------------------------------------

    def export_pdf(
        self,
        area: Area | str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        include_photos: bool = True,
        language: str | None = None,
    ) -> bytes:
        """The summary for a dermatologist as PDF bytes (see export.pdf), in `language`
        ("en", "es", "ar"; by default the profile's)."""
        return self.workspace(language).pdf(area, start, end, include_photos=include_photos)

    def export_csv(
        self,
        area: Area | str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        language: str | None = None,
    ) -> bytes:
        """The entries as CSV, units and scales named in the header (see export.csv_export)."""
        return self.workspace(language).csv(area, start, end)

    def export_fhir(
        self, area: Area | str | None = None, include_photos: bool = False, language: str | None = None
    ) -> bytes:
        """A FHIR R4 Bundle of patient-reported observations (see export.fhir)."""
        return self.workspace(language).fhir(area, include_photos=include_photos)

    def export_dicom(self, photo_ids: Sequence[int] | None = None, patient_name: str | None = None) -> bytes:
        """A ZIP of DICOM files for a hospital's image archive, one per photo with a DICOMDIR
        (see export.dicom): the photos numbered (all when None), under `patient_name`
        (the profile's name when None; a pseudonym such as initials will do)."""
        return self.workspace().dicom(photo_ids, patient_name=patient_name)

    @staticmethod
    def verify_export(data: bytes, *, passphrase: str | None = None) -> Verification:
        """Check an export's bytes against the signed manifest inside it (see healing_journal.verify):
        `.ok`, `.message` in words, `.changed` naming what changed, `.fingerprint` of the signing key."""
        return verify_export(data, passphrase=passphrase)

    def signing_fingerprint(self) -> str:
        """The short fingerprint of this journal's signing key (made now if no export made it yet),
        for the patient to give the clinic: it tells the journal's signed exports from others'."""
        return self.workspace().signer.fingerprint

    def existing_signing_fingerprint(self) -> str | None:
        """The fingerprint of the journal's key, or None while no export has made one."""
        return fingerprint_of(self.folder)

    def backup(self, *, passphrase: str | None = None) -> bytes:
        """The whole journal as one ZIP file, AES-256 encrypted with a passphrase (see store.backup).
        Large journals are better written straight to a file (store.backup.write_backup_file)."""
        return backups.backup(self, passphrase=passphrase)

    @classmethod
    def restore(
        cls,
        data: backups.Source,
        folder: Path | str,
        *,
        settings: Settings | None = None,
        passphrase: str | None = None,
    ) -> Journal:
        """Restore a backup (bytes, a path or a binary file) into an empty or new folder and
        open it; raises RestoreRefused (PassphraseNeeded, WrongPassphrase) naming the problem."""
        target = Path(folder).expanduser().absolute()
        settings = settings.for_folder(target) if settings else Settings(data_dir=target)
        backups.restore(data, target, passphrase=passphrase, today=settings.today())
        return cls.open(target, settings=settings)
