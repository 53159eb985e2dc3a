"""Flag rules: what in the journal persists, worsens or needs a professional.

Every rule is a row of `RULES` (id, severity, source, plain reason, advice).
The checks below only decide *when* a rule applies and how serious it is; what
the patient reads and why comes from the table. Each treatment course of each
area is judged against its own session's depth and the patient's own baseline
(the skin before treatment); spots are judged across sessions, because a mark
does not care that a new session began.

Safety first: where a missed warning and a false alarm are in doubt, the rules
raise the warning. Messages describe what was logged and what usually happens;
they never name a diagnosis, because the app cannot make one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from recovery import flag_words as words
from recovery.course import Thresholds, excess, expected_band, expected_max, lingering_pink
from recovery.emergency_numbers import GENERAL, EmergencyCalls, emergency_calls
from recovery.flag_words import WARNING_HINTS, WORSENING_HINTS, NamedProduct
from recovery.language import N_, _, day_month, full_date, ngettext
from recovery.model import Entry, JournalSnapshot, ProductUse, Profile, Treatment
from recovery.risk import RiskFactor, is_higher_risk, risk_factors, spot_risk_reasons, sun_exposed
from recovery.usual_skin import UsualSkin, baseline_of, baselines
from recovery.vocabulary import (
    EMERGENCY_SIGNS,
    HELPER_OF,
    TIER_OF,
    WARNING_SIGNS,
    Area,
    Depth,
    Helper,
    ProductKind,
    Question,
    Severity,
    Sign,
    Tier,
    descriptor,
)


class RuleId(StrEnum):
    PERSIST = "persist"
    WORSENING = "worsening"
    SPOT_NEW = "spot_new"
    SPOT_PERSIST = "spot_persist"
    SPOT_DARKER = "spot_darker"
    AFTERCARE_SUN = "aftercare_sun"
    ACTIVES = "actives"
    MAKEUP = "makeup"
    GAP = "gap"
    WARNING = "warning"
    EMERGENCY = "emergency"
    MEASURED_DISAGREES = "measured_redness_disagrees"
    ANTIVIRAL_BEFORE_SESSION = "antiviral_before_session"


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
    # The warning or emergency sign behind a WARNING / EMERGENCY flag.
    question: str | None = None
    # Why this matters, in plain words (the sources are in `source`).
    reason: str = ""
    # Further warning signs ticked the same day (one card per cause).
    also: tuple[str, ...] = field(default=(), compare=False)
    # Whom the advice sends the patient to, when not the tier's usual one.
    who: Helper | None = None
    # What was logged in a few words ("Redness 1/4 on D8 (expected 0)"), for the PDF's rows.
    short: str = field(default="", compare=False)

    @property
    def tier(self) -> Tier:
        return TIER_OF[self.severity]

    @property
    def helper(self) -> Helper:
        return self.who or HELPER_OF[self.tier]

    @property
    def action(self) -> str:
        """What to do in a few words, naming who can help ("See a doctor today", "Book a dermatologist")."""
        if self.severity is Severity.INFO:
            return self.severity.word
        return self.helper.action


@dataclass(frozen=True)
class Rule:
    rule_id: RuleId
    severity: Severity
    source: str
    # The English words (msgids); `reason` and `advice` give them in the current language.
    reason_text: str
    advice_text: str | tuple[str, ...]  # several sentences: a tuple of msgids
    who: Helper | None = None  # None: whom the severity's tier names

    @property
    def reason(self) -> str:
        return _(self.reason_text)

    @property
    def advice(self) -> str:
        # Urgent and emergency advice name the general list here; a flag names the country's.
        return words.advice_words(self.advice_text).format(numbers=GENERAL.words)


# What to do, for rules whose severity depends on the day's rating (urgent advice
# names the patient's emergency number: _Context.calls).
ADVICE_BY_SEVERITY: dict[Severity, str] = {
    Severity.CONTACT: words.CONTACT_ADVICE,
    Severity.URGENT: words.URGENT_ADVICE_TEXT,
}

_SEED_SEEK_HELP = "Microneedling patient guide, 'When to Seek Medical Attention'"
_SEED_SPOTS = "Microneedling patient guide, 'Preventive Measures and Treatment'"
_SEED_RISK = "Microneedling patient guide, 'Risk Factors for Developing Spots'"
_REVIEW = "Review of published studies (Nov 2026)"
_WARNINGS_SOURCE = f"{_SEED_SEEK_HELP}; {_REVIEW}"
_GRANULOMA = "Friedmann et al., Dermatol Surg 2024; Soltani-Arabshahi et al., JAMA Dermatol 2014"
_HERPES = "Vaghela et al., JCAD 2021"
_PRODUCT_REACTION = f"{_GRANULOMA}; second clinical review (Dec 2026, product reactions)"

RULES: dict[RuleId, Rule] = {
    rule.rule_id: rule
    for rule in (
        Rule(
            RuleId.PERSIST,
            Severity.WATCH,
            "The expected course (see each band)",
            N_("A sign is stronger than usual at this point of healing, for a session of this depth."),
            words.WATCH_ADVICE,
        ),
        Rule(
            RuleId.WORSENING,
            Severity.CONTACT,
            f"{_SEED_SEEK_HELP} (increased redness); {_REVIEW} (day-to-day wobble)",
            N_("Healing skin calms down day by day; a sign that grows again and stays up is worth a check."),
            words.CONTACT_ADVICE,
        ),
        Rule(
            RuleId.SPOT_NEW,
            Severity.WATCH,
            f"Microneedling patient guide, 'Causes of Spots After Microneedling'; {_SEED_RISK}",
            N_("New marks are not expected, though most are temporary and fade."),
            words.SPOT_WATCH_ADVICE,
        ),
        Rule(
            RuleId.SPOT_PERSIST,
            Severity.CONTACT,
            f"{_SEED_SPOTS}; {_SEED_SEEK_HELP} (persistent spots); {_REVIEW} (PIH in weeks 2-4)",
            N_("Marks that last should be seen by a dermatologist: early treatment works best."),
            words.DERMATOLOGIST_ADVICE,
            Helper.DERMATOLOGIST,
        ),
        Rule(
            RuleId.SPOT_DARKER,
            Severity.CONTACT,
            f"{_SEED_SPOTS}; {_SEED_SEEK_HELP} (persistent spots)",
            N_("Marks that grow darker or more numerous should be seen early."),
            words.DERMATOLOGIST_ADVICE,
            Helper.DERMATOLOGIST,
        ),
        Rule(
            RuleId.AFTERCARE_SUN,
            Severity.WATCH,
            f"{_SEED_RISK} (aftercare); {_SEED_SPOTS} (SPF 30); {_REVIEW} (no products in the first hours)",
            N_("Sun on freshly treated skin raises the chance of dark marks."),
            words.SUN_FIRST_WEEK_ADVICE,
        ),
        Rule(
            RuleId.ACTIVES,
            Severity.WATCH,
            f"{_REVIEW} (avoid actives 5-7 days); {_GRANULOMA}",
            N_(
                "Strong products on freshly treated skin, vitamin C serums above all, are the usual "
                "trigger of itchy red bumps (a granulomatous reaction)."
            ),
            words.ACTIVES_ADVICE,
        ),
        Rule(
            RuleId.MAKEUP,
            Severity.WATCH,
            f"{_REVIEW} (no make-up for 24 h)",
            N_("Make-up in the first day can irritate or infect the freshly treated skin."),
            words.MAKEUP_ADVICE,
        ),
        Rule(
            RuleId.GAP,
            Severity.INFO,
            f"Healing Journal: daily logging for two weeks, then weekly to week 6 ({_REVIEW})",
            N_(
                "Regular entries make changes easy to spot: daily while the skin heals, weekly while "
                "late marks or infections could still appear."
            ),
            words.GAP_ADVICE,
        ),
        Rule(
            RuleId.WARNING,
            Severity.URGENT,
            _WARNINGS_SOURCE,
            N_("This is a warning sign after treatment."),
            words.URGENT_ADVICE_TEXT,
        ),
        Rule(
            RuleId.EMERGENCY,
            Severity.EMERGENCY,
            f"{_REVIEW} (emergencies); {_HERPES} (herpes near the eye)",
            N_("This can be a serious allergic reaction or an infection that needs help at once."),
            words.EMERGENCY_ADVICE_TEXT,
        ),
        Rule(
            RuleId.ANTIVIRAL_BEFORE_SESSION,
            Severity.INFO,
            f"{_HERPES} (antiviral prophylaxis with a cold-sore history); second clinical review (Dec 2026)",
            N_(
                "Treatment can bring on a cold-sore flare-up in someone who gets them; a doctor can prevent "
                "many with antiviral tablets taken around the session."
            ),
            words.ANTIVIRAL_BEFORE_ANY_SESSION,  # each flag names its session (antiviral_before_session)
        ),
    )
}

# Warning signs that can be a cold-sore (herpes) flare-up: antiviral medicine works best early.
INCREASING_PAIN = "increasing_pain"  # the warning sign a climb of pain ratings counts as
HERPES_SIGNS = frozenset({"blisters", "eye"})
# Warning signs that point to a reaction to a product put on the skin.
PRODUCT_REACTION_SIGNS = frozenset({"itchy_bumps"})
# Pain that rises on this many logged days after this course day counts as increasing pain.
PAIN_CLIMB_AFTER_DAY = 3
PAIN_CLIMB_RISES = 2

# Signs expected early that become urgent later: the last course day on which
# they are still part of normal healing (at most "keep an eye on it").
EXPECTED_EARLY: dict[str, int] = {"warmth": 1, "crust": 2}
# Not an acute danger, but lasting: a call, not an alarm.
CONTACT_ALWAYS = frozenset({"track_marks"})
# Ratings that must be back within their bands before a warning of this kind closes.
RELATED_SIGNS: dict[str, tuple[Sign, ...]] = {
    "pus": (Sign.REDNESS, Sign.SWELLING, Sign.PAIN),
    "crust": (Sign.REDNESS, Sign.SWELLING, Sign.PAIN),
    "spreading_redness": (Sign.REDNESS, Sign.SWELLING),
    "warmth": (Sign.REDNESS, Sign.SWELLING, Sign.PAIN),
    "increasing_pain": (Sign.PAIN, Sign.REDNESS, Sign.SWELLING),
    "fever": (Sign.REDNESS, Sign.SWELLING, Sign.PAIN),
    "blisters": (Sign.PAIN, Sign.REDNESS),
    "itchy_bumps": (Sign.ITCH, Sign.REDNESS),
    "track_marks": (Sign.REDNESS,),
    "lips_throat": (Sign.SWELLING,),
    "breathing": (Sign.SWELLING,),
    "eye": (Sign.PAIN, Sign.SWELLING, Sign.REDNESS),
    "fever_shivering": (Sign.REDNESS, Sign.SWELLING, Sign.PAIN),
}

# A rise of a rated sign judged like the warning sign it stands for (a climb of pain).
RELATED_BY_SIGN: dict[Sign, tuple[Sign, ...]] = {Sign.PAIN: RELATED_SIGNS["increasing_pain"]}

# Rises are judged from this course day: up to then the reaction may still peak.
WORSENING_FROM_DAY: dict[Sign, int] = {Sign.REDNESS: 3, Sign.SWELLING: 3, Sign.PAIN: 2, Sign.ITCH: 3}
# A rise of this many levels at once counts even without a second day.
BIG_RISE = 2
# Judged against their bands (spots have their own rules).
PERSIST_SIGNS: tuple[Sign, ...] = (
    Sign.REDNESS,
    Sign.SWELLING,
    Sign.PAIN,
    Sign.ITCH,
    Sign.BLEEDING,
    Sign.DRYNESS,
)
# The top of the swelling scale: it spreads past the treated area.
SPREADING_SWELLING = 4
SPREADING_URGENT_AFTER_DAY = 2
# A run of spot days survives this many clear or unrated days in between.
SPOT_RUN_ALLOWS_CLEAR_DAYS = 1
# Danger signs and their flags stay open for at least `danger_open_days`.
DANGER = frozenset({Severity.URGENT, Severity.EMERGENCY})
SIGN_RULES: frozenset[RuleId] = frozenset({RuleId.PERSIST, RuleId.WORSENING})
SPOT_RULES: frozenset[RuleId] = frozenset({RuleId.SPOT_NEW, RuleId.SPOT_PERSIST, RuleId.SPOT_DARKER})


# --- One course, with what it is judged against ----------------------------------------


@dataclass(frozen=True)
class Course:
    """One treatment course of one area: its days, its session's depth, the
    patient's baseline and whether anything raises the risk of spots."""

    area: Area
    treatment: Treatment
    entries: tuple[Entry, ...]  # sorted by day, all on or after day 0
    baseline: UsualSkin
    higher_risk: bool

    @property
    def depth(self) -> Depth:
        return self.treatment.depth

    def band_excess(self, sign: Sign, entry: Entry, rating: int) -> int:
        return excess(sign, entry.days_since_treatment or 0, rating, self.depth, self.baseline.level(sign))


