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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from recovery.course import Thresholds, expected_band
from recovery.risk import SUN_LAPSE, is_higher_risk, risk_factors
from recovery.vocabulary import SIGN_LABELS, WARNING_SIGNS, descriptor

SEVERITIES: tuple[str, ...] = ("info", "watch", "contact", "urgent")

STATUS_WORDS: dict[str, str] = {
    "ok": "On track",
    "info": "On track",
    "watch": "Keep an eye on it",
    "contact": "Contact your practitioner",
    "urgent": "Seek medical advice now",
}


# How each severity is named wherever the patient reads it (cards, chart legend).
SEVERITY_WORDS: dict[str, str] = {
    "info": "Note",
    "watch": "Keep an eye on it",
    "contact": "Contact your practitioner",
    "urgent": "Seek medical advice now",
}


def severity_rank(severity: str) -> int:
    """Position in SEVERITIES; "ok" (no flag at all) ranks below "info"."""
    return -1 if severity == "ok" else SEVERITIES.index(severity)


@dataclass(frozen=True)
class Flag:
    rule_id: str
    severity: str
    sign: str | None
    area: str
    first_day: dt.date
    days_since_treatment: int | None
    message: str
    advice: str
    source: str
    treatment_id: int | None


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: str
    source: str
    reason: str
    advice: str
    # Raised severity for patients with a risk factor, where the rule says so.
    severity_if_higher_risk: str | None = None


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
_WARNING_HINTS: dict[str, str] = {
    "pus": "Pus or a yellow crust can be a sign of infection.",
    "spreading_redness": "Redness that spreads or keeps increasing can be a sign of infection.",
    "warmth": "Warmth of the treated skin can be a sign of infection.",
    "increasing_pain": "Pain that gets worse instead of better is not part of normal healing.",
    "fever": "Fever or feeling unwell after treatment can be a sign of infection.",
    "blisters": "Blisters or cold sores in the first days can be a cold-sore flare-up.",
    "itchy_bumps": ("New red, itchy bumps can be a reaction to a product applied during or after treatment."),
}

RULES: dict[str, Rule] = {
    rule.rule_id: rule
    for rule in (
        Rule(
            "persist_watch",
            "watch",
            "The expected course (see each band)",
            "A sign is stronger than usual at this point of healing.",
            _WATCH_ADVICE,
        ),
        Rule(
            "persist_contact",
            "contact",
            "The expected course (see each band)",
            "A sign is still there when it is expected to be gone.",
            _CONTACT_ADVICE,
        ),
        Rule(
            "worsening",
            "contact",
            f"{_SEED_SEEK_HELP} (increased redness)",
            "Healing skin calms down day by day; a sign that grows again after "
            "the second day is worth showing to a professional.",
            _CONTACT_ADVICE,
        ),
        Rule(
            "spot_new",
            "watch",
            f"Seed document, 'Causes of Spots After Microneedling'; {_SEED_RISK}",
            "Spots are not expected, though most are temporary and fade.",
            _SUN_ADVICE,
        ),
        Rule(
            "spot_persist",
            "contact",
            f"{_SEED_SPOTS}; {_SEED_SEEK_HELP} (persistent spots)",
            "Spots that last should be seen by a dermatologist: early treatment works best.",
            "Please book a visit with a dermatologist and bring this journal. " + _SUN_ADVICE,
        ),
        Rule(
            "spot_darker",
            "contact",
            f"{_SEED_SPOTS}; {_SEED_SEEK_HELP} (persistent spots)",
            "Spots that grow darker or more numerous should be seen early.",
            "Please book a visit with a dermatologist and bring this journal. " + _SUN_ADVICE,
        ),
        Rule(
            "aftercare_sun",
            "watch",
            f"{_SEED_RISK} (aftercare); {_SEED_SPOTS} (SPF 30)",
            "Sun on freshly treated skin raises the chance of dark spots.",
            _SUN_ADVICE + " Keep this up for at least the first week.",
            severity_if_higher_risk="contact",
        ),
        Rule(
            "gap",
            "info",
            "Healing Journal: day-by-day logging in the first two weeks",
            "Daily entries in the first two weeks make changes easy to spot.",
            "When you can, add today's entry. Filling in missed days from memory is fine.",
        ),
        *(
            Rule(
                f"warning_{check.key}",
                "urgent",
                _WARNINGS_SOURCE,
                _WARNING_HINTS.get(check.key, "This is a warning sign after treatment."),
                _URGENT_ADVICE,
            )
            for check in WARNING_SIGNS
        ),
    )
}

