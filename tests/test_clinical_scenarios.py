"""Whole recoveries, judged as the clinical review asks (issue: clinical rules v2).

Each scenario is a short journal written from the evidence in
docs/clinical-basis.md (its sources and the clinical reviews), names its
source, and states what the app must say: which flags (rule, severity, day),
whether they are still open, and what it must NOT say (the false alarms the
first rules raised). Every scenario here failed on the first rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from recovery.flags import Flag, RuleId
from recovery.view import RecoveryView
from recovery.vocabulary import Helper, Severity, Sign, Tier
from tests import builders

T0 = dt.date(2026, 9, 1)
AFTERCARE_DONE = {"sunscreen": 1, "sun_avoided": 1, "gentle_products": 1, "hydrated": 1, "makeup_avoided": 1}


def day(offset: int) -> dt.date:
    return T0 + dt.timedelta(days=offset)


@dataclass(frozen=True)
class Expect:
    rule: RuleId
    severity: Severity | None = None
    on: int | None = None  # first day (offset)
    sign: Sign | None = None
    question: str | None = None
    open: bool | None = None
    tier: Tier | None = None  # who can help, and how soon
    who: Helper | None = None  # whom the advice sends the patient to
    # Words the flag's message and advice must hold, and must not (case ignored).
    words: tuple[str, ...] = ()
    not_words: tuple[str, ...] = ()

    def matches(self, flag: Flag, view: RecoveryView) -> bool:
        said = f"{flag.message} {flag.advice}".lower()
        return (
            flag.rule_id is self.rule
            and (self.severity is None or flag.severity is self.severity)
            and (self.on is None or flag.first_day == day(self.on))
            and (self.sign is None or flag.sign is self.sign)
            and (self.question is None or flag.question == self.question)
            and (self.open is None or view.is_open(flag) is self.open)
            and (self.tier is None or flag.tier is self.tier)
            and (self.who is None or flag.helper is self.who)
            and all(word.lower() in said for word in self.words)
            and not any(word.lower() in said for word in self.not_words)
        )


@dataclass(frozen=True)
class Scenario:
    name: str
    source: str
    days: dict[int, dict[str, Any]]
    expect: tuple[Expect, ...] = ()
    absent: tuple[Expect, ...] = ()
    today: int | None = None
    treatments: tuple[tuple[int, float | None], ...] = ((0, 1.0),)
    profile: dict[str, Any] = field(default_factory=dict)
    aftercare: bool = True
    serums: str = ""  # recorded with every treatment of the scenario
    # Products and medicines logged after treatment: (day offset, kind, name).
    products: tuple[tuple[int, str, str], ...] = ()

    def view(self) -> RecoveryView:
        treatments = [
            {"id": n + 1, "day": day(offset), "areas": ["face"], "needle_depth_mm": depth, "serums": self.serums}
            for n, (offset, depth) in enumerate(self.treatments)
        ]
        if self.products:
            products = [{"day": day(offset), "kind": kind, "name": name} for offset, kind, name in self.products]
            return builders.view(rows_of(self), self.profile, treatments, self.today_date(), products=products)
        return builders.view(rows_of(self), self.profile, treatments, self.today_date())

    def today_date(self) -> dt.date:
        return day(self.today if self.today is not None else max(self.days))


def rows_of(scenario: Scenario) -> list[dict[str, Any]]:
    return [
        {"day": day(offset), "area": "face", **(AFTERCARE_DONE if scenario.aftercare and offset >= 0 else {}), **values}
        for offset, values in scenario.days.items()
    ]


def healing(last: int, **overrides: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Days 0..last of a textbook course after a usual (1 mm) session, with changes."""
    usual = {0: (3, 2), 1: (2, 1), 2: (1, 1)}
    days = {}
    for offset in range(last + 1):
        redness, swelling = usual.get(offset, (0, 0))
        days[offset] = {"redness": redness, "swelling": swelling, "spots": 0, "pain": 1 if offset < 2 else 0}
    for key, values in overrides.items():
        days.setdefault(int(key.removeprefix("d")), {}).update(values)
    return days


