"""The expected course of healing after microneedling, kept as data.

Each `Band` says: for this sign, after a session of this depth, from
`first_day` to `last_day` after treatment (day 0 = treatment day), a rating up
to `max_rating` is still part of a normal recovery. The chart shades these
bands; the flag rules compare each logged rating with them, raised to the
patient's own baseline (how the skin looked before treatment). Values follow
docs/clinical-basis.md ("Expected course" and "Depth"): deeper sessions heal
more slowly, so their bands are wider.

Where the document leaves a number open, the app picks one here as a named,
overridable constant (see `Thresholds`), so a practitioner can change it in
settings without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass

from recovery.language import N_
from recovery.vocabulary import ALL_SIGNS, Depth, Severity, Sign

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
# Actives (retinoids, acids, vitamin C) are avoided for about 5-7 days (clinical review).
ACTIVES_WINDOW_DAYS = 7
# No make-up for the first 24 hours: the day of treatment and the next morning.
MAKEUP_WINDOW_DAYS = 1
# PIH shows in weeks 2-4 and atypical mycobacterial infections incubate about
# three weeks (clinical review): after daily logging, a weekly entry to week 6.
FOLLOW_UP_WEEKS = 6
# An urgent or emergency flag stays open at least this long, whatever is unticked.
DANGER_OPEN_DAYS = 3
# The document only says "too deep" adds trauma; 1.5 mm is the median depth
# used for scars in the literature (clinical notes), i.e. the deeper half of
# treatments, so from there on the app treats depth as a risk factor.
HIGH_RISK_NEEDLE_DEPTH_MM = 1.5


# After 1.0-1.5 mm, faint pink on days 8-13 is common (docs/clinical-basis.md,
# "Faint pink after day 7"): one level above the band then is a watch, not a
# call; from day 14, at two levels above, or on a rise that holds, it is a call.
# Only for a known depth: an unknown one keeps the stricter band (safety first).
LINGERING_PINK_DAYS = (8, 13)
LINGERING_PINK_DEPTH_MM = (1.0, 1.5)


def lingering_pink(sign: Sign, day: int, needle_depth_mm: float | None, levels_above: int) -> bool:
    """Faint redness in the second week after a 1.0-1.5 mm session: a watch."""
    first, last = LINGERING_PINK_DAYS
    shallowest, deepest = LINGERING_PINK_DEPTH_MM
    return (
        sign is Sign.REDNESS
        and levels_above == 1
        and first <= day <= last
        and needle_depth_mm is not None
        and shallowest <= needle_depth_mm <= deepest
    )


@dataclass(frozen=True)
class Thresholds:
    """The open thresholds above, grouped so settings can override any of them."""

    spot_consult_days: int = SPOT_CONSULT_DAYS
    spot_consult_days_higher_risk: int = SPOT_CONSULT_DAYS_HIGHER_RISK
    gap_days: int = GAP_DAYS
    gap_window_days: int = GAP_WINDOW_DAYS
    aftercare_window_days: int = AFTERCARE_WINDOW_DAYS
    actives_window_days: int = ACTIVES_WINDOW_DAYS
    makeup_window_days: int = MAKEUP_WINDOW_DAYS
    follow_up_weeks: int = FOLLOW_UP_WEEKS
    danger_open_days: int = DANGER_OPEN_DAYS
    high_risk_needle_depth_mm: float = HIGH_RISK_NEEDLE_DEPTH_MM

    def spot_days(self, higher_risk: bool) -> int:
        """How long spots may last before the app suggests a dermatologist."""
        return self.spot_consult_days_higher_risk if higher_risk else self.spot_consult_days


# --- The expected course ---------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """Highest rating of one sign still normal from first_day to last_day.

    `depth` None means "after a session of any depth". `last_day` None means
    "from first_day on, for good". A rating above the band is judged by how far
    above it is (one level: keep an eye on it; two or more: contact the
    practitioner); `floor` raises that to at least this severity, for bands
    where any excess is already worth a call (a sign still there after the
    first week).
    """

    sign: Sign
    depth: Depth | None
    first_day: int
    last_day: int | None
    max_rating: int
    source: str
    reason: str
    floor: Severity = Severity.WATCH


_SEED_NORMAL = "Microneedling patient guide, opening section on normal reactions"
_SEED_SIDE_EFFECTS = "Microneedling patient guide, 'Potential Side Effects of Microneedling'"
_SEED_SEEK_HELP = "Microneedling patient guide, 'When to Seek Medical Attention'"
_MARTIN = "Martin & Huang, JAAD Case Rep 2021"
_CHU = "Chu et al., Dermatol Surg 2021"
_GOWDA = "Gowda et al., JCAD 2021"
_DEPTH = "Patient information on microneedling: 2-3 days after cosmetic depths, longer after deep treatment"
_VENDOR = "Aftercare guidance from device vendors"
_LATE = f"{_CHU}; {_GOWDA}; {_SEED_SEEK_HELP}"

_S, _M, _D = Depth.SHALLOW, Depth.MEDIUM, Depth.DEEP
_R, _W, _B, _P, _I = Sign.REDNESS, Sign.SWELLING, Sign.BLEEDING, Sign.PAIN, Sign.ITCH
_C = Severity.CONTACT

EXPECTED_COURSE: tuple[Band, ...] = (
    # Redness: peaks on days 0-1; clears in about 72 h at usual depths, within
    # two to three days after light sessions and more slowly after deep ones.
    Band(_R, _S, 0, 0, 3, f"{_SEED_NORMAL}; {_DEPTH}", N_("Pink to moderate redness on the day of a light session is normal.")),
    Band(_R, _S, 1, 1, 2, f"{_SEED_NORMAL}; {_DEPTH}", N_("The day after a light session redness is usually mild.")),
    Band(_R, _S, 2, 2, 1, f"{_MARTIN}; {_DEPTH}", N_("By day 2 after a light session redness is faint at most.")),
    Band(_R, _S, 3, 7, 0, f"{_MARTIN}; {_DEPTH}", N_("After a light session redness is usually gone by day 3.")),
    Band(_R, _M, 0, 1, 4, f"{_SEED_NORMAL}; {_SEED_SIDE_EFFECTS}", N_("Strong redness right after treatment is a normal reaction.")),
    Band(_R, _M, 2, 2, 2, f"{_SEED_NORMAL}; {_MARTIN}", N_("By day 2 redness usually calms down to mild.")),
    Band(_R, _M, 3, 7, 1, f"{_MARTIN}; {_CHU}", N_("From day 3 redness is usually faint or gone (about 72 hours).")),
    Band(_R, _D, 0, 2, 4, f"{_SEED_NORMAL}; {_DEPTH}", N_("After a deep session strong redness can last two to three days.")),
    Band(_R, _D, 3, 4, 2, f"{_DEPTH}; {_CHU}", N_("After a deep session redness is usually mild by day 3.")),
    Band(_R, _D, 5, 10, 1, f"{_DEPTH}; {_CHU}", N_("After a deep session faint redness can last into the second week.")),
    Band(_R, _S, 8, None, 0, _LATE, N_("After the first week redness is expected to be gone."), _C),
    Band(_R, _M, 8, None, 0, _LATE, N_("After the first week redness is expected to be gone."), _C),
    Band(_R, _D, 11, None, 0, f"{_LATE}; {_DEPTH}", N_("Redness is expected to be gone by day 11, even after deep sessions."), _C),
    # Swelling follows redness and settles a little earlier.
    Band(_W, _S, 0, 0, 2, f"{_SEED_NORMAL}; {_DEPTH}", N_("Slight swelling on the day of a light session is normal.")),
    Band(_W, _S, 1, 1, 1, f"{_SEED_NORMAL}; {_DEPTH}", N_("The day after a light session swelling is barely noticeable.")),
    Band(_W, _S, 2, 7, 0, f"{_MARTIN}; {_DEPTH}", N_("After a light session swelling is usually gone by day 2.")),
    Band(_W, _M, 0, 0, 4, f"{_SEED_NORMAL}; {_SEED_SIDE_EFFECTS}", N_("Swelling on the day of treatment is a normal reaction.")),
    Band(_W, _M, 1, 1, 3, f"{_SEED_NORMAL}; {_SEED_SIDE_EFFECTS}", N_("Swelling usually starts to settle from the next day.")),
    Band(_W, _M, 2, 2, 2, f"{_SEED_NORMAL}; {_MARTIN}", N_("By day 2 swelling is usually slight at most.")),
    Band(_W, _M, 3, 7, 1, f"{_MARTIN}; {_CHU}", N_("From day 3 swelling is usually barely noticeable or gone.")),
    Band(_W, _D, 0, 1, 4, f"{_SEED_NORMAL}; {_DEPTH}", N_("After a deep session strong swelling can last into the next day.")),
    Band(_W, _D, 2, 2, 3, f"{_DEPTH}; {_MARTIN}", N_("After a deep session swelling settles from day 2.")),
    Band(_W, _D, 3, 4, 2, f"{_DEPTH}; {_CHU}", N_("After a deep session swelling is usually slight by day 3.")),
    Band(_W, _D, 5, 10, 1, f"{_DEPTH}; {_CHU}", N_("After a deep session a trace of swelling can last into the second week.")),
    Band(_W, _S, 8, None, 0, _LATE, N_("After the first week swelling is expected to be gone."), _C),
    Band(_W, _M, 8, None, 0, _LATE, N_("After the first week swelling is expected to be gone."), _C),
    Band(_W, _D, 11, None, 0, f"{_LATE}; {_DEPTH}", N_("Swelling is expected to be gone by day 11, even after deep sessions."), _C),
    # Pinpoint bleeding belongs to the treatment itself; day 1 is allowed for
    # oozing noticed the morning after usual and deep sessions. Days 2-3 are a
    # "watch" (a scratched or picked spot can bleed); later bleeding is
    # unusual enough to ask about.
    Band(_B, _S, 0, 0, 1, f"{_SEED_NORMAL}; {_DEPTH}", N_("Pinpoint bleeding just after a light session stops within hours.")),
    Band(_B, _S, 1, 3, 0, _SEED_NORMAL, N_("Bleeding is not expected the day after a light session.")),
    Band(_B, _M, 0, 1, 1, _SEED_NORMAL, N_("Pinpoint bleeding just after treatment is normal and stops within hours.")),
    Band(_B, _D, 0, 1, 1, _SEED_NORMAL, N_("Pinpoint bleeding just after treatment is normal and stops within hours.")),
    Band(_B, _M, 2, 3, 0, _SEED_NORMAL, N_("Bleeding is not expected once the first day has passed.")),
    Band(_B, _D, 2, 3, 0, _SEED_NORMAL, N_("Bleeding is not expected once the first day has passed.")),
    Band(_B, None, 4, None, 0, f"{_SEED_NORMAL}; {_SEED_SEEK_HELP}",
         N_("Bleeding several days after treatment is not part of normal healing."), _C),
    # Pain: discomfort right after treatment that fades within a few days;
    # pain that lasts or grows is not part of it (growing pain: infection).
    Band(_P, _S, 0, 0, 2, f"{_SEED_SIDE_EFFECTS}; {_DEPTH}", N_("Soreness like a mild sunburn on the day is normal.")),
    Band(_P, _S, 1, 2, 1, f"{_SEED_SIDE_EFFECTS}; {_DEPTH}", N_("Tenderness to touch can last a day or two.")),
    Band(_P, _S, 3, None, 0, f"{_SEED_SIDE_EFFECTS}; {_SEED_SEEK_HELP}", N_("Pain is expected to be gone after a few days.")),
    Band(_P, _M, 0, 0, 2, _SEED_SIDE_EFFECTS, N_("Soreness like a mild sunburn on the day is normal.")),
    Band(_P, _M, 1, 3, 1, _SEED_SIDE_EFFECTS, N_("Tenderness to touch can last a few days.")),
    Band(_P, _M, 4, None, 0, f"{_SEED_SIDE_EFFECTS}; {_SEED_SEEK_HELP}", N_("Pain is expected to be gone after a few days.")),
    Band(_P, _D, 0, 1, 3, f"{_SEED_SIDE_EFFECTS}; {_DEPTH}", N_("After a deep session the skin can be painful for a day or two.")),
    Band(_P, _D, 2, 3, 2, f"{_SEED_SIDE_EFFECTS}; {_DEPTH}", N_("After a deep session soreness fades over the first days.")),
    Band(_P, _D, 4, 7, 1, f"{_SEED_SIDE_EFFECTS}; {_DEPTH}", N_("Tenderness to touch can last the first week after a deep session.")),
    Band(_P, _D, 8, None, 0, f"{_SEED_SIDE_EFFECTS}; {_SEED_SEEK_HELP}", N_("Pain is expected to be gone after the first week.")),
    # Itch and tingling come with healing and peeling in the first week; itch
    # that builds after the first days points to a product reaction.
    Band(_I, None, 0, 7, 1, f"{_VENDOR}; {_MARTIN}", N_("A slight itch or tingling while the skin heals is normal.")),
    Band(_I, None, 8, None, 0, f"{_VENDOR}; {_MARTIN}", N_("Itching is expected to be gone after the first week.")),
    # Dryness and peeling are expected during the first week (vendor guidance);
    # lingering dryness is mostly a comfort issue, so it stays a "watch".
    Band(Sign.DRYNESS, None, 0, 7, 1, _VENDOR, N_("Dryness or light peeling during the first week is expected.")),
    Band(Sign.DRYNESS, None, 8, None, 0, _VENDOR, N_("Dryness usually clears within about a week.")),
    # Spots are never expected; the spot rules in flags.py judge them against
    # the patient's own baseline.
    Band(Sign.SPOTS, None, 0, None, 0, "Microneedling patient guide, 'Causes of Spots After Microneedling'; Hou 2017; " + _CHU,
         N_("Spots are not an expected part of healing, though most are temporary.")),
)  # fmt: skip

_BEFORE_TREATMENT_SOURCE = "No treatment yet: nothing from it is expected"


def _bands_of(sign: Sign, depth: Depth) -> tuple[Band, ...]:
    if sign not in ALL_SIGNS:
        raise ValueError(f"unknown sign: {sign!r}")
    return tuple(b for b in EXPECTED_COURSE if b.sign == sign and b.depth in (depth, None))


def expected_band(sign: Sign, days_since_treatment: int, depth: Depth = Depth.MEDIUM) -> Band:
    """The band covering one day of a course of this depth (days < 0: before treatment)."""
    if days_since_treatment < 0:
        # Before treatment the treatment cannot explain any sign.
        return Band(Sign(sign), None, days_since_treatment, -1, 0, _BEFORE_TREATMENT_SOURCE, N_("before treatment"))
    for band in _bands_of(sign, depth):
        ends_later = band.last_day is None or days_since_treatment <= band.last_day
        if band.first_day <= days_since_treatment and ends_later:
            return band
    raise LookupError(f"no band for {sign} on day {days_since_treatment} after a {depth} session")


def expected_max(sign: Sign, days_since_treatment: int, depth: Depth = Depth.MEDIUM, baseline: int = 0) -> int:
    """The highest rating still normal that day: the band, or the patient's own
    usual level when that is higher (baseline redness raises the floor)."""
    return max(expected_band(sign, days_since_treatment, depth).max_rating, baseline)


def excess(sign: Sign, days_since_treatment: int, rating: int, depth: Depth = Depth.MEDIUM, baseline: int = 0) -> int:
    """How many levels a rating is above what is expected that day (0: within)."""
    return max(0, rating - expected_max(sign, days_since_treatment, depth, baseline))


def within_band(
    sign: Sign, days_since_treatment: int, rating: int, depth: Depth = Depth.MEDIUM, baseline: int = 0
) -> bool:
    """Whether a rating is still part of a normal recovery on that day of the course."""
    return excess(sign, days_since_treatment, rating, depth, baseline) == 0


def band_series(sign: Sign, last_day: int, depth: Depth = Depth.MEDIUM, baseline: int = 0) -> list[tuple[int, int]]:
    """(day, highest normal rating) for days 0..last_day, for shading a chart."""
    return [(day, expected_max(sign, day, depth, baseline)) for day in range(last_day + 1)]
