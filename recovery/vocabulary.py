"""Every word the app shares, defined once: areas, signs and their scales,
the yes/no questions, severities with their words and colours.

Pages, charts, the CSV, the PDF and the FHIR file all read these tables, so a
label changed here changes everywhere, and nothing is ever matched on the
text a patient reads (code compares the enum members).

Descriptors paraphrase the scales in docs/clinical-basis.md ("Rating scales":
redness after the Clinician's Erythema Assessment, swelling after the Draize
oedema scale).
Every level carries a label because users of other trackers complain about
unlabelled scales.

The tables hold the English words (the catalogue's msgids, marked N_); the
properties that read them (`Sign.label`, `Question.label`, `Severity.word`...)
give them in the current language (recovery.language).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from recovery.language import N_, _


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
        return _(AREA_LABELS[self])


AREA_LABELS: dict[Area, str] = {
    Area.FACE: N_("Face"),
    Area.NECK: N_("Neck"),
    Area.CHEST: N_("Chest"),
    Area.HANDS: N_("Hands"),
    Area.SCALP: N_("Scalp"),
    Area.OTHER: N_("Other"),
}


AREAS: tuple[Area, ...] = tuple(Area)


def area_label(area: str) -> str:
    """ "Face" for "face" (or Area.FACE): what a list of areas shows."""
    return Area(area).label


class Sign(StrEnum):
    """Something the patient observes on the treated skin."""

    REDNESS = "redness"
    SWELLING = "swelling"
    SPOTS = "spots"
    PAIN = "pain"
    ITCH = "itch"
    BLEEDING = "bleeding"
    DRYNESS = "dryness"

    @property
    def label(self) -> str:
        return _(SIGN_INFO[self].label)

    @property
    def levels(self) -> tuple[str, ...]:
        """The words for each level, 0 first."""
        return tuple(_(level) for level in SIGN_INFO[self].levels)

    @property
    def level_names(self) -> tuple[str, ...]:
        """One or two words per level, 0 first ("clear", "faint", ...)."""
        return tuple(_(name) for name in SIGN_INFO[self].short)

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
    # One or two words per level, for a chart axis and table cells on a phone.
    short: tuple[str, ...]
    # The clinical scale it follows, for the dermatologist's files (CSV, PDF):
    # never shown to the patient. `basis` is the CSV header's short form; the
    # PDF names the scale in full in its technical section.
    basis: str = ""
    basis_name: str = ""


_PRESENCE = (N_("absent"), N_("present"))
_PRESENCE_SHORT = (N_("no"), N_("yes"))

# Redness looks darker, purplish or browner than usual on darker skin, where
# visual grading under-rates it (clinical notes, "Clinical review").
SIGN_INFO: dict[Sign, SignInfo] = {
    Sign.REDNESS: SignInfo(
        N_("Redness"),
        (
            N_("clear: your usual skin colour"),
            N_("almost clear: a slight pink tint, or on darker skin slightly darker than usual"),
            N_("mild: definite redness, or on darker skin darker, purplish or browner than usual"),
            N_("moderate: marked redness or darkening"),
            N_("severe: intense, fiery redness, or a deep purple-brown darkening"),
        ),
        (N_("clear"), N_("faint"), N_("mild"), N_("moderate"), N_("severe")),
        "CEA-based",
        "after the Clinician's Erythema Assessment (CEA)",
    ),
    Sign.SWELLING: SignInfo(
        N_("Swelling"),
        (
            N_("none"),
            N_("barely noticeable"),
            N_("slight: edges can be seen"),
            N_("moderate: clearly raised"),
            N_("severe: spreads past the treated area"),
        ),
        (N_("none"), N_("barely"), N_("slight"), N_("moderate"), N_("severe")),
        "Draize-based",
        "after the Draize oedema scale",
    ),
    Sign.SPOTS: SignInfo(
        N_("Spots (new brown or grey marks)"),
        (
            N_("none: no marks that were not there before treatment"),
            N_("one or two faint new brown or grey marks"),
            N_("a few new marks you can clearly see"),
            N_("many new marks, or dark ones"),
            N_("new dark patches over much of the area"),
        ),
        (N_("none"), N_("1-2 faint"), N_("a few"), N_("many"), N_("patches")),
    ),
    Sign.PAIN: SignInfo(
        N_("Pain or tenderness"),
        (
            N_("none"),
            N_("slight: tender only when touched"),
            N_("sore, like a mild sunburn"),
            N_("painful even without touching"),
            N_("severe pain"),
        ),
        (N_("none"), N_("tender"), N_("sore"), N_("painful"), N_("severe")),
    ),
    Sign.ITCH: SignInfo(
        N_("Itch or burning"),
        (
            N_("none"),
            N_("slight itch or tingling"),
            N_("itchy or burning, but easy to ignore"),
            N_("hard to ignore: you keep wanting to scratch"),
            N_("severe: it keeps you awake"),
        ),
        (N_("none"), N_("slight"), N_("itchy"), N_("strong"), N_("severe")),
    ),
    Sign.BLEEDING: SignInfo(N_("Pinpoint bleeding"), _PRESENCE, _PRESENCE_SHORT),
    Sign.DRYNESS: SignInfo(N_("Dryness or peeling"), _PRESENCE, _PRESENCE_SHORT),
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
    """The short name of a level ("mild"), for axes and narrow cells."""
    return _(SIGN_INFO[sign].short[level])


def level_words(sign: Sign, level: int) -> str:
    """A level in full words without its explanation ("new dark patches over much
    of the area"), for exports a clinician reads without the app beside them."""
    return sign.levels[level].split(":")[0]


# --- Yes/no questions ----------------------------------------------------------------


class Group(StrEnum):
    SIGN = "sign"  # a sign noticed: bleeding, dryness
    AFTERCARE = "aftercare"  # done / not done
    WARNING = "warning"  # a warning sign: ticked or not
    EMERGENCY = "emergency"  # a sign to call emergency services for


@dataclass(frozen=True)
class Question:
    """One yes/no item of a day: its column name, what the patient reads, a short
    form for narrow table cells, and its group."""

    key: str
    text: str  # the English words (msgid); `label` gives them translated
    short_text: str
    group: Group

    @property
    def label(self) -> str:
        return _(self.text)

    @property
    def short(self) -> str:
        return _(self.short_text)


# The single list of yes/no items: the database columns, the form, the CSV,
# the PDF and the FHIR file all follow this order.
QUESTIONS: tuple[Question, ...] = (
    Question(Sign.BLEEDING.value, SIGN_INFO[Sign.BLEEDING].label, N_("bleeding"), Group.SIGN),
    Question(Sign.DRYNESS.value, SIGN_INFO[Sign.DRYNESS].label, N_("dryness"), Group.SIGN),
    Question("sunscreen", N_("Sunscreen, SPF 30 or higher"), N_("SPF"), Group.AFTERCARE),
    Question("sun_avoided", N_("Kept the treated skin out of direct sun"), N_("shade"), Group.AFTERCARE),
    Question(
        "gentle_products",
        N_("Only gentle products: no retinoids, acids or vitamin C"),
        N_("gentle"),
        Group.AFTERCARE,
    ),
    Question("hydrated", N_("Kept the skin moisturised"), N_("moisturised"), Group.AFTERCARE),
    Question("makeup_avoided", N_("No make-up on the treated skin"), N_("no make-up"), Group.AFTERCARE),
    Question("pus", N_("Pus: thick yellow or green fluid"), N_("pus"), Group.WARNING),
    Question("crust", N_("A thin yellow crust"), N_("yellow crust"), Group.WARNING),
    Question(
        "spreading_redness", N_("Redness that spreads or keeps increasing"), N_("spreading redness"), Group.WARNING
    ),
    Question("warmth", N_("The area feels warm or hot"), N_("warmth"), Group.WARNING),
    Question("increasing_pain", N_("Pain that is getting worse"), N_("more pain"), Group.WARNING),
    Question("fever", N_("Fever or feeling unwell"), N_("fever"), Group.WARNING),
    Question("blisters", N_("Blisters or cold sores"), N_("blisters"), Group.WARNING),
    Question("itchy_bumps", N_("New red, itchy bumps"), N_("itchy bumps"), Group.WARNING),
    Question("track_marks", N_("Lines or dots in the pattern of the needle passes"), N_("track marks"), Group.WARNING),
    Question("lips_throat", N_("Swelling of the lips, tongue or throat"), N_("lips/throat swelling"), Group.EMERGENCY),
    Question("breathing", N_("Trouble breathing or swallowing"), N_("breathing"), Group.EMERGENCY),
    Question("eye", N_("Blisters or pain near the eye, or a change in your sight"), N_("eye"), Group.EMERGENCY),
    Question("fever_shivering", N_("Fever with shivering, or confusion"), N_("fever, shivering"), Group.EMERGENCY),
)

QUESTION_BY_KEY: dict[str, Question] = {question.key: question for question in QUESTIONS}
YES_NO_KEYS: tuple[str, ...] = tuple(question.key for question in QUESTIONS)
AFTERCARE: tuple[Question, ...] = tuple(q for q in QUESTIONS if q.group is Group.AFTERCARE)
WARNING_SIGNS: tuple[Question, ...] = tuple(q for q in QUESTIONS if q.group is Group.WARNING)
EMERGENCY_SIGNS: tuple[Question, ...] = tuple(q for q in QUESTIONS if q.group is Group.EMERGENCY)
AFTERCARE_KEYS: tuple[str, ...] = tuple(q.key for q in AFTERCARE)
WARNING_KEYS: tuple[str, ...] = tuple(q.key for q in WARNING_SIGNS)
EMERGENCY_KEYS: tuple[str, ...] = tuple(q.key for q in EMERGENCY_SIGNS)


# --- Severities ----------------------------------------------------------------------


class Severity(StrEnum):
    """How much a flag asks of the patient, least first."""

    INFO = "info"
    WATCH = "watch"
    CONTACT = "contact"
    URGENT = "urgent"
    EMERGENCY = "emergency"

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

    text: str  # the English words (msgid); `word` gives them translated
    short_text: str  # one word, for a chart axis
    colour: str  # hex sRGB, readable on white
    shape: str  # Vega-Lite point shape
    tone: Tone

    @property
    def word(self) -> str:
        return _(self.text)

    @property
    def short(self) -> str:
        return _(self.short_text)


SEVERITY_STYLES: dict[Severity, SeverityStyle] = {
    Severity.INFO: SeverityStyle(N_("Note"), N_("Note"), "#5f6b6d", "circle", Tone.NEUTRAL),
    Severity.WATCH: SeverityStyle(N_("Keep an eye on it"), N_("Watch"), "#a15c00", "diamond", Tone.WARNING),
    Severity.CONTACT: SeverityStyle(N_("Contact your practitioner"), N_("Contact"), "#c0392b", "square", Tone.ALARM),
    # Urgent signs need someone who can prescribe (docs/clinical-basis.md, "Who can help").
    Severity.URGENT: SeverityStyle(N_("See a doctor today"), N_("Urgent"), "#7b0000", "triangle-down", Tone.ALARM),
    Severity.EMERGENCY: SeverityStyle(
        N_("Call emergency services now"), N_("Emergency"), "#3d0a52", "cross", Tone.ALARM
    ),
}


# --- Who can help, and how soon ------------------------------------------------------------


class Tier(StrEnum):
    """What a flag asks of the patient, named by who can help (docs/clinical-basis.md,
    "Who can help"): many who perform microneedling cannot prescribe, so signs that
    may need a medicine go to a doctor the same day."""

    NOTE = "note"
    WATCH = "watch"  # keep logging; nobody needed yet
    CONTACT = "contact"  # the practitioner (or a dermatologist), within a day or two
    URGENT_DOCTOR = "urgent-doctor"  # a doctor today; the practitioner told as well
    EMERGENCY = "emergency"  # call the emergency number


TIER_OF: dict[Severity, Tier] = {
    Severity.INFO: Tier.NOTE,
    Severity.WATCH: Tier.WATCH,
    Severity.CONTACT: Tier.CONTACT,
    Severity.URGENT: Tier.URGENT_DOCTOR,
    Severity.EMERGENCY: Tier.EMERGENCY,
}


class Helper(StrEnum):
    """Whom a flag's advice sends the patient to."""

    NOBODY = "nobody"  # keep an eye on it, or a note
    PRACTITIONER = "practitioner"
    DERMATOLOGIST = "dermatologist"
    DOCTOR = "doctor"
    EMERGENCY_SERVICES = "emergency services"

    @property
    def action(self) -> str:
        """What to do, in a few words: a card's heading, a PDF row."""
        return _(HELPER_ACTIONS[self])


HELPER_ACTIONS: dict[Helper, str] = {
    Helper.NOBODY: N_("Keep an eye on it"),
    Helper.PRACTITIONER: SEVERITY_STYLES[Severity.CONTACT].text,
    Helper.DERMATOLOGIST: N_("Book a dermatologist"),
    Helper.DOCTOR: SEVERITY_STYLES[Severity.URGENT].text,
    Helper.EMERGENCY_SERVICES: SEVERITY_STYLES[Severity.EMERGENCY].text,
}
# Whom each tier names unless a rule says otherwise (lasting marks: a dermatologist).
HELPER_OF: dict[Tier, Helper] = {
    Tier.NOTE: Helper.NOBODY,
    Tier.WATCH: Helper.NOBODY,
    Tier.CONTACT: Helper.PRACTITIONER,
    Tier.URGENT_DOCTOR: Helper.DOCTOR,
    Tier.EMERGENCY: Helper.EMERGENCY_SERVICES,
}

# The status of an area with no open flag, or only notes, once something is logged.
ON_TRACK = N_("On track")
NOTHING_LOGGED = N_("Nothing logged yet")
# A card whose flags have all eased: said instead of its severity's words and
# advice, which asked for something that is no longer needed.
EASED = N_("Eased")
EASED_ADVICE = N_(
    "Nothing to do now: this has settled. Keep logging as usual; if it comes back, the journal will show it again."
)
# Said after saving a past day whose card has eased since (recovery.card_words.eased_line):
# why the save shows no card, and, for a sign that asked for someone's help, what to
# do if it is in fact still there (a later day's "no" may have been a slip).
EASED_SINCE = N_("eased on {eased}: a later day no longer has it")
STILL_THERE = N_("If it is still there today, log today so the journal shows it again, or do what it asked: {advice}")


def counted(count: int, noun: str) -> str:
    """ "1 photo", "2 photos", "0 photos": a number said with its noun, for every
    screen, rather than "photo(s)" (regular plurals only)."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """'#a15c00' -> (161, 92, 0), for renderers that want numbers (the PDF)."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


# --- The profile ---------------------------------------------------------------------

# Fitzpatrick phototypes, described in plain words for the profile form.
FITZPATRICK: dict[int, str] = {
    1: N_("I: very fair skin, always burns, never tans"),
    2: N_("II: fair skin, burns easily, tans a little"),
    3: N_("III: medium skin, sometimes burns, tans gradually"),
    4: N_("IV: olive or light brown skin, rarely burns, tans easily"),
    5: N_("V: brown skin, very rarely burns, tans darkly"),
    6: N_("VI: deeply pigmented dark brown to black skin, never burns"),
}


# --- Needle depth ----------------------------------------------------------------------


class Depth(StrEnum):
    """How deep a session went, in the classes the expected course distinguishes."""

    SHALLOW = "shallow"  # up to 0.5 mm: cosmetic depths
    MEDIUM = "medium"  # up to 1.5 mm (also when the depth is not known)
    DEEP = "deep"  # beyond 1.5 mm: scar treatment

    @property
    def label(self) -> str:
        return {"shallow": "up to 0.5 mm", "medium": "up to 1.5 mm", "deep": "deeper than 1.5 mm"}[self.value]


SHALLOW_UP_TO_MM = 0.5
MEDIUM_UP_TO_MM = 1.5


def depth_class(needle_depth_mm: float | None) -> Depth:
    """The class of one session's depth; an unknown depth is judged as medium, the
    usual depth and the band between the gentlest and the widest."""
    if needle_depth_mm is None:
        return Depth.MEDIUM
    if needle_depth_mm <= SHALLOW_UP_TO_MM:
        return Depth.SHALLOW
    if needle_depth_mm <= MEDIUM_UP_TO_MM:
        return Depth.MEDIUM
    return Depth.DEEP


# --- The profile's yes/no questions ------------------------------------------------------


@dataclass(frozen=True)
class ProfileQuestion:
    """A question about the patient that changes the risk; None = not answered."""

    key: str
    label: str  # the question on the profile page
    risk: str  # what the answer means, for the risk list and the PDF
    short: str  # for narrow table cells


PROFILE_QUESTIONS: tuple[ProfileQuestion, ...] = (
    ProfileQuestion(
        "isotretinoin_recent",
        N_("I took isotretinoin (e.g. Roaccutane) in the last 6 months"),
        N_("Isotretinoin in the last 6 months: skin heals more slowly and scars more easily"),
        "isotretinoin in last 6 months",
    ),
    ProfileQuestion(
        "topical_retinoids",
        N_("I use retinoid creams (retinol, tretinoin, adapalene)"),
        N_("Retinoid creams: more irritation of freshly treated skin"),
        "retinoid creams",
    ),
    ProfileQuestion(
        "blood_thinners",
        N_("I take blood thinners (e.g. warfarin, apixaban, daily aspirin)"),
        N_("Blood thinners: more bleeding and bruising"),
        "blood thinners",
    ),
    ProfileQuestion(
        "keloid_tendency",
        N_("I get raised or thick scars (keloids)"),
        N_("A tendency to keloids: raised scars are more likely"),
        "keloids",
    ),
    ProfileQuestion(
        "serum_allergies",
        N_("I have reacted to a skin product or serum before"),
        N_("Earlier reactions to skin products: a product reaction is more likely"),
        "earlier product reactions",
    ),
    ProfileQuestion(
        "pregnant",
        N_("I am pregnant or breastfeeding"),
        N_("Pregnancy or breastfeeding: many clinics do not treat then; tell the practitioner"),
        "pregnant or breastfeeding",
    ),
)
PROFILE_QUESTION_KEYS: tuple[str, ...] = tuple(q.key for q in PROFILE_QUESTIONS)

# Asked per treatment: the state of the skin on the day of the session.
TREATMENT_QUESTIONS: tuple[ProfileQuestion, ...] = (
    ProfileQuestion(
        "active_acne",
        N_("Active acne in the treated area on the day"),
        N_("Active acne at treatment: infection can spread"),
        "active acne",
    ),
    ProfileQuestion(
        "cold_sore_at_treatment",
        N_("A cold sore on the day, or one starting"),
        N_("A cold sore at treatment: a flare-up is more likely"),
        "cold sore",
    ),
)
TREATMENT_QUESTION_KEYS: tuple[str, ...] = tuple(q.key for q in TREATMENT_QUESTIONS)


# --- After treatment: products and medicines, and what the patient did about a flag ------


class ProductKind(StrEnum):
    """Something put on the skin or taken after treatment; the value is what the database stores.

    The dermatologist asks first which products went on after needling and which
    medicines were started since (docs/clinical-basis.md, "What the dermatologist asks first")."""

    SKIN_PRODUCT = "skin product"
    ANTIVIRAL = "antiviral"
    ANTIBIOTIC = "antibiotic"
    STEROID_CREAM = "steroid cream"
    OTHER_MEDICINE = "other medicine"

    @property
    def label(self) -> str:
        return _(PRODUCT_KIND_LABELS[self])

    @property
    def is_medicine(self) -> bool:
        return self is not ProductKind.SKIN_PRODUCT


PRODUCT_KIND_LABELS: dict[ProductKind, str] = {
    ProductKind.SKIN_PRODUCT: N_("Product on the skin (serum, cream, moisturiser)"),
    ProductKind.ANTIVIRAL: N_("Antiviral medicine"),
    ProductKind.ANTIBIOTIC: N_("Antibiotic (tablets or cream)"),
    ProductKind.STEROID_CREAM: N_("Steroid cream"),
    ProductKind.OTHER_MEDICINE: N_("Other medicine"),
}
PRODUCT_KINDS: tuple[ProductKind, ...] = tuple(ProductKind)


class FlagAction(StrEnum):
    """What the patient did about a flag, chosen on its card; the value is stored."""

    NOTHING_YET = "nothing yet"
    CALLED_CLINIC = "called clinic"
    SEEN_BY_DOCTOR = "seen by doctor"
    STARTED_MEDICINE = "started medicine"
    STOPPED_PRODUCT = "stopped product"
    EMERGENCY_CARE = "emergency care"

    @property
    def label(self) -> str:
        return _(FLAG_ACTION_LABELS[self])


FLAG_ACTION_LABELS: dict[FlagAction, str] = {
    FlagAction.NOTHING_YET: N_("Nothing yet"),
    FlagAction.CALLED_CLINIC: N_("Called the clinic or practitioner"),
    FlagAction.SEEN_BY_DOCTOR: N_("Seen by a doctor"),
    FlagAction.STARTED_MEDICINE: N_("Started a medicine"),
    FlagAction.STOPPED_PRODUCT: N_("Stopped a product"),
    FlagAction.EMERGENCY_CARE: N_("Went to emergency care"),
}
FLAG_ACTIONS: tuple[FlagAction, ...] = tuple(FlagAction)


class ShareKind(StrEnum):
    """The kind of file a share record names (store.schema m008); the value is stored."""

    PDF = "pdf"
    CSV = "csv"
    FHIR = "fhir"
    DICOM = "dicom"
    BACKUP = "backup"

    @property
    def label(self) -> str:
        return _(SHARE_KIND_LABELS[self])


SHARE_KIND_LABELS: dict[ShareKind, str] = {
    ShareKind.PDF: N_("Summary for a dermatologist (PDF)"),
    ShareKind.CSV: N_("Spreadsheet (CSV)"),
    ShareKind.FHIR: N_("Health record (FHIR)"),
    ShareKind.DICOM: N_("Photos for an image archive (DICOM)"),
    ShareKind.BACKUP: N_("Encrypted backup"),
}
SHARE_KINDS: tuple[ShareKind, ...] = tuple(ShareKind)
NOT_SAID = N_("not said")  # a share whose recipient the patient left empty


class View(StrEnum):
    """A named view of an area (issue 22); the value is stored with each photo.

    Photo guidelines for teledermatology ask for the same views every time
    (docs/clinical-basis.md, "Photo views"), so that day 0 and day 14 are the
    same picture: photos are compared, lined up and time-lapsed within a view.
    UNSPECIFIED is every photo taken before views existed (and any photo whose
    view nobody said): a group of its own that still works as before."""

    UNSPECIFIED = "unspecified"
    FRONT = "front"
    LEFT = "left"
    RIGHT = "right"
    WHOLE = "whole"
    CLOSE_UP = "close-up"

    @property
    def label(self) -> str:
        return _(VIEW_INFO[self].label)

    @property
    def guide(self) -> str:
        """One sentence saying how to take the photo."""
        return _(VIEW_INFO[self].guide)


@dataclass(frozen=True)
class ViewInfo:
    label: str
    guide: str


VIEW_INFO: dict[View, ViewInfo] = {
    View.UNSPECIFIED: ViewInfo(N_("Unspecified view"), N_("A photo taken before views were named, or without one.")),
    View.FRONT: ViewInfo(
        N_("Front"), N_("Look straight into the camera, held at the height of the area, all of it in the frame.")
    ),
    View.LEFT: ViewInfo(
        N_("Left side"), N_("Turn your head to the right so the camera sees your left side straight on.")
    ),
    View.RIGHT: ViewInfo(
        N_("Right side"), N_("Turn your head to the left so the camera sees your right side straight on.")
    ),
    View.WHOLE: ViewInfo(
        N_("Whole area"),
        N_("Hold the camera straight over the area, all of it in the frame, in the same light as before."),
    ),
    View.CLOSE_UP: ViewInfo(
        N_("Close-up with the card"),
        N_("Hold the printed card flat beside the treated skin and come close, the card and the skin both sharp."),
    ),
}

# The views each area asks for, in the order Log a day asks for them: the face
# and neck after the guidelines' front, both sides and a close-up with the scale;
# a flat area (chest, hands, scalp...) the whole area and a close-up.
AREA_VIEWS: dict[Area, tuple[View, ...]] = {
    Area.FACE: (View.FRONT, View.LEFT, View.RIGHT, View.CLOSE_UP),
    Area.NECK: (View.FRONT, View.LEFT, View.RIGHT, View.CLOSE_UP),
    Area.CHEST: (View.WHOLE, View.CLOSE_UP),
    Area.HANDS: (View.WHOLE, View.CLOSE_UP),
    Area.SCALP: (View.WHOLE, View.CLOSE_UP),
    Area.OTHER: (View.WHOLE, View.CLOSE_UP),
}
VIEWS: tuple[View, ...] = tuple(View)


def views_of(area: str) -> tuple[View, ...]:
    """The named views an area asks for (never UNSPECIFIED)."""
    return AREA_VIEWS[Area(area)]


def due_views(area: str, taken: Iterable[str]) -> tuple[View, ...]:
    """The area's views still to photograph, given the views of the photos already taken that day."""
    done = {View(view) for view in taken}
    return tuple(view for view in views_of(area) if view not in done)