# Rise checks start on day 3: up to day 2 the reaction may still be peaking.
WORSENING_FROM_DAY = 3
# Only redness and swelling are judged for a rise: bleeding that returns is a
# persisting sign already, dryness normally starts on day 2-3, and spots have
# their own "getting darker" rule.
WORSENING_SIGNS: tuple[str, ...] = ("redness", "swelling")
# Spots are judged by the spot rules, not by the band excess.
PERSIST_SIGNS: tuple[str, ...] = ("redness", "swelling", "bleeding", "dryness")


@dataclass(frozen=True)
class _Course:
    area: str
    treatment_id: int
    entries: tuple[Mapping, ...]  # sorted by day, all on or after day 0


@dataclass(frozen=True)
class _Context:
    thresholds: Thresholds
    profile: Mapping
    today: dt.date
    higher_risk: bool
    # Risk apart from the sun lapse itself, so a lapse is not judged by itself.
    higher_risk_besides_sun: bool = False


def _make(
    rule: Rule,
    entry: Mapping,
    sign: str | None,
    message: str,
    severity: str | None = None,
    source: str | None = None,
    advice: str | None = None,
) -> Flag:
    return Flag(
        rule.rule_id,
        severity or rule.severity,
        sign,
        entry["area"],
        entry["day"],
        entry.get("days_since_treatment"),
        message,
        advice or rule.advice,
        source or rule.source,
        entry.get("treatment_id"),
    )


def _label(sign: str) -> str:
    return SIGN_LABELS[sign]


# --- Checks on one course ---------------------------------------------------------


def _persisting(course: _Course, ctx: _Context) -> Iterator[Flag]:
    for entry in course.entries:
        day = entry["days_since_treatment"]
        for sign in PERSIST_SIGNS:
            rating = entry.get(sign)
            band = expected_band(sign, day)
            if rating is None or rating <= band.max_rating:
                continue
            usual = f"'{descriptor(sign, band.max_rating)}'"
            usual = f"up to {usual}" if band.max_rating else usual
            message = (
                f"{_label(sign)} on day {day} was logged as "
                f"'{descriptor(sign, rating)}', where {usual} is usual. {band.reason}"
            )
            rule = RULES[f"persist_{band.if_exceeded}"]
            yield _make(rule, entry, sign, message, source=band.source)


def _worsening(course: _Course, ctx: _Context) -> Iterator[Flag]:
    for sign in WORSENING_SIGNS:
        earlier: list[int] = []
        for entry in course.entries:
            rating = entry.get(sign)
            if rating is None:
                continue
            day = entry["days_since_treatment"]
            rose = bool(earlier) and rating > earlier[-1]
            returned = rating > 0 and 0 in earlier
            if day >= WORSENING_FROM_DAY and (rose or returned):
                what = "came back after it had cleared" if returned and not rose else "increased"
                message = (
                    f"{_label(sign)} {what} on day {day}. This can happen with an "
                    "infection or a reaction to a product, so it is worth a check."
                )
                yield _make(RULES["worsening"], entry, sign, message)
            earlier.append(rating)


def _spots(course: _Course, ctx: _Context) -> Iterator[Flag]:
    consult_days = ctx.thresholds.spot_days(ctx.higher_risk)
    previous: int | None = None
    since: dt.date | None = None  # first day of the current run of spot days
    for entry in course.entries:
        rating = entry.get("spots")
        if rating is None:
            continue  # not rated: neither continues nor ends a run
        if rating >= 1:
            since = since or entry["day"]
            yield _make(
                RULES["spot_new"], entry, "spots", f"New spots were logged on day {entry['days_since_treatment']}."
            )
            lasted = (entry["day"] - since).days
            if lasted >= consult_days:
                yield _make(RULES["spot_persist"], entry, "spots", f"Spots have been there for {lasted} days.")
            if previous is not None and previous >= 1 and rating > previous:
                yield _make(
                    RULES["spot_darker"],
                    entry,
                    "spots",
                    "Spots were logged as darker or more numerous than the day before.",
                )
        else:
            since = None
        previous = rating


def _missed_sun(course: _Course, ctx: _Context) -> Iterator[Flag]:
    rule = RULES["aftercare_sun"]
    severity = rule.severity_if_higher_risk if ctx.higher_risk_besides_sun else rule.severity
    # The raised severity asks for a call, so the advice must say so too.
    advice = rule.advice + (" " + _RISK_CALL_ADVICE if severity != rule.severity else "")
    for entry in course.entries:
        day = entry["days_since_treatment"]
        if day > ctx.thresholds.aftercare_window_days:
            break
        if entry.get("sunscreen") == 0 or entry.get("sun_avoided") == 0:
            message = (
                f"On day {day} the treated skin went without full sun protection, in the week when it matters most."
            )
            yield _make(rule, entry, None, message, severity=severity, advice=advice)