@dataclass(frozen=True)
class _Context:
    thresholds: Thresholds
    profile: Profile
    today: dt.date
    factors: tuple[RiskFactor, ...]
    # Products and medicines logged after treatment: a product reaction names them.
    products: tuple[ProductUse, ...] = ()
    # The emergency numbers urgent and emergency advice names (the patient's country).
    calls: EmergencyCalls = GENERAL

    def advice_for(self, severity: Severity) -> str | None:
        """The tier's advice for a severity a rating decided."""
        if severity is Severity.URGENT:
            return words.urgent_advice(self.calls)
        text = ADVICE_BY_SEVERITY.get(severity)
        return _(text) if text is not None else None


def _make(
    rule: Rule,
    entry: Entry,
    sign: Sign | None,
    message: str,
    *,
    severity: Severity | None = None,
    source: str | None = None,
    advice: str | None = None,
    reason: str | None = None,
    question: str | None = None,
    short: str = "",
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
        reason or rule.reason,
        who=rule.who,
        short=short,
    )


def _by_distance(levels_above: int, floor: Severity) -> Severity:
    """One level above what is expected: keep an eye on it; two or more: a call."""
    distance = Severity.WATCH if levels_above == 1 else Severity.CONTACT
    return max(distance, floor, key=lambda s: s.rank)


