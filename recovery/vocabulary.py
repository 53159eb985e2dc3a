"""Every word the app shares, defined once: areas, signs and their scales,
the yes/no questions, severities with their words and colours.

Pages, charts, the CSV, the PDF and the FHIR file all read these tables, so a
label changed here changes everywhere, and nothing is ever matched on the
text a patient reads (code compares the enum members).

Descriptors paraphrase the scales in shared/clinical-notes.md (redness after the
Clinician's Erythema Assessment, swelling after the Draize oedema scale).
Every level carries a label because users of other trackers complain about
unlabelled scales.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Area(StrEnum):
    """A treated body area; the value is what the database stores."""

    FACE = "face"
    NECK = "neck"
    CHEST = "chest"
    HANDS = "hands"
    SCALP = "scalp"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.capitalize()


AREAS: tuple[Area, ...] = tuple(Area)


def area_label(area: str) -> str:
    """ "Face" for "face" (or Area.FACE): what a list of areas shows."""
    return Area(area).label


class Sign(StrEnum):
    """Something the patient observes on the treated skin."""

    REDNESS = "redness"
    SWELLING = "swelling"
    SPOTS = "spots"
    BLEEDING = "bleeding"
    DRYNESS = "dryness"

    @property
    def label(self) -> str:
        return SIGN_INFO[self].label

    @property
    def levels(self) -> tuple[str, ...]:
        """The words for each level, 0 first."""
        return SIGN_INFO[self].levels

    @property
    def top(self) -> int:
        """The highest level: 4 on a rating scale, 1 for present / absent."""
        return len(self.levels) - 1

    @property
    def is_rated(self) -> bool:
        return len(self.levels) > 2


RATING_MIN = 0
RATING_MAX = 4


@dataclass(frozen=True)
class SignInfo:
    label: str
    levels: tuple[str, ...]


_PRESENCE = ("absent", "present")

SIGN_INFO: dict[Sign, SignInfo] = {
    Sign.REDNESS: SignInfo(
        "Redness",
        (
            "clear: no redness",
            "almost clear: a slight pink tint",
            "mild: definite redness",
            "moderate: marked redness",
            "severe: fiery, intense redness",
        ),
    ),
    Sign.SWELLING: SignInfo(
        "Swelling",
        (
            "none",
            "barely noticeable",
            "slight: edges can be seen",
            "moderate: clearly raised",
            "severe: spreads past the treated area",
        ),
    ),
    Sign.SPOTS: SignInfo(
        "Spots (darker patches)",
        (
            "none",
            "one or two faint spots",
            "a few visible spots",
            "many spots, or dark ones",
            "widespread patches",
        ),
    ),
    Sign.BLEEDING: SignInfo("Pinpoint bleeding", _PRESENCE),
    Sign.DRYNESS: SignInfo("Dryness or peeling", _PRESENCE),
}

ALL_SIGNS: tuple[Sign, ...] = tuple(Sign)
# Signs rated 0-4 by the patient.
RATED_SIGNS: tuple[Sign, ...] = tuple(sign for sign in Sign if sign.is_rated)
# Signs recorded as present / absent (stored as 0 or 1, answered like a question).
PRESENCE_SIGNS: tuple[Sign, ...] = tuple(sign for sign in Sign if not sign.is_rated)


def descriptor(sign: Sign, level: int) -> str:
    """The plain-words label of one level of a sign."""
    return sign.levels[level]


def level_name(sign: Sign, level: int) -> str:
    """The short name of a level ("mild"), without its explanation."""
    return sign.levels[level].split(":")[0]


# --- Yes/no questions ----------------------------------------------------------------


class Group(StrEnum):
    SIGN = "sign"  # a sign noticed: bleeding, dryness
    AFTERCARE = "aftercare"  # done / not done
    WARNING = "warning"  # a warning sign: ticked or not


@dataclass(frozen=True)
class Question:
    """One yes/no item of a day: its column name, what the patient reads, a short
    form for narrow table cells, and its group."""

    key: str
    label: str
    short: str
    group: Group


# The single list of yes/no items: the database columns, the form, the CSV,
# the PDF and the FHIR file all follow this order.
QUESTIONS: tuple[Question, ...] = (
    Question(Sign.BLEEDING.value, SIGN_INFO[Sign.BLEEDING].label, "bleeding", Group.SIGN),
    Question(Sign.DRYNESS.value, SIGN_INFO[Sign.DRYNESS].label, "dryness", Group.SIGN),
    Question("sunscreen", "Sunscreen, SPF 30 or higher", "SPF", Group.AFTERCARE),
    Question("sun_avoided", "Kept the treated skin out of direct sun", "shade", Group.AFTERCARE),
    Question("gentle_products", "Used only gentle, non-irritating products", "gentle", Group.AFTERCARE),
    Question("hydrated", "Kept the skin moisturised", "moisturised", Group.AFTERCARE),
    Question("pus", "Pus or yellow crust", "pus/crust", Group.WARNING),
    Question("spreading_redness", "Redness that spreads or keeps increasing", "spreading redness", Group.WARNING),
    Question("warmth", "The area feels warm or hot", "warmth", Group.WARNING),
    Question("increasing_pain", "Pain that is getting worse", "more pain", Group.WARNING),
    Question("fever", "Fever or feeling unwell", "fever", Group.WARNING),
    Question("blisters", "Blisters or cold sores", "blisters", Group.WARNING),
    Question("itchy_bumps", "New red, itchy bumps", "itchy bumps", Group.WARNING),
)

QUESTION_BY_KEY: dict[str, Question] = {question.key: question for question in QUESTIONS}
YES_NO_KEYS: tuple[str, ...] = tuple(question.key for question in QUESTIONS)
AFTERCARE: tuple[Question, ...] = tuple(q for q in QUESTIONS if q.group is Group.AFTERCARE)
WARNING_SIGNS: tuple[Question, ...] = tuple(q for q in QUESTIONS if q.group is Group.WARNING)
AFTERCARE_KEYS: tuple[str, ...] = tuple(q.key for q in AFTERCARE)
WARNING_KEYS: tuple[str, ...] = tuple(q.key for q in WARNING_SIGNS)


# --- Severities ----------------------------------------------------------------------


class Severity(StrEnum):
    """How much a flag asks of the patient, least first."""

    INFO = "info"
    WATCH = "watch"
    CONTACT = "contact"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    @property
    def style(self) -> SeverityStyle:
        return SEVERITY_STYLES[self]

    @property
    def word(self) -> str:
        return SEVERITY_STYLES[self].word


class Tone(StrEnum):
    """How loudly a screen shows a severity (a neutral, a warning or an alarm box)."""

    NEUTRAL = "neutral"
    WARNING = "warning"
    ALARM = "alarm"


@dataclass(frozen=True)
class SeverityStyle:
    """What a severity looks like everywhere: the words the patient reads (cards,
    chart legend, CSV, PDF), a colour (chart, PDF), a marker shape so that
    colour is never the only cue, and the tone of the box on screen."""

    word: str
    colour: str  # hex sRGB, readable on white
    shape: str  # Vega-Lite point shape
    tone: Tone


SEVERITY_STYLES: dict[Severity, SeverityStyle] = {
    Severity.INFO: SeverityStyle("Note", "#5f6b6d", "circle", Tone.NEUTRAL),
    Severity.WATCH: SeverityStyle("Keep an eye on it", "#a15c00", "diamond", Tone.WARNING),
    Severity.CONTACT: SeverityStyle("Contact your practitioner", "#c0392b", "square", Tone.ALARM),
    Severity.URGENT: SeverityStyle("Seek medical advice now", "#7b0000", "triangle-down", Tone.ALARM),
}

# The status of an area with no open flag, or only notes.
ON_TRACK = "On track"


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """'#a15c00' -> (161, 92, 0), for renderers that want numbers (the PDF)."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


# --- The profile ---------------------------------------------------------------------

# Fitzpatrick phototypes, described in plain words for the profile form.
FITZPATRICK: dict[int, str] = {
    1: "I: very fair skin, always burns, never tans",
    2: "II: fair skin, burns easily, tans a little",
    3: "III: medium skin, sometimes burns, tans gradually",
    4: "IV: olive or light brown skin, rarely burns, tans easily",
    5: "V: brown skin, very rarely burns, tans darkly",
    6: "VI: deeply pigmented dark brown to black skin, never burns",
}
