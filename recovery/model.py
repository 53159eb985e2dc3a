"""The journal as typed, read-only records: what a page, an exporter or the
CLI reads, and what the recovery view judges.

`store` fills a `JournalSnapshot` in a few queries; everything above works on
it and never goes back to the database during one run. The records are frozen
dataclasses: nobody can change a snapshot another part of the run also reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from recovery.timeline import Placement, TreatmentCalendar, day_label
from recovery.vocabulary import Area, Depth, FlagAction, ProductKind, ShareKind, Sign, View, depth_class


@dataclass(frozen=True)
class Profile:
    name: str = ""
    fitzpatrick: int | None = None
    melasma_history: bool = False
    pih_history: bool = False
    cold_sores: bool = False
    # recovery.vocabulary.PROFILE_QUESTIONS: True, False, or None (not answered).
    answers: Mapping[str, bool | None] = field(default_factory=dict)
    # ISO 3166-1 alpha-2 (recovery.countries), or None (not set): the emergency
    # number the cards name (recovery.emergency_numbers).
    country: str | None = None
    # recovery.language: "en", "es", "ar", or None (not chosen yet): what the app,
    # the phone page and the exports speak.
    language: str | None = None

    # Which saved version this is (a new one at every save; "" before the first):
    # a later save states it, so that it never overwrites a newer one unseen.
    version: str = field(default="", compare=False)

    def answer(self, key: str) -> bool | None:
        return self.answers.get(key)


@dataclass(frozen=True)
class Treatment:
    id: int
    day: dt.date
    areas: tuple[Area, ...]
    device: str = ""
    needle_depth_mm: float | None = None
    practitioner: str = ""
    serums: str = ""
    notes: str = ""
    practitioner_contact: str = ""  # a phone number or e-mail, shown on cards that ask for a call
    # Why the treatment was done (acne scars, melasma, fine lines...): the dermatologist's first question.
    reason: str = ""
    # recovery.vocabulary.TREATMENT_QUESTIONS: True, False, or None (not answered).
    answers: Mapping[str, bool | None] = field(default_factory=dict)

    version: str = field(default="", compare=False)

    @property
    def depth(self) -> Depth:
        return depth_class(self.needle_depth_mm)

    def answer(self, key: str) -> bool | None:
        return self.answers.get(key)


@dataclass(frozen=True)
class Entry:
    """One day of one area: ratings, yes/no answers (None = not answered), notes,
    and where the day falls in its area's treatment course."""

    id: int
    day: dt.date
    area: Area
    ratings: Mapping[Sign, int | None] = field(default_factory=dict)
    answers: Mapping[str, bool | None] = field(default_factory=dict)
    notes: str = ""
    photo_count: int = 0
    updated_at: str = ""
    placement: Placement = Placement(None, None, None)
    version: str = field(default="", compare=False)

    def rating(self, sign: Sign) -> int | None:
        """The level logged for a sign: 0-4 for a rated sign, 0 / 1 for bleeding
        and dryness (which are answered yes or no), None when not answered."""
        if sign.is_rated:
            return self.ratings.get(sign)
        answer = self.answers.get(sign.value)
        return None if answer is None else int(answer)

    def answer(self, key: str) -> bool | None:
        return self.answers.get(key)

    @property
    def treatment_id(self) -> int | None:
        return self.placement.treatment_id

    @property
    def treatment_day(self) -> dt.date | None:
        return self.placement.treatment_day

    @property
    def days_since_treatment(self) -> int | None:
        return self.placement.days_since_treatment

    @property
    def day_label(self) -> str:
        return day_label(self.days_since_treatment)

    @property
    def in_course(self) -> bool:
        """On or after a treatment day of its area: the expected course applies."""
        since = self.days_since_treatment
        return self.treatment_id is not None and since is not None and since >= 0


@dataclass(frozen=True)
class Photo:
    """A stored photo; `path` and `thumb_path` are absolute, inside the journal
    folder. The measurements were taken at ingest (see README, "Photo measurements")."""

    id: int
    entry_id: int
    day: dt.date
    area: Area
    days_since_treatment: int | None
    path: Path
    thumb_path: Path
    width: int
    height: int
    captured_at: dt.datetime | None = None
    source_name: str = ""
    sha256: str = ""
    # Which of the area's named views it is; photos are compared within a view.
    view: View = View.UNSPECIFIED
    a_star: float | None = None
    delta_a_star: float | None = None
    erythema_index: float | None = None
    l_star: float | None = None
    b_star: float | None = None
    ita: float | None = None
    ita_category: str | None = None
    spot_count: int | None = None
    spot_fraction: float | None = None
    sharpness: float | None = None
    clipped_highlights: float | None = None
    clipped_shadows: float | None = None
    # Lit or exposed markedly unlike the area's first photo (judged on the card,
    # the frame's neutral surroundings or the reference patch, never on skin).
    lighting_differs: bool = False
    # Measured, but nothing neutral (card, plain surroundings, reference patch)
    # in common with the area's first photo: the light could not be checked.
    lighting_unchecked: bool = False
    # Calibration and alignment at ingest (photometry.analysis).
    calibration: str | None = None  # 'card', 'reference' or 'none' (uncalibrated)
    card_found: bool | None = None
    card_correction: str | None = None  # JSON: per-channel gains in linear light
    card_residual_delta_e: float | None = None
    card_problem: str | None = None
    mm_per_px: float | None = None  # of the stored photo, at the card
    spot_area_mm2: float | None = None
    light: str | None = None  # JSON: lighting probes
    alignment: str | None = None  # 'baseline', 'aligned' or 'not aligned'
    alignment_problem: str | None = None
    registration: str | None = None  # JSON, see photometry.alignment.Registration
    aligned_to: int | None = None
    region_covered: bool | None = None
    # Saved, but its card, alignment and measurements are still being done in the
    # background (store.photos.later): none of the above is known yet.
    measuring: bool = False

    @property
    def is_calibrated(self) -> bool:
        """Colour made comparable between days: by the reference card or against
        the untreated patch (photos measured before calibration was recorded:
        by the patch alone)."""
        if self.calibration is None:
            return self.delta_a_star is not None
        return self.calibration in ("card", "reference")

    @property
    def day_label(self) -> str:
        return day_label(self.days_since_treatment)