# --- Checks on one course ---------------------------------------------------------


def _persisting(course: Course, ctx: _Context) -> Iterator[Flag]:
    rule = RULES[RuleId.PERSIST]
    for entry in course.entries:
        day = entry.days_since_treatment or 0
        for sign in PERSIST_SIGNS:
            rating = entry.rating(sign)
            if rating is None:
                continue
            above = course.band_excess(sign, entry, rating)
            if not above:
                continue
            band = expected_band(sign, day, course.depth)
            usual = expected_max(sign, day, course.depth, course.baseline.level(sign))
            severity = _by_distance(above, band.floor)
            reason = _(band.reason)
            if lingering_pink(sign, day, course.treatment.needle_depth_mm, above):
                severity, reason = Severity.WATCH, _(words.LINGERING_PINK_REASON)
            if sign is Sign.SWELLING and rating >= SPREADING_SWELLING and day > SPREADING_URGENT_AFTER_DAY:
                severity = Severity.URGENT
                reason = _("Swelling that spreads past the treated area after the second day can be an infection.")
            logged = (
                _("{sign} on day {day} was logged as '{rating}', where up to '{usual}' is usual.")
                if usual
                else _("{sign} on day {day} was logged as '{rating}', where '{usual}' is usual.")
            )
            logged = logged.format(
                sign=sign.label, day=day, rating=descriptor(sign, rating), usual=descriptor(sign, usual)
            )
            message = f"{logged} {reason}"
            advice = ctx.advice_for(severity)
            short = (
                _("{rating} on D{day} (expected up to {usual})")
                if usual
                else _("{rating} on D{day} (expected {usual})")
            ).format(rating=_rating_words(sign, rating), day=day, usual=usual)
            yield _make(
                rule, entry, sign, message, severity=severity, source=band.source, advice=advice, reason=reason,
                short=short,
            )  # fmt: skip