SCENARIOS = [
    # --- Unsafe: danger that closed too early ------------------------------------------------
    Scenario(
        "pus stays open while redness stays high, though the box is unticked the next day",
        "Microneedling patient guide, 'When to Seek Medical Attention'; "
        "clinical review (warning signs later point to infection)",
        healing(
            6,
            d3={"pus": 1, "redness": 2},
            d4={"pus": 0, "redness": 3},
            d5={"pus": 0, "redness": 3},
            d6={"pus": 0, "redness": 3},
        ),
        expect=(Expect(RuleId.WARNING, Severity.URGENT, 3, question="pus", open=True),),
    ),
    Scenario(
        "an urgent flag stays open at least 72 hours even when everything looks fine again",
        "Clinical review (danger never closes by itself)",
        healing(5, d4={"fever": 1}, d5={"fever": 0}),
        expect=(Expect(RuleId.WARNING, Severity.URGENT, 4, question="fever", open=True),),
    ),
    Scenario(
        "the urgent flag closes after 72 hours, unticked, with the ratings back within their bands",
        "Clinical review (danger never closes by itself)",
        healing(9, d4={"fever": 1}, d5={"fever": 0}, d8={"fever": 0}),
        expect=(Expect(RuleId.WARNING, Severity.URGENT, 4, question="fever", open=False),),
    ),
    # --- Too lax ---------------------------------------------------------------------------------
    Scenario(
        "redness two levels above its band on day 3 is a call at once, not 'keep an eye on it'",
        "Martin & Huang 2021 (redness clears in about 72 h); clinical review (severity by how far off)",
        healing(7, **{f"d{n}": {"redness": 3} for n in range(3, 8)}),
        expect=(Expect(RuleId.PERSIST, Severity.CONTACT, 3, sign=Sign.REDNESS, open=True),),
        absent=(Expect(RuleId.PERSIST, Severity.WATCH, sign=Sign.REDNESS),),
    ),
    Scenario(
        "swelling that spreads past the treated area after day 2 is urgent",
        "Clinical review (spreading swelling or redness after day 2)",
        healing(4, d3={"swelling": 4}),
        expect=(Expect(RuleId.PERSIST, Severity.URGENT, 3, sign=Sign.SWELLING, open=True),),
    ),
    Scenario(
        "a PIH-prone patient's first new mark already asks to tell the practitioner",
        "Microneedling patient guide, 'Causes of Spots After Microneedling'; clinical review (higher-risk first spot)",
        healing(6, d5={"spots": 1}),
        profile={"pih_history": True},
        expect=(Expect(RuleId.SPOT_NEW, Severity.CONTACT, 5),),
    ),
    Scenario(
        "one clear day does not restart the count of days with marks",
        "Microneedling patient guide, 'Preventive Measures and Treatment' (early intervention); clinical review",
        healing(19, **{f"d{n}": {"spots": 1} for n in (*range(5, 11), *range(12, 20))}),
        expect=(Expect(RuleId.SPOT_PERSIST, Severity.CONTACT, 19, open=True),),
    ),
    Scenario(
        "marks are followed across a second session: 14 days of marks, not 24, before a referral",
        "Clinical review (PIH in weeks 2-4, sessions 4 weeks apart)",
        {
            **healing(27, **{f"d{n}": {"spots": 1} for n in range(20, 28)}),
            **{28 + n: v for n, v in healing(6, **{f"d{n}": {"spots": 1} for n in range(0, 7)}).items()},
        },
        treatments=((0, 1.0), (28, 1.0)),
        expect=(Expect(RuleId.SPOT_PERSIST, Severity.CONTACT, 34, open=True),),
    ),
    Scenario(
        "the lasting-mark advice does not end on a reassuring line",
        "Microneedling patient guide, 'Preventive Measures and Treatment'",
        healing(20, **{f"d{n}": {"spots": 2} for n in range(5, 21)}),
        expect=(Expect(RuleId.SPOT_PERSIST, Severity.CONTACT, 19),),
    ),
    # --- False alarms ------------------------------------------------------------------------------
    Scenario(
        "a patient treated for melasma: the marks she had before are not new",
        "Clinical review (judge change against the patient's own pre-treatment state)",
        {
            -2: {"spots": 2, "redness": 0},
            -1: {"spots": 2, "redness": 0},
            **healing(10, **{f"d{n}": {"spots": 2} for n in range(0, 11)}),
        },
        profile={"melasma_history": True},
        absent=(Expect(RuleId.SPOT_NEW), Expect(RuleId.SPOT_PERSIST)),
    ),
    Scenario(
        "... but marks above her usual level are new, and with melasma a first one is a call",
        "Clinical review (only spots above baseline are new)",
        {-1: {"spots": 2}, **healing(10, **{f"d{n}": {"spots": 3 if n == 8 else 2} for n in range(0, 11)})},
        profile={"melasma_history": True},
        expect=(Expect(RuleId.SPOT_NEW, Severity.CONTACT, 8),),
    ),
    Scenario(
        "swelling 0 on the treatment day, then 2 the next: nothing 'came back'",
        "Clinical review (a 0 on the treatment day is not 'cleared')",
        healing(5, d0={"swelling": 0}, d1={"swelling": 2}, d3={"swelling": 1}),
        absent=(Expect(RuleId.WORSENING),),
    ),
    Scenario(
        "a one-level wobble inside the band is noise, not a call",
        "Clinical review (self-ratings wobble by about one step)",
        healing(7, d3={"redness": 0}, d4={"redness": 1}, d5={"redness": 0}),
        absent=(Expect(RuleId.WORSENING), Expect(RuleId.PERSIST)),
    ),
    Scenario(
        "a sunburn-like warmth on day 0 is expected: at most 'keep an eye on it'",
        "Clinical review (warmth on days 0-1 is expected)",
        healing(2, d0={"warmth": 1}, d1={"warmth": 0}),
        expect=(Expect(RuleId.WARNING, Severity.WATCH, 0, question="warmth"),),
        absent=(Expect(RuleId.WARNING, Severity.URGENT),),
    ),
    Scenario(
        "warmth on day 4 is urgent",
        "Clinical review (warmth later points to infection)",
        healing(4, d4={"warmth": 1}),
        expect=(Expect(RuleId.WARNING, Severity.URGENT, 4, question="warmth", open=True),),
    ),
    Scenario(
        "no sunscreen on day 0 while staying indoors is no lapse and no risk factor",
        "Clinical review (no products in the first hours, staying out of the sun instead)",
        healing(6, d0={"sunscreen": 0, "sun_avoided": 1}, d5={"spots": 1}),
        absent=(Expect(RuleId.AFTERCARE_SUN), Expect(RuleId.SPOT_NEW, Severity.CONTACT)),
        expect=(Expect(RuleId.SPOT_NEW, Severity.WATCH, 5),),
    ),
    Scenario(
        "a sun lapse counts for its own course, not for later sessions",
        "Microneedling patient guide, 'Risk Factors for Developing Spots' (aftercare); clinical review",
        {
            **healing(27, d2={"sun_avoided": 0}),
            **{28 + n: v for n, v in healing(8, d6={"spots": 1}).items()},
        },
        treatments=((0, 1.0), (28, 1.0)),
        expect=(Expect(RuleId.AFTERCARE_SUN, Severity.WATCH, 2), Expect(RuleId.SPOT_NEW, Severity.WATCH, 34)),
    ),
    Scenario(
        "a later real exposure is its own flag",
        "Microneedling patient guide (avoid direct sun for at least a week)",
        healing(7, d1={"sun_avoided": 0}, d5={"sun_avoided": 0}),
        expect=(Expect(RuleId.AFTERCARE_SUN, on=1), Expect(RuleId.AFTERCARE_SUN, on=5, open=True)),
    ),
    # --- Missing --------------------------------------------------------------------------------
    Scenario(
        "after a deep (2 mm) session mild redness on day 4 is still normal",
        "Clinical review (bands widen with depth); patient information on deep treatment",
        healing(4, d3={"redness": 2}, d4={"redness": 2}),
        treatments=((0, 2.0),),
        absent=(Expect(RuleId.PERSIST),),
    ),
    Scenario(
        "after a light (0.5 mm) session the same redness is a call",
        "Clinical review (2-3 days of redness after cosmetic depths)",
        healing(4, d3={"redness": 2}, d4={"redness": 2}),
        treatments=((0, 0.5),),
        expect=(Expect(RuleId.PERSIST, Severity.CONTACT, 3, sign=Sign.REDNESS),),
    ),
    Scenario(
        "a deep session does not make a later light one 'deep'",
        "Clinical review (bands per session)",
        {**healing(27), **{28 + n: v for n, v in healing(4, d3={"redness": 1}).items()}},
        treatments=((0, 2.0), (28, 0.5)),
        expect=(Expect(RuleId.PERSIST, Severity.WATCH, 31, sign=Sign.REDNESS),),
    ),
    Scenario(
        "actives in the first week raise a watch naming retinoids, acids and vitamin C",
        "Clinical review (avoid actives 5-7 days); Friedmann et al. 2024",
        healing(4, d3={"gentle_products": 0}),
        expect=(Expect(RuleId.ACTIVES, Severity.WATCH, 3, open=True),),
    ),
    Scenario(
        "make-up in the first 24 hours raises a watch",
        "Clinical review (no make-up for 24 h)",
        healing(2, d0={"makeup_avoided": 0}),
        expect=(Expect(RuleId.MAKEUP, Severity.WATCH, 0),),
    ),
    Scenario(
        "swelling of the lips or throat is an emergency",
        "Clinical review (emergencies); Soltani-Arabshahi et al. 2014 (systemic hypersensitivity)",
        healing(2, d1={"lips_throat": 1}),
        expect=(Expect(RuleId.EMERGENCY, Severity.EMERGENCY, 1, question="lips_throat", open=True),),
    ),
    Scenario(
        "a thin yellow crust on day 1 is expected; on day 4 it is urgent",
        "Clinical review (serous crust days 0-2 common; later infection)",
        healing(4, d1={"crust": 1}, d4={"crust": 1}),
        expect=(
            Expect(RuleId.WARNING, Severity.WATCH, 1, question="crust"),
            Expect(RuleId.WARNING, Severity.URGENT, 4, question="crust"),
        ),
    ),
    Scenario(
        "pain that grows from day 2 points to infection",
        "Clinical review (pain that grows points to infection)",
        healing(5, d2={"pain": 0}, d3={"pain": 2}),
        expect=(Expect(RuleId.WORSENING, Severity.CONTACT, 3, sign=Sign.PAIN),),
    ),
    Scenario(
        "itch that builds from day 3 points to a product reaction",
        "Clinical review (itch from day 3); Martin & Huang 2021 (granulomatous reactions days 3-7)",
        healing(6, d3={"itch": 0}, d4={"itch": 1}, d5={"itch": 2}),
        expect=(Expect(RuleId.WORSENING, Severity.CONTACT, 5, sign=Sign.ITCH),),
    ),
    Scenario(
        "rosacea: redness 2 on day 10 is her usual skin, not a flag",
        "Clinical review (background redness: judge against the baseline)",
        {-1: {"redness": 2}, **healing(10, **{f"d{n}": {"redness": 2} for n in range(2, 11)})},
        absent=(Expect(RuleId.PERSIST, sign=Sign.REDNESS),),
    ),
    Scenario(
        "after two weeks a week without an entry is noted, until week 6",
        "Clinical review (PIH weeks 2-4; mycobacterial infections incubate ~3 weeks)",
        {**healing(14), 22: {"redness": 0}, 36: {"redness": 0}},
        today=42,
        expect=(Expect(RuleId.GAP, Severity.INFO, 15),),
    ),
    Scenario(
        "today is not a gap: there is still time to log it",
        "Healing Journal (gap notes do not count today)",
        healing(1),
        today=3,
        absent=(Expect(RuleId.GAP),),
    ),
    Scenario(
        "a rise that holds on the next logged day counts, inside the band too",
        "Clinical review (a sustained rise is a signal)",
        healing(6, d3={"swelling": 0}, d4={"swelling": 1}, d5={"swelling": 1}),
        expect=(Expect(RuleId.WORSENING, Severity.CONTACT, 5, sign=Sign.SWELLING),),
    ),
    Scenario(
        "a two-level jump counts at once",
        "Clinical review (a two-step rise is a signal)",
        healing(5, d3={"redness": 0}, d4={"redness": 2}),
        expect=(Expect(RuleId.WORSENING, Severity.CONTACT, 4, sign=Sign.REDNESS),),
    ),
]