COURSE_CHECKS = (_persisting, _worsening, _spots, _missed_sun)


# --- Checks across courses ----------------------------------------------------------


def _warnings(entries: Iterable[Mapping], ctx: _Context) -> Iterator[Flag]:
    # Warning signs count at any time, even before or without a treatment.
    for entry in entries:
        for check in WARNING_SIGNS:
            if entry.get(check.key) != 1:
                continue
            rule = RULES[f"warning_{check.key}"]
            message = f"You ticked: {check.label}. {rule.reason}"
            if check.key == "blisters" and ctx.profile.get("cold_sores"):
                message += " Your profile notes earlier cold sores, so mention that too."
            yield _make(rule, entry, None, message)


def _course_spans(treatments: list[dict], today: dt.date, window: int) -> Iterator[tuple[str, int, dt.date, dt.date]]:
    """(area, treatment id, first, last day) of each course's gap window."""
    by_area: dict[str, list[tuple[dt.date, int]]] = {}
    for treatment in treatments:
        for area in treatment["areas"]:
            by_area.setdefault(area, []).append((treatment["day"], treatment["id"]))
    for area, days in by_area.items():
        days.sort()
        for index, (start, treatment_id) in enumerate(days):
            last = min(start + dt.timedelta(days=window), today)
            if index + 1 < len(days):  # the next treatment starts a new course
                last = min(last, days[index + 1][0] - dt.timedelta(days=1))
            yield area, treatment_id, start, last


def _gaps(entries: list[Mapping], treatments: list[dict], ctx: _Context) -> Iterator[Flag]:
    logged = {(e["area"], e["day"]) for e in entries}
    spans = _course_spans(treatments, ctx.today, ctx.thresholds.gap_window_days)
    for area, treatment_id, start, last in spans:
        run: list[dt.date] = []
        for offset in range((last - start).days + 2):  # one past the end closes a run
            day = start + dt.timedelta(days=offset)
            if day <= last and (area, day) not in logged:
                run.append(day)
                continue
            if len(run) >= ctx.thresholds.gap_days:
                stub = {
                    "area": area,
                    "day": run[0],
                    "treatment_id": treatment_id,
                    "days_since_treatment": (run[0] - start).days,
                }
                yield _make(RULES["gap"], stub, None, f"No entries for {len(run)} days in a row from {run[0]:%d %b}.")
            run = []


# --- Putting it together ------------------------------------------------------------


def _courses(entries: Iterable[Mapping]) -> list[_Course]:
    grouped: dict[tuple[str, int], list[Mapping]] = {}
    for entry in entries:
        days = entry.get("days_since_treatment")
        if entry.get("treatment_id") is None or days is None or days < 0:
            continue  # before any treatment nothing is expected or judged
        grouped.setdefault((entry["area"], entry["treatment_id"]), []).append(entry)
    return [_Course(area, tid, tuple(sorted(group, key=lambda e: e["day"]))) for (area, tid), group in grouped.items()]


def _first_per_key(flags: Iterable[Flag]) -> list[Flag]:
    # One flag per rule, sign, area and course: the earliest day it applied.
    first: dict[tuple, Flag] = {}
    for flag in flags:
        key = (flag.rule_id, flag.sign, flag.area, flag.treatment_id)
        if key not in first or flag.first_day < first[key].first_day:
            first[key] = flag
    return list(first.values())


def _sort_key(flag: Flag) -> tuple:
    return (-severity_rank(flag.severity), flag.first_day, flag.area, flag.rule_id, flag.sign or "")


def evaluate(
    entries: list[dict], profile: dict, treatments: list[dict], today: dt.date, thresholds: Thresholds = Thresholds()
) -> list[Flag]:
    """All flags for the journal as of `today`, most serious first, then oldest."""
    entries = [e for e in entries if e["day"] <= today]  # future days cannot be judged
    factors = risk_factors(profile, treatments, entries, thresholds)
    ctx = _Context(
        thresholds, profile, today, is_higher_risk(factors), is_higher_risk(f for f in factors if f.key != SUN_LAPSE)
    )
    found: list[Flag] = list(_warnings(entries, ctx))
    found += _gaps(entries, treatments, ctx)
    for course in _courses(entries):
        for check in COURSE_CHECKS:
            found += check(course, ctx)
    return sorted(_first_per_key(found), key=_sort_key)


def status_for(flags: Iterable[Flag], area: str) -> str:
    """The most serious severity among one area's flags, or "ok" without any."""
    return max((f.severity for f in flags if f.area == area), key=severity_rank, default="ok")


def area_status(flags: Iterable[Flag], area: str) -> str:
    """The kind words shown for one area, e.g. "Keep an eye on it"."""
    return STATUS_WORDS[status_for(flags, area)]