def _rating_words(sign: Sign, rating: int) -> str:
    """ "Redness 1/4" for a rated sign, "Bleeding" for a yes/no one (the short flag rows)."""
    name = sign.label.split(" (")[0]
    return f"{name} {rating}/{sign.top}" if sign.is_rated else name


# How a sign rose: whole sentences (msgids), the sign and the day filled in.
RISE_TWO_LEVELS = N_("{sign} rose by two levels or more on day {day}.")
RISE_STAYED_UP = N_("{sign} rose and stayed up on day {day}.")


def _rises(course: Course, sign: Sign) -> Iterator[tuple[Entry, str]]:
    """Days a sign rose in a way that is more than day-to-day wobble: two levels
    at once, or a rise that holds on the next logged day. A one-step rise on one
    day, even back above the band, is wobble: that day's band check says it, as a watch."""
    rated = [(e, r) for e in course.entries if (r := e.rating(sign)) is not None]
    start = WORSENING_FROM_DAY[sign]
    for index in range(1, len(rated)):
        entry, rating = rated[index]
        previous_entry, previous = rated[index - 1]
        if (entry.days_since_treatment or 0) < start:
            continue
        if rating - previous >= BIG_RISE:
            yield entry, RISE_TWO_LEVELS
        elif index >= 2 and previous > rated[index - 2][1] and rating >= previous:
            # The rise of the day before held: two logged days up.
            if (previous_entry.days_since_treatment or 0) >= start:
                yield entry, RISE_STAYED_UP


def _pain_climbs(course: Course) -> Iterator[tuple[Entry, list[int]]]:
    """Days on which pain has risen on two logged days after day 3 since it last fell:
    the same as ticking "pain that is getting worse" (second clinical review). A day
    at the same level keeps the climb; a lower one ends it."""
    rated = [(e, r) for e in course.entries if (r := e.rating(Sign.PAIN)) is not None]
    climb: list[int] = []
    for index in range(1, len(rated)):
        entry, rating = rated[index]
        previous = rated[index - 1][1]
        if (entry.days_since_treatment or 0) <= PAIN_CLIMB_AFTER_DAY:
            continue
        if rating < previous:
            climb = []
        elif rating > previous:
            climb = (climb or [previous]) + [rating]
            if len(climb) > PAIN_CLIMB_RISES:
                yield entry, list(climb)


def _pain_climb_flag(course: Course, entry: Entry, levels: list[int], ctx: _Context) -> Flag:
    rule = RULES[RuleId.WORSENING]
    day = entry.days_since_treatment
    steps = " → ".join(str(level) for level in levels)
    message = " ".join(
        (
            _("Pain ratings rose on two logged days after day 3 ({steps}, up to day {day}).").format(
                steps=steps, day=day
            ),
            _(words.PAIN_CLIMB_HINT),
        )
    )
    redness = [e.rating(Sign.REDNESS) for e in course.entries if e.day <= entry.day]
    rated_redness = [r for r in redness if r is not None]
    if len(rated_redness) >= 2 and rated_redness[-1] > rated_redness[-2]:
        message += " " + _("Redness rose again as well.")
    return _make(
        rule, entry, Sign.PAIN, message, severity=Severity.URGENT, advice=words.urgent_advice(ctx.calls),
        reason=_(WARNING_HINTS[INCREASING_PAIN]),
        source=f"{rule.source}; second clinical review (Dec 2026, pain)",
        short=_("Pain rose {steps} (to D{day})").format(steps=steps, day=day),
    )  # fmt: skip


