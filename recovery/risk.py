"""The patient's circumstances that change the risk, for the whole journal or one course.

The seed document names darker skin, needles that go too deep, sun without
protection after treatment and a history of melasma or post-inflammatory
hyperpigmentation (PIH) as causes of lasting spots; with any of them the first
new spot is worth telling the practitioner and lasting spots are sent to a
dermatologist sooner (see course.Thresholds). Depth and sun belong to one
course: a deep session does not make later light ones deep, and a lapse in one
first week does not mark every later session. The profile and treatment
questions (isotretinoin, blood thinners, a cold sore on the day, ...) are
listed for the patient and the dermatologist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from recovery.course import Thresholds
from recovery.language import _
from recovery.model import Entry, Profile, Treatment
from recovery.vocabulary import PROFILE_QUESTIONS, TREATMENT_QUESTIONS

_SEED_RISK = "Microneedling patient guide, 'Risk Factors for Developing Spots'"
_SEED_CAUSES = "Microneedling patient guide, 'Causes of Spots After Microneedling'"
_REVIEW = "Review of published studies (Nov 2026)"
_HERPES = "Vaghela et al., J Clin Aesthet Dermatol 2021 (docs/clinical-basis.md, 'Cold sores')"


class RiskKey(StrEnum):
    DARKER_SKIN = "darker_skin"
    MELASMA_HISTORY = "melasma_history"
    PIH_HISTORY = "pih_history"
    DEEP_NEEDLING = "deep_needling"
    SUN_LAPSE = "sun_lapse"
    # Not a cause of spots: treatment can bring on a flare-up (docs/clinical-basis.md, "Cold sores").
    COLD_SORE_HISTORY = "cold_sore_history"
    # The profile and treatment questions keep their own keys (vocabulary).


@dataclass(frozen=True)
class RiskFactor:
    key: str
    label: str
    source: str
    # Makes lasting spots more likely: spots are flagged sooner.
    spot_risk: bool = True
    # The course it belongs to (a session's depth, a lapse in its first week);
    # None for the patient's own circumstances.
    treatment_id: int | None = None


_DARKER_FITZPATRICK = 4  # types IV-VI


def risk_factor(key: str, thresholds: Thresholds = Thresholds(), treatment_id: int | None = None) -> RiskFactor:
    """A factor with its label; the depth in the label follows the threshold in use."""
    spot_factors = {
        RiskKey.DARKER_SKIN: (
            _("Skin type IV-VI: more melanin, so spots form more easily"),
            f"{_SEED_RISK} (skin type); Chu et al., Dermatol Surg 2021",
        ),
        RiskKey.MELASMA_HISTORY: (_("A history of melasma"), _SEED_CAUSES),
        RiskKey.PIH_HISTORY: (_("Earlier dark marks after skin injury (PIH)"), _SEED_CAUSES),
        RiskKey.DEEP_NEEDLING: (
            _("Deep needling ({depth} mm or more) injures the skin more").format(
                depth=f"{thresholds.high_risk_needle_depth_mm:g}"
            ),
            f"{_SEED_RISK} (needle depth); median scar depth 1.5 mm in published studies",
        ),
        RiskKey.SUN_LAPSE: (_("Sun without protection in the first week after treatment"), f"{_SEED_RISK} (aftercare)"),
    }
    if key in spot_factors:
        label, source = spot_factors[RiskKey(key)]
        return RiskFactor(key, label, source, True, treatment_id)
    if key == RiskKey.COLD_SORE_HISTORY:
        return RiskFactor(
            key,
            _(
                "A history of cold sores: treatment can bring on a flare-up; "
                "ask about antiviral medicine before a session"
            ),
            _HERPES,
            False,
            treatment_id,
        )
    question = next(q for q in (*PROFILE_QUESTIONS, *TREATMENT_QUESTIONS) if q.key == key)
    return RiskFactor(key, _(question.risk), _REVIEW, False, treatment_id)


def sun_exposed(entry: Entry, thresholds: Thresholds = Thresholds()) -> bool:
    """A day of a course's first week when the treated skin met the sun unprotected.

    Out in direct sun is a lapse on any day. Sunscreen not done is one only
    from the day after treatment, and not on a day the skin stayed out of the
    sun: many protocols put nothing on the skin in the first hours and ask the
    patient to stay indoors instead. Unanswered items are never a lapse.
    """
    since = entry.days_since_treatment
    if not entry.in_course or since is None or since > thresholds.aftercare_window_days:
        return False
    if entry.answer("sun_avoided") is False:
        return True
    return since >= 1 and entry.answer("sunscreen") is False and entry.answer("sun_avoided") is not True


def _deep(treatment: Treatment, thresholds: Thresholds) -> bool:
    depth = treatment.needle_depth_mm
    return depth is not None and depth >= thresholds.high_risk_needle_depth_mm


def risk_factors(
    profile: Profile,
    treatments: Iterable[Treatment],
    entries: Iterable[Entry],
    thresholds: Thresholds = Thresholds(),
) -> tuple[RiskFactor, ...]:
    """The risk factors that apply, patient-wide first, then per course in day order."""
    factors = [
        risk_factor(key, thresholds)
        for key, present in (
            (RiskKey.DARKER_SKIN, profile.fitzpatrick is not None and profile.fitzpatrick >= _DARKER_FITZPATRICK),
            (RiskKey.MELASMA_HISTORY, profile.melasma_history),
            (RiskKey.PIH_HISTORY, profile.pih_history),
            (RiskKey.COLD_SORE_HISTORY, profile.cold_sores),
        )
        if present
    ]
    factors += [risk_factor(q.key, thresholds) for q in PROFILE_QUESTIONS if profile.answer(q.key)]
    lapsed = {e.treatment_id for e in entries if sun_exposed(e, thresholds)}
    for treatment in sorted(treatments, key=lambda t: (t.day, t.id)):
        if _deep(treatment, thresholds):
            factors.append(risk_factor(RiskKey.DEEP_NEEDLING, thresholds, treatment.id))
        if treatment.id in lapsed:
            factors.append(risk_factor(RiskKey.SUN_LAPSE, thresholds, treatment.id))
        factors += [
            risk_factor(q.key, thresholds, treatment.id) for q in TREATMENT_QUESTIONS if treatment.answer(q.key)
        ]
    return tuple(factors)


def is_higher_risk(factors: Iterable[RiskFactor], treatment_id: int | None = None) -> bool:
    """Any factor of spots that applies to the patient, or to this course, is enough:
    each one alone is named as a cause of spots."""
    return bool(spot_risk_reasons(factors, treatment_id))


def spot_risk_reasons(factors: Iterable[RiskFactor], treatment_id: int | None = None) -> tuple[str, ...]:
    """The labels of the factors of spots that apply to the patient, or to this course."""
    return tuple(f.label for f in factors if f.spot_risk and f.treatment_id in (None, treatment_id))
