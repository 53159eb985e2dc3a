"""Flag rules: what in the journal persists, worsens or needs a professional.

Every rule is a row of `RULES` (id, severity, source, reason, advice). The
checks below only decide *when* a rule applies; what the patient reads and why
comes from the table. Each treatment course of each area is judged on its own,
counting days from its own treatment, and a rule raises at most one flag per
sign, area and course, dated the first day it applied.

Messages describe what was logged and what usually happens; they never name a
diagnosis, because the app cannot make one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from recovery.course import Thresholds, expected_band
from recovery.model import Entry, JournalSnapshot, Profile, Treatment
from recovery.risk import RiskFactor, RiskKey, is_higher_risk, risk_factors
from recovery.vocabulary import (
    WARNING_SIGNS,
    Area,
    Question,
    Severity,
    Sign,
    descriptor,
)


class RuleId(StrEnum):
    PERSIST_WATCH = "persist_watch"
    PERSIST_CONTACT = "persist_contact"
    WORSENING = "worsening"
    SPOT_NEW = "spot_new"
    SPOT_PERSIST = "spot_persist"
    SPOT_DARKER = "spot_darker"
    AFTERCARE_SUN = "aftercare_sun"
    GAP = "gap"
    WARNING = "warning"
    MEASURED_DISAGREES = "measured_redness_disagrees"


@dataclass(frozen=True)
class Flag:
    rule_id: RuleId
    severity: Severity
    sign: Sign | None
    area: Area
    first_day: dt.date
    days_since_treatment: int | None
    message: str
    advice: str
    source: str
    treatment_id: int | None
    # The warning sign behind a RuleId.WARNING flag.
    question: str | None = None


@dataclass(frozen=True)
class Rule:
    rule_id: RuleId
    severity: Severity
    source: str
    reason: str
    advice: str
    # Raised severity for patients with a risk factor, where the rule says so.
    severity_if_higher_risk: Severity | None = None


_WATCH_ADVICE = (
    "Keep logging every day and keep up gentle aftercare. If it does "
    "not ease over the next days, or gets worse, contact your practitioner."
)
_CONTACT_ADVICE = "Please contact your practitioner and show them this journal, so they can take a look."
_URGENT_ADVICE = "Contact your practitioner now. If you cannot reach them, or you feel unwell, seek medical care today."
_RISK_CALL_ADVICE = (
    "Your skin type or history makes dark spots more likely, so also let your "
    "practitioner know, who may suggest extra protection."
)
_SUN_ADVICE = (
    "Protect the area from the sun: a broad-spectrum sunscreen of SPF 30 "
    "or higher, and shade. Most spots after treatment are temporary."
)

_SEED_SEEK_HELP = "Seed document, 'When to Seek Medical Attention'"
_SEED_SPOTS = "Seed document, 'Preventive Measures and Treatment'"
_SEED_RISK = "Seed document, 'Risk Factors for Developing Spots'"
_WARNINGS_SOURCE = f"{_SEED_SEEK_HELP}; warning signs from the literature collected in the clinical notes"

# What a ticked warning sign may point to, in words that stay short of a diagnosis.
WARNING_HINTS: dict[str, str] = {
    "pus": "Pus or a yellow crust can be a sign of infection.",
    "spreading_redness": "Redness that spreads or keeps increasing can be a sign of infection.",
    "warmth": "Warmth of the treated skin can be a sign of infection.",
    "increasing_pain": "Pain that gets worse instead of better is not part of normal healing.",
    "fever": "Fever or feeling unwell after treatment can be a sign of infection.",
    "blisters": "Blisters or cold sores in the first days can be a cold-sore flare-up.",
    "itchy_bumps": "New red, itchy bumps can be a reaction to a product applied during or after treatment.",
}

RULES: dict[RuleId, Rule] = {
    rule.rule_id: rule
    for rule in (
        Rule(
            RuleId.PERSIST_WATCH,
            Severity.WATCH,
            "The expected course (see each band)",
            "A sign is stronger than usual at this point of healing.",
            _WATCH_ADVICE,
        ),
        Rule(
            RuleId.PERSIST_CONTACT,
            Severity.CONTACT,
            "The expected course (see each band)",
            "A sign is still there when it is expected to be gone.",
            _CONTACT_ADVICE,
        ),
        Rule(
            RuleId.WORSENING,
            Severity.CONTACT,
            f"{_SEED_SEEK_HELP} (increased redness)",
            "Healing skin calms down day by day; a sign that grows again after "
            "the second day is worth showing to a professional.",
            _CONTACT_ADVICE,
        ),
        Rule(
            RuleId.SPOT_NEW,
            Severity.WATCH,
            f"Seed document, 'Causes of Spots After Microneedling'; {_SEED_RISK}",
            "Spots are not expected, though most are temporary and fade.",
            _SUN_ADVICE,
        ),
        Rule(
            RuleId.SPOT_PERSIST,
            Severity.CONTACT,
            f"{_SEED_SPOTS}; {_SEED_SEEK_HELP} (persistent spots)",
            "Spots that last should be seen by a dermatologist: early treatment works best.",
            "Please book a visit with a dermatologist and bring this journal. " + _SUN_ADVICE,
        ),
        Rule(
            RuleId.SPOT_DARKER,
            Severity.CONTACT,
            f"{_SEED_SPOTS}; {_SEED_SEEK_HELP} (persistent spots)",
            "Spots that grow darker or more numerous should be seen early.",
            "Please book a visit with a dermatologist and bring this journal. " + _SUN_ADVICE,
        ),
        Rule(
            RuleId.AFTERCARE_SUN,
            Severity.WATCH,
            f"{_SEED_RISK} (aftercare); {_SEED_SPOTS} (SPF 30)",
            "Sun on freshly treated skin raises the chance of dark spots.",
            _SUN_ADVICE + " Keep this up for at least the first week.",
            severity_if_higher_risk=Severity.CONTACT,
        ),
        Rule(
            RuleId.GAP,
            Severity.INFO,
            "Healing Journal: day-by-day logging in the first two weeks",
            "Daily entries in the first two weeks make changes easy to spot.",
            "When you can, add today's entry. Filling in missed days from memory is fine.",
        ),
        Rule(
            RuleId.WARNING,
            Severity.URGENT,
            _WARNINGS_SOURCE,
            "This is a warning sign after treatment.",
            _URGENT_ADVICE,
        ),
    )
}

# A rating above its band raises the rule of the band's own severity.
PERSIST_RULE: dict[Severity, RuleId] = {
    Severity.WATCH: RuleId.PERSIST_WATCH,
    Severity.CONTACT: RuleId.PERSIST_CONTACT,
}

# Rise checks start on day 3: up to day 2 the reaction may still be peaking.
WORSENING_FROM_DAY = 3
# Only redness and swelling are judged for a rise: bleeding that returns is a
# persisting sign already, dryness normally starts on day 2-3, and spots have
# their own "getting darker" rule.
WORSENING_SIGNS: tuple[Sign, ...] = (Sign.REDNESS, Sign.SWELLING)
# Spots are judged by the spot rules, not by the band excess.
PERSIST_SIGNS: tuple[Sign, ...] = (Sign.REDNESS, Sign.SWELLING, Sign.BLEEDING, Sign.DRYNESS)
# The signs a flag of each rule is about, for deciding when it has eased.
SIGN_RULES: frozenset[RuleId] = frozenset({RuleId.PERSIST_WATCH, RuleId.PERSIST_CONTACT, RuleId.WORSENING})
SPOT_RULES: frozenset[RuleId] = frozenset({RuleId.SPOT_NEW, RuleId.SPOT_PERSIST, RuleId.SPOT_DARKER})


@dataclass(frozen=True)
class _Course:
    area: Area
    treatment_id: int
    entries: tuple[Entry, ...]  # sorted by day, all on or after day 0


@dataclass(frozen=True)
class _Context:
    thresholds: Thresholds
    profile: Profile
    today: dt.date
    higher_risk: bool
    # Risk apart from the sun lapse itself, so a lapse is not judged by itself.
    higher_risk_besides_sun: bool = False


def _make(
    rule: Rule,
    entry: Entry,
    sign: Sign | None,
    message: str,
    *,
    severity: Severity | None = None,
    source: str | None = None,
    advice: str | None = None,
    question: str | None = None,
) -> Flag:
    return Flag(
        rule.rule_id,
        severity or rule.severity,
        sign,
        entry.area,
        entry.day,
        entry.days_since_treatment,
        message,
        advice or rule.advice,
        source or rule.source,
        entry.treatment_id,
        question,
    )


# --- Checks on one course ---------------------------------------------------------


def _persisting(course: _Course, ctx: _Context) -> Iterator[Flag]:
    for entry in course.entries:
        day = entry.days_since_treatment or 0
        for sign in PERSIST_SIGNS:
            rating = entry.rating(sign)
            band = expected_band(sign, day)
            if rating is None or rating <= band.max_rating:
                continue
            usual = f"'{descriptor(sign, band.max_rating)}'"
            usual = f"up to {usual}" if band.max_rating else usual
            message = (
                f"{sign.label} on day {day} was logged as "
                f"'{descriptor(sign, rating)}', where {usual} is usual. {band.reason}"
            )
            rule = RULES[PERSIST_RULE[band.if_exceeded]]
            yield _make(rule, entry, sign, message, source=band.source)


def _worsening(course: _Course, ctx: _Context) -> Iterator[Flag]:
    for sign in WORSENING_SIGNS:
        earlier: list[int] = []
        for entry in course.entries:
            rating = entry.rating(sign)
            if rating is None:
                continue
            day = entry.days_since_treatment or 0
            rose = bool(earlier) and rating > earlier[-1]
            returned = rating > 0 and 0 in earlier
            if day >= WORSENING_FROM_DAY and (rose or returned):
                what = "came back after it had cleared" if returned and not rose else "increased"
                message = (
                    f"{sign.label} {what} on day {day}. This can happen with an "
                    "infection or a reaction to a product, so it is worth a check."
                )
                yield _make(RULES[RuleId.WORSENING], entry, sign, message)
            earlier.append(rating)


def _spots(course: _Course, ctx: _Context) -> Iterator[Flag]:
    consult_days = ctx.thresholds.spot_days(ctx.higher_risk)
    previous: int | None = None
    since: dt.date | None = None  # first day of the current run of spot days
    for entry in course.entries:
        rating = entry.rating(Sign.SPOTS)
        if rating is None:
            continue  # not rated: neither continues nor ends a run
        if rating >= 1:
            since = since or entry.day
            yield _make(
                RULES[RuleId.SPOT_NEW],
                entry,
                Sign.SPOTS,
                f"New spots were logged on day {entry.days_since_treatment}.",
            )
            lasted = (entry.day - since).days
            if lasted >= consult_days:
                yield _make(RULES[RuleId.SPOT_PERSIST], entry, Sign.SPOTS, f"Spots have been there for {lasted} days.")
            if previous is not None and previous >= 1 and rating > previous:
                yield _make(
                    RULES[RuleId.SPOT_DARKER],
                    entry,
                    Sign.SPOTS,
                    "Spots were logged as darker or more numerous than the day before.",
                )
        else:
            since = None
        previous = rating


def _missed_sun(course: _Course, ctx: _Context) -> Iterator[Flag]:
    rule = RULES[RuleId.AFTERCARE_SUN]
    raised = ctx.higher_risk_besides_sun and rule.severity_if_higher_risk is not None
    severity = rule.severity_if_higher_risk if raised else rule.severity
    # The raised severity asks for a call, so the advice must say so too.
    advice = rule.advice + (" " + _RISK_CALL_ADVICE if raised else "")
    for entry in course.entries:
        day = entry.days_since_treatment or 0
        if day > ctx.thresholds.aftercare_window_days:
            break
        if entry.answer("sunscreen") is False or entry.answer("sun_avoided") is False:
            message = (
                f"On day {day} the treated skin went without full sun protection, in the week when it matters most."
            )
            yield _make(rule, entry, None, message, severity=severity, advice=advice)


COURSE_CHECKS = (_persisting, _worsening, _spots, _missed_sun)


# --- Checks across courses ----------------------------------------------------------


def _warning_flag(entry: Entry, question: Question, ctx: _Context) -> Flag:
    rule = RULES[RuleId.WARNING]
    hint = WARNING_HINTS.get(question.key, rule.reason)
    message = f"You ticked: {question.label}. {hint}"
    if question.key == "blisters" and ctx.profile.cold_sores:
        message += " Your profile notes earlier cold sores, so mention that too."
    return _make(rule, entry, None, message, question=question.key)


def _warnings(entries: Iterable[Entry], ctx: _Context) -> Iterator[Flag]:
    # Warning signs count at any time, even before or without a treatment.
    for entry in entries:
        for question in WARNING_SIGNS:
            if entry.answer(question.key):
                yield _warning_flag(entry, question, ctx)


@dataclass(frozen=True)
class CourseSpan:
    """One treatment course of one area: from its treatment day to `last`."""

    area: Area
    treatment_id: int
    start: dt.date
    last: dt.date


def course_spans(treatments: Sequence[Treatment], today: dt.date, window: int) -> Iterator[CourseSpan]:
    """Each course of each area, up to `window` days long, ending before the next
    treatment of the area and never after today."""
    by_area: dict[Area, list[tuple[dt.date, int]]] = {}
    for treatment in treatments:
        for area in treatment.areas:
            by_area.setdefault(area, []).append((treatment.day, treatment.id))
    for area, days in by_area.items():
        days.sort()
        for index, (start, treatment_id) in enumerate(days):
            last = min(start + dt.timedelta(days=window), today)
            if index + 1 < len(days):  # the next treatment starts a new course
                last = min(last, days[index + 1][0] - dt.timedelta(days=1))
            yield CourseSpan(area, treatment_id, start, last)


def _gaps(entries: Sequence[Entry], treatments: Sequence[Treatment], ctx: _Context) -> Iterator[Flag]:
    logged = {(e.area, e.day) for e in entries}
    for span in course_spans(treatments, ctx.today, ctx.thresholds.gap_window_days):
        run: list[dt.date] = []
        for offset in range((span.last - span.start).days + 2):  # one past the end closes a run
            day = span.start + dt.timedelta(days=offset)
            if day <= span.last and (span.area, day) not in logged:
                run.append(day)
                continue
            if len(run) >= ctx.thresholds.gap_days:
                rule = RULES[RuleId.GAP]
                yield Flag(
                    rule.rule_id,
                    rule.severity,
                    None,
                    span.area,
                    run[0],
                    (run[0] - span.start).days,
                    f"No entries for {len(run)} days in a row from {run[0]:%d %b}.",
                    rule.advice,
                    rule.source,
                    span.treatment_id,
                )
            run = []


# --- Putting it together ------------------------------------------------------------


def _courses(entries: Iterable[Entry]) -> list[_Course]:
    grouped: dict[tuple[Area, int], list[Entry]] = {}
    for entry in entries:
        if entry.in_course and entry.treatment_id is not None:  # before any treatment nothing is judged
            grouped.setdefault((entry.area, entry.treatment_id), []).append(entry)
    return [_Course(area, tid, tuple(sorted(group, key=lambda e: e.day))) for (area, tid), group in grouped.items()]


def _first_per_key(flags: Iterable[Flag]) -> list[Flag]:
    # One flag per rule, sign (or warning sign), area and course: the earliest day it applied.
    first: dict[tuple[object, ...], Flag] = {}
    for flag in flags:
        key = (flag.rule_id, flag.sign, flag.question, flag.area, flag.treatment_id)
        if key not in first or flag.first_day < first[key].first_day:
            first[key] = flag
    return list(first.values())


def sort_key(flag: Flag) -> tuple[object, ...]:
    """Most serious first, then oldest."""
    return (-flag.severity.rank, flag.first_day, flag.area, flag.rule_id, flag.sign or "", flag.question or "")


def evaluate(
    snapshot: JournalSnapshot, thresholds: Thresholds = Thresholds(), factors: Sequence[RiskFactor] | None = None
) -> list[Flag]:
    """All flags for the journal as of its `today`, most serious first, then oldest.

    `factors` are the patient's risk factors when the caller has them already."""
    today = snapshot.today
    entries = [e for e in snapshot.entries if e.day <= today]  # future days cannot be judged
    if factors is None:
        factors = risk_factors(snapshot.profile, snapshot.treatments, entries, thresholds)
    ctx = _Context(
        thresholds,
        snapshot.profile,
        today,
        is_higher_risk(factors),
        is_higher_risk(f for f in factors if f.key != RiskKey.SUN_LAPSE),
    )
    found: list[Flag] = list(_warnings(entries, ctx))
    found += _gaps(entries, snapshot.treatments, ctx)
    for course in _courses(entries):
        for check in COURSE_CHECKS:
            found += check(course, ctx)
    return sorted(_first_per_key(found), key=sort_key)


def status_for(flags: Iterable[Flag], area: Area | str) -> Severity | None:
    """The most serious severity among one area's flags, or None without any."""
    return max((f.severity for f in flags if f.area == area), key=lambda s: s.rank, default=None)