def _worsening(course: Course, ctx: _Context) -> Iterator[Flag]:
    rule = RULES[RuleId.WORSENING]
    climbs = {entry.day: _pain_climb_flag(course, entry, levels, ctx) for entry, levels in _pain_climbs(course)}
    yield from climbs.values()
    for sign in WORSENING_FROM_DAY:
        for entry, how in _rises(course, sign):
            if sign is Sign.PAIN and entry.day in climbs:
                continue  # the same day is already an urgent climb of pain
            day = entry.days_since_treatment
            message = f"{_(how).format(sign=sign.label, day=day)} {_(WORSENING_HINTS[sign])}"
            advice = rule.advice
            if sign is Sign.ITCH:  # itch that builds points to a product reaction
                advice = f"{words.stop_product_advice(_products_on(course.treatment, entry.day, ctx))} {advice}"
            short = _("{rating} on D{day}: rose").format(rating=_rating_words(sign, entry.rating(sign) or 0), day=day)
            yield _make(rule, entry, sign, message, advice=advice, short=short)


def _products_on(treatment: Treatment | None, day: dt.date, ctx: _Context) -> list[NamedProduct]:
    """The products the journal knows went on the skin from `treatment` to `day`: the
    serums recorded with the treatment, then those the patient logged since (without a
    treatment: those of the week before)."""
    named: list[NamedProduct] = []
    first = day - dt.timedelta(days=ctx.thresholds.actives_window_days)
    if treatment is not None:
        first = treatment.day
        if treatment.serums.strip():
            named.append(NamedProduct(treatment.serums.strip(), _("recorded with the treatment")))
    for product in ctx.products:
        if product.kind is ProductKind.SKIN_PRODUCT and first <= product.day <= day:
            named.append(NamedProduct(product.name, _("logged from {date}").format(date=day_month(product.day))))
    return named


def _missed_sun(course: Course, ctx: _Context) -> Iterator[Flag]:
    rule = RULES[RuleId.AFTERCARE_SUN]
    # The lapse itself is one of the risk factors: judge it by the others.
    others = [f for f in ctx.factors if not (f.key == "sun_lapse" and f.treatment_id == course.treatment.id)]
    raised = is_higher_risk(others, course.treatment.id)
    severity = Severity.CONTACT if raised else rule.severity
    # The raised severity asks for a call, so the advice must say so too, and why.
    reasons = spot_risk_reasons(others, course.treatment.id)
    advice = rule.advice + (" " + words.risk_call_advice(reasons, also=True) if raised else "")
    for entry in course.entries:
        if sun_exposed(entry, ctx.thresholds):
            day = entry.days_since_treatment
            if entry.answer("sun_avoided") is False:
                message = _("On day {day} the treated skin was out in direct sun, in the week when it matters most.")
                short = _("Out in direct sun on D{day}")
            else:
                message = _("On day {day} the treated skin went without sunscreen, in the week when it matters most.")
                short = _("No sunscreen on D{day}")
            message, short = message.format(day=day), short.format(day=day)
            yield _make(rule, entry, None, message, severity=severity, advice=advice, short=short)


def _aftercare_item(course: Course, key: str, rule_id: RuleId, window: int, what: str, short: str) -> Iterator[Flag]:
    rule = RULES[rule_id]
    for entry in course.entries:
        if (entry.days_since_treatment or 0) <= window and entry.answer(key) is False:
            day = entry.days_since_treatment
            message = f"{_(what).format(day=day)} {rule.reason}"
            yield _make(rule, entry, None, message, short=_(short).format(day=day))


def _actives(course: Course, ctx: _Context) -> Iterator[Flag]:
    what = N_("On day {day} products other than gentle ones were used on the treated skin.")
    short = N_("Not only gentle products on D{day}")
    window = ctx.thresholds.actives_window_days
    for flag in _aftercare_item(course, "gentle_products", RuleId.ACTIVES, window, what, short):
        stop = words.stop_product_advice(_products_on(course.treatment, flag.first_day, ctx))
        yield replace(flag, advice=f"{stop} {flag.advice}")


def _makeup(course: Course, ctx: _Context) -> Iterator[Flag]:
    what = N_("On day {day} make-up went on the treated skin.")
    window = ctx.thresholds.makeup_window_days
    yield from _aftercare_item(course, "makeup_avoided", RuleId.MAKEUP, window, what, N_("Make-up on D{day}"))


COURSE_CHECKS = (_persisting, _worsening, _missed_sun, _actives, _makeup)


# --- Spots: across sessions ---------------------------------------------------------------


