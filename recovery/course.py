"""The expected course of healing after microneedling, kept as data.

Each `Band` says: for this sign, from `first_day` to `last_day` after treatment
(day 0 = treatment day), a rating up to `max_rating` is still part of a normal
recovery. The chart shades these bands; the flag rules compare each logged
rating with them. Values follow the "starting rule for the app" column of
shared/clinical-notes.md, which builds on the seed document and literature.

Where the document leaves a number open, the app picks one here as a named,
overridable constant (see `Thresholds`), so a practitioner can change it in
settings without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass

from recovery.vocabulary import ALL_SIGNS, Severity, Sign

# --- Thresholds the source document leaves open --------------------------------

# Spots "lasting" long enough to see a dermatologist. The document only says
# persistent spots need a professional and early treatment works best; two
# weeks is past the ~7-day window in which routine effects clear (Chu 2021)
# with a week's margin for faint marks to fade on their own.
SPOT_CONSULT_DAYS = 14
# Darker skin, a melasma/PIH history, deep needling or missed sun protection make
# lasting spots more likely (seed document, risk-factor section), so such
# patients are sent to a dermatologist after one week instead of two.
SPOT_CONSULT_DAYS_HIGHER_RISK = 7
# Three unlogged days in a row can hide the day-3 check, when redness should
# have faded (Martin & Huang 2021), so the journal gently points the gap out.
GAP_DAYS = 3
# Gaps matter while the skin is still healing and spots may still appear:
# routine effects clear in ~7 days (Chu 2021); a second week covers new spots.
GAP_WINDOW_DAYS = 14
# The document asks for sun avoidance and SPF 30+ "for at least a week".
AFTERCARE_WINDOW_DAYS = 7
# The document only says "too deep" adds trauma; 1.5 mm is the median depth
# used for scars in the literature (clinical notes), i.e. the deeper half of
# treatments, so from there on the app treats depth as a risk factor.
HIGH_RISK_NEEDLE_DEPTH_MM = 1.5


@dataclass(frozen=True)
class Thresholds:
    """The open thresholds above, grouped so settings can override any of them."""

    spot_consult_days: int = SPOT_CONSULT_DAYS
    spot_consult_days_higher_risk: int = SPOT_CONSULT_DAYS_HIGHER_RISK
    gap_days: int = GAP_DAYS
    gap_window_days: int = GAP_WINDOW_DAYS
    aftercare_window_days: int = AFTERCARE_WINDOW_DAYS
    high_risk_needle_depth_mm: float = HIGH_RISK_NEEDLE_DEPTH_MM

    def spot_days(self, higher_risk: bool) -> int:
        """How long spots may last before the app suggests a dermatologist."""
        return self.spot_consult_days_higher_risk if higher_risk else self.spot_consult_days


# --- The expected course ---------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """Highest rating of one sign still normal from first_day to last_day.

    `last_day` None means "from first_day on, for good". `if_exceeded` is the
    severity the flag rules give a rating above this band ("watch" or
    Severity.CONTACT), so how worrying an excess is lives in the table too.
    """

    sign: Sign
    first_day: int
    last_day: int | None
    max_rating: int
    source: str
    reason: str
    if_exceeded: Severity = Severity.WATCH


_SEED_NORMAL = "Seed document, opening section on normal reactions"
_SEED_SIDE_EFFECTS = "Seed document, 'Potential Side Effects of Microneedling'"
_SEED_SEEK_HELP = "Seed document, 'When to Seek Medical Attention'"
_MARTIN = "Martin & Huang, JAAD Case Rep 2021"
_CHU = "Chu et al., Dermatol Surg 2021"
_GOWDA = "Gowda et al., JCAD 2021"

EXPECTED_COURSE: tuple[Band, ...] = (
    # Redness peaks on days 0-1 and fades within a couple of days.
    Band(
        Sign.REDNESS,
        0,
        1,
        4,
        f"{_SEED_NORMAL}; {_SEED_SIDE_EFFECTS}",
        "Strong redness right after treatment is a normal reaction.",
    ),
    Band(Sign.REDNESS, 2, 2, 2, f"{_SEED_NORMAL}; {_MARTIN}", "By day 2 redness usually calms down to mild."),
    Band(Sign.REDNESS, 3, 7, 1, f"{_MARTIN}; {_CHU}", "From day 3 redness is usually faint or gone (about 72 hours)."),
    Band(
        Sign.REDNESS,
        8,
        None,
        0,
        f"{_CHU}; {_GOWDA}; {_SEED_SEEK_HELP}",
        "After the first week redness is expected to be gone.",
        Severity.CONTACT,
    ),
    # Swelling follows redness but usually settles a little earlier.
    Band(
        Sign.SWELLING,
        0,
        0,
        4,
        f"{_SEED_NORMAL}; {_SEED_SIDE_EFFECTS}",
        "Swelling on the day of treatment is a normal reaction.",
    ),
    Band(
        Sign.SWELLING,
        1,
        1,
        3,
        f"{_SEED_NORMAL}; {_SEED_SIDE_EFFECTS}",
        "Swelling usually starts to settle from the next day.",
    ),
    Band(Sign.SWELLING, 2, 2, 2, f"{_SEED_NORMAL}; {_MARTIN}", "By day 2 swelling is usually slight at most."),
    Band(Sign.SWELLING, 3, 7, 1, f"{_MARTIN}; {_CHU}", "From day 3 swelling is usually barely noticeable or gone."),
    Band(
        Sign.SWELLING,
        8,
        None,
        0,
        f"{_CHU}; {_GOWDA}; {_SEED_SEEK_HELP}",
        "After the first week swelling is expected to be gone.",
        Severity.CONTACT,
    ),
    # Pinpoint bleeding belongs to the treatment itself; day 1 is allowed for
    # oozing noticed the morning after. Days 2-3 are a "watch" (a scratched or
    # picked spot can bleed), later bleeding is unusual enough to ask about.
    Band(
        Sign.BLEEDING, 0, 1, 1, _SEED_NORMAL, "Pinpoint bleeding just after treatment is normal and stops within hours."
    ),
    Band(Sign.BLEEDING, 2, 3, 0, _SEED_NORMAL, "Bleeding is not expected once the first day has passed."),
    Band(
        Sign.BLEEDING,
        4,
        None,
        0,
        f"{_SEED_NORMAL}; {_SEED_SEEK_HELP}",
        "Bleeding several days after treatment is not part of normal healing.",
        Severity.CONTACT,
    ),
    # Dryness and peeling are expected during the first week (vendor guidance);
    # lingering dryness is mostly a comfort issue, so it stays a "watch".
    Band(
        Sign.DRYNESS,
        0,
        7,
        1,
        "Aftercare guidance from device vendors (clinical notes)",
        "Dryness or light peeling during the first week is expected.",
    ),
    Band(
        Sign.DRYNESS,
        8,
        None,
        0,
        "Aftercare guidance from device vendors (clinical notes)",
        "Dryness usually clears within about a week.",
    ),
    # Spots are never expected; the spot rules in flags.py handle them.
    Band(
        Sign.SPOTS,
        0,
        None,
        0,
        "Seed document, 'Causes of Spots After Microneedling'; Hou 2017; " + _CHU,
        "Spots are not an expected part of healing, though most are temporary.",
    ),
)

_BEFORE_TREATMENT_SOURCE = "No treatment yet: nothing from it is expected"


def _bands_of(sign: Sign) -> tuple[Band, ...]:
    if sign not in ALL_SIGNS:
        raise ValueError(f"unknown sign: {sign!r}")
    return tuple(b for b in EXPECTED_COURSE if b.sign == sign)


def expected_band(sign: Sign, days_since_treatment: int) -> Band:
    """The band covering one day of the course (days < 0: before treatment)."""
    bands = _bands_of(sign)
    if days_since_treatment < 0:
        # Before treatment the treatment cannot explain any sign.
        return Band(Sign(sign), days_since_treatment, -1, 0, _BEFORE_TREATMENT_SOURCE, "before treatment")
    for band in bands:
        ends_later = band.last_day is None or days_since_treatment <= band.last_day
        if band.first_day <= days_since_treatment and ends_later:
            return band
    raise LookupError(f"no band for {sign} on day {days_since_treatment}")


def within_band(sign: Sign, days_since_treatment: int, rating: int) -> bool:
    """Whether a rating is still part of a normal recovery on that day of the course."""
    return rating <= expected_band(sign, days_since_treatment).max_rating


def band_series(sign: Sign, last_day: int) -> list[tuple[int, int]]:
    """(day, highest normal rating) for days 0..last_day, for shading a chart."""
    return [(day, expected_band(sign, day).max_rating) for day in range(last_day + 1)]
