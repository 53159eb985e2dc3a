"""Importing a batch of phone photos: place each on its day, skip duplicates.

Planning reads only headers and hashes, so the patient sees the proposed
placement before anything is stored; importing then stores the confirmed
photos one by one (a refused file does not stop the others).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from recovery.language import N_, _
from recovery.vocabulary import View
from store import validate
from store.errors import InvalidEntry, PhotoRejected
from store.journal import JournalStore
from store.photos import imaging

FROM_CAPTURE = N_("photo's capture time")
FROM_FILE_TIME = N_("file's modified time")
FROM_FALLBACK = N_("chosen day (the photo has no capture time)")


@dataclass
class Candidate:
    filename: str
    data: bytes = field(repr=False)
    day: dt.date
    day_source: str
    source_sha256: str
    skip_reason: str | None = None  # duplicate or impossible day: shown, not imported

    @property
    def importable(self) -> bool:
        return self.skip_reason is None


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # PhotoRejected messages


def plan_import(
    journal: JournalStore,
    files: Iterable[tuple[str, bytes, float | None]],
    fallback_day: dt.date,
) -> list[Candidate]:
    """Propose a day for each (name, bytes, modified-time-or-None), oldest first."""
    seen: set[str] = set()
    candidates = []
    for filename, data, modified in files:
        candidate = _place(filename, data, modified, fallback_day)
        candidate.skip_reason = _skip_reason(journal, candidate, seen)
        seen.add(candidate.source_sha256)
        candidates.append(candidate)
    return sorted(candidates, key=lambda c: (c.day, c.filename))


def _place(filename: str, data: bytes, modified: float | None, fallback_day: dt.date) -> Candidate:
    digest = imaging.sha256(data)
    captured = imaging.read_capture_time(data)
    if captured is not None:
        return Candidate(filename, data, captured.date(), FROM_CAPTURE, digest)
    if modified is not None:
        return Candidate(filename, data, dt.date.fromtimestamp(modified), FROM_FILE_TIME, digest)
    return Candidate(filename, data, fallback_day, FROM_FALLBACK, digest)


def _skip_reason(journal: JournalStore, candidate: Candidate, seen: set[str]) -> str | None:
    problem = imaging.header_problem(candidate.data, candidate.filename)
    if problem:
        return problem
    if candidate.source_sha256 in seen:
        return _("the same photo appears twice in this import")
    existing = journal.find_photo(candidate.source_sha256)
    if existing is not None:
        return _("already in your journal ({area}, {date})").format(
            area=existing.area.label.lower(), date=existing.day.isoformat()
        )
    if candidate.day > journal.today():
        return _("dated {date}, in the future (check the camera's clock)").format(date=candidate.day.isoformat())
    return None


def import_photos(
    journal: JournalStore, candidates: Iterable[Candidate], area: str, view: View | str = View.UNSPECIFIED
) -> ImportReport:
    """Store every importable candidate on the entry of its day and area, as `view`
    (recovery.vocabulary.View: one view for the whole batch; unspecified by default)."""
    validate.area(area)
    validate.view(view)
    report = ImportReport()
    for candidate in candidates:
        if not candidate.importable:
            report.skipped.append((candidate.filename, candidate.skip_reason or ""))
            continue
        try:
            entry_id = journal.ensure_entry(candidate.day, area)
            journal.add_photo(entry_id, candidate.data, filename=candidate.filename, view=view)
            report.added.append(candidate.filename)
        except (PhotoRejected, InvalidEntry) as exc:
            report.refused.append(str(exc) if isinstance(exc, PhotoRejected) else f"{candidate.filename}: {exc}")
    return report