@dataclass
class _SpotRun:
    """Days with new marks, from the first; it ends after two clear days."""

    start: Entry
    last_level: int
    clear_days: int = 0


def _spots(entries: Sequence[Entry], courses: dict[tuple[Area, int], Course], ctx: _Context) -> Iterator[Flag]:
    """Marks above the area's baseline, followed as runs of days that survive a
    clear or unrated day and continue into a new session."""
    by_area: dict[Area, list[Entry]] = {}
    for entry in entries:
        if entry.in_course:
            by_area.setdefault(entry.area, []).append(entry)
    for area_entries in by_area.values():
        yield from _area_spots(sorted(area_entries, key=lambda e: e.day), courses, ctx)


def _area_spots(entries: list[Entry], courses: dict[tuple[Area, int], Course], ctx: _Context) -> Iterator[Flag]:
    run: _SpotRun | None = None
    for entry in entries:
        if entry.treatment_id is None:
            continue
        course = courses[course_key(entry.area, entry.treatment_id)]
        level = entry.rating(Sign.SPOTS)
        if level is None:
            continue  # not rated (or not logged): neither continues nor ends a run
        if level <= course.baseline.level(Sign.SPOTS):
            # Clear (back to the usual skin): one such day does not end a run.
            if run is not None:
                run.clear_days += 1
                if run.clear_days > SPOT_RUN_ALLOWS_CLEAR_DAYS:
                    run = None
            continue
        if run is None:
            run = _SpotRun(entry, level)
            yield _new_spot(entry, course, ctx)
        elif level > run.last_level:
            message = _("New marks were logged as darker or more numerous than before.")
            yield _make(RULES[RuleId.SPOT_DARKER], entry, Sign.SPOTS, message)
        run.clear_days = 0
        run.last_level = level
        lasted = (entry.day - run.start.day).days
        if lasted >= ctx.thresholds.spot_days(course.higher_risk):
            lasting = ngettext(
                "New marks have been there for {count} day.", "New marks have been there for {count} days.", lasted
            )
            yield _make(RULES[RuleId.SPOT_PERSIST], entry, Sign.SPOTS, lasting.format(count=lasted))


def _new_spot(entry: Entry, course: Course, ctx: _Context) -> Flag:
    rule = RULES[RuleId.SPOT_NEW]
    day = entry.days_since_treatment
    if course.baseline.level(Sign.SPOTS):
        message = _("New marks above your usual were logged on day {day}.").format(day=day)
    else:
        message = _("New marks were logged on day {day}.").format(day=day)
    rating = _rating_words(Sign.SPOTS, entry.rating(Sign.SPOTS) or 0)
    short = _("{rating} from D{day}: new marks").format(rating=rating, day=day)
    if not course.higher_risk:
        return _make(rule, entry, Sign.SPOTS, message, short=short)
    # With a risk factor a first new mark is already worth telling the practitioner.
    advice = f"{words.risk_call_advice(spot_risk_reasons(ctx.factors, course.treatment.id))} {_(words.SUN_ADVICE)}"
    return _make(rule, entry, Sign.SPOTS, message, severity=Severity.CONTACT, advice=advice, short=short)


# --- Warning and emergency signs ---------------------------------------------------------


def _warning_severity(question: Question, since: int | None) -> Severity:
    if question in EMERGENCY_SIGNS:
        return Severity.EMERGENCY
    if question.key in CONTACT_ALWAYS:
        return Severity.CONTACT
    early = since is not None and since >= 0
    if early and question.key in EXPECTED_EARLY and since is not None and since <= EXPECTED_EARLY[question.key]:
        return Severity.WATCH
    return Severity.URGENT


def _gets_cold_sores(entry: Entry, ctx: _Context, treatments: dict[int, Treatment]) -> bool:
    treatment = treatments.get(entry.treatment_id or -1)
    return ctx.profile.cold_sores or bool(treatment is not None and treatment.answer("cold_sore_at_treatment"))


def _warning_advice(
    question: Question, severity: Severity, entry: Entry, ctx: _Context, treatments: dict[int, Treatment]
) -> str:
    """The tier's advice, with what this sign adds: why timing matters for blisters,
    which product to stop for itchy bumps."""
    if severity is Severity.WATCH:
        return _(words.EARLY_WATCH_ADVICE)
    if severity is Severity.CONTACT:
        return _(words.CONTACT_ADVICE)
    advice = words.emergency_advice(ctx.calls) if severity is Severity.EMERGENCY else words.urgent_advice(ctx.calls)
    if question.key in HERPES_SIGNS and severity is Severity.URGENT:
        advice += " " + _(words.ANTIVIRAL_TIMING)
    if question.key in PRODUCT_REACTION_SIGNS:
        treatment = treatments.get(entry.treatment_id or -1)
        advice += " " + words.stop_product_advice(_products_on(treatment, entry.day, ctx))
    return advice


