"""The words of the flags: what each tier asks, what a warning sign may mean, and
the product-reaction advice that names the products the journal knows.

Defined once here (signs, severities, tiers and helpers are in
recovery.vocabulary); recovery.flags picks the words, the cards, the PDF and
the CSV print them. Every sentence paraphrases docs/clinical-basis.md: the
section named beside each block says which evidence it rests on. The app never
names a diagnosis, a drug or a dose; it says plainly whom to see and how soon.

The constants are the English words, the catalogue's msgids (marked N_): whoever
shows one translates it (`_()`), and the functions here say theirs in the current
language (recovery.language).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from recovery.emergency_numbers import GENERAL, EmergencyCalls
from recovery.language import N_, _, day_full_month
from recovery.vocabulary import Sign

# --- The tiers (clinical-basis: "Who can help") ------------------------------------------

WATCH_ADVICE = N_(
    "Keep logging every day and keep up gentle aftercare. If it does "
    "not ease over the next days, or gets worse, contact your practitioner."
)
CONTACT_ADVICE = N_(
    "Contact your practitioner within a day or two and show them this journal, so they can take a look."
)
# Many who perform microneedling cannot prescribe: a sign that may need a
# medicine goes to a doctor the same day, and the practitioner is told as well.
# Both name the emergency number of the patient's country (recovery.emergency_numbers),
# or the general list where the country is not known.


URGENT_ADVICE_TEXT = N_(
    "See a doctor today: your GP, an urgent care clinic or the clinic's doctor, who can prescribe "
    "a medicine if one is needed. Tell your practitioner as well. If you feel very unwell, call "
    "emergency services ({numbers})."
)
EMERGENCY_ADVICE_TEXT = N_(
    "Call emergency services now ({numbers}), "
    "or have someone take you to an emergency department. Do not wait for your practitioner."
)


def urgent_advice(calls: EmergencyCalls = GENERAL) -> str:
    return _(URGENT_ADVICE_TEXT).format(numbers=calls.words)


def emergency_advice(calls: EmergencyCalls = GENERAL) -> str:
    return _(EMERGENCY_ADVICE_TEXT).format(numbers=calls.words)


URGENT_ADVICE = urgent_advice()
EMERGENCY_ADVICE = emergency_advice()
# Warning signs expected in the first day or two (warmth, a thin crust).
EARLY_WATCH_ADVICE = N_("Normal at this stage. If it lasts beyond the next day or grows, contact your practitioner.")
# Spreading redness in the first two days may still be the treatment itself (clinical-basis:
# "Timing of warning signs"), so a call to the practitioner today, with a doctor if it goes on.
# --- Spots and sun (clinical-basis: "Spots", "Sun") ------------------------------------------


def risk_call_advice(reasons: Sequence[str], *, also: bool = False) -> str:
    """Let the practitioner know, naming what makes dark spots more likely here (the
    risk factors' own labels: a skin type, a history, a lapse of sun protection...)."""
    why = "; ".join(reason[:1].lower() + reason[1:] for reason in reasons)
    if also:
        return _(
            "Dark spots are more likely here ({reasons}): also let your practitioner know, "
            "who may suggest extra protection."
        ).format(reasons=why)
    return _(
        "Dark spots are more likely here ({reasons}): let your practitioner know, who may suggest extra protection."
    ).format(reasons=why)


SUN_ADVICE = N_(
    "Protect the area from the sun: stay in the shade and, from the day after "
    "treatment, use a broad-spectrum sunscreen of SPF 30 or higher."
)
# Advice of more than one sentence: a tuple of msgids, each translated and joined (advice_words).
SPOT_WATCH_ADVICE = (SUN_ADVICE, N_("Most spots after treatment are temporary; keep photographing them."))
SUN_FIRST_WEEK_ADVICE = (SUN_ADVICE, N_("Keep this up for at least the first week."))
DERMATOLOGIST_ADVICE = N_(
    "Please book a visit with a dermatologist and bring this journal: marks that last are treated "
    "best early. Until then, protect the area from the sun."
)
ACTIVES_ADVICE = N_(
    "Retinoids (retinol, tretinoin), acids (AHA, BHA) and vitamin C serums stay off the treated skin "
    "for the first week. If bumps or itching appear, see a doctor today."
)
MAKEUP_ADVICE = N_(
    "Keep make-up off the treated skin for the first 24 hours: the tiny channels are still open. "
    "Clean brushes and new products after that."
)
GAP_ADVICE = N_("When you can, add today's entry with a photo. Filling in missed days from memory is fine.")

# --- Cold sores (clinical-basis: "Cold sores") ------------------------------------------------

# The medicine class only, never a drug or a dose.
ANTIVIRAL_TIMING = N_(
    "Antiviral medicine, which a doctor can prescribe, works best when it is started early in a "
    "cold-sore flare-up, so do not wait to see whether it settles."
)
COLD_SORE_HISTORY_NOTE = N_("You get cold sores, so this may be a cold-sore flare-up: say so to the doctor.")


ANTIVIRAL_BEFORE_ANY_SESSION = N_(
    "Before your next session, ask the clinic's doctor or your GP whether you should take antiviral "
    "tablets to prevent a cold-sore flare-up."
)


def antiviral_before_session(day: dt.date) -> str:
    """The reminder before a booked session, for someone who gets cold sores."""
    return _(
        "You get cold sores, and treatment can bring on a flare-up. Before your session on {day}, "
        "ask the clinic's doctor or your GP whether you should take antiviral tablets to prevent one."
    ).format(day=day_full_month(day))


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
        stop = _("Stop the serums and creams put on since treatment: {products}.").format(products=named)
    else:
        stop = _("Stop any new serum or cream put on since treatment.")
    rest = _(
        "Put only the plain moisturiser you were given on the treated skin, and no steroid cream "
        "unless a doctor advises it."
    )
    return f"{stop} {rest}"


def advice_words(advice: str | tuple[str, ...]) -> str:
    """Advice kept as one msgid or as a tuple of them (several sentences), in the current language."""
    sentences = (advice,) if isinstance(advice, str) else advice
    return " ".join(_(sentence) for sentence in sentences)


# --- What a warning sign or a rise may point to, short of a diagnosis ---------------------------

WARNING_HINTS: dict[str, str] = {
    "pus": N_("Pus can be a sign of infection."),
    "crust": N_("A thin yellow crust is common in the first two days; later it can be a sign of infection."),
    "spreading_redness": N_("Redness that spreads or keeps increasing can be a sign of infection."),
    "warmth": N_(
        "A warm, sunburn-like feeling is normal on the first day or two; later it can be a sign of infection."
    ),
    "increasing_pain": N_("Pain that gets worse instead of better is not part of normal healing."),
    "fever": N_("Fever or feeling unwell after treatment can be a sign of infection."),
    "blisters": N_("Blisters or cold sores in the first days can be a cold-sore (herpes) flare-up."),
    "itchy_bumps": N_("New red, itchy bumps can be a reaction to a product applied during or after treatment."),
    "track_marks": N_("Lines or dots in the pattern of the needle passes can leave lasting marks if not treated."),
    "lips_throat": N_("Swelling of the lips, tongue or throat can be a serious allergic reaction."),
    "breathing": N_("Trouble breathing or swallowing can be a serious allergic reaction."),
    "eye": N_("Blisters or pain near the eye, or a change in sight, can be a herpes infection of the eye."),
    "fever_shivering": N_("Fever with shivering or confusion can mean an infection is spreading."),
}

WORSENING_HINTS: dict[Sign, str] = {
    Sign.REDNESS: N_("This can happen with an infection or a reaction to a product, so it is worth a check."),
    Sign.SWELLING: N_("This can happen with an infection or a reaction to a product, so it is worth a check."),
    Sign.PAIN: N_("Pain that grows instead of fading can be a sign of infection."),
    Sign.ITCH: N_(
        "Itch that builds after the first days often points to a reaction to a product put on the "
        "skin (a serum or cream, vitamin C above all)."
    ),
}

PAIN_CLIMB_HINT = N_("Pain that rises on two logged days after day 3 counts as pain that is getting worse.")
LINGERING_PINK_REASON = N_(
    "After a 1.0-1.5 mm session faint pink often lingers into the second week; it is worth a call "
    "if it is still there on day 14, deepens or keeps coming back."
)