@dataclass(frozen=True)
class Share:
    """A file exported for someone: on `day`, of `kind`, for `recipient` ("" = not said),
    holding `included` (in words), with the SHA-256 of its bytes."""

    id: int
    day: dt.date
    kind: ShareKind
    recipient: str
    included: str
    sha256: str
    version: str = field(default="", compare=False)


@dataclass(frozen=True)
class ProductUse:
    """A product put on the treated skin, or a medicine started, after treatment, from `day`."""

    id: int
    day: dt.date
    kind: ProductKind
    name: str
    notes: str = ""
    version: str = field(default="", compare=False)

    @property
    def is_medicine(self) -> bool:
        return self.kind.is_medicine


@dataclass(frozen=True)
class FlagResponse:
    """What the patient did about one card (recovery.cards.Card.key names it)."""

    card_key: str
    action: FlagAction
    note: str = ""
    day: dt.date | None = None  # when the patient recorded it
    version: str = field(default="", compare=False)


@dataclass(frozen=True)
class JournalSnapshot:
    """Everything in the journal at one moment, as of `today`."""

    today: dt.date
    profile: Profile = Profile()
    treatments: tuple[Treatment, ...] = ()
    entries: tuple[Entry, ...] = ()  # by day, then area
    photos: tuple[Photo, ...] = ()  # by day, then area, then id
    products: tuple[ProductUse, ...] = ()  # by day, then id
    responses: tuple[FlagResponse, ...] = ()
    shares: tuple[Share, ...] = ()  # by day, then id
    is_demo: bool = False
    # Changes whenever anything in the journal changes (see store.snapshot), except
    # the record of shares: recording one does not make an export out of date.
    revision: str = ""

    @property
    def calendar(self) -> TreatmentCalendar:
        return TreatmentCalendar(self.treatments)

    @property
    def is_empty(self) -> bool:
        return not (self.treatments or self.entries or self.photos)

    def entries_of(self, area: Area | str) -> tuple[Entry, ...]:
        return tuple(entry for entry in self.entries if entry.area == area)

    def entry(self, day: dt.date, area: Area | str) -> Entry | None:
        return next((e for e in self.entries if e.day == day and e.area == area), None)

    def photos_of(self, area: Area | str | None = None, entry_id: int | None = None) -> tuple[Photo, ...]:
        return tuple(
            photo
            for photo in self.photos
            if (area is None or photo.area == area) and (entry_id is None or photo.entry_id == entry_id)
        )

    def treatments_of(self, area: Area | str) -> tuple[Treatment, ...]:
        return tuple(treatment for treatment in self.treatments if area in treatment.areas)

    def treated_areas(self) -> tuple[Area, ...]:
        """Areas with a treatment, most recently treated first."""
        seen: list[Area] = []
        for treatment in reversed(self.treatments):
            seen += [area for area in treatment.areas if area not in seen]
        return tuple(seen)

    def logged_days(self, area: Area | str | None = None) -> set[dt.date]:
        return {entry.day for entry in self.entries if area is None or entry.area == area}

    def narrowed(
        self, area: Area | str | None = None, start: dt.date | None = None, end: dt.date | None = None
    ) -> JournalSnapshot:
        """The same journal limited to one area and a date range (both ends
        included). Treatments of the area stay when a kept day belongs to them
        or they fall in the range."""

        def kept(day: dt.date, where: Area | str) -> bool:
            return (area is None or where == area) and within(day, start, end)

        entries = tuple(e for e in self.entries if kept(e.day, e.area))
        used = {e.treatment_id for e in entries}
        treatments = tuple(
            t
            for t in self.treatments
            if (area is None or area in t.areas) and (t.id in used or within(t.day, start, end))
        )
        photos = tuple(p for p in self.photos if kept(p.day, p.area))
        products = tuple(p for p in self.products if within(p.day, start, end))
        return replace(self, treatments=treatments, entries=entries, photos=photos, products=products)

    def response(self, card_key: str) -> FlagResponse | None:
        return next((r for r in self.responses if r.card_key == card_key), None)

    def products_between(self, first: dt.date, last: dt.date) -> tuple[ProductUse, ...]:
        return tuple(p for p in self.products if first <= p.day <= last)


def within(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def place_entries(entries: Iterable[Entry], treatments: Iterable[Treatment]) -> tuple[Entry, ...]:
    """The entries with each day placed in its area's treatment course."""
    calendar = TreatmentCalendar(treatments)
    return tuple(replace(entry, placement=calendar.place(entry.day, entry.area)) for entry in entries)