def _warning_flag(entry: Entry, question: Question, ctx: _Context, treatments: dict[int, Treatment]) -> Flag:
    emergency = question in EMERGENCY_SIGNS
    rule = RULES[RuleId.EMERGENCY if emergency else RuleId.WARNING]
    severity = _warning_severity(question, entry.days_since_treatment)
    hint = _(WARNING_HINTS[question.key]) if question.key in WARNING_HINTS else rule.reason
    ticked = _("You ticked: {sign}.").format(sign=question.label)
    message = f"{ticked} {hint}"
    if question.key in HERPES_SIGNS and _gets_cold_sores(entry, ctx, treatments):
        message += " " + _(words.COLD_SORE_HISTORY_NOTE)
    advice = _warning_advice(question, severity, entry, ctx, treatments)
    when = f"D{entry.days_since_treatment}" if entry.days_since_treatment is not None else day_month(entry.day)
    source = rule.source + (f"; {_PRODUCT_REACTION}" if question.key in PRODUCT_REACTION_SIGNS else "")
    return _make(
        rule, entry, None, message, severity=severity, advice=advice, reason=hint, question=question.key,
        short=_("Ticked on {when}: {sign}").format(when=when, sign=question.short), source=source,
    )  # fmt: skip


def _warnings(entries: Iterable[Entry], ctx: _Context, treatments: dict[int, Treatment]) -> Iterator[Flag]:
    # Warning signs count at any time, even before or without a treatment.
    for entry in entries:
        for question in (*EMERGENCY_SIGNS, *WARNING_SIGNS):
            if entry.answer(question.key):
                yield _warning_flag(entry, question, ctx, treatments)


# --- Before a booked session: antiviral medicine for those who get cold sores ---------------


def _antiviral_reminders(treatments: Sequence[Treatment], ctx: _Context) -> Iterator[Flag]:
    """A note while a session is booked, for a patient who gets cold sores: a doctor
    can prescribe antiviral tablets to prevent a flare-up (docs/clinical-basis.md, "Cold sores")."""
    if not ctx.profile.cold_sores:
        return
    rule = RULES[RuleId.ANTIVIRAL_BEFORE_SESSION]
    booked = sorted((t for t in treatments if t.day > ctx.today), key=lambda t: (t.day, t.id))
    for treatment in booked[:1]:  # the next session: the one to ask about now
        area = treatment.areas[0] if treatment.areas else Area.FACE
        message = _("A session is booked for {date}, and you get cold sores.").format(date=full_date(treatment.day))
        short = _("Session booked {date}: ask about antiviral medicine before it").format(date=day_month(treatment.day))
        yield Flag(
            rule.rule_id, rule.severity, None, area, ctx.today, None, message,
            words.antiviral_before_session(treatment.day), rule.source, treatment.id, reason=rule.reason,
            short=short,
        )  # fmt: skip


# --- Gaps: daily for two weeks, weekly to week 6 ------------------------------------------


@dataclass(frozen=True)
class CourseSpan:
    """One treatment course of one area: from its treatment day to `last` (the day
    before the next session of the area, or open-ended)."""

    area: Area
    treatment_id: int
    start: dt.date
    last: dt.date | None


def course_spans(treatments: Sequence[Treatment]) -> Iterator[CourseSpan]:
    by_area: dict[Area, list[tuple[dt.date, int]]] = {}
    for treatment in treatments:
        for area in treatment.areas:
            by_area.setdefault(area, []).append((treatment.day, treatment.id))
    for area, days in by_area.items():
        days.sort()
        for index, (start, treatment_id) in enumerate(days):
            last = days[index + 1][0] - dt.timedelta(days=1) if index + 1 < len(days) else None
            yield CourseSpan(area, treatment_id, start, last)


def _gaps(entries: Sequence[Entry], treatments: Sequence[Treatment], ctx: _Context) -> Iterator[Flag]:
    logged = {(e.area, e.day) for e in entries}
    # Today does not count: there is still time to log it.
    yesterday = ctx.today - dt.timedelta(days=1)
    for span in course_spans(treatments):
        end = min(span.last or yesterday, yesterday)
        daily_end = min(end, span.start + dt.timedelta(days=ctx.thresholds.gap_window_days))
        yield from _daily_gaps(span, daily_end, logged, ctx)
        yield from _weekly_gaps(span, end, logged, ctx)


def _gap(span: CourseSpan, first: dt.date, message: str) -> Flag:
    rule = RULES[RuleId.GAP]
    since = (first - span.start).days
    return Flag(
        rule.rule_id, rule.severity, None, span.area, first, since, message, rule.advice, rule.source,
        span.treatment_id, reason=rule.reason,
    )  # fmt: skip


