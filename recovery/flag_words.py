"""The words of the flags: what each tier asks, what a warning sign may mean, and
the product-reaction advice that names the products the journal knows.

Defined once here (signs, severities, tiers and helpers are in
recovery.vocabulary); recovery.flags picks the words, the cards, the PDF and
the CSV print them. Every sentence paraphrases docs/clinical-basis.md: the
section named beside each block says which evidence it rests on. The app never
names a diagnosis, a drug or a dose; it says plainly whom to see and how soon.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from recovery.emergency_numbers import GENERAL, EmergencyCalls
from recovery.vocabulary import Sign

# --- The tiers (clinical-basis: "Who can help") ------------------------------------------

WATCH_ADVICE = (
    "Keep logging every day and keep up gentle aftercare. If it does "
    "not ease over the next days, or gets worse, contact your practitioner."
)
CONTACT_ADVICE = "Contact your practitioner within a day or two and show them this journal, so they can take a look."
# Many who perform microneedling cannot prescribe: a sign that may need a
# medicine goes to a doctor the same day, and the practitioner is told as well.
# Both name the emergency number of the patient's country (recovery.emergency_numbers),
# or the general list where the country is not known.


def urgent_advice(calls: EmergencyCalls = GENERAL) -> str:
    return (
        "See a doctor today: your GP, an urgent care clinic or the clinic's doctor, who can prescribe "
        "a medicine if one is needed. Tell your practitioner as well. If you feel very unwell, call "
        f"emergency services ({calls.words})."
    )


def emergency_advice(calls: EmergencyCalls = GENERAL) -> str:
    return (
        f"Call emergency services now ({calls.words}), "
        "or have someone take you to an emergency department. Do not wait for your practitioner."
    )


URGENT_ADVICE = urgent_advice()
EMERGENCY_ADVICE = emergency_advice()
# Warning signs expected in the first day or two (warmth, a thin crust).
EARLY_WATCH_ADVICE = "Normal at this stage. If it lasts beyond the next day or grows, contact your practitioner."
# Spreading redness in the first two days may still be the treatment itself (clinical-basis:
# "Timing of warning signs"), so a call to the practitioner today, with a doctor if it goes on.
# --- Spots and sun (clinical-basis: "Spots", "Sun") ------------------------------------------


def risk_call_advice(reasons: Sequence[str], *, also: bool = False) -> str:
    """Let the practitioner know, naming what makes dark spots more likely here (the
    risk factors' own labels: a skin type, a history, a lapse of sun protection...)."""
    why = "; ".join(reason[:1].lower() + reason[1:] for reason in reasons)
    told = "also let your practitioner know" if also else "let your practitioner know"
    return f"Dark spots are more likely here ({why}): {told}, who may suggest extra protection."


SUN_ADVICE = (
    "Protect the area from the sun: stay in the shade and, from the day after "
    "treatment, use a broad-spectrum sunscreen of SPF 30 or higher."
)
SPOT_WATCH_ADVICE = SUN_ADVICE + " Most spots after treatment are temporary; keep photographing them."
DERMATOLOGIST_ADVICE = (
    "Please book a visit with a dermatologist and bring this journal: marks that last are treated "
    "best early. Until then, protect the area from the sun."
)
ACTIVES_ADVICE = (
    "Retinoids (retinol, tretinoin), acids (AHA, BHA) and vitamin C serums stay off the treated skin "
    "for the first week. If bumps or itching appear, see a doctor today."
)
MAKEUP_ADVICE = (
    "Keep make-up off the treated skin for the first 24 hours: the tiny channels are still open. "
    "Clean brushes and new products after that."
)
GAP_ADVICE = "When you can, add today's entry with a photo. Filling in missed days from memory is fine."

# --- Cold sores (clinical-basis: "Cold sores") ------------------------------------------------

# The medicine class only, never a drug or a dose.
ANTIVIRAL_TIMING = (
    "Antiviral medicine, which a doctor can prescribe, works best when it is started early in a "
    "cold-sore flare-up, so do not wait to see whether it settles."
)
COLD_SORE_HISTORY_NOTE = "You get cold sores, so this may be a cold-sore flare-up: say so to the doctor."


ANTIVIRAL_BEFORE_ANY_SESSION = (
    "Before your next session, ask the clinic's doctor or your GP whether you should take antiviral "
    "tablets to prevent a cold-sore flare-up."
)


def antiviral_before_session(day: dt.date) -> str:
    """The reminder before a booked session, for someone who gets cold sores."""
    return (
        f"You get cold sores, and treatment can bring on a flare-up. Before your session on {day:%d %B}, "
        "ask the clinic's doctor or your GP whether you should take antiviral tablets to prevent one."
    )


# --- Product reactions (clinical-basis: "Product reactions") ----------------------------------


@dataclass(frozen=True)
class NamedProduct:
    """A product the journal knows was put on the treated skin, and where it was recorded."""

    name: str
    where: str  # "recorded with the treatment", "logged from 03 Sep"


def stop_product_advice(products: Sequence[NamedProduct]) -> str:
    """Stop the new product (by name when the journal knows it), plain moisturiser only,
    no steroid cream without a doctor's advice."""
    if products:
        named = "; ".join(f"{p.name} ({p.where})" for p in products)
        stop = f"Stop the serums and creams put on since treatment: {named}."
    else:
        stop = "Stop any new serum or cream put on since treatment."
    return (
        f"{stop} Put only the plain moisturiser you were given on the treated skin, and no steroid cream "
        "unless a doctor advises it."
    )


# --- What a warning sign or a rise may point to, short of a diagnosis ---------------------------

WARNING_HINTS: dict[str, str] = {
    "pus": "Pus can be a sign of infection.",
    "crust": "A thin yellow crust is common in the first two days; later it can be a sign of infection.",
    "spreading_redness": "Redness that spreads or keeps increasing can be a sign of infection.",
    "warmth": "A warm, sunburn-like feeling is normal on the first day or two; later it can be a sign of infection.",
    "increasing_pain": "Pain that gets worse instead of better is not part of normal healing.",
    "fever": "Fever or feeling unwell after treatment can be a sign of infection.",
    "blisters": "Blisters or cold sores in the first days can be a cold-sore (herpes) flare-up.",
    "itchy_bumps": "New red, itchy bumps can be a reaction to a product applied during or after treatment.",
    "track_marks": "Lines or dots in the pattern of the needle passes can leave lasting marks if not treated.",
    "lips_throat": "Swelling of the lips, tongue or throat can be a serious allergic reaction.",
    "breathing": "Trouble breathing or swallowing can be a serious allergic reaction.",
    "eye": "Blisters or pain near the eye, or a change in sight, can be a herpes infection of the eye.",
    "fever_shivering": "Fever with shivering or confusion can mean an infection is spreading.",
}

WORSENING_HINTS: dict[Sign, str] = {
    Sign.REDNESS: "This can happen with an infection or a reaction to a product, so it is worth a check.",
    Sign.SWELLING: "This can happen with an infection or a reaction to a product, so it is worth a check.",
    Sign.PAIN: "Pain that grows instead of fading can be a sign of infection.",
    Sign.ITCH: (
        "Itch that builds after the first days often points to a reaction to a product put on the "
        "skin (a serum or cream, vitamin C above all)."
    ),
}

PAIN_CLIMB_HINT = "Pain that rises on two logged days after day 3 counts as pain that is getting worse."
LINGERING_PINK_REASON = (
    "After a 1.0-1.5 mm session faint pink often lingers into the second week; it is worth a call "
    "if it is still there on day 14, deepens or keeps coming back."
)
