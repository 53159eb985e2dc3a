"""Which of the patient's circumstances raise the chance of lasting spots.

The seed document names darker skin, needles that go too deep, sun without
protection after treatment and a history of melasma or post-inflammatory
hyperpigmentation (PIH). A patient with any of them is sent to a dermatologist
sooner when spots last (see course.Thresholds).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from recovery.course import Thresholds
from recovery.model import Entry, Profile, Treatment

_SEED_RISK = "Seed document, 'Risk Factors for Developing Spots'"
_SEED_CAUSES = "Seed document, 'Causes of Spots After Microneedling'"


class RiskKey(StrEnum):
    DARKER_SKIN = "darker_skin"
    MELASMA_HISTORY = "melasma_history"
    PIH_HISTORY = "pih_history"
    DEEP_NEEDLING = "deep_needling"
    SUN_LAPSE = "sun_lapse"


@dataclass(frozen=True)
class RiskFactor:
    key: RiskKey
    label: str
    source: str


_DARKER_FITZPATRICK = 4  # types IV-VI


def risk_factor(key: RiskKey, thresholds: Thresholds = Thresholds()) -> RiskFactor:
    """A factor with its label; the depth in the label follows the threshold in use."""
    labels = {
        RiskKey.DARKER_SKIN: (
            "Skin type IV-VI: more melanin, so spots form more easily",
            f"{_SEED_RISK} (skin type); Chu et al., Dermatol Surg 2021",
        ),
        RiskKey.MELASMA_HISTORY: ("A history of melasma", _SEED_CAUSES),
        RiskKey.PIH_HISTORY: ("Earlier dark marks after skin injury (PIH)", _SEED_CAUSES),
        RiskKey.DEEP_NEEDLING: (
            f"Deep needling ({thresholds.high_risk_needle_depth_mm:g} mm or more) injures the skin more",
            f"{_SEED_RISK} (needle depth); median scar depth 1.5 mm (clinical notes)",
        ),
        RiskKey.SUN_LAPSE: ("Sun without protection in the first week after treatment", f"{_SEED_RISK} (aftercare)"),
    }
    label, source = labels[key]
    return RiskFactor(key, label, source)


def _has_darker_skin(profile: Profile) -> bool:
    return profile.fitzpatrick is not None and profile.fitzpatrick >= _DARKER_FITZPATRICK


def _has_deep_needling(treatments: Iterable[Treatment], thresholds: Thresholds) -> bool:
    depths = (t.needle_depth_mm for t in treatments)
    return any(d is not None and d >= thresholds.high_risk_needle_depth_mm for d in depths)


def missed_sun_protection(entry: Entry, thresholds: Thresholds = Thresholds()) -> bool:
    """True for a day in the first week of a course without sunscreen or shade."""
    since = entry.days_since_treatment
    in_window = entry.in_course and since is not None and since <= thresholds.aftercare_window_days
    # False means "ticked off as not done"; None (not answered) is not a lapse.
    return in_window and (entry.answer("sunscreen") is False or entry.answer("sun_avoided") is False)


def risk_factors(
    profile: Profile,
    treatments: Iterable[Treatment],
    entries: Iterable[Entry],
    thresholds: Thresholds = Thresholds(),
) -> tuple[RiskFactor, ...]:
    """The risk factors that apply to this patient, in a fixed order."""
    applies = {
        RiskKey.DARKER_SKIN: _has_darker_skin(profile),
        RiskKey.MELASMA_HISTORY: profile.melasma_history,
        RiskKey.PIH_HISTORY: profile.pih_history,
        RiskKey.DEEP_NEEDLING: _has_deep_needling(treatments, thresholds),
        RiskKey.SUN_LAPSE: any(missed_sun_protection(e, thresholds) for e in entries),
    }
    return tuple(risk_factor(key, thresholds) for key, present in applies.items() if present)


def is_higher_risk(factors: Iterable[RiskFactor]) -> bool:
    """Any single factor is enough: each one alone is named as a cause of spots."""
    return any(True for _ in factors)
