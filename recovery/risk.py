"""Which of the patient's circumstances raise the chance of lasting spots.

The seed document names darker skin, needles that go too deep, sun without
protection after treatment and a history of melasma or post-inflammatory
hyperpigmentation (PIH). A patient with any of them is sent to a dermatologist
sooner when spots last (see course.Thresholds).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from recovery.course import Thresholds

_SEED_RISK = "Seed document, 'Risk Factors for Developing Spots'"
_SEED_CAUSES = "Seed document, 'Causes of Spots After Microneedling'"


@dataclass(frozen=True)
class RiskFactor:
    key: str
    label: str
    source: str


# Keys are stable: the flag rules and the pages refer to them.
DARKER_SKIN = "darker_skin"
MELASMA_HISTORY = "melasma_history"
PIH_HISTORY = "pih_history"
DEEP_NEEDLING = "deep_needling"
SUN_LAPSE = "sun_lapse"

RISK_FACTORS: dict[str, RiskFactor] = {
    f.key: f
    for f in (
        RiskFactor(
            DARKER_SKIN,
            "Skin type IV-VI: more melanin, so spots form more easily",
            f"{_SEED_RISK} (skin type); Chu et al., Dermatol Surg 2021",
        ),
        RiskFactor(MELASMA_HISTORY, "A history of melasma", _SEED_CAUSES),
        RiskFactor(PIH_HISTORY, "Earlier dark marks after skin injury (PIH)", _SEED_CAUSES),
        RiskFactor(
            DEEP_NEEDLING,
            "Deep needling (1.5 mm or more) injures the skin more",
            f"{_SEED_RISK} (needle depth); median scar depth 1.5 mm (clinical notes)",
        ),
        RiskFactor(SUN_LAPSE, "Sun without protection in the first week after treatment", f"{_SEED_RISK} (aftercare)"),
    )
}

_DARKER_FITZPATRICK = 4  # types IV-VI


def _has_darker_skin(profile: Mapping) -> bool:
    fitzpatrick = profile.get("fitzpatrick")
    return fitzpatrick is not None and int(fitzpatrick) >= _DARKER_FITZPATRICK


def _has_deep_needling(treatments: Iterable[Mapping], thresholds: Thresholds) -> bool:
    depths = (t.get("needle_depth_mm") for t in treatments)
    return any(d is not None and d >= thresholds.high_risk_needle_depth_mm for d in depths)


def missed_sun_protection(entry: Mapping, thresholds: Thresholds = Thresholds()) -> bool:
    """True for a day in the first week of a course without sunscreen or shade."""
    days = entry.get("days_since_treatment")
    in_window = (
        entry.get("treatment_id") is not None and days is not None and 0 <= days <= thresholds.aftercare_window_days
    )
    # 0 means "ticked off as not done"; None (not answered) is not a lapse.
    return in_window and (entry.get("sunscreen") == 0 or entry.get("sun_avoided") == 0)


def risk_factors(
    profile: dict, treatments: list[dict], entries: list[dict], thresholds: Thresholds = Thresholds()
) -> list[RiskFactor]:
    """The risk factors that apply to this patient, in a fixed order."""
    applies = {
        DARKER_SKIN: _has_darker_skin(profile),
        MELASMA_HISTORY: bool(profile.get("melasma_history")),
        PIH_HISTORY: bool(profile.get("pih_history")),
        DEEP_NEEDLING: _has_deep_needling(treatments, thresholds),
        SUN_LAPSE: any(missed_sun_protection(e, thresholds) for e in entries),
    }
    return [RISK_FACTORS[key] for key, present in applies.items() if present]


def is_higher_risk(factors: Iterable[RiskFactor]) -> bool:
    """Any single factor is enough: each one alone is named as a cause of spots."""
    return any(True for _ in factors)