# --- Clinical rules v3: who can help (issue: send the patient to someone who can treat) -----
#
# Outcomes written down before the rules were changed: severity, tier, whom the
# advice names, and the words it must (and must not) hold. Doctors prescribe;
# many who perform microneedling cannot, so infection signs and blisters go to
# a doctor the same day, with the practitioner told as well.

_DOCTOR_WORDS = ("see a doctor today", "urgent care", "clinic's doctor", "tell your practitioner")
# The app names the medicine class, never a drug or a dose.
_DRUG_NAMES = ("aciclovir", "acyclovir", "valaciclovir", "valacyclovir", "famciclovir", " mg", "hydrocortisone")


def _urgent_doctor(rule: RuleId, on: int, words: tuple[str, ...] = _DOCTOR_WORDS, **kw: Any) -> Expect:
    return Expect(rule, Severity.URGENT, on, tier=Tier.URGENT_DOCTOR, who=Helper.DOCTOR, words=words, **kw)


V3_SCENARIOS = [
    # 1. Infection signs, blisters and spreading redness: a doctor today.
    *(
        Scenario(
            f"{sign} on day {on} sends the patient to a doctor today, and the practitioner is told as well",
            "Second clinical review (who can help): signs of infection and blisters need a doctor the same day",
            healing(on, **{f"d{on}": {sign: 1}}),
            expect=(_urgent_doctor(RuleId.WARNING, on, question=sign, not_words=("contact your practitioner today",)),),
        )
        # Spreading redness on day 1 too: the clinical notes name it among the signs for a doctor the
        # same day with no early exception, and a missed infection costs more than a visit.
        for sign, on in (
            ("pus", 4),
            ("fever", 3),
            ("spreading_redness", 3),
            ("spreading_redness", 1),
            ("warmth", 4),
            ("blisters", 2),
        )
    ),
    Scenario(
        "lips or throat swelling still sends the patient to emergency services",
        "Clinical review (emergencies)",
        healing(2, d2={"lips_throat": 1}),
        expect=(
            Expect(
                RuleId.EMERGENCY,
                Severity.EMERGENCY,
                2,
                question="lips_throat",
                tier=Tier.EMERGENCY,
                who=Helper.EMERGENCY_SERVICES,
                words=("call emergency services",),
            ),
        ),
    ),  # fmt: skip
    # 2. Blisters in someone who gets cold sores: why timing matters, that antiviral medicine exists.
    Scenario(
        "blisters on day 2 with a cold-sore history: urgent, a doctor today, antiviral medicine works best early",
        "Vaghela et al. 2021 (herpes simplex and cosmetic procedures); second clinical review (cold sores)",
        healing(2, d2={"blisters": 1}),
        profile={"cold_sores": True},
        expect=(
            _urgent_doctor(
                RuleId.WARNING,
                2,
                question="blisters",
                words=(*_DOCTOR_WORDS, "antiviral", "early", "cold sore"),
                not_words=_DRUG_NAMES,
            ),
        ),
    ),  # fmt: skip
    Scenario(
        "a booked session with a cold-sore history: ask about antiviral tablets before it",
        "Second clinical review (cold sores: antiviral prophylaxis before facial procedures)",
        healing(20),
        treatments=((0, 1.0), (28, 1.0)),
        profile={"cold_sores": True},
        expect=(
            Expect(
                RuleId.ANTIVIRAL_BEFORE_SESSION,
                Severity.INFO,
                20,
                tier=Tier.NOTE,
                words=("antiviral", "before", "session"),
                not_words=_DRUG_NAMES,
            ),
        ),
    ),  # fmt: skip
    Scenario(
        "no cold-sore history: no antiviral reminder before a booked session",
        "Second clinical review (cold sores)",
        healing(20),
        treatments=((0, 1.0), (28, 1.0)),
        absent=(Expect(RuleId.ANTIVIRAL_BEFORE_SESSION),),
    ),
    # 3. Pain that rises on two logged days after day 3 counts as increasing pain.
    Scenario(
        "pain rated 1, 2, 3 on days 3-5 with redness back up: treated like 'pain that is getting worse'",
        "Second clinical review (pain rising after day 3 is an infection sign, ticked or rated)",
        healing(5, d3={"pain": 1, "redness": 1}, d4={"pain": 2, "redness": 2}, d5={"pain": 3, "redness": 2}),
        expect=(_urgent_doctor(RuleId.WORSENING, 5, sign=Sign.PAIN, words=(*_DOCTOR_WORDS, "pain"), open=True),),
    ),
    Scenario(
        "the same pain ticked as 'increasing pain' gets the same severity, tier and helper",
        "Second clinical review (pain rising after day 3)",
        healing(5, d5={"increasing_pain": 1}),
        expect=(_urgent_doctor(RuleId.WARNING, 5, question="increasing_pain"),),
    ),
    Scenario(
        "pain that rises only once after day 3 stays a call to the practitioner",
        "Clinical review (a single rise may be wobble); second clinical review",
        healing(6, d4={"pain": 2}, d5={"pain": 2}, d6={"pain": 1}),
        absent=(Expect(RuleId.WORSENING, Severity.URGENT),),
    ),
    # 4. Product reactions: stop the new product, name it, plain moisturiser, no steroid cream without advice.
    Scenario(
        "itchy bumps on day 5 after a vitamin C serum: a doctor today, stop the serum by name",
        "Friedmann et al. 2024; Soltani-Arabshahi et al. 2014; second clinical review (product reactions)",
        healing(5, d5={"itchy_bumps": 1}),
        serums="Vitamin C glow serum",
        expect=(
            _urgent_doctor(
                RuleId.WARNING,
                5,
                question="itchy_bumps",
                words=("stop", "Vitamin C glow serum", "plain moisturiser", "steroid cream"),
            ),
        ),
    ),  # fmt: skip
    Scenario(
        "itchy bumps also name a product the patient logged after treatment",
        "Second clinical review (products applied after needling)",
        healing(6, d6={"itchy_bumps": 1}),
        serums="hyaluronic acid",
        products=((3, "skin product", "Radiance night cream"), (4, "antibiotic", "antibiotic tablets")),
        expect=(
            Expect(
                RuleId.WARNING,
                Severity.URGENT,
                6,
                question="itchy_bumps",
                words=("stop", "hyaluronic acid", "Radiance night cream", "plain moisturiser"),
                not_words=("antibiotic tablets",),
            ),
        ),
    ),  # fmt: skip
    Scenario(
        "actives restarted in week 1: stop them, plain moisturiser, no steroid cream without advice",
        "Clinical review (avoid actives 5-7 days); second clinical review (product reactions)",
        healing(4, d3={"gentle_products": 0}),
        serums="vitamin C serum",
        expect=(
            Expect(
                RuleId.ACTIVES,
                Severity.WATCH,
                3,
                tier=Tier.WATCH,
                words=("stop", "vitamin C serum", "plain moisturiser", "steroid cream"),
            ),
        ),
    ),  # fmt: skip
    Scenario(
        "itch building from day 3 names the serum as well",
        "Clinical review (itch from day 3); second clinical review (product reactions)",
        healing(6, d3={"itch": 0}, d4={"itch": 1}, d5={"itch": 2}),
        serums="vitamin C serum",
        expect=(
            Expect(
                RuleId.WORSENING,
                Severity.CONTACT,
                5,
                sign=Sign.ITCH,
                tier=Tier.CONTACT,
                who=Helper.PRACTITIONER,
                words=("stop", "vitamin C serum", "plain moisturiser"),
            ),
        ),
    ),  # fmt: skip
    # 5. False calls that teach patients to ignore flags.
    Scenario(
        "faint pink on day 8 after 1.0 mm is a watch, not a call",
        "Second clinical review (faint pink on days 8-13 after 1.0-1.5 mm is common)",
        healing(8, d8={"redness": 1}),
        expect=(Expect(RuleId.PERSIST, Severity.WATCH, 8, sign=Sign.REDNESS, tier=Tier.WATCH),),
        absent=(Expect(RuleId.PERSIST, Severity.CONTACT), Expect(RuleId.WORSENING)),
    ),
    Scenario(
        "faint pink through days 8-13 after 1.5 mm stays a watch; on day 14 it is a call",
        "Second clinical review (contact from day 14)",
        healing(14, **{f"d{n}": {"redness": 1} for n in range(3, 15)}),
        treatments=((0, 1.5),),
        expect=(
            Expect(RuleId.PERSIST, Severity.WATCH, 8, sign=Sign.REDNESS),
            Expect(RuleId.PERSIST, Severity.CONTACT, 14, sign=Sign.REDNESS, who=Helper.PRACTITIONER),
        ),
        absent=(Expect(RuleId.PERSIST, Severity.CONTACT, 8), Expect(RuleId.WORSENING)),
    ),
    Scenario(
        "two levels above the band on day 9 after 1.0 mm is a call at once",
        "Second clinical review (contact at two levels above the band)",
        healing(9, d9={"redness": 2}),
        expect=(Expect(RuleId.PERSIST, Severity.CONTACT, 9, sign=Sign.REDNESS),),
    ),
    Scenario(
        "a one-step rise on one day is one watch, not two calls",
        "Clinical review (self-ratings wobble by about one step)",
        healing(11, d9={"redness": 1}, d10={"redness": 0}),
        expect=(Expect(RuleId.PERSIST, Severity.WATCH, 9, sign=Sign.REDNESS),),
        absent=(Expect(RuleId.WORSENING), Expect(RuleId.PERSIST, Severity.CONTACT)),
    ),
    Scenario(
        "a one-step rise back above the band on day 5 is a watch; no worsening call",
        "Clinical review (self-ratings wobble by about one step)",
        healing(6, d3={"redness": 1}, d4={"redness": 1}, d5={"redness": 2}, d6={"redness": 1}),
        expect=(Expect(RuleId.PERSIST, Severity.WATCH, 5, sign=Sign.REDNESS),),
        absent=(Expect(RuleId.WORSENING), Expect(RuleId.PERSIST, Severity.CONTACT)),
    ),
    Scenario(
        "faint pink after 1.0 mm that rises and stays up is a call",
        "Second clinical review (contact on a rise); clinical review (a sustained rise is a signal)",
        healing(11, d8={"redness": 0}, d9={"redness": 1}, d10={"redness": 1}, d11={"redness": 1}),
        expect=(Expect(RuleId.WORSENING, Severity.CONTACT, 10, sign=Sign.REDNESS),),
    ),
    Scenario(
        "after a light (0.5 mm) session any redness after the first week is still a call",
        "Clinical review (2-3 days of redness after cosmetic depths)",
        healing(8, d8={"redness": 1}),
        treatments=((0, 0.5),),
        expect=(Expect(RuleId.PERSIST, Severity.CONTACT, 8, sign=Sign.REDNESS),),
    ),
    # Lasting marks go to a dermatologist, and the flag says so (not "contact your practitioner").
    Scenario(
        "lasting marks name the dermatologist as the one to see",
        "Microneedling patient guide, 'Preventive Measures and Treatment'",
        healing(20, **{f"d{n}": {"spots": 2} for n in range(5, 21)}),
        expect=(Expect(RuleId.SPOT_PERSIST, Severity.CONTACT, 19, who=Helper.DERMATOLOGIST, words=("dermatologist",)),),
    ),
]


