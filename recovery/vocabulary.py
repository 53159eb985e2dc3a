"""Words the whole app shares: areas, signs, rating scales, checklists.

Descriptors paraphrase the scales in shared/clinical-notes.md (redness after the
Clinician's Erythema Assessment, swelling after the Draize oedema scale).
Every level carries a label because users of other trackers complain about
unlabelled scales.
"""

from __future__ import annotations

from dataclasses import dataclass

AREAS: tuple[str, ...] = ("face", "neck", "chest", "hands", "scalp", "other")

RATING_MIN = 0
RATING_MAX = 4

# Signs rated 0-4 by the patient.
RATED_SIGNS: tuple[str, ...] = ("redness", "swelling", "spots")
# Signs recorded as present / absent (stored as 0 or 1).
PRESENCE_SIGNS: tuple[str, ...] = ("bleeding", "dryness")
ALL_SIGNS: tuple[str, ...] = RATED_SIGNS + PRESENCE_SIGNS

SCALES: dict[str, tuple[str, ...]] = {
    "redness": (
        "clear: no redness",
        "almost clear: a slight pink tint",
        "mild: definite redness",
        "moderate: marked redness",
        "severe: fiery, intense redness",
    ),
    "swelling": (
        "none",
        "barely noticeable",
        "slight: edges can be seen",
        "moderate: clearly raised",
        "severe: spreads past the treated area",
    ),
    "spots": (
        "none",
        "one or two faint spots",
        "a few visible spots",
        "many spots, or dark ones",
        "widespread patches",
    ),
}

SIGN_LABELS: dict[str, str] = {
    "redness": "Redness",
    "swelling": "Swelling",
    "spots": "Spots (darker patches)",
    "bleeding": "Pinpoint bleeding",
    "dryness": "Dryness or peeling",
}


def descriptor(sign: str, rating: int) -> str:
    """The plain-words label of one level of a 0-4 scale, or of a yes/no sign."""
    if sign in SCALES:
        return SCALES[sign][rating]
    return "present" if rating else "absent"


@dataclass(frozen=True)
class Check:
    """One tick box: its column name and what the patient reads."""

    key: str
    label: str


AFTERCARE: tuple[Check, ...] = (
    Check("sunscreen", "Sunscreen, SPF 30 or higher"),
    Check("sun_avoided", "Kept the treated skin out of direct sun"),
    Check("gentle_products", "Used only gentle, non-irritating products"),
    Check("hydrated", "Kept the skin moisturised"),
)

WARNING_SIGNS: tuple[Check, ...] = (
    Check("pus", "Pus or yellow crust"),
    Check("spreading_redness", "Redness that spreads or keeps increasing"),
    Check("warmth", "The area feels warm or hot"),
    Check("increasing_pain", "Pain that is getting worse"),
    Check("fever", "Fever or feeling unwell"),
    Check("blisters", "Blisters or cold sores"),
    Check("itchy_bumps", "New red, itchy bumps"),
)

AFTERCARE_KEYS: tuple[str, ...] = tuple(c.key for c in AFTERCARE)
WARNING_KEYS: tuple[str, ...] = tuple(c.key for c in WARNING_SIGNS)

# Fitzpatrick phototypes, described in plain words for the profile form.
FITZPATRICK: dict[int, str] = {
    1: "I: very fair skin, always burns, never tans",
    2: "II: fair skin, burns easily, tans a little",
    3: "III: medium skin, sometimes burns, tans gradually",
    4: "IV: olive or light brown skin, rarely burns, tans easily",
    5: "V: brown skin, very rarely burns, tans darkly",
    6: "VI: deeply pigmented dark brown to black skin, never burns",
}