def _daily_gaps(span: CourseSpan, end: dt.date, logged: set[tuple[Area, dt.date]], ctx: _Context) -> Iterator[Flag]:
    run: list[dt.date] = []
    for offset in range((end - span.start).days + 2):  # one past the end closes a run
        day = span.start + dt.timedelta(days=offset)
        if day <= end and (span.area, day) not in logged:
            run.append(day)
            continue
        if len(run) >= ctx.thresholds.gap_days:
            missed = ngettext(
                "No entries for {count} day in a row from {date}.",
                "No entries for {count} days in a row from {date}.",
                len(run),
            )
            yield _gap(span, run[0], missed.format(count=len(run), date=day_month(run[0])))
        run = []


def _weekly_gaps(span: CourseSpan, end: dt.date, logged: set[tuple[Area, dt.date]], ctx: _Context) -> Iterator[Flag]:
    """From day 15 to week 6: one entry a week (PIH shows in weeks 2-4, late
    infections incubate about three weeks)."""
    first_weekly_day = ctx.thresholds.gap_window_days + 1
    for week in range(3, ctx.thresholds.follow_up_weeks + 1):
        week_start = span.start + dt.timedelta(days=max(first_weekly_day, (week - 1) * 7))
        week_end = span.start + dt.timedelta(days=week * 7 - 1)
        if week_end > end or week_start > week_end:
            break
        days = (week_start + dt.timedelta(days=n) for n in range((week_end - week_start).days + 1))
        if not any((span.area, day) in logged for day in days):
            yield _gap(
                span,
                week_start,
                _("No entry in week {week} after treatment: a weekly entry and photo help until week 6.").format(
                    week=week
                ),
            )


# --- Putting it together ------------------------------------------------------------


def courses_of(
    snapshot: JournalSnapshot, factors: Sequence[RiskFactor], known: dict[Area, UsualSkin] | None = None
) -> dict[tuple[Area, int], Course]:
    """Every course, keyed by its treatment (one per area), with its depth, baseline and risk."""
    known = baselines(snapshot.entries) if known is None else known
    grouped: dict[tuple[Area, int], list[Entry]] = {}
    for entry in snapshot.entries:
        if entry.in_course and entry.treatment_id is not None and entry.day <= snapshot.today:
            grouped.setdefault((entry.area, entry.treatment_id), []).append(entry)
    courses = {}
    for treatment in snapshot.treatments:
        for area in treatment.areas:
            days = tuple(sorted(grouped.get((area, treatment.id), []), key=lambda e: e.day))
            course = Course(area, treatment, days, baseline_of(known, area), is_higher_risk(factors, treatment.id))
            courses[course_key(area, treatment.id)] = course
    return courses


def course_key(area: Area, treatment_id: int) -> tuple[Area, int]:
    return (area, treatment_id)


def _first_per_key(flags: Iterable[Flag]) -> list[Flag]:
    # One flag per rule, sign (or warning sign), severity, area and course: the
    # earliest day it applied. New marks (one per run) and sun exposures keep
    # every episode: a later one is news of its own.
    first: dict[tuple[object, ...], Flag] = {}
    for flag in flags:
        key: tuple[object, ...] = (flag.rule_id, flag.sign, flag.question, flag.severity, flag.area, flag.treatment_id)
        if flag.rule_id in (RuleId.SPOT_NEW, RuleId.AFTERCARE_SUN):
            key += (flag.first_day,)
        if key not in first or flag.first_day < first[key].first_day:
            first[key] = flag
    return list(first.values())


def sort_key(flag: Flag) -> tuple[object, ...]:
    """Most serious first, then oldest."""
    return (-flag.severity.rank, flag.first_day, flag.area, flag.rule_id, flag.sign or "", flag.question or "")


def evaluate(
    snapshot: JournalSnapshot,
    thresholds: Thresholds = Thresholds(),
    factors: Sequence[RiskFactor] | None = None,
    courses: dict[tuple[Area, int], Course] | None = None,
) -> list[Flag]:
    """All flags for the journal as of its `today`, most serious first, then oldest.

    `factors` and `courses` are passed when the caller has them already."""
    today = snapshot.today
    entries = [e for e in snapshot.entries if e.day <= today]  # future days cannot be judged
    if factors is None:
        factors = risk_factors(snapshot.profile, snapshot.treatments, entries, thresholds)
    if courses is None:
        courses = courses_of(snapshot, factors)
    calls = emergency_calls(snapshot.profile.country)
    ctx = _Context(thresholds, snapshot.profile, today, tuple(factors), snapshot.products, calls)
    treatments = {t.id: t for t in snapshot.treatments}
    found: list[Flag] = list(_warnings(entries, ctx, treatments))
    found += _gaps(entries, snapshot.treatments, ctx)
    found += _antiviral_reminders(snapshot.treatments, ctx)
    for course in courses.values():
        for check in COURSE_CHECKS:
            found += check(course, ctx)
    found += _spots(entries, courses, ctx)
    return sorted(_first_per_key(found), key=sort_key)


def status_for(flags: Iterable[Flag], area: Area | str) -> Severity | None:
    """The most serious severity among one area's flags, or None without any."""
    return max((f.severity for f in flags if f.area == area), key=lambda s: s.rank, default=None)