@pytest.mark.parametrize("scenario", V3_SCENARIOS, ids=lambda s: s.name)
def test_v3_scenario(scenario: Scenario) -> None:
    test_scenario(scenario)


def test_cold_sore_history_is_a_risk_factor() -> None:
    scenario = Scenario("x", "", healing(3), profile={"cold_sores": True})
    (factor,) = [f for f in scenario.view().risk_factors if f.key == "cold_sore_history"]
    assert "cold sore" in factor.label.lower() and not factor.spot_risk


def test_rating_pattern_and_tick_of_increasing_pain_ask_the_same() -> None:
    rated = next(s for s in V3_SCENARIOS if s.name.startswith("pain rated 1, 2, 3")).view()
    ticked = next(s for s in V3_SCENARIOS if s.name.startswith("the same pain ticked")).view()
    (by_rating,) = [f for f in rated.flags if f.sign is Sign.PAIN and f.severity is Severity.URGENT]
    (by_tick,) = [f for f in ticked.flags if f.question == "increasing_pain"]
    assert (by_rating.severity, by_rating.tier, by_rating.helper) == (by_tick.severity, by_tick.tier, by_tick.helper)
    assert by_rating.advice.startswith(by_tick.advice.split(".")[0])


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario(scenario: Scenario) -> None:
    view = scenario.view()
    said = [(f.rule_id, f.severity, f.first_day, f.sign, f.question, view.is_open(f)) for f in view.flags]
    for expected in scenario.expect:
        assert any(expected.matches(f, view) for f in view.flags), (expected, said)
    for unwanted in scenario.absent:
        assert not any(unwanted.matches(f, view) for f in view.flags), (unwanted, said)


def test_lasting_marks_advice_sends_to_a_dermatologist_without_reassuring() -> None:
    view = next(s for s in SCENARIOS if s.name.startswith("the lasting-mark advice")).view()
    (flag,) = [f for f in view.flags if f.rule_id is RuleId.SPOT_PERSIST][:1]
    assert "dermatologist" in flag.advice and "temporary" not in flag.advice


def test_several_warning_signs_of_one_day_are_one_card_naming_the_practitioner() -> None:
    rows = [
        {"day": day(n), "area": "face", **AFTERCARE_DONE, "redness": r} for n, r in ((0, 3), (1, 2), (2, 1), (3, 1))
    ]
    rows[3].update(pus=1, fever=1, warmth=1)
    treatment = {
        "id": 1, "day": day(0), "areas": ["face"], "needle_depth_mm": 1.0,
        "practitioner": "Dr Ana Lima", "practitioner_contact": "+44 20 7946 0000",
    }  # fmt: skip
    view = builders.view(rows, {}, [treatment], day(3))
    warnings = [c for c in view.open_cards() if c.cause[0] == "warnings"]
    assert len(warnings) == 1
    (card,) = warnings
    assert card.severity is Severity.URGENT and len(card.flags) == 3
    assert "Dr Ana Lima" in card.practitioner and "7946" in card.practitioner
    assert card.since == day(3)


def test_a_sign_shows_one_card_at_its_highest_severity() -> None:
    days = healing(9, **{f"d{n}": {"redness": 2} for n in range(3, 10)})
    view = Scenario("x", "", days).view()
    redness = [c for c in view.cards if c.sign is Sign.REDNESS]
    assert len(redness) == 1 and redness[0].severity is Severity.CONTACT
    assert {f.severity for f in redness[0].flags} >= {Severity.WATCH, Severity.CONTACT}
